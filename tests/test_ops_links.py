"""链接可用性 (ops.broken_links): soft 404s — 200 answers that are error pages — are broken links."""

from __future__ import annotations

import asyncio
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from auditkit.demo.app import DemoApp
from auditkit.demo.content import SOFT_404_PATH
from auditkit.demo.defects import planted
from auditkit.linkcheck import LinkChecker, html_title
from auditkit.models import CheckResult, PageRecord, ResourceStatus
from auditkit.settings import LinkCheckSettings
from auditkit.testing import check_once, make_snapshot, page_from_html, plugin_settings, send, serve_routes
from auditkit.urls import LOOPBACK_HOSTS
from auditkit_plugins.ops.links import SOFT_404, Soft404Rules, broken_links, soft_404_reason

AS_OF = date(2021, 10, 15)
SETTINGS = plugin_settings("auditkit_plugins.ops")
RULES = Soft404Rules.from_settings(SETTINGS)
BASE = "http://127.0.0.1:8"
TEMPLATE = """<div class="nav"><a href="/">首页</a><a href="/xwzx/">新闻中心</a><a href="/xxgk/">政务公开</a></div>
<div class="footer"><p>主办单位：青山县人民政府办公室</p><p>网站标识码：4301240001</p></div>"""
ARTICLE_TEXT = "".join(f"<p>青山县第{i}次常务会议研究部署重点项目建设、安全生产、民生实事等工作，"
                       "要求各部门压实责任。</p>" for i in range(8))


def page(path: str, title: str, main: str, status: int = 200) -> PageRecord:
    html = f"<html><head><title>{title}</title></head><body>{TEMPLATE}<div class='main'>{main}</div></body></html>"
    return page_from_html(BASE + path, html, AS_OF, status=status)


def demo_page(app: DemoApp, path: str) -> PageRecord:
    response = app.handle("GET", path)
    charset = response.content_type.split("charset=")[-1]
    return page_from_html(BASE + path, response.body.decode(charset), AS_OF, status=response.status)


def run(tmp_path: Path, pages: list[PageRecord], resources: list[ResourceStatus] = ()) -> CheckResult:
    snapshot = make_snapshot(tmp_path / "a.db", pages, AS_OF, start_url=BASE + "/")
    if resources:
        snapshot.store.add_resources(snapshot.run_id, list(resources))
    return check_once(broken_links, snapshot, SETTINGS)


def findings_by_target(result: CheckResult) -> dict[str, dict]:
    return {f.evidence.values["target"]: f.evidence.values | {"message": f.message} for f in result.findings}


# --- the rule itself -------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["页面不存在_青山县人民政府", "404 Not Found", "404", "404 - 页面未找到",
                                   "抱歉，找不到页面", "您访问的页面不存在", "出错了！", "Page Not Found | Example"])
def test_error_titles_are_soft_404s(title: str) -> None:
    reason = soft_404_reason(title, ARTICLE_TEXT, set(), RULES)
    assert reason and title in reason


@pytest.mark.parametrize("title", ["县政府门户网站完成404错误页面规范化改造_青山县人民政府", "青山县人民政府",
                                   "关于4040号建议的答复", "2021年第404期"])
def test_ordinary_titles_are_not(title: str) -> None:
    assert soft_404_reason(title, ARTICLE_TEXT, set(), RULES) is None


def test_short_text_that_says_so_is_a_soft_404_beyond_the_template() -> None:
    template = {"首页", "新闻中心", "主办单位：青山县人民政府办公室"}
    text = "首页\n新闻中心\n抱歉，您要查看的信息已被删除\n返回首页\n主办单位：青山县人民政府办公室"
    reason = soft_404_reason("青山县人民政府", text, template, RULES)
    assert reason and "信息已被删除" in reason
    # The same words in a long text, or in a long sentence, are an article's.
    assert soft_404_reason("青山县人民政府", text + "\n" + "会议强调要压实责任。" * 40, template, RULES) is None
    sentence = ("改造后，用户访问已失效的网址时，服务器返回标准的404状态码，同时展示“页面不存在”友好提示，"
                "并提供返回首页、站内搜索和网站地图等链接，引导用户快速找到所需信息。")
    assert len(sentence) > RULES.max_line_chars
    assert soft_404_reason("青山县人民政府", sentence, template, RULES) is None


# --- the check over a snapshot -------------------------------------------------------------


def test_demo_soft_404_is_broken_and_the_404_article_is_not(tmp_path: Path) -> None:
    app = DemoApp(AS_OF)
    source, healthy = planted("soft_404").path, planted("error_page_article").path
    pages = [demo_page(app, p) for p in ("/", "/xwzx/ywdt/", "/xwzx/gzdt/", source, healthy, SOFT_404_PATH,
                                         "/xwzx/ywdt/content_10001.html", "/xwzx/gzdt/content_10101.html")]
    assert pages[5].status == 200 and pages[5].title.startswith("页面不存在")
    result = run(tmp_path, pages)
    found = findings_by_target(result)
    assert set(found) == {BASE + SOFT_404_PATH}, result.reason
    soft = found[BASE + SOFT_404_PATH]
    assert SOFT_404 in soft["message"] and "页面不存在" in soft["soft_404"] and soft["status"] == 200
    assert soft["appears_on"] == [BASE + source]
    assert soft["anchor_texts"] == ["青山县召开创建省级卫生县城动员大会"]
    assert result.details["soft_404"] == 1 and result.deduction == pytest.approx(0.1)
    # The long article about 404 pages was judged (a list links to it) and is fine.
    assert BASE + healthy in {link.url for p in pages for link in p.links}


def test_deductions_count_each_target_once_home_or_elsewhere(tmp_path: Path) -> None:
    home = page("/", "青山县人民政府", '<a href="/a.html">已删除的文章</a><a href="/gone.html">失效链接</a>'
                                          '<a href="/inner.html">内页</a>' + ARTICLE_TEXT)
    inner = page("/inner.html", "内页_青山县人民政府", '<a href="/a.html">相关文章</a><a href="/c.html">旧公告</a>'
                                                     '<a href="/ok.html">正常文章</a>' + ARTICLE_TEXT)
    by_title = page("/a.html", "页面不存在_青山县人民政府", "<h1>页面不存在</h1>")
    by_text = page("/c.html", "青山县人民政府", "<h1>抱歉，您访问的页面不存在或已被删除。</h1><a href='/'>返回首页</a>")
    hard_404 = page("/gone.html", "页面不存在", "<h1>页面不存在</h1>", status=404)
    ok = page("/ok.html", "正常文章_青山县人民政府", ARTICLE_TEXT)
    result = run(tmp_path, [home, inner, by_title, by_text, hard_404, ok])
    found = findings_by_target(result)
    assert set(found) == {BASE + "/a.html", BASE + "/c.html", BASE + "/gone.html"}
    # (checked: the five targets and the home page; unchecked: the menu's pages, not in this snapshot)
    assert result.details == {"checked": 6, "broken": 3, "broken_on_home": 2, "soft_404": 2, "unchecked": 2}
    assert result.deduction == pytest.approx(2 * 1.0 + 1 * 0.1)  # a.html and gone.html on the home page
    a = found[BASE + "/a.html"]
    assert a["appears_on"] == [BASE + "/", BASE + "/inner.html"]
    assert a["anchor_texts"] == ["已删除的文章", "相关文章"] and a["message"].startswith("首页链接")
    assert "正文简短" in found[BASE + "/c.html"]["soft_404"] and SOFT_404 in found[BASE + "/c.html"]["message"]
    assert "HTTP 404" in found[BASE + "/gone.html"]["message"] and "soft_404" not in found[BASE + "/gone.html"]


def test_links_checked_over_http_are_judged_by_their_title(tmp_path: Path) -> None:
    home = page("/", "青山县人民政府", '<a href="/deep/1.html">深层页面</a><a href="/deep/2.html">另一页</a>'
                                          '<a href="/file.pdf">附件</a>' + ARTICLE_TEXT)
    resources = [
        ResourceStatus(url=BASE + "/deep/1.html", status=200, ok=True, method="GET", title="404 Not Found"),
        ResourceStatus(url=BASE + "/deep/2.html", status=200, ok=True, method="GET", title="通知公告_青山县人民政府"),
        ResourceStatus(url=BASE + "/file.pdf", status=200, ok=True, method="HEAD"),
    ]
    result = run(tmp_path, [home], resources)
    assert set(findings_by_target(result)) == {BASE + "/deep/1.html"}
    assert result.details["soft_404"] == 1 and result.deduction == pytest.approx(1.0)


# --- the title a GET brings back -----------------------------------------------------------


def test_html_title_from_the_first_bytes() -> None:
    assert html_title("<html><head><title> 页面不存在 &amp; 出错 </title>".encode(), None) == "页面不存在 & 出错"
    gbk = '<meta charset="gbk"><title>页面不存在</title>'.encode("gbk")
    assert html_title(gbk, None) == "页面不存在"
    assert html_title(gbk, "gbk") == "页面不存在"
    assert html_title(b"<html><body>no title</body>", "utf-8") is None


def test_checker_keeps_the_title_when_it_gets(tmp_path: Path) -> None:
    error_page = "<html><head><title>页面不存在</title></head><body>抱歉</body></html>"
    routes = {"/removed.html": lambda h: send(h, 405 if h.command == "HEAD" else 200, error_page),
              "/page.html": lambda h: send(h, 200, error_page)}
    with serve_routes(routes) as site:
        checker = LinkChecker(LinkCheckSettings(retries=0, timeout_s=5), "auditkit-test", LOOPBACK_HOSTS)
        results = asyncio.run(checker.check_all([site.url("/removed.html"), site.url("/page.html")], {"127.0.0.1"}))
    got = {r.url.rsplit("/", 1)[1]: r for r in results}
    assert got["removed.html"].method == "GET" and got["removed.html"].title == "页面不存在"
    assert got["page.html"].method == "HEAD" and got["page.html"].title is None  # no GET, no title: stays cheap


# --- the checker's bare HEAD path: plain exchanges, and everything else handed to httpx ----


class RawServer(socketserver.ThreadingTCPServer):
    """HTTP/1.1 with keep-alive by hand: ``answer(path, served_on_this_connection)`` returns the
    raw bytes to send, or None to hang up. Counts connections and requests."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, answer: Callable[[str, int], bytes | None]) -> None:
        self.answer = answer
        self.connections = 0
        self.requests: list[str] = []
        super().__init__(("127.0.0.1", 0), RawHandler)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class RawHandler(socketserver.StreamRequestHandler):
    server: RawServer

    def handle(self) -> None:
        self.server.connections += 1
        for served in range(100):  # bounded: a test never needs more on one connection
            line = self.rfile.readline().decode("latin-1")
            while line and self.rfile.readline() not in (b"\r\n", b""):
                pass  # (request headers: not needed)
            if not line:
                return
            method, path = line.split(" ")[:2]
            self.server.requests.append(f"{method} {path}")
            data = self.server.answer(path, served)
            if data is None:
                return
            self.wfile.write(data if method == "GET" else data.split(b"\r\n\r\n")[0] + b"\r\n\r\n")


@contextmanager
def raw_server(answer: Callable[[str, int], bytes | None]) -> Iterator[RawServer]:
    server = RawServer(answer)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def http(status: int, headers: str = "", body: bytes = b"ok") -> bytes:
    return (f"HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n{headers}\r\n"
            .encode() + body)


def check_urls(urls: list[str]) -> dict[str, ResourceStatus]:
    checker = LinkChecker(LinkCheckSettings(retries=0, timeout_s=5, per_host_concurrency=1), "auditkit-test",
                          LOOPBACK_HOSTS)
    return {r.url: r for r in asyncio.run(checker.check_all(urls, {"127.0.0.1"}))}


def test_bare_heads_share_one_keep_alive_connection() -> None:
    with raw_server(lambda path, served: http(200)) as server:
        results = check_urls([server.url(f"/{i}.pdf") for i in range(30)])
    assert all(r.ok and r.status == 200 and r.method == "HEAD" for r in results.values())
    assert server.connections == 1 and len(server.requests) == 30


def test_bare_redirect_is_followed_without_asking_twice() -> None:
    def answer(path: str, served: int) -> bytes:
        return http(301, "Location: /new/b.html\r\n") if path == "/old/a.html" else http(200)

    with raw_server(answer) as server:
        result = check_urls([server.url("/old/a.html")])[server.url("/old/a.html")]
    assert result.ok and result.final_url == server.url("/new/b.html") and result.method == "HEAD"
    assert server.requests == ["HEAD /old/a.html", "HEAD /new/b.html"]


def test_idle_connection_closed_by_the_server_is_replaced() -> None:
    # The server closes each connection after one answer without saying so.
    with raw_server(lambda path, served: http(200) if served == 0 else None) as server:
        results = check_urls([server.url(f"/{i}.doc") for i in range(5)])
    assert all(r.ok for r in results.values())
    assert server.connections >= 5


def test_odd_answers_are_left_to_httpx() -> None:
    def answer(path: str, served: int) -> bytes:
        if path == "/cookie":  # a cookie check: redirects to itself until the cookie comes back
            return http(302, "Set-Cookie: sid=1; Path=/\r\nLocation: /cookie?ok=1\r\n")
        if path == "/cookie?ok=1":
            return http(200)
        return b"ICY 200 OK\r\n\r\n"  # not HTTP at all

    with raw_server(answer) as server:
        results = check_urls([server.url("/cookie"), server.url("/garbage")])
    assert results[server.url("/cookie")].ok and results[server.url("/cookie")].final_url.endswith("/cookie?ok=1")
    garbage = results[server.url("/garbage")]
    assert not garbage.ok and garbage.error and "RemoteProtocolError" in garbage.error


def test_unencoded_paths_go_through_httpx(tmp_path: Path) -> None:
    routes = {"/uploads/%E9%99%84%E4%BB%B6.doc": lambda h: send(h, 200, b"doc", "application/msword")}
    with serve_routes(routes) as site:
        result = check_urls([site.url("/uploads/附件.doc")])[site.url("/uploads/附件.doc")]
    assert result.ok and result.status == 200
