"""Row, first-level and total scores; manual scores; grades; the veto table."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.models import CheckResult, CheckStatus, Profile, RowStatus, VetoHit
from auditkit.scoring import ManualScores, ScoringError, grade, l1_totals, load_manual, score_rows
from auditkit.settings import ScoringSettings
from auditkit.veto import VETO_ITEMS, veto_table

PROFILE = Profile.model_validate({
    "id": "t", "name": "test", "total": 30, "bonus": 10,
    "rows": [
        {"l1": "运维保障", "l2": "日常运维", "weight": 10, "checks": ["a", "b"]},
        {"l1": "运维保障", "l2": "安全防护", "weight": 5, "checks": [{"id": "c", "weight": 3}, "d"]},
        {"l1": "信息发布", "l2": "业务专栏", "weight": 10, "checks": []},
        {"l1": "信息发布", "l2": "平台", "weight": 5, "checks": ["e"]},
    ],
})


def result(check_id: str, **kw) -> CheckResult:
    return CheckResult(check_id=check_id, **kw)


def by_id(*results: CheckResult) -> dict[str, CheckResult]:
    return {r.check_id: r for r in results}


def test_fractions_and_deductions_combine_and_cap() -> None:
    rows = score_rows(PROFILE, by_id(
        result("a", score=0.5, reason="half"),
        result("b", deduction=3.0, reason="three broken links"),
        result("c", score=1.0, reason="ok"),
        result("d", score=0.0, reason="bad"),
        result("e", deduction=50.0, reason="many"),
    ), None)
    daily, security, topic, platform = rows
    assert daily.points == 2.0 and daily.status == RowStatus.SCORED  # 10 × 0.5 − 3
    assert security.points == 3.75  # weighted mean (3×1 + 1×0) / 4 of 5
    assert topic.points is None and topic.status == RowStatus.NOT_AUTOMATED
    assert platform.points == 0 and "为限" in platform.reason  # never below zero


def test_unjudged_checks_weigh_nothing_and_never_pass() -> None:
    rows = score_rows(PROFILE, by_id(
        result("a", score=1.0, reason="fine"),
        result("b", status=CheckStatus.ERROR, reason="boom"),
        result("c", status=CheckStatus.NOT_APPLICABLE, reason="n/a"),
        result("d", status=CheckStatus.NEEDS_MANUAL_REVIEW, reason="look"),
    ), None)
    assert rows[0].status == RowStatus.PARTIAL and rows[0].points == 10 and "b（error）" in rows[0].reason
    assert rows[1].status == RowStatus.PENDING and rows[1].points is None
    assert rows[3].status == RowStatus.PENDING  # check e never ran


def test_manual_scores_fill_rows_and_bonus(tmp_path: Path) -> None:
    path = tmp_path / "manual.yaml"
    path.write_text("rows:\n  信息发布/业务专栏: {points: 7.5, note: 专家评议}\n"
                    "bonus: {points: 6, note: 集约化建设案例}\n", encoding="utf-8")
    manual = load_manual(path, PROFILE)
    rows = score_rows(PROFILE, {}, manual)
    assert rows[2].status == RowStatus.MANUAL and rows[2].points == 7.5 and rows[2].note == "专家评议"
    assert manual.bonus is not None and manual.bonus.points == 6
    totals = {t.l1: t for t in l1_totals(rows)}
    assert totals["信息发布"].points == 7.5 and totals["信息发布"].pending_weight == 5


@pytest.mark.parametrize("text, message", [
    ("rows:\n  不存在/行: {points: 1}\n", "not in profile"),
    ("rows:\n  信息发布/业务专栏: {points: 11}\n", "gets 11 of 10"),
    ("bonus: {points: 11}\n", "exceeds"),
    ("rows: [1, 2\n", "manual scores"),
])
def test_bad_manual_files_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "manual.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScoringError, match=message):
        load_manual(path, PROFILE)


def test_grades() -> None:
    bands = ScoringSettings()
    assert grade(95, 100, 0, False, bands) == ("优秀", False)
    assert grade(59.9, 100, 0, False, bands) == ("不合格", True)
    assert grade(95, 100, 0, True, bands) == ("不合格", True)  # a veto fails whatever the points
    assert grade(50, 100, 20, False, bands)[1] is False  # pending rows: no band yet
    assert grade(91.8, 102, 0, False, bands)[0] == "优秀"


def test_veto_table_statuses() -> None:
    judges = {"x": ("serious_error",), "y": ("poor_interaction",), "z": ("home_not_updated",)}
    table = {v.id: v for v in veto_table([
        result("x", score=0, reason="typo", vetoes_evaluated=["serious_error"],
               veto_hits=[VetoHit(veto="serious_error", message="中华人民共合国")]),
        result("y", score=1, reason="all replied", vetoes_evaluated=["poor_interaction"]),
        result("z", status=CheckStatus.ERROR, reason="crashed"),
    ], judges)}
    assert len(table) == len(VETO_ITEMS) == 7
    assert table["serious_error"].status == "hit" and table["serious_error"].hits
    assert table["poor_interaction"].status == "clear"
    assert table["home_not_updated"].status == "not_measured" and "crashed" in table["home_not_updated"].reason
    assert table["site_unreachable"].status == "not_measured"


def test_manual_model_rejects_unknown_keys() -> None:
    with pytest.raises(ValueError):
        ManualScores.model_validate({"rowz": {}})


def test_rows_with_unchecked_points_are_partial_and_say_what_is_left() -> None:
    profile = PROFILE.model_copy(deep=True)
    profile.rows[0].unchecked = ["严重错误", "栏目日常更新维护情况"]
    rows = score_rows(profile, by_id(result("a", score=1.0, reason="ok"), result("b", deduction=1, reason="x")), None)
    assert rows[0].status == RowStatus.PARTIAL and rows[0].points == 9
    assert "严重错误" in rows[0].reason and "栏目日常更新维护情况" in rows[0].reason
