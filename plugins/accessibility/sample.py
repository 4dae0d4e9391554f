"""Which pages the accessibility checks look at: the home page, then the first crawled
page of each type an evaluator samples (list, article, service guide, message board,
disclosure guide). Pure over the snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from auditkit.models import PageRecord
from auditkit.snapshot import Snapshot
from auditkit_plugins.accessibility.config import SampleType, Settings
from auditkit_plugins.search_qa.probes import breadcrumb

HOME = "home"
HOME_NAME = "首页"


@dataclass(frozen=True)
class SamplePage:
    url: str
    type: str
    name: str  # the type in words


def _is_document(page: PageRecord, cfg: Settings) -> bool:
    last = urlsplit(page.url).path.rsplit("/", 1)[-1]
    return bool(last) and last.split(".")[0].lower() not in cfg.list_page_names


def _where(page: PageRecord, snapshot: Snapshot, cfg: Settings) -> str:
    """Breadcrumb, <title> and <h1>: the words that say what a page is."""
    tree = snapshot.parse(page.url)
    h1 = tree.css_first("h1") if tree is not None else None
    return " ".join([breadcrumb(page.text, cfg.breadcrumb_labels), page.title, h1.text() if h1 else ""])


def matches(page: PageRecord, kind: SampleType, snapshot: Snapshot, cfg: Settings) -> bool:
    if kind.list_page and len(page.dates) < cfg.list_min_dates:
        return False
    if kind.document and not _is_document(page, cfg):
        return False
    if kind.crumbs and not any(word in _where(page, snapshot, cfg) for word in kind.crumbs):
        return False
    return not kind.labels or sum(label in page.text for label in kind.labels) >= kind.min_labels


def sample_pages(snapshot: Snapshot, cfg: Settings) -> list[SamplePage]:
    """The home page and one page per sample type (types the site lacks are skipped)."""
    home = snapshot.home
    if home is None or not home.ok:
        return []
    chosen = [SamplePage(home.final_url or home.url, HOME, HOME_NAME)]
    used = {home.url}
    pending = list(cfg.sample_types)
    for page in snapshot.html_pages():
        if not pending:
            break
        if page.url in used:
            continue
        kind = next((k for k in pending if matches(page, k, snapshot, cfg)), None)
        if kind is not None:
            chosen.append(SamplePage(page.final_url or page.url, kind.type, kind.name))
            used.add(page.url)
            pending.remove(kind)
    return chosen


def axe_pages(snapshot: Snapshot, cfg: Settings) -> list[SamplePage]:
    """The sample first, then other crawled pages in crawl order, up to the cap."""
    pages = sample_pages(snapshot, cfg)
    seen = {p.url for p in pages}
    for page in snapshot.html_pages():
        if len(pages) >= cfg.axe_max_pages:
            break
        url = page.final_url or page.url
        if url not in seen and page.url not in seen:
            pages.append(SamplePage(url, "other", "其他页面"))
            seen.add(url)
    return pages[:cfg.axe_max_pages]
