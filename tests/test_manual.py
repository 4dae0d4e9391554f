"""The manual-scores template: every row says how it is scored; filled, it completes the total."""

from __future__ import annotations

from pathlib import Path

import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.manual import MODE_NAMES, mode_of
from auditkit.models import RowStatus
from auditkit.profiles import load_profiles
from auditkit.scoring import load_manual, score_rows

runner = CliRunner()


def test_yaml_template_lists_every_row_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "manual.yaml"
    shown = runner.invoke(app, ["manual-template", "--profile", "digital_gov", "--out", str(path)])
    assert shown.exit_code == 0, shown.output
    profile = load_profiles()["digital_gov"]
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert list(data["rows"]) == [row.key for row in profile.rows]
    assert "人工评分 · 权重 2" in text and "要点：统一热线、统一网上咨询" in text
    assert "案例类别：新基建助力" in text
    empty = load_manual(path, profile)  # as written: nothing filled, nothing scored
    assert all(entry.points is None for entry in empty.rows.values())
    for key in data["rows"]:
        data["rows"][key]["points"] = 1
    data["bonus"] = {"points": 6, "note": "专家评议", "cases": [{"type": "一体化服务", "name": "一网通办"}]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    filled = load_manual(path, profile)
    rows = score_rows(profile, {}, filled)
    assert all(r.status == RowStatus.MANUAL and r.points == 1 for r in rows)
    assert filled.bonus is not None and filled.bonus.points == 6


def test_xlsx_template_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "manual.xlsx"
    assert runner.invoke(app, ["manual-template", "--profile", "county", "--out", str(path)]).exit_code == 0
    profile = load_profiles()["county"]
    book = load_workbook(path)
    sheet = book["rows"]
    modes = {row[0]: row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert modes == {row.key: MODE_NAMES[mode_of(row)] for row in profile.rows}
    assert modes["运维保障/日常运维"].startswith("部分机器评分")  # 通报整改 stays with the expert
    sheet.cell(row=2, column=9, value=15.5)  # 法定主动公开
    sheet.cell(row=2, column=10, value="http://127.0.0.1/evidence")
    book["bonus"].cell(row=2, column=1, value=3)
    book.save(path)
    filled = load_manual(path, profile)
    assert filled.rows[profile.rows[0].key].points == 15.5
    assert filled.bonus is not None and filled.bonus.points == 3


def test_modes_follow_the_profile() -> None:
    profile = load_profiles()["digital_gov"]
    assert {mode_of(r) for r in profile.rows} <= {"manual", "partial", "machine"}
    assert all(mode_of(r) == "manual" for r in profile.rows if r.automatable == "manual")
