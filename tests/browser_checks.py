"""Run browser checks on a local site without a whole audit, as the runner does: a snapshot
(crawled, or built from a few fetched pages), then the checks with one shared browser."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from auditkit.browser import BrowserSession
from auditkit.checks import Check, CheckContext, run_check
from auditkit.crawler import Crawler
from auditkit.models import CheckResult
from auditkit.settings import build_settings, deep_merge, package_defaults
from auditkit.snapshot import Snapshot
from auditkit.store import Store
from auditkit.testing import make_snapshot, page_from_html
from auditkit.urls import LOOPBACK_HOSTS, normalize


def _settings(check: Check, overrides: dict[str, Any] | None) -> dict[str, Any]:
    package = check.function.__module__.rsplit(".", 1)[0]
    return deep_merge(package_defaults(package)[package.rsplit(".", 1)[-1]], overrides or {})


async def run_checks(snapshot: Snapshot, checks: Sequence[Check], settings: dict[str, Any] | None = None,
                     session: BrowserSession | None = None) -> dict[str, CheckResult]:
    """Each check with its plugin's defaults (deep-merged with ``settings``) and a browser."""
    if session is None:
        async with BrowserSession(allow_hosts=LOOPBACK_HOSTS) as own:
            return await run_checks(snapshot, checks, settings, own)
    results = {}
    for check in checks:
        ctx = CheckContext(snapshot=snapshot, settings=_settings(check, settings), as_of=snapshot.as_of,
                           check_id=check.id, browser=session, allow_hosts=LOOPBACK_HOSTS, user_agent="auditkit-test")
        results[check.id] = await run_check(check, ctx, 300)
    return results


def fetched_snapshot(base: str, paths: Sequence[str], db: Path, as_of: date) -> Snapshot:
    """A snapshot of a few pages fetched over HTTP (the first is the start page): enough for
    checks that read titles, breadcrumbs and the home page's controls."""
    with httpx.Client() as client:
        pages = {base.rstrip("/") + path: client.get(base.rstrip("/") + path).text for path in paths}
    return make_snapshot(db, [page_from_html(url, html, as_of) for url, html in pages.items()], as_of)


async def crawl_and_check(url: str, checks: Sequence[Check], db: Path, as_of: date, max_pages: int = 120,
                          settings: dict[str, Any] | None = None) -> tuple[dict[str, CheckResult], Snapshot]:
    """Crawl ``url`` into ``db`` (bounded, no pauses) and run ``checks`` with the crawl's browser."""
    run_settings = build_settings({}, {"crawl": {"max_pages": max_pages, "per_host_delay_s": 0,
                                                 "per_host_concurrency": 4, "screenshot_home": False},
                                       "network": {"allow_hosts": LOOPBACK_HOSTS}})
    store = Store(db)
    url = normalize(url)
    run_id = store.start_run(url, "test", as_of, "{}", "test")
    async with BrowserSession(allow_hosts=LOOPBACK_HOSTS) as session:
        await Crawler(run_settings, session, store, run_id, as_of).run(url)
        snapshot = Snapshot(store, run_id, url, as_of)
        return await run_checks(snapshot, checks, settings, session), snapshot


def run(url: str, checks: Sequence[Check], db: Path, as_of: date, **options: Any
        ) -> tuple[dict[str, CheckResult], Snapshot]:
    return asyncio.run(crawl_and_check(url, checks, db, as_of, **options))
