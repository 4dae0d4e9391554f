"""政府信息公开平台 (国办公开办函〔2019〕61号): the platform, its first-level columns and their names,
annual reports for recent years, search and download, and columns that copy rather than share."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from auditkit import CheckContext, check
from auditkit.columns import ColumnMap, discover, normalize_name
from auditkit.models import CheckResult, Evidence, Finding
from auditkit.snapshot import Snapshot
from auditkit.urls import has_extension

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
PART_NAMES = {"platform": "平台", "columns": "一级栏目在平台内", "names": "栏目名称规范", "annual_reports": "年度报告",
              "search": "检索", "download": "下载", "same_source": "同源"}


def due_years(as_of: date, due: str, count: int) -> list[int]:
    """The years whose annual report must be out by ``as_of`` (newest first)."""
    month, day = (int(x) for x in due.split("-"))
    last = as_of.year - 1 if as_of >= date(as_of.year, month, day) else as_of.year - 2
    return [last - i for i in range(count)]


def report_years(cmap: ColumnMap, snapshot: Snapshot, words: list[str]) -> dict[int, str]:
    """Year → URL of every 政府信息公开 annual report seen: listed in the report column (or a twin), or crawled."""
    match = cmap.topic("annual_report")
    titled: list[tuple[str, str]] = []
    for url in ([match.url] if match.found else []) + match.alternatives:
        candidate = cmap.candidate(url)
        titled += [(item.label or item.text, item.url) for item in (candidate.items if candidate else [])]
    titled += [(info.title, info.url) for info in cmap.structure.pages.values()]
    years: dict[int, str] = {}
    for title, url in titled:
        if "公开" in title and any(w in title for w in words) and (year := _YEAR.search(title)):
            years.setdefault(int(year.group(1)), url)
    return years


def _has_search(snapshot: Snapshot, urls: list[str]) -> str | None:
    """The first of ``urls`` whose page holds a search form (a form with a text box)."""
    for url in urls:
        tree = snapshot.parse(url)
        if tree is None:
            continue
        for form in tree.css("form"):
            boxes = [i for i in form.css("input") if (i.attributes.get("type") or "text").lower() in ("text", "search")]
            if boxes:
                return url
    return None


@check(id="info_disclosure.disclosure_platform", title="政府信息公开平台（国办公开办函〔2019〕61号）",
       indicators=["信息发布/政府信息公开平台"])
def disclosure_platform(ctx: CheckContext) -> CheckResult:
    """The 政府信息公开 platform is found; its first-level columns (公开指南、公开制度、法定主动公开内容、
    公开年报) are inside it and named as 61号 names them; annual reports of the last three due years
    are there; the platform offers search and downloads; a column shown both on and off the platform
    lists the same pages (同源), not copies."""
    settings = ctx.settings
    if next(ctx.snapshot.html_pages(), None) is None:
        return ctx.needs_review("没有可读取的页面，无法判断政府信息公开平台")
    cmap = discover(ctx.snapshot)
    weights = settings["platform_weights"]
    findings: list[Finding] = []
    parts: dict[str, float] = {}
    platform = cmap.platform
    platform_match = cmap.topic("disclosure_platform")
    if platform is None:
        findings.append(Finding(severity="serious", message="未找到政府信息公开平台（政府信息公开专栏）"))
        parts["platform"] = 0.0
    else:
        parts["platform"] = 1.0

    columns = [cmap.rules.topics[t] for t in settings["platform_columns"]]
    table = []
    inside = named = 0
    for topic in columns:
        match = cmap.topic(topic.id)
        candidate = cmap.candidate(match.url) if match.found else None
        standard = candidate is not None and any(normalize_name(n) == normalize_name(topic.name)
                                                 for n in candidate.names)
        table.append(match.row() | {"名称规范": standard})
        if not match.found:
            findings.append(Finding(severity="serious", message=f"政府信息公开平台缺少「{topic.name}」栏目"))
            continue
        inside += match.in_platform
        named += standard
        if not match.in_platform and platform is not None:
            findings.append(Finding(severity="moderate", url=match.url,
                                    message=f"「{topic.name}」栏目（「{match.name_found}」）不在政府信息公开平台内"))
        if not standard:
            findings.append(Finding(severity="minor", url=match.url,
                                    message=f"栏目名称「{match.name_found}」不规范，应为「{topic.name}」"))
    parts["columns"] = inside / len(columns)
    parts["names"] = named / len(columns)

    wanted = due_years(ctx.as_of, settings["annual_report_due"], settings["annual_report_years"])
    years = report_years(cmap, ctx.snapshot, settings["annual_report_title_words"])
    missing_years = [y for y in wanted if y not in years]
    parts["annual_reports"] = (len(wanted) - len(missing_years)) / len(wanted) if wanted else 1.0
    report_url = cmap.topic("annual_report").url
    month, day = (int(x) for x in settings["annual_report_due"].split("-"))
    for year in missing_years:
        due = f"应于 {year + 1} 年 {month} 月 {day} 日前发布"
        findings.append(Finding(severity="moderate", url=report_url,
                                message=f"缺少 {year} 年政府信息公开工作年度报告（{due}）"))

    members = sorted(cmap.platform_members | ({platform.url} if platform else set()))
    search_on = _has_search(ctx.snapshot, members)
    parts["search"] = 1.0 if search_on else 0.0
    downloads = sorted({link.url for url in members if (page := ctx.snapshot.page(url))
                        for link in page.links if has_extension(link.url, settings["download_extensions"])})
    parts["download"] = 1.0 if downloads else 0.0
    if platform is not None and not search_on:
        findings.append(Finding(severity="moderate", url=platform.url, message="政府信息公开平台页面未提供检索功能"))
    if platform is not None and not downloads:
        findings.append(Finding(severity="minor", url=platform.url, message="政府信息公开平台页面上没有可下载的文件"))

    twins = cmap.duplicates([t.id for t in cmap.rules.topics_in("local") + cmap.rules.topics_in("ministry")])
    copies = [d for d in twins if not d.same_source]
    parts["same_source"] = 1.0 - len(copies) / len(twins) if twins else 1.0
    for twin in copies:
        findings.append(Finding(severity="moderate", url=twin.second,
                                message=f"「{cmap.rules.topics[twin.topic].name}」在两处栏目重复发布，"
                                        f"{twin.shared_titles} 条同名信息中 {twin.shared_titles - twin.shared_urls} "
                                        "条地址不同（数据不同源）",
                                evidence=Evidence(values={"first": twin.first, "second": twin.second})))

    score = sum(weights[k] * v for k, v in parts.items())
    reason = (f"政府信息公开平台：{'「' + (platform_match.name_found or '') + '」' if platform else '未找到'}；"
              f"一级栏目在平台内 {inside}/{len(columns)} 个、名称规范 {named}/{len(columns)} 个；"
              f"年度报告 {', '.join(str(y) for y in wanted)} 年中缺 {len(missing_years)} 份；"
              f"检索{'有' if search_on else '无'}，下载{'有' if downloads else '无'}；"
              f"两处发布的栏目 {len(twins)} 组，其中不同源 {len(copies)} 组")
    details: dict[str, Any] = {
        "政府信息公开平台": platform.url if platform else None, "一级栏目": table,
        "年度报告": {"应有年份": wanted, "已有": {str(y): u for y, u in sorted(years.items())}, "缺少": missing_years},
        "检索页面": search_on, "可下载文件": downloads[: settings["max_evidence_urls"]],
        "两处发布的栏目": [cmap.duplicate_row(d) for d in twins],
        "分项得分": {PART_NAMES[k]: round(v, 3) for k, v in parts.items()},
    }
    return ctx.result(score=round(score, 4), reason=reason, findings=findings, details=details)
