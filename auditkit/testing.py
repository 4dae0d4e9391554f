"""Helpers for testing checks without a browser: build a snapshot from pages,
run one check over it. Plugin authors use the same helpers as the built-ins."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from auditkit.checks import Check, CheckContext, run_check
from auditkit.dates import find_dates
from auditkit.models import CheckResult, Link, PageRecord
from auditkit.settings import package_defaults
from auditkit.snapshot import Snapshot
from auditkit.store import Store
from auditkit.urls import LOOPBACK_HOSTS, normalize


def page_from_html(url: str, html: str, as_of: date, status: int = 200, **fields: Any) -> PageRecord:
    """A PageRecord as the crawler would store it, from HTML alone (links without layout regions)."""
    tree = LexborHTMLParser(html)
    text = tree.body.text(separator="\n") if tree.body else ""
    links = [
        Link(url=normalize(urljoin(url, a.attributes.get("href") or "")), text=a.text(strip=True))
        for a in tree.css("a[href]")
    ]
    links += [
        Link(url=normalize(urljoin(url, i.attributes.get("src") or "")), kind="img",
             alt=i.attributes.get("alt"))
        for i in tree.css("img[src]")
    ]
    title = tree.css_first("title")
    record = {"url": normalize(url), "status": status, "fetched_at": datetime.now(UTC), "html": html,
              "text": text, "title": title.text(strip=True) if title else "", "links": links,
              "dates": find_dates(text, as_of), "elapsed_ms": 50.0, "content_type": "text/html"}
    return PageRecord.model_validate(record | fields)


def make_snapshot(
    db_path: Path,
    pages: list[PageRecord] | dict[str, str],
    as_of: date,
    start_url: str | None = None,
) -> Snapshot:
    """Store ``pages`` (records, or ``{url: html}``) as one run and return its snapshot."""
    records = [page_from_html(u, h, as_of) for u, h in pages.items()] if isinstance(pages, dict) else pages
    store = Store(db_path)
    start = normalize(start_url or records[0].url)
    run_id = store.start_run(start, "test", as_of, "{}", "test")
    for record in records:
        store.add_page(run_id, record)
    return Snapshot(store, run_id, start, as_of)


def plugin_settings(package: str) -> dict[str, Any]:
    """A built-in or third-party plugin's defaults from its ``settings.toml`` (all sections merged)."""
    merged: dict[str, Any] = {}
    for section in package_defaults(package).values():
        merged.update(section)
    return merged


def check_once(
    check: Check,
    snapshot: Snapshot,
    settings: dict[str, Any] | None = None,
    allow_hosts: list[str] | None = LOOPBACK_HOSTS,
    timeout_s: float = 60,
) -> CheckResult:
    """Run one check as the runner would (isolated, time-limited) and return its result."""
    ctx = CheckContext(snapshot=snapshot, settings=settings or {}, as_of=snapshot.as_of, check_id=check.id,
                       allow_hosts=allow_hosts, user_agent="auditkit-test")
    return asyncio.run(run_check(check, ctx, timeout_s))
