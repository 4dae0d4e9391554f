"""互动知识库 (development zones) and 在线访谈: found by link text and page title, judged
by the dated lists on their pages. Column discovery (``auditkit.columns.site_structure``)
should later name these columns; today their entry links and titles do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from auditkit import CheckContext, check
from auditkit.columns import list_groups, main_list
from auditkit.models import CheckResult, Finding, PageRecord
from auditkit.snapshot import Snapshot
from auditkit_plugins.services.reach import find_links, page_titles


@dataclass
class Area:
    """The pages of one interaction feature (a knowledge base, an interview column)."""

    entries: list[tuple[str, str]]  # (link text, URL) of links leading to it
    pages: list[PageRecord]
    dates: list[date]  # the dates of the items its lists show, newest first
    items: int


def find_area(snapshot: Snapshot, words: list[str], settings: dict[str, Any]) -> Area:
    """Pages whose title names the feature, or that a link naming it leads to, with their list items."""
    limit = settings["entry_max_chars"]
    entries = find_links(snapshot, words, max_chars=limit)
    urls = [url for url, title in page_titles(snapshot) if any(w in title for w in words) and len(title) <= limit]
    pages: dict[str, PageRecord] = {}
    for url in urls + [link.url for link in entries]:
        page = snapshot.page(url)
        if page is not None and page.ok and page.html:
            pages.setdefault(page.url, page)
    dates: list[date] = []
    items: set[str] = set()
    for page in pages.values():
        tree = snapshot.parse(page.url)
        main = main_list(list_groups(tree, page.final_url or page.url, snapshot.as_of,
                                     settings["list_layout_hints"])) if tree else None
        for item in main.items if main else []:
            items.add(item.url)
            if item.date and item.date <= snapshot.as_of:
                dates.append(item.date)
    return Area([(link.text, link.url) for link in entries], list(pages.values()),
                sorted(set(dates), reverse=True), len(items))


def _weighted(parts: dict[str, float], weights: dict[str, float]) -> float:
    return sum(weights[k] * v for k, v in parts.items()) / sum(weights.values())


@check(id="interaction.knowledge_base", title="互动知识库（开发区）", indicators=["互动交流参与/互动知识库"])
def knowledge_base(ctx: CheckContext) -> CheckResult:
    """A Q&A library (知识库, 常见问题, 热点问答) built from policy, service and handling questions:
    found, classified by topic (category links or headings), sorted by attention (热度, 浏览),
    and updated recently. Score = weighted parts (settings knowledge_weights)."""
    s = ctx.settings
    area = find_area(ctx.snapshot, s["knowledge_words"], s)
    if not area.pages:
        if area.entries:
            return ctx.needs_review(f"互动知识库入口指向未抓取的页面（{area.entries[0][1]}），请人工核查")
        return ctx.result(score=0.0, reason="未找到互动知识库（常见问题、热点问答等）",
                          findings=[Finding(severity="serious", url=ctx.snapshot.start_url,
                                            message="网站未建设互动知识库")])
    categories: set[str] = set()
    popularity = False
    prefixes = {urlsplit(p.url).path.rsplit("/", 1)[0] for p in area.pages}
    for page in area.pages:
        for link in page.links:
            short = 2 <= len(link.text) <= s["knowledge_category_max_chars"]
            if link.region == "body" and short and urlsplit(link.url).path.startswith(tuple(prefixes)) \
                    and not any(w in link.text for w in s["knowledge_words"]):
                categories.add(link.text)
        tree = ctx.snapshot.parse(page.url)
        categories |= {h.text(strip=True) for h in tree.css("h2, h3, h4")
                       if 2 <= len(h.text(strip=True)) <= s["knowledge_category_max_chars"]} if tree else set()
        popularity = popularity or any(w in page.text for w in s["knowledge_popularity_words"])
    newest = area.dates[0] if area.dates else None
    recent = newest is not None and (ctx.as_of - newest).days <= s["knowledge_recent_days"]
    parts = {"found": 1.0, "categories": min(len(categories) / s["knowledge_min_categories"], 1.0),
             "recent": float(recent), "popularity": float(popularity)}
    score = _weighted(parts, s["knowledge_weights"])
    findings: list[Finding] = []
    if len(categories) < s["knowledge_min_categories"]:
        findings.append(Finding(severity="moderate", url=area.pages[0].url, message="互动知识库未按主题分类"))
    if not recent:
        findings.append(Finding(severity="moderate", url=area.pages[0].url,
                                message=f"互动知识库近 {s['knowledge_recent_days']} 天未更新"
                                        f"（最新 {newest or '无日期'}）"))
    reason = (f"互动知识库 {len(area.pages)} 个页面、{area.items} 条问答；分类 {len(categories)} 个；"
              f"最新 {newest or '无日期'}；按关注度排序{'有' if popularity else '无'}；得分率 {score:.0%}")
    return ctx.result(score=round(score, 4), reason=reason, findings=findings, details={
        "页面": [p.url for p in area.pages][: s["max_table_rows"]], "分类": sorted(categories),
        "问答条数": area.items, "最新日期": str(newest or "—")})


@check(id="interaction.online_interview", title="在线访谈", indicators=["政策解读回应/热点回应"])
def online_interview(ctx: CheckContext) -> CheckResult:
    """The 在线访谈 column: found, current (newest interview within the window) and held often
    enough in the last year. Evidence for 互动交流 and for 热点回应 (回应关切)."""
    s = ctx.settings
    area = find_area(ctx.snapshot, s["interview_words"], s)
    if not area.pages:
        if area.entries:
            return ctx.needs_review(f"在线访谈入口指向未抓取的页面（{area.entries[0][1]}），请人工核查")
        return ctx.result(score=0.0, reason="未找到在线访谈栏目",
                          findings=[Finding(severity="moderate", url=ctx.snapshot.start_url,
                                            message="网站未开设在线访谈栏目")])
    newest = area.dates[0] if area.dates else None
    current = newest is not None and (ctx.as_of - newest).days <= s["interview_current_days"]
    year = [d for d in area.dates if d >= ctx.as_of - timedelta(days=365)]
    parts = {"found": 1.0, "current": float(current),
             "count": min(len(year) / s["interview_target_per_year"], 1.0)}
    score = _weighted(parts, s["interview_weights"])
    findings = [] if current else [Finding(
        severity="moderate", url=area.pages[0].url,
        message=f"在线访谈近 {s['interview_current_days']} 天无新访谈（最新 {newest or '无日期'}）")]
    reason = (f"在线访谈栏目 {len(area.pages)} 个页面；最新访谈 {newest or '无日期'}；近一年 {len(year)} 期"
              f"（目标 {s['interview_target_per_year']} 期）；得分率 {score:.0%}")
    return ctx.result(score=round(score, 4), reason=reason, findings=findings, details={
        "页面": [p.url for p in area.pages][: s["max_table_rows"]], "最新访谈": str(newest or "—"),
        "近一年期数": len(year)})
