"""The evaluator's side: a fillable template of a profile's rows, read back by ``--manual``.

Every row says how it is scored — by the machine, partly (and what the expert
must add), or by hand — with the seed's evaluation points as guidance. YAML for
editors, XLSX for evaluation teams that work in spreadsheets; both load the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from openpyxl import Workbook, load_workbook

from auditkit.models import IndicatorRow, Profile

Mode = Literal["machine", "partial", "manual"]
MODE_NAMES = {"machine": "机器评分", "partial": "部分机器评分，专家补充", "manual": "人工评分"}
HEADER = ["key", "一级指标", "二级指标", "三级指标", "权重", "评分方式", "评估要点", "专家需补充",
          "points", "evidence", "note"]


def mode_of(row: IndicatorRow) -> Mode:
    if not row.checks or row.automatable == "manual":
        return "manual"
    if row.unchecked or row.automatable == "partial":
        return "partial"
    return "machine"


def _quote(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, width=10_000).strip().removesuffix("...").strip()


def yaml_template(profile: Profile) -> str:
    lines = [
        f"# 人工评分表 — {profile.name}（{profile.id}），满分 {profile.total:g}",
        "# 每行填写 points（不超过权重）、evidence（证据链接）与 note；points 留空：机器评分和部分机器评分的行",
        "# 用机器得分（填写即以专家评分为准），人工评分行保持“待人工评分”。填好后：auditkit audit URL --profile "
        f"{profile.id} --manual 本文件",
        "rows:",
    ]
    for row in profile.rows:
        mode = mode_of(row)
        lines.append(f"  {_quote(row.key)}:  # {MODE_NAMES[mode]} · 权重 {row.weight:g}")
        for point in row.points:
            lines.append(f"    # 要点：{point}")
        if mode == "partial" and row.unchecked:
            lines.append(f"    # 专家需补充：{'；'.join(row.unchecked)}")
        lines += ["    points:", '    evidence: ""', '    note: ""']
    if profile.bonus:
        kinds = "、".join(profile.bonus_cases) or "见评估方案"
        lines += [f"bonus:  # {profile.bonus_name}（加分项，最高 {profile.bonus:g} 分）；案例类别：{kinds}",
                  "  points:", '  note: ""', "  cases: []  # 例如 - {type: 一体化服务, name: 案例名称}"]
    return "\n".join(lines) + "\n"


def xlsx_template(profile: Profile, path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "rows"
    sheet.append(HEADER)
    for row in profile.rows:
        mode = mode_of(row)
        sheet.append([row.key, row.l1, row.l2, row.l3 or "", row.weight, MODE_NAMES[mode], "\n".join(row.points),
                      "；".join(row.unchecked) if mode == "partial" else "", None, "", ""])
    if profile.bonus:
        bonus = book.create_sheet("bonus")
        bonus.append(["points", "note", "case type", "case name"])
        bonus.append([None, "", "", ""])
        bonus.append([f"案例类别：{'、'.join(profile.bonus_cases) or '见评估方案'}；最高 {profile.bonus:g} 分"])
    book.save(path)


def read_xlsx(path: Path) -> dict[str, object]:
    """A filled XLSX template as the mapping the YAML form gives."""
    book = load_workbook(path, read_only=True, data_only=True)
    rows: dict[str, dict[str, object]] = {}
    for values in book["rows"].iter_rows(min_row=2, values_only=True):
        entry = dict(zip(HEADER, values, strict=False))
        if entry["key"] and entry["points"] not in (None, ""):
            rows[str(entry["key"])] = {"points": float(entry["points"]), "evidence": entry["evidence"] or "",
                                       "note": entry["note"] or ""}
    data: dict[str, object] = {"rows": rows}
    if "bonus" in book.sheetnames:
        first = next(book["bonus"].iter_rows(min_row=2, max_row=2, values_only=True), None)
        if first and first[0] not in (None, ""):
            case = [{"type": str(first[2]), "name": str(first[3] or "")}] if first[2] else []
            data["bonus"] = {"points": float(first[0]), "note": first[1] or "", "cases": case}
    return data
