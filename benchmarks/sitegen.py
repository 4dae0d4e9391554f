"""Synthetic government-style websites for benchmarks, served from memory on 127.0.0.1.

    from sitegen import generate, serve
    site = generate(pages=2000, links_per_page=10, broken_share=0.05, seed=1)
    with serve(site) as base_url:          # "http://127.0.0.1:PORT/"
        ...

    python benchmarks/sitegen.py serve --pages 2000 --links-per-page 10   # browse it
    python benchmarks/sitegen.py stats --pages 100

A site is a home page, column (栏目) list pages with numbered pagination, articles
with images, attachments (附件) and 相关链接, and a few single pages. Every page
carries the same header, navigation and footer. ``pages × links_per_page`` is
the number of unique link targets exactly: the pages themselves, broken links
(deleted articles, lost uploads: 404) and working images and attachments.
Same arguments, same site, byte for byte.

The server is a small asyncio HTTP/1.1 server with keep-alive, answering from
pre-built bytes. Measured here (2 cores) with 4 keep-alive clients: the stdlib
ThreadingHTTPServer about 6,500 HEAD/s, this one 37,000–50,000. The clients
under test ask for up to ~6,000/s, so what matters is the CPU the server
leaves them on a 2-core machine: some 35 µs a response. It sends a
``LinkChecker`` header with every response, which is how a site owner lifts
LinkChecker's per-host rate limit (its ``maxrequestspersecond`` is capped at
10 otherwise).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import pickle
import random
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

LIST_PAGE_SIZE = 20
# Real 1×1 images, so Chromium decodes them without complaint.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
GIF_1X1 = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")
ATTACHMENTS = {
    ".pdf": ("application/pdf", b"%PDF-1.4\n% sitegen attachment\n%%EOF\n"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04sitegen"),
    ".xls": ("application/vnd.ms-excel", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1sitegen"),
}
IMAGES = {".png": ("image/png", PNG_1X1), ".gif": ("image/gif", GIF_1X1)}
STATIC = {  # template assets every page loads
    "/static/css/style.css": ("text/css; charset=utf-8", b"body{font:14px/1.6 sans-serif;margin:0}"),
    "/static/js/common.js": ("application/javascript; charset=utf-8", b"window.siteReady=true;"),
    "/static/images/logo.png": IMAGES[".png"],
}
COLUMN_NAMES = ["要闻动态", "工作动态", "部门动态", "乡镇动态", "通知公告", "公示公告", "政策文件", "政策解读",
                "人事信息", "财政信息", "统计信息", "规划计划", "应急管理", "招标采购", "民生实事", "重点项目"]
SINGLE_PAGES = ["机构概况", "领导信息", "政府信息公开指南", "政府信息公开制度", "网站地图", "隐私声明", "联系我们",
                "依申请公开", "网站声明", "使用帮助"]
DEPARTMENTS = ["县发展和改革局", "县教育局", "县民政局", "县财政局", "县人力资源和社会保障局", "县自然资源局",
               "县住房和城乡建设局", "县交通运输局", "县农业农村局", "县卫生健康局", "县应急管理局", "县市场监督管理局"]
ACTIONS = ["召开", "开展", "部署", "推进", "组织开展", "举办", "启动", "完成"]
TOPICS = ["安全生产专项检查", "乡村振兴工作推进会", "优化营商环境座谈会", "防汛抗旱工作会议", "民生实事项目督查",
          "政务公开培训", "扫黑除恶专项斗争", "森林防火宣传活动", "耕地保护专项行动", "食品安全检查",
          "就业创业服务活动", "城乡环境综合整治", "重点项目建设观摩", "义务教育均衡发展评估"]
SENTENCES = [
    "会议传达学习了上级有关会议精神，研究部署下一阶段重点工作。",
    "各乡镇、各部门要提高政治站位，压实工作责任，确保各项任务落地见效。",
    "要坚持以人民为中心的发展思想，聚焦群众急难愁盼问题，切实办好民生实事。",
    "检查组采取查阅资料、实地查看、座谈交流等方式，深入了解工作开展情况。",
    "对检查中发现的问题，现场反馈并督促相关单位限期整改到位。",
    "下一步，将持续巩固工作成效，建立健全长效机制，推动工作常态化、制度化。",
    "活动现场发放宣传资料两千余份，解答群众咨询三百余人次。",
    "会议强调，要统筹发展和安全，坚决守住不发生重大风险的底线。",
    "县直有关单位主要负责人参加会议。",
    "截至目前，全县已完成年度目标任务的百分之八十以上。",
]


@dataclass(frozen=True)
class Resource:
    content_type: str
    body: bytes
    status: int = 200


@dataclass
class Site:
    """A generated site: ``routes`` maps URL paths to what the server answers; anything else is 404."""

    pages: int
    links_per_page: int
    broken_share: float
    seed: int
    routes: dict[str, Resource] = field(default_factory=dict)
    #: path of every HTML page, home first
    page_paths: list[str] = field(default_factory=list)
    #: every unique link target (paths), the pages included
    link_paths: set[str] = field(default_factory=set)
    #: link targets that answer 404
    broken_paths: set[str] = field(default_factory=set)

    def urls(self, base_url: str, paths: set[str] | list[str]) -> list[str]:
        """Absolute URLs for ``paths`` on a served copy (sorted)."""
        return sorted(base_url.rstrip("/") + p for p in paths)


@dataclass
class _Page:
    path: str
    title: str
    nav: str
    crumbs: list[tuple[str, str]]
    published: date = date(2021, 10, 15)
    body: list[str] = field(default_factory=list)  # HTML fragments


class _Builder:
    def __init__(self, pages: int, links_per_page: int, broken_share: float, seed: int) -> None:
        if pages < 3:
            raise ValueError("a site needs at least 3 pages (home, a column, an article)")
        self.rng = random.Random(seed)
        self.site = Site(pages, links_per_page, broken_share, seed)
        self.n_pages = pages

    def title(self) -> str:
        return self.rng.choice(DEPARTMENTS) + self.rng.choice(ACTIONS) + self.rng.choice(TOPICS)

    def paragraphs(self, n: int) -> list[str]:
        return [f"<p>{''.join(self.rng.sample(SENTENCES, 3))}</p>" for _ in range(n)]

    def build(self) -> Site:
        columns, articles, singles = self.layout()
        content = [a for items in articles.values() for a in items]
        all_pages = [self.home(columns, singles), *columns.values(), *singles, *content]
        for name, items in articles.items():
            all_pages += self.lists(columns[name], items)
        self.targets(content + singles, [p.path for p in content])
        for page in all_pages:
            self.site.routes[page.path] = Resource("text/html; charset=utf-8", render(page, list(columns)).encode())
            self.site.page_paths.append(page.path)
            self.site.link_paths.add(page.path)
        self.site.link_paths |= set(STATIC)
        for path, (ctype, body) in STATIC.items():
            self.site.routes[path] = Resource(ctype, body)
        self.site.routes["/robots.txt"] = Resource("text/plain", b"User-agent: *\nAllow: /\n")
        return self.site

    def layout(self) -> tuple[dict[str, _Page], dict[str, list[_Page]], list[_Page]]:
        """Columns, their articles and single pages adding up to exactly ``pages`` HTML pages."""
        n_columns = max(1, min(len(COLUMN_NAMES), self.n_pages // 120))
        names = COLUMN_NAMES[:n_columns]
        columns = {name: _Page(f"/col{i + 1}/", name, name, [(name, f"/col{i + 1}/")])
                   for i, name in enumerate(names)}
        articles: dict[str, list[_Page]] = {name: [] for name in names}
        singles: list[_Page] = []
        remaining = self.n_pages - 1 - n_columns
        serial = 10000
        while remaining > 0:
            name = names[serial % n_columns]
            # Every LIST_PAGE_SIZE articles a column needs one more list page.
            cost = 1 + (len(articles[name]) % LIST_PAGE_SIZE == 0 and len(articles[name]) > 0)
            if cost > remaining:
                index = len(singles)
                singles.append(_Page(f"/single/page_{index + 1}.html", SINGLE_PAGES[index % len(SINGLE_PAGES)],
                                     "", []))
                remaining -= 1
                continue
            serial += 1
            column = columns[name]
            # Newest first in each column, a day or two apart.
            published = date(2021, 10, 14) - timedelta(days=len(articles[name]) * self.rng.randint(1, 2))
            articles[name].append(_Page(f"{column.path}content_{serial}.html", self.title(), name,
                                        [*column.crumbs, ("正文", "")], published))
            remaining -= cost
        return columns, articles, singles

    def home(self, columns: dict[str, _Page], singles: list[_Page]) -> _Page:
        home = _Page("/", "首页", "首页", [])
        home.body.append('<div class="banner"><img src="/static/images/logo.png" alt="专题专栏"></div>')
        for column in columns.values():
            home.body.append(f'<div class="col-block"><h3><a href="{column.path}">{column.title}</a></h3></div>')
        home.body.append("<ul>" + "".join(f'<li><a href="{p.path}">{p.title}</a></li>' for p in singles) + "</ul>")
        return home

    def lists(self, column: _Page, items: list[_Page]) -> list[_Page]:
        """Fill the column page; return its pagination pages (index_2.html …), all linked from page 1."""
        chunks = [items[i:i + LIST_PAGE_SIZE] for i in range(0, len(items), LIST_PAGE_SIZE)] or [[]]
        paths = [column.path] + [f"{column.path}index_{n}.html" for n in range(2, len(chunks) + 1)]
        pager = "".join(f'<a href="{p}">{n}</a> ' for n, p in enumerate(paths, 1))
        extra: list[_Page] = []
        for n, (path, chunk) in enumerate(zip(paths, chunks, strict=True)):
            page = column if n == 0 else _Page(path, column.title, column.nav, column.crumbs)
            rows = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a><span>{a.published}</span></li>'
                           for a in chunk)
            page.body += [f'<ul class="list">{rows or "<li>暂无信息</li>"}</ul>',
                          f'<div class="pager">共{len(paths)}页 {pager if n == 0 else ""}</div>']
            if n:
                extra.append(page)
        return extra

    def targets(self, content: list[_Page], article_paths: list[str]) -> None:
        """Spread broken links, images and attachments over the content pages; add 相关链接."""
        site = self.site
        unique = site.pages * site.links_per_page
        broken = round(unique * site.broken_share)
        assets = unique - site.pages - broken - len(STATIC)
        if assets < 0:
            raise ValueError("links_per_page too small for this broken_share (pages alone are one link each)")
        kinds = ["broken"] * broken + ["asset"] * assets
        self.rng.shuffle(kinds)
        for page in content:
            page.body += [f"<h1>{escape(page.title)}</h1>",
                          f'<div class="info">发布时间：{page.published}　来源：{self.rng.choice(DEPARTMENTS)}</div>',
                          *self.paragraphs(4)]
        attachments: list[str] = []
        for i, kind in enumerate(kinds):
            page = content[i % len(content)]
            n = i + 1
            if kind == "broken":
                path, html = self.broken_link(n, article_paths)
                site.broken_paths.add(path)
            elif self.rng.random() < 0.4:
                ext = self.rng.choice(list(IMAGES))
                path = f"/uploads/image/{n}{ext}"
                site.routes[path] = Resource(*IMAGES[ext])
                html = f'<p class="pic"><img src="{path}" alt="图片{n}" width="300" height="180"></p>'
            else:
                ext = self.rng.choice(list(ATTACHMENTS))
                path = f"/uploads/file/{n}{ext}"
                site.routes[path] = Resource(*ATTACHMENTS[ext])
                html = f'<p class="attach">附件：<a href="{path}">附件{n}{ext}</a></p>'
            site.link_paths.add(path)
            page.body.append(html)
            attachments.append(path)
        for page in content:  # links to known targets: more links per page, no new unique ones
            related = self.rng.sample(article_paths, min(3, len(article_paths)))
            page.body.append('<div class="related">相关链接：' +
                             "".join(f'<a href="{p}">相关文章</a> ' for p in related) + "</div>")

    def broken_link(self, n: int, article_paths: list[str]) -> tuple[str, str]:
        """A link as CMSs break them: a deleted article, a lost image, a lost attachment."""
        roll = self.rng.random()
        if roll < 0.5:
            folder = self.rng.choice(article_paths).rsplit("/", 1)[0]
            path = f"{folder}/content_9{n:05d}.html"
            return path, f'<p>相关链接：<a href="{path}">已删除的文章{n}</a></p>'
        if roll < 0.75:
            path = f"/uploads/image/lost_{n}.jpg"
            return path, f'<p class="pic"><img src="{path}" alt="图片{n}"></p>'
        path = f"/uploads/file/lost_{n}.doc"
        return path, f'<p class="attach">附件：<a href="{path}">附件{n}.doc</a></p>'


def render(page: _Page, columns: list[str]) -> str:
    nav = "".join(f'<li{" class=on" if name == page.nav else ""}><a href="/col{i + 1}/">{name}</a></li>'
                  for i, name in enumerate(columns))
    crumbs = "".join(f" &gt; <a href=\"{p}\">{n}</a>" if p else f" &gt; {n}" for n, p in page.crumbs)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(page.title)}_示例县人民政府</title>
<meta name="SiteName" content="示例县人民政府"><meta name="SiteIDCode" content="9999990001">
<link rel="stylesheet" href="/static/css/style.css"><script src="/static/js/common.js"></script></head>
<body><div class="top"><span>今天是2021年10月15日 星期五</span></div>
<div class="header"><a href="/"><img src="/static/images/logo.png" alt="示例县人民政府"></a></div>
<div class="nav"><ul><li><a href="/">首页</a></li>{nav}</ul></div>
<div class="position">当前位置：<a href="/">首页</a>{crumbs}</div>
<div class="main w1200">{"".join(page.body)}</div>
<div class="footer"><p>主办单位：示例县人民政府办公室　联系电话：0000-00000000</p>
<p>网站标识码：9999990001　示ICP备00000000号</p></div></body></html>"""


def generate(pages: int, links_per_page: int = 10, broken_share: float = 0.05, seed: int = 1) -> Site:
    """A site of exactly ``pages`` HTML pages and ``pages × links_per_page`` unique link targets."""
    return _Builder(pages, links_per_page, broken_share, seed).build()


# --- serving --------------------------------------------------------------------

NOT_FOUND = Resource("text/html; charset=utf-8",
                     b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>", 404)
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found"}
MAX_HEAD = 16384


def _head(resource: Resource) -> bytes:
    return (f"HTTP/1.1 {resource.status} {REASONS.get(resource.status, '')}\r\n"
            f"Content-Type: {resource.content_type}\r\nContent-Length: {len(resource.body)}\r\n"
            "Server: sitegen\r\nLinkChecker: limits lifted for this benchmark site\r\n").encode()


class _Protocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive and pipelining; GET and HEAD from a dict, request bodies skipped."""

    def __init__(self, responses: dict[str, tuple[bytes, bytes]]) -> None:
        self.responses = responses
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        assert self.transport is not None
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self.transport.close()
                return
            head = self.buffer[:end].decode("latin-1").split("\r\n")
            length = 0
            close = False
            for line in head[1:]:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value.strip() or 0)
                elif name == "connection":
                    close = value.strip().lower() == "close"
            if len(self.buffer) < end + 4 + length:
                return  # the request body is still arriving
            self.buffer = self.buffer[end + 4 + length:]
            method, target, version = [*head[0].split(" "), "", "", ""][:3]
            close = close or version == "HTTP/1.0"
            path = target.split("?", 1)[0].split("#", 1)[0]
            head_bytes, body = self.responses.get(path) or self.responses["\0404"]
            tail = b"Connection: close\r\n\r\n" if close else b"\r\n"
            self.transport.write(head_bytes + tail + (b"" if method == "HEAD" else body))
            if close:
                self.transport.close()
                return


def _thread_server(site: Site, host: str, port: int) -> tuple[int, threading.Thread, Callable[[], None]]:
    """Start serving on a daemon thread's own event loop: (bound port, thread, stop function)."""
    responses = {path: (_head(r), r.body) for path, r in site.routes.items()}
    responses["\0404"] = (_head(NOT_FOUND), NOT_FOUND.body)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    bound: list[int] = []
    started = threading.Event()

    async def serve_forever() -> None:
        server = await loop.create_server(lambda: _Protocol(responses), host, port, backlog=1024)
        bound.append(server.sockets[0].getsockname()[1])
        started.set()
        async with server:
            await stop.wait()

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(serve_forever())
        finally:
            started.set()  # a failed bind must not leave the caller waiting
            loop.close()

    thread = threading.Thread(target=run, name="sitegen-server", daemon=True)
    thread.start()
    if not started.wait(30) or not bound:
        raise RuntimeError("sitegen server did not start")
    return bound[0], thread, lambda: loop.call_soon_threadsafe(stop.set)


@contextlib.contextmanager
def serve(site: Site, host: str = "127.0.0.1", port: int = 0, process: bool = True) -> Iterator[str]:
    """Serve ``site``; yield its base URL ("http://127.0.0.1:PORT/").

    ``process=True`` (default) serves from a child Python process, so the server
    never competes for the GIL with a client measured in this process; ``False``
    serves from a thread (cheaper to start, fine for small sites).
    """
    if not process:
        bound, thread, stop = _thread_server(site, host, port)
        try:
            yield f"http://{host}:{bound}/"
        finally:
            stop()
            thread.join(5)
        return
    # The child gets the site pickled on stdin and serves until stdin closes: no
    # multiprocessing, so callers need no __main__ guard and a dead parent ends it.
    child = subprocess.Popen([sys.executable, __file__, "_child", "--host", host, "--port", str(port)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert child.stdin is not None and child.stdout is not None
    try:
        data = pickle.dumps(site, protocol=pickle.HIGHEST_PROTOCOL)
        child.stdin.write(struct.pack("!Q", len(data)) + data)
        child.stdin.flush()
        line = child.stdout.readline().decode().strip()
        if not line.isdigit():
            raise RuntimeError(f"sitegen server process did not start ({line!r})")
        yield f"http://{host}:{line}/"
    finally:
        with contextlib.suppress(OSError):
            child.stdin.close()
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(5)
        child.stdout.close()


def _child(host: str, port: int) -> None:
    """The serving process: site from stdin, port to stdout, stop at stdin's end."""
    size = struct.unpack("!Q", sys.stdin.buffer.read(8))[0]
    site = pickle.loads(sys.stdin.buffer.read(size))
    bound, thread, stop = _thread_server(site, host, port)
    print(bound, flush=True)
    sys.stdin.buffer.read()  # blocks until the parent closes the pipe (or dies)
    stop()
    thread.join(5)


# --- CLI ------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["serve", "stats", "_child"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--links-per-page", type=int, default=10)
    parser.add_argument("--broken-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args(argv)
    if args.command == "_child":
        _child(args.host, args.port)
        return 0
    site = generate(args.pages, args.links_per_page, args.broken_share, args.seed)
    size = sum(len(r.body) for r in site.routes.values())
    print(f"{len(site.page_paths)} pages, {len(site.link_paths)} unique links "
          f"({len(site.broken_paths)} broken), {size / 2**20:.1f} MiB served")
    if args.command == "serve":
        with serve(site, args.host, args.port, process=False) as url:
            print(f"serving at {url} — Ctrl+C to stop", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
