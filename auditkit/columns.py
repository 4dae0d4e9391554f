"""Column discovery: the site's columns, what they hold, and which evaluation topics they serve.

Two layers, each computed once per snapshot and shared by every check:

* :func:`site_structure` — the page structure the crawler saw: list pages told from
  articles, index pages and empty columns (暂无信息), pagination merged, each column's
  name (breadcrumb, heading or title), its items and newest date, and every link that
  names a column (menus, grids, navigation) rather than an article.
* :func:`discover` — the column map: each topic of ``data/column_topics.yaml`` (机构职能,
  政策文件 …) matched against those columns by synonyms, jieba word overlap (partial and
  reordered names) and URL hints, with a confidence and the evidence for it.

Rules (list detection, matching thresholds, the synonym table) live in the data file.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field
from selectolax.lexbor import LexborHTMLParser, LexborNode

from auditkit.dates import find_dates
from auditkit.models import PageRecord
from auditkit.snapshot import Snapshot
from auditkit.text import Segmenter
from auditkit.urls import is_http, normalize

RULES_FILE = "data/column_topics.yaml"
ITEM_TAGS = ("li", "tr", "dd")
_CLASS_TOKENS = re.compile(r"[-_\s]+")
LAYOUT_TAGS = frozenset({"nav", "header", "footer"})
_CRUMB_SEPARATORS = re.compile(r"\s*(?:->|>>|>|＞|›|»|→|/|\\)\s*")
_URL_TOKENS = re.compile(r"[/_\-.?=&]+")
_NAME_NOISE = re.compile(r"[\s\u3000·•、，,。：:；;“”\"'()（）【】\[\]<>《》>»›]+")
_NUMBERING = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)[.、．]")
_DIGIT = re.compile(r"\d")  # every date find_dates knows has digits

Kind = Literal["column", "empty", "index", "page", "link"]


# --- rules ----------------------------------------------------------------------------


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StructureRules(Rules):
    """How list pages, empty columns, index pages and column names are recognised."""

    min_list_items: int
    pagination_markers: list[str]
    empty_markers: list[str]
    more_link_texts: list[str]
    index_more_links: int
    date_labels: list[str]
    layout_hints: list[str]
    breadcrumb_labels: list[str]
    breadcrumb_max_chars: int
    breadcrumb_hints: list[str]
    heading_selectors: list[str]
    title_separators: list[str]
    page_file_pattern: str
    page_params: list[str]


class MatchingRules(Rules):
    found_threshold: float
    max_name_chars: int
    contained_score: float
    word_score: float
    min_word_recall: float
    url_hint_share: float
    url_only_score: float
    kind_factors: dict[str, float]
    stop_words: list[str]
    more_words: list[str]


class SubPoint(Rules):
    name: str
    keywords: list[str]


class Topic(Rules):
    id: str
    name: str
    synonyms: list[str]
    url_hints: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    lists: list[str] = Field(default_factory=list)
    static: bool = False
    window_days: int | None = None
    sub_points: list[SubPoint] = Field(default_factory=list)


class ColumnRules(Rules):
    structure: StructureRules
    matching: MatchingRules
    words: list[str] = Field(default_factory=list)
    topics: dict[str, Topic]

    def topics_in(self, list_name: str) -> list[Topic]:
        """The topics one evaluation list names, in the data file's order."""
        return [t for t in self.topics.values() if list_name in t.lists]

    @property
    def fingerprint(self) -> str:
        return hashlib.sha1(self.model_dump_json().encode()).hexdigest()


def parse_rules(data: dict[str, Any]) -> ColumnRules:
    topics = {key: {"id": key, **value} for key, value in (data.get("topics") or {}).items()}
    return ColumnRules.model_validate({**data, "topics": topics})


@cache
def default_rules() -> ColumnRules:
    """The bundled rules (``auditkit/data/column_topics.yaml``)."""
    text = resources.files("auditkit").joinpath(RULES_FILE).read_text(encoding="utf-8")
    return parse_rules(yaml.safe_load(text))


def load_rules(path: Path) -> ColumnRules:
    """Rules from a YAML file of the same shape as the bundled one (a site-specific synonym table)."""
    return parse_rules(yaml.safe_load(path.read_text(encoding="utf-8")))


# --- list structure of one page ---------------------------------------------------------


@dataclass(frozen=True)
class ListItem:
    url: str
    text: str  # the whole row (title, date, status)
    date: date | None  # the item's own date (the last one in its row); None: no visible date
    label: str = ""  # the link's own text


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


def is_layout(node: LexborNode, hints: set[str] | frozenset[str]) -> bool:
    """Header, navigation or footer: by tag, role, or the id/class words CMS templates use (``hints``,
    lower case)."""
    return (node.tag in LAYOUT_TAGS or node.attributes.get("role") == "navigation"
            or bool(_hint_tokens(node) & hints))


def _layout_test(hints: set[str]) -> Callable[[LexborNode | None], bool]:
    """Whether a node is inside a header, navigation or footer (by tag, role or the id/class words CMS
    templates use), remembered per element so every link of a page is placed in one walk."""
    memo: dict[int, bool] = {}

    def in_layout(node: LexborNode | None) -> bool:
        chain: list[LexborNode] = []
        verdict = False
        while node is not None and node.tag not in ("body", "html", "-document"):
            if node.mem_id in memo:
                verdict = memo[node.mem_id]
                break
            chain.append(node)
            if is_layout(node, hints):
                verdict = True
                break
            node = node.parent
        for seen in chain:
            memo[seen.mem_id] = verdict
        return verdict

    return in_layout


def _item_node(anchor: LexborNode) -> LexborNode:
    """The row an item link belongs to: the nearest list item or table row, else the link's parent."""
    current = anchor.parent
    while current is not None and current.tag not in ("body", "html"):
        if current.tag in ITEM_TAGS:
            return current
        current = current.parent
    return anchor.parent or anchor


@lru_cache(maxsize=4096)
def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


@lru_cache(maxsize=65536)
def _absolute(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    return normalize(url) if is_http(url) else None


def resolve(base: str, href: str) -> str | None:
    """``href`` of a page at ``base`` as a normalised absolute URL; None for non-http links. Navigation
    hrefs repeat on every page, so root-relative ones are resolved once per site."""
    if href.startswith("/") and not href.startswith("//"):
        base = _origin(base)
    return _absolute(base, href)


def _anchors(tree: LexborHTMLParser, base_url: str) -> list[tuple[LexborNode, str]]:
    """Every http(s) link of the body with its absolute URL."""
    found = []
    for anchor in tree.css("body a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if href and not href.startswith("#") and (url := resolve(base_url, href)) is not None:
            found.append((anchor, url))
    return found


def list_groups(tree: LexborHTMLParser, base_url: str, as_of: date, layout_hints: list[str],
                anchors: list[tuple[LexborNode, str]] | None = None,
                in_layout: Callable[[LexborNode | None], bool] | None = None) -> list[ListGroup]:
    """Every link of the body as a list item with its date, grouped by container. ``anchors`` and
    ``in_layout`` let one page analysis share its link walk and layout tests."""
    in_layout = in_layout or _layout_test({hint.lower() for hint in layout_hints})
    groups: dict[int, ListGroup] = {}
    seen_rows: set[int] = set()
    for anchor, url in anchors if anchors is not None else _anchors(tree, base_url):
        row = _item_node(anchor)
        if row.mem_id in seen_rows:
            continue  # one item per row, however many links it holds
        seen_rows.add(row.mem_id)
        container = row.parent or row
        text = re.sub(r"\s+", " ", row.text(separator=" ")).strip()
        # The list's date column comes last; a title may name other (older or planned) dates.
        dates = find_dates(text, as_of) if _DIGIT.search(text) else []
        group = groups.get(container.mem_id)
        if group is None:
            group = groups[container.mem_id] = ListGroup(in_layout=in_layout(container))
        label = " ".join(anchor.text(separator=" ").split()) or (anchor.attributes.get("title") or "")
        group.items.append(ListItem(url=url, text=text[:200], date=dates[-1] if dates else None,
                                    label=label[:200]))
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
    """What a page is: a column list, an empty column, an index of columns, or neither."""

    role: str  # "column" | "empty" | "index" | "other"
    name: str = ""
    items: list[ListItem] = field(default_factory=list)
    marker: str = ""
    trail: list[str] = field(default_factory=list)  # the breadcrumb, home first


def _more_links(tree: LexborHTMLParser, words: list[str]) -> int:
    lowered = tuple(w.lower() for w in words)
    return sum(a.text(strip=True).lower().startswith(lowered) for a in tree.css("body a[href]"))


def page_role(page: PageRecord, tree: LexborHTMLParser, rules: StructureRules, as_of: date,
              groups: list[ListGroup] | None = None) -> PageRole:
    """Tell a column list from an article, an index page (blocks with 更多 links) and an empty column."""
    if groups is None:
        groups = list_groups(tree, page.final_url or page.url, as_of, rules.layout_hints)
    main = main_list(groups)
    paginated = any(marker in page.text for marker in rules.pagination_markers)
    # An article states its own date once or twice (发布时间：…); some list templates label every item.
    if 0 < len(labelled_dates(page.text, as_of, rules.date_labels)) < rules.min_list_items:
        return PageRole("other")
    if _more_links(tree, rules.more_link_texts) >= rules.index_more_links:
        name, trail = column_heading(page, tree, rules)
        items = [i for g in groups if not g.in_layout for i in g.items if i.date]
        return PageRole("index", name, items, trail=trail)
    if main and (main.dated >= rules.min_list_items or (paginated and (main.dated or len(main.items)
                                                                          >= rules.min_list_items))):
        name, trail = column_heading(page, tree, rules)
        return PageRole("column", name, main.items, trail=trail)
    if not (main and main.dated):
        marker = next((m for m in rules.empty_markers if m in page.text), "")
        if marker:
            name, trail = column_heading(page, tree, rules)
            return PageRole("empty", name, marker=marker, trail=trail)
    return PageRole("other")


# --- column names ----------------------------------------------------------------------


def _crumbs(text: str, labels: list[str]) -> list[str]:
    for label in labels:
        text = text.split(label, 1)[-1]
    parts = [p.strip().strip("：:").strip() for p in _CRUMB_SEPARATORS.split(text)]
    return [p for p in parts if p]


def column_heading(page: PageRecord, tree: LexborHTMLParser, rules: StructureRules) -> tuple[str, list[str]]:
    """(name, breadcrumb): the breadcrumb's last element (当前位置), else a column heading, else the
    <title> before its separator."""
    labels = rules.breadcrumb_labels
    body = tree.body
    if body is not None and any(label in body.text() for label in labels):
        holders = [text for node in tree.css("body *") if node.tag not in ("script", "style")
                   and len(text := node.text(separator=" ")) <= rules.breadcrumb_max_chars
                   and any(label in text for label in labels)]
        # Innermost first; a label alone in its own <span> leaves the trail to the next element out.
        for text in sorted(holders, key=len):
            if crumbs := _crumbs(text, labels):
                return crumbs[-1], crumbs
    hints = {h.lower() for h in rules.breadcrumb_hints}
    marked = [n for n in tree.css("body [class], body [id]") if _hint_tokens(n) & hints and n.text(strip=True)]
    if marked and (crumbs := _crumbs(marked[-1].text(separator=" "), labels)):
        return crumbs[-1], crumbs
    for selector in rules.heading_selectors:
        heading = tree.css_first(selector)
        if heading is not None and (name := heading.text(strip=True)):
            return name, []
    return title_name(page, tree, rules), []


def title_name(page: PageRecord, tree: LexborHTMLParser | None, rules: StructureRules) -> str:
    """The <title> before its first separator (栏目名_网站名)."""
    return strip_site_name(page.title or (node.text(strip=True) if tree and (node := tree.css_first("title"))
                                          else ""), rules.title_separators)


def strip_site_name(title: str, separators: list[str] | None = None) -> str:
    """A page title without the site's name after it (标题_青山县人民政府 → 标题); ``separators``
    default to the column rules' ``title_separators``."""
    separators = default_rules().structure.title_separators if separators is None else separators
    pattern = "|".join(re.escape(s) for s in separators)
    return re.split(pattern, title, maxsplit=1)[0].strip() if pattern else title.strip()


def column_key(url: str, rules: StructureRules) -> str:
    """The column a list page belongs to: pagination (index_2.html, ?page=2) removed."""
    parts = urlsplit(normalize(url))
    path = parts.path
    head, _, last = path.rpartition("/")
    if re.fullmatch(rules.page_file_pattern, last, re.IGNORECASE):
        path = head + "/"
    skip = {p.lower() for p in rules.page_params}
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() not in skip))
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def is_home(page: PageRecord, snapshot: Snapshot) -> bool:
    home = snapshot.home
    home_urls = {snapshot.start_url}
    if home is not None:
        home_urls |= {home.url, home.final_url or home.url}
    return bool({page.url, page.final_url} & home_urls)


# --- the site's structure (one pass) ---------------------------------------------------------


@dataclass
class SiteColumn:
    """A list or empty column, its pagination pages merged."""

    url: str
    key: str
    name: str
    role: str  # "column" | "empty"
    items: list[ListItem] = field(default_factory=list)
    newest: date | None = None
    future_items: int = 0  # items dated after the audit date (they prove nothing)
    marker: str = ""  # the empty column's own words (暂无信息)
    trail: list[str] = field(default_factory=list)


@dataclass
class PageInfo:
    url: str
    address: str  # where it ended up (after redirects)
    title: str
    role: PageRole
    home: bool
    items: set[str] = field(default_factory=set)  # targets it lists as items: dated rows, a column's main list
    links: list[ListItem] = field(default_factory=list)  # links that name a column (not items, not layout)
    layout_links: list[ListItem] = field(default_factory=list)  # navigation, header and footer links


@dataclass
class SiteStructure:
    as_of: date
    pages: dict[str, PageInfo]  # by address
    aliases: dict[str, str]  # crawled URL → address
    columns: list[SiteColumn]  # list and empty columns (empty ones only when reached), by URL
    nav_targets: set[str]  # targets of the crawler's navigation links
    link_names: dict[str, set[str]]  # target → every anchor text that points at it
    item_urls: set[str]  # targets listed as items (articles) somewhere
    failed: set[str]  # crawled URLs that did not open
    labels: dict[str, set[str]]  # target → texts of links that name it as a column
    linked_from: dict[str, set[str]]  # target → addresses of pages that link to it as a column
    menu_targets: set[str]  # targets of navigation, header and footer links

    def page(self, url: str) -> PageInfo | None:
        return self.pages.get(self.aliases.get(url, url))


def _link_label(anchor: LexborNode, more_words: list[str]) -> str:
    """What a link calls its target: its text, title or image alt; beside a block heading (更多>>) the
    text of its row, which is the heading."""
    label = " ".join(anchor.text(separator=" ").split()) or (anchor.attributes.get("title") or "").strip()
    if not label and (image := anchor.css_first("img")) is not None:
        label = (image.attributes.get("alt") or "").strip()
    if not label or any(label.startswith(w) for w in more_words):
        label = _item_node(anchor).text(separator=" ")
        for word in more_words:
            label = label.replace(word, "")
    return " ".join(label.split())


def _analyse(page: PageRecord, rules: StructureRules, as_of: date, home: bool, max_label: int,
             more_words: list[str]) -> PageInfo:
    tree = LexborHTMLParser(page.html)
    base = page.final_url or page.url
    anchors = _anchors(tree, base)
    in_layout = _layout_test({h.lower() for h in rules.layout_hints})
    groups = list_groups(tree, base, as_of, rules.layout_hints, anchors, in_layout)
    role = PageRole("other") if home else page_role(page, tree, rules, as_of, groups)
    info = PageInfo(url=page.url, address=normalize(base), title=page.title, role=role, home=home)
    main = main_list(groups) if role.role == "column" else None
    info.items = {i.url for g in groups for i in g.items if i.date} | ({i.url for i in main.items} if main else set())
    for anchor, url in anchors:
        if url in info.items:
            continue
        label = _link_label(anchor, more_words)
        if 2 <= len(label) <= max_label:
            entry = ListItem(url=url, text=label, date=None, label=label)
            (info.layout_links if in_layout(anchor.parent) else info.links).append(entry)
    return info


def _build_structure(snapshot: Snapshot, rules: StructureRules, matching: MatchingRules) -> SiteStructure:
    as_of = snapshot.as_of
    pages: dict[str, PageInfo] = {}
    aliases: dict[str, str] = {}
    nav_targets: set[str] = set()
    link_names: dict[str, set[str]] = defaultdict(set)
    item_urls: set[str] = set()
    failed: set[str] = set()
    for page in snapshot.pages():
        if not (page.ok and page.html):
            failed.update({page.url, page.final_url or page.url})
            continue
        for link in page.links:
            if link.kind == "a":
                if link.region == "nav":
                    nav_targets.add(link.url)
                link_names[link.url].add(link.text.strip())
        address = normalize(page.final_url or page.url)
        aliases[page.url] = address
        if address in pages:
            continue  # a redirect and its target are one page
        info = _analyse(page, rules, as_of, is_home(page, snapshot), matching.max_name_chars, matching.more_words)
        pages[address] = info
        # what any page lists as items (the home page's blocks, an article's related news) are articles
        item_urls |= info.items

    labels: dict[str, set[str]] = defaultdict(set)
    linked_from: dict[str, set[str]] = defaultdict(set)
    menu_targets: set[str] = set()
    for info in pages.values():
        for link in info.links + info.layout_links:
            labels[link.url].add(link.label)
        for link in info.links:
            linked_from[link.url].add(info.address)
        menu_targets.update(link.url for link in info.layout_links)

    columns: dict[str, SiteColumn] = {}
    empty: list[PageInfo] = []
    for address, info in pages.items():
        role = info.role
        if role.role == "empty":
            empty.append(info)
        if role.role != "column":
            continue
        key = column_key(address, rules)
        column = columns.get(key)
        if column is None:
            column = columns[key] = SiteColumn(url=info.url, key=key, name=role.name, role="column",
                                               trail=role.trail)
        elif address == key:
            column.url = info.url  # the first page names the column better than page 2
        dates = [item.date for item in role.items if item.date]
        past = [d for d in dates if d <= as_of]  # a date after the audit date proves nothing
        column.items += role.items
        column.future_items += len(dates) - len(past)
        column.newest = max([*past, *([column.newest] if column.newest else [])], default=None)
    for info in empty:
        key = column_key(info.address, rules)
        urls = {info.url, info.address, key}
        reached = bool(urls & nav_targets) or any(info.role.name in link_names.get(u, ()) for u in urls)
        if key in columns or not reached:
            continue
        columns[key] = SiteColumn(url=info.url, key=key, name=info.role.name, role="empty",
                                  marker=info.role.marker, trail=info.role.trail)
    return SiteStructure(as_of=as_of, pages=pages, aliases=aliases,
                         columns=sorted(columns.values(), key=lambda c: c.url), nav_targets=nav_targets,
                         link_names=dict(link_names), item_urls=item_urls, failed=failed,
                         labels=dict(labels), linked_from=dict(linked_from), menu_targets=menu_targets)


def site_structure(snapshot: Snapshot, structure: StructureRules | None = None) -> SiteStructure:
    """The snapshot's page structure (computed once per snapshot and rule set)."""
    rules = default_rules()
    structure = structure or rules.structure
    fingerprint = hashlib.sha1(structure.model_dump_json().encode()).hexdigest()
    return snapshot.once(f"columns.structure.{fingerprint}",
                         lambda: _build_structure(snapshot, structure, rules.matching))


# --- matching names to topics ---------------------------------------------------------------------


class _Matcher:
    """Scores a column name against every topic: synonyms, contained synonyms, weighted word overlap."""

    def __init__(self, rules: ColumnRules) -> None:
        self.rules = rules
        self.m = rules.matching
        self.stop = set(self.m.stop_words)
        self.segmenter = Segmenter()
        self.segmenter.add_words(rules.words)
        self.exact: dict[str, set[str]] = defaultdict(set)
        self.synonym_words: dict[str, list[tuple[str, frozenset[str]]]] = {}
        by_word: dict[str, set[str]] = defaultdict(set)
        for topic in rules.topics.values():
            entries = []
            for synonym in topic.synonyms:
                self.exact[normalize_name(synonym)].add(topic.id)
                words = self.words(synonym)
                entries.append((synonym, words))
                for word in words:
                    by_word[word].add(topic.id)
            self.synonym_words[topic.id] = entries
        self.by_word = by_word
        count = len(rules.topics)
        # Words many topics share (信息, 公开 were dropped already; 政策, 财政 remain) weigh less.
        self.weight = {word: math.log(1 + count / len(topics)) for word, topics in by_word.items()}
        self.unknown_weight = math.log(1 + count)

    @cache  # noqa: B019 — one matcher per rule set, kept for the process
    def words(self, name: str) -> frozenset[str]:
        """Content words of a name: jieba tokens, long ones also as their dictionary sub-words."""
        words: set[str] = set()
        for token in self.segmenter.cut(name):
            token = token.strip()
            if len(token) < 2 or token in self.stop:
                continue
            words.add(token)
            if len(token) >= 4:  # 政策法规 also as 政策 + 法规, so 法规政策 and 政策 still meet it
                words.update(sub for i in range(len(token) - 1) if (sub := token[i:i + 2]) not in self.stop
                             and self.segmenter.is_word(sub))
        return frozenset(words)

    def _w(self, words: frozenset[str] | set[str]) -> float:
        return sum(self.weight.get(w, self.unknown_weight) for w in words)

    def score(self, name: str, topic: Topic) -> tuple[float, str]:
        """(score 0..1, the synonym that matched best) of one normalised name for one topic."""
        if any(word in name for word in topic.exclude):
            return 0.0, ""
        if topic.id in self.exact.get(name, ()):
            return 1.0, name
        best, how = 0.0, ""
        for synonym in topic.synonyms:
            if len(synonym) >= 2 and synonym in name:
                value = self.m.contained_score * math.sqrt(len(synonym) / len(name))
                if value > best:
                    best, how = value, synonym
        name_words = self.words(name)
        for synonym, words in self.synonym_words[topic.id]:
            common = name_words & words
            if not common or not words:
                continue
            recall = self._w(common) / self._w(words)
            precision = self._w(common) / self._w(name_words)
            if recall < self.m.min_word_recall:
                continue
            value = self.m.word_score * 2 * recall * precision / (recall + precision)
            if value > best:
                best, how = value, synonym
        return best, how

    def topics_for(self, name: str) -> set[str]:
        """Topics a name can possibly match (shares a word, contains or equals a synonym)."""
        found = set(self.exact.get(name, ()))
        for word in self.words(name):
            found |= self.by_word.get(word, set())
        for topic in self.rules.topics.values():
            if topic.id not in found and any(s in name for s in topic.synonyms if len(s) >= 2):
                found.add(topic.id)
        return found


def normalize_name(name: str) -> str:
    """A column name without numbering, spaces and punctuation (《》、·…)."""
    return _NAME_NOISE.sub("", _NUMBERING.sub("", name.strip()))


_matchers: dict[str, _Matcher] = {}
_matchers_lock = threading.Lock()


def _matcher(rules: ColumnRules) -> _Matcher:
    """One matcher per rule set for the process (it holds a jieba tokenizer)."""
    with _matchers_lock:
        fingerprint = rules.fingerprint
        if fingerprint not in _matchers:
            _matchers[fingerprint] = _Matcher(rules)
        return _matchers[fingerprint]


# --- the column map --------------------------------------------------------------------------------


@dataclass
class Candidate:
    """Something that may be a column: a crawled list, empty or index page, a single page a menu
    links to, or a menu link that was not crawled."""

    url: str
    kind: Kind
    names: list[str]  # the page's own name first, then the link texts that point at it
    items: list[ListItem] = field(default_factory=list)
    newest: date | None = None
    trail: list[str] = field(default_factory=list)
    marker: str = ""
    linked_from: set[str] = field(default_factory=set)
    children: list[ListItem] = field(default_factory=list)  # column links on its own page

    @property
    def item_count(self) -> int | None:
        return None if self.kind in ("link", "page") else len(self.items)


class TopicMatch(BaseModel):
    """One topic of the column map: found or not, where, under which name, how sure."""

    model_config = ConfigDict(extra="forbid")

    topic: str
    name: str  # the topic's standard name
    found: bool
    url: str | None = None
    name_found: str | None = None
    kind: Kind | None = None
    items: int | None = None  # None: not a crawled list
    newest: date | None = None
    confidence: float = 0.0
    in_platform: bool = False  # inside the 政府信息公开 platform
    evidence: list[str] = Field(default_factory=list)
    alternatives: list[str] = Field(default_factory=list)  # other columns that also match

    def row(self) -> dict[str, Any]:
        """The column-map row the report shows (its headers are the site owner's words)."""
        return {"主题": self.name, "已找到": self.found, "栏目名称": self.name_found, "栏目地址": self.url,
                "信息条数": self.items, "最新日期": self.newest.isoformat() if self.newest else None,
                "置信度": round(self.confidence, 2), "在公开平台内": self.in_platform}


@dataclass(frozen=True)
class Duplicate:
    """Two columns serving one topic (a portal column and its platform twin) and what they share."""

    topic: str
    first: str
    second: str
    shared_titles: int
    shared_urls: int

    @property
    def same_source(self) -> bool:
        """Every shared item is the same page (调用, 同源), not a copy at another address."""
        return self.shared_urls >= self.shared_titles


@dataclass
class ColumnMap:
    rules: ColumnRules
    structure: SiteStructure
    candidates: dict[str, Candidate]  # by URL
    matches: dict[str, TopicMatch]  # by topic id
    platform: Candidate | None
    platform_members: set[str]  # candidate URLs inside the platform

    def topic(self, topic_id: str) -> TopicMatch:
        return self.matches[topic_id]

    def candidate(self, url: str | None) -> Candidate | None:
        return self.candidates.get(url) if url else None

    def duplicate_row(self, twin: Duplicate) -> dict[str, Any]:
        return {"主题": self.rules.topics[twin.topic].name, "栏目一": twin.first, "栏目二": twin.second,
                "同名信息": twin.shared_titles, "同源": twin.same_source}

    def duplicates(self, topic_ids: list[str]) -> list[Duplicate]:
        """For each topic, its column against every other column that also matches it, when they
        list items with the same titles."""
        found = []
        for topic_id in topic_ids:
            match = self.matches[topic_id]
            first = self.candidate(match.url) if match.found else None
            if first is None or not first.items:
                continue
            titles = {i.label: i.url for i in first.items if i.label}
            for url in match.alternatives:
                second = self.candidates[url]
                other = {i.label: i.url for i in second.items if i.label}
                common = titles.keys() & other.keys()
                if common:
                    found.append(Duplicate(topic_id, first.url, second.url, len(common),
                                           sum(titles[t] == other[t] for t in common)))
        return found


def _candidates(structure: SiteStructure, rules: ColumnRules) -> dict[str, Candidate]:
    srules, max_chars = rules.structure, rules.matching.max_name_chars
    found: dict[str, Candidate] = {}
    by_key: dict[str, Candidate] = {}
    for column in structure.columns:
        candidate = Candidate(url=column.url, kind="empty" if column.role == "empty" else "column",
                              names=[column.name], items=column.items, newest=column.newest, trail=column.trail,
                              marker=column.marker)
        found[column.url] = by_key[column.key] = candidate
    for info in structure.pages.values():
        if info.role.role == "index" and not info.home:
            dates = [i.date for i in info.role.items if i.date and i.date <= structure.as_of]
            candidate = Candidate(url=info.url, kind="index", names=[info.role.name], items=info.role.items,
                                  newest=max(dates, default=None), trail=info.role.trail)
            found[info.url] = by_key.setdefault(column_key(info.address, srules), candidate)
    for target, texts in structure.labels.items():
        key = column_key(target, srules)
        candidate = by_key.get(key) or found.get(target)
        if candidate is None:
            info = structure.page(target)
            if info is not None and (info.home or info.role.role != "other"):
                continue  # the home page, or a column that was never reached by name
            if target in structure.failed or (target in structure.item_urls and target not in structure.menu_targets):
                continue  # a broken link, or an article listed somewhere (its title is no column name)
            if info is None:
                candidate = Candidate(url=target, kind="link", names=[])
            else:
                name = strip_site_name(info.title, srules.title_separators)
                candidate = Candidate(url=info.url, kind="page", names=[name] if len(name) <= max_chars else [])
            found[candidate.url] = by_key[key] = candidate
        candidate.names += sorted(t for t in texts if t not in candidate.names)
        candidate.linked_from |= structure.linked_from.get(target, set())
    for candidate in found.values():
        info = structure.page(candidate.url)
        if info is not None:
            candidate.children = [link for link in info.links if link.url != candidate.url]
    return found


def _own_words(url: str, rules: StructureRules) -> set[str]:
    """The column's own URL words: its last directory or file name (not its ancestors), and query values."""
    parts = urlsplit(column_key(url, rules))
    last = parts.path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    values = [v for _, v in parse_qsl(parts.query)]
    return {w.lower() for w in _URL_TOKENS.split(" ".join([last, *values])) if w}


def _directory(url: str) -> str:
    path = urlsplit(url).path
    return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"


@dataclass
class _Score:
    confidence: float
    name: str
    synonym: str
    name_score: float
    hint: str


def _score_candidates(candidates: dict[str, Candidate], rules: ColumnRules,
                      matcher: _Matcher) -> dict[str, dict[str, _Score]]:
    """topic → candidate URL → score, for every pair that matches at all."""
    m, srules = rules.matching, rules.structure
    hints: dict[str, set[str]] = defaultdict(set)
    for topic in rules.topics.values():
        for hint in topic.url_hints:
            hints[hint.lower()].add(topic.id)
    scores: dict[str, dict[str, _Score]] = defaultdict(dict)
    for candidate in candidates.values():
        names: dict[str, str] = {}
        for raw in candidate.names:
            name = normalize_name(raw)
            if 2 <= len(name) <= m.max_name_chars:
                names.setdefault(name, raw)
        url_words = _own_words(candidate.url, srules)
        possible = {t for word in url_words for t in hints.get(word, ())}
        for name in names:
            possible |= matcher.topics_for(name)
        for topic_id in possible:
            topic = rules.topics[topic_id]
            best = (0.0, "", "")
            for name, raw in names.items():
                value, synonym = matcher.score(name, topic)
                if value > best[0]:
                    best = (value, raw, synonym)
            hint = next((h for h in topic.url_hints if h.lower() in url_words), "")
            value = best[0]
            if value > 0:
                confidence = value + (1 - value) * m.url_hint_share if hint else value
            elif hint:
                confidence = m.url_only_score
            else:
                continue
            confidence *= m.kind_factors.get(candidate.kind, 1.0)
            scores[topic_id][candidate.url] = _Score(round(confidence, 4), best[1], best[2], value, hint)
    # A column that fits another topic of the same list clearly better is not this topic's too
    # (机构概况 is 机构职能, not 单位概况).
    for topic_id, by_url in scores.items():
        lists = set(rules.topics[topic_id].lists)
        rivals = [t for t in scores if t != topic_id and lists & set(rules.topics[t].lists)]
        for url in list(by_url):
            mine = by_url[url].confidence
            if any(url in scores[r] and scores[r][url].confidence > mine + 0.05 for r in rivals):
                del by_url[url]
    return scores


def _evidence(candidate: Candidate, score: _Score, in_platform: bool) -> list[str]:
    evidence = []
    if score.name_score >= 1.0:
        evidence.append(f"名称「{score.name}」即「{score.synonym}」")
    elif score.name_score > 0:
        evidence.append(f"名称「{score.name}」近似「{score.synonym}」（匹配度 {score.name_score:.2f}）")
    if score.hint:
        evidence.append(f"网址含「{score.hint}」")
    evidence.append({
        "column": f"栏目列表页，{len(candidate.items)} 条信息",
        "empty": f"空白栏目（{candidate.marker}）",
        "index": "栏目首页（含多个栏目区块）",
        "page": "菜单链接指向的单页",
        "link": "菜单链接（页面未抓取）",
    }[candidate.kind])
    if in_platform:
        evidence.append("位于政府信息公开平台内")
    return evidence


def _discover(snapshot: Snapshot, rules: ColumnRules) -> ColumnMap:
    structure = site_structure(snapshot, rules.structure)
    matcher = _matcher(rules)
    candidates = _candidates(structure, rules)
    scores = _score_candidates(candidates, rules, matcher)
    threshold = rules.matching.found_threshold

    def best(topic_id: str, platform_urls: set[str]) -> tuple[str | None, list[str]]:
        ranked = sorted(scores.get(topic_id, {}).items(), reverse=True, key=lambda kv: (
            round(kv[1].confidence, 2), kv[0] in platform_urls, len(candidates[kv[0]].items), -len(kv[0])))
        passing = [url for url, s in ranked if s.confidence >= threshold]
        return (ranked[0][0] if ranked else None), passing

    platform_url, _ = best("disclosure_platform", set()) if "disclosure_platform" in rules.topics else (None, [])
    platform = candidates.get(platform_url) if platform_url and \
        scores["disclosure_platform"][platform_url].confidence >= threshold else None
    inside = _platform_members(platform, candidates, structure, matcher, rules)

    matches: dict[str, TopicMatch] = {}
    for topic in rules.topics.values():
        url, passing = best(topic.id, inside)
        score = scores.get(topic.id, {}).get(url) if url else None
        if url is None or score is None:
            matches[topic.id] = TopicMatch(topic=topic.id, name=topic.name, found=False)
            continue
        candidate = candidates[url]
        found = score.confidence >= threshold
        matches[topic.id] = TopicMatch(
            topic=topic.id, name=topic.name, found=found, url=candidate.url,
            name_found=score.name or (candidate.names[0] if candidate.names else None), kind=candidate.kind,
            items=candidate.item_count, newest=candidate.newest, confidence=score.confidence,
            in_platform=url in inside, evidence=_evidence(candidate, score, url in inside),
            alternatives=[u for u in passing if u != url][:5],
        )
    return ColumnMap(rules=rules, structure=structure, candidates=candidates, matches=matches, platform=platform,
                     platform_members=inside)


def _platform_members(platform: Candidate | None, candidates: dict[str, Candidate], structure: SiteStructure,
                      matcher: _Matcher, rules: ColumnRules) -> set[str]:
    """Candidates inside the 政府信息公开 platform: under its path, with it in their breadcrumb, or
    linked from its pages as columns."""
    if platform is None:
        return set()
    topic = rules.topics["disclosure_platform"]
    threshold = rules.matching.found_threshold
    prefix = _directory(platform.url)
    info = structure.page(platform.url)
    platform_pages = {platform.url, info.address if info else platform.url}
    inside: set[str] = set()
    for url, candidate in candidates.items():
        if candidate is platform:
            continue
        under_path = prefix != "/" and urlsplit(url).path.startswith(prefix) and \
            urlsplit(url).netloc == urlsplit(platform.url).netloc
        in_trail = any(matcher.score(normalize_name(crumb), topic)[0] >= threshold for crumb in candidate.trail[:-1])
        if under_path or in_trail or candidate.linked_from & platform_pages:
            inside.add(url)
    # one level further: columns linked from the platform's own sub-pages (法定主动公开内容 → topics)
    member_pages = {p.address for u in inside if (p := structure.page(u))} | inside
    for url, candidate in candidates.items():
        if candidate is not platform and candidate.linked_from & member_pages:
            inside.add(url)
    return inside


def discover(snapshot: Snapshot, rules: ColumnRules | None = None) -> ColumnMap:
    """The column map of a snapshot (computed once per snapshot and rule set, shared by all checks)."""
    rules = rules or default_rules()
    return snapshot.once(f"columns.map.{rules.fingerprint}", lambda: _discover(snapshot, rules))
