"""Pairing policy documents with their interpretations: explicit 相关解读 / 相关文件 links either way
first, then titles (the name inside 《》, else jieba words without boilerplate)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from auditkit.columns import ColumnMap, TopicMatch, strip_site_name
from auditkit.snapshot import Snapshot
from auditkit.text import Segmenter

_QUOTED = re.compile(r"《([^》]+)》")
_SEGMENTER = Segmenter()


@dataclass
class Item:
    url: str
    title: str
    date: date | None = None


@dataclass
class Pair:
    document: Item
    interpretation: Item
    how: str  # "document_link" | "interpretation_link" | "title"


@dataclass
class Pairing:
    documents: list[Item]
    interpretations: list[Item]
    pairs: list[Pair] = field(default_factory=list)
    document_column: TopicMatch | None = None
    interpretation_column: TopicMatch | None = None

    def interpretations_of(self, document_url: str) -> list[Pair]:
        return [p for p in self.pairs if p.document.url == document_url]

    def linked(self, interpretation_url: str) -> bool:
        """The interpretation and its document link to each other (解读材料与政策文件相互关联)."""
        return any(p.interpretation.url == interpretation_url and p.how != "title" for p in self.pairs)


def is_interpretation(title: str, settings: dict[str, Any]) -> bool:
    return any(w in title for w in settings["interpretation_title_words"])


def _items(cmap: ColumnMap, topic_id: str) -> list[Item]:
    """Items of a topic's column and of every other column that also matches it, once each."""
    match = cmap.topic(topic_id)
    found: dict[str, Item] = {}
    for url in ([match.url] if match.found else []) + match.alternatives:
        candidate = cmap.candidate(url)
        for item in candidate.items if candidate else []:
            found.setdefault(item.url, Item(item.url, item.label or item.text, item.date))
    return list(found.values())


def core_title(title: str, settings: dict[str, Any]) -> tuple[str, frozenset[str]]:
    """(the name inside 《》 or "", the title's content words without boilerplate)."""
    quoted = _QUOTED.findall(title)
    stripped = title
    for word in sorted(settings["title_boilerplate"], key=len, reverse=True):
        stripped = stripped.replace(word, " ")
    words = frozenset(w for w in _SEGMENTER.cut(re.sub(r"[《》“”\"'（）()]", " ", stripped)) if len(w.strip()) >= 2)
    return (quoted[0].strip() if quoted else ""), words


def titles_match(document: str, interpretation: str, settings: dict[str, Any]) -> bool:
    doc_name, doc_words = core_title(document, settings)
    int_name, int_words = core_title(interpretation, settings)
    if doc_name and int_name:
        return doc_name == int_name or doc_name in int_name or int_name in doc_name
    if not doc_words or not int_words:
        return False
    return len(doc_words & int_words) / len(doc_words | int_words) >= settings["title_min_overlap"]


def pair_policies(cmap: ColumnMap, snapshot: Snapshot, settings: dict[str, Any]) -> Pairing:
    documents = [d for d in _items(cmap, "policy_documents") if not is_interpretation(d.title, settings)]
    interpretations = {i.url: i for i in _items(cmap, "interpretation")}
    srules = cmap.rules.structure
    for info in cmap.structure.pages.values():
        title = strip_site_name(info.title, srules.title_separators)
        if info.role.role == "other" and not info.home and is_interpretation(title, settings):
            interpretations.setdefault(info.url, Item(info.url, title))
    pairing = Pairing(documents, list(interpretations.values()), document_column=cmap.topic("policy_documents"),
                      interpretation_column=cmap.topic("interpretation"))
    by_url = {d.url: d for d in documents}
    seen: set[tuple[str, str]] = set()

    def add(document: Item, interpretation: Item, how: str) -> None:
        if (document.url, interpretation.url) not in seen:
            seen.add((document.url, interpretation.url))
            pairing.pairs.append(Pair(document, interpretation, how))

    for document in documents:
        page = snapshot.page(document.url)
        for link in page.links if page else []:
            if link.url in interpretations:
                add(document, interpretations[link.url], "document_link")
            elif link.url not in by_url and link.url not in cmap.candidates and link.region == "body" \
                    and any(w in link.text for w in settings["document_link_words"]) \
                    and is_interpretation(link.text, settings):
                # an interpretation outside every column (linked from its document only)
                add(document, interpretations.setdefault(link.url, Item(link.url, link.text)), "document_link")
    pairing.interpretations = list(interpretations.values())
    for interpretation in pairing.interpretations:
        page = snapshot.page(interpretation.url)
        for link in page.links if page else []:
            if link.url in by_url:
                add(by_url[link.url], interpretation, "interpretation_link")
    for document in documents:
        if not pairing.interpretations_of(document.url):
            for interpretation in pairing.interpretations:
                if titles_match(document.title, interpretation.title, settings):
                    add(document, interpretation, "title")
    return pairing
