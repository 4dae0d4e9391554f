"""Request handling of the demo site, free of sockets so it can be called directly.

:class:`DemoApp` maps a method, a request target and a body to a
:class:`Response`. The HTTP plumbing lives in :mod:`auditkit.demo.server`.
"""

from __future__ import annotations

import calendar
import json
import mimetypes
import re
import secrets
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from auditkit.demo import content
from auditkit.demo.content import Column, Site, build_site, fmt_date, render_body
from auditkit.demo.search import MAX_QUERY_CHARS, SearchEngine, answer_question, resolve_features, suggest_questions

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

NAV: tuple[tuple[str, str, str], ...] = (
    ("home", "首页", "/"),
    ("xwzx", "新闻中心", "/xwzx/"),
    ("xxgk", "政务公开", "/xxgk/"),
    ("zcwj", "政策文件", "/zcwj/"),
    ("zcjd", "政策解读", "/zcjd/"),
    ("bsfw", "办事服务", "/bsfw/"),
    ("hdjl", "互动交流", "/hdjl/"),
    ("sjkf", "数据开放", "/sjkf/"),
)
XXGK_MENU: tuple[tuple[str, str], ...] = (
    ("政府信息公开指南", "/xxgk/zn/"),
    ("政府信息公开制度", "/xxgk/zd/"),
    ("法定主动公开内容", "/xxgk/fdzdgknr/"),
    ("政府信息公开年报", "/xxgk/nb/"),
    ("依申请公开", "/xxgk/ysqgk/"),
)
HDJL_MENU: tuple[tuple[str, str], ...] = (
    ("县长信箱", "/hdjl/xx/"),
    ("我要留言", "/hdjl/liuyan"),
    ("征集调查", "/hdjl/zjdc/"),
    ("在线访谈", "/hdjl/zxft/"),
)
POLICY_MENU: tuple[tuple[str, str], ...] = (("政策文件", "/zcwj/"), ("政策解读", "/zcjd/"))
SJKF_MENU: tuple[tuple[str, str], ...] = (("数据开放", "/sjkf/"), ("数据开放目录", "/sjkf/ml/"))
MOBILE_MENU: tuple[tuple[str, str], ...] = (("手机版首页", "/m/"), ("要闻动态", "/m/ywdt/"))
MOBILE_LAG = 4  # the mobile 要闻动态 lacks the portal's newest items
MOBILE_SHIFTED = 10006  # listed a day later on the mobile version
BSFW_MENU: tuple[tuple[str, str], ...] = (
    ("办事指南", "/bsfw/"), ("主题服务", "/bsfw/ztfw/"), ("一件事一次办", "/bsfw/yjs/"), ("清单公开", "/bsfw/qd/"),
    ("便民查询", "/bsfw/bmcx/"), ("湖南政务服务网", content.PLATFORM + "/"), ("智能问答", "/znwd/"),
)
WEEKDAYS = "一二三四五六日"
TYPES = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".csv": "text/csv; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}

#: sent with every HTML page (healthy security_headers): the demo's only security headers
SECURITY_HEADERS = {"X-Frame-Options": "SAMEORIGIN", "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "strict-origin-when-cross-origin"}
GIT_HEAD = b"ref: refs/heads/master\n"  # exposed_git: a deployment that copied the whole working tree

_MONTH = re.compile(r"(\d{4})-(\d{2})")
MIN_YEAR, MAX_YEAR = 1000, 9998  # keeps every month grid inside datetime's range


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    raw_query: str
    body: bytes = b""
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def elder(self) -> bool:
        # The 长辈版 switch is a script that sets this cookie, as real 适老化 toolbars
        # do: the mode persists while browsing and a crawler never sees pages twice.
        # ?mode=elder opens one page in elder mode directly.
        return self.arg("mode") == "elder" or self.cookies.get("elder") == "1"

    def arg(self, name: str) -> str:
        return self.query.get(name, [""])[0].strip()


class DemoApp:
    """The 青山县人民政府 demo portal as seen on one audit date."""

    def __init__(self, as_of: date, features: dict[str, bool] | None = None) -> None:
        self.as_of = as_of
        #: 智能搜索/智能问答 switches (auditkit.demo.search.DEFAULT_FEATURES)
        self.features = resolve_features(features)
        self.site: Site = build_site(as_of)
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["fmt"] = fmt_date
        self.env.filters["nl2br"] = lambda text: Markup("<br>").join(str(text).split("\n"))
        self.env.globals["platform"] = content.PLATFORM
        # Submitted letters live in memory only and are never shown: the demo persists nothing.
        self.submitted: deque[dict[str, str]] = deque(maxlen=100)
        self._lock = threading.Lock()
        self._count = 0

        s = self.site
        self.routes: dict[str, Callable[[Request], Response]] = {
            "/": self.home,
            "/xwzx/": self.xwzx,
            "/xxgk/": self.xxgk,
            "/xxgk/zn/": self.xxgk_guide,
            "/xxgk/ysqgk/": self.xxgk_on_request,
            "/xxgk/fdzdgknr/": self.topics,
            "/bsfw/": self.guide_list,
            "/hdjl/": self.hdjl,
            "/ztzl/": self.special_topics,
            "/hdjl/xx/": self.mailbox,
            "/hdjl/liuyan": self.letter_form,
            "/hdjl/zjdc/": self.survey_list,
            "/search": self.search,
            "/znwd/": self.qa_page,
            "/api/qa": self.qa_api,
            "/api/suggest": lambda req: self._json(self.search_engine.suggest(req.arg("q"))),
            "/api/qa/suggest": lambda req: self._json(suggest_questions(req.arg("q"))),
            "/sitemap.html": self.sitemap,
            "/sjkf/": self.open_data,
            "/sjkf/ml/": self.catalogue,
            "/calendar": self.events_calendar,
            "/yssm.html": self.privacy_statement,
            "/.git/HEAD": lambda req: Response(200, GIT_HEAD, "text/plain; charset=utf-8"),
        }
        for column in s.columns.values():
            self.routes.setdefault(column.path, self._column_page(column))
        for path in s.articles:
            self.routes[path] = self._article_page(path)
        self.routes[content.SOFT_404_PATH] = lambda req: self.not_found(req, status=200)
        for path in content.SERVICE_PAGES:
            self.routes[path] = self._service_page(path)
        for path in content.PUBLIC_PAGES:
            self.routes[path] = self._public_page(path)
        self.routes["/m/"] = self.mobile_home
        self.routes["/m/ywdt/"] = self.mobile_news
        for i, guide in enumerate(s.guides):
            self.routes[guide.path] = self._guide_page(i)
        for i, msg in enumerate(s.messages):
            self.routes[msg.path] = self._message_page(i)
        for i, survey in enumerate(s.surveys):
            self.routes[survey.path] = self._survey_page(i)

        self.titles: dict[str, str] = {path: a.title for path, a in s.articles.items()}
        self.titles |= {g.path: g.title for g in s.guides} | {m.path: m.title for m in s.messages}
        self.titles |= {c.path: c.name for c in s.columns.values()}
        self.titles |= dict((path, name) for name, path in XXGK_MENU + HDJL_MENU + SJKF_MENU)
        #: /uploads/ and every folder above an upload, listed by upload_listing
        self.upload_dirs = {url[:i + 1] for url in content.UPLOADS for i, c in enumerate(url)
                            if c == "/" and i >= len("/uploads")}
        self.search_engine = SearchEngine(self.site, self.features, self.titles)

    # --- plumbing ---------------------------------------------------------------

    def handle(self, method: str, target: str, body: bytes = b"", cookies: dict[str, str] | None = None
               ) -> Response:
        parts = urlsplit(target)
        req = Request(method.upper(), unquote(parts.path) or "/", parse_qs(parts.query), parts.query, body,
                      cookies or {})
        if req.path.startswith("/static/"):
            return self._file(req.path.removeprefix("/static/"))
        if req.path in content.UPLOADS:
            return self._file(content.UPLOADS[req.path])
        if req.path in self.upload_dirs:
            return self.upload_listing(req.path)
        route = self.routes.get(req.path)
        if route is None:
            if req.path + "/" in self.routes:  # servers redirect a column path without its slash
                query = f"?{parts.query}" if parts.query else ""
                return Response(301, b"", headers={"Location": req.path + "/" + query})
            return self.not_found(req)
        if req.method not in ("GET", "HEAD") and route != self.letter_form:
            resp = self.render(req, "error.html", status=405, heading="请求方法不允许",
                               message="该页面不支持此请求方法。")
            resp.headers["Allow"] = "GET, HEAD"
            return resp
        return route(req)

    def render(self, req: Request, template: str, status: int = 200, charset: str = "utf-8", **ctx: Any) -> Response:
        ctx.setdefault("crumbs", [])
        html = self.env.get_template(template).render(
            as_of=self.as_of,
            weekday="星期" + WEEKDAYS[self.as_of.weekday()],
            elder=req.elder,
            nav=NAV,
            charset=charset,
            features=self.features,
            **ctx,
        )
        return Response(status, html.encode(charset, errors="xmlcharrefreplace"), f"text/html; charset={charset}",
                        dict(SECURITY_HEADERS))

    def not_found(self, req: Request, status: int = 404) -> Response:
        # status 200: soft_404, the CMS's answer for an article it no longer has
        return self.render(req, "error.html", status=status, heading="页面不存在",
                           message="抱歉，您访问的页面不存在或已被删除。")

    def _file(self, name: str) -> Response:
        path = (STATIC / name).resolve()
        if "/" in name or not path.is_file() or path.parent != STATIC:
            return Response(404, "页面不存在".encode(), "text/plain; charset=utf-8")
        ctype = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Response(200, path.read_bytes(), ctype, {"Cache-Control": "max-age=3600"})

    # --- column pages -----------------------------------------------------------

    def _menu(self, column: Column) -> tuple[str, tuple[tuple[str, str], ...], list[tuple[str, str | None]]]:
        """(menu title, menu, breadcrumb) of a column."""
        columns = self.site.columns.values()
        if column.section == "fdzdgknr":
            menu = tuple((c.name, c.path) for c in columns if c.section == "fdzdgknr")
            return "法定主动公开内容", menu, [("政务公开", "/xxgk/"), ("法定主动公开内容", "/xxgk/fdzdgknr/"),
                                           (column.name, column.path)]
        if column.section == "xxgk":
            return "政府信息公开", XXGK_MENU, [("政务公开", "/xxgk/"), (column.name, column.path)]
        if column.section in ("zcwj", "zcjd"):
            return "政策", POLICY_MENU, [(column.name, column.path)]
        if column.section == "hdjl":
            return "互动交流", HDJL_MENU, [("互动交流", "/hdjl/"), (column.name, column.path)]
        menu = tuple((c.name, c.path) for c in columns if c.section == column.section)
        name, path = content.SECTIONS[column.section]
        return name, menu, [(name, path), (column.name, column.path)]

    def _nav_key(self, section: str) -> str:
        return {"fdzdgknr": "xxgk"}.get(section, section)

    def _column_page(self, column: Column) -> Callable[[Request], Response]:
        def page(req: Request) -> Response:
            title, menu, crumbs = self._menu(column)
            return self.render(req, "list.html", menu_title=title, menu=menu, menu_on=column.path, crumbs=crumbs,
                               heading=column.name, column_name=column.name, rows=column.articles,
                               date_style=column.date_style, nav_key=self._nav_key(column.section))
        return page

    def _article_page(self, path: str) -> Callable[[Request], Response]:
        def page(req: Request) -> Response:
            article = self.site.articles[path]
            column = article.column
            _, _, crumbs = self._menu(column)
            link_title = self.titles.get(article.link) or article.link_title
            meta = column.section in ("fdzdgknr", "zcwj", "xxgk")
            return self.render(req, "article.html", charset=article.charset, article=article, meta=meta,
                               link_title=link_title, crumbs=[*crumbs, ("正文", None)], column_name=column.name,
                               nav_key=self._nav_key(column.section))
        return page

    def _sub(self, req: Request, template: str, menu_title: str, menu: tuple[tuple[str, str], ...], menu_on: str,
             crumbs: list[tuple[str, str | None]], nav_key: str, **ctx: Any) -> Response:
        return self.render(req, template, menu_title=menu_title, menu=menu, menu_on=menu_on, crumbs=crumbs,
                           nav_key=nav_key, **ctx)

    # --- pages ------------------------------------------------------------------

    def home(self, req: Request) -> Response:
        c = self.site.columns
        resp = self.render(req, "index.html", nav_key="home", focus=c["ywdt"].articles[0], ywdt=c["ywdt"].articles,
                           tzgg=c["tzgg"].articles, gzdt=c["gzdt"].articles, zcwj=c["zcwj"].articles,
                           zcjd=c["zcjd"].articles, guides=self.site.guides, messages=self.site.messages)
        # cookie_flags: the old Java CMS's session cookie, readable by scripts (no HttpOnly)
        resp.headers["Set-Cookie"] = f"JSESSIONID={secrets.token_hex(16).upper()}; Path=/"
        return resp

    def xwzx(self, req: Request) -> Response:
        columns = [c for c in self.site.columns.values() if c.section == "xwzx"]
        blocks = [(c.name, c.path, c.articles, c.date_style) for c in columns]
        return self._sub(req, "section.html", "新闻中心", tuple((c.name, c.path) for c in columns), "/xwzx/",
                         [("新闻中心", "/xwzx/")], "xwzx", heading="新闻中心", blocks=blocks)

    def xxgk(self, req: Request) -> Response:
        topics = [c for c in self.site.columns.values() if c.section == "fdzdgknr"]
        latest = sorted({a.path: a for c in topics for a in c.articles}.values(),
                        key=lambda a: a.published, reverse=True)
        return self.render(req, "xxgk.html", nav_key="xxgk", crumbs=[("政务公开", "/xxgk/")], menu=XXGK_MENU,
                           topics=[(c.name, c.path) for c in topics], latest=latest,
                           reports=self.site.columns["nb"].articles)

    def _xxgk_single(self, req: Request, path: str, body: tuple[str, ...], style: str = "") -> Response:
        name = dict((p, n) for n, p in XXGK_MENU)[path]
        return self._sub(req, "page.html", "政府信息公开", XXGK_MENU, path, [("政务公开", "/xxgk/"), (name, path)],
                         "xxgk", heading=name, body=render_body(body, self.as_of), content_style=style)

    def xxgk_guide(self, req: Request) -> Response:
        # elder_small_text: the guide's content keeps a fixed 12px from the old template, elder mode or not.
        return self._xxgk_single(req, "/xxgk/zn/", content.GUIDE_PAGE_BODY, "font-size:12px")

    def xxgk_on_request(self, req: Request) -> Response:
        return self._xxgk_single(req, "/xxgk/ysqgk/", content.YSQGK_BODY)

    def topics(self, req: Request) -> Response:
        topics = [c for c in self.site.columns.values() if c.section == "fdzdgknr"]
        return self._sub(req, "section.html", "政府信息公开", XXGK_MENU, "/xxgk/fdzdgknr/",
                         [("政务公开", "/xxgk/"), ("法定主动公开内容", "/xxgk/fdzdgknr/")], "xxgk",
                         heading="法定主动公开内容", grid=[(c.name, c.path) for c in topics], blocks=[])

    def guide_list(self, req: Request) -> Response:
        return self._sub(req, "list.html", "办事服务", BSFW_MENU, "/bsfw/", [("办事服务", "/bsfw/")], "bsfw",
                         heading="办事指南", rows=self.site.guides, date_style="iso")

    def _guide_page(self, index: int) -> Callable[[Request], Response]:
        def page(req: Request) -> Response:
            guide = self.site.guides[index]
            return self._sub(req, "guide.html", "办事服务", BSFW_MENU, "/bsfw/",
                             [("办事服务", "/bsfw/"), ("办事指南", None)], "bsfw", guide=guide.guide, page=guide)
        return page

    def _service_page(self, path: str) -> Callable[[Request], Response]:
        def page(req: Request) -> Response:
            heading, body = content.SERVICE_PAGES[path]
            section = "/" + "/".join(path.strip("/").split("/")[:2]) + "/"
            menu_on = section if section in {p for _, p in BSFW_MENU} else "/bsfw/"
            return self._sub(req, "page.html", "办事服务", BSFW_MENU, menu_on,
                             [("办事服务", "/bsfw/"), (heading, path)], "bsfw", heading=heading,
                             body=render_body(body, self.as_of))
        return page

    def _public_page(self, path: str) -> Callable[[Request], Response]:
        def page(req: Request) -> Response:
            heading, body = content.PUBLIC_PAGES[path]
            crumbs: list[tuple[str, str | None]] = [("公共服务", "/ggfw/")]
            if path != "/ggfw/":
                crumbs.append((heading, path))
            return self._sub(req, "page.html", "公共服务", (("公共服务", "/ggfw/"),), "/ggfw/", crumbs, "home",
                             heading=heading, body=render_body(body, self.as_of))
        return page

    # 手机版: the mobile CMS republishes 要闻动态 — late (mobile_lag: the four newest items missing)
    # and with one item a day off (data_mismatch).
    def mobile_home(self, req: Request) -> Response:
        return self._sub(req, "page.html", "手机版", MOBILE_MENU, "/m/", [("手机版", "/m/")], "home",
                         heading="青山县人民政府手机版",
                         body='<ul class="m-nav"><li><a href="/m/ywdt/">要闻动态</a></li>'
                              '<li><a href="/">电脑版</a></li></ul>')

    def mobile_news(self, req: Request) -> Response:
        rows = [replace(a, published=a.published + timedelta(days=1)) if a.id == MOBILE_SHIFTED else a
                for a in self.site.columns["ywdt"].articles[MOBILE_LAG:]]
        return self._sub(req, "list.html", "手机版", MOBILE_MENU, "/m/ywdt/",
                         [("手机版", "/m/"), ("要闻动态", "/m/ywdt/")], "home", heading="要闻动态", rows=rows,
                         date_style="iso")

    def special_topics(self, req: Request) -> Response:
        columns = [c for c in self.site.columns.values() if c.section == "ztzl"]
        blocks = [(c.name, c.path, c.articles, c.date_style) for c in columns]
        return self._sub(req, "section.html", "专题专栏", tuple((c.name, c.path) for c in columns), "/ztzl/",
                         [("专题专栏", "/ztzl/")], "home", heading="专题专栏", blocks=blocks)

    def hdjl(self, req: Request) -> Response:
        c = self.site.columns
        blocks = [("县长信箱", "/hdjl/xx/", self.site.messages, "iso"),
                  ("征集调查", "/hdjl/zjdc/", self.site.surveys, "iso"),
                  ("在线访谈", "/hdjl/zxft/", c["zxft"].articles, "iso")]
        return self._sub(req, "section.html", "互动交流", HDJL_MENU, "/hdjl/", [("互动交流", "/hdjl/")], "hdjl",
                         heading="互动交流", intro=HDJL_MENU, blocks=blocks)

    def mailbox(self, req: Request) -> Response:
        msgs = self.site.messages
        done = sum(1 for m in msgs if m.replied)
        return self._sub(req, "messages.html", "互动交流", HDJL_MENU, "/hdjl/xx/",
                         [("互动交流", "/hdjl/"), ("县长信箱", "/hdjl/xx/")], "hdjl", heading="县长信箱",
                         messages=msgs, total=len(msgs), done=done, rate=f"{done / len(msgs):.1%}")

    def _message_page(self, index: int) -> Callable[[Request], Response]:
        def page(req: Request) -> Response:
            return self._sub(req, "message.html", "互动交流", HDJL_MENU, "/hdjl/xx/",
                             [("互动交流", "/hdjl/"), ("县长信箱", "/hdjl/xx/"), ("信件详情", None)], "hdjl",
                             msg=self.site.messages[index])
        return page

    def letter_form(self, req: Request) -> Response:
        ctx: dict[str, Any] = {"form": {}, "receipt": None, "error": ""}
        if req.method == "POST":
            form = {k: v[0].strip() for k, v in parse_qs(req.body.decode("utf-8", "replace")).items()}
            if form.get("title") and form.get("content"):
                with self._lock:
                    self._count += 1
                    code = f"QS{self.as_of:%Y%m%d}{self._count:04d}"
                    self.submitted.append({k: form.get(k, "") for k in ("name", "phone", "title", "content")})
                ctx["receipt"] = {"title": form["title"], "code": code}
            else:
                ctx |= {"form": form, "error": "请填写留言标题和留言内容。"}
        return self._sub(req, "liuyan.html", "互动交流", HDJL_MENU, "/hdjl/liuyan",
                         [("互动交流", "/hdjl/"), ("我要留言", "/hdjl/liuyan")], "hdjl", heading="我要留言", **ctx)

    def survey_list(self, req: Request) -> Response:
        return self._sub(req, "list.html", "互动交流", HDJL_MENU, "/hdjl/zjdc/",
                         [("互动交流", "/hdjl/"), ("征集调查", "/hdjl/zjdc/")], "hdjl", heading="征集调查",
                         rows=self.site.surveys, date_style="iso")

    def _survey_page(self, index: int) -> Callable[[Request], Response]:
        def page(req: Request) -> Response:
            survey = self.site.surveys[index]
            state = "已结束" if survey.end < self.as_of else "征集中"
            return self._sub(req, "survey.html", "互动交流", HDJL_MENU, "/hdjl/zjdc/",
                             [("互动交流", "/hdjl/"), ("征集调查", "/hdjl/zjdc/"), ("正文", None)], "hdjl",
                             survey=survey, state=state)
        return page

    def search(self, req: Request) -> Response:
        q = req.arg("q")
        if not self.features["search_robust"] and (not q or len(q) > MAX_QUERY_CHARS):
            # the old engine has no input checks: its stack trace reaches the visitor
            return Response(500, b"java.lang.NullPointerException\n\tat com.trs.search.SearchServlet.doGet",
                            "text/plain; charset=utf-8")
        page = self.search_engine.search(q, req.arg("type"), req.arg("order"))
        resp = self.render(req, "search.html", crumbs=[("站内搜索", None)], q=page.q, page=page, results=page.results)
        resp.headers["X-Powered-By"] = "PHP/5.6.40"  # version_disclosure: the search runs on an old PHP
        return resp

    def privacy_statement(self, req: Request) -> Response:
        return self.render(req, "page.html", heading="隐私声明", crumbs=[("隐私声明", None)], menu_title="隐私声明",
                           menu=(("隐私声明", "/yssm.html"),), menu_on="/yssm.html",
                           body=render_body(content.PRIVACY_BODY, self.as_of))

    def upload_listing(self, path: str) -> Response:
        """directory_listing: autoindex left on for /uploads/, as nginx prints it."""
        stamp = f"{self.as_of:%d-%b-%Y} 09:30"
        rows = ['<a href="../">../</a>']
        for name in sorted(d.removeprefix(path).rstrip("/") for d in self.upload_dirs
                           if d != path and d.startswith(path) and d.removeprefix(path).count("/") == 1):
            rows.append(f'<a href="{name}/">{name}/</a>'.ljust(70 + len(name)) + f"{stamp}{'-':>20}")
        for url, file in sorted(content.UPLOADS.items()):
            if url.rsplit("/", 1)[0] + "/" == path:
                name = url.rsplit("/", 1)[1]
                size = (STATIC / file).stat().st_size
                rows.append(f'<a href="{name}">{name}</a>'.ljust(65 + len(name)) + f"{stamp}{size:>20}")
        html = (f"<html>\r\n<head><title>Index of {path}</title></head>\r\n<body>\r\n<h1>Index of {path}</h1>"
                f"<hr><pre>{chr(10).join(rows)}\r\n</pre><hr></body>\r\n</html>\r\n")
        return Response(200, html.encode(), "text/html")

    def answer(self, q: str) -> dict[str, Any]:
        """The 智能问答 answer for a question (auditkit.demo.search.answer_question)."""
        return answer_question(q, self.features, self.titles)

    def _json(self, data: object) -> Response:
        return Response(200, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def qa_page(self, req: Request) -> Response:
        q = req.arg("q")
        return self.render(req, "znwd.html", crumbs=[("智能问答", None)], q=q, answer=self.answer(q) if q else None,
                           questions=content.QA_QUESTIONS, categories=content.QA_CATEGORIES)

    def qa_api(self, req: Request) -> Response:
        return self._json(self.answer(req.arg("q")))

    def sitemap(self, req: Request) -> Response:
        cols = self.site.columns.values()
        groups = [
            ("首页", "/", [("站内搜索", "/search"), ("智能问答", "/znwd/"), ("活动日历", "/calendar")]),
            ("新闻中心", "/xwzx/", [(c.name, c.path) for c in cols if c.section == "xwzx"]),
            ("政务公开", "/xxgk/", list(XXGK_MENU)),
            ("法定主动公开内容", "/xxgk/fdzdgknr/", [(c.name, c.path) for c in cols if c.section == "fdzdgknr"]),
            ("政策", "/zcwj/", list(POLICY_MENU)),
            ("办事服务", "/bsfw/", [(n, p) for n, p in BSFW_MENU if p.startswith("/")]),
            ("互动交流", "/hdjl/", list(HDJL_MENU)),
            ("数据开放", "/sjkf/", list(SJKF_MENU)),
        ]
        return self.render(req, "sitemap.html", crumbs=[("网站地图", None)], groups=groups)

    def open_data(self, req: Request) -> Response:
        return self._sub(req, "page.html", "数据开放", SJKF_MENU, "/sjkf/", [("数据开放", "/sjkf/")], "sjkf",
                         heading="数据开放", body=render_body(content.SJKF_BODY, self.as_of))

    def catalogue(self, req: Request) -> Response:
        return self._sub(req, "catalogue.html", "数据开放", SJKF_MENU, "/sjkf/ml/",
                         [("数据开放", "/sjkf/"), ("数据开放目录", "/sjkf/ml/")], "sjkf", heading="数据开放目录",
                         datasets=content.DATASETS)

    def events_calendar(self, req: Request) -> Response:
        # Like real event calendars, prev/next go on (practically) forever: a crawler trap by design.
        raw = req.arg("month")
        match = _MONTH.fullmatch(raw) if raw else None
        if raw and not (match and 1 <= int(match[2]) <= 12 and MIN_YEAR <= int(match[1]) <= MAX_YEAR):
            return self.not_found(req)
        year, month = (int(match[1]), int(match[2])) if match else (self.as_of.year, self.as_of.month)
        prev = f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"
        nxt = f"{year + 1:04d}-01" if month == 12 else f"{year:04d}-{month + 1:02d}"
        events: dict[date, list[tuple[str, str]]] = {}
        for key in ("ywdt", "tzgg", "fdzdgknr/zdhy", "zxft"):
            for a in self.site.columns[key].articles:
                events.setdefault(a.date, []).append((a.title, a.path))
        for s in self.site.surveys:
            events.setdefault(s.date, []).append((s.title, s.path))
        return self.render(req, "calendar.html", crumbs=[("活动日历", None)], year=year, month=month,
                           prev="" if (year, month) == (MIN_YEAR, 1) else prev,
                           next="" if (year, month) == (MAX_YEAR, 12) else nxt,
                           weeks=calendar.Calendar().monthdatescalendar(year, month), events=events,
                           has_events=any(d.year == year and d.month == month for d in events))

