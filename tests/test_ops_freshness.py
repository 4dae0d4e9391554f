"""栏目不更新 / 首页不更新: column and home-page freshness on hand-written snapshots and real pages."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from auditkit.checks import Check, CheckContext
from auditkit.models import CheckResult, CheckStatus, Link, PageRecord
from auditkit.snapshot import Snapshot
from auditkit.testing import make_snapshot, page_from_html, plugin_settings
from auditkit_plugins.ops.freshness import column_freshness, column_key, home_freshness, page_role

from .conftest import AS_OF, CORPUS

SITE = "http://www.qs.gov.cn/"
SETTINGS = plugin_settings("auditkit_plugins.ops")
HEADER = f'<div class="top">今天是{AS_OF.year}年{AS_OF.month}月{AS_OF.day}日 星期五</div>'


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def iso(day: date) -> str:
    return day.isoformat()


def items_html(path: str, dates: list[str]) -> str:
    rows = "".join(f'<li><a href="{path}content_{i}.html">信息标题{i}</a><span class="date">{d}</span></li>'
                   for i, d in enumerate(dates))
    return f"<ul>{rows}</ul>"


def column_html(name: str, path: str, dates: list[str], pagination: bool = False) -> str:
    """A column list page the way county CMS templates print it."""
    pager = '<div class="page">共 60 条 首页 上一页 <a href="index_1.html">下一页</a> 尾页</div>' if pagination else ""
    return (f"<html><head><title>{name}_青山县人民政府</title></head><body>{HEADER}"
            f'<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xxgk/">政务公开</a></li></ul></div>'
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a> &gt; '
            f'<span>{name}</span></div><div class="list">{items_html(path, dates)}{pager}</div></body></html>')


def empty_html(name: str) -> str:
    return (f"<html><head><title>{name}_青山县人民政府</title></head><body>{HEADER}"
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; <span>{name}</span></div>'
            '<div class="list"><div class="no-data">暂无信息</div></div></body></html>')


def home_html(dates: list[str], links: dict[str, str] | None = None) -> str:
    entries = "".join(f'<a href="{path}">{name}</a>' for path, name in (links or {}).items())
    return (f"<html><head><title>首页_青山县人民政府</title></head><body>{HEADER}"
            f'<div class="block"><h2>要闻动态</h2>{items_html("/xwzx/ywdt/", dates)}</div>'
            f'<div class="entries">{entries}</div></body></html>')


FRESH_HOME = home_html([iso(ago(i)) for i in range(12)])


def snapshot(tmp_path: Path, pages: dict[str, str], home: str = FRESH_HOME,
             records: tuple[PageRecord, ...] = ()) -> Snapshot:
    built = [page_from_html(SITE, home, AS_OF)]
    built += [page_from_html(SITE.rstrip("/") + path, html, AS_OF) for path, html in pages.items()]
    return make_snapshot(tmp_path / "run.db", [*built, *records], AS_OF, SITE)


def run(check: Check, snap: Snapshot) -> CheckResult:
    return check.function(CheckContext(snapshot=snap, settings=SETTINGS, as_of=AS_OF, check_id=check.id))


def table(result: CheckResult) -> dict[str, dict]:
    return {c["url"].removeprefix(SITE.rstrip("/")): c for c in result.details["columns"]}


# --- column freshness -------------------------------------------------------------


@pytest.mark.parametrize("name, age, kind, status", [
    ("部门动态", 14, "news", "fresh"),  # 2 weeks: the last day still counts
    ("部门动态", 15, "news", "stale"),
    ("公示公告", 183, "notice", "fresh"),  # 6 months
    ("政策文件", 184, "notice", "stale"),
    ("建议提案办理", 365, "should_update", "fresh"),
    ("建议提案办理", 366, "should_update", "long_stale"),
    ("机构概况", 900, "static", "exempt"),
])
def test_window_by_column_kind(tmp_path: Path, name: str, age: int, kind: str, status: str) -> None:
    dates = [iso(ago(age)), iso(ago(age + 3)), iso(ago(age + 9))]
    result = run(column_freshness, snapshot(tmp_path, {"/c/": column_html(name, "/c/", dates)}))
    column = table(result)["/c/"]
    assert (column["name"], column["kind"], column["status"], column["age_days"]) == (name, kind, status, age)
    assert column["items"] == 3 and column["newest"] == iso(ago(age))
    assert result.vetoes_evaluated == ["columns_not_updated"] and not result.veto_hits
    assert result.score == (0.0 if status in ("stale", "long_stale") else 1.0)
    if status in ("stale", "long_stale"):
        (finding,) = result.findings
        assert finding.severity == "moderate" and name in finding.message and f"已 {age} 天未更新" in finding.message
        assert finding.evidence.values["window_days"] == column["window_days"]


def many_columns(kind: str, count: int) -> dict[str, str]:
    """``count`` columns of one failing kind plus two fresh news columns (which never veto)."""
    pages = {f"/ok{i}/": column_html("要闻动态", f"/ok{i}/", [iso(ago(1))] * 3) for i in range(2)}
    for i in range(count):
        path = f"/{kind}{i}/"
        if kind == "stale":
            pages[path] = column_html(f"部门动态{i}", path, [iso(ago(40))] * 3)
        elif kind == "long_stale":
            pages[path] = column_html(f"专项工作{i}", path, [iso(ago(400))] * 3)
        else:
            pages[path] = empty_html(f"重大项目{i}")
    return pages


@pytest.mark.parametrize("kind, count, vetoed", [
    ("stale", 4, False), ("stale", 5, True),
    ("long_stale", 9, False), ("long_stale", 10, True),
    ("empty", 4, False), ("empty", 5, True),
])
def test_veto_thresholds(tmp_path: Path, kind: str, count: int, vetoed: bool) -> None:
    pages = many_columns(kind, count)
    # empty columns count only when a column index links to them by name
    home = home_html([iso(ago(1))] * 12, {f"/empty{i}/": f"重大项目{i}" for i in range(count)})
    result = run(column_freshness, snapshot(tmp_path, pages, home))
    assert result.details["counts"][kind] == count and result.details["counts"]["fresh"] == 2
    assert bool(result.veto_hits) is vetoed, result.reason
    assert result.score == pytest.approx(2 / (count + 2), abs=1e-4)
    assert len(result.findings) == count
    assert {f.severity for f in result.findings} == {"serious" if kind == "empty" else "moderate"}
    if vetoed:
        (hit,) = result.veto_hits
        assert hit.veto == "columns_not_updated" and f"{count} 个" in hit.message


def test_empty_column_needs_a_way_in(tmp_path: Path) -> None:
    """暂无信息 on a page nobody links to by name is no column; the navigation or a named link makes it one."""
    by_name = home_html([iso(ago(1))] * 12, {"/jyta/": "建议提案"})
    unnamed = home_html([iso(ago(1))] * 12, {"/jyta/": "点击这里"})
    assert "/jyta/" in table(run(column_freshness, snapshot(tmp_path / "a", {"/jyta/": empty_html("建议提案")},
                                                              by_name)))
    result = run(column_freshness, snapshot(tmp_path / "b", {"/jyta/": empty_html("建议提案"),
                                                             "/ok/": column_html("要闻", "/ok/", [iso(AS_OF)] * 3)},
                                            unnamed))
    assert "/jyta/" not in table(result)
    nav_home = page_from_html(SITE, unnamed, AS_OF, links=[Link(url=SITE + "jyta/", text="栏目", region="nav")])
    nav = make_snapshot(tmp_path / "c.db", [nav_home, page_from_html(SITE + "jyta/", empty_html("建议提案"), AS_OF)],
                        AS_OF, SITE)
    column = table(run(column_freshness, nav))["/jyta/"]
    assert column["status"] == "empty" and column["name"] == "建议提案" and column["items"] == 0


def test_pagination_pages_are_one_column(tmp_path: Path) -> None:
    pages = {
        "/xwzx/bmdt/": column_html("部门动态", "/xwzx/bmdt/", [iso(ago(d)) for d in (40, 41, 42)], True),
        "/xwzx/bmdt/index_1.html": column_html("部门动态", "/xwzx/bmdt/", [iso(ago(d)) for d in (50, 51, 52)], True),
        "/xwzx/bmdt/index.html?page=2": column_html("部门动态", "/xwzx/bmdt/", [iso(ago(60))] * 3, True),
    }
    # the crawler also keeps the slash-less address that redirected to the column
    redirect = page_from_html(SITE + "xwzx/bmdt", pages["/xwzx/bmdt/"], AS_OF, final_url=SITE + "xwzx/bmdt/")
    result = run(column_freshness, snapshot(tmp_path, pages, records=(redirect,)))
    (column,) = result.details["columns"]
    assert column["url"] == SITE + "xwzx/bmdt/" and column["items"] == 9 and column["age_days"] == 40
    assert result.details["counts"]["stale"] == 1 and len(result.findings) == 1
    assert column_key(SITE + "xwzx/bmdt/list_3.shtml?channel=7&pageNo=3", SETTINGS) == \
        SITE + "xwzx/bmdt/?channel=7"


def test_undated_list_counts_as_not_updated(tmp_path: Path) -> None:
    page = column_html("通知公告", "/tzgg/", ["", "", ""], pagination=True)
    result = run(column_freshness, snapshot(tmp_path, {"/tzgg/": page}))
    column = table(result)["/tzgg/"]
    assert column["status"] == "stale" and column["newest"] is None and column["items"] == 3
    assert "没有带可见发布日期" in result.findings[0].message


def test_some_undated_items_do_not_hide_the_dated_ones(tmp_path: Path) -> None:
    page = column_html("工作动态", "/gzdt/", ["", iso(ago(3)), iso(ago(5)), iso(ago(8))])
    assert table(run(column_freshness, snapshot(tmp_path, {"/gzdt/": page})))["/gzdt/"]["age_days"] == 3


def test_future_dated_items_prove_nothing(tmp_path: Path) -> None:
    page = column_html("通知动态", "/tzgg/", [iso(AS_OF + timedelta(days=3)), iso(ago(40)), iso(ago(41))])
    column = table(run(column_freshness, snapshot(tmp_path, {"/tzgg/": page})))["/tzgg/"]
    assert column["newest"] == iso(ago(40)) and column["future_items"] == 1 and column["status"] == "stale"


def test_year_implied_list_dates(tmp_path: Path) -> None:
    dates = [f"[{ago(d):%m-%d}]" for d in (10, 12, 20)]
    column = table(run(column_freshness, snapshot(tmp_path, {"/gzdt/": column_html("工作动态", "/gzdt/", dates)})))
    assert column["/gzdt/"]["age_days"] == 10 and column["/gzdt/"]["status"] == "fresh"


def test_list_that_labels_every_date_is_a_column(tmp_path: Path) -> None:
    page = column_html("通知公告", "/tzgg/", [f"发布时间：{iso(ago(d))}" for d in (3, 4, 5)])
    assert table(run(column_freshness, snapshot(tmp_path, {"/tzgg/": page})))["/tzgg/"]["age_days"] == 3


def test_pages_that_are_not_columns(tmp_path: Path) -> None:
    """The home page, an index of column blocks (更多) and an article with a related-news list."""
    block = '<div class="block"><h2>{0}</h2><a class="more" href="/{0}/">更多&gt;&gt;</a>{1}</div>'
    index = "<html><body>" + "".join(block.format(n, items_html(f"/{n}/", [iso(ago(1))] * 5))
                                     for n in ("要闻动态", "通知公告")) + "</body></html>"
    article = (f"<html><body><h1>县政府召开常务会议</h1><p>发布时间：{iso(ago(2))} 09:30</p><p>正文。</p>"
               f"<div>相关新闻{items_html('/xwzx/', [iso(ago(3))] * 4)}</div></body></html>")
    result = run(column_freshness, snapshot(tmp_path, {"/xwzx/": index, "/a.html": article}))
    assert result.status == CheckStatus.NOT_APPLICABLE and not result.vetoes_evaluated


@pytest.mark.parametrize("html, name", [
    ('<div class="crumb"><span>您的位置：</span><a href="/">首页</a> » <a href="/x/">政务公开</a> » '
     '<a href="/x/y/">政府采购</a></div>', "政府采购"),
    ('<div class="column-title">财政预决算</div>', "财政预决算"),
    ('<p><a class="CurrChnlCls" href="/">首页</a>-&gt;<a class="CurrChnlCls" href="/zfwj/">近期公开</a></p>',
     "近期公开"),
    ("", "人事信息"),  # only the <title>
])
def test_column_name_sources(html: str, name: str) -> None:
    page_html = (f"<html><head><title>人事信息_青山县人民政府</title></head><body>{html}"
                 f"{items_html('/r/', [iso(ago(1))] * 3)}</body></html>")
    page = page_from_html(SITE + "r/", page_html, AS_OF)
    assert page_role(page, LexborHTMLParser(page_html), SETTINGS, AS_OF).name == name


# --- home page freshness ------------------------------------------------------------


@pytest.mark.parametrize("recent, newest_age, score, vetoed", [
    (10, 0, 1.0, False),
    (9, 0, 0.9, False),
    (1, 14, 0.1, False),  # exactly 2 weeks old: still inside the window
    (0, 15, 0.0, True),
])
def test_home_page_rule(tmp_path: Path, recent: int, newest_age: int, score: float, vetoed: bool) -> None:
    dates = [iso(ago(newest_age))] * recent or [iso(ago(newest_age))]
    dates += [iso(ago(30 + i)) for i in range(5)]  # older items never count towards the 2 weeks
    result = run(home_freshness, snapshot(tmp_path, {}, home_html(dates)))
    assert result.score == pytest.approx(score) and bool(result.veto_hits) is vetoed
    assert result.details["age_days"] == newest_age and result.vetoes_evaluated == ["home_not_updated"]
    if vetoed:
        assert result.veto_hits[0].veto == "home_not_updated" and "15 天" in result.veto_hits[0].message
    assert any(f.severity == "moderate" for f in result.findings) is (recent < 10)


def test_home_header_date_is_no_item(tmp_path: Path) -> None:
    """今天是… in the header names the audit date, not a publication: a home page without dated
    items is not updated, and a future-dated item is not counted either."""
    home = home_html(["", "", iso(AS_OF + timedelta(days=3))])
    result = run(home_freshness, snapshot(tmp_path, {}, home))
    assert result.details["newest"] is None and result.details["future_items"] == 1
    assert result.veto_hits and "无可见发布日期" in result.veto_hits[0].message and result.score == 0.0


def test_home_counts_each_item_once(tmp_path: Path) -> None:
    # the same article in two blocks of the home page is one new item
    twice = home_html([iso(ago(1))] * 3).replace("</body>", items_html("/xwzx/ywdt/", [iso(ago(1))] * 3) + "</body>")
    assert run(home_freshness, snapshot(tmp_path, {}, twice)).details["recent_items"] == 3


# --- real pages -------------------------------------------------------------------------


def corpus_role(relative: str, as_of: date = date(2021, 10, 15)):
    html = (CORPUS / "pages" / relative).read_text(encoding="utf-8")
    page = page_from_html("http://example.gov.cn/list/", html, as_of)
    return page_role(page, LexborHTMLParser(html), SETTINGS, as_of)


@pytest.mark.corpus
@pytest.mark.parametrize("relative, name, items, newest", [
    ("ctq.gov.cn-template/column_list.html", "部门动态", 15, date(2019, 2, 26)),  # 当前位置 …->部门动态
    ("hd.gov.cn/list.html", "近期信息公开", 1, date(2020, 8, 5)),  # TRS CurrChnlCls trail, one row + pages
])
def test_real_column_pages(relative: str, name: str, items: int, newest: date) -> None:
    role = corpus_role(relative)
    assert (role.role, role.name, len(role.items)) == ("column", name, items)
    assert max(i.date for i in role.items if i.date) == newest


@pytest.mark.corpus
def test_real_articles_are_not_columns() -> None:
    articles = [p.relative_to(CORPUS / "pages") for p in (CORPUS / "pages").glob("*/*.html")
                if "article" in p.name or "gongbao" in p.name]
    assert len(articles) >= 10
    assert {str(a): corpus_role(str(a), date(2023, 12, 31)).role for a in articles} == \
        {str(a): "other" for a in articles}
