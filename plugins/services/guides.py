"""Service guides (办事指南) found on the crawled pages and read element by element.

A page is a guide when it labels at least ``guide_min_labels`` of the guide
elements (standards §1: 事项名称, 设定依据, 申请条件, 办理材料, 办理地点, 办理机构,
收费标准, 办理时间, 联系电话, 办理流程; and 表格下载). Each element is present,
missing, or empty — printed without content, as a vague reference ("详见相关
规定") or as "无" where a value is needed.

Column discovery (``auditkit/columns.py``) should later say which pages sit in a
办事指南 column; today guides are recognised by their labels alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from selectolax.lexbor import LexborNode

from auditkit.models import PageRecord
from auditkit.snapshot import Snapshot
from auditkit.urls import has_extension
from auditkit_plugins.services.fields import (
    Chunk,
    Field,
    Labels,
    extract_fields,
    heading,
    inside,
    page_chunks,
    per_snapshot,
)

ElementStatus = Literal["present", "missing", "empty"]
STATUS_NAMES = {"present": "齐全", "missing": "缺失", "empty": "内容空泛"}
LAYOUT_NAMES = {"table": "表格", "dl": "定义列表", "sections": "分节标题", "inline": "段落（标签：内容）"}


@cache
def label_table() -> dict[str, dict[str, list[str]]]:
    """``data/guide_labels.yaml``: the guide elements and the extra fields, with their labels."""
    text = resources.files("auditkit_plugins.services").joinpath("data/guide_labels.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def guide_labels() -> Labels:
    table = label_table()
    return Labels({**table["elements"], **table["extras"]})


@dataclass
class Element:
    name: str
    status: ElementStatus
    value: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    from_heading: bool = False  # 事项名称 taken from the page heading: the guide has no such label


@dataclass
class Guide:
    url: str
    title: str
    layout: str
    elements: dict[str, Element]
    extras: dict[str, str]
    attachments: list[tuple[str, str]]  # (URL, link text) of forms and attachments
    online_entries: list[tuple[str, str]]  # 在线办理 / 在线申报 / 查询 links
    text: str  # the guide page's text without header, navigation and footer

    def with_status(self, status: ElementStatus, names: list[str]) -> list[str]:
        return [n for n in names if self.elements[n].status == status]

    def present(self, names: list[str]) -> int:
        return len(self.with_status("present", names))


def element_status(name: str, item: Field | None, settings: dict[str, Any]) -> ElementStatus:
    """Missing without a label; empty when the value says nothing (blank, "详见…" without a
    link, "无" where the element needs a value)."""
    if item is None:
        return "missing"
    value = re.sub(r"[\s。；;，,.]+$", "", item.value.strip())
    if not value and not item.links:
        return "empty"
    if value in settings["guide_none_values"]:
        return "present" if name in settings["guide_none_allowed"] else "empty"
    vague = any(re.search(p, value) for p in settings["guide_vague_patterns"])
    if vague and not item.links and len(value) <= settings["guide_vague_max_chars"]:
        return "empty"
    return "present"


def guide_body(fields: list[Field], share: float = 0.6) -> LexborNode | None:
    """The deepest element holding at least ``share`` of the labels: the guide itself."""
    counts: dict[int, int] = Counter()
    nodes: dict[int, tuple[int, LexborNode]] = {}
    for item in fields:
        current = item.node.parent
        chain = []
        while current is not None:
            chain.append(current)
            current = current.parent
        for depth, node in enumerate(reversed(chain)):
            counts[node.mem_id] += 1
            nodes[node.mem_id] = (depth, node)
    needed = max(2, share * len(fields))
    deepest = [nodes[key] for key, n in counts.items() if n >= needed]
    return max(deepest, key=lambda pair: pair[0])[1] if deepest else None


def read_guide(page: PageRecord, lines: list[Chunk], title: str, settings: dict[str, Any]) -> Guide | None:
    """The guide on one page, or None when the page labels too few guide elements."""
    table = label_table()
    fields = extract_fields(lines, guide_labels())
    names = list(table["elements"])
    # A label printed twice (a 实施主体 line above the guide, then the guide itself): the one
    # inside the element holding most of the guide's labels wins, then the first with a value.
    body = guide_body([f for f in fields if f.label in names])
    ranked = sorted(fields, key=lambda f: (body is not None and not inside(f.node, body), not f.value))
    first: dict[str, Field] = {}
    for item in ranked:
        first.setdefault(item.label, item)
    if sum(name in first for name in names) < settings["guide_min_labels"] or \
            sum(name in first for name in settings["guide_core_elements"]) < settings["guide_min_core"]:
        return None
    elements: dict[str, Element] = {}
    for name in names:
        item = first.get(name)
        status = element_status(name, item, settings)
        elements[name] = Element(name, status, item.value if item else "", item.links if item else [])
    name_element = elements["事项名称"]
    if name_element.status == "missing" and title:
        # Many guides print the item's name as their heading only; evaluators accept that.
        elements["事项名称"] = Element("事项名称", "present", title, from_heading=True)
    extensions = settings["attachment_extensions"]
    attachments: dict[str, str] = {}
    for name in names:
        item = first.get(name)
        for url, text in item.links if item else []:
            if name == "表格下载" or has_extension(url, extensions) or has_extension(text, extensions):
                attachments.setdefault(url, text)
    online_words = settings["online_entry_words"]
    online = {url: text for line in lines for url, text in line.links
              if any(w in text for w in online_words) and url not in attachments}
    layouts = Counter(first[n].layout for n in names if n in first)
    return Guide(
        url=page.url, title=title or name_element.value, layout=layouts.most_common(1)[0][0],
        elements=elements, extras={n: first[n].value for n in table["extras"] if n in first},
        attachments=list(attachments.items()), online_entries=list(online.items()),
        text="\n".join(line.text for line in lines),
    )


def _may_be_guide(page: PageRecord, min_labels: int) -> bool:
    """Cheap pre-filter before parsing: enough element labels appear somewhere in the text."""
    elements = label_table()["elements"]
    return sum(any(label in page.text for label in (name, *labels)) for name, labels in elements.items()) \
        >= min_labels


def site_guides(snapshot: Snapshot, settings: dict[str, Any]) -> list[Guide]:
    """Every guide on the crawled pages, in crawl order (computed once per snapshot)."""

    def compute() -> list[Guide]:
        guides: list[Guide] = []
        for page in snapshot.html_pages():
            if not _may_be_guide(page, settings["guide_min_labels"]):
                continue
            tree = snapshot.parse(page.url)
            if tree is None:
                continue
            lines = page_chunks(tree, page.final_url or page.url, settings["layout_hints"])
            guide = read_guide(page, lines, heading(tree, settings["layout_hints"]), settings)
            if guide is not None:
                guides.append(guide)
        return guides

    return per_snapshot(snapshot, "services.guides", settings, compute)
