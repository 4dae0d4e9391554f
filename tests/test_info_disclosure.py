"""信息发布 / 政务信息公开 checks on hand-written snapshots and the fixture sites."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from auditkit.models import CheckStatus
from auditkit.testing import check_once, folder_pages, make_snapshot, plugin_settings
from auditkit_plugins.info_disclosure.platform import disclosure_platform, due_years
from auditkit_plugins.info_disclosure.topic_columns import topic_columns
from auditkit_plugins.info_disclosure.topics import basic_affairs, is_news_title, mandatory_disclosure
from auditkit_plugins.info_disclosure.zone_rows import zone_industry

from .conftest import AS_OF
from .test_columns import LOCAL_ABSENT, SITE, SITES, dated_list, page, snapshot_of

SETTINGS = plugin_settings("auditkit_plugins.info_disclosure")


def platform_site(topics: dict[str, tuple[str, str]]) -> dict[str, str]:
    """A 政府信息公开 platform whose topic grid links ``{path: (name, list html)}``."""
    grid = "".join(f'<li><a href="{path}">{name}</a></li>' for path, (name, _) in topics.items())
    pages = {"/": page("首页", '<ul class="entries"><li><a href="/xxgk/">政府信息公开</a></li></ul>'),
             "/xxgk/": page("政府信息公开", f'<ul class="topic-grid">{grid}</ul>', "政府信息公开")}
    for path, (name, body) in topics.items():
        pages[path] = page(name, body, f'<a href="/xxgk/">政府信息公开</a> &gt; {name}')
    return pages


def test_news_titles() -> None:
    assert is_news_title("县财政局召开上半年财政工作推进会", SETTINGS)
    assert not is_news_title("青山县2020年财政决算公开", SETTINGS)
    assert not is_news_title("关于开展统计执法检查的通知", SETTINGS)  # a notice is practical content


def test_mandatory_disclosure_judges_each_topic(tmp_path: Path) -> None:
    news = ["县财政局召开财政工作会议", "县财政局开展主题党日活动", "县财政局领导调研乡镇财政所"]
    pages = platform_site({
        "/xxgk/jgzn/": ("机构概况", dated_list("/xxgk/jgzn/", ["主要职责", "内设机构", "领导分工"], "2019-01-05")),
        "/xxgk/czxx/": ("财政信息", dated_list("/xxgk/czxx/", news)),
        "/xxgk/zfcg/": ("政府采购", dated_list("/xxgk/zfcg/", ["中标公告一", "中标公告二", "采购目录"], "2019-05-01")),
        "/xxgk/jyta/": ("建议提案", '<div class="no-data">暂无信息</div>'),
    })
    pages["/"] = pages["/"].replace("</ul>", '<li><a href="/zdhy/">重大会议</a></li></ul>')
    pages["/zdhy/"] = page("重大会议", dated_list("/zdhy/", ["第一次常务会议", "第二次常务会议", "第三次常务会议"]),
                           "重大会议")
    result = check_once(mandatory_disclosure, snapshot_of(tmp_path, pages), SETTINGS)
    assert result.status == CheckStatus.SCORED, result.reason
    rows = {r["主题"]: r for r in result.details["栏目对照表"]}
    assert len(rows) == 23 and result.details["统计"]["找到"] == 5
    assert rows["机构职能"]["按时更新"] is None and rows["机构职能"]["得分"] == 1.0  # static: not dated news
    assert rows["财政预决算"]["内容实用"] is False and rows["财政预决算"]["新闻条数"] == 3
    assert rows["政府采购"]["按时更新"] is False and rows["政府采购"]["距今天数"] > 365
    assert rows["建议提案"]["有内容"] is False
    assert rows["重大会议"]["在公开平台内"] is False
    messages = " ".join(f.message for f in result.findings)
    assert "以新闻动态代替了实用内容" in messages and "空白栏目" in messages and "不在政府信息公开平台内" in messages
    assert "未找到「养老服务」栏目" in messages and "未找到：" in result.reason
    weights = SETTINGS["topic_weights"]
    assert rows["政府采购"]["得分"] == pytest.approx(1 - weights["current"])
    assert result.score == pytest.approx(sum(r["得分"] for r in rows.values()) / 23, abs=1e-4)


@pytest.mark.parametrize("name", ["trs_city", "hanweb_county"])
def test_mandatory_disclosure_on_fixture_sites(tmp_path: Path, name: str) -> None:
    snap = make_snapshot(tmp_path / "f.db", folder_pages(SITES / name, "http://127.0.0.1:8/", AS_OF), AS_OF)
    result = check_once(mandatory_disclosure, snap, SETTINGS)
    rows = {r["主题"]: r for r in result.details["栏目对照表"]}
    missing = {r["主题"] for r in rows.values() if not r["已找到"]}
    assert missing == {"财政资金达基层", "公务员招考", "重大建设项目批准和实施", "养老服务", "食品药品安全"}
    assert len(LOCAL_ABSENT) == len(missing) and result.details["统计"]["空白"] == 1
    assert all(r["在公开平台内"] for r in rows.values() if r["已找到"])


def test_basic_affairs_list(tmp_path: Path) -> None:
    listing = dated_list("/xxgk/qzqd/", ["权力清单", "责任清单", "调整说明"])
    pages = platform_site({"/xxgk/qzqd/": ("权责清单", listing)})
    result = check_once(basic_affairs, snapshot_of(tmp_path, pages), SETTINGS)
    assert [r["主题"] for r in result.details["栏目对照表"]] == [
        "机构职能", "单位概况", "政策文件", "国民经济和社会发展统计信息", "财政信息", "政务动态", "权责清单"]
    assert result.details["统计"]["找到"] == 1


@pytest.mark.parametrize("as_of, years", [
    (date(2021, 10, 15), [2020, 2019, 2018]),
    (date(2021, 1, 31), [2020, 2019, 2018]),  # due by 31 January: on that day it must be out
    (date(2021, 1, 30), [2019, 2018, 2017]),
])
def test_annual_report_due_years(as_of: date, years: list[int]) -> None:
    assert due_years(as_of, "01-31", 3) == years


def test_disclosure_platform(tmp_path: Path) -> None:
    reports = ["2020年政府信息公开工作年度报告", "2018年政府信息公开工作年度报告", "关于召开年度工作会议的通知"]
    pages = platform_site({
        "/xxgk/gkzn/": ("公开指南", "<p>本指南说明如何申请公开。</p>"),
        "/xxgk/zd/": ("政府信息公开制度", dated_list("/xxgk/zd/", ["工作制度", "保密审查制度", "考核制度"])),
        "/xxgk/fdzdgknr/": ("法定主动公开内容", '<ul class="g"><li><a href="/xxgk/fdzdgknr/zcwj/">政策文件</a>'
                                                '</li></ul>'),
        "/xxgk/nb/": ("政府信息公开年报", dated_list("/xxgk/nb/", reports)),
    })
    pages["/xxgk/"] = pages["/xxgk/"].replace("</body>", '<form action="/search"><input name="q"></form>'
                                                         '<a href="/files/sqb.docx">申请表下载</a></body>')
    result = check_once(disclosure_platform, snapshot_of(tmp_path, pages), SETTINGS)
    assert result.status == CheckStatus.SCORED, result.reason
    details = result.details
    assert details["政府信息公开平台"] == SITE + "xxgk/"
    assert details["年度报告"]["缺少"] == [2019] and set(details["年度报告"]["已有"]) == {"2018", "2020"}
    assert details["检索页面"] == SITE + "xxgk/" and details["可下载文件"] == [SITE + "files/sqb.docx"]
    names = {c["主题"]: c["名称规范"] for c in details["一级栏目"]}
    assert names == {"政府信息公开指南": False, "政府信息公开制度": True, "法定主动公开内容": True,
                     "政府信息公开年报": True}
    messages = [f.message for f in result.findings]
    assert "栏目名称「公开指南」不规范，应为「政府信息公开指南」" in messages
    assert any("缺少 2019 年政府信息公开工作年度报告" in m for m in messages)
    weights = SETTINGS["platform_weights"]
    expected = 1 - weights["names"] * 0.25 - weights["annual_reports"] / 3
    assert result.score == pytest.approx(expected, abs=1e-3)


def test_no_platform(tmp_path: Path) -> None:
    pages = {"/": page("首页", dated_list("/xw/", ["县政府召开常务会议", "县长调研", "通知"]))}
    result = check_once(disclosure_platform, snapshot_of(tmp_path, pages), SETTINGS)
    assert result.details["政府信息公开平台"] is None and result.score < 0.3
    assert "未找到政府信息公开平台（政府信息公开专栏）" in [f.message for f in result.findings]


def test_topic_columns(tmp_path: Path) -> None:
    """A special topic under the 专题专栏 index: current, progress reports, resources linked."""
    links = ('<ul class="zt-links"><li><a href="/zcwj/">相关政策文件</a></li><li><a href="/bsfw/">办事指南</a></li>'
             '<li><a href="/hdjl/">我要留言</a></li></ul>')
    pages = {"/": page("首页", '<ul class="e"><li><a href="/ztzl/">专题专栏</a></li></ul>'),
             "/ztzl/": page("专题专栏", '<ul class="zt"><li><a href="/ztzl/yqfk/">疫情防控专题</a></li>'
                                      '<li><a href="/ztzl/lwlb/">六稳六保专题</a></li></ul>', "专题专栏"),
             "/ztzl/yqfk/": page("疫情防控专题", dated_list("/ztzl/yqfk/", ["疫苗接种进展通报", "防控通告", "防控指引"],
                                                         "2021-10-10") + links, "疫情防控专题"),
             "/ztzl/lwlb/": page("六稳六保专题", dated_list("/ztzl/lwlb/", ["稳就业", "保民生", "稳外贸"],
                                                         "2021-01-10"), "六稳六保专题")}
    result = check_once(topic_columns, snapshot_of(tmp_path, pages), SETTINGS)
    rows = {r["名称"]: r for r in result.details["专题"]}
    assert set(rows) == {"疫情防控专题", "六稳六保专题"}
    assert rows["疫情防控专题"]["按时更新"] and rows["疫情防控专题"]["工作进展"] == 1
    assert set(rows["疫情防控专题"]["整合资源"]) == {"政策", "服务", "互动"}
    assert not rows["六稳六保专题"]["按时更新"] and rows["六稳六保专题"]["距今天数"] == 278
    weights = SETTINGS["topic_column_weights"]
    expected = (weights["present"] + weights["current"] / 2 + weights["progress"] / 2
                + weights["resources"] * 3 / 8)
    assert result.score == pytest.approx(expected, abs=1e-3)


def test_zone_row_sub_points(tmp_path: Path) -> None:
    pages = {"/": page("首页", '<ul class="e"><li><a href="/cyfz/">产业发展</a></li></ul>'),
             "/cyfz/": page("产业发展", '<ul class="sub"><li><a href="/cyfz/zdcy/">主导产业</a></li>'
                                      '<li><a href="/cyfz/cygh/">产业规划</a></li></ul>'
                        + dated_list("/cyfz/", ["园区电子信息产业集群发展情况", "2021年产业扶持政策解读",
                                                "三季度产业动态"], "2021-10-01"), "产业发展")}
    result = check_once(zone_industry, snapshot_of(tmp_path, pages), SETTINGS)
    assert all(result.details["评估要点"].values()) and result.score == pytest.approx(1.0)
    empty = check_once(zone_industry, snapshot_of(tmp_path / "b", {"/": page("首页", "<p>欢迎</p>")}), SETTINGS)
    assert empty.score == 0.0 and "未找到「产业发展」相关栏目或专栏" in [f.message for f in empty.findings]
