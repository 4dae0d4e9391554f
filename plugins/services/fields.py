"""Labelled fields (标签：值) on government pages: service guides, messages, surveys.

Real pages lay out the same label/value pairs as table cells (th/td or td/td,
two or four to a row), definition lists (dt/dd), headed sections (h3 + p) and
inline paragraphs ("办理地点：…"). A page is read as a sequence of text chunks,
one per block element or ``<br>`` line, skipping header, navigation and footer;
a chunk that starts with a known label opens a field whose value runs until the
next label, within the label's own row, list or section.

The interaction plugin reads messages and surveys with the same engine. Until
the shared column engine (``auditkit/columns.py``) exists, pages are recognised
by these labels, not by the column they sit in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from auditkit.columns import is_layout, strip_site_name
from auditkit.snapshot import Snapshot
from auditkit.urls import is_http, normalize

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main",
    "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "select", "option", "button", "textarea",
                       "head", "title", "iframe", "svg", "object"})
_SPACE = re.compile(r"\s+")
# "一、" "（二）" "3." "4、" before a label; "【" "★" around it
_NUMBERING = r"(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]\s*)?[【\[〔★●·]?\s*"
# a note in brackets between label and colon: 办理材料（申请人需提交）：
_NOTE = r"(?:\s*[（(][^）)]{0,24}[)）])?"
# what ends a label: a closing bracket, a colon, a space, the end of the line
_END = r"(?:\s*[】\]〕]\s*[:：]?|\s*[:：]|\s+|$)"


@dataclass
class Chunk:
    """One line of text as a reader sees it, with the links it holds."""

    text: str
    block: LexborNode
    links: list[tuple[str, str]] = field(default_factory=list)  # (absolute URL, link text)


@dataclass
class Field:
    """One label and its value. ``layout`` says how the page laid it out."""

    label: str  # canonical name
    raw_label: str  # as the page wrote it
    value: str
    links: list[tuple[str, str]]
    layout: str  # table | dl | sections | inline
    node: LexborNode  # the label's own block


def chunks(root: LexborNode, base_url: str, layout_hints: Iterable[str] = ()) -> list[Chunk]:
    """The text of ``root`` as lines (one per block element or ``<br>``), layout regions left out."""
    hints = frozenset(h.lower() for h in layout_hints)
    out: list[Chunk] = []
    parts: list[str] = []
    links: list[tuple[str, str]] = []

    def flush(block: LexborNode) -> None:
        text = _SPACE.sub(" ", "".join(parts)).strip()
        if text or links:
            out.append(Chunk(text, block, list(links)))
        parts.clear()
        links.clear()

    def walk(node: LexborNode, block: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                parts.append(child.text_content or "")
            elif tag.startswith("-") or tag in SKIP_TAGS or (hints and is_layout(child, hints)):
                continue
            elif tag == "br":
                flush(block)
            elif tag in BLOCK_TAGS:
                flush(block)
                walk(child, child)
                flush(child)
            else:
                if tag == "a":
                    href = (child.attributes.get("href") or "").strip()
                    url = urljoin(base_url, href)
                    if href and not href.startswith("#") and is_http(url):
                        links.append((normalize(url), _SPACE.sub(" ", child.text()).strip()))
                walk(child, block)

    walk(root, root)
    flush(root)
    return out


def page_chunks(tree: LexborHTMLParser, base_url: str, layout_hints: Iterable[str]) -> list[Chunk]:
    """The body's lines without header, navigation and footer."""
    return chunks(tree.body, base_url, layout_hints) if tree.body else []


class Labels:
    """Field names and the labels pages print for them (``{name: [label, …]}``; longest label wins)."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.canonical: dict[str, str] = {}
        for name, labels in table.items():
            for label in labels:
                self.canonical.setdefault(_SPACE.sub("", label), name)
        alternatives = "|".join(r"\s*".join(map(re.escape, label))
                                for label in sorted(self.canonical, key=len, reverse=True))
        # A label ends the line, or is followed by a colon or a space: "申请条件符合…" is prose.
        self.pattern = re.compile(
            rf"^{_NUMBERING}(?P<label>{alternatives}){_NOTE}{_END}\s*(?P<rest>.*)$", re.S)

    def match(self, text: str) -> tuple[str, str, str] | None:
        """(canonical name, label as written, rest of the line) when ``text`` starts with a label."""
        found = self.pattern.match(text)
        if not found:
            return None
        raw = _SPACE.sub("", found["label"])
        return self.canonical[raw], raw, found["rest"].strip()

    def exact(self, text: str) -> str | None:
        """The canonical name when ``text`` is a label and nothing else (a table header cell)."""
        found = self.match(text)
        return found[0] if found and not found[2] else None


def inside(node: LexborNode, ancestor: LexborNode) -> bool:
    """``node`` is ``ancestor`` or sits within it."""
    current: LexborNode | None = node
    while current is not None:
        if current.mem_id == ancestor.mem_id:
            return True
        current = current.parent
    return False


def _layout(block: LexborNode, inline: bool) -> str:
    if inline:
        return "inline"
    if block.tag in ("th", "td"):
        return "table"
    if block.tag in ("dt", "dd"):
        return "dl"
    return "sections"


def _cell(block: LexborNode, levels: int = 3) -> LexborNode | None:
    """The table cell a label sits in (the block itself, or a wrapper's cell)."""
    current: LexborNode | None = block
    for _ in range(levels):
        if current is None or current.tag in ("tr", "table"):
            return None
        if current.tag in ("td", "th"):
            return current
        current = current.parent
    return None


def _next_cell(cell: LexborNode) -> LexborNode | None:
    current = cell.next
    while current is not None and current.tag not in ("td", "th"):
        current = current.next
    return current


def extract_fields(lines: list[Chunk], labels: Labels, max_scope_levels: int = 3) -> list[Field]:
    """Every labelled field in reading order. A value is the rest of the label's line plus the
    lines after it up to the next label that sit in the label's own scope: the next cell of a
    table row (rows often hold two label/value pairs), else the label's list or section (its
    parent, widened a level or two when the value sits in a sibling wrapper)."""
    starts = [(i, m) for i, line in enumerate(lines) if (m := labels.match(line.text))]
    found: list[Field] = []
    for k, (i, (name, raw, rest)) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        following = lines[i + 1:end]
        taken: list[Chunk] = []
        cell = _cell(lines[i].block) if not rest else None
        value_cell = _next_cell(cell) if cell is not None else None
        if value_cell is not None:
            following = [line for line in following if inside(line.block, value_cell)]
        scope = value_cell or lines[i].block.parent
        for _ in range(max_scope_levels):
            if scope is None:
                break
            taken = []
            for line in following:
                if not inside(line.block, scope):
                    break
                taken.append(line)
            if taken or rest:
                break
            scope = scope.parent
        own_links = lines[i].links
        value = "\n".join(([rest] if rest else []) + [line.text for line in taken if line.text])
        found.append(Field(name, raw, value, own_links + [link for line in taken for link in line.links],
                           _layout(cell or lines[i].block, bool(rest)), lines[i].block))
    return found


def group_records(fields: list[Field]) -> list[dict[str, Field]]:
    """Split a run of fields into records: a label seen again starts the next record
    (a list page printing 留言时间 … 回复时间 … once per message)."""
    records: list[dict[str, Field]] = []
    current: dict[str, Field] = {}
    for item in fields:
        if item.label in current:
            records.append(current)
            current = {}
        current[item.label] = item
    if current:
        records.append(current)
    return records


@dataclass
class TableRow:
    values: dict[str, str]  # canonical name → cell text
    links: list[tuple[str, str]]


def header_tables(tree: LexborHTMLParser, base_url: str, labels: Labels, min_columns: int = 2) -> list[TableRow]:
    """Rows of tables whose header row names at least ``min_columns`` known labels
    (序号 | 留言标题 | 留言时间 | 回复时间 | 状态), each cell read under its column's name. In a
    header most cells are labels; a label/value row (留言时间 | 2021-10-12 | 状态 | 已办结) is none."""
    rows: list[TableRow] = []
    for table in tree.css("table"):
        trs = [tr for tr in table.css("tr") if _own_row(tr, table)]
        header: dict[int, str] | None = None
        for tr in trs:
            cells = [c for c in tr.iter() if c.tag in ("th", "td")]
            if header is None:
                names = {i: name for i, c in enumerate(cells) if (name := labels.exact(_cell_text(c)))}
                filled = sum(bool(_cell_text(c)) for c in cells)
                if len(set(names.values())) >= min_columns and len(names) * 2 > filled:
                    header = names
                continue
            values = {name: _cell_text(cells[i]) for i, name in header.items() if i < len(cells)}
            links = []
            for a in tr.css("a[href]"):
                href = (a.attributes.get("href") or "").strip()
                url = urljoin(base_url, href)
                if href and not href.startswith("#") and is_http(url):
                    links.append((normalize(url), _SPACE.sub(" ", a.text()).strip()))
            rows.append(TableRow(values, links))
    return rows


def _own_row(tr: LexborNode, table: LexborNode) -> bool:
    """A row of this table, not of a table nested in one of its cells."""
    current = tr.parent
    while current is not None and current.tag != "table":
        current = current.parent
    return current is not None and current.mem_id == table.mem_id


def _cell_text(cell: LexborNode) -> str:
    return _SPACE.sub(" ", cell.text(separator=" ")).strip()


def heading(tree: LexborHTMLParser, layout_hints: Iterable[str]) -> str:
    """The page's own heading: its first ``h1`` outside the layout, else the ``<title>`` before a separator."""
    hints = frozenset(h.lower() for h in layout_hints)
    for node in tree.css("h1"):
        current: LexborNode | None = node
        while current is not None and not is_layout(current, hints):
            current = current.parent
        text = _SPACE.sub(" ", node.text()).strip()
        if current is None and text:
            return text
    title = tree.css_first("title")
    text = title.text(strip=True) if title else ""
    return strip_site_name(text)


# --- one computation per snapshot, shared by the checks that read it -----------------

T = TypeVar("T")

def per_snapshot(snapshot: Snapshot, name: str, settings: dict[str, Any], compute: Callable[[], T]) -> T:
    """``compute()`` once per snapshot and settings: several checks read the same guides or
    messages, and parsing every page once per check would multiply the work."""
    return snapshot.once(name + json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str), compute)
