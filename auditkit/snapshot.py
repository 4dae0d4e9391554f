"""The snapshot checks read: gathered once by the crawler, kept in the store.

Checks never re-fetch what is here. Pages are read from SQLite on demand so a
2,000-page site does not sit in memory; parsed trees are cached a few at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from functools import cached_property, lru_cache
from typing import Any, TypeVar
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from auditkit.models import PageRecord, ResourceStatus
from auditkit.store import Store

T = TypeVar("T")


class Snapshot:
    def __init__(self, store: Store, run_id: str, start_url: str, as_of: date) -> None:
        self.store = store
        self.run_id = run_id
        self.start_url = start_url
        self.as_of = as_of
        self.parse = lru_cache(maxsize=32)(self._parse)
        self._computed: dict[str, Any] = {}
        self._compute_lock = threading.RLock()

    def once(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per snapshot and key: what several checks read (the column map,
        service guides, entries) is derived once, even when checks run in parallel threads."""
        with self._compute_lock:
            if key not in self._computed:
                self._computed[key] = compute()
            return self._computed[key]

    def pages(self) -> Iterator[PageRecord]:
        """Every crawled URL, breadth-first order (including failures)."""
        return self.store.iter_pages(self.run_id)

    def html_pages(self) -> Iterator[PageRecord]:
        """Pages that rendered as HTML with a non-error status."""
        return (p for p in self.pages() if p.ok and p.html)

    def page(self, url: str) -> PageRecord | None:
        return self.store.get_page(self.run_id, url)

    @cached_property
    def home(self) -> PageRecord | None:
        return self.page(self.start_url)

    @property
    def host(self) -> str:
        return urlsplit(self.start_url).hostname or ""

    @cached_property
    def resources(self) -> dict[str, ResourceStatus]:
        """URL → plain-HTTP check result, for links that were not rendered."""
        return self.store.resources(self.run_id)

    @cached_property
    def page_statuses(self) -> dict[str, tuple[int | None, str | None]]:
        return self.store.page_statuses(self.run_id)

    def link_status(self, url: str) -> ResourceStatus | None:
        """What is known of a link target: a rendered page's status or a resource check."""
        if url in self.resources:
            return self.resources[url]
        if url in self.page_statuses:
            status, error = self.page_statuses[url]
            return ResourceStatus(url=url, status=status, error=error,
                                  ok=error is None and status is not None and status < 400)
        return None

    def _parse(self, url: str) -> LexborHTMLParser | None:
        page = self.page(url)
        return LexborHTMLParser(page.html) if page and page.html else None
