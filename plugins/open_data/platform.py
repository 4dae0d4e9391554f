"""What the crawler saw of the open-data platform: its catalogue tables, datasets, formats, update
frequencies, domains, and the 数据申请 function."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from auditkit.columns import TopicMatch, discover
from auditkit.snapshot import Snapshot


@dataclass
class Dataset:
    name: str
    page: str
    formats: set[str] = field(default_factory=set)
    frequency: str = ""
    domains: set[str] = field(default_factory=set)


@dataclass
class OpenData:
    match: TopicMatch
    pages: list[str]  # crawled pages of the platform
    catalogues: list[str]  # pages holding a catalogue table
    datasets: list[Dataset]
    text: str  # all the platform pages' text

    @property
    def in_scope(self) -> bool:
        return bool(self.pages)


def _cell_index(headers: list[str], words: list[str]) -> int | None:
    return next((i for i, h in enumerate(headers) if any(w in h for w in words)), None)


def _formats(text: str, settings: dict[str, Any]) -> set[str]:
    lowered = text.lower()
    return {name for name, words in settings["formats"].items()
            if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", lowered) for w in words)}


def open_data(snapshot: Snapshot, settings: dict[str, Any]) -> OpenData:
    cmap = discover(snapshot)
    match = cmap.topic("open_data")
    if not match.found or match.url is None:
        return OpenData(match, [], [], [], "")
    start = urlsplit(match.url)
    prefix = start.path if start.path.endswith("/") else start.path.rsplit("/", 1)[0] + "/"
    same_site = start.netloc == urlsplit(snapshot.start_url).netloc
    pages = [p for p in snapshot.html_pages() if urlsplit(p.url).netloc == start.netloc
             and (not same_site or urlsplit(p.url).path.startswith(prefix))]
    datasets: list[Dataset] = []
    catalogues: list[str] = []
    for page in pages:
        tree = snapshot.parse(page.url)
        for table in tree.css("table") if tree else []:
            rows = table.css("tr")
            if not rows:
                continue
            headers = [c.text(strip=True) for c in rows[0].css("th, td")]
            name_at = _cell_index(headers, settings["catalogue_headers"])
            if name_at is None:
                continue
            catalogues.append(page.url)
            domain_at = _cell_index(headers, settings["domain_headers"])
            format_at = _cell_index(headers, settings["format_headers"])
            frequency_at = _cell_index(headers, settings["frequency_headers"])
            for row in rows[1:]:
                cells = [c.text(strip=True) for c in row.css("td")]
                if len(cells) <= name_at or not cells[name_at]:
                    continue
                links = " ".join(a.attributes.get("href") or "" for a in row.css("a[href]"))
                format_text = cells[format_at] if format_at is not None and format_at < len(cells) else " ".join(cells)
                dataset = Dataset(cells[name_at], page.url, _formats(f"{format_text} {links}", settings))
                if frequency_at is not None and frequency_at < len(cells):
                    dataset.frequency = cells[frequency_at]
                domain_text = cells[domain_at] if domain_at is not None and domain_at < len(cells) else " ".join(cells)
                dataset.domains = {d for d in settings["domains"] if d in domain_text}
                datasets.append(dataset)
    return OpenData(match, [p.url for p in pages], sorted(set(catalogues)), datasets,
                    "\n".join(p.text for p in pages))
