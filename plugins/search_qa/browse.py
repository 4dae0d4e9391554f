"""Driving a page like a visitor: open it, type, submit, wait, read what changed.

Shared by the search and Q&A checks. Everything the site opens stays in one tab
(``target=_blank`` and ``window.open`` are turned into same-tab navigation), so a
check needs one browser context and one page.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable

from playwright.async_api import BrowserContext, Frame, Locator, Page, Request, Response
from playwright.async_api import Error as PlaywrightError
from pydantic import BaseModel, Field

#: installed in every document of the check's context before the site's own scripts
SAME_TAB_JS = "window.open = function (url) { if (url) { location.href = url; } return window; };"
STRIP_TARGETS_JS = """() => document.querySelectorAll('form[target], a[target], base[target]')
  .forEach(el => el.removeAttribute('target'))"""

# What a visitor sees: the visible text, the visible links, and short clickable labels (tabs).
READ_JS = r"""
(maxLabel) => {
  const visible = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const links = [...document.querySelectorAll('a[href]')].filter(visible)
    .map(a => ({href: a.href, text: (a.innerText || a.title || '').trim().replace(/\s+/g, ' ')}));
  const labels = [...document.querySelectorAll('a, button, [role=tab], li[onclick], span[onclick]')]
    .filter(visible).map(el => (el.innerText || '').trim()).filter(t => t && t.length <= maxLabel);
  return {url: location.href, text: document.body ? document.body.innerText : '', links, labels};
}
"""

# Visible text nodes containing a string (suggestion lists appear as new ones).
COUNT_TEXT_JS = r"""
(needle) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.includes(needle)) continue;
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none')
      out.push(n.textContent.trim().slice(0, 60));
  }
  document.querySelectorAll('datalist option')
    .forEach(o => { if ((o.value || '').includes(needle)) out.push(o.value); });
  return out;
}
"""


class Link(BaseModel):
    href: str
    text: str = ""


class PageState(BaseModel):
    url: str
    text: str = ""
    links: list[Link] = Field(default_factory=list)
    labels: list[str] = Field(default_factory=list)
    status: int | None = None

    @property
    def lines(self) -> list[str]:
        return [" ".join(line.split()) for line in self.text.splitlines() if line.strip()]


class Browser:
    """One page in one context, with the last main-document status remembered."""

    def __init__(self, page: Page, page_timeout_s: float, settle_timeout_s: float, quiet_ms: int) -> None:
        self.page = page
        self.timeout_ms = page_timeout_s * 1000
        self.settle_ms = settle_timeout_s * 1000
        self.quiet_s = quiet_ms / 1000
        self.status: int | None = None
        self._started = asyncio.Event()  # a main-document request went out
        self._committed = asyncio.Event()  # a new main document arrived
        self._inflight: set[Request] = set()
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_done)
        page.on("requestfailed", self._on_done)
        page.on("response", self._on_response)
        page.on("framenavigated", self._on_navigated)
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))

    @classmethod
    async def open(cls, context: BrowserContext, page_timeout_s: float, settle_timeout_s: float, quiet_ms: int
                   ) -> Browser:
        await context.add_init_script(SAME_TAB_JS)
        return cls(await context.new_page(), page_timeout_s, settle_timeout_s, quiet_ms)

    def _on_request(self, request: Request) -> None:
        self._inflight.add(request)
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self._started.set()

    def _on_done(self, request: Request) -> None:
        self._inflight.discard(request)

    def _on_response(self, response: Response) -> None:
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self.status = response.status

    def _on_navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame:
            self._committed.set()

    def expect_navigation(self) -> None:
        """Call right before the action whose navigation ``moved`` should notice."""
        self._started.clear()
        self._committed.clear()

    async def goto(self, url: str) -> None:
        self.status = None
        await self.page.goto(url, wait_until="load", timeout=self.timeout_ms)
        await self.page.evaluate(STRIP_TARGETS_JS)

    async def settle(self) -> None:
        """Let scripts that fetch results after the load event finish: wait (bounded) until no
        request has been open for a short quiet spell (Playwright's networkidle always waits
        half a second; results pages rarely need it)."""
        with contextlib.suppress(PlaywrightError):
            await self.page.wait_for_load_state("load", timeout=self.timeout_ms)
        loop = asyncio.get_running_loop()
        deadline, quiet_since = loop.time() + self.settle_ms / 1000, None
        while loop.time() < deadline:
            if self._inflight:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = loop.time()
            elif loop.time() - quiet_since >= self.quiet_s:
                return
            await asyncio.sleep(0.05)

    async def moved(self, before: str, wait_s: float) -> bool:
        """True when the action after ``expect_navigation`` sent the page elsewhere: a request for
        a new document went out within ``wait_s`` and its answer arrived (a slow server gets the
        whole page timeout), or only the URL changed (a hash or history change)."""
        try:
            await asyncio.wait_for(self._started.wait(), wait_s)
        except TimeoutError:
            return self.page.url != before
        try:
            await asyncio.wait_for(self._committed.wait(), self.timeout_ms / 1000)
        except TimeoutError:
            return False
        return True

    async def read(self, max_label_chars: int) -> PageState:
        for _ in range(3):  # a page still navigating destroys the evaluation's context: read again
            try:
                data = await self.page.evaluate(READ_JS, max_label_chars)
                return PageState.model_validate(data | {"status": self.status})
            except PlaywrightError:
                await self.settle()
        return PageState(url=self.page.url, status=self.status)

    @staticmethod
    async def texts_containing(frame: Page | Frame, needle: str) -> list[str]:
        with contextlib.suppress(PlaywrightError):
            return list(await frame.evaluate(COUNT_TEXT_JS, needle))
        return []

    async def type_and_watch(self, box: Locator, frame: Page | Frame, text: str, delay_ms: int, wait_ms: int
                             ) -> list[str]:
        """Type ``text`` into ``box`` key by key; the visible texts containing it that appeared meanwhile."""
        before = await self.texts_containing(frame, text)
        await box.click(timeout=self.timeout_ms)
        await box.press_sequentially(text, delay=delay_ms)
        await self.page.wait_for_timeout(wait_ms)
        after = await self.texts_containing(frame, text)
        remaining = list(before)
        appeared = []
        for item in after:
            if item in remaining:
                remaining.remove(item)
            else:
                appeared.append(item)
        return appeared


def new_lines(lines: Iterable[str], known: Iterable[str]) -> list[str]:
    """Lines not in ``known`` (what a probe added to the page), in page order."""
    seen = set(known)
    return [line for line in lines if line not in seen]


def has_marker(lines: Iterable[str], markers: Iterable[str]) -> str | None:
    """The first line naming one of ``markers``."""
    markers = list(markers)
    return next((line for line in lines if any(m in line for m in markers)), None)


class Stopwatch:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    def restart(self) -> None:
        self.started = time.perf_counter()

    @property
    def ms(self) -> float:
        return round((time.perf_counter() - self.started) * 1000, 1)
