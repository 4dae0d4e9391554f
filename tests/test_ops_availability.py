"""站点无法访问 and 首页可用性 from stored availability samples; probe and monitor."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.models import AvailabilitySample, CheckStatus
from auditkit.store import Store
from auditkit.testing import check_once, make_snapshot, plugin_settings, send
from auditkit_plugins.ops.availability import availability

AS_OF = date(2021, 10, 15)
SITE = "http://127.0.0.1:8/"
SETTINGS = plugin_settings("auditkit_plugins.ops")


def snapshot_with_samples(tmp_path: Path, per_day: int, failures: int, days: int = 7):
    snapshot = make_snapshot(tmp_path / "a.db", {SITE: "<html><body>首页</body></html>"}, AS_OF)
    start = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 8, tzinfo=UTC) - timedelta(days=days - 1)
    failed = 0
    for day in range(days):
        for i in range(per_day):
            ok = failed >= failures
            failed += not ok
            snapshot.store.add_sample(AvailabilitySample(
                site=SITE, url=SITE, at=start + timedelta(days=day, minutes=30 * i), ok=ok,
                status=200 if ok else None, elapsed_ms=120.0, error=None if ok else "timeout"))
    return snapshot


def test_too_few_samples_is_said_not_judged(tmp_path: Path) -> None:
    result = check_once(availability, snapshot_with_samples(tmp_path, per_day=19, failures=0), SETTINGS)
    assert result.status == CheckStatus.NEEDS_MANUAL_REVIEW
    assert "insufficient samples" in result.reason and "site_unreachable" not in result.vetoes_evaluated


@pytest.mark.parametrize("failures, deduction, veto", [(0, 0, False), (1, 0, False), (2, 5, False),
                                                       (6, 5, False), (7, 5, True)])
def test_week_of_samples_applies_the_rule(tmp_path: Path, failures: int, deduction: float, veto: bool) -> None:
    # 7 days × 20 visits = 140: 1 failure is 0.7 %, 2 are 1.4 % (−5), 7 are 5 % (veto)
    result = check_once(availability, snapshot_with_samples(tmp_path, per_day=20, failures=failures), SETTINGS)
    assert result.status == CheckStatus.SCORED and result.deduction == deduction
    assert bool(result.veto_hits) is veto and "site_unreachable" in result.vetoes_evaluated
    assert result.details["samples"] == 140 and len(result.findings) == failures


def test_samples_outside_the_week_do_not_count(tmp_path: Path) -> None:
    snapshot = snapshot_with_samples(tmp_path, per_day=20, failures=0, days=14)
    result = check_once(availability, snapshot, SETTINGS)
    assert result.details["samples"] == 140


def test_probe_and_monitor_store_samples(serve, tmp_path: Path) -> None:
    server = serve({"/": lambda h: send(h, body="首页")}).base
    db = tmp_path / "a.db"
    runner = CliRunner()
    assert runner.invoke(app, ["probe", server + "/", "--offline", "--db", str(db)]).exit_code == 0
    failed = runner.invoke(app, ["probe", server + "/gone", "--offline", "--db", str(db)])
    assert failed.exit_code == 0 and "FAILED (HTTP 404)" in failed.output
    watched = runner.invoke(app, ["monitor", server + "/", "--every", "0.2s", "--for", "1s", "--offline",
                                  "--db", str(db)])
    assert watched.exit_code == 0, watched.output
    store = Store(db)
    samples = store.samples(server + "/", datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    store.close()
    assert 1 + 4 <= len(samples) <= 1 + 6 and all(s.ok for s in samples)


def test_probe_refuses_other_hosts_in_offline_mode(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["probe", "http://example.invalid/", "--offline", "--db", str(tmp_path / "a")])
    assert result.exit_code == 2 and "outside the allowed hosts" in result.output


def test_slow_or_failed_key_pages_are_findings(tmp_path: Path) -> None:
    from auditkit.models import Link
    from auditkit.testing import page_from_html

    home = page_from_html(SITE, "<html><body>首页</body></html>", AS_OF, elapsed_ms=800.0,
                          links=[Link(url=SITE + "slow/", region="nav"), Link(url=SITE + "down/", region="nav"),
                                 Link(url=SITE + "article/", region="body")])
    slow = page_from_html(SITE + "slow/", "<html><body>慢</body></html>", AS_OF, elapsed_ms=16000.0)
    down = page_from_html(SITE + "down/", "", AS_OF, status=None, error="页面 15 秒内未打开 (timeout)")
    article = page_from_html(SITE + "article/", "<html><body>文章</body></html>", AS_OF, elapsed_ms=20000.0)
    snapshot = make_snapshot(tmp_path / "a.db", [home, slow, down, article], AS_OF)
    result = check_once(availability, snapshot, SETTINGS)
    assert {f.url for f in result.findings} == {SITE + "slow/", SITE + "down/"}  # the article is no key page
    assert result.details["key_pages"]["pages"] == 3
