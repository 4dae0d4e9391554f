"""pytest fixtures for plugin authors (the ``pytest11`` entry point ``auditkit``).

- ``auditkit_serve``: start a local site from routes (``{path: route}``) or a folder;
- ``auditkit_snapshot``: build a snapshot from ``{url: html}`` without a browser;
- ``auditkit_check``: run one check over a snapshot as the runner would;
- ``auditkit_offline``: refuse (and record) any httpx request to a non-loopback host.

auditkit's own tests use these same fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from auditkit.checks import Check
from auditkit.models import CheckResult, PageRecord
from auditkit.snapshot import Snapshot
from auditkit.testing import Route, RouteSite, check_once, make_snapshot, serve_routes
from auditkit.urls import is_loopback


@pytest.fixture
def auditkit_serve() -> Iterator[Callable[[dict[str, Route]], RouteSite]]:
    """``auditkit_serve(routes)`` → a running loopback site; all are closed after the test."""
    with ExitStack() as stack:
        yield lambda routes: stack.enter_context(serve_routes(routes))


@pytest.fixture
def auditkit_snapshot(tmp_path: Path) -> Callable[..., Snapshot]:
    """``auditkit_snapshot({url: html} | [PageRecord], as_of=date(...), start_url=None)`` → a Snapshot."""
    counter = iter(range(1_000_000))

    def build(pages: dict[str, str] | list[PageRecord], as_of: date, start_url: str | None = None) -> Snapshot:
        return make_snapshot(tmp_path / f"snapshot-{next(counter)}.db", pages, as_of, start_url)

    return build


@pytest.fixture
def auditkit_check() -> Callable[..., CheckResult]:
    """``auditkit_check(check, snapshot, settings={...})`` → the CheckResult, errors isolated as in a run."""

    def run(check: Check, snapshot: Snapshot, settings: dict[str, Any] | None = None, **options: Any) -> CheckResult:
        return check_once(check, snapshot, settings, **options)

    return run


@pytest.fixture
def auditkit_offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any httpx request to a non-loopback host is refused; the list records the attempts."""
    attempts: list[str] = []
    original = httpx.AsyncHTTPTransport.handle_async_request

    async def guarded(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        if not is_loopback(request.url.host):
            attempts.append(str(request.url))
            raise httpx.ConnectError("test guard: non-loopback host refused", request=request)
        return await original(self, request)

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", guarded)
    return attempts
