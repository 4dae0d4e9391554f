"""Gather once: crawl a site in headless Chromium and write each page to the store.

Bounded (pages, depth, same-site hosts), polite (robots.txt, per-host
concurrency and delay, an honest User-Agent) and resilient: timeouts, redirect
loops, non-HTML responses, GBK pages, dialogs, pop-ups, downloads and crawler
traps are recorded, never fatal. Links the crawler does not render (images,
attachments, external pages, pages beyond the limits) are handed to the link
checker, which checks them over plain HTTP.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from auditkit.browser import BrowserSession
from auditkit.dates import find_dates
from auditkit.linkcheck import offline_guard
from auditkit.models import Link, PageRecord
from auditkit.settings import Settings
from auditkit.store import Store, now
from auditkit.urls import allowed_host, has_extension, host_allowed, host_of, is_http, normalize, site_hosts

MAX_TEXT_CHARS = 200_000
MAX_HTML_CHARS = 1_000_000
#: meta-refresh / script hops followed from one URL before it counts as a redirect loop
MAX_CLIENT_REDIRECTS = 4

# Runs in the page: title, visible text, every reference with where it sits.
# Region comes from the nearest ancestor that says footer/nav/header by tag,
# role, id or class — real CMS templates mostly say it with div classes.
EXTRACT_JS = r"""
() => {
  const hint = n => ((n.id || '') + ' ' + (typeof n.className === 'string' ? n.className : '')).toLowerCase();
  const region = el => {
    for (let n = el; n && n !== document.body && n !== document.documentElement; n = n.parentElement) {
      const t = n.tagName.toLowerCase(), h = hint(n);
      if (t === 'footer' || /(^|[-_\s])(foot|footer|bottom|copyright|copy|bq|banquan)/.test(h)) return 'footer';
      if (t === 'nav' || n.getAttribute('role') === 'navigation' ||
          /(^|[-_\s])(nav|navbar|menu|mainnav|daohang)([-_\s\d]|$)/.test(h)) return 'nav';
      if (t === 'header' || /(^|[-_\s])(header|head|top|banner|logo)([-_\s\d]|$)/.test(h)) return 'header';
    }
    return 'body';
  };
  const links = [];
  const add = (url, kind, el, text, alt) => {
    if (url) links.push({url, kind, region: region(el), text: (text || '').trim().slice(0, 200), alt});
  };
  document.querySelectorAll('a[href], area[href]').forEach(a => add(a.href, 'a', a, a.innerText || a.title));
  document.querySelectorAll('img[src]').forEach(
    i => add(i.src, 'img', i, i.title, i.hasAttribute('alt') ? i.getAttribute('alt') : null));
  document.querySelectorAll('script[src]').forEach(s => add(s.src, 'script', s, ''));
  document.querySelectorAll('link[rel~="stylesheet"][href]').forEach(l => add(l.href, 'stylesheet', l, ''));
  document.querySelectorAll('iframe[src], frame[src]').forEach(f => add(f.src, 'iframe', f, f.title));
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    title: document.title || '',
    text: document.body ? document.body.innerText : '',
    links,
    charset: document.characterSet,
    refresh: (document.querySelector('meta[http-equiv="refresh" i]') || {}).content || '',
    ready: document.readyState,
    ttfb: nav ? nav.responseStart : null,
    load: nav ? (nav.loadEventEnd || nav.duration) : null,
  };
}
"""


@dataclass
class CrawlOutcome:
    pages: int = 0
    html_pages: int = 0
    errors: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    #: URL → why it was not rendered; the link checker takes the checkable ones
    unrendered: dict[str, str] = field(default_factory=dict)
    duration_s: float = 0.0
    problems: list[str] = field(default_factory=list)


ProgressCallback = Callable[[PageRecord, int, int], None]


class Crawler:
    def __init__(
        self,
        settings: Settings,
        session: BrowserSession,
        store: Store,
        run_id: str,
        as_of: date,
        on_page: ProgressCallback | None = None,
    ) -> None:
        self.settings = settings
        self.crawl = settings.crawl
        self.session = session
        self.store = store
        self.run_id = run_id
        self.as_of = as_of
        self.on_page = on_page
        self.outcome = CrawlOutcome()
        self._seen: set[str] = set()
        self._query_variants: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        self._robots: dict[str, RobotFileParser | None] = {}
        self._host_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._last_request: dict[str, float] = {}
        self._scheduled = 0
        self._closing: set[asyncio.Future[None]] = set()  # tabs being closed in the background

    # --- scope ------------------------------------------------------------

    def _trap_reason(self, url: str) -> str | None:
        parts = urlsplit(url)
        if len(url) > self.crawl.max_url_length:
            return "crawler trap: URL too long"
        segments = [s for s in parts.path.split("/") if s]
        if segments and max(Counter(segments).values()) > self.crawl.max_repeated_path_segment:
            return "crawler trap: repeating path"
        if parts.query:
            variants = self._query_variants[(parts.netloc, parts.path)]
            if parts.query not in variants and len(variants) >= self.crawl.max_query_variants_per_path:
                return "crawler trap: too many query variants"
            variants.add(parts.query)
        return None

    async def _robots_allows(self, client: httpx.AsyncClient, url: str) -> bool:
        if not self.crawl.respect_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            parser: RobotFileParser | None = None
            try:
                response = await client.get(origin + "/robots.txt", timeout=10)
                if response.status_code == 200 and "html" not in response.headers.get("content-type", ""):
                    parser = RobotFileParser()
                    parser.parse(response.text.splitlines())
            except httpx.HTTPError:
                parser = None  # no readable robots.txt: everything allowed
            self._robots[origin] = parser
        parser = self._robots[origin]
        return parser is None or parser.can_fetch(robots_agent(self.crawl.user_agent), url)

    def _enqueue(self, url: str, depth: int) -> None:
        if url in self._seen:
            return
        self._seen.add(url)
        self._queue.put_nowait((url, depth))

    # --- politeness -------------------------------------------------------

    async def _wait_turn(self, host: str) -> None:
        async with self._host_locks[host]:
            last = self._last_request.get(host)
            if last is not None:
                pause = self.crawl.per_host_delay_s - (time.monotonic() - last)
                if pause > 0:
                    await asyncio.sleep(pause)
            self._last_request[host] = time.monotonic()

    # --- fetching ---------------------------------------------------------

    async def _render(self, page: Page, url: str, depth: int, screenshot: bool) -> PageRecord:
        record = PageRecord(url=url, depth=depth, fetched_at=now())
        started = time.perf_counter()
        try:
            response = await page.goto(url, wait_until="load", timeout=self.crawl.page_timeout_s * 1000)
        except PlaywrightError as exc:
            record.elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
            record.error = _describe_navigation_error(str(exc), self.crawl.page_timeout_s)
            return record
        record.elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        if response is None:
            record.error = "no response"
            return record
        record.status = response.status
        record.final_url = normalize(page.url)
        headers = await response.all_headers()
        record.headers = dict(headers)
        record.content_type = headers.get("content-type", "").split(";")[0].strip() or None
        chain: list[str] = []
        request = response.request.redirected_from
        while request is not None:
            chain.insert(0, request.url)
            request = request.redirected_from
        record.redirects = chain
        if record.content_type and "html" not in record.content_type:
            return record  # rendered inline (plain text, PDF viewer…): status is all we keep
        # A stub that sends visitors on at once (meta refresh, location=) is followed like a visitor
        # would; a page still moving on after a few hops is a client-side redirect loop.
        data = content = None
        hops = 0
        for _ in range(3 * MAX_CLIENT_REDIRECTS):  # hops plus half-loaded documents met on the way
            loaded = asyncio.Event()  # a document loaded after this attempt began

            def on_load(_: Page, loaded: asyncio.Event = loaded) -> None:
                loaded.set()

            page.on("load", on_load)
            try:
                data = await page.evaluate(EXTRACT_JS)
                content = await page.content()
            except PlaywrightError as exc:
                if "Execution context was destroyed" not in str(exc) and "is navigating" not in str(exc):
                    raise
                # The document went away under us: it moved on (a hop). The old one's load state
                # would answer at once, so wait for the next document's own load event.
                data = content = None
                hops += 1
                if hops > MAX_CLIENT_REDIRECTS:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(loaded.wait(), self.crawl.page_timeout_s)
                continue
            finally:
                page.remove_listener("load", on_load)
            here = page.url
            if data["ready"] != "complete":  # caught a new document half-way: let it load
                data = content = None
                with contextlib.suppress(PlaywrightError):
                    await page.wait_for_load_state("load", timeout=self.crawl.page_timeout_s * 1000)
                continue
            if not _refreshes_at_once(data["refresh"], here):
                break
            data = content = None
            hops += 1
            if hops > MAX_CLIENT_REDIRECTS:
                break
            try:
                await page.wait_for_url(lambda url, here=here: url != here,
                                        timeout=self.crawl.page_timeout_s * 1000)
            except PlaywrightError:
                break
        if data is None or content is None:
            record.error = "页面反复跳转 (client-side redirect loop)"
            return record
        record.final_url = normalize(page.url)
        record.title = data["title"].strip()
        record.text = data["text"][:MAX_TEXT_CHARS]
        record.charset = data["charset"]
        record.ttfb_ms = round(data["ttfb"], 1) if data["ttfb"] else None
        record.html = content[:MAX_HTML_CHARS]
        record.links = [
            Link(url=normalize(item["url"]) if is_http(item["url"]) else item["url"], text=item["text"],
                 kind=item["kind"], region=item["region"], alt=item.get("alt"))
            for item in data["links"]
        ]
        record.dates = find_dates(record.text, self.as_of)
        if screenshot:
            image = await page.screenshot(type="jpeg", quality=60)
            self.store.add_screenshot(
                self.run_id, "home", "data:image/jpeg;base64," + base64.b64encode(image).decode()
            )
        return record

    async def _worker(self, context: BrowserContext, client: httpx.AsyncClient, hosts: set[str]) -> None:
        page = await self._new_page(context)
        rendered = 0  # on this tab
        while True:
            url, depth = await self._queue.get()
            try:
                if self._scheduled >= self.crawl.max_pages:
                    self.outcome.skipped["beyond max pages"] += 1
                    self.outcome.unrendered[url] = "beyond max pages"
                    continue
                # Reserve the slot before awaiting robots.txt, or two workers could both take the last one.
                self._scheduled += 1
                if not await self._robots_allows(client, url):
                    self._scheduled -= 1
                    self.outcome.skipped["disallowed by robots.txt"] += 1
                    continue
                await self._wait_turn(host_of(url))
                record = await self._render(page, url, depth, screenshot=depth == 0 and self.crawl.screenshot_home)
                if record.error and "Download is starting" in record.error:
                    # A link that turned out to be a file: checked over HTTP instead.
                    self._scheduled -= 1
                    self.outcome.unrendered[url] = "download"
                    continue
                self._record(record)
                rendered += 1
                if record.ok:
                    self._follow(record, hosts)
                if record.error or rendered >= self.crawl.pages_per_tab:
                    # A crashed or hung page poisons the tab, and a long-lived one keeps growing:
                    # start the next URL on a fresh one.
                    page = await self._replace_page(context, page)
                    rendered = 0
            except Exception as exc:  # one bad page never stops the crawl
                self.outcome.problems.append(f"{url}: {type(exc).__name__}: {exc}")
                self._record(PageRecord(url=url, depth=depth, fetched_at=now(), error=f"crawler error: {exc}"))
                page = await self._replace_page(context, page)
                rendered = 0
            finally:
                self._queue.task_done()

    async def _replace_page(self, context: BrowserContext, page: Page) -> Page:
        """Retire the old tab (it may still be running scripts or refreshing) and open a fresh one."""
        # A tab in a meta-refresh loop hammers the server until it leaves the page, and
        # close() on it may never return: send it to about:blank, then close it in the background.
        for _ in range(3):
            try:
                await page.goto("about:blank", timeout=self.crawl.page_timeout_s * 1000)
                break
            except PlaywrightError:
                continue  # "interrupted by another navigation": the loop's next hop; try again
        self._closing.add(asyncio.ensure_future(page.close()))
        try:
            return await self._new_page(context)
        except PlaywrightError:
            # The browser is gone: keep the closed tab so the remaining URLs fail fast and
            # the queue still drains (a dead worker would leave run() waiting forever).
            return page

    async def _new_page(self, context: BrowserContext) -> Page:
        page = await context.new_page()
        # Government pages love alert() and window.open(): neither may block the crawl.
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))
        page.on("popup", lambda popup: asyncio.ensure_future(popup.close()))
        return page

    def _record(self, record: PageRecord) -> None:
        self.store.add_page(self.run_id, record)
        self.outcome.pages += 1
        if record.error or (record.status or 0) >= 400:
            self.outcome.errors += 1
        elif record.html:
            self.outcome.html_pages += 1
        if self.on_page:
            self.on_page(record, self.outcome.pages, self._queue.qsize())

    def _follow(self, record: PageRecord, hosts: set[str]) -> None:
        for link in record.links:
            url = link.url
            if not is_http(url) or url in self._seen:
                continue
            if url in self.outcome.unrendered:
                # Reached too deep first, now within depth through a slower page: crawl it after all.
                if self.outcome.unrendered[url] != "beyond max depth" or record.depth + 1 > self.crawl.max_depth:
                    continue
                del self.outcome.unrendered[url]
                self.outcome.skipped -= Counter({"beyond max depth": 1})  # (drops the key at zero)
            internal = host_of(url) in hosts
            rendered_kind = link.kind in ("a", "iframe")
            if not internal or not rendered_kind or has_extension(url, self.crawl.resource_extensions):
                self.outcome.unrendered[url] = "resource" if internal else "external"
                continue
            if record.depth + 1 > self.crawl.max_depth:
                self.outcome.skipped["beyond max depth"] += 1
                self.outcome.unrendered[url] = "beyond max depth"
                continue
            trap = self._trap_reason(url)
            if trap:
                self.outcome.skipped[trap] += 1
                self._seen.add(url)
                continue
            self._enqueue(url, record.depth + 1)

    async def run(self, start_url: str) -> CrawlOutcome:
        started = time.perf_counter()
        start_url = normalize(start_url)
        allow = self.settings.network.allow_hosts
        # Offline mode: extra or www. hosts outside the allow-list are left to the link checker (which skips them).
        hosts = {h for h in site_hosts(start_url, self.crawl.extra_hosts) if allowed_host(h, allow)}
        if not host_allowed(start_url, allow):
            raise ValueError(f"{start_url} is outside the allowed hosts {allow}")
        context = await self.session.new_context(user_agent=self.crawl.user_agent)
        try:
            async with httpx.AsyncClient(headers={"User-Agent": self.crawl.user_agent}, verify=False,
                                         follow_redirects=True,
                                         event_hooks={"request": [offline_guard(allow)]}) as client:
                self._enqueue(start_url, 0)
                workers = [
                    asyncio.create_task(self._worker(context, client, hosts))
                    for _ in range(self.crawl.per_host_concurrency)
                ]
                try:
                    await self._queue.join()
                finally:
                    for worker in workers:
                        worker.cancel()
                    await asyncio.gather(*workers, return_exceptions=True)
        finally:
            await context.close()
            if self._closing:
                await asyncio.wait(self._closing, timeout=5)
                for closing in self._closing:
                    if closing.done():
                        closing.exception()  # retrieved: a tab that was already gone is no news
                    else:
                        closing.cancel()
        self.outcome.duration_s = round(time.perf_counter() - started, 2)
        return self.outcome


def _refreshes_at_once(refresh: str, here: str) -> bool:
    """True for a meta refresh that moves on to another URL within a second ("0;url=/index.html")."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*[;,]\s*(?:url\s*=\s*)?['\"]?([^'\"]+)", refresh, re.IGNORECASE)
    if not match or float(match[1]) > 1:
        return False
    return normalize(urljoin(here, match[2].strip())) != normalize(here)


def robots_agent(user_agent: str) -> str:
    """The product token robots.txt groups name: "auditkit" in "Mozilla/5.0 (compatible; auditkit/…)".

    RobotFileParser matches on what precedes the first "/", which for a browser-style
    User-Agent is "Mozilla" — and rules written for our crawler would never apply.
    """
    match = re.search(r"compatible;\s*([^/;\s)]+)", user_agent)
    return match.group(1) if match else user_agent


def _describe_navigation_error(message: str, timeout_s: float) -> str:
    first = message.strip().splitlines()[0] if message.strip() else message
    if "Timeout" in first:
        return f"页面 {timeout_s:g} 秒内未打开 (timeout)"
    if "ERR_TOO_MANY_REDIRECTS" in first:
        return "重定向循环 (redirect loop)"
    if "ERR_NAME_NOT_RESOLVED" in first:
        return "域名无法解析 (DNS)"
    if "ERR_CONNECTION_REFUSED" in first:
        return "连接被拒绝 (connection refused)"
    return first[:300]
