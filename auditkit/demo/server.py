"""Serve the demo site over HTTP on the loopback interface.

``serve_demo`` runs it on a background thread for tests and ``auditkit demo``;
``python -m auditkit.demo.server`` runs it in the foreground for browsing.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from auditkit.demo.app import DemoApp, Response

MAX_BODY = 64 * 1024  # a 留言 form never needs more


class DemoServer(ThreadingHTTPServer):
    daemon_threads = True  # a hung client must never keep the test process alive

    def __init__(self, address: tuple[str, int], app: DemoApp, quiet: bool = True) -> None:
        self.app = app
        self.quiet = quiet
        super().__init__(address, DemoHandler)


class DemoHandler(BaseHTTPRequestHandler):
    server: DemoServer
    protocol_version = "HTTP/1.1"
    timeout = 30  # browsers keep idle connections open; do not hold a thread forever

    def version_string(self) -> str:
        return "nginx"  # what real county portals announce

    def _cookies(self) -> dict[str, str]:
        jar = SimpleCookie(self.headers.get("Cookie") or "")
        return {name: morsel.value for name, morsel in jar.items()}

    def do_GET(self) -> None:
        self._respond(self.server.app.handle("GET", self.path, cookies=self._cookies()))

    def do_HEAD(self) -> None:
        self._respond(self.server.app.handle("HEAD", self.path, cookies=self._cookies()), body=False)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._respond(Response(413, "请求内容过大".encode(), "text/plain; charset=utf-8"))
            return
        self._respond(self.server.app.handle("POST", self.path, self.rfile.read(length), self._cookies()))

    def _respond(self, resp: Response, body: bool = True) -> None:
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        for name, value in resp.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(resp.body)

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)


def make_server(as_of: date, host: str = "127.0.0.1", port: int = 0, quiet: bool = True,
                features: dict[str, bool] | None = None) -> DemoServer:
    return DemoServer((host, port), DemoApp(as_of, features), quiet=quiet)


def base_url(server: DemoServer) -> str:
    host, port = server.server_address[:2]
    host = host.decode() if isinstance(host, bytes) else host
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


@contextmanager
def serve_demo(as_of: date, host: str = "127.0.0.1", port: int = 0,
               features: dict[str, bool] | None = None) -> Iterator[str]:
    """Serve the demo site on a background thread; yield its base URL like 'http://127.0.0.1:54321/'.

    ``features`` switches the search and Q&A features (auditkit.demo.search.DEFAULT_FEATURES).

    On exit: shutdown() then server_close().
    """
    server = make_server(as_of, host, port, features=features)
    thread = threading.Thread(target=server.serve_forever, name="auditkit-demo", daemon=True)
    thread.start()
    try:
        yield base_url(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m auditkit.demo.server",
        description="Serve the 青山县人民政府 demo site (fictional, local only) in the foreground.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080; 0 = any free port)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="audit date the content is dated against (default: today)")
    args = parser.parse_args(argv)
    server = make_server(args.as_of or date.today(), args.host, args.port, quiet=False)
    print(f"青山县人民政府 demo site (as of {server.app.as_of}) at {base_url(server)} — Ctrl+C to stop", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
