"""栏目更新 and 首页更新: column and home-page freshness from the dated lists the crawler saw.

Veto items 栏目不更新 and 首页不更新 and the deduction 首页栏目更新 of 国办秘函〔2019〕19号
(standards §1). A column is a crawled page whose body holds a list of dated item
links, or an empty column that says so (暂无信息) and is reached from the navigation.
Telling list pages from articles is the core's (``auditkit.columns``, shared with column
discovery and ``serious_errors``); this module judges the columns it finds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from auditkit import CheckContext, check, columns
from auditkit.columns import ListItem, PageRole, StructureRules, default_rules, list_groups, site_structure
from auditkit.models import CheckResult, Evidence, Finding, PageRecord, VetoHit

KIND_NAMES = {"news": "动态要闻类", "notice": "通知公告、政策文件类", "should_update": "应更新栏目",
              "static": "无需定期更新"}
STATUS_NAMES = {"fresh": "按时更新", "stale": "超期未更新", "long_stale": "长期未更新", "empty": "空白栏目",
                "exempt": "无需定期更新"}


def structure_rules(settings: dict[str, Any]) -> StructureRules:
    """The core's list-detection rules, with any ``freshness_<key>`` this plugin's settings override."""
    base = default_rules().structure
    overrides = {key: settings[f"freshness_{key}"] for key in StructureRules.model_fields
                 if f"freshness_{key}" in settings}
    return base.model_copy(update=overrides) if overrides else base


def page_role(page: PageRecord, tree: LexborHTMLParser, settings: dict[str, Any], as_of: date) -> PageRole:
    """The core's page analysis under this plugin's settings."""
    return columns.page_role(page, tree, structure_rules(settings), as_of)


def column_key(url: str, settings: dict[str, Any]) -> str:
    return columns.column_key(url, structure_rules(settings))


def column_kind(name: str, settings: dict[str, Any]) -> tuple[str, int | None]:
    """(kind, window in days) by the column's name; static columns have no window."""
    if any(word in name for word in settings["freshness_static_keywords"]):
        return "static", None
    if any(word in name for word in settings["freshness_news_keywords"]):
        return "news", settings["freshness_news_window_days"]
    if any(word in name for word in settings["freshness_notice_keywords"]):
        return "notice", settings["freshness_notice_window_days"]
    return "should_update", settings["freshness_long_window_days"]


# --- column freshness -----------------------------------------------------------


@dataclass
class Column:
    url: str
    name: str
    kind: str
    window: int | None
    items: int = 0
    newest: date | None = None
    future_items: int = 0
    marker: str = ""  # the empty column's own words (暂无信息)
    status: str = ""
    age_days: int | None = None


def _judge(column: Column, as_of: date) -> None:
    column.age_days = (as_of - column.newest).days if column.newest else None
    if column.marker and not column.items:
        column.status = "empty"
    elif column.window is None:
        column.status = "exempt"
    elif column.age_days is not None and column.age_days <= column.window:
        column.status = "fresh"
    else:
        column.status = "long_stale" if column.kind == "should_update" else "stale"


def collect_columns(ctx: CheckContext) -> list[Column]:
    """Every column of the snapshot (the core's site structure: pagination pages merged, empty columns
    only when reached from the navigation or by a link that names them), judged by its kind's window."""
    found = []
    for site_column in site_structure(ctx.snapshot, structure_rules(ctx.settings)).columns:
        kind, window = column_kind(site_column.name, ctx.settings)
        column = Column(url=site_column.url, name=site_column.name, kind=kind, window=window,
                        items=len(site_column.items), newest=site_column.newest,
                        future_items=site_column.future_items, marker=site_column.marker)
        _judge(column, ctx.as_of)
        found.append(column)
    return found


def _column_finding(column: Column) -> Finding:
    values = {"name": column.name, "kind": column.kind, "newest": column.newest.isoformat() if column.newest
              else None, "age_days": column.age_days, "window_days": column.window, "items": column.items}
    if column.status == "empty":
        return Finding(severity="serious", url=column.url, message=f"空白栏目：「{column.name}」没有任何信息",
                       evidence=Evidence(snippet=column.marker, values=values))
    kind = KIND_NAMES[column.kind]
    if column.newest is None:
        message = f"栏目「{column.name}」（{kind}）列表中没有带可见发布日期的信息，视为未更新"
    else:
        message = (f"栏目「{column.name}」（{kind}，应在 {column.window} 天内更新）最新信息发布于 "
                   f"{column.newest.isoformat()}，已 {column.age_days} 天未更新")
    return Finding(severity="moderate", url=column.url, message=message, evidence=Evidence(values=values))


@check(
    id="ops.column_freshness",
    title="栏目更新（栏目不更新、空白栏目）",
    indicators=["运维保障/日常运维", "功能设计推广/运维保障"],
    vetoes=["columns_not_updated"],
)
def column_freshness(ctx: CheckContext) -> CheckResult:
    """Every list column found in the snapshot, by the newest date on its items: 动态要闻类 within
    2 weeks, 通知公告、政策文件类 within 6 months, other columns within a long window; veto
    栏目不更新 at ≥ 5 overdue, ≥ 10 long overdue or ≥ 5 empty columns (国办秘函〔2019〕19号)."""
    settings = ctx.settings
    columns = collect_columns(ctx)
    if not columns:
        return ctx.not_applicable("抓取的页面中没有识别出栏目列表页（带发布日期的信息列表或“暂无信息”栏目）")
    counts = {status: sum(c.status == status for c in columns) for status in STATUS_NAMES}
    limits = [("stale", settings["freshness_stale_veto"], "动态要闻类、通知公告类栏目超期未更新"),
              ("long_stale", settings["freshness_long_stale_veto"], "栏目长期未更新"),
              ("empty", settings["freshness_empty_veto"], "空白栏目")]
    breaches = [f"{label} {counts[status]} 个（≥ {limit} 个即否决）" for status, limit, label in limits
                if counts[status] >= limit]
    veto_hits = [VetoHit(veto="columns_not_updated", message="栏目不更新：" + "；".join(breaches))] if breaches else []
    healthy = counts["fresh"] + counts["exempt"]
    reason = f"识别出 {len(columns)} 个栏目：" + "，".join(f"{STATUS_NAMES[s]} {n} 个" for s, n in counts.items())
    if breaches:
        reason += "；单项否决：" + "；".join(breaches)
    return ctx.result(
        score=round(healthy / len(columns), 4),
        reason=reason,
        findings=[_column_finding(c) for c in columns if c.status in ("stale", "long_stale", "empty")],
        veto_hits=veto_hits,
        vetoes_evaluated=["columns_not_updated"],
        details={
            "counts": counts,
            "columns": [
                {"url": c.url, "name": c.name, "kind": c.kind, "items": c.items,
                 "newest": c.newest.isoformat() if c.newest else None, "age_days": c.age_days,
                 "window_days": c.window, "status": c.status, "future_items": c.future_items}
                for c in columns
            ],
        },
    )


# --- home page freshness ------------------------------------------------------------


@check(
    id="ops.home_freshness",
    title="首页更新（首页不更新、首页栏目更新量）",
    indicators=["运维保障/日常运维", "功能设计推广/运维保障"],
    vetoes=["home_not_updated"],
)
def home_freshness(ctx: CheckContext) -> CheckResult:
    """The home page's item links and their dates: the newest within 2 weeks, else veto 首页不更新;
    the number of new items in those 2 weeks against the usual floor of 10 (国办秘函〔2019〕19号)."""
    settings, as_of = ctx.settings, ctx.as_of
    home = ctx.snapshot.home
    if home is None or not home.ok or not home.html:
        return ctx.not_applicable("首页未能打开或不是 HTML 页面，无法判断首页更新")
    tree = LexborHTMLParser(home.html)
    groups = list_groups(tree, home.final_url or home.url, as_of, structure_rules(settings).layout_hints)
    # Dates only count when they belong to an item link, so the header's 今天是… widget never does.
    dated: dict[str, ListItem] = {}
    future = 0
    for item in (i for g in groups if not g.in_layout for i in g.items if i.date):
        if item.date > as_of:
            future += 1
        elif item.url not in dated or item.date > dated[item.url].date:
            dated[item.url] = item
    window, floor = settings["freshness_home_window_days"], settings["freshness_home_min_items"]
    since = as_of - timedelta(days=window)
    recent = sorted((i for i in dated.values() if i.date >= since), key=lambda i: i.date, reverse=True)
    newest = max((i.date for i in dated.values()), default=None)
    age = (as_of - newest).days if newest else None
    veto_hits: list[VetoHit] = []
    findings: list[Finding] = []
    if newest is None:
        veto_hits.append(VetoHit(veto="home_not_updated", url=home.url,
                                 message="首页不更新：首页信息均无可见发布日期，视为未更新"))
    elif age > window:
        veto_hits.append(VetoHit(veto="home_not_updated", url=home.url,
                                 message=f"首页不更新：首页最新信息发布于 {newest.isoformat()}，"
                                         f"已 {age} 天（超过 {window} 天）"))
    if veto_hits:
        findings.append(Finding(severity="critical", url=home.url, message=veto_hits[0].message,
                                evidence=Evidence(values={"newest": newest.isoformat() if newest else None,
                                                          "age_days": age, "window_days": window})))
    if len(recent) < floor:
        findings.append(Finding(
            severity="moderate", url=home.url,
            message=f"首页近 {window} 天新发布信息 {len(recent)} 条，少于通常的 {floor} 条",
            evidence=Evidence(values={"recent_items": len(recent), "floor": floor}),
        ))
    reason = (f"首页带发布日期的信息 {len(dated)} 条，最新 {newest.isoformat() if newest else '无'}"
              f"{f'（{age} 天前）' if age is not None else ''}；近 {window} 天新信息 {len(recent)} 条"
              f"（通常不少于 {floor} 条）")
    if future:
        reason += f"；{future} 条日期晚于检查日，未计入"
    return ctx.result(
        score=round(min(1.0, len(recent) / floor), 4) if floor else 1.0,
        reason=reason,
        findings=findings,
        veto_hits=veto_hits,
        vetoes_evaluated=["home_not_updated"],
        details={"newest": newest.isoformat() if newest else None, "age_days": age, "recent_items": len(recent),
                 "dated_items": len(dated), "future_items": future, "floor": floor, "window_days": window,
                 "recent": [{"url": i.url, "title": i.text, "date": i.date.isoformat()} for i in recent]},
    )
