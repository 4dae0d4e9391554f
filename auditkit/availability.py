"""Availability samples: each visit of a home page, kept so that a week of them
can be judged by the 站点无法访问 rule (≥ 20 visits a day; a visit fails when the
home page has not opened within 15 s).

Audits record their own home-page visit; ``auditkit probe`` adds one sample and
``auditkit monitor`` adds them on a schedule.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from datetime import timedelta

import httpx

from auditkit.models import AvailabilitySample, PageRecord
from auditkit.store import Store, now
from auditkit.urls import host_allowed, normalize

MAX_BODY_BYTES = 4 * 2**20


def sample_from_page(site: str, page: PageRecord, timeout_s: float, run_id: str) -> AvailabilitySample:
    """The audit's own visit of the home page, as a sample."""
    opened_in_time = page.elapsed_ms is not None and page.elapsed_ms <= timeout_s * 1000
    ok = page.ok and opened_in_time
    error = page.error or (None if ok or not page.ok else f"打开耗时超过 {timeout_s:g} 秒")
    if not page.ok and not page.error:
        error = f"HTTP {page.status}"
    return AvailabilitySample(site=site, url=page.url, at=page.fetched_at, ok=ok, status=page.status,
                              elapsed_ms=page.elapsed_ms, error=error, source="audit", run_id=run_id)


async def probe(url: str, timeout_s: float, user_agent: str, allow_hosts: list[str] | None = None
                ) -> AvailabilitySample:
    """Visit the home page once over HTTP, timing the whole response."""
    site = normalize(url)
    if not host_allowed(site, allow_hosts):
        raise ValueError(f"{site} is outside the allowed hosts {allow_hosts}")
    at = now()
    started = time.perf_counter()
    status: int | None = None
    error: str | None = None
    try:
        async with httpx.AsyncClient(headers={"User-Agent": user_agent}, follow_redirects=True,
                                     verify=False) as client:

            async def fetch() -> int:
                async with client.stream("GET", site) as response:
                    read = 0
                    async for chunk in response.aiter_bytes():
                        read += len(chunk)
                        if read >= MAX_BODY_BYTES:
                            break
                    return response.status_code

            status = await asyncio.wait_for(fetch(), timeout_s)
    except TimeoutError:
        error = f"首页 {timeout_s:g} 秒内未打开 (timeout)"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    if error is None and status is not None and status >= 400:
        error = f"HTTP {status}"
    return AvailabilitySample(site=site, url=site, at=at, ok=error is None, status=status, elapsed_ms=elapsed,
                              error=error, source="probe")


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """'30m', '7d', '90s', '1.5h' → timedelta."""
    match = _DURATION.match(text.strip().lower())
    if not match:
        raise ValueError(f"duration wants a number and s/m/h/d, like 30m or 7d: {text!r}")
    return timedelta(seconds=float(match[1]) * _UNITS[match[2]])


async def monitor(
    url: str,
    store: Store,
    every: timedelta,
    duration: timedelta,
    timeout_s: float,
    user_agent: str,
    allow_hosts: list[str] | None = None,
    on_sample: Callable[[AvailabilitySample], None] | None = None,
) -> int:
    """Probe every ``every`` for ``duration``; each sample is stored at once. Returns the count."""
    deadline = time.monotonic() + duration.total_seconds()
    count = 0
    while True:
        started = time.monotonic()
        sample = await probe(url, timeout_s, user_agent, allow_hosts)
        store.add_sample(sample)
        count += 1
        if on_sample:
            on_sample(sample)
        next_at = started + every.total_seconds()
        if next_at >= deadline:
            return count
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
