"""Can a link be followed? Read from the snapshot: the crawler rendered internal pages and
the link checker tried every other link over HTTP; nothing is fetched again here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from auditkit.columns import strip_site_name
from auditkit.models import Link
from auditkit.snapshot import Snapshot
from auditkit.urls import has_extension
from auditkit_plugins.services.fields import per_snapshot

ReachState = Literal["ok", "broken", "unverified"]


@dataclass(frozen=True)
class Reach:
    state: ReachState
    note: str  # in words, for the report: "可访问", "无法访问（HTTP 404）", "未核验（离线模式）"
    content_type: str | None = None
    content_length: int | None = None


def reach(snapshot: Snapshot, url: str) -> Reach:
    """What the snapshot knows of ``url``: reachable, broken, or not checked in this run."""
    status = snapshot.link_status(url)
    if status is None:
        return Reach("unverified", "未核验（本次未抓取）")
    if status.skipped:
        return Reach("unverified", f"未核验（{status.skipped}）")
    if not status.ok:
        problem = f"HTTP {status.status}" if status.status else (status.error or "无响应")
        return Reach("broken", f"无法访问（{problem}）", status.content_type)
    return Reach("ok", "可访问", status.content_type, status.content_length)


def download(snapshot: Snapshot, url: str, document_extensions: list[str]) -> Reach:
    """``reach`` for a file to download: a document link answered with a web page (a login
    or error page served with 200) or with an empty body cannot be downloaded either."""
    found = reach(snapshot, url)
    if found.state != "ok":
        return found
    if has_extension(url, document_extensions) and (found.content_type or "").startswith("text/html"):
        return Reach("broken", "返回网页而非文件（可能是错误页或登录页）", found.content_type)
    if found.content_length == 0:
        return Reach("broken", "文件为空（0 字节）", found.content_type, 0)
    return found


@dataclass(frozen=True)
class FoundLink:
    url: str
    text: str
    page: str  # where it was seen first
    word: str  # the word that matched


def find_links(snapshot: Snapshot, words: Sequence[str], exclude: Sequence[str] = (), max_chars: int = 0
               ) -> list[FoundLink]:
    """Links on the crawled pages whose text contains one of ``words`` (and none of ``exclude``),
    each target once, in crawl order. ``max_chars`` keeps menu and entry links (短链接文字) and
    leaves out article titles that merely mention a word."""
    found: dict[str, FoundLink] = {}
    for page_url, link in page_links(snapshot):
        text = link.text.strip()
        if link.url in found or (max_chars and len(text) > max_chars):
            continue
        word = next((w for w in words if w in text), None)
        if word and not any(x in text for x in exclude):
            found[link.url] = FoundLink(link.url, text, page_url, word)
    return list(found.values())


def page_links(snapshot: Snapshot) -> list[tuple[str, Link]]:
    """(page URL, link) of every anchor on the crawled pages, read once per snapshot."""
    return per_snapshot(snapshot, "services.links", {}, lambda: [
        (page.url, link) for page in snapshot.html_pages() for link in page.links if link.kind == "a"])


def page_titles(snapshot: Snapshot) -> list[tuple[str, str]]:
    """(page URL, the title without the site name) of every crawled page, read once per snapshot."""
    return per_snapshot(snapshot, "services.titles", {}, lambda: [
        (page.url, strip_site_name(page.title)) for page in snapshot.html_pages()])
