"""办事服务 on the demo site: the planted guide and download defects are found, the healthy
guides are not flagged, every 办事服务 row has a reasoned score, and the report shows the
per-guide table."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.demo.defects import planted
from auditkit.models import AuditResult, CheckStatus, RowStatus
from auditkit.report import render_report

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def audit(demo_audit: tuple[AuditResult, Path], demo_url: str) -> tuple[AuditResult, str]:
    return demo_audit[0], demo_url.rstrip("/")


def test_guide_elements_find_the_planted_gaps_and_keep_the_veto_clear(audit) -> None:
    result, base = audit
    check = result.check("services.guide_elements")
    rows = {r["页面"].removeprefix(base): r for r in check.details["各指南要素"]}
    assert len(rows) == 7 and all(path.startswith("/bsfw/content_600") for path in rows)
    incomplete = rows[planted("incomplete_guide").path]
    assert incomplete["缺失"] == "设定依据、收费标准、办理时间、联系电话、办理流程、表格下载"
    assert rows[planted("empty_guide_value").path]["内容空泛"] == "办理材料"
    for healthy in ("complete_guide", "inline_guide"):
        assert rows[planted(healthy).path]["全部要素"] == "11/11", healthy
    assert rows[planted("inline_guide").path]["版式"] == "段落（标签：内容）"
    flagged = {f.url.removeprefix(base) for f in check.findings}
    assert flagged == {planted("incomplete_guide").path, planted("empty_guide_value").path}
    assert not check.veto_hits and "services_unusable" in check.vetoes_evaluated
    assert next(v for v in result.vetoes if v.id == "services_unusable").status == "clear"


def test_downloads_and_online_entries(audit) -> None:
    result, base = audit
    check = result.check("services.downloads")
    assert check.deduction == 1.0  # one attachment, one online system, 0.5 each
    assert {f.url.removeprefix(base) for f in check.findings} == {
        planted("broken_attachment").path, planted("broken_online_entry").path}
    notes = {r["链接"]: r["结果"] for r in check.details["各链接"]}
    assert notes[base + "/uploads/bsfw/cxjm_ylbx_cbdjb.docx"] == "可访问"
    # the provincial platform is never fetched in offline mode: not verified, not broken
    platform = [note for url, note in notes.items() if "zwfw-new.hunan.gov.cn" in url]
    assert platform and all(note.startswith("未核验") for note in platform)


def test_depth_lists_queries_and_integration(audit) -> None:
    result, _ = audit
    depth = result.check("services.online_depth")
    assert depth.details["分布"] == {"全程网办": 1, "在线预审/在线申报": 2, "仅信息公开": 4}
    lists = {r["清单"]: r["结果"] for r in result.check("services.local_lists").details["清单"]}
    assert lists["权责清单"].startswith("可访问") and lists["通办清单（跨省）"].startswith("可访问")
    assert lists["中介清单"] == lists["依申请行政权力事项清单"] == "未发布"
    assert lists["跑动次数清单"] == "2 个办事指南标注到现场次数"  # 60001 (0次) and 60007 (最多跑一次)
    queries = result.check("services.convenience_queries")
    assert len(queries.details["覆盖领域"]) == 5
    integration = result.check("services.integration")
    assert integration.details["个人导航"] == ["个人办事"] and integration.details["法人导航"] == ["法人办事"]
    packages = {p["名称"]: p["事项/步骤数"] for p in integration.details["一件事一次办"]}
    assert packages == {"开办餐饮店“一件事”": 4, "新生儿出生“一件事”": "未抓取"}


def test_every_services_row_is_scored_with_reasons(audit) -> None:
    result, _ = audit
    for l2 in ("服务覆盖度", "网办深度", "服务准确度", "服务集成度"):
        row = result.row(f"办事服务/{l2}")
        assert row.status == RowStatus.PARTIAL and row.points is not None, row
        assert 0 < row.points < row.weight and "尚无自动检查" in row.reason
    accuracy = result.row("办事服务/服务准确度")
    assert "services.downloads 扣 1 分" in accuracy.reason
    # the zone checks run on every audit and say what they saw
    for check in result.checks:
        if check.plugin == "services":
            assert check.status in (CheckStatus.SCORED, CheckStatus.NEEDS_MANUAL_REVIEW), check.reason
            assert check.reason


def test_report_shows_the_per_guide_table(audit) -> None:
    result, base = audit
    html = render_report(result)
    section = html[html.index('id="check-services.guide_elements"'):]
    assert '<table class="records">' in section[:20000]
    assert f'href="{base}{planted("incomplete_guide").path}"' in section[:20000]
