"""Helpers for testing checks without a browser: build a snapshot from pages,
run one check over it. Plugin authors use the same helpers as the built-ins."""

from __future__ import annotations

import asyncio
import mimetypes
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from auditkit.checks import Check, CheckContext, run_check
from auditkit.dates import find_dates
from auditkit.linkcheck import meta_charset
from auditkit.models import CheckResult, Link, PageRecord, ResourceStatus
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
    resources: list[ResourceStatus] | None = None,
) -> Snapshot:
    """Store ``pages`` (records, or ``{url: html}``) as one run and return its snapshot; ``resources``
    are what the link checker found for links that were not crawled."""
    records = [page_from_html(u, h, as_of) for u, h in pages.items()] if isinstance(pages, dict) else pages
    store = Store(db_path)
    start = normalize(start_url or records[0].url)
    run_id = store.start_run(start, "test", as_of, "{}", "test")
    for record in records:
        store.add_page(run_id, record)
    store.add_resources(run_id, resources or [])
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


# --- a local site made of routes: for hostile-server and fixture-site tests ------

Route = Callable[[BaseHTTPRequestHandler], None]


def send(handler: BaseHTTPRequestHandler, status: int = 200, body: str | bytes = "",
         ctype: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None) -> None:
    """Answer one request (no body for HEAD)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(data)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(data)


@dataclass
class RouteSite:
    """A site served on 127.0.0.1 from ``{path: route}``; ``hits`` counts "METHOD /path?query".
    Hanging or endless routes should wait on ``stop``, which is set when the site closes."""

    routes: dict[str, Route]
    stop: threading.Event = field(default_factory=threading.Event)
    hits: Counter[str] = field(default_factory=Counter)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        return sum(n for key, n in self.hits.items() if key.split(" ", 1)[1] == path)


def _route_handler(site: RouteSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            site.hits[f"{self.command} {self.path}"] += 1
            route = site.routes.get(self.path) or site.routes.get(urlsplit(self.path).path)
            try:
                if route is None:
                    send(self, 404, "<html><head><title>404 Not Found</title></head><body>没有找到</body></html>")
                else:
                    route(self)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up: that is what hostile-server tests provoke

        do_GET = do_HEAD = do_POST = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve_routes(routes: dict[str, Route]) -> Iterator[RouteSite]:
    """Serve ``routes`` on a loopback port in a thread until the block ends."""
    site = RouteSite(routes)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _route_handler(site))
    server.daemon_threads = True
    site.server = server
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield site
    finally:
        site.stop.set()  # releases hanging and endless handlers
        server.shutdown()
        server.server_close()


# --- a static fixture site from a folder ----------------------------------------------------

def declared_charset(data: bytes) -> str:
    """The charset an HTML file declares in its first bytes (utf-8 when it declares none)."""
    return meta_charset(data) or "utf-8"


def _folder_files(folder: Path) -> dict[str, Path]:
    """URL path → file: every file under ``folder``; ``a/index.html`` also answers ``a/`` (and the root ``/``)."""
    files: dict[str, Path] = {}
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        path = "/" + file.relative_to(folder).as_posix()
        files[path] = file
        if file.name == "index.html":
            files[path.removesuffix("index.html")] = file
    return files


def _file_route(file: Path) -> Route:
    data = file.read_bytes()
    if file.suffix in (".html", ".htm"):
        ctype = f"text/html; charset={declared_charset(data)}"  # GBK pages are served as GBK
    else:
        ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return lambda handler: send(handler, body=data, ctype=ctype)


@contextmanager
def serve_folder(folder: Path) -> Iterator[RouteSite]:
    """Serve the files under ``folder`` as a static site on a loopback port until the block ends."""
    with serve_routes({path: _file_route(file) for path, file in _folder_files(folder).items()}) as site:
        yield site


def folder_pages(folder: Path, base_url: str, as_of: date) -> list[PageRecord]:
    """Every HTML file under ``folder`` as the page ``serve_folder`` would answer at ``base_url``
    (no script runs: navigation built by JavaScript is missing). The home page comes first."""
    base = base_url.rstrip("/")
    records = []
    for path, file in _folder_files(folder).items():
        if file.suffix in (".html", ".htm") and not (file.name == "index.html" and path.endswith("/")
                                                     and path != "/"):
            data = file.read_bytes()
            if path == "/index.html":
                continue  # the home page is "/"
            records.append(page_from_html(base + path, data.decode(declared_charset(data)), as_of))
    return sorted(records, key=lambda r: r.url != base + "/")
