"""智能搜索 / 智能问答 without a browser: finding search boxes and entries (also on real
pages), building probes with known answers, reading a results page, judging answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from auditkit.testing import make_snapshot, plugin_settings
from auditkit_plugins.search_qa.browse import Link, PageState
from auditkit_plugins.search_qa.config import Settings, topics
from auditkit_plugins.search_qa.controls import (
    InputCandidate,
    controls_in_html,
    inputs_in_html,
    match_controls,
    rank_inputs,
)
from auditkit_plugins.search_qa.probes import (
    Document,
    Probe,
    Question,
    documents,
    pinyin,
    qa_questions,
    search_probes,
    typo_of,
)
from auditkit_plugins.search_qa.qa import Answer, judge
from auditkit_plugins.search_qa.scoring import Item, score_sub_points
from auditkit_plugins.search_qa.search import ProbeRun, analyse

from .conftest import CORPUS

AS_OF = date(2021, 10, 15)
CFG = Settings.model_validate(plugin_settings("auditkit_plugins.search_qa"))
SITE = "https://www.qs.test"


def best_input(html: str) -> InputCandidate | None:
    ranked = rank_inputs(inputs_in_html(LexborHTMLParser(html)), CFG.search_input_hints, CFG.search_form_hints,
                         CFG.search_exclude_hints)
    return ranked[0] if ranked else None


def test_search_box_is_told_from_login_and_message_fields() -> None:
    html = """<form action="/login"><input name="username" placeholder="用户名"><input type="password"></form>
    <form action="/liuyan"><input name="title" placeholder="留言标题"></form>
    <div class="search"><input id="user-defined01" name="q" placeholder="站内检索:请输入关键字"></div>
    <input type="search" style="display:none" name="keyword">"""
    box = best_input(html)
    assert box is not None and box.names.startswith("user-defined01 q")  # "user-defined" is no login field
    assert best_input('<form action="/login"><input name="username"></form>') is None


@pytest.mark.corpus
@pytest.mark.parametrize("path, expected", [
    ("homepages/changsha.gov.cn.html", "user-defined01"),
    ("homepages/bjft.gov.cn.html", "search"),
    ("pages/yichun.gov.cn/homepage.html", "sstitle"),
    ("pages/bynr.gov.cn/article.html", "searchword1"),
    ("pages/nmg.gov.cn/article.html", "keywords"),
    ("pages/shanxi.gov.cn/article_2019.html", "kw"),
])
def test_search_box_on_real_pages(path: str, expected: str) -> None:
    box = best_input((CORPUS / path).read_text(encoding="utf-8"))
    assert box is not None and expected in box.names.split()[0]


@pytest.mark.corpus
def test_elder_and_toolbar_entries_on_a_real_home_page() -> None:
    tree = LexborHTMLParser((CORPUS / "pages/yichun.gov.cn/homepage.html").read_text(encoding="utf-8"))
    controls = controls_in_html(tree)
    assert match_controls(controls, ["关怀版", "长辈版"])[0].text == "关怀版"
    assert "无障碍" in match_controls(controls, ["无障碍"])[0].text


def test_entries_by_text_title_alt_or_path() -> None:
    html = """<a href="/znwd/index.html"><img src="robot.png" alt="智能客服"></a>
    <a href="/news/qa/1.html">一条很长的新闻标题里提到了智能问答平台的上线情况</a>
    <span onclick="openRobot()">智能问答</span><a href="/robot/">小青</a><a href="javascript:void(0)">问答</a>"""
    found = match_controls(controls_in_html(LexborHTMLParser(html)), CFG.qa.entry_markers, CFG.qa.entry_path_hints)
    assert [c.label for c in found] == ["智能客服", "智能问答", "小青"]  # named before pointed-to; no news titles


def _page(path: str, title: str, crumb: str = "") -> tuple[str, str]:
    return SITE + path, (f"<html><head><title>{title}_青山县人民政府</title></head><body><div>当前位置：{crumb}</div>"
                         f"<h1>{title}</h1><p>正文</p></body></html>")


@pytest.fixture
def docs(tmp_path: Path) -> list[Document]:
    pages = dict([
        (SITE + "/", "<html><body><form action='/search'><input name='q'></form></body></html>"),
        _page("/xwzx/ywdt/content_1.html", "县政府常务会议研究部署重点工作", "首页 > 新闻中心 > 要闻动态"),
        _page("/info/a/content_2.html", "青山县财政预算公开说明表", "首页 > 政府信息公开 > 财政信息"),
        _page("/bsfw/content_3.html", "城乡居民基本养老保险参保登记"),
        _page("/bsfw/content_4.html", "最低生活保障申请"),
        _page("/hdjl/", "互动交流", "首页 > 互动交流"),
        ("https://xxgk.qs.test/gk/content_5.html", "<html><body><h1>青山县信息公开年度工作报告</h1></body></html>"),
    ])
    return documents(make_snapshot(tmp_path / "a.db", pages, AS_OF, start_url=SITE + "/"), CFG)


def test_documents_and_their_part_of_the_site(docs: list[Document]) -> None:
    kinds = {d.title: d.kind for d in docs}
    assert kinds == {"县政府常务会议研究部署重点工作": "news", "青山县财政预算公开说明表": "disclosure",
                     "城乡居民基本养老保险参保登记": "services", "最低生活保障申请": "services",
                     "青山县信息公开年度工作报告": "subsite"}  # /hdjl/ is a list, not a document


def test_probes_have_known_answers(docs: list[Document]) -> None:
    probes, notes = search_probes(docs, CFG)
    by_kind: dict[str, list[Probe]] = {}
    for probe in probes:
        by_kind.setdefault(probe.kind, []).append(probe)
    assert by_kind["baseline"][0].query == CFG.baseline_query
    assert [p.scope for p in by_kind["exact"]] == ["news", "disclosure", "services", "subsite"]
    assert by_kind["exact"][0].targets == [SITE + "/xwzx/ywdt/content_1.html"]
    keyword = by_kind["keyword"][0]
    assert keyword.query == "养老保险" and keyword.targets == [SITE + "/bsfw/content_3.html"]
    assert (by_kind["pinyin_full"][0].query, by_kind["pinyin_initials"][0].query) == ("yanglaobaoxian", "ylbx")
    assert by_kind["typo"][0].query == "养老保显"
    assert by_kind["colloquial"][0].query == "养老金怎么交"
    assert by_kind["natural_language"][0].query.endswith("？")
    assert len(by_kind["overlong"][0].query) == CFG.overlong_chars
    assert by_kind["empty"][0].query == "" and by_kind["calc"][0].query == "1+1"
    assert by_kind["sensitive"][0].query == "六合彩"
    assert not notes


def test_without_known_topics_only_exact_and_robustness_probes() -> None:
    probes, notes = search_probes([Document(SITE + "/a/1.html", "一个没有常见办事主题的标题", None)], CFG)
    assert {p.kind for p in probes} == {"baseline", "overlong", "sensitive", "calc", "empty"}
    assert "未做拼音" in notes[0]


def test_qa_questions_cover_each_kind(docs: list[Document]) -> None:
    questions = qa_questions(docs, CFG)
    assert [q.kind for q in questions] == ["keyword", "complex", "pinyin", "typo", "multi"]
    assert questions[-1].text == "养老保险和最低生活保障分别怎么办理？"
    assert [t.term for t in questions[-1].topics] == ["养老保险", "最低生活保障"]


def test_pinyin_and_typo_helpers() -> None:
    assert pinyin("社保") == ("shebao", "sb")
    assert typo_of("最低生活保障") == "最低生活保彰"
    assert typo_of("ABC") is None
    assert len(topics()) >= 10


def _state(url: str, lines: list[str], links: list[tuple[str, str]], labels: list[str] = ()) -> PageState:
    return PageState(url=url, text="\n".join(lines), links=[Link(href=h, text=t) for h, t in links],
                     labels=list(labels))


CHROME = [("https://s.qs.test/", "首页"), ("https://s.qs.test/about.html", "关于我们")]
BASELINE = _state("https://s.qs.test/search?q=zz", ["站内搜索", "搜索“zz”，共找到 0 条结果", "排序：按时间"], CHROME)


def test_results_are_the_links_a_probe_adds() -> None:
    probe = Probe(kind="keyword", query="养老保险", targets=["https://www.qs.test/bsfw/3.html"],
                  target_words=["养老保险"])
    state = _state("https://s.qs.test/search?q=养老保险", [
        "站内搜索", "办事服务 城乡居民基本养老保险参保登记 在线办理", "地图服务 政务服务中心",
        "搜索“养老保险”，共找到 12 条结果", "县政府常务会议研究部署民生工作", "城乡居民基本养老保险参保登记",
        "相关搜索：社保 参保", "排序：按时间"], [
        *CHROME, ("https://www.qs.test/bsfw/3.html", "在线办理"),
        ("https://www.qs.test/xwzx/1.html", "县政府常务会议研究部署民生工作"),
        ("https://www.qs.test/bsfw/3.html", "城乡居民基本养老保险参保登记"),
        ("https://s.qs.test/search?q=社保", "社保")], labels=["全部(12)", "新闻(3)", "办事(2)", "社保"])
    run = ProbeRun(probe=probe)
    analyse(run, state, BASELINE, CFG)
    assert run.results == ["https://www.qs.test/bsfw/3.html", "https://www.qs.test/xwzx/1.html"]
    assert run.rank == 1 and run.total == 12
    assert set(run.features) == {"scenario", "map", "related", "sorting", "grouping"}


def test_sensitive_echo_calc_and_errors() -> None:
    run = ProbeRun(probe=Probe(kind="sensitive", query="六合彩"))
    analyse(run, _state("https://s.test/search", ["搜索“六合彩”，共找到 0 条结果"], []), BASELINE, CFG)
    assert run.echoed == "搜索“六合彩”，共找到 0 条结果"
    run = ProbeRun(probe=Probe(kind="sensitive", query="六合彩"))
    analyse(run, _state("https://s.test/search", ["您输入的关键词含有敏感词，已被屏蔽"], []), BASELINE, CFG)
    assert run.echoed is None and "blocked" in run.features
    run = ProbeRun(probe=Probe(kind="calc", query="1+1"))
    analyse(run, _state("https://s.test/search", ["计算结果：1+1 = 2"], []), BASELINE, CFG)
    assert "calc" in run.features
    run = ProbeRun(probe=Probe(kind="empty", query=""))
    analyse(run, PageState(url="https://s.test/search", text="java.lang.NullPointerException", status=500),
            BASELINE, CFG)
    assert run.error and run.error.startswith("HTTP 500")


def test_sub_point_scoring_leaves_out_what_could_not_be_probed() -> None:
    items = [Item(key="a", name="甲", sub_point=1, present=True), Item(key="b", name="乙", sub_point=1, present=False),
             Item(key="c", name="丙", sub_point=2, present=False, applicable=False),
             Item(key="d", name="丁", sub_point=3, present=True)]
    score, shares, reason = score_sub_points(items, [1, 1, 1], ("一", "二", "三"))
    assert score == 0.75 and shares == {"一": 0.5, "二": None, "三": 1.0}
    assert "缺：乙" in reason and "二：未能探测" in reason


def test_answers_judged_by_topic_links_and_title_words(docs: list[Document]) -> None:
    pension, relief = topics()[0], topics()[1]
    cases = [
        (["城乡居民养老保险可到政务服务中心办理。"], [], [pension], True),
        (["请点击下方链接查看办事指南。"], [(SITE + "/bsfw/content_3.html", "办事指南")], [pension], True),
        (["抱歉，暂未找到相关答案，请换个说法。"], [], [pension], False),
        (["城乡居民养老保险可到政务服务中心办理。"], [], [pension, relief], False),
        (["城乡居民参保登记需带户口簿。"], [], [pension], True),  # title words 城乡, 居民, 参保, 登记
    ]
    for lines, links, about, relevant in cases:
        answer = Answer(question=Question(kind="keyword", text="问", topics=about), lines=lines, links=links)
        judge(answer, docs, CFG.qa)
        assert answer.relevant is relevant, (lines, answer.why)
    fallback = Answer(question=Question(kind="pinyin", text="yanglaobaoxian", topics=[pension]),
                      lines=["抱歉，暂未找到相关答案"])
    judge(fallback, docs, CFG.qa)
    assert fallback.fallback and fallback.why.endswith("（兜底回复）")
