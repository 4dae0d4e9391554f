"""Check links over plain HTTP: each URL once, concurrently, politely.

HEAD first, GET when HEAD fails or is refused (servers that 500 on HEAD and
200 on GET are common); retries with backoff on connection faults, 429 and
503; a GET reads at most a few KiB so an endless body cannot stall the run.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable

import httpx

from auditkit.models import ResourceStatus
from auditkit.settings import LinkCheckSettings
from auditkit.urls import host_allowed, host_of, is_http

RETRY_STATUSES = {429, 502, 503, 504}


class OfflineHostError(httpx.RequestError):
    """A request (typically a redirect hop) to a host that offline mode may not contact."""


def offline_guard(allow_hosts: list[str] | None) -> Callable[[httpx.Request], Awaitable[None]]:
    """httpx request hook: follow_redirects must not carry offline mode off the allowed hosts."""

    async def guard(request: httpx.Request) -> None:
        if not host_allowed(str(request.url), allow_hosts):
            raise OfflineHostError(f"offline mode: {request.url.host} not contacted", request=request)

    return guard


class LinkChecker:
    def __init__(self, settings: LinkCheckSettings, user_agent: str, allow_hosts: list[str] | None) -> None:
        self.settings = settings
        self.user_agent = user_agent
        self.allow_hosts = allow_hosts
        self._host_slots: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(settings.per_host_concurrency)
        )

    def _skip_reason(self, url: str, internal_hosts: set[str]) -> str | None:
        if not is_http(url):
            return "not an http(s) link"
        if not host_allowed(url, self.allow_hosts):
            return "offline mode: host not contacted"
        if host_of(url) not in internal_hosts and not self.settings.check_external:
            return "external links not checked"
        return None

    async def check_all(self, urls: Iterable[str], internal_hosts: set[str]) -> list[ResourceStatus]:
        results: list[ResourceStatus] = []
        to_check: list[str] = []
        external = 0
        for url in dict.fromkeys(urls):
            reason = self._skip_reason(url, internal_hosts)
            if reason is None and host_of(url) not in internal_hosts:
                external += 1
                if external > self.settings.max_external:
                    reason = f"external link limit ({self.settings.max_external}) reached"
            if reason:
                results.append(ResourceStatus(url=url, ok=True, skipped=reason))
            else:
                to_check.append(url)
        total = asyncio.Semaphore(self.settings.total_concurrency)
        limits = httpx.Limits(max_connections=self.settings.total_concurrency)
        timeout = httpx.Timeout(self.settings.timeout_s)
        async with httpx.AsyncClient(headers={"User-Agent": self.user_agent}, verify=False,
                                     follow_redirects=True, limits=limits, timeout=timeout,
                                     event_hooks={"request": [offline_guard(self.allow_hosts)]}) as client:

            async def one(url: str) -> ResourceStatus:
                async with total, self._host_slots[host_of(url)]:
                    return await self.check(client, url)

            results.extend(await asyncio.gather(*(one(url) for url in to_check)))
        return results

    async def check(self, client: httpx.AsyncClient, url: str) -> ResourceStatus:
        started = time.perf_counter()
        last_error: str | None = None
        response_status: int | None = None
        content_type: str | None = None
        final_url: str | None = None
        skipped: str | None = None
        method = "HEAD"
        for attempt in range(self.settings.retries + 1):
            if attempt:
                await asyncio.sleep(self.settings.backoff_s * 2 ** (attempt - 1))
            try:
                method = "HEAD"
                # wait_for bounds the whole exchange: httpx's timeout is per read,
                # and a server dripping bytes would never trip it.
                deadline = self.settings.timeout_s
                head: httpx.Response | None
                try:
                    head = await asyncio.wait_for(client.head(url), deadline)
                except (httpx.TimeoutException, OfflineHostError):
                    raise
                except httpx.TransportError:
                    head = None  # hung up on HEAD (some firewalls do): GET decides
                if head is None or head.status_code >= 400:
                    method = "GET"
                    response = await asyncio.wait_for(self._get(client, url), deadline)
                else:
                    response = head
                response_status = response.status_code
                content_type = response.headers.get("content-type")
                final_url = str(response.url)
                last_error = None
                if response_status not in RETRY_STATUSES:
                    break
            except OfflineHostError as exc:
                last_error, response_status, skipped = None, None, f"{exc} (redirect)"
                break
            except httpx.TooManyRedirects:
                last_error, response_status = "重定向循环 (redirect loop)", None
                break
            except (httpx.TimeoutException, TimeoutError):
                last_error, response_status = f"{self.settings.timeout_s:g} 秒内无响应 (timeout)", None
            except httpx.HTTPError as exc:
                last_error, response_status = f"{type(exc).__name__}: {exc}"[:300], None
        ok = skipped is not None or (last_error is None and response_status is not None and response_status < 400)
        return ResourceStatus(
            url=url, status=response_status, ok=ok, error=last_error, content_type=content_type,
            final_url=final_url, method=method, skipped=skipped,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    async def _get(self, client: httpx.AsyncClient, url: str) -> httpx.Response:
        """GET that stops reading after max_body_bytes (endless or huge bodies)."""
        async with client.stream("GET", url) as response:
            read = 0
            async for chunk in response.aiter_bytes():
                read += len(chunk)
                if read >= self.settings.max_body_bytes:
                    break
            return response
