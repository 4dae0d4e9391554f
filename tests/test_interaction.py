"""互动交流 checks without a browser: messages from list and detail pages in several CMS
styles, reply latency and the veto 互动回应差, consultation channels, statistics, surveys,
the knowledge base and 在线访谈."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from auditkit.models import CheckStatus, ResourceStatus
from auditkit.snapshot import Snapshot
from auditkit.testing import check_once, make_snapshot, page_from_html, plugin_settings
from auditkit_plugins.interaction.consultation import add_months, consultation, latency_class
from auditkit_plugins.interaction.knowledge import knowledge_base, online_interview
from auditkit_plugins.interaction.messages import site_messages
from auditkit_plugins.interaction.surveys import is_activity_title, surveys

AS_OF = date(2021, 10, 15)
FIXTURES = Path(__file__).parent / "fixtures" / "services"
SITE = "http://fixture.test"
SETTINGS = plugin_settings("auditkit_plugins.interaction")
OFFLINE = "offline mode: host not contacted"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def snapshot_of(tmp_path: Path, pages: dict[str, str], resources: list[ResourceStatus] = ()) -> Snapshot:
    records = [page_from_html(SITE + path, html, AS_OF) for path, html in pages.items()]
    snapshot = make_snapshot(tmp_path / "db", records, AS_OF, SITE + next(iter(pages)))
    snapshot.store.add_resources(snapshot.run_id, list(resources))
    return snapshot


def test_add_months_and_latency_classes() -> None:
    assert add_months(date(2021, 6, 16), 3) == date(2021, 9, 16)
    assert add_months(date(2021, 11, 30), 3) == date(2022, 2, 28)
    assert add_months(date(2020, 11, 29), 3) == date(2021, 2, 28)
    buckets = [5, 15, 30, 90]
    assert [latency_class(d, buckets) for d in (0, 5, 6, 45, 91, None)] == [
        "≤5 天", "≤5 天", "6–15 天", "31–90 天", ">90 天", "未回复"]


# --- messages in other CMS styles ------------------------------------------------------------


def test_block_list_messages_latency_veto_and_dated_statistics(tmp_path: Path) -> None:
    """丛台区 template style: 留言内容 / 留言时间 / 回复内容 / 回复时间 once per message."""
    resources = [ResourceStatus(url="http://www.hebei12345.gov.cn/", ok=True, skipped=OFFLINE)]
    snap = snapshot_of(tmp_path, {"/zmhd/zxts/": fixture("messages_blocks.html")}, resources)
    messages = site_messages(snap, SETTINGS)
    assert [(str(m.asked), str(m.answered), m.replied) for m in messages] == [
        ("2021-09-27", "2021-09-29", True), ("2021-07-05", "2021-08-20", True),
        ("2021-05-10", "None", False), ("2020-06-18", "None", False)]
    result = check_once(consultation, snap, SETTINGS)
    # the May message is unanswered 5 months later: veto; the 2020 one is outside the year before
    assert [(h.veto, h.url) for h in result.veto_hits] == [("poor_interaction", SITE + "/zmhd/zxts/#3")]
    verdicts = [row["判定"] for row in result.details["留言"]]
    assert verdicts == ["按时回复", "回复超时", "超过 3 个月未回复（否决）", "超期未回复"]
    assert result.details["近一年回复用时分布"] == {"≤5 天": 1, "31–90 天": 1, "未回复": 1}
    stats = result.details["统计数据"][0]
    assert (stats["受理"], stats["办结"], stats["是否及时"]) == (128, 121, "是")
    assert "统计日期 2021-10-10" in stats["依据"]
    # channel: a link to the 12345 platform (external, unverified) is a working channel
    channels = {r["渠道"]: r["判定"] for r in result.details["咨询渠道"]}
    assert channels["链接“我要留言”"] == "未核验（offline mode: host not contacted）（外部平台）"
    # on time 1 of 3 judged (the recent two replies and the overdue May letter)
    weights = SETTINGS["consultation_weights"]
    assert result.score == pytest.approx(weights["channel"] + weights["published"] + weights["timeliness"] / 3
                                         + weights["statistics"], abs=1e-4)


def test_header_table_messages_with_a_form_channel(tmp_path: Path) -> None:
    """A list whose header row is plain <td> cells (信件标题 | 来信时间 | 答复时间 | 答复单位 | 处理状态)."""
    snap = snapshot_of(tmp_path, {"/hdjl/qzxx/": fixture("messages_table.html"),
                                  "/hdjl/qzxx/write.html": fixture("message_form.html")})
    result = check_once(consultation, snap, SETTINGS)
    rows = {r["标题"]: r for r in result.details["留言"]}
    first = rows["关于幼儿园学位不足的建议"]
    assert (first["回复单位"], first["用时（天）"]) == ("区教育局", 3)
    assert rows["咨询公租房申请条件"]["判定"] == "按时回复"  # 15 days: on the limit
    assert rows["夜间施工噪音扰民"]["判定"] == "超期未回复"  # 73 days: late, not yet 3 months
    assert rows["夜间施工噪音扰民"]["页面"] == SITE + "/hdjl/qzxx/2021/0803/xj_3312.html"
    assert not result.veto_hits and result.vetoes_evaluated == ["poor_interaction"]
    form = next(r for r in result.details["咨询渠道"] if r["渠道"] == "留言表单")
    assert form["提交地址"] == SITE + "/hdjl/qzxx/submit.do" and form["方式"] == "POST"
    assert form["字段"] == "title、name、content"  # the hidden siteid is not asked of the visitor
    assert any("未公开留言受理" in f.message for f in result.findings)


def test_no_channel_at_all_is_a_veto_hit(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"/": "<html><body><a href='/news/'>新闻</a></body></html>"})
    result = check_once(consultation, snap, SETTINGS)
    assert result.status == CheckStatus.SCORED and result.score == 0
    assert [h.veto for h in result.veto_hits] == ["poor_interaction"]
    assert "无可用的在线咨询渠道" in result.veto_hits[0].message


def test_broken_channel_link_and_form_without_action(tmp_path: Path) -> None:
    html = ("<html><head><title>我要留言</title></head><body><a href='/ly/'>我要留言</a>"
            "<form action='javascript:void(0)'><textarea name='c'></textarea></form></body></html>")
    records = [page_from_html(SITE + "/", html, AS_OF),
               page_from_html(SITE + "/ly/", "<html><body>错误</body></html>", AS_OF, status=404)]
    snap = make_snapshot(tmp_path / "db", records, AS_OF, SITE + "/")
    result = check_once(consultation, snap, SETTINGS)
    assert [h.veto for h in result.veto_hits] == ["poor_interaction"]
    messages = {f.message for f in result.findings}
    assert "留言表单无法提交（缺少提交地址或提交按钮）" in messages
    assert "咨询投诉入口“我要留言”无法访问（HTTP 404）" in messages


def test_external_platform_only_needs_review(tmp_path: Path) -> None:
    html = "<html><body><a href='http://www.hunan12345.gov.cn/'>12345在线咨询</a></body></html>"
    snap = snapshot_of(tmp_path, {"/": html}, [ResourceStatus(url="http://www.hunan12345.gov.cn/", ok=True,
                                                              skipped=OFFLINE)])
    result = check_once(consultation, snap, SETTINGS)
    assert result.status == CheckStatus.NEEDS_MANUAL_REVIEW and "外部平台" in result.reason


def test_excluded_columns_do_not_trigger_the_veto(tmp_path: Path) -> None:
    html = fixture("messages_blocks.html").replace("咨询投诉", "举报投诉")
    snap = snapshot_of(tmp_path, {"/zmhd/jb/": html})
    assert not check_once(consultation, snap, SETTINGS).veto_hits  # 举报 is no 政务咨询 column


# --- surveys ----------------------------------------------------------------------------------


def test_activity_titles() -> None:
    assert not is_activity_title("征集调查", SETTINGS) and not is_activity_title("意见征集", SETTINGS)
    assert not is_activity_title("网上调查", SETTINGS)
    assert is_activity_title("示例区2021年民生实事项目问卷调查", SETTINGS)


def test_surveys_results_adoption_and_major_decisions(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"/hdjl/yjzj/1.html": fixture("survey_open.html"),
                                  "/hdjl/yjzj/2.html": fixture("survey_closed.html"),
                                  "/hdjl/yjzj/3.html": fixture("survey_no_results.html"),
                                  "/hdjl/yjzj/": "<html><head><title>意见征集</title></head><body></body></html>"})
    result = check_once(surveys, snap, SETTINGS)
    rows = {r["页面"].rsplit("/", 1)[1]: r for r in result.details["征集调查"]}
    assert set(rows) == {"1.html", "2.html", "3.html"}  # the column page is no activity
    assert (rows["1.html"]["状态"], rows["1.html"]["重大决策"], rows["1.html"]["在线参与"]) == ("征集中", "是", "是")
    assert (rows["2.html"]["结果公开"], rows["2.html"]["采纳情况"]) == ("是", "是")
    assert (rows["2.html"]["开始"], rows["2.html"]["结束"]) == ("2021-03-01", "2021-03-31")
    assert rows["3.html"]["结果公开"] == "否"
    assert [f.url for f in result.findings] == [SITE + "/hdjl/yjzj/3.html"]
    # participation 1, activities 3/4, results 1 of 2 due, major decision 1
    assert result.score == pytest.approx(0.2 + 0.3 * 3 / 4 + 0.3 / 2 + 0.2, abs=1e-4)


def test_no_surveys(tmp_path: Path) -> None:
    result = check_once(surveys, snapshot_of(tmp_path, {"/": "<html><body>首页</body></html>"}), SETTINGS)
    assert result.score == 0 and "未找到征集调查活动" in result.findings[0].message


# --- knowledge base and interviews ------------------------------------------------------------------


def test_knowledge_base(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"/qyfw/": fixture("zone_services.html"),
                                  "/qyfw/cjwt/": fixture("zone_knowledge.html")})
    result = check_once(knowledge_base, snap, SETTINGS)
    assert result.details["分类"] == ["人才服务", "企业开办", "政策咨询", "税务办理"]
    assert result.details["最新日期"] == "2021-09-28" and result.details["问答条数"] == 3
    assert result.score == 1.0, result.reason
    empty = check_once(knowledge_base, snapshot_of(tmp_path / "b", {"/": "<html><body></body></html>"}), SETTINGS)
    assert empty.score == 0


def test_online_interview_current_or_stale(tmp_path: Path) -> None:
    column = ("<html><head><title>在线访谈_示例县</title></head><body><ul class='list'>"
              "<li><a href='/ft/3.html'>县教育局局长谈招生</a><span>2021-09-20</span></li>"
              "<li><a href='/ft/2.html'>县医保局谈医保缴费</a><span>2021-03-02</span></li>"
              "<li><a href='/ft/1.html'>县人社局谈就业</a><span>2020-05-11</span></li></ul></body></html>")
    home = "<html><body><a href='/ft/'>在线访谈</a></body></html>"
    result = check_once(online_interview, snapshot_of(tmp_path, {"/": home, "/ft/": column}), SETTINGS)
    assert result.details["最新访谈"] == "2021-09-20" and result.details["近一年期数"] == 2
    assert result.score == pytest.approx(0.4 + 0.4 + 0.2 * 2 / 4)
    stale = column.replace("2021-09-20", "2021-01-20")
    old = check_once(online_interview, snapshot_of(tmp_path / "b", {"/": home, "/ft/": stale}), SETTINGS)
    assert old.findings and "近 90 天无新访谈" in old.findings[0].message


# --- real pages (corpus) ----------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pages" / "ctq.gov.cn-template"


@pytest.mark.corpus
def test_corpus_message_list_and_form(tmp_path: Path) -> None:
    """丛台区 template pages: a 咨询投诉 list printing 留言内容/留言时间/回复内容/回复时间 per
    message, and its 留言 form (inspected, never submitted)."""
    pages = {"/zmhd/zxts/": (CORPUS / "hudong_zixun_tousu.html").read_text(encoding="utf-8"),
             "/zmhd/zxts/form.html": (CORPUS / "hudong_form.html").read_text(encoding="utf-8")}
    records = [page_from_html(SITE + path, html, date(2019, 3, 1)) for path, html in pages.items()]
    snap = make_snapshot(tmp_path / "db", records, date(2019, 3, 1), SITE + "/zmhd/zxts/")
    messages = site_messages(snap, SETTINGS)
    assert [(str(m.asked), m.latency) for m in messages] == [("2019-02-15", 5), ("2019-01-26", 2), ("2019-01-17", 6)]
    assert all("咨询投诉" in m.channel for m in messages)
    result = check_once(consultation, snap, SETTINGS)
    form = next(r for r in result.details["咨询渠道"] if r["渠道"] == "留言表单")
    assert form["提交地址"] == "http://www.hd.gov.cn/infogate/CustomInfoViewDataAdapt" and form["方式"] == "POST"
    assert form["字段"] == "title、content、name、phone、email、code、address"
    assert not result.veto_hits and all(r["判定"] == "按时回复" for r in result.details["留言"])
