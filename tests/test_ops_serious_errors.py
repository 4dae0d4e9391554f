"""严重错误 and 伪造发布日期 on hand-written snapshots and real pages."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from auditkit.checks import CheckContext
from auditkit.models import CheckResult, CheckStatus
from auditkit.snapshot import Snapshot
from auditkit.testing import make_snapshot, page_from_html, plugin_settings
from auditkit_plugins.ops.serious_errors import builtin_terms, load_terms, parse_word_list, serious_errors

from .conftest import AS_OF, CORPUS

SITE = "http://www.qs.test/"
SETTINGS = plugin_settings("auditkit_plugins.ops")
HOME = (f"<html><body><div>今天是{AS_OF.year}年{AS_OF.month}月{AS_OF.day}日</div>"
        '<ul><li><a href="/a/1.html">要闻</a><span>{0}</span></li></ul></body></html>')


def article(body: str, published: date = AS_OF, label: str = "发布时间：") -> str:
    return (f"<html><head><title>关于安全生产工作的通知_青山县人民政府</title></head><body>"
            f"<h1>关于安全生产工作的通知</h1>"
            f"<div class='info'>{label}{published.isoformat()} 10:30 来源：县应急局</div>"
            f"<div id='zoom'>{body}</div></body></html>")


def snapshot(tmp_path: Path, pages: dict[str, str], home_date: date = AS_OF) -> Snapshot:
    records = [page_from_html(SITE, HOME.format(home_date.isoformat()), AS_OF)]
    records += [page_from_html(SITE.rstrip("/") + path, html, AS_OF) for path, html in pages.items()]
    return make_snapshot(tmp_path / "run.db", records, AS_OF, SITE)


def run(snap: Snapshot, **settings: object) -> CheckResult:
    return serious_errors.function(CheckContext(snapshot=snap, settings=SETTINGS | settings, as_of=AS_OF,
                                                check_id=serious_errors.id))


# --- word list ------------------------------------------------------------------------


def test_builtin_list_is_sound() -> None:
    terms = builtin_terms()
    assert len(terms) >= 40 and len({t.wrong for t in terms}) == len(terms)
    rights = {t.right for t in terms}
    for term in terms:
        # a wrong form inside a correct term would flag every correct page
        assert not any(term.wrong in right for right in rights), term
        assert term.category and term.wrong != term.right


def test_malformed_word_list_line_is_reported() -> None:
    with pytest.raises(ValueError, match=r"extra\.txt:2"):
        parse_word_list("# 注释\n只有一列\n", "extra.txt")
    with pytest.raises(ValueError, match=r"extra\.txt:1: 错误写法只能由"):
        parse_word_list("中国 共产党\t中国共产党\n", "extra.txt")  # a space is a token boundary


# --- serious errors -------------------------------------------------------------------


def test_misspelt_country_name_is_a_veto_hit_with_its_sentence(tmp_path: Path) -> None:
    body = "<p>为认真贯彻《中华人民共合国安全生产法》，结合我县实际，制定本方案。各乡镇要高度重视！</p>"
    result = run(snapshot(tmp_path, {"/aqsc/1.html": article(body)}))
    (finding,) = result.findings
    assert finding.severity == "critical" and finding.url == SITE + "aqsc/1.html"
    assert finding.message == "严重错误：「中华人民共合国」应为「中华人民共和国」"
    assert finding.evidence.snippet == "为认真贯彻《中华人民共合国安全生产法》，结合我县实际，制定本方案"
    assert finding.evidence.values["category"] == "国家名称"
    assert [(h.veto, h.url) for h in result.veto_hits] == [("serious_error", SITE + "aqsc/1.html")]
    assert result.score == 0.0 and result.vetoes_evaluated == ["serious_error", "security_incident"]


def test_correct_terms_never_match(tmp_path: Path) -> None:
    """Every right form of the list, in running text and back to back, is clean."""
    rights = sorted({t.right for t in builtin_terms()})
    body = "".join(f"<p>深入学习{right}的有关要求。</p>" for right in rights) + "<p>" + "".join(rights) + "</p>"
    body += "<p>全国人民代表大会常务委员会、最高人民检察院、国家监察委员会、全国人大常委会委员长。</p>"
    result = run(snapshot(tmp_path, {"/a.html": article(body)}))
    assert result.findings == [] and result.veto_hits == [] and result.score == 1.0


def test_one_finding_per_wrong_form_and_page(tmp_path: Path) -> None:
    body = "<p>学习社会主意核心价值观。践行社会主意核心价值观。县人民检查院开展检查。</p>"
    result = run(snapshot(tmp_path, {"/a.html": article(body)}))
    found = {f.evidence.values["wrong"]: f.evidence.values["occurrences"] for f in result.findings}
    assert found == {"社会主意核心价值观": 2, "人民检查院": 1}


def test_extra_word_list_from_settings(tmp_path: Path) -> None:
    extra = tmp_path / "extra.txt"
    extra.write_text("# 本县机构名称\n青山县人民政俯\t青山县人民政府\t机构名称\n", encoding="utf-8")
    snap = snapshot(tmp_path, {"/a.html": article("<p>青山县人民政俯办公室印发本通知。</p>")})
    assert run(snap).findings == []
    (finding,) = run(snap, serious_error_extra_files=[str(extra)]).findings
    assert finding.message == "严重错误：「青山县人民政俯」应为「青山县人民政府」"
    assert finding.evidence.values["category"] == "机构名称"
    assert len(load_terms([str(extra)])) == len(builtin_terms()) + 1


# --- fabricated publication dates ---------------------------------------------------------


@pytest.mark.parametrize("days_after, hit", [(3, True), (1, True), (0, False), (-30, False)])
def test_publication_date_after_the_audit_date(tmp_path: Path, days_after: int, hit: bool) -> None:
    published = AS_OF + timedelta(days=days_after)
    result = run(snapshot(tmp_path, {"/tzgg/1.html": article("<p>会议定于近期召开。</p>", published)}))
    assert bool(result.veto_hits) is hit and result.vetoes_evaluated == ["serious_error", "security_incident"]
    if hit:
        (veto,) = result.veto_hits
        assert veto.veto == "security_incident" and veto.url == SITE + "tzgg/1.html"
        assert veto.message.startswith("发布日期晚于检查日（疑似伪造发布日期）")
        assert published.isoformat() in veto.message
        assert result.findings[0].severity == "critical" and result.score == 0.0


def test_only_the_pages_own_date_counts(tmp_path: Path) -> None:
    """A future date in a list (home page, column) or in the body (a planned meeting, a deadline)
    is no forged publication date."""
    soon = (AS_OF + timedelta(days=5)).isoformat()
    items = "".join(f'<li><a href="/tzgg/{i}.html">通知{i}</a><span>{d}</span></li>'
                    for i, d in enumerate([soon, "2021-10-01", "2021-09-20", "2021-09-01"]))
    column = f"<html><body><h1>通知公告</h1><ul>{items}</ul><div>下一页 尾页</div></body></html>"
    body = f"<p>报名截止时间：{soon}。会议定于{soon}召开。</p>"
    result = run(snapshot(tmp_path, {"/tzgg/": column, "/tzgg/9.html": article(body)},
                          home_date=AS_OF + timedelta(days=5)))
    assert result.veto_hits == [] and result.score == 1.0


def test_article_with_sidebar_blocks_keeps_its_date(tmp_path: Path) -> None:
    """Sidebars of 更多 blocks do not make an article an index page."""
    later = AS_OF + timedelta(days=2)
    sidebar = "".join(f'<div class="side"><h3>{n}</h3><a href="/{n}/">更多</a></div>' for n in ("热点", "专题"))
    html = article(f"<p>正文。</p>{sidebar}", later)
    (veto,) = run(snapshot(tmp_path, {"/x.html": html})).veto_hits
    assert veto.veto == "security_incident"


def test_unlabelled_date_next_to_the_title(tmp_path: Path) -> None:
    future = AS_OF + timedelta(days=10)
    html = (f"<html><head><meta name='ArticleTitle' content='全县秋冬季森林防火工作部署会召开'></head><body>"
            f"<div>全县秋冬季森林防火工作部署会召开</div><div>{future.isoformat()} 09:52 打印本页</div>"
            f"<p>正文。</p></body></html>")
    (veto,) = run(snapshot(tmp_path, {"/x.html": html})).veto_hits
    assert veto.veto == "security_incident" and future.isoformat() in veto.message


def test_no_pages_is_not_applicable(tmp_path: Path) -> None:
    record = page_from_html(SITE, "<html><body>error</body></html>", AS_OF, status=503)
    result = run(make_snapshot(tmp_path / "e.db", [record], AS_OF, SITE))
    assert result.status == CheckStatus.NOT_APPLICABLE


@pytest.mark.corpus
def test_real_pages_have_no_serious_errors_or_future_dates(tmp_path: Path) -> None:
    """Real government pages (articles, lists, home pages) as of the day after the newest was saved."""
    files = sorted((CORPUS / "pages").glob("*/*.html")) + sorted((CORPUS / "homepages").glob("*.html"))
    records = [page_from_html(f"http://example.test/{i}/index.html", f.read_text(encoding="utf-8"),
                              date(2023, 12, 31)) for i, f in enumerate(files)]
    start = page_from_html(SITE, HOME.format("2023-12-30"), date(2023, 12, 31))
    snap = make_snapshot(tmp_path / "c.db", [start, *records], date(2023, 12, 31), SITE)
    result = serious_errors.function(CheckContext(snapshot=snap, settings=SETTINGS, as_of=date(2023, 12, 31),
                                                  check_id=serious_errors.id))
    assert result.details["pages"] == len(files) + 1
    assert result.findings == [], [f.message for f in result.findings]


@pytest.mark.corpus
@pytest.mark.parametrize("relative, published", [
    ("shanxi.gov.cn/article_2019.html", date(2019, 9, 18)),  # 时间：2019-09-18 06:23
    ("nmg.gov.cn/article.html", date(2022, 2, 11)),  # 发布日期：2022-02-11 08:52
    ("bynr.gov.cn/article.html", date(2022, 2, 11)),  # no label: the date under the title
])
def test_real_article_dated_after_the_audit_date(tmp_path: Path, relative: str, published: date) -> None:
    as_of = published - timedelta(days=1)
    html = (CORPUS / "pages" / relative).read_text(encoding="utf-8")
    records = [page_from_html(SITE, HOME.format("2000-01-01"), as_of),
               page_from_html("http://example.test/art/1.html", html, as_of)]
    snap = make_snapshot(tmp_path / "c.db", records, as_of, SITE)
    result = serious_errors.function(CheckContext(snapshot=snap, settings=SETTINGS, as_of=as_of,
                                                  check_id=serious_errors.id))
    assert [(h.veto, h.url) for h in result.veto_hits] == [("security_incident", "http://example.test/art/1.html")]
    assert result.findings[0].evidence.values["published"] == published.isoformat()
