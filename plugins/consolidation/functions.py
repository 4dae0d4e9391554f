"""平台功能 and 资源调用共享互认: what a crawler sees of a consolidated platform — one search for every
part of the site, one login, one interaction platform, and content shown in several places coming
from one source (the same pages, not copies)."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

from auditkit import CheckContext, check
from auditkit.columns import discover
from auditkit.entries import system_of
from auditkit.models import CheckResult, Evidence, Finding
from auditkit.urls import is_http, normalize

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
_ACTION = re.compile(r"""\baction\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_TEXT_BOX = re.compile(r"""<input\b(?![^>]*type\s*=\s*["']?(?:hidden|submit|button|image|checkbox|radio|password)\b)""",
                       re.IGNORECASE)
_TEXTAREA = re.compile(r"<textarea\b", re.IGNORECASE)


def search_actions(html: str, base: str) -> list[str]:
    """Where the page's search forms (a text box, no text area) send their query."""
    actions = []
    for attributes, body in _FORM.findall(html):
        if _TEXT_BOX.search(body) and not _TEXTAREA.search(body):
            action = (m.group(1) if (m := _ACTION.search(attributes)) else "") or base
            url = urljoin(base, action)
            if is_http(url):
                parts = urlsplit(normalize(url))
                actions.append(f"{parts.scheme}://{parts.netloc}{parts.path}")
    return actions


@check(id="consolidation.platform_functions", title="集约化平台功能（统一搜索、统一身份认证、统一互动）",
       indicators=["集约共享/平台功能"])
def platform_functions(ctx: CheckContext) -> CheckResult:
    """Every part of the site (portal, 公开 platform, service and interaction sections) searches
    through one search; logins lead to one identity system (统一身份认证); the interaction channels
    (留言、信箱、咨询) are one platform. Whether the search also covers sub-sites needs a person."""
    settings = ctx.settings
    segments = settings["system_path_segments"]
    search_pages: dict[str, list[str]] = {}
    logins: dict[str, set[str]] = {}
    channels: dict[str, set[str]] = {}
    pages = 0
    for page in ctx.snapshot.html_pages():
        pages += 1
        for action in search_actions(page.html, page.final_url or page.url):
            search_pages.setdefault(action, []).append(page.url)
        for link in page.links:
            if link.kind != "a" or not is_http(link.url) or len(link.text) > settings["max_label_chars"]:
                continue
            if any(w in link.text for w in settings["login_words"]):
                logins.setdefault(system_of(link.url, segments), set()).add(link.url)
            elif any(w in link.text for w in settings["interaction_words"]):
                channels.setdefault(system_of(link.url, segments), set()).add(link.url)
    if not pages:
        return ctx.needs_review("没有可读取的页面，无法判断集约化平台功能")
    weights, limit = settings["platform_weights"], settings["max_evidence_urls"]
    findings: list[Finding] = []
    with_search = len({u for urls in search_pages.values() for u in urls})
    main_action, main_count = Counter({a: len(set(u)) for a, u in search_pages.items()}).most_common(1)[0] \
        if search_pages else ("", 0)
    search_share = main_count / with_search if with_search else 0.0
    if not search_pages:
        findings.append(Finding(severity="serious", message="网站没有站内搜索"))
    elif search_share < settings["search_unified_share"]:
        findings.append(Finding(severity="moderate", url=main_action,
                                message=f"站内搜索不统一：{len(search_pages)} 个不同的搜索入口",
                                evidence=Evidence(values={"actions": sorted(search_pages)[:limit]})))
    login_score = 0.0 if not logins else 1.0 if len(logins) == 1 else 0.5
    if not logins:
        findings.append(Finding(severity="moderate", message="未见统一身份认证（登录）入口"))
    elif len(logins) > 1:
        findings.append(Finding(severity="moderate", message=f"登录入口分属 {len(logins)} 个系统，未统一身份认证",
                                evidence=Evidence(values={"systems": sorted(logins)})))
    main_channel = max(channels.items(), key=lambda kv: len(kv[1]), default=("", set()))
    total_channels = sum(len(v) for v in channels.values())
    interaction_score = len(main_channel[1]) / total_channels if total_channels else 0.0
    if not channels:
        findings.append(Finding(severity="moderate", message="未见互动交流（留言、信箱、咨询）入口"))
    elif len(channels) > 1:
        findings.append(Finding(severity="minor", message=f"互动入口分属 {len(channels)} 个系统",
                                evidence=Evidence(values={"systems": {k: sorted(v)[:limit]
                                                                      for k, v in channels.items()}})))
    score = (weights["search"] * (1.0 if search_share >= settings["search_unified_share"] else search_share)
             + weights["login"] * login_score + weights["interaction"] * interaction_score)
    reason = (f"站内搜索：{with_search}/{pages} 个页面有搜索框，{search_share:.0%} 使用同一搜索入口；"
              f"登录入口 {len(logins)} 个系统；互动入口 {len(channels)} 个系统；搜索是否覆盖下级网站需人工检查")
    return ctx.result(score=round(score, 4), reason=reason, findings=findings, details={
        "搜索入口": {a: len(set(u)) for a, u in search_pages.items()}, "主要搜索入口": main_action or None,
        "登录系统": {k: sorted(v)[:limit] for k, v in logins.items()},
        "互动系统": {k: sorted(v)[:limit] for k, v in channels.items()}})


@check(id="consolidation.shared_sources", title="资源调用共享互认（多处发布的信息是否同源）",
       indicators=["集约共享/资源调用共享互认", "数据支撑度/数据同源/数据同源"])
def shared_sources(ctx: CheckContext) -> CheckResult:
    """Content shown in several places — a topic column on the portal and on the 公开 platform, a home
    page block and its column — should be the same pages called up from one source, not copies at
    other addresses. Whether the data match the source site or system needs a person."""
    if next(ctx.snapshot.html_pages(), None) is None:
        return ctx.needs_review("没有可读取的页面，无法判断信息是否同源")
    cmap = discover(ctx.snapshot)
    twins = cmap.duplicates(list(cmap.rules.topics))
    by_title: dict[str, set[str]] = {}
    for candidate in cmap.candidates.values():
        for item in candidate.items:
            if item.label:
                by_title.setdefault(item.label, set()).add(item.url)
    home = ctx.snapshot.home
    home_items = [link for link in home.links if link.kind == "a" and link.text in by_title] if home else []
    copies = [(link.text, link.url, sorted(by_title[link.text])) for link in home_items
              if link.url not in by_title[link.text]]
    compared = len(twins) + len(home_items)
    if not compared:
        return ctx.needs_review("没有在多处发布的栏目或信息可供比较，无法判断是否同源")
    different = [d for d in twins if not d.same_source]
    findings = [Finding(severity="moderate", url=d.second,
                        message=f"「{cmap.rules.topics[d.topic].name}」两处栏目的同名信息地址不同（复制而非调用）",
                        evidence=Evidence(values={"first": d.first, "second": d.second,
                                                  "shared_titles": d.shared_titles, "same_urls": d.shared_urls}))
                for d in different]
    findings += [Finding(severity="minor", url=url, message=f"首页信息「{title}」与栏目中的同名信息地址不同",
                         evidence=Evidence(values={"column_urls": others})) for title, url, others in copies]
    score = 1.0 - (len(different) + len(copies)) / compared
    reason = (f"比较了 {len(twins)} 组同一主题的栏目和 {len(home_items)} 条首页信息：不同源 "
              f"{len(different)} 组、{len(copies)} 条；与内容来源网站或系统是否同源需人工核对")
    return ctx.result(score=round(max(score, 0.0), 4), reason=reason, findings=findings, details={
        "同一主题的两处栏目": [cmap.duplicate_row(d) for d in twins],
        "比较的首页信息": len(home_items), "首页复制信息": len(copies)})
