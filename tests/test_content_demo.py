"""The content checks on the audited demo site: the column map, 法定主动公开, the 公开 platform,
业务专栏, 政策解读, 数据开放, 集约共享 and 网站推广 find what DEFECTS.md plants, and only that."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.demo.defects import planted
from auditkit.models import AuditResult, CheckStatus, RowStatus
from auditkit.report import render_report

from .conftest import AS_OF

pytestmark = pytest.mark.browser

# 22 of the 23 topics; the names the demo gives them
DEMO_NAMES = {"机构职能": "机构概况", "国民经济和社会发展统计信息": "统计信息", "财政预决算": "财政信息",
              "重大会议": "重要会议", "稳岗就业": "就业创业", "生态环境": "环境保护", "食品药品安全": "食品药品监管",
              "政策文件": "政策文件", "建议提案": "建议提案", "重大建设项目批准和实施": "重大建设项目"}


@pytest.fixture(scope="module")
def audit(demo_audit: tuple[AuditResult, Path], demo_url: str) -> tuple[AuditResult, str]:
    return demo_audit[0], demo_url.rstrip("/")


def test_column_map(audit) -> None:
    result, base = audit
    check = result.check("info_disclosure.mandatory_disclosure")
    rows = {r["主题"]: r for r in check.details["栏目对照表"]}
    assert {t for t, r in rows.items() if not r["已找到"]} == {"财政资金达基层"}  # planted("missing_topic")
    assert {t: rows[t]["栏目名称"] for t in DEMO_NAMES} == DEMO_NAMES
    assert all(r["在公开平台内"] for r in rows.values() if r["已找到"])
    assert {t for t, r in rows.items() if r["有内容"] is False} == {"建议提案", "重大建设项目批准和实施"}
    budgets = rows["财政预决算"]
    assert budgets["栏目地址"] == base + planted("news_in_place").path  # not the 财政预算 news decoy
    assert planted("budget_news_decoy").path not in str(check.details)
    assert budgets["内容实用"] is False and budgets["新闻条数"] == 3
    assert rows["政府采购"]["信息条数"] == 2 and rows["政府采购"]["置信度"] == 1.0
    flagged = {f.url.removeprefix(base) for f in check.findings if f.url}
    assert flagged == {planted("news_in_place").path, planted("empty_column").path, planted("empty_column_2").path}
    assert check.details["政府信息公开平台"] == base + "/xxgk/"


def test_the_report_shows_the_column_map(audit) -> None:
    result, _ = audit
    html = render_report(result)
    section = html[html.index('id="check-info_disclosure.mandatory_disclosure"'):]
    assert "栏目对照表" in section and "<th>栏目名称</th>" in section and "食品药品监管" in section


def test_disclosure_platform(audit) -> None:
    result, base = audit
    check = result.check("info_disclosure.disclosure_platform")
    reports = check.details["年度报告"]
    assert reports["缺少"] == [AS_OF.year - 2] and planted("annual_report_missing").path == "/xxgk/nb/"
    assert all(c["名称规范"] and c["在公开平台内"] for c in check.details["一级栏目"])
    assert check.details["检索页面"] and base + "/uploads/xxgk/ysqgk_sqb.docx" in check.details["可下载文件"]
    assert all(t["同源"] for t in check.details["两处发布的栏目"])
    assert [f.message for f in check.findings] == [f"缺少 {AS_OF.year - 2} 年政府信息公开工作年度报告"
                                                   f"（应于 {AS_OF.year - 1} 年 1 月 31 日前发布）"]


def test_topic_columns(audit) -> None:
    result, base = audit
    check = result.check("info_disclosure.topic_columns")
    (topic,) = check.details["专题"]
    assert topic["地址"] == base + planted("special_topic").path and topic["按时更新"] and topic["工作进展"] >= 1
    assert set(topic["整合资源"]) == {"政策", "服务", "知识", "互动"}
    assert check.details["打不开的专题链接"] == [base + "/ztzl/yhyshj/"]  # the home page's broken banner
    assert 0 < check.score < 1


def test_policy_interpretation(audit) -> None:
    result, base = audit
    ratio = result.check("policy_interpretation.ratio")
    assert (ratio.details["文件数"], ratio.details["有解读"]) == (6, 4)
    assert {f.url.removeprefix(base) for f in ratio.findings} == {"/zcwj/content_40005.html",
                                                                  "/zcwj/content_40006.html"}
    quality = result.check("policy_interpretation.quality")
    rows = {r["地址"].removeprefix(base): r for r in quality.details["解读"]}
    complete = rows[planted("interpretation_complete").path]
    assert complete["解读要素"] == ["背景依据", "目标任务", "主要内容", "解决的问题"]
    assert rows[planted("interpretation_incomplete").path]["解读要素"] == ["主要内容", "解决的问题"]
    assert quality.details["解读形式"] == ["图解"]  # the 图解 of 40002
    assert any("关联的文件" in f.message and "打不开" in f.message and f.url == base + "/zcjd/content_40105.html"
               for f in quality.findings)
    targeted = result.check("policy_interpretation.targeted")
    signals = [targeted.details[k] for k in ("精准分类", "精准送达", "关联申报")]
    assert signals == [True, False, True]


def test_open_data_consolidation_and_promotion(audit) -> None:
    result, base = audit
    platform = result.check("open_data.platform")
    assert platform.status == CheckStatus.SCORED and len(platform.details["数据集"]) == 2
    assert platform.details["覆盖领域"] == ["医疗卫生", "机构团体"]
    assert result.check("open_data.use").details["数据申请"] == ["申请开放"]
    functions = result.check("consolidation.platform_functions")
    assert functions.details["主要搜索入口"] == base + "/search" and functions.details["登录系统"] == {}
    assert "未见统一身份认证（登录）入口" in [f.message for f in functions.findings]  # planted("no_single_sign_on")
    promotion = result.check("site_design.promotion")
    channels = promotion.details["入口"]
    assert channels["官方微博"] == ["https://weibo.com/qingshanfabu"] and len(channels["微信公众号"]) == 1
    assert channels["移动客户端（App）"] == channels["多语言版本"] == []  # planted("promotion_incomplete")


def test_content_rows_have_reasoned_scores(audit) -> None:
    result, _ = audit
    for key in ("信息发布/法定主动公开", "信息发布/政府信息公开平台", "信息发布/业务专栏", "政策解读/解读比例",
                "政策解读/解读质量", "政策解读/精准解读"):
        row = result.row(key)
        assert row.points is not None and 0 < row.points < row.weight, (key, row.reason)
        assert row.status in (RowStatus.SCORED, RowStatus.PARTIAL) and "得分率" in row.reason, key
    assert result.row("信息发布/法定主动公开").status == RowStatus.PARTIAL  # accuracy stays with a person
