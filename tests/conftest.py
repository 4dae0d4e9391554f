from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import httpx
import pytest

from auditkit.testing import Route, RouteSite, serve_routes
from auditkit.urls import is_loopback

AS_OF = date(2021, 10, 15)
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Real government pages are never committed; tests that read them skip without them.
    skip = pytest.mark.skip(reason=f"corpus not present at {CORPUS}")
    for item in items:
        if "corpus" in item.keywords and not CORPUS.is_dir():
            item.add_marker(skip)


@pytest.fixture(scope="session")
def demo_url() -> Iterator[str]:
    from auditkit.demo.server import serve_demo

    with serve_demo(AS_OF) as url:
        yield url



@pytest.fixture
def serve() -> Iterator[Callable[[dict[str, Route]], RouteSite]]:
    """Start loopback sites from routes; all are closed when the test ends."""
    with ExitStack() as stack:
        yield lambda routes: stack.enter_context(serve_routes(routes))


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Belt and braces: any httpx request to a non-loopback host is refused and remembered."""
    attempts: list[str] = []
    original = httpx.AsyncHTTPTransport.handle_async_request

    async def guarded(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        if not is_loopback(request.url.host):
            attempts.append(str(request.url))
            raise httpx.ConnectError("test guard: non-loopback host refused", request=request)
        return await original(self, request)

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", guarded)
    return attempts
