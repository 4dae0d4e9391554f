"""互动交流 on the demo site: the unanswered letter is a veto hit, the late reply is flagged,
on-time replies are not, the survey without results is found, and the report shows the
per-message latency table."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.demo.defects import planted
from auditkit.models import AuditResult, RowStatus
from auditkit.report import render_report

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def audit(demo_audit: tuple[AuditResult, Path], demo_url: str) -> tuple[AuditResult, str]:
    return demo_audit[0], demo_url.rstrip("/")


def test_messages_latency_and_the_veto(audit) -> None:
    result, base = audit
    check = result.check("interaction.consultation")
    rows = {r["页面"].removeprefix(base): r for r in check.details["留言"]}
    assert len(rows) == 7  # the list's rows and the detail pages merged
    late = rows[planted("late_reply").path]
    assert (late["用时（天）"], late["判定"], late["回复单位"]) == (45, "回复超时", "县住房和城乡建设局")
    assert rows[planted("on_time_reply").path]["判定"] == "按时回复"
    assert rows[planted("unanswered_message").path]["判定"] == "超过 3 个月未回复（否决）"
    assert [(h.veto, h.url.removeprefix(base)) for h in check.veto_hits] == [
        ("poor_interaction", planted("unanswered_message").path)]
    assert next(v for v in result.vetoes if v.id == "poor_interaction").status == "hit"
    assert {f.url.removeprefix(base) for f in check.findings} == {planted("late_reply").path}
    assert check.details["近一年回复用时分布"] == {"≤5 天": 5, "31–90 天": 1, "未回复": 1}
    stats = check.details["统计数据"]
    # the 县长信箱 page's line, and the quarter's 满意度 statistics (planted("reply_satisfaction"))
    assert [(s["受理"], s["办结"], s["是否及时"]) for s in stats] == [(7, 6, "是"), (356, 350, "是")]
    form = next(r for r in check.details["咨询渠道"] if r["渠道"] == "留言表单")
    assert form["页面"] == base + "/hdjl/liuyan" and form["判定"].startswith("可用")


def test_surveys_and_interviews(audit) -> None:
    result, base = audit
    check = result.check("interaction.surveys")
    rows = {r["页面"].removeprefix(base): r for r in check.details["征集调查"]}
    assert rows[planted("survey_with_results").path]["结果公开"] == "是"
    assert rows[planted("survey_no_results").path]["结果公开"] == "否"
    assert rows["/xxgk/fdzdgknr/zdjcygk/content_20111.html"]["重大决策"] == "是"
    assert {f.url.removeprefix(base) for f in check.findings} == {planted("survey_no_results").path}
    interview = result.check("interaction.online_interview")
    assert interview.details["页面"] == [base + "/hdjl/zxft/"] and interview.score > 0.8


def test_interaction_rows_and_report(audit) -> None:
    result, base = audit
    for l2 in ("咨询投诉", "征集调查"):
        row = result.row(f"互动交流/{l2}")
        assert row.status == RowStatus.PARTIAL and 0 < row.points < row.weight, row
    html = render_report(result)
    section = html[html.index('id="check-interaction.consultation"'):]
    assert "<th>用时（天）</th>" in section[:30000]
    assert f'href="{base}{planted("late_reply").path}"' in section[:30000]
