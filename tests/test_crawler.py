"""The crawler against a small hostile site on loopback: it goes on and records what happened.

Every site is served by a stdlib ThreadingHTTPServer on 127.0.0.1 (port 0) in a
thread; nothing else is ever contacted (Chromium runs in offline mode and an
autouse guard refuses any httpx request to a non-loopback host).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from auditkit.browser import BrowserSession
from auditkit.crawler import Crawler, CrawlOutcome
from auditkit.dates import find_dates
from auditkit.linkcheck import LinkChecker
from auditkit.models import PageRecord
from auditkit.runner import CHECKABLE
from auditkit.settings import Settings
from auditkit.store import Store
from auditkit.testing import Route, RouteSite, send
from auditkit.urls import LOOPBACK_HOSTS

pytestmark = pytest.mark.usefixtures("loopback_only")

AS_OF = date(2021, 10, 15)

# --- a hostile local site ------------------------------------------------------

def html(title: str, body: str = "") -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>"


def page(title: str, *links: str, body: str = "") -> Route:
    anchors = "".join(f'<a href="{link}">{link}</a> ' for link in links)
    return lambda h: send(h, body=html(title, anchors + body))


def redirect(location: str) -> Route:
    return lambda h: send(h, 302, headers={"Location": location})



# --- running the crawler -------------------------------------------------------


@dataclass
class Crawl:
    outcome: CrawlOutcome
    pages: dict[str, PageRecord]


def crawl(tmp_path: Path, start: str, limit_s: float = 45, on_page: Callable[[PageRecord], None] | None = None,
          **crawl_settings: object) -> Crawl:
    options: dict[str, object] = {"per_host_delay_s": 0, "screenshot_home": False}
    options.update(crawl_settings)
    settings = Settings(network={"allow_hosts": LOOPBACK_HOSTS}, crawl=options)
    store = Store(tmp_path / "a.db")
    run_id = store.start_run(start, "test", AS_OF, "{}", "test")

    async def go() -> CrawlOutcome:
        async with BrowserSession(allow_hosts=settings.network.allow_hosts,
                                  user_agent=settings.crawl.user_agent) as session:
            crawler = Crawler(settings, session, store, run_id, AS_OF,
                              on_page=(lambda record, done, queued: on_page(record)) if on_page else None)
            return await asyncio.wait_for(crawler.run(start), limit_s)

    try:
        outcome = asyncio.run(go())
        pages = {p.url: p for p in store.iter_pages(run_id)}
    finally:
        store.close()
    return Crawl(outcome, pages)


# --- 1. hanging page -----------------------------------------------------------


@pytest.mark.browser
def test_hanging_page_times_out_and_crawl_goes_on(tmp_path: Path, serve) -> None:
    site = serve({})
    site.routes.update({
        "/": page("首页", "/hang", "/ok", "/ok2"),
        "/hang": lambda h: site.stop.wait(30),  # never answers
        "/ok": page("正常页面", "/ok3"),
        "/ok2": page("正常页面二"),
        "/ok3": page("正常页面三"),
    })
    result = crawl(tmp_path, site.url("/"), page_timeout_s=2)

    hung = result.pages[site.url("/hang")]
    assert hung.error and "timeout" in hung.error
    assert hung.status is None and not hung.ok
    for path in ("/", "/ok", "/ok2", "/ok3"):
        assert result.pages[site.url(path)].ok, path
    assert result.outcome.pages == 5
    assert result.outcome.errors == 1
    assert result.outcome.problems == []


# --- 2. redirect loop ----------------------------------------------------------


@pytest.mark.browser
def test_redirect_loop_is_recorded(tmp_path: Path, serve) -> None:
    site = serve({
        "/": page("首页", "/loop", "/ok"),
        "/loop": redirect("/loop2"),
        "/loop2": redirect("/loop"),
        "/ok": page("正常页面"),
    })
    result = crawl(tmp_path, site.url("/"))

    looped = result.pages[site.url("/loop")]
    assert looped.error and "redirect loop" in looped.error
    assert result.pages[site.url("/ok")].ok
    assert result.outcome.errors == 1
    assert site.count("/loop") <= 25  # Chromium gives up after 20 hops


# --- 3. GBK page ---------------------------------------------------------------


@pytest.mark.browser
def test_gbk_page_is_decoded(tmp_path: Path, serve) -> None:
    body = ("<!doctype html><html><head><title>某某市人民政府门户网站</title></head><body>"
            "<h1>政务公开</h1><p>发布时间：2021年9月1日</p><p>关于做好秋季开学工作的通知</p></body></html>")
    site = serve({"/": lambda h: send(h, body=body.encode("gbk"), ctype="text/html; charset=gbk")})
    result = crawl(tmp_path, site.url("/"))

    home = result.pages[site.url("/")]
    assert home.ok
    assert home.title == "某某市人民政府门户网站"
    assert "政务公开" in home.text and "关于做好秋季开学工作的通知" in home.text
    assert (home.charset or "").lower() == "gbk"
    assert home.dates == [date(2021, 9, 1)]
    assert "政务公开" in home.html


# --- 4. crawler trap -----------------------------------------------------------


def calendar(h: BaseHTTPRequestHandler) -> None:
    month = int(urlsplit(h.path).query.split("=")[1])
    send(h, body=html(f"日历 {month}", f'<a href="/cal?m={month + 1}">下个月</a> <a href="/">首页</a>'))


@pytest.mark.browser
def test_endless_calendar_trap_stops(tmp_path: Path, serve) -> None:
    site = serve({"/": page("首页", "/cal?m=0"), "/cal": calendar})
    # Depth and page limits far away: only the trap guard may stop this crawl.
    result = crawl(tmp_path, site.url("/"), max_depth=1000, max_pages=1000, max_query_variants_per_path=8)

    calendar_pages = [url for url in result.pages if "/cal?" in url]
    assert len(calendar_pages) == 8  # m=0..7; m=8 is the ninth variant of /cal
    served = sum(n for key, n in site.hits.items() if "/cal?" in key)
    assert served <= 8
    trap = {reason: n for reason, n in result.outcome.skipped.items() if "trap" in reason}
    assert trap, result.outcome.skipped
    assert all(record.ok for record in result.pages.values())


# --- 5. alert() and window.open() ----------------------------------------------


@pytest.mark.browser
def test_alert_and_popup_do_not_block(tmp_path: Path, serve) -> None:
    script = ("<script>alert('欢迎访问'); confirm('确定?'); prompt('姓名');"
              "window.open('/popup', '_blank');</script>")
    site = serve({
        "/": page("首页", "/next", body=script),
        "/next": page("下一页", body="<script>alert('又一个')</script>"),
        "/popup": page("弹窗"),
    })
    result = crawl(tmp_path, site.url("/"), page_timeout_s=5)

    home = result.pages[site.url("/")]
    assert home.ok and home.title == "首页"
    assert result.pages[site.url("/next")].ok
    assert result.outcome.errors == 0
    assert result.outcome.problems == []


# --- 6. attachment download ----------------------------------------------------


def attachment(h: BaseHTTPRequestHandler) -> None:
    send(h, body=b"PK\x03\x04 not really a zip" * 100, ctype="application/octet-stream",
         headers={"Content-Disposition": 'attachment; filename="report.xlsx"'})


@pytest.mark.browser
def test_attachment_is_not_rendered_but_checked(tmp_path: Path, serve) -> None:
    site = serve({
        "/": page("首页", "/download?id=1", "/after"),
        "/download": attachment,
        "/after": page("之后"),
    })
    result = crawl(tmp_path, site.url("/"))

    download = site.url("/download?id=1")
    assert download not in result.pages
    assert result.outcome.unrendered[download] == "download"
    assert result.pages[site.url("/after")].ok
    assert result.outcome.errors == 0

    settings = Settings(network={"allow_hosts": LOOPBACK_HOSTS})
    checker = LinkChecker(settings.links, settings.crawl.user_agent, settings.network.allow_hosts)
    to_check = [u for u, why in result.outcome.unrendered.items() if why in CHECKABLE]
    statuses = asyncio.run(checker.check_all(to_check, {"127.0.0.1"}))
    by_url = {s.url: s for s in statuses}
    assert by_url[download].ok and by_url[download].status == 200
    assert by_url[download].skipped is None
    assert by_url[download].content_type == "application/octet-stream"


# --- 7. robots.txt -------------------------------------------------------------


def robots(text: str) -> Route:
    return lambda h: send(h, body=text, ctype="text/plain")


def robots_site(serve, rules: str) -> RouteSite:
    return serve({
        "/robots.txt": robots(rules),
        "/": page("首页", "/private/secret", "/public"),
        "/private/secret": page("内部"),
        "/public": page("公开"),
    })


@pytest.mark.browser
def test_robots_disallow_is_respected(tmp_path: Path, serve) -> None:
    site = robots_site(serve, "User-agent: *\nDisallow: /private/\n")
    result = crawl(tmp_path, site.url("/"))

    assert site.url("/private/secret") not in result.pages
    assert site.count("/private/secret") == 0
    assert result.pages[site.url("/public")].ok
    assert result.outcome.skipped["disallowed by robots.txt"] == 1


@pytest.mark.browser
def test_robots_ignored_when_told(tmp_path: Path, serve) -> None:
    site = robots_site(serve, "User-agent: *\nDisallow: /private/\n")
    result = crawl(tmp_path, site.url("/"), respect_robots=False)

    assert result.pages[site.url("/private/secret")].ok
    assert result.outcome.skipped["disallowed by robots.txt"] == 0
    assert site.count("/robots.txt") == 0


@pytest.mark.browser
def test_robots_group_naming_auditkit_applies(tmp_path: Path, serve) -> None:
    # Sites address crawlers by product token; ours is "auditkit", not "Mozilla".
    site = robots_site(serve, "User-agent: auditkit\nDisallow: /private/\n\nUser-agent: *\nDisallow:\n")
    result = crawl(tmp_path, site.url("/"))

    assert site.url("/private/secret") not in result.pages
    assert site.count("/private/secret") == 0
    assert result.pages[site.url("/public")].ok


# --- 8. limits -----------------------------------------------------------------


@pytest.mark.browser
def test_max_pages_is_respected(tmp_path: Path, serve) -> None:
    children = [f"/p{i}" for i in range(10)]
    routes: dict[str, Route] = {"/": page("首页", *children)}
    routes.update({child: page(child, child + "/sub") for child in children})
    site = serve(routes)
    result = crawl(tmp_path, site.url("/"), max_pages=4)

    assert len(result.pages) == 4
    assert result.outcome.pages == 4
    served = sum(n for key, n in site.hits.items() if key.startswith("GET /p") or key == "GET /")
    assert served == 4
    assert result.outcome.skipped["beyond max pages"] >= 1
    assert "beyond max pages" in result.outcome.unrendered.values()


@pytest.mark.browser
def test_tabs_are_replaced_and_nothing_is_lost(tmp_path: Path, serve, monkeypatch: pytest.MonkeyPatch) -> None:
    children = [f"/p{i}" for i in range(9)]
    routes: dict[str, Route] = {"/": page("首页", *children)}
    routes.update({child: page(child) for child in children})
    opened = 0
    real_new_page = Crawler._new_page

    async def counting(self: Crawler, context: object) -> object:
        nonlocal opened
        opened += 1
        return await real_new_page(self, context)

    monkeypatch.setattr(Crawler, "_new_page", counting)
    result = crawl(tmp_path, serve(routes).url("/"), per_host_concurrency=1, pages_per_tab=2)
    assert result.outcome.pages == 10 and all(p.ok for p in result.pages.values())
    assert opened == 1 + 10 // 2  # the first tab, then a fresh one after every second page


@pytest.mark.browser
def test_max_depth_is_respected(tmp_path: Path, serve) -> None:
    routes: dict[str, Route] = {"/": page("d0", "/d1")}
    routes.update({f"/d{i}": page(f"d{i}", f"/d{i + 1}") for i in range(1, 8)})
    site = serve(routes)
    result = crawl(tmp_path, site.url("/"), max_depth=2)

    assert sorted(result.pages) == sorted(site.url(p) for p in ("/", "/d1", "/d2"))
    assert {p.depth for p in result.pages.values()} == {0, 1, 2}
    assert result.outcome.unrendered[site.url("/d3")] == "beyond max depth"
    assert site.count("/d3") == 0


# --- 9. link regions -----------------------------------------------------------


@pytest.mark.browser
def test_link_regions_from_div_classes(tmp_path: Path, serve) -> None:
    body = """
      <div class="top"><a href="/logo-link">网站首页</a></div>
      <div class="nav"><ul><li><a href="/nav-link">政务公开</a></li></ul></div>
      <div class="main"><a href="/body-link">正文链接</a></div>
      <div class="footer"><p><a href="/footer-link">网站地图</a></p></div>
    """
    site = serve({"/": lambda h: send(h, body=html("首页", body))})
    result = crawl(tmp_path, site.url("/"), max_depth=0)

    regions = {link.url: link.region for link in result.pages[site.url("/")].links}
    assert regions[site.url("/logo-link")] == "header"
    assert regions[site.url("/nav-link")] == "nav"
    assert regions[site.url("/body-link")] == "body"
    assert regions[site.url("/footer-link")] == "footer"


# --- 10. dates (no browser) ----------------------------------------------------


def test_dates_full_forms() -> None:
    assert find_dates("发布时间：2021年9月1日", AS_OF) == [date(2021, 9, 1)]
    assert find_dates("2021/09/01", AS_OF) == [date(2021, 9, 1)]
    assert find_dates("2021-09-01 和 2021.09.02", AS_OF) == [date(2021, 9, 1), date(2021, 9, 2)]


def test_dates_year_implied() -> None:
    assert find_dates("[09-01]", AS_OF) == [date(2021, 9, 1)]
    assert find_dates("[12-01]", AS_OF) == [date(2020, 12, 1)]  # after as_of: last year
    assert find_dates("[09-01]", AS_OF, implied_year=False) == []


def test_dates_list_of_implied_years() -> None:
    text = "关于开展安全检查的通知 09-01\n关于秋季开学的通知 08-30\n09-02 09-03"
    assert find_dates(text, AS_OF) == [date(2021, 9, 1), date(2021, 8, 30), date(2021, 9, 2), date(2021, 9, 3)]


def test_dates_today_widget_is_a_decoy() -> None:
    assert find_dates("今天是2021年10月15日", AS_OF) == []
    assert find_dates("今天是2021年10月15日 星期五  发布时间：2021年9月1日", AS_OF) == [date(2021, 9, 1)]
    assert find_dates("今天是：2021年10月15日 星期五", AS_OF) == []


# --- probes beyond the brief ---------------------------------------------------


@pytest.mark.browser
def test_max_pages_with_a_second_origin(tmp_path: Path, serve) -> None:
    # Two workers both wait for the new origin's robots.txt: neither may overshoot max_pages.
    site = serve({})
    other = site.base.replace("127.0.0.1", "localhost")
    site.routes["/"] = page("首页", *(f"{other}/p{i}" for i in range(6)))
    site.routes.update({f"/p{i}": page(f"p{i}") for i in range(6)})
    result = crawl(tmp_path, site.url("/"), max_pages=2, extra_hosts=["localhost"])

    assert result.outcome.pages == 2, sorted(result.pages)
    assert sum(n for key, n in site.hits.items() if key.startswith("GET /p")) == 1


@pytest.mark.browser
def test_offline_mode_extra_host_is_not_contacted(tmp_path: Path, serve, loopback_only: list[str]) -> None:
    site = serve({"/": page("首页", "http://offsite.invalid/page", "/ok"), "/ok": page("正常")})
    result = crawl(tmp_path, site.url("/"), extra_hosts=["offsite.invalid"])

    assert loopback_only == []
    assert "http://offsite.invalid/page" not in result.pages
    assert result.outcome.errors == 0
    assert result.outcome.unrendered["http://offsite.invalid/page"] in CHECKABLE


@pytest.mark.browser
def test_offline_mode_robots_redirect_is_not_followed(tmp_path: Path, serve, loopback_only: list[str]) -> None:
    site = serve({"/robots.txt": redirect("http://offsite.invalid/robots.txt"), "/": page("首页", "/ok"),
                  "/ok": page("正常")})
    result = crawl(tmp_path, site.url("/"))

    assert loopback_only == []
    assert result.pages[site.url("/ok")].ok


@pytest.mark.browser
def test_page_within_depth_found_late_is_still_crawled(tmp_path: Path, serve) -> None:
    # /q (depth 2) links /x at depth 3 first; the slow /slow (depth 1) links it at depth 2 later.
    site = serve({})
    q_done = threading.Event()  # set once /q is recorded (its links are followed in the same step)
    site.routes.update({
        "/": page("首页", "/slow", "/fast"),
        "/slow": lambda h: (q_done.wait(10), page("慢", "/x")(h)),
        "/fast": page("快", "/q"),
        "/q": page("q", "/x"),
        "/x": page("x"),
    })
    result = crawl(tmp_path, site.url("/"), max_depth=2,
                   on_page=lambda record: q_done.set() if record.url.endswith("/q") else None)

    assert result.pages[site.url("/q")].depth == 2
    assert site.url("/x") in result.pages, result.outcome.unrendered
    assert result.pages[site.url("/x")].depth == 2
    assert site.url("/x") not in result.outcome.unrendered
    assert result.outcome.skipped.get("beyond max depth", 0) == 0


@pytest.mark.browser
def test_meta_refresh_home_is_followed(tmp_path: Path, serve) -> None:
    # Many portals' / is a stub: <meta http-equiv="refresh" content="0;url=/col/index.html">.
    site = serve({
        "/": lambda h: send(h, body=html("跳转", '<meta http-equiv="refresh" content="0;url=/portal/index.html">')),
        "/portal/index.html": page("某某市人民政府", "/x"),
        "/x": page("x"),
    })
    result = crawl(tmp_path, site.url("/"))

    home = result.pages[site.url("/")]
    assert home.ok and home.title == "某某市人民政府"
    assert home.final_url == site.url("/portal/index.html")
    assert site.url("/x") in result.pages


@pytest.mark.browser
def test_meta_refresh_loop_does_not_hammer(tmp_path: Path, serve) -> None:
    site = serve({})
    site.routes.update({
        "/": page("首页", "/a", *(f"/n{i}" for i in range(4))),
        "/a": lambda h: send(h, body=html("a", '<meta http-equiv="refresh" content="0;url=/b">')),
        "/b": lambda h: send(h, body=html("b", '<meta http-equiv="refresh" content="0;url=/a">')),
        **{f"/n{i}": (lambda h: (site.stop.wait(0.3), page("n")(h))) for i in range(4)},
    })
    result = crawl(tmp_path, site.url("/"), per_host_concurrency=1)

    looping = result.pages[site.url("/a")]
    assert looping.error and "redirect loop" in looping.error
    for i in range(4):  # ~1 s of crawling after it: the old tab must not keep refreshing meanwhile
        assert result.pages[site.url(f"/n{i}")].ok
    assert site.count("/a") + site.count("/b") < 20, site.hits
    assert result.outcome.problems == []


@pytest.mark.browser
def test_browser_gone_mid_crawl_still_finishes(tmp_path: Path, serve, monkeypatch: pytest.MonkeyPatch) -> None:
    site = serve({"/": page("首页", *(f"/p{i}" for i in range(6)))})
    site.routes.update({f"/p{i}": page(f"p{i}") for i in range(6)})
    original = BrowserSession.new_context

    async def fragile(self: BrowserSession, **options: object):
        context = await original(self, **options)

        async def crash_soon() -> None:  # the browser goes away once the first /p page is asked for
            while not any(key.startswith("GET /p") for key in site.hits):
                await asyncio.sleep(0.01)
            await context.close()

        asyncio.get_running_loop().create_task(crash_soon())
        return context

    monkeypatch.setattr(BrowserSession, "new_context", fragile)
    result = crawl(tmp_path, site.url("/"), limit_s=20)  # hangs forever if every worker died
    assert result.pages[site.url("/")].ok
    assert len(result.pages) == 7  # every queued URL has a record, most of them errors
    assert result.outcome.errors >= 5
