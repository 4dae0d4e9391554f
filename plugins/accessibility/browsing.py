"""Browser plumbing shared by the accessibility checks: visiting many pages with a few
reused tabs, and side-by-side screenshots stored with the run."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Sequence
from html import escape
from string import Template
from typing import TypeVar

from playwright.async_api import BrowserContext, Page

from auditkit.snapshot import Snapshot

T = TypeVar("T")
R = TypeVar("R")

# Two screenshots side by side at half size, with a caption over each.
PAIR_HTML = Template("""<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#fff;font:16px sans-serif;display:flex}
figure{margin:0;width:50%;border-right:2px solid #888}figcaption{padding:4px 8px;background:#eee}
img{width:100%;display:block}</style></head><body>
<figure><figcaption>$left</figcaption><img src="$left_src"></figure>
<figure><figcaption>$right</figcaption><img src="$right_src"></figure></body></html>""")


async def over_pages(context: BrowserContext, items: Sequence[T], concurrency: int,
                     work: Callable[[Page, T], Awaitable[R]]) -> list[R]:
    """``work(page, item)`` for every item, ``concurrency`` tabs at a time, each tab reused;
    results in the order of ``items``."""
    results: list[R | None] = [None] * len(items)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(items)):
        queue.put_nowait(i)

    async def worker() -> None:
        page = await context.new_page()
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))
        try:
            while not queue.empty():
                i = queue.get_nowait()
                results[i] = await work(page, items[i])
        finally:
            await page.close()

    await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, len(items))))))
    return [r for r in results if r is not None]


def data_uri(image: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(image).decode()


async def store_pair(page: Page, snapshot: Snapshot, key: str, left: tuple[str, bytes], right: tuple[str, bytes],
                     quality: int) -> str:
    """Compose two screenshots side by side (in the browser: no image library needed), store
    the result with the run under ``key`` and return the key."""
    html = PAIR_HTML.substitute(left=escape(left[0]), right=escape(right[0]), left_src=data_uri(left[1]),
                                right_src=data_uri(right[1]))
    width = page.viewport_size["width"] if page.viewport_size else 1366
    await page.set_content(html, wait_until="load")
    height = await page.evaluate("() => document.body.scrollHeight")
    image = await page.screenshot(type="jpeg", quality=quality, clip={"x": 0, "y": 0, "width": width,
                                                                        "height": height})
    snapshot.store.add_screenshot(snapshot.run_id, key, data_uri(image))
    return key
