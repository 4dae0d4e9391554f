"""The HTML report: content, escaping of hostile site data, self-containment."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from auditkit.models import (
    AuditResult,
    CheckResult,
    CheckStatus,
    CrawlStats,
    Evidence,
    Finding,
    L1Score,
    PageSummary,
    PluginInfo,
    RowScore,
    RowStatus,
    VetoHit,
    VetoStatus,
)
from auditkit.report import (
    environment,
    fmt_num,
    render_report,
    safe_href,
    safe_img_src,
    write_report,
)

# A valid 1x1 PNG.
PNG_1X1 = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
SCRIPT = "<script>alert(1)</script>"
IMG_ONERROR = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
CST = timezone(timedelta(hours=8))


def make_result(**overrides) -> AuditResult:
    """A realistic result: two l1 groups, rows of every status, one veto hit, an error
    check with a traceback, findings with evidence and a screenshot, hostile site data."""
    rows = [
        RowScore(l1="信息发布", l2="概况信息", key="信息发布/概况信息", weight=4, points=3.5,
                 status=RowStatus.SCORED, reason="机构职能完整，领导信息缺照片",
                 check_ids=["info.overview"]),
        RowScore(l1="信息发布", l2="政务动态", key="信息发布/政务动态", weight=6, points=4,
                 status=RowStatus.PARTIAL, reason="更新检查无法判断，按其余检查计分",
                 check_ids=["info.updates", "ops.broken"]),
        RowScore(l1="信息发布", l2="信息公开目录", key="信息发布/信息公开目录", weight=5, points=5,
                 status=RowStatus.MANUAL, reason="人工评分", note="现场核查通过 " + SCRIPT),
        RowScore(l1="办事服务", l2="办事指南", key="办事服务/办事指南", weight=8, points=None,
                 status=RowStatus.PENDING, reason="检查出错，待人工评分", check_ids=["svc.guide"]),
        RowScore(l1="办事服务", l2="在线办理", key="办事服务/在线办理", weight=7.5, points=None,
                 status=RowStatus.NOT_AUTOMATED, reason="尚无自动检查"),
    ]
    findings = [
        Finding(severity="serious", message="图片缺少替代文本 " + IMG_ONERROR,
                url="https://www.example.gov.cn/a.html",
                evidence=Evidence(snippet='<img src="x.png" onerror="alert(1)">' + SCRIPT,
                                  values={"count": 3, "nested": {"a": [1, 2, {"b": "<b>"}]}},
                                  screenshot="home")),
        Finding(severity="critical", message=SCRIPT, url=JS_URL),
        Finding(severity="minor", message="data 链接", url="data:text/html,<script>alert(1)</script>"),
        Finding(severity="info", message="提示信息", url=None,
                evidence=Evidence(screenshot="evil")),
    ]
    checks = [
        CheckResult(check_id="info.overview", status=CheckStatus.SCORED, score=0.875,
                    reason="4 项中 3.5 项合格", findings=findings, plugin="info_disclosure",
                    details={"pages": 12, "missing": ["领导照片"], "long": "x" * 400,
                             "map": {"k": {"deep": [1, 2]}}},
                    duration_ms=123.4),
        CheckResult(check_id="info.updates", status=CheckStatus.NEEDS_MANUAL_REVIEW,
                    reason="栏目无日期", plugin="info_disclosure", duration_ms=3.2),
        CheckResult(check_id="ops.broken", status=CheckStatus.SCORED, deduction=1.5,
                    reason="3 个错链", plugin="ops", duration_ms=15000,
                    veto_hits=[VetoHit(veto="site_unreachable", message="首页无法访问",
                                       url="https://www.example.gov.cn/")],
                    vetoes_evaluated=["site_unreachable"],
                    findings=[Finding(severity="moderate", message=f"错链 {i}",
                                      url=f"https://www.example.gov.cn/p{i}.html") for i in range(60)]),
        CheckResult(check_id="svc.guide", status=CheckStatus.ERROR, reason="检查出错",
                    traceback='Traceback (most recent call last):\n  File "x.py", line 1\n'
                              "ValueError: boom " + SCRIPT,
                    plugin="services"),
    ]
    data = dict(
        tool_version="0.1.0",
        run_id="20240501-abcdef",
        url="https://www.example.gov.cn/",
        profile_id="ministry",
        profile_name="部委网站指标",
        profile_note="指标表合计 102 分",
        as_of=date(2024, 5, 1),
        started_at=datetime(2024, 5, 1, 9, 0, tzinfo=CST),
        finished_at=datetime(2024, 5, 1, 9, 12, 30, tzinfo=CST),
        complete=True,
        total=73.5,
        max_total=100,
        bonus=1,
        bonus_max=3,
        bonus_note="优秀创新案例（人工评定）",
        pending_weight=15.5,
        grade="良好",
        failed=True,
        l1_scores=[
            L1Score(l1="信息发布", weight=15, points=12.5, pending_weight=0),
            L1Score(l1="办事服务", weight=15.5, points=0, pending_weight=15.5),
        ],
        rows=rows,
        vetoes=[
            VetoStatus(id="site_unreachable", name="站点无法访问", rule="首页连续无法访问",
                       status="hit", reason="首页无法访问",
                       hits=[VetoHit(veto="site_unreachable", message="首页无法访问 " + IMG_ONERROR,
                                     url=JS_URL)]),
            VetoStatus(id="security", name="严重安全问题", rule="挂马、被篡改", status="clear",
                       reason="未发现"),
            VetoStatus(id="stale", name="内容长期不更新", rule="首页超过两周未更新",
                       status="not_measured", reason="无日期信息"),
        ],
        checks=checks,
        pages=[
            PageSummary(url="https://www.example.gov.cn/", final_url=None, status=200, error=None,
                        title="首页 " + SCRIPT, depth=0, elapsed_ms=812.5),
            PageSummary(url=JS_URL, final_url=None, status=None, error="scheme " + IMG_ONERROR,
                        title=IMG_ONERROR, depth=1, elapsed_ms=None),
        ] + [
            PageSummary(url=f"https://www.example.gov.cn/n{i}.html", final_url=None, status=404,
                        error=None, title=f"页面 {i}", depth=2, elapsed_ms=10.0)
            for i in range(60)
        ],
        crawl=CrawlStats(pages=62, html_pages=61, errors=61, resources_checked=140,
                         skipped={"offline": 3}, duration_s=95.2),
        plugins=[
            PluginInfo(name="info_disclosure", package="auditkit", version="0.1.0",
                       checks=["info.overview", "info.updates"]),
            PluginInfo(name="ops", package=None, version=None, checks=["ops.broken"]),
        ],
        problems=["浏览器超时一次 " + SCRIPT],
        screenshots={"home": PNG_1X1, "evil": "data:text/html;base64,PHNjcmlwdD4="},
    )
    data.update(overrides)
    return AuditResult(**data)


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = TagCollector()
    parser.feed(html)
    return parser.tags


@pytest.fixture(scope="module")
def html() -> str:
    return render_report(make_result())


def test_complete_document(html):
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert html.rstrip().endswith("</html>")
    assert "https://www.example.gov.cn/" in html
    assert "部委网站指标" in html and "20240501-abcdef" in html and "2024-05-01" in html
    assert "良好" in html and "不合格" in html
    assert "本次审计未完成" not in html
    assert "73.5 <small>/ 100</small>" in html
    assert "待人工评分 15.5 分" in html
    assert "优秀创新案例（人工评定）" in html and "指标表合计 102 分" in html
    assert "结果格式版本 1.0" in html


def test_every_row_and_status_label(html):
    for row in make_result().rows:
        assert row.l2 in html
        assert f'<td class="num">{fmt_num(row.weight)}</td>' in html
    for label in ("已评分", "部分评分", "人工评分", "待人工评分", "尚未自动化（待人工评分）"):
        assert label in html
    assert '<a href="#check-info.updates">' in html
    assert 'id="check-svc.guide"' in html


def test_vetoes_and_checks(html):
    assert "命中" in html and "未命中" in html and "本次未测" in html
    assert "站点无法访问" in html and "首页连续无法访问" in html
    # error check: traceback folded, score and deduction shown
    assert re.search(r"<details class=\"tb block\"><summary>[^<]*</summary><pre><code>Traceback", html)
    assert "87.5%" in html and "扣 1.5 分" in html
    # 60 findings: 50 visible, 10 folded
    assert "其余 10 条发现" in html
    assert "其余 12 个页面" in html
    # nested values rendered compactly, non-ASCII kept
    assert "[&#34;领导照片&#34;]" in html
    assert "&#34;deep&#34;: [1, 2]" in html


def test_autoescape_applies_to_templates():
    env = environment()
    assert env.autoescape("report.html.j2") is True
    assert env.autoescape("_macros.html.j2") is True
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_hostile_content_escaped(html):
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"<[^>]*onerror\s*=", html, re.IGNORECASE)
    assert "<img src=x" not in html
    assert "&lt;b&gt;" in html  # nested evidence value escaped


def test_only_safe_urls_in_attributes(html):
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", html, re.IGNORECASE)
    assert JS_URL in html  # still shown, as text
    for tag, attrs in tags(html):
        for name, val in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name == "href":
                assert val.startswith(("#", "https://", "http://")), val
            if name == "src":
                assert tag == "img" and safe_img_src(val) == val, val
        if tag == "a" and attrs.get("href", "").startswith("http"):
            assert attrs.get("rel") == "noopener noreferrer"


def test_self_contained(html):
    assert not re.search(r"src\s*=\s*[\"']?\s*(https?:)?//", html, re.IGNORECASE)
    assert "<link" not in html.lower()
    assert "@import" not in html and "url(http" not in html
    csp = [a for t, a in tags(html) if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(csp) == 1
    assert "default-src 'none'" in csp[0]["content"] and "img-src data:" in csp[0]["content"]
    assert "script-src" not in csp[0]["content"]


def test_screenshots(html):
    assert f'src="{PNG_1X1}"' in html
    assert html.count(PNG_1X1) == 2  # once in the finding, once in the screenshots section
    assert "data:text/html" not in [a.get("src") for _, a in tags(html)]
    assert "首页截图" in html and 'id="shot-evil"' in html


def test_total_none_and_odd_max():
    html = render_report(make_result(total=None, max_total=102, complete=False, failed=False,
                                     problems=[], screenshots={}))
    assert "— <small>/ 102</small>" in html
    assert "102" in html
    assert "本次审计未完成" in html
    assert 'class="banner failed"' not in html
    assert "截图 “home” 不在结果中" in html


def test_chart_text_escaped_and_scaled():
    scores = [
        L1Score(l1="信息发布", weight=20, points=10, pending_weight=5),
        L1Score(l1="<script>x</script>" + IMG_ONERROR, weight=10, points=0, pending_weight=10),
    ]
    html = render_report(make_result(l1_scores=scores))
    chart = html[html.index('<svg class="chart"'):]
    chart = chart[: chart.index("</svg>")]
    assert "<script" not in chart and "onerror=" not in re.sub(r">[^<]*<", "><", chart)
    assert "&lt;script&gt;x&lt;/script&gt;" in chart  # full name in <title>
    assert "url(#bar-hatch)" in chart
    widths = [float(w) for w in re.findall(r'<rect x="150" y="[\d.]+" width="([\d.]+)"', chart)]
    track = widths[0]
    assert widths[:2] == [track, track / 2]  # first bar: full track, half scored
    assert widths[2] == track / 2  # second bar: weight 10 of max 20


def test_empty_result_renders():
    html = render_report(make_result(l1_scores=[], rows=[], vetoes=[], checks=[], pages=[],
                                     plugins=[], screenshots={}, finished_at=None))
    assert "结果中没有指标行" in html and "结果中没有检查结果" in html


def test_write_report(tmp_path: Path):
    out = write_report(make_result(), tmp_path / "sub" / "report.html")
    assert out.exists() and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://a.gov.cn/x?y=1", True),
        ("HTTP://a.gov.cn", True),
        (" https://a.gov.cn/ ", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example/", False),
        ("/relative", False),
        ("https://", False),
        ("https://a.gov.cn/\nx", False),
        (None, False),
    ],
)
def test_safe_href(url, ok):
    assert (safe_href(url) is not None) is ok


@pytest.mark.parametrize(
    ("uri", "ok"),
    [
        (PNG_1X1, True),
        ("data:image/jpeg;base64,/9j/4AAQ", True),
        ("data:image/webp;base64,UklGRg==", True),
        ("data:image/svg+xml;base64,PHN2Zz4=", False),
        ("data:image/png;base64,abc\"onerror=x", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("https://evil.example/x.png", False),
        ("data:image/png,raw", False),
    ],
)
def test_safe_img_src(uri, ok):
    assert (safe_img_src(uri) is not None) is ok


def test_record_lists_in_details_render_as_tables():
    """A check's measured table (a list of dicts in details) is a table a site owner can read:
    one column per key, URLs as links, hostile values escaped, long tables folded."""
    rows = [{"事项": f"指南 {i}", "页面": f"https://www.example.gov.cn/g{i}.html", "缺失": "设定依据"}
            for i in range(35)]
    rows.append({"事项": SCRIPT, "页面": JS_URL, "用时（天）": 45})
    check = CheckResult(check_id="svc.table", status=CheckStatus.SCORED, score=0.5, reason="表格",
                        plugin="services", details={"各指南要素": rows, "分布": {"齐全": 3}})
    html = render_report(make_result(checks=[*make_result().checks, check]))
    section = html[html.index("svc.table"):]
    table = section[section.index('<table class="records">'):]
    assert "<th>事项</th><th>页面</th><th>缺失</th><th>用时（天）</th>" in table
    assert '<a class="url" href="https://www.example.gov.cn/g0.html"' in table
    assert "其余 6 行" in table  # 30 rows shown, the rest folded
    assert SCRIPT not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
