"""Profiles weight check results into row, first-level and total scores.

Row points = weight × (weighted mean of its checks' score fractions) − the
sum of its checks' deductions, never below 0 (a second-level row never loses
more than its own points). Checks that could not judge (not applicable,
needs review, error) weigh 0 but stay visible, as in Lighthouse. A row no
check judged awaits a manual score; the manual-scores file fills it.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditkit.manual import read_xlsx
from auditkit.models import CheckResult, CheckStatus, L1Score, Profile, RowScore, RowStatus
from auditkit.settings import ScoringSettings


class ManualRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    points: float | None = Field(default=None, ge=0)  # None: left blank in the template
    evidence: str = ""
    note: str = ""


class ManualBonus(BaseModel):
    model_config = ConfigDict(extra="forbid")
    points: float | None = Field(default=None, ge=0)  # None: left blank in the template
    note: str = ""
    cases: list[dict[str, str]] = Field(default_factory=list)  # {type, name}


class ManualScores(BaseModel):
    """The evaluator's file: ``rows: {"一级/二级": {points, note}}`` and ``bonus``."""

    model_config = ConfigDict(extra="forbid")
    rows: dict[str, ManualRow] = Field(default_factory=dict)
    bonus: ManualBonus | None = None


class ScoringError(ValueError):
    pass


def load_manual(path: Path, profile: Profile) -> ManualScores:
    try:
        data = read_xlsx(path) if path.suffix == ".xlsx" else yaml.safe_load(path.read_text(encoding="utf-8"))
        manual = ManualScores.model_validate(data or {})
    except (yaml.YAMLError, ValidationError, OSError, KeyError, ValueError) as exc:
        raise ScoringError(f"manual scores {path}: {exc}") from exc
    weights = {row.key: row.weight for row in profile.rows}
    for key, entry in manual.rows.items():
        if key not in weights:
            raise ScoringError(f"manual scores {path}: row {key!r} is not in profile {profile.id!r}")
        if entry.points is not None and entry.points > weights[key]:
            raise ScoringError(f"manual scores {path}: row {key!r} gets {entry.points:g} of {weights[key]:g}")
    if manual.bonus and (manual.bonus.points or 0) > profile.bonus:
        raise ScoringError(f"manual scores {path}: bonus {manual.bonus.points:g} exceeds {profile.bonus:g}")
    for case in manual.bonus.cases if manual.bonus else []:
        if profile.bonus_cases and case.get("type") not in profile.bonus_cases:
            raise ScoringError(f"manual scores {path}: case type {case.get('type')!r} is not one of "
                               f"{'、'.join(profile.bonus_cases)}")
    return manual


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def score_rows(profile: Profile, results: dict[str, CheckResult], manual: ManualScores | None) -> list[RowScore]:
    manual = manual or ManualScores()
    scored_rows: list[RowScore] = []
    for row in profile.rows:
        base = {"l1": row.l1, "l2": row.l2, "l3": row.l3, "key": row.key, "weight": row.weight,
                "check_ids": [ref.id for ref in row.checks]}
        entry = manual.rows.get(row.key)
        if entry is not None and entry.points is not None:
            scored_rows.append(RowScore(**base, points=entry.points, status=RowStatus.MANUAL,
                                        reason="人工评分", note=entry.note or None, evidence=entry.evidence or None))
            continue
        if not row.checks:
            scored_rows.append(RowScore(**base, points=None, status=RowStatus.NOT_AUTOMATED,
                                        reason="尚无自动检查覆盖此指标，待人工评分"))
            continue
        fractions: list[tuple[float, float]] = []
        deduction = 0.0
        unjudged: list[str] = []
        parts: list[str] = []
        for ref in row.checks:
            result = results.get(ref.id)
            if result is None or result.status != CheckStatus.SCORED:
                status = result.status.value if result else "not run"
                unjudged.append(f"{ref.id}（{status}）")
                continue
            if result.score is not None:
                fractions.append((result.score, ref.weight))
                parts.append(f"{ref.id} 得分率 {result.score:.0%}：{result.reason}")
            if result.deduction:
                deduction += result.deduction
                parts.append(f"{ref.id} 扣 {_fmt(result.deduction)} 分：{result.reason}")
            elif result.score is None:
                parts.append(f"{ref.id} 未扣分：{result.reason}")
        if not fractions and not any(r in results and results[r].status == CheckStatus.SCORED
                                     for r in (ref.id for ref in row.checks)):
            scored_rows.append(RowScore(**base, points=None, status=RowStatus.PENDING,
                                        reason="检查未能判定，待人工评分：" + "，".join(unjudged)))
            continue
        fraction = sum(s * w for s, w in fractions) / sum(w for _, w in fractions) if fractions else 1.0
        points = max(0.0, row.weight * fraction - deduction)
        if deduction > row.weight * fraction:
            parts.append(f"扣分以本项分值 {_fmt(row.weight)} 分为限")
        if unjudged:
            parts.append("未能判定：" + "，".join(unjudged))
        if row.unchecked:
            parts.append("尚无自动检查、需人工复核的要点：" + "，".join(row.unchecked))
        scored_rows.append(RowScore(**base, points=round(points, 2),
                                    status=RowStatus.PARTIAL if unjudged or row.unchecked else RowStatus.SCORED,
                                    reason="；".join(parts)))
    return scored_rows


def l1_totals(rows: list[RowScore]) -> list[L1Score]:
    order: dict[str, L1Score] = {}
    for row in rows:
        entry = order.setdefault(row.l1, L1Score(l1=row.l1, weight=0, points=0, pending_weight=0))
        entry.weight += row.weight
        if row.points is None:
            entry.pending_weight += row.weight
        else:
            entry.points = round(entry.points + row.points, 2)
    return list(order.values())


def grade(total: float | None, max_total: float, pending_weight: float, vetoed: bool,
          settings: ScoringSettings) -> tuple[str, bool]:
    """The grade and whether the site failed (不合格): any veto hit, or below the pass band.
    While rows await manual scores the points are incomplete, so no band is given."""
    if vetoed:
        return settings.failed_grade, True
    if total is None or pending_weight > 0:
        return settings.pending_grade, False
    share = total / max_total if max_total else 0.0
    for floor, name in settings.grades:
        if share >= floor:
            return name, False
    return settings.failed_grade, True
