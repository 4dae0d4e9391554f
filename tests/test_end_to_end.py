"""Audit the bundled demo site end to end: planted defects within reach of the
existing checks are found, healthy parts are not flagged, a faulty plugin does
not stop the audit, and the stored run re-renders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.demo.defects import HEALTHY, planted
from auditkit.models import AuditResult, CheckStatus, RowStatus
from auditkit.profiles import resolve_profile

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def audit(demo_audit: tuple[AuditResult, Path]) -> tuple[AuditResult, Path]:
    return demo_audit


def test_crawl_covers_the_site(audit) -> None:
    result, _ = audit
    assert result.complete and result.crawl.html_pages >= 60
    assert "home" in result.screenshots and result.screenshots["home"].startswith("data:image/jpeg;base64,")
    # The endless calendar is cut off by the trap and depth guards, and says so.
    assert sum("/calendar" in p.url for p in result.pages) <= 13
    assert set(result.crawl.skipped) & {"beyond max depth", "crawler trap: too many query variants"}


@pytest.mark.parametrize("defect_id", ["home_broken_link", "inner_broken_link", "broken_image", "broken_attachment"])
def test_planted_broken_links_are_found(audit, demo_url: str, defect_id: str) -> None:
    result, _ = audit
    links = result.check("ops.broken_links")
    pages = {p for f in links.findings for p in f.evidence.values["appears_on"]}
    assert demo_url.rstrip("/") + planted(defect_id).path in pages, (defect_id, pages)


def test_broken_link_deductions_follow_the_rule(audit) -> None:
    result, _ = audit
    links = result.check("ops.broken_links")
    on_home = links.details["broken_on_home"]
    assert on_home >= 1
    expected = on_home * 1.0 + (links.details["broken"] - on_home) * 0.1
    assert links.deduction == pytest.approx(expected)
    row = next(r for r in result.rows if r.key == "运维保障/日常运维")
    judged = [result.check(c) for c in row.check_ids]
    fractions = [c.score for c in judged if c.status == CheckStatus.SCORED and c.score is not None]
    deductions = sum(c.deduction or 0 for c in judged if c.status == CheckStatus.SCORED)
    assert row.points == pytest.approx(max(0, 10 * sum(fractions) / len(fractions) - deductions), abs=0.01)
    assert row.status == RowStatus.PARTIAL  # availability needs a week of samples; 通报 stays manual


def test_healthy_parts_are_not_flagged(audit, demo_url: str) -> None:
    result, _ = audit
    links = result.check("ops.broken_links")
    broken_targets = {f.evidence.values["target"] for f in links.findings}
    healthy_paths = {demo_url.rstrip("/") + h.path for h in HEALTHY}
    assert not broken_targets & healthy_paths
    assert all(json.dumps(f.evidence.values).count("404") or f.evidence.values["status"] for f in links.findings)
    footer = result.check("site_design.footer_identity")
    assert footer.score == 1.0, footer.reason  # the demo footer is complete


def test_faulty_plugin_is_isolated(audit) -> None:
    result, _ = audit
    bad = result.check("thirdparty.explodes")
    assert bad.status == CheckStatus.ERROR and "ZeroDivisionError" in bad.reason and bad.traceback
    assert any("thirdparty.explodes" in p for p in result.problems)
    assert result.check("ops.broken_links").status == CheckStatus.SCORED


def test_rows_without_checks_are_pending_never_passes(audit) -> None:
    result, _ = audit
    county = resolve_profile("county")
    assert [(r.l1, r.l2, r.weight) for r in result.rows] == [(r.l1, r.l2, r.weight) for r in county.rows]
    for row in result.rows:
        if row.status == RowStatus.NOT_AUTOMATED:
            assert row.points is None
    assert result.pending_weight == sum(r.weight for r in result.rows if r.points is None)
    # The planted serious typo and forged date are veto hits: 不合格 whatever the points.
    assert result.failed and result.grade == "不合格"


def test_stored_run_lists_and_rerenders(audit, tmp_path: Path) -> None:
    result, db = audit
    runner = CliRunner()
    listed = runner.invoke(app, ["runs", "--db", str(db), "--format", "json"])
    assert listed.exit_code == 0, listed.output
    runs = json.loads(listed.stdout)
    assert runs[0]["id"] == result.run_id and runs[0]["status"] == "complete"
    shown = runner.invoke(app, ["show", result.run_id[:15], "--db", str(db), "--out", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "法定主动公开" in html and result.run_id in html
    assert AuditResult.model_validate_json((tmp_path / "result.json").read_text(encoding="utf-8")) == result


def test_freshness_and_serious_errors(audit, demo_url: str) -> None:
    result, _ = audit
    base = demo_url.rstrip("/")
    columns = result.check("ops.column_freshness")
    status = {c["url"].removeprefix(base): c["status"] for c in columns.details["columns"]}
    assert status[planted("stale_news_column").path] == status[planted("stale_notice_column").path] == "stale"
    assert status[planted("empty_column").path] == status[planted("empty_column_2").path] == "empty"
    assert status[planted("fresh_news_column").path] == status[planted("fresh_work_column").path] == "fresh"
    assert not any(p.startswith("/calendar") for p in status)
    assert {f.url.removeprefix(base) for f in columns.findings} == {planted(i).path for i in (
        "stale_news_column", "stale_notice_column", "empty_column", "empty_column_2")}
    assert not columns.veto_hits and "columns_not_updated" in columns.vetoes_evaluated
    home = result.check("ops.home_freshness")
    assert home.score == 1.0 and not home.veto_hits and home.details["age_days"] == 2
    errors = result.check("ops.serious_errors")
    assert {(h.veto, h.url.removeprefix(base)) for h in errors.veto_hits} == {
        ("serious_error", planted("serious_typo").path), ("security_incident", planted("future_date").path)}
    vetoes = {v.id: v.status for v in result.vetoes}
    assert vetoes["columns_not_updated"] == vetoes["home_not_updated"] == "clear"
    assert vetoes["serious_error"] == vetoes["security_incident"] == "hit"
    assert vetoes["site_unreachable"] == "not_measured"  # one visit is not a week of samples


def test_security_and_privacy(audit, demo_url: str) -> None:
    result, _ = audit
    base = demo_url.rstrip("/")
    security = result.check("ops.security")
    flagged = " ".join(f.message + " " + (f.url or "") for f in security.findings)
    assert "/.git/HEAD" in flagged and "1.8.3" in flagged and "PHP/5.6.40" in flagged
    assert base + "/uploads/" in flagged
    assert "/phpinfo.php" not in flagged  # answered 404: healthy
    privacy = result.check("ops.privacy")
    assert any(f.url == base + planted("personal_data").path and f.severity == "critical" for f in privacy.findings)
    assert not any(f.url == base + planted("id_lookalike").path for f in privacy.findings)
    raw = result.model_dump_json()
    assert "430124197805120316" not in raw and "13873156842" not in raw  # shown masked only
    row = next(r for r in result.rows if r.key == "运维保障/隐私保护")
    assert row.points is not None and row.points < row.weight


def test_soft_404_is_a_broken_link(audit, demo_url: str) -> None:
    result, _ = audit
    base = demo_url.rstrip("/")
    links = result.check("ops.broken_links")
    soft = [f.evidence.values for f in links.findings if "soft_404" in f.evidence.values]
    assert [(v["target"], v["appears_on"], v["status"]) for v in soft] == [
        (base + "/xwzx/ywdt/content_10099.html", [base + planted("soft_404").path], 200)]
    assert links.details["soft_404"] == 1
    assert base + planted("error_page_article").path not in {v["target"] for v in soft}
