"""适老化及无障碍 checks: the page sample, axe's results by principle, elder-mode measures,
keyboard walks and toolbar features — first without a browser, then on small fixture sites."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from auditkit.checks import CheckContext
from auditkit.models import CheckStatus
from auditkit.testing import make_snapshot, plugin_settings, send
from auditkit_plugins.accessibility.axe import AxeNode, AxeRule, PageAxe, success_criterion
from auditkit_plugins.accessibility.axe import _result as axe_result
from auditkit_plugins.accessibility.config import Settings
from auditkit_plugins.accessibility.elder import elder_mode
from auditkit_plugins.accessibility.keyboard import Stop, Walk, keyboard, trap_index
from auditkit_plugins.accessibility.keyboard import _result as keyboard_result
from auditkit_plugins.accessibility.measure import Block, Measurement, Paragraph
from auditkit_plugins.accessibility.sample import axe_pages, sample_pages
from auditkit_plugins.accessibility.toolbar import assign, toolbar
from auditkit_plugins.search_qa.controls import Control
from tests.browser_checks import fetched_snapshot, run_checks

AS_OF = date(2021, 10, 15)
CFG = Settings.model_validate(plugin_settings("auditkit_plugins.accessibility"))
SITE = "https://www.qs.gov.cn"
DATES = "".join(f"<li>通知{i} 2021-09-{i + 10:02d}</li>" for i in range(6))


def _ctx(tmp_path: Path) -> CheckContext:
    snapshot = make_snapshot(tmp_path / "a.db", {SITE + "/": "<html><body>首页</body></html>"}, AS_OF)
    return CheckContext(snapshot=snapshot, settings={}, as_of=AS_OF, check_id="accessibility.test")


def test_sample_takes_the_first_page_of_each_type(tmp_path: Path) -> None:
    pages = {
        SITE + "/": f"<html><body><ul>{DATES}</ul></body></html>",
        SITE + "/about.html": "<html><body><p>关于我们</p></body></html>",
        SITE + "/xwzx/": f"<html><head><title>新闻</title></head><body><ul>{DATES}</ul></body></html>",
        SITE + "/xwzx/index_2.html": f"<html><body><ul>{DATES}</ul></body></html>",
        SITE + "/xwzx/1.html": "<html><body><h1>新闻</h1><p>发布时间：2021-09-01 来源：县政府办</p></body></html>",
        SITE + "/bsfw/1.html": "<html><body>办理材料：身份证 办理流程：受理 受理条件：无 发布时间：2021-01-01</body>",
        SITE + "/hdjl/xx/": f"<html><body><div>当前位置：首页 > 互动交流 > 县长信箱</div><ul>{DATES}</ul></body>",
        SITE + "/xxgk/zn/": "<html><head><title>政府信息公开指南_青山县</title></head><body>指南</body></html>",
    }
    snapshot = make_snapshot(tmp_path / "a.db", pages, AS_OF)
    sample = sample_pages(snapshot, CFG)
    assert [(p.type, p.url.removeprefix(SITE)) for p in sample] == [
        ("home", "/"), ("list", "/xwzx/"), ("article", "/xwzx/1.html"), ("service_guide", "/bsfw/1.html"),
        ("message_board", "/hdjl/xx/"), ("disclosure_guide", "/xxgk/zn/")]
    capped = axe_pages(snapshot, CFG.model_copy(update={"axe_max_pages": 7}))
    assert [p.url for p in capped[:6]] == [p.url for p in sample] and len(capped) == 7


def _rule(rule_id: str, impact: str, tags: list[str], nodes: int = 1) -> AxeRule:
    return AxeRule(id=rule_id, impact=impact, tags=tags, help=f"{rule_id} help", node_count=nodes,
                   nodes=[AxeNode(target=f"#{rule_id}-{i}", html=f"<b id='{rule_id}-{i}'>") for i in range(nodes)])


def test_axe_results_grouped_by_principle_and_incomplete_never_passes(tmp_path: Path) -> None:
    pages = [
        PageAxe(url=SITE + "/", type="home", type_name="首页",
                violations=[_rule("image-alt", "critical", ["wcag2a", "wcag111"], 2)],
                incomplete=[_rule("color-contrast", "serious", ["wcag2aa", "wcag143"])], version="4.12.1"),
        PageAxe(url=SITE + "/a.html", type="article", type_name="文章页",
                violations=[_rule("image-alt", "serious", ["wcag2a", "wcag111"]),
                            _rule("html-has-lang", "serious", ["wcag2a", "wcag311"])]),
        PageAxe(url=SITE + "/b.html", type="other", type_name="其他页面", error="Timeout"),
    ]
    result = axe_result(_ctx(tmp_path), CFG, pages)
    assert result.status == CheckStatus.SCORED and result.score == 0.75  # 1 − critical 0.15 − serious 0.1
    principles = {row["原则"]: row for row in result.details["四项原则"]}
    assert principles["1 可感知性"]["不通过规则数"] == 1 and principles["1 可感知性"]["问题元素数"] == 3
    assert principles["3 可理解性"]["不通过规则数"] == 1
    assert principles["1 可感知性"]["需人工复核规则数"] == 1
    assert result.details["不通过规则编号"] == ["html-has-lang", "image-alt"]
    image = next(f for f in result.findings if "image-alt" in f.message)
    assert image.severity == "critical" and image.url == SITE + "/" and "图片缺少替代文本" in image.message
    review = next(f for f in result.findings if "color-contrast" in f.message)
    assert review.severity == "info" and review.message.startswith("需人工复核")
    assert "1 个页面未能打开" in result.reason
    assert success_criterion(["cat.text", "wcag2aa", "wcag1412"]) == "1.4.12"


def test_main_text_measures() -> None:
    page = Measurement(url="u", blocks=[Block(chars=900, font=16, line=2.0, contrast=12.6),
                                        Block(chars=100, font=12, line=1.2, contrast=1.9),
                                        Block(chars=300, font=16, line=1.5, contrast=4.0)],
                       paragraphs=[Paragraph(font=16, ratio=1.65), Paragraph(font=12, ratio=1.0)])
    assert page.main_font == 16 and page.line_height == 2.0 and page.contrast == 12.6
    assert page.paragraph == 1.65 and not page.large_text
    assert Measurement(url="u").main_font is None and Measurement(url="u").target_share(24) is None


def test_trap_detection() -> None:
    def stops(*indices: int | None) -> list[Stop]:
        return [Stop(index=i) for i in indices]

    assert trap_index(stops(0, 1, 2, 2, 2), 5, set(), CFG) == 2
    assert trap_index(stops(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1), 5, set(), CFG) == 1
    assert trap_index(stops(0, 1, 2, 3, 4, None, 0), 5, set(), CFG) is None  # round the whole page
    assert trap_index(stops(0, 3, 3, 3, 3, 1), 5, {3}, CFG) is None  # tabbing inside an iframe


def test_keyboard_result_lists_unreachable_and_invisible_focus(tmp_path: Path) -> None:
    walked = Walk(labels=["首页", "新闻", "搜索"], frames=[], mouse_only=["菜单 <div>"], completed=True,
                  stops=[Stop(index=0, changed=True), Stop(index=1, changed=False), Stop(index=None),
                         Stop(index=0, changed=True)])
    result = keyboard_result(_ctx(tmp_path), CFG, SITE + "/", walked)
    assert result.details["无法到达"] == ["搜索", "菜单 <div>"]
    assert result.details["无焦点标识"] == ["新闻"]
    assert result.score == round((2 / 4 + 1 / 2 + 1) / 3, 4)
    unfinished = keyboard_result(_ctx(tmp_path), CFG, SITE + "/", walked.model_copy(update={"completed": False}))
    assert unfinished.details["无法到达"] == ["菜单 <div>"] and "未走完一圈" in unfinished.reason


def test_toolbar_features_assigned_in_settings_order() -> None:
    controls = [Control(index=i, tag="button", text=t) for i, t in enumerate(["放大", "大字幕", "大鼠标", "指读开关"])]
    found = assign(controls, CFG.toolbar_features)
    assert {k: c.text for k, c in found.items()} == {"big_caption": "大字幕", "pointer_read": "指读开关",
                                                      "big_cursor": "大鼠标", "zoom": "放大"}


# --- fixture sites (browser) -----------------------------------------------------------


def _page_route(body: str) -> Any:
    return lambda handler: send(handler, 200, body)


def _serve_pages(serve: Any, pages: dict[str, str]) -> Any:
    return serve({path: _page_route(body) for path, body in pages.items()})


@pytest.mark.browser
def test_keyboard_trap_and_mouse_only_controls(serve: Any, tmp_path: Path) -> None:
    home = """<html lang="zh-CN"><body><a href="/a">甲</a><input id="box" onblur="this.focus()" aria-label="陷阱">
    <a href="/b">乙</a><a href="/c">丙</a><div onclick="location='/d'">只能点</div></body></html>"""
    site = _serve_pages(serve, {"/": home})
    snapshot = fetched_snapshot(site.base, ["/"], tmp_path / "a.db", AS_OF)
    result = asyncio.run(run_checks(snapshot, [keyboard]))["accessibility.keyboard"]
    assert result.details["键盘陷阱"] == "陷阱"
    assert result.details["仅鼠标可用"] == ["只能点 <div>"]
    assert any(f.severity == "critical" for f in result.findings)


@pytest.mark.browser
def test_site_without_elder_mode_or_toolbar(serve: Any, tmp_path: Path) -> None:
    article = ("<html lang='zh-CN'><head><title>文章</title></head><body style='font:13px/1.2 sans-serif'>"
               "<h1>县里开会</h1><p>发布时间：2021-09-01</p>" + "<p>正文内容正文内容。</p>" * 4 + "</body></html>")
    site = _serve_pages(serve, {"/": f"<html><body style='font-size:13px'><a href='/a/1.html'>县里开会</a>"
                                      f"<ul>{DATES}</ul></body></html>", "/a/1.html": article})
    snapshot = fetched_snapshot(site.base, ["/", "/a/1.html"], tmp_path / "a.db", AS_OF)
    results = asyncio.run(run_checks(snapshot, [elder_mode, toolbar]))
    elder = results["accessibility.elder_mode"]
    assert elder.reason.startswith("无长辈版，按标准版")
    items = {row["项目"]: row["达标比例"] for row in elder.details["评分项"]}
    assert items["首页提供长辈版入口"] == 0.0 and items["大字体"] == 0.0 and items["浏览中保持长辈版"] is None
    assert items["行距≥1.3倍"] == 0.0  # 1.2
    assert any("没有长辈版" in f.message for f in elder.findings)
    assert results["accessibility.toolbar"].score == 0.0

