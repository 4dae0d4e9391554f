"""数据同源: the same notices and policies, wherever the crawl meets them — the portal, its
mobile version, department sites — carry the same titles and dates, and the other versions
keep up with the portal.

Each list column the crawl found belongs to a version by its address (a mobile host or path,
another host of the site or a department path, else the portal). An item listed under one
title in two versions must have one date; a version's column that shares items with a portal
column must not miss the portal's newer items. New media (微信, 微博) and apps are outside
what a crawl of the web channels sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from auditkit import CheckContext, check
from auditkit.columns import SiteColumn, site_structure
from auditkit.models import CheckResult, CheckStatus, Evidence, Finding

PORTAL = "门户网站"
_SPACE = re.compile(r"\s+")


def version_of(url: str, portal_host: str, settings: dict[str, Any]) -> str:
    parts = urlsplit(url)
    host, path = parts.hostname or "", parts.path or "/"
    if any(host.startswith(prefix) for prefix in settings["mobile_host_prefixes"]) or \
            any(path.startswith(prefix) for prefix in settings["mobile_path_prefixes"]):
        return "手机版"
    if host != portal_host:
        return f"部门网站 {host}"
    for prefix in settings["department_path_prefixes"]:
        if path.startswith(prefix):
            section = path[len(prefix):].split("/", 1)[0]
            return f"部门网站 {prefix}{section}/"
    return PORTAL


@dataclass
class Listed:
    title: str
    date: date | None
    url: str
    column: str


def _title(label: str) -> str:
    return _SPACE.sub("", label)


def _listed(column: SiteColumn) -> list[Listed]:
    return [Listed(_title(i.label), i.date, i.url, column.url) for i in column.items if i.label]


@check(id="digital_gov.same_source", title="数据同源（门户、手机版、部门网站同一信息的标题与日期一致、同步更新）",
       indicators=["数据支撑度/数据同源/数据同源"])
def same_source(ctx: CheckContext) -> CheckResult:
    """门户网站、政务服务平台与部门网站数据同源; 门户网站与移动端资源一致: an item listed in two
    versions has one date, and versions keep up with the portal's newer items. Whether 政务新媒体
    and apps show the same needs a person with a phone."""
    settings = ctx.settings
    structure = site_structure(ctx.snapshot)
    by_version: dict[str, list[SiteColumn]] = {}
    for column in structure.columns:
        if column.items:
            by_version.setdefault(version_of(column.url, ctx.snapshot.host, settings), []).append(column)
    others = sorted(v for v in by_version if v != PORTAL)
    if PORTAL not in by_version or not others:
        return ctx.needs_review("抓取范围内只有门户网站自身的栏目（未到达手机版或部门网站），无法比对数据同源")
    portal_titles: dict[str, list[Listed]] = {}
    for column in by_version[PORTAL]:
        for item in _listed(column):
            portal_titles.setdefault(item.title, []).append(item)
    tolerance = timedelta(days=settings["sync_tolerance_days"])
    limit = settings["max_evidence_entries"]
    findings: list[Finding] = []
    compared = consistent = lagging = 0
    rows: list[dict[str, Any]] = []
    for version in others:
        for column in by_version[version]:
            items = _listed(column)
            shared_columns: set[str] = set()
            for item in items:
                twins = portal_titles.get(item.title)
                if not twins:
                    continue
                compared += 1
                shared_columns.update(t.column for t in twins)
                portal_dates = {t.date for t in twins if t.date}
                if item.date is None or not portal_dates or item.date in portal_dates:
                    consistent += 1
                    continue
                findings.append(Finding(
                    severity="moderate", url=item.url,
                    message=f"「{item.title}」在{version}与门户网站日期不一致",
                    evidence=Evidence(values={"version_date": item.date.isoformat(),
                                              "portal_dates": sorted(d.isoformat() for d in portal_dates),
                                              "portal_urls": [t.url for t in twins][:limit]})))
            newest = max((i.date for i in items if i.date), default=None)
            titles = {i.title for i in items}
            missed = [p for c in by_version[PORTAL] if c.url in shared_columns for p in _listed(c)
                      if newest and p.date and p.date > newest + tolerance and p.title not in titles]
            lagging += len(missed)
            if missed:
                findings.append(Finding(
                    severity="moderate", url=column.url,
                    message=f"{version}栏目未同步门户网站的 {len(missed)} 条较新信息",
                    evidence=Evidence(values={"version_newest": newest.isoformat() if newest else None,
                                              "missing": [f"{m.date}: {m.title}" for m in missed[:limit]]})))
            rows.append({"版本": version, "栏目": column.url, "信息条数": len(items),
                         "与门户同名": sum(i.title in portal_titles for i in items),
                         "最新日期": newest.isoformat() if newest else None, "未同步": len(missed)})
    if not compared:
        return ctx.result(status=CheckStatus.NEEDS_MANUAL_REVIEW, reason=(
            f"到达了{'、'.join(others)}，但其栏目与门户网站没有同名信息，无法比对"), details={"栏目": rows})
    score = consistent / (compared + lagging)
    reason = (f"比对了{'、'.join(others)}的 {compared} 条与门户同名的信息：{consistent} 条标题日期一致，"
              f"{compared - consistent} 条日期不一致；另有 {lagging} 条门户较新信息未同步；"
              "政务新媒体与 App 的一致性需人工核对")
    return ctx.result(score=round(score, 4), reason=reason, findings=findings, details={"栏目": rows})
