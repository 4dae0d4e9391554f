"""集约共享: one search, one login, one interaction platform; content shown twice from one source."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.models import CheckStatus
from auditkit.testing import check_once, plugin_settings
from auditkit_plugins.consolidation.functions import platform_functions, search_actions, shared_sources

from .test_columns import SITE, dated_list, page, snapshot_of

SETTINGS = plugin_settings("auditkit_plugins.consolidation")
SEARCH = '<form action="/search/index.do" method="get"><input type="text" name="q"><input type="submit"></form>'


def test_search_actions() -> None:
    html = (SEARCH + '<form action="/liuyan" method="post"><input name="title"><textarea></textarea></form>'
            '<form><input type="hidden" name="a"><input type="search" name="kw"></form>')
    assert search_actions(html, SITE + "xxgk/") == [SITE + "search/index.do", SITE + "xxgk/"]


def test_platform_functions(tmp_path: Path) -> None:
    header = SEARCH + '<a href="https://sso.qs.gov.cn/login">登录</a><a href="/hdjl/liuyan">我要留言</a>'
    pages = {"/": page("首页", header + '<a href="/hdjl/xx/">县长信箱</a>'),
             "/xxgk/": page("政府信息公开", header + '<a href="http://12345.qs.gov.cn/">12345热线</a>'),
             "/bsfw/": page("办事服务", header.replace("/search/index.do", "/bsfw/search.jsp")
                            + '<a href="https://zwfw.hunan.gov.cn/login">个人登录</a>')}
    result = check_once(platform_functions, snapshot_of(tmp_path, pages), SETTINGS)
    details = result.details
    assert details["搜索入口"] == {SITE + "search/index.do": 2, SITE + "bsfw/search.jsp": 1}
    assert set(details["登录系统"]) == {"sso.qs.gov.cn/login", "zwfw.hunan.gov.cn/login"}
    assert set(details["互动系统"]) == {"www.qs.gov.cn/hdjl", "12345.qs.gov.cn/"}
    weights = SETTINGS["platform_weights"]
    assert result.score == pytest.approx(weights["search"] * 2 / 3 + weights["login"] * 0.5
                                         + weights["interaction"] * 2 / 3, abs=1e-3)
    messages = {f.message.split("：")[0] for f in result.findings}
    assert messages >= {"站内搜索不统一", "登录入口分属 2 个系统，未统一身份认证"}


def test_shared_sources(tmp_path: Path) -> None:
    docs = ["关于印发某某办法的通知", "关于加强某某工作的意见", "关于某某的实施意见"]
    home = page("首页", '<ul class="e"><li><a href="/xxgk/">政府信息公开</a></li><li><a href="/zcwj/">政策文件</a>'
                       "</li></ul>" + dated_list("/copy/", docs[:1]))
    pages = {"/": home,
             "/xxgk/": page("政府信息公开", '<ul class="m"><li><a href="/xxgk/zcwj/">政策文件</a></li></ul>',
                            "政府信息公开"),
             "/xxgk/zcwj/": page("政策文件", dated_list("/xxgk/zcwj/", docs), "政府信息公开 &gt; 政策文件"),
             "/zcwj/": page("政策文件", dated_list("/xxgk/zcwj/", docs), "政策文件")}
    result = check_once(shared_sources, snapshot_of(tmp_path, pages), SETTINGS)
    assert result.details["同一主题的两处栏目"][0]["同源"] is True  # the portal column calls the platform's pages
    assert result.details["首页复制信息"] == 1  # the home page links a copy at /copy/a0.html
    assert any("首页信息「关于印发某某办法的通知」" in f.message for f in result.findings)
    nothing = check_once(shared_sources, snapshot_of(tmp_path / "b", {"/": page("首页", "<p>欢迎</p>")}), SETTINGS)
    assert nothing.status == CheckStatus.NEEDS_MANUAL_REVIEW
