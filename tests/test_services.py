"""办事服务 checks without a browser: the labelled-field engine, guide extraction against the
hand-labelled answer file (demo guides and fixture pages in other CMS styles), downloads,
online depth, lists, queries, integration and the development-zone themes."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from auditkit.demo.app import DemoApp
from auditkit.linkcheck import LinkChecker
from auditkit.models import CheckStatus, ResourceStatus
from auditkit.settings import LinkCheckSettings
from auditkit.snapshot import Snapshot
from auditkit.testing import check_once, make_snapshot, page_from_html, plugin_settings, send
from auditkit_plugins.services.accuracy import downloads, guide_elements
from auditkit_plugins.services.depth import online_depth
from auditkit_plugins.services.fields import (
    Labels,
    extract_fields,
    group_records,
    header_tables,
    heading,
    page_chunks,
)
from auditkit_plugins.services.guides import Guide, read_guide
from auditkit_plugins.services.integration import THEME_CHECKS, integration, is_platform, platform_integration
from auditkit_plugins.services.lists import convenience_queries, local_lists, ministry_catalogue, zone_catalogue

AS_OF = date(2021, 10, 15)
FIXTURES = Path(__file__).parent / "fixtures" / "services"
EXPECTED = yaml.safe_load((FIXTURES / "guides_expected.yaml").read_text(encoding="utf-8"))
SITE = "http://fixture.test"
SETTINGS = plugin_settings("auditkit_plugins.services")
OFFLINE = "offline mode: host not contacted"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def snapshot_of(tmp_path: Path, pages: dict[str, str], resources: list[ResourceStatus] = (),
                start: str = "/") -> Snapshot:
    """A snapshot of fixture pages at SITE paths, with the link checker's results."""
    records = [page_from_html(SITE + path, html, AS_OF) for path, html in pages.items()]
    snapshot = make_snapshot(tmp_path / "db", records, AS_OF, SITE + start)
    snapshot.store.add_resources(snapshot.run_id, list(resources))
    return snapshot


def read(url: str, html: str) -> Guide | None:
    page = page_from_html(url, html, AS_OF)
    tree = LexborHTMLParser(html)
    hints = SETTINGS["layout_hints"]
    return read_guide(page, page_chunks(tree, page.url, hints), heading(tree, hints), SETTINGS)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- the labelled-field engine ------------------------------------------------------------


LABELS = Labels({"place": ["办理地点", "受理地点"], "fee": ["收费标准", "收费依据及标准"], "asked": ["留言时间"]})


@pytest.mark.parametrize(("text", "expected"), [
    ("办理地点", ("place", "办理地点", "")),
    ("办理地点：县政务服务中心", ("place", "办理地点", "县政务服务中心")),
    ("三、受理地点: 窗口", ("place", "受理地点", "窗口")),
    ("【收费依据及标准】不收费", ("fee", "收费依据及标准", "不收费")),
    ("收 费 标 准（元）：200", ("fee", "收费标准", "200")),
    ("办理地点在县城", None),  # prose, not a label
    ("请到办理地点办理", None),
])
def test_labels_match_only_at_line_start_with_a_separator(text: str, expected: tuple | None) -> None:
    assert LABELS.match(text) == expected


@pytest.mark.parametrize(("html", "layout"), [
    ("<table><tr><th>办理地点</th><td>一楼</td></tr><tr><th>收费标准</th><td>不收费</td></tr></table>", "table"),
    ("<table><tr><td>办理地点</td><td>一楼</td><td>收费标准</td><td>不收费</td></tr></table>", "table"),
    ("<dl><dt>办理地点：</dt><dd>一楼</dd><dt>收费标准：</dt><dd>不收费</dd></dl>", "dl"),
    ("<div><h3>办理地点</h3><p>一楼</p><h3>收费标准</h3><p>不收费</p></div>", "sections"),
    ("<div><p><b>办理地点：</b>一楼</p><p><b>收费标准：</b>不收费</p></div>", "inline"),
    ("<div>办理地点：一楼<br>收费标准：不收费</div>", "inline"),
])
def test_fields_from_every_layout(html: str, layout: str) -> None:
    tree = LexborHTMLParser(f"<html><body>{html}<div class='footer'>办理地点：页脚</div></body></html>")
    fields = extract_fields(page_chunks(tree, SITE + "/", ["footer"]), LABELS)
    assert [(f.label, f.value, f.layout) for f in fields] == [("place", "一楼", layout), ("fee", "不收费", layout)]


def test_repeated_labels_split_into_records_and_header_tables() -> None:
    tree = LexborHTMLParser("<ul><li><p>留言时间：2021-01-02</p><p>办理地点：甲</p></li>"
                            "<li><p>留言时间：2021-02-03</p></li></ul>")
    records = group_records(extract_fields(page_chunks(tree, SITE + "/", []), LABELS))
    assert [r["asked"].value for r in records] == ["2021-01-02", "2021-02-03"]
    table = LexborHTMLParser("<table><tr><td>序号</td><td>留言时间</td><td>办理地点</td></tr>"
                             "<tr><td>1</td><td>2021-01-02</td><td><a href='/a.html'>甲</a></td></tr></table>"
                             "<table><tr><th>留言时间</th><td>2021-01-02</td><th>办理地点</th><td>乙</td></tr></table>")
    rows = header_tables(table, SITE + "/", LABELS)
    # the second table pairs labels with values in one row: no header, no rows
    assert [(r.values, r.links) for r in rows] == [({"asked": "2021-01-02", "place": "甲"}, [(SITE + "/a.html", "甲")])]


# --- the answer file ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_app() -> DemoApp:
    return DemoApp(AS_OF)


@pytest.mark.parametrize("key", list(EXPECTED))
def test_guide_extraction_matches_the_answer_file(key: str, demo_app: DemoApp) -> None:
    """Demo guides as the demo serves them, fixture guides as saved: every element, field by field."""
    html = demo_app.handle("GET", key).body.decode("utf-8") if key.startswith("/") else fixture(key)
    guide = read(SITE + (key if key.startswith("/") else "/" + key), html)
    assert guide is not None, key
    expected = EXPECTED[key]
    assert set(expected) == set(guide.elements), "the answer file lists all 11 elements"
    for name, answer in expected.items():
        element = guide.elements[name]
        if answer in ("missing", "empty"):
            assert element.status == answer, (key, name, element)
        else:
            assert element.status == "present", (key, name, element)
            assert _flat(element.value) == _flat(str(answer)), (key, name)


def test_demo_covers_four_layouts_and_all_guides_are_in_the_answer_file(demo_app: DemoApp) -> None:
    app = demo_app
    assert {g.path for g in app.site.guides} == {k for k in EXPECTED if k.startswith("/")}
    assert {g.guide.layout for g in app.site.guides} == {"table", "dl", "sections", "inline"}


def test_pages_that_are_no_guide() -> None:
    contact = ("<html><body><h1>依申请公开</h1><p>受理机构：县政府办公室</p><p>办公地址：人民路1号</p>"
               "<p>办公时间：工作日</p><p>联系电话：0731-1</p>"
               "<p>申请表下载：<a href='/a.docx'>申请表</a></p></body></html>")
    assert read(SITE + "/ysqgk/", contact) is None  # contact labels only: no 设定依据, 申请条件, 材料, 流程
    news = "<html><body><h1>新闻</h1><p>县政务服务中心推出延时服务，申请条件放宽。</p></body></html>"
    assert read(SITE + "/news.html", news) is None


# --- services.guide_elements ------------------------------------------------------------------


def test_guide_elements_scores_and_keeps_the_veto_clear(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"/": "<html><body><a href='/g1.html'>办事服务</a></body></html>",
                                  "/g1.html": fixture("trs_guide.html"), "/g2.html": fixture("hanweb_guide.html"),
                                  "/g3.html": fixture("zone_guide_incomplete.html")})
    result = check_once(guide_elements, snap, SETTINGS)
    assert result.status == CheckStatus.SCORED
    # 11 + 6 + 4 of 11 elements present
    assert result.score == pytest.approx((11 + 6 + 4) / 33, abs=1e-4)
    rows = {r["页面"]: r for r in result.details["各指南要素"]}
    assert rows[SITE + "/g2.html"]["内容空泛"] == "设定依据、办理流程"
    assert rows[SITE + "/g3.html"]["关键要素"] == "4/10"
    # 2 of 3 guides lack ≥ 3 key elements: 67 % ≥ 50 % → 服务不实用
    assert [h.veto for h in result.veto_hits] == ["services_unusable"]
    assert "services_unusable" in result.vetoes_evaluated
    messages = " ".join(f.message for f in result.findings)
    assert "缺少 7 项要素" in messages and "“设定依据”内容空泛：无" in messages


def test_guide_elements_veto_stays_clear_on_a_few_gaps(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"/g1.html": fixture("trs_guide.html"), "/g2.html": fixture("trs_guide.html")
                                  .replace("食品经营许可（新办）", "食品经营许可（变更）"),
                                  "/g3.html": fixture("zone_guide_incomplete.html")})
    result = check_once(guide_elements, snap, SETTINGS)
    assert not result.veto_hits and result.vetoes_evaluated == ["services_unusable"]
    assert "1/3（33%）" in result.details["否决判定"]


def test_no_guides_needs_review_or_vetoes_when_there_is_no_service_at_all(tmp_path: Path) -> None:
    platform = snapshot_of(tmp_path / "a", {"/": "<html><body><a href='http://zwfw.x.gov.cn/'>政务服务</a></body></html>"})
    assert check_once(guide_elements, platform, SETTINGS).status == CheckStatus.NEEDS_MANUAL_REVIEW
    nothing = snapshot_of(tmp_path / "b", {"/": "<html><body><a href='/news/'>新闻</a></body></html>"})
    result = check_once(guide_elements, nothing, SETTINGS)
    assert result.score == 0 and [h.veto for h in result.veto_hits] == ["services_unusable"]


# --- services.downloads -------------------------------------------------------------------------


def test_downloads_deduct_each_failure_with_evidence(tmp_path: Path) -> None:
    doc = SITE + "/upload/zwfw/spjyxk_sqs.doc"
    pdf = SITE + "/art/2021/6/2/sgxk_clqd.pdf"
    resources = [
        ResourceStatus(url=doc, status=200, ok=True, content_type="text/html; charset=utf-8"),  # an error page
        ResourceStatus(url=pdf, status=200, ok=True, content_type="application/pdf", content_length=0),
        ResourceStatus(url="http://www.hbzwfw.gov.cn/hbzw/sxcx/item/130403-spjyxk.do", ok=True, skipped=OFFLINE),
    ]
    snap = snapshot_of(tmp_path, {"/g1.html": fixture("trs_guide.html"), "/g2.html": fixture("hanweb_guide.html")},
                       resources)
    result = check_once(downloads, snap, SETTINGS)
    assert result.deduction == 1.0  # two attachments × 0.5
    notes = {r["链接"]: r["结果"] for r in result.details["各链接"]}
    assert notes[doc].startswith("返回网页而非文件") and notes[pdf] == "文件为空（0 字节）"
    assert result.details["未核验"] == 1  # the platform link is external: judged by nobody, never fetched
    assert {f.url for f in result.findings} == {SITE + "/g1.html", SITE + "/g2.html"}


def test_downloads_read_a_404_and_a_working_file(tmp_path: Path) -> None:
    doc = SITE + "/upload/zwfw/spjyxk_sqs.doc"
    ok = [ResourceStatus(url=doc, status=200, ok=True, content_type="application/msword", content_length=22528)]
    assert check_once(downloads, snapshot_of(tmp_path / "a", {"/g.html": fixture("trs_guide.html")}, ok),
                      SETTINGS).deduction == 0
    missing = [ResourceStatus(url=doc, status=404, ok=False)]
    result = check_once(downloads, snapshot_of(tmp_path / "b", {"/g.html": fixture("trs_guide.html")}, missing),
                        SETTINGS)
    assert result.deduction == 0.5 and "无法访问（HTTP 404）" in result.findings[0].message


def test_link_checker_records_the_declared_length(serve) -> None:
    site = serve({"/a.doc": lambda h: send(h, 200, b"", "application/msword"),
                  "/b.doc": lambda h: send(h, 200, b"x" * 100, "application/msword")})
    checker = LinkChecker(LinkCheckSettings(retries=0), "auditkit-test", None)
    found = asyncio.run(checker.check_all([site.url("/a.doc"), site.url("/b.doc")], {"127.0.0.1"}))
    assert {r.url.rsplit("/", 1)[1]: r.content_length for r in found} == {"a.doc": 0, "b.doc": 100}


# --- services.online_depth --------------------------------------------------------------------


def test_online_depth_levels(tmp_path: Path) -> None:
    resources = [ResourceStatus(url="http://www.hbzwfw.gov.cn/hbzw/sxcx/item/130403-spjyxk.do", ok=True,
                                skipped=OFFLINE)]
    fully = fixture("trs_guide.html").replace("三级（在线预审）", "全程网办")
    snap = snapshot_of(tmp_path, {"/g1.html": fixture("trs_guide.html"), "/g2.html": fixture("hanweb_guide.html"),
                                  "/g3.html": fully.replace("食品经营许可（新办）", "食品经营许可（延续）")}, resources)
    result = check_once(online_depth, snap, SETTINGS)
    assert result.details["分布"] == {"全程网办": 1, "在线预审/在线申报": 1, "仅信息公开": 1}
    assert result.score == pytest.approx((1 + 0.6 + 0) / 3, abs=1e-4)


# --- lists and queries ------------------------------------------------------------------------


def test_ministry_catalogue_and_local_lists(tmp_path: Path) -> None:
    pages = {"/": fixture("ministry_catalogue.html"),
             "/zwfw/sxml/": "<html><head><title>政务服务事项目录</title></head><body>目录</body></html>"}
    resources = [ResourceStatus(url=SITE + "/zwfw/bjmsp/", status=404, ok=False)]
    snap = snapshot_of(tmp_path, pages, resources)
    ministry = check_once(ministry_catalogue, snap, SETTINGS)
    rows = {r["清单"]: r["结果"] for r in ministry.details["清单"]}
    assert rows == {"政务服务事项目录": "可访问（页面标题）", "跑动次数清单": "无法访问（HTTP 404）"}
    assert ministry.score == 0.5 and any("不见面审批" in f.message for f in ministry.findings)
    local = check_once(local_lists, snap, SETTINGS)
    assert local.score == 0 and "权责清单" in local.reason


def test_zone_catalogue_counts_external_lists_as_unverified(tmp_path: Path) -> None:
    html = ("<html><body><a href='/ml/'>政务服务事项目录</a><a href='http://zwfw.x.gov.cn/tb/'>跨省通办事项</a>"
            "<a href='/zj/'>中介服务事项清单</a></body></html>")
    snap = snapshot_of(tmp_path, {"/": html, "/ml/": "<html><body>目录</body></html>",
                                  "/zj/": "<html><body>清单</body></html>"},
                       [ResourceStatus(url="http://zwfw.x.gov.cn/tb/", ok=True, skipped=OFFLINE)])
    result = check_once(zone_catalogue, snap, SETTINGS)
    assert result.score == pytest.approx(3 / 5)
    assert "1 类的链接指向外部平台" in result.reason


def test_convenience_queries_by_topic(tmp_path: Path) -> None:
    html = ("<html><body><a href='/cx/'>便民查询</a><a href='http://gjj.x.gov.cn/q'>公积金查询</a>"
            "<a href='/cx/sb.html'>社保缴费查询</a><a href='/cx/bj.html'>办件进度查询</a>"
            "<a href='/cx/old.html'>违章查询</a>"
            "<a href='/a.html'>关于开展2021年度企业年报公示信息抽查查询工作的通知</a></body></html>")
    resources = [ResourceStatus(url="http://gjj.x.gov.cn/q", ok=True, skipped=OFFLINE)]
    pages = {"/": html, "/cx/sb.html": "<html><body>社保</body></html>",
             "/cx/bj.html": "<html><body>办件</body></html>"}
    records = [page_from_html(SITE + p, h, AS_OF) for p, h in pages.items()]
    records.append(page_from_html(SITE + "/cx/old.html", "<html><body>404</body></html>", AS_OF, status=404))
    snap = make_snapshot(tmp_path / "db", records, AS_OF, SITE + "/")
    snap.store.add_resources(snap.run_id, resources)
    result = check_once(convenience_queries, snap, SETTINGS)
    assert result.details["覆盖领域"] == ["公积金", "办件进度", "社保医保"]  # 违章 is broken
    assert result.score == pytest.approx(3 / 6)
    assert [f.message for f in result.findings] == ["便民查询“违章查询”无法访问（HTTP 404）"]
    assert "便民查询" not in {r["查询"] for r in result.details["查询服务"]}  # the column, no query


# --- integration, platform, zone themes -----------------------------------------------------------


def test_platform_hosts() -> None:
    assert is_platform("http://zwfw-new.hunan.gov.cn/x") and is_platform("https://www.gdzwfw.gov.cn/")
    assert is_platform("https://zwdt.sh.gov.cn/govPortals/") and is_platform("http://gjzwfw.gov.cn/")
    assert not is_platform("http://www.hunan.gov.cn/") and not is_platform("http://www.beian.gov.cn/")


def _zone(tmp_path: Path) -> Snapshot:
    pages = {"/": fixture("zone_services.html"), "/qyfw/": fixture("zone_services.html"),
             "/qyfw/qykb/": fixture("zone_theme_qykb.html"), "/qyfw/cjwt/": fixture("zone_knowledge.html")}
    external = ["https://zwfw.example-prov.gov.cn/sso/login", "https://zwfw.example-prov.gov.cn/theme/jyns.html",
                "https://zwfw.example-prov.gov.cn/item/kfq-0001.html", "https://zwfw.example-prov.gov.cn/"]
    return snapshot_of(tmp_path, pages, [ResourceStatus(url=u, ok=True, skipped=OFFLINE) for u in external])


def test_platform_integration(tmp_path: Path) -> None:
    result = check_once(platform_integration, _zone(tmp_path), SETTINGS)
    where = {r["入口"]: r["去向"] for r in result.details["服务入口"]}
    assert where["在线办理"] == where["示例省政务服务网"] == "统一政务服务平台"
    assert where["在线申报"] == "本站页面"
    assert result.details["统一身份认证"][0]["入口"] == "统一身份认证登录"
    # online entries: 2 of 3 jump (the theme page's 在线办理 included); single sign-on found
    assert result.score == pytest.approx(0.6 * 2 / 3 + 0.4, abs=1e-4)
    assert any("在线申报" in f.message and f.url == SITE + "/" for f in result.findings)


def test_zone_themes(tmp_path: Path) -> None:
    snap = _zone(tmp_path)
    results = {c.id: check_once(c, snap, SETTINGS) for c in THEME_CHECKS}
    startup = results["services.theme_business_startup"]
    assert startup.details["未整合服务"] == ["银行开户"] and startup.details["一件事一次办"] is True
    assert startup.details["已汇聚资源"] == ["企业设立", "登记备案", "中介代理"]
    assert startup.score == pytest.approx(0.2 + 0.35 * 3 / 4 + 0.25 + 0.1 + 0.1, abs=1e-4)
    # 经营纳税 jumps to the platform (not crawled): the evaluator must look there
    assert results["services.theme_operation_tax"].status == CheckStatus.NEEDS_MANUAL_REVIEW
    assert results["services.theme_public_services"].score == 0  # no entry at all
    for result in results.values():
        assert result.status in (CheckStatus.SCORED, CheckStatus.NEEDS_MANUAL_REVIEW), result.reason


def test_integration_audience_life_events_and_packages(tmp_path: Path) -> None:
    home = ("<html><body><div class='nav'><a href='/bsfw/'>办事服务</a></div>"
            "<a href='/bsfw/yjs/'>一件事一次办</a></body></html>")
    area = ("<html><body><div class='tabs'><a href='/bsfw/gr/'>个人办事</a><a href='/bsfw/fr/'>法人办事</a></div>"
            "<ul><li><a href='/bsfw/jy/'>教育</a></li><li><a href='/bsfw/sb/'>社会保障</a></li></ul></body></html>")
    packages = ("<html><head><title>一件事一次办</title></head><body><ul>"
                "<li><a href='/bsfw/yjs/1.html'>我要开饭店一件事</a></li>"
                "<li><a href='http://zwfw.x.gov.cn/yjs/2'>新生儿出生“一件事”</a></li></ul></body></html>")
    package = ("<html><head><title>我要开饭店一件事_示例县</title></head><body><table>"
               "<tr><th>序号</th><th>事项</th></tr><tr><td>1</td><td>营业执照登记</td></tr>"
               "<tr><td>2</td><td>食品经营许可</td></tr></table><a href='http://zwfw.x.gov.cn/yjs/1'>在线办理</a>"
               "</body></html>")
    snap = snapshot_of(tmp_path, {"/": home, "/bsfw/": area, "/bsfw/yjs/": packages, "/bsfw/yjs/1.html": package})
    result = check_once(integration, snap, SETTINGS)
    assert result.details["个人导航"] == ["个人办事"] and result.details["法人导航"] == ["法人办事"]
    covered = {k for k, v in result.details["高频领域导航"].items() if v != "—"}
    assert covered == {"教育", "社保"}
    packages_found = {p["名称"]: (p["事项/步骤数"], p["在线办理"]) for p in result.details["一件事一次办"]}
    assert packages_found == {"我要开饭店一件事": (2, "是"), "新生儿出生“一件事”": ("未抓取", "是")}
    assert result.score == pytest.approx(0.3 * 1 + 0.3 * 2 / 5 + 0.4 * 2 / 5, abs=1e-4)
