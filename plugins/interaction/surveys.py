"""征集调查: survey and call-for-opinion activities, their results, adoption and 重大决策.

A survey is a page whose heading names an activity (…公开征求意见, …问卷调查) rather than
the column listing them; its dates come from its labels (征集时间：… 至 …) or its text.
Column discovery (``auditkit/columns.py``) should later find the 征集调查 column itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from auditkit import CheckContext, check
from auditkit.dates import find_dates
from auditkit.models import CheckResult, Evidence, Finding, PageRecord
from auditkit.urls import host_of, site_hosts
from auditkit_plugins.interaction.messages import channel_name, label_table
from auditkit_plugins.services.fields import Labels, extract_fields, heading, page_chunks, per_snapshot
from auditkit_plugins.services.reach import find_links


@cache
def survey_labels() -> Labels:
    return Labels(label_table()["surveys"])


@dataclass
class Survey:
    url: str
    title: str
    start: date | None
    end: date | None
    results: bool  # 征集结果 / 调查结果 published
    adoption: bool  # 采纳情况 published
    major_decision: bool
    participation: bool  # an online form or a 我要提意见 link


def is_activity_title(title: str, settings: dict[str, Any]) -> bool:
    """An activity's own title, not the name of the column that lists them (征集调查)."""
    if not any(w in title for w in settings["survey_title_words"]):
        return False
    rest = title
    for word in settings["survey_title_words"] + settings["survey_generic_words"]:
        rest = rest.replace(word, "")
    return len(re.sub(r"[\s“”\"《》、：:（）()—\-]+", "", rest)) >= 4


def read_survey(page: PageRecord, tree: LexborHTMLParser, as_of: date, settings: dict[str, Any]) -> Survey | None:
    hints = settings["layout_hints"]
    title = heading(tree, hints)
    if not is_activity_title(title, settings):
        return None
    lines = page_chunks(tree, page.final_url or page.url, hints)
    fields = {}
    for item in extract_fields(lines, survey_labels()):
        fields.setdefault(item.label, item)
    text = "\n".join(line.text for line in lines)
    period = find_dates(fields["period"].value, as_of, implied_year=False) if "period" in fields else []
    start = period[0] if period else next(iter(find_dates(text, as_of, implied_year=False)), None)
    end = period[-1] if len(period) > 1 else None
    if "end" in fields:
        end = next(iter(find_dates(fields["end"].value, as_of, implied_year=False)), end)
    links = [t for line in lines for _, t in line.links]
    result_field = "result" in fields and bool(fields["result"].value or fields["result"].links)
    results = result_field or any(re.search(p, text) for p in settings["survey_result_patterns"]) or \
        any(any(w in t for w in ("征集结果", "调查结果", "结果反馈")) for t in links)
    about = f"{title}\n{channel_name(tree, page, settings['breadcrumb_hints'])}\n{text}"
    form = any(f.css_first("textarea") is not None for f in tree.css("form"))
    return Survey(
        url=page.url, title=title, start=start, end=end, results=results,
        adoption=any(re.search(p, text) for p in settings["survey_adoption_patterns"]),
        major_decision=any(w in about for w in settings["survey_major_decision_words"]),
        participation=form or any(any(w in t for w in settings["survey_participation_words"]) for t in links),
    )


def site_surveys(ctx: CheckContext) -> list[Survey]:
    s = ctx.settings

    def compute() -> list[Survey]:
        found: list[Survey] = []
        for page in ctx.snapshot.html_pages():
            if not any(w in page.title for w in s["survey_title_words"]):
                continue
            tree = ctx.snapshot.parse(page.url)
            survey = read_survey(page, tree, ctx.as_of, s) if tree else None
            if survey is not None:
                found.append(survey)
        return found

    return per_snapshot(ctx.snapshot, "interaction.surveys", s, compute)


def _state(survey: Survey, as_of: date, settings: dict[str, Any]) -> str:
    if survey.end is None:
        return "未注明截止时间"
    if survey.end >= as_of:
        return "征集中"
    due = survey.end + timedelta(days=settings["survey_result_due_days"]) < as_of
    return "已结束，结果应已公开" if due else "已结束，结果公开期内"


@check(id="interaction.surveys", title="征集调查（活动、结果与采纳情况、重大决策）",
       indicators=["互动交流/征集调查", "互动交流参与/调查征集"])
def surveys(ctx: CheckContext) -> CheckResult:
    """Survey and call-for-opinion activities of the last year, each with its dates, whether
    results and adoption (采纳情况) were published once it closed, whether it concerns a major
    decision (重大决策), and whether people can take part online. Score = weighted parts
    (settings survey_weights)."""
    s = ctx.settings
    found = site_surveys(ctx)
    if not found:
        outside = [link for link in find_links(ctx.snapshot, s["survey_title_words"], max_chars=s["entry_max_chars"])
                   if host_of(link.url) not in site_hosts(ctx.snapshot.start_url, [])]
        if outside:
            return ctx.needs_review(f"征集调查入口指向外部平台（{outside[0].url}），本次未抓取，请人工核查")
    window = ctx.as_of - timedelta(days=s["survey_window_days"])
    recent = [v for v in found if (v.start or v.end) and (v.start or v.end) >= window]
    due = [v for v in recent if _state(v, ctx.as_of, s) == "已结束，结果应已公开"]
    with_results = [v for v in due if v.results]
    findings = [Finding(severity="moderate", url=v.url,
                        message=f"征集调查“{v.title}”已于 {v.end} 结束，未公开征集结果和采纳情况",
                        evidence=Evidence(values={"结束": str(v.end)})) for v in due if not v.results]
    findings += [Finding(severity="minor", url=v.url, message=f"征集调查“{v.title}”公开了结果但未说明采纳情况")
                 for v in due if v.results and not v.adoption]
    major = [v for v in recent if v.major_decision]
    weights = s["survey_weights"]
    parts = {"participation": float(any(v.participation for v in found)),
             "activities": min(len(recent) / s["survey_target_activities"], 1.0),
             "results": len(with_results) / len(due) if due else float(bool(recent)),
             "major_decision": float(bool(major))}
    score = sum(weights[k] * v for k, v in parts.items()) / sum(weights.values())
    if not found:
        findings.append(Finding(severity="serious", url=ctx.snapshot.start_url, message="未找到征集调查活动"))
    elif not major:
        findings.append(Finding(severity="moderate", url=ctx.snapshot.start_url,
                                message="近一年未找到针对重大决策开展的征集调查"))
    reason = (f"近一年征集调查 {len(recent)} 次（目标 {s['survey_target_activities']} 次）；已到期 {len(due)} 次中"
              f"{len(with_results)} 次公开了结果；涉及重大决策 {len(major)} 次；在线参与"
              f"{'有' if parts['participation'] else '无'}；得分率 {score:.0%}")
    rows = [{"标题": v.title, "开始": str(v.start or "—"), "结束": str(v.end or "—"), "状态": _state(v, ctx.as_of, s),
             "结果公开": "是" if v.results else "否", "采纳情况": "是" if v.adoption else "否",
             "重大决策": "是" if v.major_decision else "否", "在线参与": "是" if v.participation else "否",
             "页面": v.url} for v in found]
    return ctx.result(score=round(score, 4), reason=reason, findings=findings,
                      details={"征集调查": rows[: s["max_table_rows"]]})
