"""智能搜索 and 智能问答 on the demo site: every probe detects its feature when the demo's
search and Q&A offer it (all switches on) and reports it absent when they do not (all off);
the default demo is checked through the shared demo audit."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auditkit.demo.defects import planted
from auditkit.demo.search import DEFAULT_FEATURES
from auditkit.demo.server import serve_demo
from auditkit.models import AuditResult, CheckResult, CheckStatus
from auditkit_plugins.search_qa.qa import qa
from auditkit_plugins.search_qa.search import FEATURES, search
from tests.browser_checks import fetched_snapshot, run_checks
from tests.conftest import AS_OF

pytestmark = pytest.mark.browser

#: the home page, a page of each part of the site, the pages of two service topics, the Q&A page
PATHS = ["/", "/xwzx/ywdt/content_10002.html", "/xxgk/fdzdgknr/zfcg/content_20081.html", "/zcwj/content_40001.html",
         "/bsfw/content_60001.html", "/bsfw/content_60003.html", "/hdjl/xx/content_50001.html", "/znwd/"]
NO_DELAY = {"probe_delay_s": 0}


def _audit(features: dict[str, bool], db: Path) -> dict[str, CheckResult]:
    with serve_demo(AS_OF, features=features) as url:
        snapshot = fetched_snapshot(url, PATHS, db, AS_OF)
        return asyncio.run(run_checks(snapshot, [search, qa], NO_DELAY))


@pytest.fixture(scope="module")
def all_on(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, CheckResult]]:
    yield _audit(dict.fromkeys(DEFAULT_FEATURES, True), tmp_path_factory.mktemp("on") / "a.db")


@pytest.fixture(scope="module")
def all_off(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, CheckResult]]:
    yield _audit(dict.fromkeys(DEFAULT_FEATURES, False), tmp_path_factory.mktemp("off") / "a.db")


def features(result: CheckResult) -> dict[str, str]:
    return {row["功能"]: row["有无"] for row in result.details["功能"]}


def probes(result: CheckResult) -> dict[str, dict[str, Any]]:
    return {row["探测"]: row for row in result.details["探测"]}


def test_every_search_feature_found_when_offered(all_on: dict[str, CheckResult]) -> None:
    result = all_on["search_qa.search"]
    assert result.status == CheckStatus.SCORED, result.reason
    seen = features(result)
    assert {name: seen[name] for _, name in FEATURES.values()} == {name: "有" for _, name in FEATURES.values()}
    assert all(v == "有" for k, v in seen.items() if k.startswith("全站搜索")), seen
    assert seen["空查询不报错"] == seen["超长查询不报错"] == "有"
    assert result.score == 1.0
    assert result.details["输入联想"], "suggestions while typing"
    rows = probes(result)
    assert "结果分类" in rows["关键词"]["所见功能"] and "排序/筛选" in rows["关键词"]["所见功能"]
    assert rows["搜索框计算"]["所见功能"] == "计算结果"
    assert rows["错别字"]["找到目标"] == "是"  # a segmenting engine finds 养老 in 养老保显 without correcting it
    assert not [f for f in result.findings if f.severity != "info"]


def test_every_search_feature_absent_when_not_offered(all_off: dict[str, CheckResult]) -> None:
    result = all_off["search_qa.search"]
    seen = features(result)
    assert {name: seen[name] for _, name in FEATURES.values()} == {name: "无" for _, name in FEATURES.values()}
    assert seen["空查询不报错"] == seen["超长查询不报错"] == "无"  # HTTP 500 with a stack trace
    assert all(v == "有" for k, v in seen.items() if k.startswith("全站搜索"))  # plain search still finds titles
    assert result.details["输入联想"] == []
    rows = probes(result)
    assert rows["关键词"]["排名"] == 2  # newest first: a news item mentioning the term comes before the guide
    assert all(row["所见功能"] == "—" for row in rows.values())
    messages = " ".join(f.message for f in result.findings)
    assert "敏感词“六合彩”未被屏蔽" in messages and "空查询时搜索出错" in messages


def test_search_probe_table_names_probe_query_target_rank_and_time(all_on: dict[str, CheckResult]) -> None:
    rows = probes(all_on["search_qa.search"])
    assert set(rows) >= {"无结果基准", "精确标题（新闻动态）", "精确标题（政府信息公开）", "精确标题（政策文件）",
                         "精确标题（办事服务）", "精确标题（互动交流）", "关键词", "拼音全拼", "拼音首字母", "错别字",
                         "通俗说法", "自然语言问句", "敏感词", "搜索框计算", "空查询", "超长查询"}
    assert rows["拼音全拼"]["查询词"] == "yanglaobaoxian" and rows["拼音首字母"]["查询词"] == "ylbx"
    assert rows["精确标题（办事服务）"]["找到目标"] == "是" and rows["精确标题（办事服务）"]["排名"] == 1
    assert all(row["用时（毫秒）"] is not None for row in rows.values())
    assert rows["无结果基准"]["结果数"] == 0


def test_every_qa_feature_found_when_offered(all_on: dict[str, CheckResult]) -> None:
    result = all_on["search_qa.qa"]
    assert result.score == 1.0, result.reason
    assert set(features(result).values()) == {"有"}
    answers = {row["问题类型"]: row for row in result.details["提问"]}
    assert set(answers) == {"单个关键词", "复杂意图", "拼音理解", "错别字识别", "多问融合"}
    assert answers["多问融合"]["判断依据"] == "提到“养老保险”；提到“最低生活保障”"
    assert all(row["站内链接数"] >= 1 for row in answers.values())


def test_every_qa_feature_absent_when_not_offered(all_off: dict[str, CheckResult]) -> None:
    result = all_off["search_qa.qa"]
    seen = features(result)
    assert seen == {"智能提示": "无", "单个关键词问答": "有", "复杂意图问答": "有", "拼音理解问答": "无",
                    "错别字识别问答": "无", "多问融合问答": "无", "问答知识库梳理": "无", "智能联想": "无"}
    answers = {row["问题类型"]: row for row in result.details["提问"]}
    assert "兜底回复" in answers["拼音理解"]["判断依据"]


def test_default_demo_search(demo_audit: tuple[AuditResult, Path], demo_url: str) -> None:
    result, _ = demo_audit
    search_result = result.check("search_qa.search")
    seen = features(search_result)
    assert seen["搜索词纠错"] == seen["搜索词相关推荐"] == "有"
    assert seen["拼音搜索"] == seen["敏感词屏蔽"] == seen["搜索结果智能排序"] == "无"
    echo = next(f for f in search_result.findings if "敏感词" in f.message)
    assert echo.url.startswith(demo_url.rstrip("/") + planted("search_sensitive_echo").path)
    assert result.row("功能设计/智能搜索").points is not None


def test_default_demo_qa(demo_audit: tuple[AuditResult, Path]) -> None:
    result, _ = demo_audit
    qa_result = result.check("search_qa.qa")
    assert features(qa_result)["智能提示"] == features(qa_result)["问答知识库梳理"] == "有"
    assert features(qa_result)["智能联想"] == "无"
    assert qa_result.details["入口"]["页面"].endswith("/znwd/")
    assert result.row("功能设计/智能问答").points is not None


# --- fixture sites: a search drawn in place by script, Q&A that is absent, mute or clueless ---

DOC = "<html><head><title>{t}</title></head><body><h1>{t}</h1><p>正文</p></body></html>"
WIDGET_HOME = """<html><body><a class="icon" onclick="document.getElementById('box').style.display='block'">搜索</a>
<div class="sousuo" id="box" style="display:none"><input id="kw" placeholder="请输入关键词"><span class="btn"
 onclick="go()">确定</span></div><div id="res"></div>{extra}<script>
function go() {{ var q = document.getElementById('kw').value;
  fetch('/api/search?q=' + encodeURIComponent(q)).then(r => r.json()).then(items => {{
    document.getElementById('res').innerHTML = items.map(i => '<a href="' + i[0] + '">' + i[1] + '</a>').join('<br>')
      || '没有找到'; }}); }}
</script></body></html>"""
TITLES = {"/xwzx/content_1.html": "县政府召开安全生产工作会议", "/bsfw/content_2.html": "城乡居民基本养老保险参保登记"}


def _route(body: str, ctype: str = "text/html; charset=utf-8") -> Any:
    from auditkit.testing import send

    return lambda handler: send(handler, 200, body, ctype)


def _search_api(handler: Any) -> None:
    import json
    from urllib.parse import parse_qs, urlsplit

    from auditkit.testing import send

    q = parse_qs(urlsplit(handler.path).query).get("q", [""])[0]
    hits = [[path, title] for path, title in TITLES.items() if q and q in title]
    send(handler, 200, json.dumps(hits, ensure_ascii=False), "application/json; charset=utf-8")


def _site_results(serve: Any, tmp_path: Path, extra: str, routes: dict[str, Any], checks: tuple[Any, ...] = (qa,)
                  ) -> dict[str, CheckResult]:
    site = serve({"/": _route(WIDGET_HOME.format(extra=extra)), "/api/search": _search_api,
                  **{p: _route(DOC.format(t=t)) for p, t in TITLES.items()}, **routes})
    snapshot = fetched_snapshot(site.base, ["/", *TITLES], tmp_path / "a.db", AS_OF)
    return asyncio.run(run_checks(snapshot, checks, NO_DELAY | {"submit_wait_s": 1.0, "qa": {"answer_timeout_s": 2.0}}))


def test_search_widget_without_form_is_opened_driven_and_read_in_place(serve: Any, tmp_path: Path) -> None:
    """The box shows after a click on its 搜索 icon; results are drawn in place by a script."""
    results = _site_results(serve, tmp_path, "", {}, (search, qa))
    rows = probes(results["search_qa.search"])
    assert rows["精确标题（办事服务）"]["找到目标"] == "是" and rows["精确标题（新闻动态）"]["排名"] == 1
    assert rows["无结果基准"]["结果数"] == 0
    qa_result = results["search_qa.qa"]
    assert qa_result.score == 0.0 and "未提供智能问答" in qa_result.reason


def test_qa_that_never_answers_is_a_finding(serve: Any, tmp_path: Path) -> None:
    mute = '<html><body><textarea id="question" placeholder="请输入您的问题"></textarea><button>发送</button></body>'
    results = _site_results(serve, tmp_path, '<a href="/robot/">智能客服</a>', {"/robot/": _route(mute)})
    qa_result = results["search_qa.qa"]
    assert any(f.severity == "serious" and "不回答" in f.message for f in qa_result.findings)
    assert all(row["有回答"] == "否" for row in qa_result.details["提问"])


def test_qa_in_a_frame_that_only_apologises(serve: Any, tmp_path: Path) -> None:
    chat = """<html><body><div id="log"></div><input id="msg"><a class="send" onclick="
      var p = document.createElement('p'); p.textContent = '抱歉，我还不太理解您的问题。';
      document.getElementById('log').appendChild(p);">发送</a></body></html>"""
    frame_page = '<html><body><h1>智能问答</h1><iframe src="/robot/chat" title="问答"></iframe></body></html>'
    results = _site_results(serve, tmp_path, '<a href="/robot/">智能问答</a>',
                            {"/robot/": _route(frame_page), "/robot/chat": _route(chat)})
    seen = features(results["search_qa.qa"])
    assert all(row["有回答"] == "是" for row in results["search_qa.qa"].details["提问"])
    assert seen["单个关键词问答"] == seen["复杂意图问答"] == "无"
