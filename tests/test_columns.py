"""Column discovery (auditkit.columns): topics found under whatever name a CMS gives them, absent
ones reported absent — on hand-written pages and on two fixture sites of different CMS families
(a TRS-style city portal, a GBK Hanweb-style county portal whose navigation is built by script)."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import httpx
import pytest

from auditkit.browser import BrowserSession
from auditkit.columns import ColumnMap, default_rules, discover, site_structure
from auditkit.crawler import Crawler
from auditkit.settings import Settings
from auditkit.snapshot import Snapshot
from auditkit.store import Store
from auditkit.testing import declared_charset, folder_pages, make_snapshot, serve_folder
from auditkit.text import Segmenter
from auditkit.urls import LOOPBACK_HOSTS

from .conftest import AS_OF

SITES = Path(__file__).parent / "fixtures" / "sites"
SITE = "http://www.qs.gov.cn/"

# The same county content on both fixture sites, under each CMS's own column names.
LOCAL_ABSENT = {"funds_to_grassroots", "civil_service_exams", "major_projects", "elderly_care", "food_drug_safety"}
LOCAL_PRESENT = {t.id for t in default_rules().topics_in("local")} - LOCAL_ABSENT
NAMES = {
    "trs_city": {"organization": "机构设置", "policy_documents": "规范性文件", "plans": "发展规划",
                 "statistics": "统计数据", "licensing": "行政审批", "penalties": "行政处罚", "budgets": "预决算公开",
                 "fees": "收费清单", "procurement": "采购信息", "proposals": "人大建议政协提案",
                 "major_meetings": "常务会议", "decision_preview": "决策预公开", "compulsory_education": "招生入学",
                 "social_security": "社会救助", "employment": "促进就业", "environment": "环境信息",
                 "health": "卫生健康", "work_safety": "应急管理", "disclosure_platform": "政府信息公开",
                 "annual_report": "政府信息公开年报", "interpretation": "文件解读"},
    # partial and reordered names (行政强制和处罚, 财政预算与决算, 发展计划和规划) are found by jieba words
    "hanweb_county": {"organization": "职能配置", "policy_documents": "文件资料", "plans": "发展计划和规划",
                      "statistics": "统计资料", "licensing": "行政许可信息", "penalties": "行政强制和处罚",
                      "budgets": "财政预算与决算", "fees": "收费项目", "procurement": "招标采购",
                      "proposals": "建议提案办理", "major_meetings": "政府会议", "decision_preview": "重大行政决策",
                      "compulsory_education": "教育公开", "social_security": "社保信息", "employment": "就业创业",
                      "environment": "生态环保", "health": "公共卫生", "work_safety": "安全监管",
                      "disclosure_platform": "信息公开", "annual_report": "公开年报", "interpretation": "政策解读"},
}


def page(title: str, body: str, crumbs: str = "") -> str:
    trail = f'<div class="position">当前位置：<a href="/">首页</a> &gt; {crumbs}</div>' if crumbs else ""
    return (f"<html><head><title>{title}_青山县人民政府</title></head><body>"
            f'<div class="nav"><a href="/">首页</a></div>{trail}{body}</body></html>')


def dated_list(prefix: str, titles: list[str], day: str = "2021-09-20") -> str:
    return "<ul class='list'>" + "".join(f'<li><a href="{prefix}a{i}.html">{t}</a><span>{day}</span></li>'
                                        for i, t in enumerate(titles)) + "</ul>"


def snapshot_of(tmp_path: Path, pages: dict[str, str]) -> Snapshot:
    return make_snapshot(tmp_path / "s.db", {SITE.rstrip("/") + p: h for p, h in pages.items()}, AS_OF, SITE)


def fixture_map(tmp_path: Path, name: str) -> ColumnMap:
    records = folder_pages(SITES / name, "http://127.0.0.1:8/", AS_OF)
    return discover(make_snapshot(tmp_path / f"{name}.db", records, AS_OF))


def answers(cmap: ColumnMap, list_name: str) -> dict[str, bool]:
    return {t.id: cmap.topic(t.id).found for t in cmap.rules.topics_in(list_name)}


# --- matching names --------------------------------------------------------------------


def test_synonyms_partial_and_reordered_names(tmp_path: Path) -> None:
    grid = "".join(f'<li><a href="/c{i}/">{name}</a></li>' for i, name in enumerate(
        ["机构概况", "预决算", "行政强制和处罚", "文件资料", "计划规划"]))
    pages = {"/": page("首页", f'<ul class="grid">{grid}</ul>')}
    pages |= {f"/c{i}/": page(name, dated_list(f"/c{i}/", ["第一条", "第二条", "第三条"]), name)
              for i, name in enumerate(["机构概况", "预决算", "行政强制和处罚", "文件资料", "计划规划"])}
    cmap = discover(snapshot_of(tmp_path, pages))
    found = {t: (m.name_found, m.url.removeprefix(SITE.rstrip("/"))) for t, m in cmap.matches.items() if m.found
             and t in ("organization", "budgets", "penalties", "policy_documents", "plans")}
    assert found == {"organization": ("机构概况", "/c0/"), "budgets": ("预决算", "/c1/"),
                     "penalties": ("行政强制和处罚", "/c2/"), "policy_documents": ("文件资料", "/c3/"),
                     "plans": ("计划规划", "/c4/")}
    assert cmap.topic("organization").confidence == 1.0 > cmap.topic("penalties").confidence >= 0.5
    organization = cmap.topic("organization")
    assert organization.items == 3 and organization.newest == date(2021, 9, 20) and organization.kind == "column"
    assert any("机构概况" in e for e in organization.evidence)


def test_an_article_naming_a_topic_is_not_its_column(tmp_path: Path) -> None:
    """财政预算 in a news title, linked from the home page and a news list, is no 财政预决算 column."""
    news = ["县人大常委会审议财政预算调整方案", "县政府召开常务会议", "县长调研乡村振兴工作"]
    pages = {"/": page("首页", dated_list("/xwzx/", news)),
             "/xwzx/": page("要闻动态", dated_list("/xwzx/", news), "要闻动态"),
             "/xwzx/a0.html": page(news[0], f"<h1>{news[0]}</h1><p>发布时间：2021-09-20</p><p>正文</p>",
                                   '<a href="/xwzx/">要闻动态</a> &gt; 正文')}
    cmap = discover(snapshot_of(tmp_path, pages))
    assert not cmap.topic("budgets").found and cmap.topic("budgets").url is None
    assert cmap.topic("news").found and cmap.topic("news").name_found == "要闻动态"


def test_url_hint_finds_a_column_with_an_unexpected_name(tmp_path: Path) -> None:
    pages = {"/": page("首页", '<ul class="grid"><li><a href="/xxgk/zfcg/">阳光交易</a></li></ul>'),
             "/xxgk/zfcg/": page("阳光交易", dated_list("/xxgk/zfcg/", ["甲", "乙", "丙"]), "阳光交易")}
    match = discover(snapshot_of(tmp_path, pages)).topic("procurement")
    assert match.found and match.confidence == default_rules().matching.url_only_score
    assert "网址含「zfcg」" in match.evidence


def test_excluded_words_and_rival_topics(tmp_path: Path) -> None:
    """政策解读 is never 政策文件; 机构概况 is 机构职能 and not also 单位概况 in the zones' list."""
    grid = '<ul class="grid"><li><a href="/zcjd/">政策解读</a></li><li><a href="/jggk/">机构概况</a></li></ul>'
    pages = {"/": page("首页", grid),
             "/zcjd/": page("政策解读", dated_list("/zcjd/", ["解读一", "解读二", "解读三"]), "政策解读"),
             "/jggk/": page("机构概况", dated_list("/jggk/", ["一", "二", "三"]), "机构概况")}
    cmap = discover(snapshot_of(tmp_path, pages))
    assert not cmap.topic("policy_documents").found and cmap.topic("interpretation").found
    assert cmap.topic("organization").found and not cmap.topic("unit_profile").found


def test_empty_and_uncrawled_columns(tmp_path: Path) -> None:
    grid = '<ul class="grid"><li><a href="/jyta/">建议提案</a></li><li><a href="/zfcg/">政府采购</a></li></ul>'
    pages = {"/": page("首页", grid), "/jyta/": page("建议提案", '<div class="no-data">暂无信息</div>', "建议提案")}
    cmap = discover(snapshot_of(tmp_path, pages))
    proposals, procurement = cmap.topic("proposals"), cmap.topic("procurement")
    assert (proposals.found, proposals.kind, proposals.items) == (True, "empty", 0)
    assert (procurement.found, procurement.kind, procurement.items) == (True, "link", None)
    assert procurement.confidence == pytest.approx(default_rules().matching.kind_factors["link"])


def test_platform_membership_and_same_source(tmp_path: Path) -> None:
    """Columns under the 政府信息公开 platform are in it; a portal column listing the platform's
    pages (same addresses) is one source, a copy at other addresses is not."""
    docs = ["关于印发某某办法的通知", "关于加强某某工作的意见", "关于某某的实施意见"]
    pages = {
        "/": page("首页", '<ul class="grid"><li><a href="/xxgk/">政府信息公开</a></li>'
                         '<li><a href="/zcwj/">政策文件</a></li></ul>'),
        "/xxgk/": page("政府信息公开", '<ul class="menu-list"><li><a href="/xxgk/zcwj/">政策文件</a></li></ul>',
                       "政府信息公开"),
        "/xxgk/zcwj/": page("政策文件", dated_list("/xxgk/zcwj/", docs), "政府信息公开 &gt; 政策文件"),
        "/zcwj/": page("政策文件", dated_list("/zcwj/", docs), "政策文件"),
    }
    cmap = discover(snapshot_of(tmp_path, pages))
    assert cmap.platform is not None and cmap.platform.url == SITE + "xxgk/"
    match = cmap.topic("policy_documents")
    assert match.url == SITE + "xxgk/zcwj/" and match.in_platform and match.alternatives == [SITE + "zcwj/"]
    (twin,) = cmap.duplicates(["policy_documents"])
    assert twin.shared_titles == 3 and not twin.same_source  # /zcwj/a0.html is a copy of /xxgk/zcwj/a0.html


def test_one_pass_per_snapshot_shared_with_freshness(tmp_path: Path) -> None:
    from auditkit.checks import CheckContext
    from auditkit.testing import plugin_settings
    from auditkit_plugins.ops.freshness import collect_columns, structure_rules

    pages = {"/": page("首页", ""), "/gzdt/": page("工作动态", dated_list("/gzdt/", ["一", "二", "三"]), "工作动态")}
    snap = snapshot_of(tmp_path, pages)
    assert discover(snap) is discover(snap)
    settings = plugin_settings("auditkit_plugins.ops")
    assert site_structure(snap, structure_rules(settings)) is discover(snap).structure
    ctx = CheckContext(snapshot=snap, settings=settings, as_of=AS_OF, check_id="x")
    assert [c.url for c in collect_columns(ctx)] == [SITE + "gzdt/"]


def test_segmenters_keep_their_own_words() -> None:
    mine, other = Segmenter(), Segmenter()
    mine.add_words(["财政预决算公开"])
    assert mine.cut("财政预决算公开") == ["财政预决算公开"]
    assert other.cut("财政预决算公开") != ["财政预决算公开"]


# --- fixture sites ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["trs_city", "hanweb_county"])
def test_fixture_site_topics(tmp_path: Path, name: str) -> None:
    cmap = fixture_map(tmp_path, name)
    local = answers(cmap, "local")
    assert {t for t, found in local.items() if found} == LOCAL_PRESENT
    assert {t for t, found in local.items() if not found} == LOCAL_ABSENT
    assert all(answers(cmap, "platform").values())
    assert answers(cmap, "interpretation") == {"interpretation": True, "press_conference": False,
                                               "public_concerns": False}
    assert {t: cmap.topic(t).name_found for t in NAMES[name]} == NAMES[name]
    assert cmap.topic("proposals").kind == "empty"
    # the news items naming 财政资金直达基层, 公务员招考, 养老服务 and 食品药品安全 are articles, not columns
    assert not any(cmap.topic(t).url for t in ("funds_to_grassroots", "civil_service_exams", "food_drug_safety"))


def test_fixture_sites_give_the_same_answers(tmp_path: Path) -> None:
    trs, hanweb = fixture_map(tmp_path, "trs_city"), fixture_map(tmp_path, "hanweb_county")
    for list_name in ("local", "ministry", "platform", "interpretation"):
        assert answers(trs, list_name) == answers(hanweb, list_name), list_name
    for topic in LOCAL_PRESENT:
        assert trs.topic(topic).items == hanweb.topic(topic).items, topic
        assert trs.topic(topic).newest == hanweb.topic(topic).newest, topic
        assert trs.topic(topic).in_platform and hanweb.topic(topic).in_platform, topic


def test_serve_folder_serves_gbk_as_gbk() -> None:
    home = (SITES / "hanweb_county" / "index.html").read_bytes()
    assert declared_charset(home) == "gbk" and "石桥县" in home.decode("gbk")
    with serve_folder(SITES / "hanweb_county") as site:
        response = httpx.get(site.url("/"))
        column = httpx.get(site.url("/col/col1001/"))
    assert response.headers["content-type"] == "text/html; charset=gbk" and "信息公开" in response.text
    assert column.status_code == 200 and "法定主动公开内容" in column.text


@pytest.mark.browser
def test_script_built_navigation_is_crawled(tmp_path: Path, loopback_only: list[str]) -> None:
    """The Hanweb site's navigation exists only after its script runs: crawled in Chromium, its
    column map equals the one built from every file of the site."""
    settings = Settings(network={"allow_hosts": LOOPBACK_HOSTS},
                        crawl={"per_host_delay_s": 0, "per_host_concurrency": 4, "screenshot_home": False,
                               "max_pages": 200})
    store = Store(tmp_path / "crawl.db")
    with serve_folder(SITES / "hanweb_county") as site:
        start = site.url("/")
        run_id = store.start_run(start, "test", AS_OF, "{}", "test")

        async def crawl() -> None:
            async with BrowserSession(allow_hosts=LOOPBACK_HOSTS, user_agent="auditkit-test") as session:
                await Crawler(settings, session, store, run_id, AS_OF).run(start)

        asyncio.run(crawl())
    snap = Snapshot(store, run_id, start, AS_OF)
    home = snap.home
    assert home is not None and any(link.region == "nav" and link.text == "信息公开" for link in home.links)
    crawled, files = discover(snap), fixture_map(tmp_path, "hanweb_county")
    for list_name in ("local", "platform", "interpretation"):
        assert answers(crawled, list_name) == answers(files, list_name), list_name
    assert {t: crawled.topic(t).name_found for t in NAMES["hanweb_county"]} == NAMES["hanweb_county"]
    assert site.count("/col/col1001/index.html") >= 1  # reached through the script-built navigation
    store.close()


def test_a_site_specific_synonym_table(tmp_path: Path) -> None:
    """README: extend the table with your own file of the same shape."""
    import yaml

    from auditkit.columns import load_rules

    data = yaml.safe_load((Path(__file__).parents[1] / "auditkit" / "data" / "column_topics.yaml").read_text(
        encoding="utf-8"))
    data["topics"]["procurement"]["synonyms"].append("阳光工程")
    (tmp_path / "topics.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    pages = {"/": page("首页", '<ul class="grid"><li><a href="/c1/">阳光工程</a></li></ul>'),
             "/c1/": page("阳光工程", dated_list("/c1/", ["甲", "乙", "丙"]), "阳光工程")}
    snap = snapshot_of(tmp_path, pages)
    assert not discover(snap).topic("procurement").found
    assert discover(snap, load_rules(tmp_path / "topics.yaml")).topic("procurement").confidence == 1.0
