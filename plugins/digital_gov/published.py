"""Results the government publishes about itself: 好差评 results and the follow-up of bad
ratings (好差评效果), and how satisfied people were with replies (答复效果评价).

A page publishes results when its own title names the subject and either a result word (情况,
统计, 公示 …) or its text states a figure (好评率 99.2%). The newest such
page must be recent: results published once and never again are stale.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from auditkit import CheckContext, check
from auditkit.columns import strip_site_name
from auditkit.models import CheckResult, Evidence, Finding, PageRecord
from auditkit.snapshot import Snapshot


class PublicationRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    context_words: list[str]  # the subject, in a page's own title: 好差评; 留言, 信件 …
    title_words: list[str]  # a result word beside it: a results page
    stat_pattern: str  # or a figure stated in its text


class Publication(BaseModel):
    url: str
    title: str
    figures: list[str]
    published: date | None


def _newest(page: PageRecord, as_of: date) -> date | None:
    return max((d for d in page.dates if d <= as_of), default=None)


def publications(snapshot: Snapshot, rule: PublicationRule) -> list[Publication]:
    """Pages publishing results under ``rule``, newest first (undated last)."""

    def compute() -> list[Publication]:
        stat = re.compile(rule.stat_pattern)
        found = []
        for page in snapshot.html_pages():
            own = strip_site_name(page.title)
            if not any(w in own for w in rule.context_words):
                continue  # menus and breadcrumbs name the subject on every page: the page's own title must
            figures = [m.group(0) for m in stat.finditer(page.text)][:5]
            if figures or any(w in own for w in rule.title_words):
                found.append(Publication(url=page.final_url or page.url, title=own, figures=figures,
                                         published=_newest(page, snapshot.as_of)))
        return sorted(found, key=lambda p: (p.published is not None, p.published or date.min), reverse=True)

    return snapshot.once("digital_gov.publications." + rule.model_dump_json(), compute)


def judge_publications(ctx: CheckContext, rule: PublicationRule) -> tuple[float, list[Finding], dict[str, Any]]:
    """Credit for publishing results: recent (1), only stale or undated ones (stale credit), none (0)."""
    found = publications(ctx.snapshot, rule)
    details = {rule.name: [p.model_dump(mode="json") for p in found[: ctx.settings["max_evidence_entries"]]]}
    if not found:
        return 0.0, [Finding(severity="moderate", message=f"未见公开的{rule.name}")], details
    newest = found[0]
    max_age = ctx.settings["results_max_age_days"]
    if newest.published and (ctx.as_of - newest.published).days <= max_age:
        return 1.0, [], details
    when = newest.published.isoformat() if newest.published else "未注明日期"
    return ctx.settings["stale_results_credit"], [Finding(
        severity="minor", url=newest.url, message=f"{rule.name}最近一次公开（{when}）已超过 {max_age} 天",
        evidence=Evidence(values={"title": newest.title, "figures": newest.figures}))], details


def _rule(ctx: CheckContext, key: str) -> PublicationRule:
    return PublicationRule.model_validate(ctx.settings[key])


@check(id="digital_gov.rating_results", title="好差评效果（评价结果公开、差评整改反馈）",
       indicators=["社会满意度/政务服务好差评/好差评效果"])
def rating_results(ctx: CheckContext) -> CheckResult:
    """公开的满意度评价效果: the site publishes 好差评 results (好评率, counts) and keeps doing so;
    差评整改反馈: it reports how bad ratings were followed up (整改, 回访). Whether every bad
    rating was followed up needs the service platform's records."""
    if next(ctx.snapshot.html_pages(), None) is None:
        return ctx.needs_review("没有可读取的页面，无法查找好差评结果")
    results_credit, findings, details = judge_publications(ctx, _rule(ctx, "rating_publication"))
    follow_up = publications(ctx.snapshot, _rule(ctx, "rating_follow_up"))
    details["差评整改"] = [p.model_dump(mode="json") for p in follow_up[: ctx.settings["max_evidence_entries"]]]
    if not follow_up:
        findings.append(Finding(severity="moderate", message="未见差评整改反馈（整改、回访情况）"))
    weights = ctx.settings["rating_results_weights"]
    score = weights["results"] * results_credit + weights["follow_up"] * bool(follow_up)
    reason = (f"好差评结果公开：{len(publications(ctx.snapshot, _rule(ctx, 'rating_publication')))} 个页面"
              f"（得分率 {results_credit:.0%}）；差评整改反馈：{len(follow_up)} 个页面")
    return ctx.result(score=round(score, 4), reason=reason, findings=findings, details=details)


@check(id="digital_gov.reply_results", title="答复效果评价（答复满意度结果公开）",
       indicators=["社会满意度/咨询投诉答复满意度/答复效果评价"])
def reply_results(ctx: CheckContext) -> CheckResult:
    """People's satisfaction with the replies to their consultations and complaints is published
    (满意率, 办理情况统计) and kept current. How the evaluators' own test questions were
    answered needs a person."""
    if next(ctx.snapshot.html_pages(), None) is None:
        return ctx.needs_review("没有可读取的页面，无法查找答复满意度结果")
    rule = _rule(ctx, "reply_publication")
    credit, findings, details = judge_publications(ctx, rule)
    reason = f"{rule.name}：{len(publications(ctx.snapshot, rule))} 个页面（得分率 {credit:.0%}）"
    return ctx.result(score=round(credit, 4), reason=reason, findings=findings, details=details)
