"""Finding a site's entries to a channel or service the way an evaluator does.

"Does the portal offer a 12345 hotline, a 小程序, a 预约挂号 platform, a 疫情通报?" is answered
by what a visitor sees: a short link text or an image's alt text (an entry, a QR code), a link
to a known address, a page whose own title names it, or a phrase in a page's text (a hotline
number). Rules are data — words, URL parts, a text pattern — so plugins share this one
matcher; the matches are computed once per snapshot for every rule a plugin has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field
from selectolax.lexbor import LexborHTMLParser

from auditkit.columns import strip_site_name
from auditkit.models import Link, PageRecord
from auditkit.snapshot import Snapshot
from auditkit.urls import is_http


class EntryRule(BaseModel):
    """One thing to find. A label matches when it holds one of ``words`` and, if given, one of
    ``also``; short labels only (an entry), unless ``titles`` lets article titles count."""

    model_config = ConfigDict(extra="forbid")
    name: str
    words: list[str] = Field(default_factory=list)
    also: list[str] = Field(default_factory=list)
    url_parts: list[str] = Field(default_factory=list)  # a link to an address holding one of these
    text_pattern: str | None = None  # a regular expression over the page text (a hotline number)
    titles: bool = False
    #: only pages whose address or title holds one of these are looked at (an open-data platform)
    scope: list[str] = Field(default_factory=list)
    weight: float = Field(default=1.0, gt=0)


class FoundEntry(BaseModel):
    """Where a rule matched: the page it was seen on and where it leads."""

    page: str
    target: str  # the link's address; the page itself for a title or text match
    label: str
    via: Literal["link", "image", "url", "title", "text"]
    reachable: bool | None = None  # None: the target was not checked (another host, offline mode)


class EntryLimits(BaseModel):
    max_label_chars: int  # a longer link text is an article mentioning the words, not an entry
    max_title_chars: int  # for rules whose article titles count
    max_entries: int  # kept per rule (all are counted)


def _label_matches(rule: EntryRule, label: str, limits: EntryLimits) -> bool:
    if not label or not rule.words:
        return False
    if len(label) > (limits.max_title_chars if rule.titles else limits.max_label_chars):
        return False
    return any(w in label for w in rule.words) and (not rule.also or any(a in label for a in rule.also))


def _in_scope(rule: EntryRule, page: PageRecord) -> bool:
    if not rule.scope:
        return True
    where = f"{page.final_url or page.url} {page.title}".lower()
    return any(part.lower() in where for part in rule.scope)


def _link_label(link: Link) -> tuple[str, Literal["link", "image"]]:
    return ((link.alt or "").strip(), "image") if link.kind == "img" else (link.text.strip(), "link")


class EntryIndex:
    """Every rule's matches over the snapshot's pages, in crawl order."""

    def __init__(self, snapshot: Snapshot, rules: dict[str, EntryRule], limits: EntryLimits) -> None:
        self.rules = rules
        self.limits = limits
        self.found: dict[str, list[FoundEntry]] = {key: [] for key in rules}
        self.counts: dict[str, int] = dict.fromkeys(rules, 0)
        self._seen: set[tuple[str, str]] = set()
        patterns = {key: re.compile(r.text_pattern) for key, r in rules.items() if r.text_pattern}
        label_memo: dict[str, list[str]] = {}
        url_memo: dict[str, list[str]] = {}
        for page in snapshot.html_pages():
            self._scan(snapshot, page, patterns, label_memo, url_memo)

    def _add(self, key: str, entry: FoundEntry) -> None:
        if (key, entry.target) in self._seen:
            return
        self._seen.add((key, entry.target))
        self.counts[key] += 1
        if len(self.found[key]) < self.limits.max_entries:
            self.found[key].append(entry)

    def _labelled(self, label: str, memo: dict[str, list[str]]) -> list[str]:
        if label not in memo:
            memo[label] = [k for k, r in self.rules.items() if _label_matches(r, label, self.limits)]
        return memo[label]

    def _scan(self, snapshot: Snapshot, page: PageRecord, patterns: dict[str, re.Pattern[str]],
              label_memo: dict[str, list[str]], url_memo: dict[str, list[str]]) -> None:
        url = page.final_url or page.url
        scoped = {k for k, r in self.rules.items() if _in_scope(r, page)}
        own = strip_site_name(page.title)
        for key in self._labelled(own, label_memo):
            if key in scoped:
                self._add(key, FoundEntry(page=url, target=url, label=own, via="title", reachable=True))
        for key, pattern in patterns.items():
            if key in scoped and (match := pattern.search(page.text)):
                self._add(key, FoundEntry(page=url, target=url, label=match.group(0)[:80], via="text",
                                          reachable=True))
        for link in page.links:
            if not is_http(link.url):
                continue
            label, via = _link_label(link)
            keys = [(k, via) for k in self._labelled(label, label_memo)]
            if link.kind == "a":
                if link.url not in url_memo:
                    lowered = link.url.lower()
                    url_memo[link.url] = [k for k, r in self.rules.items() if any(p in lowered for p in r.url_parts)]
                keys += [(k, "url") for k in url_memo[link.url] if k not in {k2 for k2, _ in keys}]
            for key, how in keys:
                if key in scoped:
                    status = snapshot.link_status(link.url)
                    reachable = None if status is None or status.skipped else status.ok
                    self._add(key, FoundEntry(page=url, target=link.url, label=label or link.url, via=how,
                                              reachable=reachable))

    def entries(self, key: str) -> list[FoundEntry]:
        return self.found[key]


def entry_index(snapshot: Snapshot, rules: dict[str, EntryRule], limits: EntryLimits) -> EntryIndex:
    """The index for this rule set, built once per snapshot."""
    fingerprint = limits.model_dump_json() + "".join(
        f"{k}={r.model_dump_json()}" for k, r in sorted(rules.items()))
    return snapshot.once("entries." + fingerprint, lambda: EntryIndex(snapshot, rules, limits))


def system_of(url: str, segments: int = 1) -> str:
    """The system an address belongs to: its host and first path segments (/hdjl/… is one
    interaction platform, another host another system)."""
    parts = urlsplit(url)
    path = [p for p in parts.path.split("/") if p][:segments]
    return parts.netloc + "/" + "/".join(path)


CONTROLS = ("a, button, label, option, input[type=button], input[type=submit], input[type=radio], "
            "[onclick], [role=button], [role=radio]")


def control_labels(tree: LexborHTMLParser, words: list[str], max_chars: int) -> list[str]:
    """Texts of a page's clickable controls (links, buttons, radio choices) that hold one of
    ``words``: a 我要评价 button, 满意 / 不满意 choices under a reply."""
    found = []
    for node in tree.css(CONTROLS):
        label = (node.text(strip=True) or node.attributes.get("value") or node.attributes.get("title") or "").strip()
        if label and len(label) <= max_chars and any(w in label for w in words):
            found.append(label)
    return found


def pages_with_controls(snapshot: Snapshot, urls: Iterable[str], words: list[str], max_chars: int
                        ) -> dict[str, list[str]]:
    """Of the pages at ``urls``, those offering such controls, with their labels."""
    found = {}
    for url in urls:
        tree = snapshot.parse(url)
        if tree is not None and (labels := control_labels(tree, words, max_chars)):
            found[url] = labels
    return found
