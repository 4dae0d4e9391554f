"""链接可用性: broken links anywhere on the crawled pages, with the rule's deductions."""

from __future__ import annotations

from collections import defaultdict

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding
from auditkit.urls import is_http

KIND_NAMES = {"a": "链接", "img": "图片", "script": "脚本", "stylesheet": "样式表", "iframe": "内嵌页面",
              "other": "资源"}


@check(
    id="ops.broken_links",
    title="链接可用性（断链、错链）",
    indicators=["运维保障/日常运维", "功能设计推广/运维保障"],
    needs=["pages", "resources"],
)
def broken_links(ctx: CheckContext) -> CheckResult:
    """Every link, image, script, stylesheet and attachment on the crawled pages,
    each target checked once; −1 point per broken link on the home page and −0.1
    per broken link elsewhere (国办秘函〔2019〕19号)."""
    snapshot = ctx.snapshot
    home_urls = {snapshot.start_url}
    if snapshot.home and snapshot.home.final_url:
        home_urls.add(snapshot.home.final_url)
    appearances: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    checked: set[str] = set()
    unchecked: set[str] = set()
    for page in snapshot.html_pages():
        for link in page.links:
            if not is_http(link.url):
                continue
            status = snapshot.link_status(link.url)
            if status is None or status.skipped:
                unchecked.add(link.url)
                continue
            checked.add(link.url)
            if not status.ok:
                appearances[link.url].append((page.url, link.text or link.alt or "", link.kind))
    findings: list[Finding] = []
    on_home = 0
    for target, places in sorted(appearances.items()):
        status = snapshot.link_status(target)
        assert status is not None
        home_hit = any(page in home_urls for page, _, _ in places)
        on_home += home_hit
        problem = f"HTTP {status.status}" if status.status else (status.error or "无响应")
        kind = KIND_NAMES.get(places[0][2], "链接")
        limit = ctx.settings["max_pages_per_broken_link"]
        findings.append(Finding(
            severity="serious" if home_hit else "moderate",
            message=f"{'首页' if home_hit else ''}{kind}无法访问（{problem}）：{target}",
            url=next((p for p, _, _ in places if p in home_urls), places[0][0]),
            evidence=Evidence(
                snippet=places[0][1] or None,
                values={"target": target, "status": status.status, "error": status.error,
                        "appears_on": sorted({p for p, _, _ in places})[:limit],
                        "anchor_texts": sorted({t for _, t, _ in places if t})[:limit]},
            ),
        ))
    elsewhere = len(findings) - on_home
    deduction = on_home * ctx.settings["home_broken_link_deduction"] + \
        elsewhere * ctx.settings["other_broken_link_deduction"]
    reason = (f"检查了 {len(checked)} 个链接目标，发现 {len(findings)} 个断链"
              f"（首页 {on_home} 个，其他页面 {elsewhere} 个），共扣 {deduction:.1f} 分")
    if unchecked:
        reason += f"；{len(unchecked)} 个链接未检查（离线模式、外链限制或爬虫陷阱）"
    return ctx.result(
        deduction=round(deduction, 2),
        reason=reason,
        findings=findings,
        details={"checked": len(checked), "broken": len(findings), "broken_on_home": on_home,
                 "unchecked": len(unchecked)},
    )
