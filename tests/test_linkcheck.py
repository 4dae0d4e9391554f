"""The link checker against hostile servers on loopback: every URL ends with a verdict, promptly.

Servers are stdlib ThreadingHTTPServers on 127.0.0.1 (port 0) in threads; an
autouse guard refuses any httpx request to a non-loopback host, so nothing
else is ever contacted.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

import pytest

from auditkit.linkcheck import LinkChecker
from auditkit.models import ResourceStatus
from auditkit.settings import LinkCheckSettings
from auditkit.testing import Route, RouteSite, send
from auditkit.urls import LOOPBACK_HOSTS

pytestmark = pytest.mark.usefixtures("loopback_only")

INTERNAL = {"127.0.0.1"}


def check(urls: list[str], **settings: object) -> dict[str, ResourceStatus]:
    options: dict[str, object] = {"timeout_s": 5, "retries": 0, "backoff_s": 0.05}
    options.update(settings)
    checker = LinkChecker(LinkCheckSettings(**options), "auditkit-test", LOOPBACK_HOSTS)
    results = asyncio.run(asyncio.wait_for(checker.check_all(urls, INTERNAL), 30))
    assert len(results) == len(dict.fromkeys(urls))
    return {r.url: r for r in results}


# --- routes ------------------------------------------------------------------


def head_500_get_200(h: BaseHTTPRequestHandler) -> None:
    send(h, 500 if h.command == "HEAD" else 200, b"<html>ok</html>", "text/html")


def endless(h: BaseHTTPRequestHandler) -> None:
    if h.command == "HEAD":
        send(h, 405, b"")
        return
    h.send_response(200)
    h.send_header("Content-Type", "application/octet-stream")
    h.end_headers()  # no Content-Length: the body ends when the connection does
    chunk = b"x" * 65536
    for _ in range(20_000):  # ~1.3 GB at most, bounded even if nobody stops reading
        if h.server_stop.is_set():  # type: ignore[attr-defined]
            return
        h.wfile.write(chunk)


def dripping(h: BaseHTTPRequestHandler) -> None:
    if h.command == "HEAD":
        send(h, 405, b"")
        return
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    for _ in range(300):  # a byte every 0.1 s: never trips a per-read timeout
        if h.server_stop.wait(0.1):  # type: ignore[attr-defined]
            return
        h.wfile.write(b"x")
        h.wfile.flush()


def with_stop(srv: RouteSite, route: Callable[[BaseHTTPRequestHandler], None]) -> Route:
    def wrapped(h: BaseHTTPRequestHandler) -> None:
        h.server_stop = srv.stop  # type: ignore[attr-defined]
        route(h)

    return wrapped


def failing_first(times: int, status: int = 503) -> Route:
    seen = Counter[str]()
    lock = threading.Lock()

    def route(h: BaseHTTPRequestHandler) -> None:
        with lock:
            seen["n"] += 1
            n = seen["n"]
        send(h, status if n <= times else 200)

    return route


def drop_head(h: BaseHTTPRequestHandler) -> None:
    if h.command == "HEAD":
        h.close_connection = True  # hang up without a word, like some firewalls do
        return
    send(h, 200)


# --- tests -------------------------------------------------------------------


def test_head_500_get_200_is_ok(serve) -> None:
    srv = serve({"/page": head_500_get_200})
    result = check([srv.url("/page")])[srv.url("/page")]
    assert result.ok and result.status == 200 and result.method == "GET"
    assert result.error is None
    assert srv.hits == Counter({"HEAD /page": 1, "GET /page": 1})


def test_404_is_not_ok(serve) -> None:
    srv = serve({})
    result = check([srv.url("/missing")])[srv.url("/missing")]
    assert not result.ok and result.status == 404
    assert result.skipped is None


def test_endless_body_finishes_promptly(serve) -> None:
    srv = serve({})
    srv.routes["/endless"] = with_stop(srv, endless)
    started = time.monotonic()
    result = check([srv.url("/endless")], timeout_s=10, max_body_bytes=4096)[srv.url("/endless")]
    assert time.monotonic() - started < 3
    assert result.ok and result.status == 200 and result.method == "GET"


def test_dripping_body_is_bounded_by_timeout(serve) -> None:
    srv = serve({})
    srv.routes["/drip"] = with_stop(srv, dripping)
    started = time.monotonic()
    result = check([srv.url("/drip")], timeout_s=1)[srv.url("/drip")]
    assert time.monotonic() - started < 4
    assert not result.ok and result.error and "timeout" in result.error


def test_hanging_server_times_out(serve) -> None:
    srv = serve({})
    srv.routes["/hang"] = lambda h: srv.stop.wait(30)
    started = time.monotonic()
    result = check([srv.url("/hang")], timeout_s=1, retries=0)[srv.url("/hang")]
    assert time.monotonic() - started < 3
    assert not result.ok and result.status is None
    assert result.error and "timeout" in result.error


def test_redirect_loop_is_an_error(serve) -> None:
    srv = serve({})
    srv.routes["/a"] = lambda h: send(h, 302, b"", headers={"Location": "/b"})
    srv.routes["/b"] = lambda h: send(h, 302, b"", headers={"Location": "/a"})
    result = check([srv.url("/a")])[srv.url("/a")]
    assert not result.ok
    assert result.error and "redirect loop" in result.error
    assert srv.count("/a") + srv.count("/b") <= 25


def test_503_then_200_is_retried(serve) -> None:
    srv = serve({"/flaky": failing_first(2)})  # HEAD and GET of the first attempt get 503
    result = check([srv.url("/flaky")], retries=2)[srv.url("/flaky")]
    assert result.ok and result.status == 200
    assert srv.count("/flaky") == 3


def test_503_forever_gives_up(serve) -> None:
    srv = serve({"/down": failing_first(1000)})
    result = check([srv.url("/down")], retries=1)[srv.url("/down")]
    assert not result.ok and result.status == 503
    assert srv.count("/down") == 4  # (HEAD + GET) × 2 attempts


def test_offline_mode_skips_other_hosts(loopback_only: list[str]) -> None:
    results = check(["http://example.invalid/x", "https://www.gov.cn/"])
    for result in results.values():
        assert result.skipped and "offline" in result.skipped
        assert result.status is None and result.error is None
    assert loopback_only == []


def test_duplicates_checked_once(serve) -> None:
    srv = serve({"/a": lambda h: send(h)})
    results = check([srv.url("/a")] * 5 + [srv.url("/b")])
    assert results[srv.url("/a")].ok
    assert srv.hits == Counter({"HEAD /a": 1, "HEAD /b": 1, "GET /b": 1})


def test_non_http_links_are_skipped() -> None:
    results = check(["mailto:office@example.gov.cn", "javascript:void(0)"])
    assert all(r.skipped for r in results.values())


def test_head_hangup_falls_back_to_get(serve) -> None:
    srv = serve({"/page": drop_head})
    result = check([srv.url("/page")], retries=1)[srv.url("/page")]
    assert result.ok and result.status == 200 and result.method == "GET"


def test_offline_mode_does_not_follow_redirect_off_loopback(serve, loopback_only: list[str]) -> None:
    srv = serve({"/out": lambda h: send(h, 302, b"", headers={"Location": "http://example.invalid/x"})})
    result = check([srv.url("/out")], retries=1)[srv.url("/out")]
    assert loopback_only == []
    assert result.skipped and "offline" in result.skipped
