"""栏目更新 and 首页更新: column and home-page freshness from the dated lists the crawler saw.

Veto items 栏目不更新 and 首页不更新 and the deduction 首页栏目更新 of 国办秘函〔2019〕19号
(standards §1). A column is a crawled page whose body holds a list of dated item
links, or an empty column that says so (暂无信息) and is reached from the navigation.
The helpers that tell list pages from articles are shared with ``serious_errors``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from auditkit import CheckContext, check
from auditkit.dates import find_dates
from auditkit.models import CheckResult, Evidence, Finding, PageRecord, VetoHit
from auditkit.snapshot import Snapshot
from auditkit.urls import is_http, normalize

ITEM_TAGS = ("li", "tr", "dd")
KIND_NAMES = {"news": "动态要闻类", "notice": "通知公告、政策文件类", "should_update": "应更新栏目",
              "static": "无需定期更新"}
STATUS_NAMES = {"fresh": "按时更新", "stale": "超期未更新", "long_stale": "长期未更新", "empty": "空白栏目",
                "exempt": "无需定期更新"}
_CLASS_TOKENS = re.compile(r"[-_\s]+")
_CRUMB_SEPARATORS = re.compile(r"\s*(?:->|>>|>|＞|›|»|→|/|\\)\s*")


# --- list structure -----------------------------------------------------------


@dataclass(frozen=True)
class ListItem:
    url: str
    text: str
    date: date | None  # the item's own date (the last one in its text); None: no visible date


@dataclass
class ListGroup:
    """Item links that share one container (a ``<ul>``, a table)."""

    items: list[ListItem] = field(default_factory=list)
    in_layout: bool = False  # inside the header, navigation or footer

    @property
    def dated(self) -> int:
        return sum(item.date is not None for item in self.items)


def _hint_tokens(node: LexborNode) -> set[str]:
    marker = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}".lower()
    return set(_CLASS_TOKENS.split(marker)) - {""}


def _in_layout(node: LexborNode, hints: set[str]) -> bool:
    """Inside a header, navigation or footer: by tag, role or the id/class words CMS templates use."""
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html", "-document"):
        if current.tag in ("nav", "header", "footer") or current.attributes.get("role") == "navigation":
            return True
        if _hint_tokens(current) & hints:
            return True
        current = current.parent
    return False


def _item_node(anchor: LexborNode) -> LexborNode:
    """The row an item link belongs to: the nearest list item or table row, else the link's parent."""
    current = anchor.parent
    while current is not None and current.tag not in ("body", "html"):
        if current.tag in ITEM_TAGS:
            return current
        current = current.parent
    return anchor.parent or anchor


def list_groups(tree: LexborHTMLParser, base_url: str, as_of: date, layout_hints: list[str]) -> list[ListGroup]:
    """Every link of the body as a list item with its date, grouped by container."""
    hints = {hint.lower() for hint in layout_hints}
    groups: dict[int, ListGroup] = {}
    seen_rows: set[int] = set()
    for anchor in tree.css("body a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        url = urljoin(base_url, href)
        if not href or href.startswith("#") or not is_http(url):
            continue
        row = _item_node(anchor)
        if row.mem_id in seen_rows:
            continue  # one item per row, however many links it holds
        seen_rows.add(row.mem_id)
        container = row.parent or row
        text = re.sub(r"\s+", " ", row.text(separator=" ")).strip()
        # The list's date column comes last; a title may name other (older or planned) dates.
        dates = find_dates(text, as_of)
        group = groups.get(container.mem_id)
        if group is None:
            group = groups[container.mem_id] = ListGroup(in_layout=_in_layout(container, hints))
        group.items.append(ListItem(url=normalize(url), text=text[:200], date=dates[-1] if dates else None))
    return list(groups.values())


def main_list(groups: list[ListGroup]) -> ListGroup | None:
    """The page's main list: outside header/nav/footer, the most dated items, then the most items."""
    candidates = [g for g in groups if not g.in_layout]
    return max(candidates, key=lambda g: (g.dated, len(g.items)), default=None)


def labelled_dates(text: str, as_of: date, labels: list[str]) -> list[date]:
    """Dates written right after a label (发布时间：…), all of the first label before the next.

    A bare one-word label (时间) must not be the tail of another word (截止时间, 回复时间)."""
    found: list[date] = []
    for label in labels:
        guard = r"(?<![\u4e00-\u9fff])" if len(label) <= 2 else ""
        for match in re.finditer(guard + re.escape(label) + r"\s*[:：]\s*(?=(?:19|20)\d{2})", text):
            found += find_dates(text[match.end(): match.end() + 24], as_of, implied_year=False)[:1]
    return found


@dataclass
class PageRole:
    """What a page is for freshness: a column list, an empty column, an index of columns, or neither."""

    role: str  # "column" | "empty" | "index" | "other"
    name: str = ""
    items: list[ListItem] = field(default_factory=list)
    marker: str = ""


def _more_links(tree: LexborHTMLParser, words: list[str]) -> int:
    lowered = tuple(w.lower() for w in words)
    return sum(a.text(strip=True).lower().startswith(lowered) for a in tree.css("body a[href]"))


def page_role(page: PageRecord, tree: LexborHTMLParser, settings: dict[str, Any], as_of: date) -> PageRole:
    """Tell a column list from an article, an index page (blocks with 更多 links) and an empty column."""
    groups = list_groups(tree, page.final_url or page.url, as_of, settings["freshness_layout_hints"])
    main = main_list(groups)
    paginated = any(marker in page.text for marker in settings["freshness_pagination_markers"])
    min_items = settings["freshness_min_list_items"]
    # An article states its own date once or twice (发布时间：…); some list templates label every item.
    if 0 < len(labelled_dates(page.text, as_of, settings["freshness_date_labels"])) < min_items:
        return PageRole("other")
    if _more_links(tree, settings["freshness_more_link_texts"]) >= settings["freshness_index_more_links"]:
        return PageRole("index")
    if main and (main.dated >= min_items or (paginated and (main.dated or len(main.items) >= min_items))):
        return PageRole("column", column_name(page, tree, settings), main.items)
    if not (main and main.dated):
        marker = next((m for m in settings["freshness_empty_markers"] if m in page.text), "")
        if marker:
            return PageRole("empty", column_name(page, tree, settings), marker=marker)
    return PageRole("other")


# --- column names and kinds ---------------------------------------------------


def _last_crumb(text: str, labels: list[str]) -> str:
    for label in labels:
        text = text.split(label, 1)[-1]
    parts = [p.strip().strip("：:").strip() for p in _CRUMB_SEPARATORS.split(text)]
    parts = [p for p in parts if p]
    return parts[-1] if parts else ""


def column_name(page: PageRecord, tree: LexborHTMLParser, settings: dict[str, Any]) -> str:
    """Breadcrumb's last element (当前位置), else a column heading, else the <title> before its separator."""
    labels = settings["freshness_breadcrumb_labels"]
    holders = [text for node in tree.css("body *") if node.tag not in ("script", "style")
               and len(text := node.text(separator=" ")) <= settings["freshness_breadcrumb_max_chars"]
               and any(label in text for label in labels)]
    # Innermost first; a label alone in its own <span> leaves the trail to the next element out.
    for text in sorted(holders, key=len):
        if name := _last_crumb(text, labels):
            return name
    hints = {h.lower() for h in settings["freshness_breadcrumb_hints"]}
    marked = [n for n in tree.css("body [class], body [id]") if _hint_tokens(n) & hints and n.text(strip=True)]
    if marked and (name := _last_crumb(marked[-1].text(separator=" "), labels)):
        return name
    for selector in settings["freshness_heading_selectors"]:
        heading = tree.css_first(selector)
        if heading is not None and (name := heading.text(strip=True)):
            return name
    title = page.title or (node.text(strip=True) if (node := tree.css_first("title")) else "")
    pattern = "|".join(re.escape(s) for s in settings["freshness_title_separators"])
    return re.split(pattern, title, maxsplit=1)[0].strip() if pattern else title.strip()


def column_kind(name: str, settings: dict[str, Any]) -> tuple[str, int | None]:
    """(kind, window in days) by the column's name; static columns have no window."""
    if any(word in name for word in settings["freshness_static_keywords"]):
        return "static", None
    if any(word in name for word in settings["freshness_news_keywords"]):
        return "news", settings["freshness_news_window_days"]
    if any(word in name for word in settings["freshness_notice_keywords"]):
        return "notice", settings["freshness_notice_window_days"]
    return "should_update", settings["freshness_long_window_days"]


def column_key(url: str, settings: dict[str, Any]) -> str:
    """The column a list page belongs to: pagination (index_2.html, ?page=2) removed."""
    parts = urlsplit(normalize(url))
    path = parts.path
    head, _, last = path.rpartition("/")
    if re.fullmatch(settings["freshness_page_file_pattern"], last, re.IGNORECASE):
        path = head + "/"
    skip = {p.lower() for p in settings["freshness_page_params"]}
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() not in skip))
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


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


def is_home(page: PageRecord, snapshot: Snapshot) -> bool:
    home = snapshot.home
    home_urls = {snapshot.start_url}
    if home is not None:
        home_urls |= {home.url, home.final_url or home.url}
    return bool({page.url, page.final_url} & home_urls)


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
    """Every column of the snapshot, pagination pages merged, empty columns only when reached from
    the navigation or by a link that names them (a column index)."""
    settings, as_of = ctx.settings, ctx.as_of
    columns: dict[str, Column] = {}
    empty: list[tuple[PageRecord, PageRole]] = []
    nav_targets: set[str] = set()
    link_names: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()
    for page in ctx.snapshot.html_pages():
        for link in page.links:
            if link.kind == "a":
                if link.region == "nav":
                    nav_targets.add(link.url)
                link_names[link.url].add(link.text.strip())
        address = normalize(page.final_url or page.url)
        if is_home(page, ctx.snapshot) or address in seen:
            continue  # a redirect and its target are one page
        seen.add(address)
        role = page_role(page, LexborHTMLParser(page.html), settings, as_of)
        if role.role == "empty":
            empty.append((page, role))
        if role.role != "column":
            continue
        key = column_key(address, settings)
        column = columns.get(key)
        if column is None:
            kind, window = column_kind(role.name, settings)
            column = columns[key] = Column(url=page.url, name=role.name, kind=kind, window=window)
        elif address == key:
            column.url = page.url  # the first page names the column better than page 2
        dates = [item.date for item in role.items if item.date]
        past = [d for d in dates if d <= as_of]  # a date after the audit date proves nothing
        column.items += len(role.items)
        column.future_items += len(dates) - len(past)
        column.newest = max([*past, *([column.newest] if column.newest else [])], default=None)
    for page, role in empty:
        key = column_key(page.final_url or page.url, settings)
        urls = {page.url, page.final_url, key}
        reached = bool(urls & nav_targets) or any(role.name in link_names.get(u or "", ()) for u in urls)
        if key in columns or not reached:
            continue
        kind, window = column_kind(role.name, settings)
        columns[key] = Column(url=page.url, name=role.name, kind=kind, window=window, marker=role.marker)
    for column in columns.values():
        _judge(column, as_of)
    return sorted(columns.values(), key=lambda c: c.url)


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
    groups = list_groups(tree, home.final_url or home.url, as_of, settings["freshness_layout_hints"])
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
