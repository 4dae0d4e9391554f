"""数字政府服务能力 evidence from the web channels (plugins/digital_gov, services.rating_channel,
interaction.reply_rating): each feature found when present, reported missing when absent."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from auditkit.checks import Check
from auditkit.models import CheckResult, CheckStatus, ResourceStatus
from auditkit.snapshot import Snapshot
from auditkit.testing import check_once, make_snapshot, plugin_settings
from auditkit_plugins.digital_gov.finders import finder_checks, finders
from auditkit_plugins.digital_gov.published import rating_results, reply_results
from auditkit_plugins.digital_gov.same_source import same_source, version_of
from auditkit_plugins.interaction.satisfaction import reply_rating
from auditkit_plugins.services.rating import rating_channel

AS_OF = date(2021, 10, 15)
SITE = "http://www.qs.test"
SETTINGS = plugin_settings("auditkit_plugins.digital_gov")
CHECKS: dict[str, Check] = {c.id: c for c in finder_checks()}


def page(title: str, body: str) -> str:
    return f"<html><head><title>{title}_青山县人民政府</title></head><body>{body}</body></html>"


def snap(tmp_path: Path, pages: dict[str, str], resources: list[ResourceStatus] | None = None) -> Snapshot:
    return make_snapshot(tmp_path / "db", {SITE + p: html for p, html in pages.items()}, AS_OF,
                         resources=resources)


def run(check: Check, snapshot: Snapshot, settings: dict | None = None) -> CheckResult:
    return check_once(check, snapshot, settings or SETTINGS)


def day(age: int) -> str:
    return (AS_OF - timedelta(days=age)).isoformat()


def test_every_finder_is_a_check_claiming_its_row() -> None:
    assert set(CHECKS) == {f"digital_gov.{key}" for key in finders()}
    assert CHECKS["digital_gov.mobile_services"].indicators == ("服务成熟度/政务服务成熟度/移动政务服务",)


def test_mobile_channels_present_absent_and_broken(tmp_path: Path) -> None:
    home = page("首页", '<a href="https://mp.weixin.qq.com/s/abc">青山发布</a>'
                       '<img src="/static/xcx.png" alt="青山政务服务小程序">'
                       '<a href="/app/">掌上青山App下载</a>'
                       '<a href="/news/1.html">关于推广使用政务服务App和小程序的通知的解读说明</a>')
    snapshot = snap(tmp_path, {"/": home}, [ResourceStatus(url=SITE + "/app/", status=404, ok=False)])
    result = run(CHECKS["digital_gov.mobile_services"], snapshot)
    table = result.details["入口"]
    assert [e["入口地址"] for e in table["小程序"]] == [SITE + "/static/xcx.png"]  # a QR image counts
    assert table["政务微信（公众号）"][0]["方式"] == "url"  # found by its address
    assert table["政务服务 App"][0]["状态"] == "无法打开"
    assert result.score == pytest.approx(2 / 3, abs=1e-4)
    assert "「政务服务 App」入口无法打开" in [f.message for f in result.findings]
    # the long article title mentioning App and 小程序 is not an entry
    assert all("解读说明" not in e["名称"] for entries in table.values() for e in entries)

    bare = run(CHECKS["digital_gov.mobile_services"], snap(tmp_path / "bare", {"/": page("首页", "<p>欢迎</p>")}))
    assert bare.score == 0 and {f.message for f in bare.findings} == {
        "未找到「政务服务 App」", "未找到「小程序」", "未找到「政务微信（公众号）」"}


def test_hotline_from_page_text_not_from_an_icp_number(tmp_path: Path) -> None:
    check = CHECKS["digital_gov.unified_interaction"]
    with_hotline = page("首页", "<p>政务服务便民热线：12345</p><a href='/hdjl/'>我要咨询</a>")
    result = run(check, snap(tmp_path, {"/": with_hotline}))
    assert result.score == 1.0 and result.details["入口"]["12345 政务服务便民热线"][0]["方式"] == "text"
    icp_only = page("首页", "<a href='https://beian.miit.gov.cn/'>湘ICP备12345678号</a>")
    result = run(check, snap(tmp_path / "icp", {"/": icp_only}))
    assert result.details["入口"]["12345 政务服务便民热线"] == [] and result.score == 0


def test_unified_entries_split_across_systems_count_in_part(tmp_path: Path) -> None:
    check = CHECKS["digital_gov.unified_identity"]
    one = page("首页", '<a href="http://zwfw.hunan.test/sso/login">登录</a><a href="http://zwfw.hunan.test/sso/reg">注册</a>'
                       '<a href="http://zwfw.hunan.test/sso/my">个人中心</a>')
    assert run(check, snap(tmp_path, {"/": one})).score == 1.0
    split = page("首页", '<a href="http://zwfw.hunan.test/sso/login">登录</a><a href="/hdjl/login.jsp">用户登录</a>'
                         '<a href="http://zwfw.hunan.test/sso/reg">注册</a>')
    result = run(check, snap(tmp_path / "split", {"/": split}))
    assert result.score == pytest.approx((1 + SETTINGS["split_system_credit"]) / 3, abs=1e-4)
    assert any("分属 2 个系统" in f.message for f in result.findings)


def test_epidemic_items_from_titles_and_entries(tmp_path: Path) -> None:
    topic = page("疫情防控专题", '<ul><li><a href="/yq/1.html">关于做好国庆假期疫情防控工作的通告</a></li>'
                               '<li><a href="/yq/2.html">网传青山县出现确诊病例系谣言</a></li>'
                               '<li><a href="/yq/3.html">全县新冠病毒疫苗接种进展情况通报</a></li></ul>'
                               '<a href="http://jkm.test/">健康码</a><a href="/cx/hs.html">核酸检测机构查询</a>')
    result = run(CHECKS["digital_gov.epidemic"], snap(tmp_path, {"/ztzl/yqfk/": topic}))
    found = {name for name, entries in result.details["入口"].items() if entries}
    assert found == {"疫情防控专题", "防疫政策文件", "辟谣", "疫情通报", "健康码", "核酸检测机构查询"}
    assert "未找到「风险等级查询」" in [f.message for f in result.findings]
    weights = sum(i.weight for i in finders()["epidemic"].items)
    assert result.score == pytest.approx(7 / weights, abs=1e-4)  # the topic counts twice


def test_scope_keeps_data_service_items_to_the_open_data_platform(tmp_path: Path) -> None:
    check = CHECKS["digital_gov.data_service_rating"]
    elsewhere = page("县长信箱", '<a href="/hdjl/pj">评价</a><a href="/hdjl/jc">纠错</a>')
    assert run(check, snap(tmp_path, {"/hdjl/": elsewhere})).score == 0
    platform = page("数据开放", '<a href="/sjkf/pj">我要评分</a><a href="/sjkf/jc">数据纠错</a>')
    assert run(check, snap(tmp_path / "p", {"/sjkf/": platform})).score == pytest.approx(2 / 3, abs=1e-4)


def test_rating_results_recent_stale_and_missing(tmp_path: Path) -> None:
    recent = page("青山县政务服务好差评情况通报", f"<p>发布时间：{day(20)}</p><p>好评率99.6%，差评21件，"
                                          "对差评逐件核实回访并整改。</p>")
    result = run(rating_results, snap(tmp_path, {"/hcp/1.html": recent}))
    assert result.score == 1.0 and result.findings == []
    stale = page("青山县政务服务好差评情况通报", f"<p>发布时间：{day(400)}</p><p>好评率99.6%。</p>")
    result = run(rating_results, snap(tmp_path / "stale", {"/hcp/1.html": stale}))
    weights = SETTINGS["rating_results_weights"]
    assert result.score == pytest.approx(weights["results"] * SETTINGS["stale_results_credit"], abs=1e-4)
    assert {f.message for f in result.findings} >= {"未见差评整改反馈（整改、回访情况）"}
    # a menu naming 好差评 on every page is no publication: the page's own title must
    menu = page("要闻动态", '<a href="/hcp/">政务服务好差评</a><p>满意率 99%</p>')
    result = run(rating_results, snap(tmp_path / "none", {"/ywdt/": menu}))
    assert result.score == 0 and "未见公开的好差评结果" in [f.message for f in result.findings]


def test_reply_results(tmp_path: Path) -> None:
    stats = page("县长信箱来信办理满意度季度统计", f"<p>{day(30)}</p><p>来信356件，满意率为96.5%。</p>")
    assert run(reply_results, snap(tmp_path, {"/tj.html": stats})).score == 1.0
    assert run(reply_results, snap(tmp_path / "n", {"/": page("首页", "<p>欢迎</p>")})).score == 0


def _list(title: str, items: list[tuple[str, str, str]]) -> str:
    rows = "".join(f'<li><a href="{url}">{name}</a><span>{when}</span></li>' for name, url, when in items)
    return page(title, f"<div class='list'><ul>{rows}</ul></div><div>下一页 尾页</div>")


def test_same_source_dates_and_lag(tmp_path: Path) -> None:
    news = [(f"新闻{i}", f"/ywdt/{i}.html", day(i * 2)) for i in range(1, 9)]
    mobile = [(name, url, day(i * 2 + (1 if i == 6 else 0))) for i, (name, url, _) in enumerate(news, 1)][4:]
    pages = {"/": page("首页", '<a href="/ywdt/">要闻动态</a><a href="/m/ywdt/">手机版</a>'),
             "/ywdt/": _list("要闻动态", news), "/m/ywdt/": _list("要闻动态", mobile)}
    result = run(same_source, snap(tmp_path, pages))
    assert result.status == CheckStatus.SCORED
    messages = [f.message for f in result.findings]
    assert "「新闻6」在手机版与门户网站日期不一致" in messages
    assert "手机版栏目未同步门户网站的 3 条较新信息" in messages  # 新闻1–3 are newer than the lag allows
    assert result.score == pytest.approx(3 / 7, abs=1e-4)
    only_portal = {k: v for k, v in pages.items() if not k.startswith("/m/")}
    assert run(same_source, snap(tmp_path / "p", only_portal)).status == CheckStatus.NEEDS_MANUAL_REVIEW


def test_versions_by_address() -> None:
    assert version_of("http://m.qs.test/x", "www.qs.test", SETTINGS) == "手机版"
    assert version_of("http://www.qs.test/m/ywdt/", "www.qs.test", SETTINGS) == "手机版"
    assert version_of("http://www.qs.test/bm/jyj/list.html", "www.qs.test", SETTINGS) == "部门网站 /bm/jyj/"
    assert version_of("http://jyj.qs.test/", "www.qs.test", SETTINGS) == "部门网站 jyj.qs.test"
    assert version_of("http://www.qs.test/xwzx/bmdt/", "www.qs.test", SETTINGS) == "门户网站"


GUIDE_ROWS = ("<table><tr><th>事项名称</th><td>{name}</td></tr><tr><th>设定依据</th><td>《条例》</td></tr>"
              "<tr><th>申请条件</th><td>本县户籍</td></tr><tr><th>办理材料</th><td>身份证</td></tr>"
              "<tr><th>办理地点</th><td>政务服务中心</td></tr><tr><th>办理时间</th><td>工作日</td></tr>"
              "<tr><th>咨询电话</th><td>0731-1234567</td></tr></table>")


def test_rating_channel_entry_and_guides(tmp_path: Path) -> None:
    settings = plugin_settings("auditkit_plugins.services")
    rated = page("城乡居民养老保险参保登记", GUIDE_ROWS.format(name="城乡居民养老保险参保登记")
                 + '<a href="http://zwfw.hunan.test/evaluate/1">【好差评】</a>')
    plain = page("残疾人证办理", GUIDE_ROWS.format(name="残疾人证办理"))
    pages = {"/": page("首页", '<a href="/hcp/">政务服务好差评</a>'), "/bsfw/1.html": rated, "/bsfw/2.html": plain}
    result = run(rating_channel, snap(tmp_path, pages), settings)
    weights = settings["rating_channel_weights"]
    assert result.score == pytest.approx(weights["entry"] + weights["guides"] / 2, abs=1e-4)
    assert "1/2 个办事指南页面没有评价功能" in [f.message for f in result.findings]
    pages["/"] = page("首页", "<p>欢迎</p>")
    pages["/bsfw/1.html"] = plain.replace("残疾人证办理", "养老保险参保登记")
    result = run(rating_channel, snap(tmp_path / "none", pages), settings)
    assert result.score == 0 and "门户网站未见政务服务好差评入口" in [f.message for f in result.findings]


def test_reply_rating_on_message_pages(demo_app_pages: dict[str, str], tmp_path: Path) -> None:
    settings = plugin_settings("auditkit_plugins.interaction")
    pages = {path: html for path, html in demo_app_pages.items() if path.startswith("/hdjl/xx/")}
    result = run(reply_rating, make_snapshot(tmp_path / "db", {SITE + p: h for p, h in pages.items()}, AS_OF,
                                             start_url=SITE + "/hdjl/xx/"), settings)
    assert result.score == 1.0 and result.findings == []
    stripped = {p: h.split('<div class="myd">')[0] + "</div></body></html>" if '<div class="myd">' in h else h
                for p, h in pages.items()}
    result = run(reply_rating, make_snapshot(tmp_path / "db2", {SITE + p: h for p, h in stripped.items()}, AS_OF,
                                             start_url=SITE + "/hdjl/xx/"), settings)
    assert result.score == 0 and "不能评价答复满意度" in result.findings[0].message


@pytest.fixture(scope="module")
def demo_app_pages() -> dict[str, str]:
    """The demo's pages rendered in process (no server, no browser)."""
    from auditkit.demo.app import DemoApp

    app = DemoApp(AS_OF)
    return {path: app.handle("GET", path).body.decode() for path in app.routes if path.startswith("/hdjl/xx/")}
