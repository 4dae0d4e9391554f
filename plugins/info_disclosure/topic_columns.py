"""业务专栏: special-topic columns (专题专栏) — found, current, reporting progress, and bringing
together the policies, services, knowledge and interaction of their subject."""

from __future__ import annotations

from datetime import date
from typing import Any

from auditkit import CheckContext, check
from auditkit.columns import Candidate, ColumnMap, discover, normalize_name
from auditkit.models import CheckResult, Evidence, Finding
from auditkit.snapshot import Snapshot

RESOURCE_NAMES = {"policy": "政策", "service": "服务", "knowledge": "知识", "interaction": "互动"}


def special_topics(cmap: ColumnMap, words: list[str]) -> tuple[list[Candidate], list[Candidate]]:
    """(index pages of special topics, the special topics): what the 专题专栏 index links to, and every
    column whose own name says 专题/专栏."""
    match = cmap.topic("topic_columns")
    indexes = [c for url in ([match.url] if match.found else []) + match.alternatives
               if (c := cmap.candidate(url)) and any(normalize_name(n) in cmap.rules.topics["topic_columns"].synonyms
                                                     for n in c.names)]
    index_urls = {c.url for c in indexes}
    topics: dict[str, Candidate] = {}
    for index in indexes:
        for child in index.children:
            if (candidate := cmap.candidate(child.url)) and candidate.url not in index_urls:
                topics.setdefault(candidate.url, candidate)
    for candidate in cmap.candidates.values():
        if candidate.url not in index_urls and candidate.kind != "link" and \
                any(w in normalize_name(n) for n in candidate.names[:1] for w in words):
            topics.setdefault(candidate.url, candidate)
    return indexes, list(topics.values())


def _resources(candidate: Candidate, snapshot: Snapshot, kinds: dict[str, list[str]]) -> dict[str, list[str]]:
    """Kind → link texts of that kind on the topic's page and on the pages of its items."""
    found: dict[str, list[str]] = {kind: [] for kind in kinds}
    urls = [candidate.url] + [item.url for item in candidate.items]
    for url in urls:
        page = snapshot.page(url)
        for link in page.links if page else []:
            for kind, words in kinds.items():
                if link.kind == "a" and link.region == "body" and any(w in link.text for w in words) \
                        and link.text not in found[kind]:
                    found[kind].append(link.text)
    return found


def _age(candidate: Candidate, as_of: date) -> int | None:
    return (as_of - candidate.newest).days if candidate.newest else None


@check(id="info_disclosure.topic_columns", title="业务专栏（专题专栏）", indicators=["信息发布/业务专栏"])
def topic_columns(ctx: CheckContext) -> CheckResult:
    """Special-topic columns (政府工作报告重点任务、疫情防控、“六稳六保”等): whether there are any, whether
    each is updated, reports work progress (进展、推进、落实…) and links the subject's policies, services,
    knowledge and interaction. A special-topic link that does not open counts as a topic with nothing in it."""
    settings = ctx.settings
    if next(ctx.snapshot.html_pages(), None) is None:
        return ctx.needs_review("没有可读取的页面，无法判断专题专栏")
    cmap = discover(ctx.snapshot)
    weights, window = settings["topic_column_weights"], settings["topic_column_window_days"]
    indexes, topics = special_topics(cmap, settings["topic_column_words"])
    findings: list[Finding] = []
    broken = sorted({url for url in cmap.structure.failed for label in cmap.structure.labels.get(url, ())
                     if any(w in label for w in settings["topic_column_words"])})
    rows: list[dict[str, Any]] = []
    for topic in topics:
        age = _age(topic, ctx.as_of)
        progress = [i.label for i in topic.items if any(w in i.label for w in settings["progress_words"])]
        resources = _resources(topic, ctx.snapshot, settings["resource_words"])
        kinds = [k for k, v in resources.items() if v]
        rows.append({"名称": topic.names[0] if topic.names else "", "地址": topic.url, "信息条数": topic.item_count,
                     "最新日期": topic.newest.isoformat() if topic.newest else None, "距今天数": age,
                     "工作进展": len(progress), "整合资源": [RESOURCE_NAMES[k] for k in kinds],
                     "按时更新": age is not None and age <= window})
        name = topic.names[0] if topic.names else topic.url
        if age is None or age > window:
            findings.append(Finding(severity="moderate", url=topic.url,
                                    message=f"专题「{name}」" + (f"最新信息已 {age} 天未更新（应在 {window} 天内）"
                                                                if age is not None else "没有带日期的信息")))
        missing = [k for k in resources if k not in kinds]
        if missing:
            findings.append(Finding(severity="minor", url=topic.url,
                                    message=f"专题「{name}」未整合{'、'.join(RESOURCE_NAMES[k] for k in missing)}资源",
                                    evidence=Evidence(values={"found": resources})))
    if not topics:
        findings.append(Finding(severity="serious", url=indexes[0].url if indexes else None,
                                message="未找到可访问的专题专栏"))
        score = 0.0
    else:
        count = len(rows) + len(broken)  # a special topic that does not open has nothing to offer
        score = (weights["present"]
                 + weights["current"] * sum(r["按时更新"] for r in rows) / count
                 + weights["progress"] * sum(r["工作进展"] > 0 for r in rows) / count
                 + weights["resources"] * sum(len(r["整合资源"]) for r in rows) / (count * len(
                     settings["resource_words"])))
    reason = (f"找到专题专栏 {len(rows)} 个" + (f"（{'、'.join(r['名称'] for r in rows)}）" if rows else "")
              + f"；按时更新 {sum(r['按时更新'] for r in rows)} 个，发布工作进展的 "
              f"{sum(r['工作进展'] > 0 for r in rows)} 个")
    if broken:
        # counted as special topics that offer nothing; the broken links themselves are ops.broken_links'
        reason += f"；另有打不开的专题链接 {len(broken)} 个（计为无内容的专题，断链见链接可用性检查）"
    return ctx.result(score=round(score, 4), reason=reason, findings=findings,
                      details={"专题专栏首页": [c.url for c in indexes], "专题": rows, "打不开的专题链接": broken})
