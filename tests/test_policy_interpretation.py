"""政策解读: pairing documents with interpretations, and the ratio, quality, targeted and hot-topic checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.models import CheckStatus
from auditkit.testing import check_once, plugin_settings
from auditkit_plugins.policy_interpretation.checks import hot_topic_response, quality, ratio, targeted
from auditkit_plugins.policy_interpretation.pairing import titles_match

from .test_columns import SITE, page, snapshot_of

SETTINGS = plugin_settings("auditkit_plugins.policy_interpretation")

DOCS = {  # path: (title, date)
    "/zcwj/a1.html": ("青山县人民政府关于印发《青山县优化营商环境若干措施》的通知", "2021-10-01"),
    "/zcwj/a2.html": ("青山县人民政府关于加快推进农业产业化发展的实施意见", "2021-09-01"),
    "/zcwj/a3.html": ("青山县人民政府办公室关于进一步加强农村村民建房管理的通知", "2021-08-01"),
    "/zcwj/a4.html": ("青山县人民政府关于印发《青山县突发事件总体应急预案》的通知", "2021-07-01"),
}
INTERPRETATIONS = {
    "/zcjd/b1.html": ("《青山县优化营商环境若干措施》政策解读", "2021-10-02"),
    "/zcjd/b2.html": ("《关于加快推进农业产业化发展的实施意见》解读", "2021-09-20"),
    "/zcjd/b3.html": ("图解：农村村民建房管理", "2021-08-02"),
}


@pytest.mark.parametrize("document, interpretation, same", [
    ("关于印发《青山县优化营商环境若干措施》的通知", "《青山县优化营商环境若干措施》政策解读", True),
    ("青山县人民政府关于加快推进农业产业化发展的实施意见", "《关于加快推进农业产业化发展的实施意见》解读", True),
    ("关于印发《青山县突发事件总体应急预案》的通知", "《青山县优化营商环境若干措施》政策解读", False),
    ("青山县人民政府关于加快推进农业产业化发展的实施意见", "图解：农村村民建房管理", False),
])
def test_titles_match(document: str, interpretation: str, same: bool) -> None:
    assert titles_match(document, interpretation, SETTINGS) is same


def listing(items: dict[str, tuple[str, str]]) -> str:
    return "<ul class='list'>" + "".join(f'<li><a href="{p}">{t}</a><span>{d}</span></li>'
                                        for p, (t, d) in items.items()) + "</ul>"


def policy_site(interpretation_bodies: dict[str, str] | None = None, document_bodies: dict[str, str] | None = None
                ) -> dict[str, str]:
    pages = {"/": page("首页", '<ul class="e"><li><a href="/zcwj/">政策文件</a></li><li><a href="/zcjd/">政策解读</a>'
                             "</li></ul>"),
             "/zcwj/": page("政策文件", listing(DOCS), "政策文件"),
             "/zcjd/": page("政策解读", listing(INTERPRETATIONS), "政策解读")}
    for path, (title, day) in DOCS.items():
        extra = (document_bodies or {}).get(path, "")
        pages[path] = page(title, f"<h1>{title}</h1><p>发布时间：{day}</p><p>正文。</p>{extra}")
    for path, (title, day) in INTERPRETATIONS.items():
        body = (interpretation_bodies or {}).get(path, "<p>正文。</p>")
        pages[path] = page(title, f"<h1>{title}</h1><p>发布时间：{day}</p>{body}<p>来源：县发展和改革局</p>")
    return pages


def test_ratio_pairs_by_link_and_title(tmp_path: Path) -> None:
    # a3's interpretation is found only through the link on a3's own page
    link = '<p>相关解读：<a href="/zcjd/b3.html">图解：农村村民建房管理</a></p>'
    pages = policy_site(document_bodies={"/zcwj/a3.html": link})
    result = check_once(ratio, snapshot_of(tmp_path, pages), SETTINGS)
    assert result.status == CheckStatus.SCORED, result.reason
    base = SITE.rstrip("/")
    pairs = {(p["文件地址"].removeprefix(base), p["解读地址"].removeprefix(base), p["关联依据"])
             for p in result.details["文件与解读"]}
    assert pairs == {("/zcwj/a1.html", "/zcjd/b1.html", "标题相同或相近"),
                     ("/zcwj/a2.html", "/zcjd/b2.html", "标题相同或相近"),
                     ("/zcwj/a3.html", "/zcjd/b3.html", "文件页链接到解读")}
    assert (result.details["文件数"], result.details["有解读"]) == (4, 3)
    assert sorted(result.details["解读晚于文件的天数"]) == [1, 1, 19]  # b2 came 19 days after its document
    weights = SETTINGS["ratio_weights"]
    assert result.score == pytest.approx(weights["column"] + weights["current"] + weights["ratio"] * 0.75
                                         + weights["timely"] * 2 / 3, abs=1e-3)
    assert any("突发事件总体应急预案" in f.message and "没有解读" in f.message for f in result.findings)


def test_ratio_needs_documents(tmp_path: Path) -> None:
    result = check_once(ratio, snapshot_of(tmp_path, {"/": page("首页", "<p>欢迎</p>")}), SETTINGS)
    assert result.status == CheckStatus.NEEDS_MANUAL_REVIEW


def test_quality_elements_forms_and_links(tmp_path: Path) -> None:
    full = ("<p>一、出台背景</p><p>二、目标任务</p><p>三、主要内容</p><p>四、解决的问题</p>"
            '<p>相关文件：<a href="/zcwj/a1.html">关于印发《青山县优化营商环境若干措施》的通知</a></p>'
            '<video src="/media/jd.mp4" controls></video>')
    pages = policy_site({"/zcjd/b1.html": full,
                         "/zcjd/b2.html": "<p>一、主要内容</p><p>二、解决的问题</p>",
                         "/zcjd/b3.html": '<p><img src="/t.png" alt="图解：建房管理要点"></p>'})
    result = check_once(quality, snapshot_of(tmp_path, pages), SETTINGS)
    rows = {r["地址"].removeprefix(SITE.rstrip("/")): r for r in result.details["解读"]}
    assert rows["/zcjd/b1.html"]["解读要素"] == ["背景依据", "目标任务", "主要内容", "解决的问题"]
    assert rows["/zcjd/b1.html"]["形式"] == ["视频"] and rows["/zcjd/b1.html"]["与文件互链"]
    assert rows["/zcjd/b2.html"]["解读要素"] == ["主要内容", "解决的问题"] and not rows["/zcjd/b2.html"]["与文件互链"]
    assert rows["/zcjd/b3.html"]["形式"] == ["图解"]
    assert rows["/zcjd/b1.html"]["来源"] == "县发展和改革局"
    assert result.details["解读形式"] == ["图解", "视频"]
    assert any("未包括：背景依据、目标任务" in f.message for f in result.findings)


def test_targeted_signals(tmp_path: Path) -> None:
    body = ('<p>适用对象：本县各类市场主体。</p><p><a href="/bsfw/g1.html">在线申报：企业技术改造补助</a></p>')
    result = check_once(targeted, snapshot_of(tmp_path, policy_site({"/zcjd/b1.html": body})), SETTINGS)
    assert (result.details["精准分类"], result.details["精准送达"], result.details["关联申报"]) == (True, False, True)
    weights = SETTINGS["targeted_weights"]
    assert result.score == pytest.approx(weights["classification"] + weights["apply"])
    assert [f.message for f in result.findings] == ["未见政策订阅、推送等精准送达服务"]


def test_hot_topic_response(tmp_path: Path) -> None:
    pages = {"/": page("首页", '<ul class="e"><li><a href="/fbh/">新闻发布会</a></li></ul>'),
             "/fbh/": page("新闻发布会", listing({"/fbh/1.html": ("第一场发布会", "2021-09-30"),
                                                "/fbh/2.html": ("第二场发布会", "2021-08-30"),
                                                "/fbh/3.html": ("第三场发布会", "2021-07-30")}), "新闻发布会")}
    result = check_once(hot_topic_response, snapshot_of(tmp_path, pages), SETTINGS)
    weights = SETTINGS["hot_topic_weights"]
    assert result.score == pytest.approx((weights["found"] + weights["current"]) / 2)
    assert result.reason.startswith("新闻发布会：「新闻发布会」，按时更新；回应关切：未找到")
