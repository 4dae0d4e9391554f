"""Check links over plain HTTP: each URL once, concurrently, politely.

HEAD first, GET when HEAD fails or is refused (servers that 500 on HEAD and
200 on GET are common); retries with backoff on connection faults, 429 and
503; a GET reads at most a few KiB so an endless body cannot stall the run,
and keeps the page's <title> (an HTML page answering 200 may still be an
error page: the broken-link check reads it).

Each host gets at most ``per_host_concurrency`` workers, each with its own
keep-alive connection, and all of them together at most ``total_concurrency``
requests in flight. On a fast server the checker is CPU-bound, and profiling
(benchmarks/linkcheck_bench.py) showed where it went: one big shared pool,
which httpcore scans on every request; a task per request (``wait_for``);
httpx's client bookkeeping and its HTTP stack (see ``Session``); a failed
import per lock (below). Hence one worker, one connection; ``asyncio.timeout``;
plain HEADs over a bare keep-alive connection and httpx for everything else.
"""

from __future__ import annotations

import asyncio
import codecs
import html
import re
import ssl
import time
import urllib.request
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from auditkit.models import ResourceStatus
from auditkit.settings import LinkCheckSettings
from auditkit.urls import allowed_host, host_allowed, host_of, is_http

RETRY_STATUSES = {429, 502, 503, 504}
MAX_REDIRECTS = 20  # as httpx's client
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
#: a URL that can go on a request line as it is (RFC 3986 characters only: nothing to percent-encode)
_PLAIN_URL = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
#: how far into an HTML body a GET looks for <title> (it sits in <head>)
TITLE_SCAN_BYTES = 16384
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)

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
        by_host: dict[str, deque[str]] = defaultdict(deque)
        order: list[str] = []
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
                by_host[host_of(url)].append(url)
                order.append(url)
        total = asyncio.Semaphore(self.settings.total_concurrency)
        # One TLS context and one proxy lookup for every worker: each costs milliseconds.
        ssl_context = httpx.create_ssl_context(verify=False)
        proxies = urllib.request.getproxies()
        checked: dict[str, ResourceStatus] = {}

        async def worker(queue: deque[str]) -> None:
            async with Session(self.user_agent, self.allow_hosts, self.settings.timeout_s, ssl_context,
                               proxies) as session:
                while queue:
                    url = queue.popleft()
                    async with total:
                        checked[url] = await self.check(session, url)

        await asyncio.gather(*(worker(queue) for queue in by_host.values()
                               for _ in range(min(self.settings.per_host_concurrency, len(queue)))))
        results.extend(checked[url] for url in order)
        return results

    async def check(self, session: Session, url: str) -> ResourceStatus:
        started = time.perf_counter()
        answer: Answer | None = None
        error: str | None = None
        skipped: str | None = None
        method = "HEAD"
        # asyncio.timeout bounds each whole exchange: httpx's timeout is per read, and a
        # server dripping bytes would never trip it. (Not wait_for: a task per request.)
        deadline = self.settings.timeout_s
        for attempt in range(self.settings.retries + 1):
            if attempt:
                await asyncio.sleep(self.settings.backoff_s * 2 ** (attempt - 1))
            answer = error = None
            try:
                method = "HEAD"
                head: Answer | None
                try:
                    async with asyncio.timeout(deadline):
                        head = await session.head(url)
                except (httpx.TimeoutException, OfflineHostError):
                    raise
                except httpx.TransportError:
                    head = None  # hung up on HEAD (some firewalls do): GET decides
                if head is None or head.status >= 400:
                    method = "GET"
                    async with asyncio.timeout(deadline):
                        head = await self._get(session, url)
                answer = head
                if answer.status not in RETRY_STATUSES:
                    break
            except OfflineHostError as exc:
                skipped = f"{exc} (redirect)"
                break
            except httpx.TooManyRedirects:
                error = "重定向循环 (redirect loop)"
                break
            except httpx.InvalidURL as exc:
                error = f"无效链接 (invalid URL): {exc}"[:300]
                break
            except (httpx.TimeoutException, TimeoutError):
                error = f"{self.settings.timeout_s:g} 秒内无响应 (timeout)"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
        ok = skipped is not None or (answer is not None and answer.status < 400)
        return ResourceStatus(
            url=url, ok=ok, error=error, method=method, skipped=skipped,
            status=answer.status if answer else None,
            content_type=answer.content_type if answer else None,
            content_length=answer.content_length if answer else None,
            final_url=answer.url if answer else None, title=answer.title if answer else None,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    async def _get(self, session: Session, url: str) -> Answer:
        """GET that stops reading after max_body_bytes (endless or huge bodies); the HTML <title> if any."""
        response = await session.send("GET", url)
        try:
            read = 0
            head = b""
            async for chunk in response.aiter_bytes():
                read += len(chunk)
                if len(head) < TITLE_SCAN_BYTES:
                    head += chunk[:TITLE_SCAN_BYTES - len(head)]
                if read >= self.settings.max_body_bytes:
                    break
        finally:
            await response.aclose()
        html_body = "html" in response.headers.get("content-type", "")
        return Answer.of(response, html_title(head, response.charset_encoding) if html_body else None)


@dataclass(slots=True)
class Answer:
    """What a check keeps of the final response to a URL."""

    status: int
    url: str  # after redirects
    content_type: str | None
    content_length: int | None  # as declared; None when the server sent none
    title: str | None = None

    @classmethod
    def of(cls, response: httpx.Response, title: str | None = None) -> Answer:
        return cls(response.status_code, str(response.url), response.headers.get("content-type"),
                   declared_length(response.headers.get("content-length")), title)


def declared_length(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class Session:
    """One worker's connections, cookies and redirects.

    The common exchange, a HEAD answered without cookies, goes over a bare
    HTTP/1.1 keep-alive connection (``_bare_head``): it costs a tenth of httpx's
    CPU, which on a fast server was the checker's whole bottleneck. Anything
    else — GETs, cookies, proxies, odd URLs or answers, errors — goes through
    httpx's transport, without its client: the client's per-request bookkeeping
    (URL merging, auth flow, event hooks, a cookie-jar pass over every response)
    cost more than the exchange; here each step happens only when a response
    needs it. Redirects follow httpx's rules; the offline guard sees every hop.
    """

    def __init__(self, user_agent: str, allow_hosts: list[str] | None, timeout_s: float,
                 ssl_context: ssl.SSLContext, proxies: dict[str, str]) -> None:
        self.headers = {"User-Agent": user_agent, "Accept": "*/*", "Accept-Encoding": "gzip, deflate"}
        self.allow_hosts = allow_hosts
        self.extensions = {"timeout": httpx.Timeout(timeout_s).as_dict()}
        self.ssl_context = ssl_context
        self.proxies = proxies  # the environment's (HTTP_PROXY…), like httpx.AsyncClient's trust_env
        self.cookies = httpx.Cookies()
        self.transports: dict[str, httpx.AsyncHTTPTransport] = {}  # by proxy URL ("": direct)
        #: idle bare connections by (scheme, host, port)
        self.bare: dict[tuple[str, str, int], tuple[asyncio.StreamReader, asyncio.StreamWriter]] = {}
        self.bare_headers = f"User-Agent: {user_agent}\r\nAccept: */*\r\n"

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for _, writer in self.bare.values():
            writer.close()
        for transport in self.transports.values():
            await transport.aclose()

    async def head(self, url: str) -> Answer:
        """HEAD ``url``, following redirects."""
        bare = None if self.cookies else await self._bare_head(url)
        if isinstance(bare, Answer):
            return bare
        # (after a bare redirect, httpx goes on from its target: no request is made twice)
        response = await (self.send("HEAD", bare, MAX_REDIRECTS - 1) if bare else self.send("HEAD", url))
        await response.aread()  # (nothing: HEAD) frees the connection for the next URL
        return Answer.of(response)

    async def _bare_head(self, url: str) -> Answer | httpx.URL | None:
        """The answer to HEAD ``url`` over a bare connection, the next URL when it redirects, or
        None when the exchange needs more than this: httpx then asks, and its way of failing is
        the one reported."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if (parts.scheme not in ("http", "https") or not _PLAIN_URL.fullmatch(url) or "@" in parts.netloc
                or not allowed_host(host, self.allow_hosts) or self._proxy_for(parts.scheme, host)):
            return None  # (IDN hosts, unencoded paths, credentials, offline refusals, proxies: httpx's to handle)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            status, headers = await self._bare_exchange((parts.scheme, host, port), parts.netloc, target)
            if status < 200 or "set-cookie" in headers:
                return None
            if status in REDIRECT_STATUSES and "location" in headers:
                return next_url(httpx.URL(url), headers["location"])
        except (OSError, ValueError, httpx.InvalidURL, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return None
        return Answer(status, url, headers.get("content-type"), declared_length(headers.get("content-length")))

    async def _bare_exchange(self, key: tuple[str, str, int], netloc: str, target: str) -> tuple[int, dict[str, str]]:
        request = f"HEAD {target} HTTP/1.1\r\nHost: {netloc}\r\n{self.bare_headers}\r\n".encode()
        for _ in range(2):
            conn = self.bare.pop(key, None)
            reused = conn is not None and not conn[0].at_eof()
            if not reused:
                if conn:
                    conn[1].close()
                scheme, host, port = key
                tls = scheme == "https"
                conn = await asyncio.open_connection(host, port, ssl=self.ssl_context if tls else None,
                                                     server_hostname=host if tls else None)
            assert conn is not None
            reader, writer = conn
            try:
                writer.write(request)
                status, headers, keep_alive = parse_head(await reader.readuntil(b"\r\n\r\n"))
            except (ConnectionError, asyncio.IncompleteReadError):
                writer.close()
                if reused:
                    continue  # the server had closed the idle connection: once more on a new one
                raise
            except BaseException:
                writer.close()  # cut short (timeout) or not HTTP: the connection is unusable
                raise
            if keep_alive:
                self.bare[key] = conn
            else:
                writer.close()
            return status, headers
        raise ConnectionError("the server closed the connection twice")

    def _proxy_for(self, scheme: str, host: str) -> str:
        """The environment's proxy for a URL ("" for none), chosen as httpx's client would."""
        proxy = self.proxies.get(scheme) or self.proxies.get("all") or ""
        return "" if proxy and urllib.request.proxy_bypass_environment(host, self.proxies) else proxy

    def _transport(self, url: httpx.URL) -> httpx.AsyncHTTPTransport:
        proxy = self._proxy_for(url.scheme, url.host)
        if proxy not in self.transports:
            # Two connections: a redirect to another origin need not close the first one.
            self.transports[proxy] = httpx.AsyncHTTPTransport(
                verify=self.ssl_context, proxy=proxy or None, limits=httpx.Limits(max_connections=2))
        return self.transports[proxy]

    async def send(self, method: str, url: str | httpx.URL, redirects: int = MAX_REDIRECTS) -> httpx.Response:
        """The final response to ``method url``, its body not read yet: read or close it."""
        target = httpx.URL(url)
        for _ in range(redirects + 1):
            request = httpx.Request(method, target, headers=self.headers, extensions=self.extensions)
            if not allowed_host(target.host, self.allow_hosts):
                raise OfflineHostError(f"offline mode: {target.host} not contacted", request=request)
            if self.cookies:
                self.cookies.set_cookie_header(request)
            response = await self._transport(target).handle_async_request(request)
            response.request = request
            if "set-cookie" in response.headers:  # (sites that redirect until a cookie comes back)
                self.cookies.extract_cookies(response)
            if not response.has_redirect_location:
                return response
            await response.aread()  # frees the connection for the next hop
            target = next_url(target, response.headers["location"])
            if response.status_code in (302, 303) and method != "HEAD":
                method = "GET"
        raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)


def next_url(current: httpx.URL, location: str) -> httpx.URL:
    """Where a redirect leads, as httpx's client resolves it."""
    url = httpx.URL(location)
    if url.scheme and not url.host:  # "http:/path": malformed, seen in the wild
        url = url.copy_with(host=current.host)
    return current.join(url)


def parse_head(head: bytes) -> tuple[int, dict[str, str], bool]:
    """Status, headers (lower-case names; the last of repeated ones) and whether the connection stays
    open, from an HTTP/1.x response head; ValueError when it is none."""
    lines = head.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    if version not in ("HTTP/1.1", "HTTP/1.0") or not rest[:3].isdigit():
        raise ValueError(f"not an HTTP/1.x response: {lines[0][:80]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, colon, value = line.partition(":")
            if not colon:
                raise ValueError(f"bad header line {line[:80]!r}")
            headers[name.strip().lower()] = value.strip()
    return int(rest[:3]), headers, version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"


def meta_charset(head: bytes) -> str | None:
    """The charset an HTML document (or its first bytes) declares in a <meta> tag."""
    meta = _META_CHARSET.search(head)
    return meta[1].decode("ascii").lower() if meta else None


def html_title(head: bytes, charset: str | None) -> str | None:
    """The <title> of an HTML document from its first bytes; charset from the header, the meta tag,
    else UTF-8 with GB18030 as the fallback (what Chinese government pages use)."""
    match = _TITLE.search(head)
    if not match:
        return None
    declared = [c for c in (charset, meta_charset(head)) if c]
    raw = match[1]
    for name in [*declared, "utf-8", "gb18030"]:
        try:
            codecs.lookup(name)
            text = raw.decode(name)
            break
        except (LookupError, UnicodeDecodeError):
            continue
    else:
        text = raw.decode("gb18030", errors="replace")
    return " ".join(html.unescape(text).split())[:300]
