"""CI regression audits: fingerprints, comparisons, assertions, JUnit/SARIF/Markdown,
and two audits of the demo site with a defect fixed in between."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml, Skipped
from typer.testing import CliRunner

from auditkit import ci, ci_formats
from auditkit.cli import EXIT_ASSERTIONS, app
from auditkit.demo.defects import planted
from auditkit.demo.server import make_server
from auditkit.models import AuditResult, Evidence, Finding

from .conftest import AS_OF
from .test_report import make_result

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def finding(url: str, message: str, severity: str = "moderate") -> Finding:
    return Finding(severity=severity, url=url, message=message, evidence=Evidence())


def test_fingerprint_survives_query_noise_reordering_and_numbers() -> None:
    a = finding("http://x.gov.cn/list?b=2&a=1&jsessionid=AB12&_=1634", "栏目超期 40 天未更新：http://x.gov.cn/c?id=7&t=99")
    b = finding("http://x.gov.cn/list?a=1&b=2", "栏目超期 41 天未更新：http://x.gov.cn/c?t=1&id=7")
    assert ci.fingerprint("ops.column_freshness", a) == ci.fingerprint("ops.column_freshness", b)
    other_target = finding("http://x.gov.cn/list?a=1&b=2", "栏目超期 41 天未更新：http://x.gov.cn/c?id=8")
    assert ci.fingerprint("ops.column_freshness", a) != ci.fingerprint("ops.column_freshness", other_target)
    assert ci.fingerprint("ops.column_freshness", a) != ci.fingerprint("ops.broken_links", a)


def _with_findings(result: AuditResult, *findings: Finding, total: float = 50) -> AuditResult:
    checks = [c.model_copy(update={"findings": list(findings)}) if i == 0 else c.model_copy(update={"findings": []})
              for i, c in enumerate(result.checks)]
    return result.model_copy(update={"checks": checks, "total": total, "run_id": f"run-{total:g}"})


def test_compare_new_and_fixed() -> None:
    base = make_result()
    kept, gone, added = (finding("http://a/", "断链 http://a/x"), finding("http://a/", "断链 http://a/y"),
                         finding("http://a/", "断链 http://a/z", "serious"))
    before, after = _with_findings(base, kept, gone, total=50), _with_findings(base, kept, added, total=47.5)
    comparison = ci.compare(before, after)
    assert [f.message for f in comparison.fixed_findings] == [gone.message]
    assert [f.message for f in comparison.new_findings] == [added.message]
    assert comparison.unchanged_findings == 1 and comparison.total_delta == -2.5


def test_assertions() -> None:
    base = make_result()
    before, after = _with_findings(base, total=80), _with_findings(base, finding("http://a/", "x", "serious"), total=70)
    comparison = ci.compare(before, after)
    rules = ci.Assertions.model_validate({
        "min_total": 75, "max_new_findings": {"serious": 0}, "max_total_drop": 5, "no_veto": True,
        "checks": {after.checks[0].check_id: {"max_findings": 0}},
    })
    outcomes = {o.name: o for o in ci.evaluate(rules, after, comparison)}
    assert not outcomes["min_total"].passed and not outcomes["max_new_findings[serious]"].passed
    assert not outcomes["max_total_drop"].passed
    assert not outcomes[f"checks[{after.checks[0].check_id}]"].passed
    assert all(o.passed for o in ci.evaluate(ci.Assertions(min_total=60), after, None))


def test_formats_validate() -> None:
    base = make_result()
    before = _with_findings(base, finding("http://a/", "断链 http://a/x"), total=60)
    after = _with_findings(base, finding("http://a/", "断链 http://a/z", "serious"), total=55)
    comparison = ci.compare(before, after)
    outcomes = ci.evaluate(ci.Assertions(min_total=58), after, comparison)
    sarif = ci_formats.to_sarif(after, comparison, ci.DEFAULT_NOISE_PARAMS)
    jsonschema.validate(sarif, SARIF_SCHEMA)
    states = {r["message"]["text"]: r["baselineState"] for r in sarif["runs"][0]["results"]}
    assert states["断链 http://a/z"] == "new" and states["断链 http://a/x"] == "absent"
    xml = JUnitXml.fromstring(ci_formats.to_junit(after, comparison, outcomes))
    cases = {case.name: case for suite in xml for case in suite}
    assert any(isinstance(r, Failure) for r in cases["min_total"].result)
    pending = [row.l2 for row in after.rows if row.points is None]
    assert all(any(isinstance(r, Skipped) for r in cases[name].result) for name in pending)
    markdown = ci_formats.to_markdown(after, comparison, outcomes)
    assert "未通过" in markdown and "新增问题（1）" in markdown


def test_markdown_neutralises_site_text() -> None:
    hostile = finding("http://a/", "<img src=x onerror=alert(1)> [x](javascript:alert(1))")
    before, after = _with_findings(make_result(), total=1), _with_findings(make_result(), hostile, total=1)
    markdown = ci_formats.to_markdown(after, ci.compare(before, after), [])
    assert "<img" not in markdown and "[x](" not in markdown


@pytest.mark.browser
def test_regression_audit_of_the_demo_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit, fix the home page's broken link, audit again: exactly that finding is fixed."""
    import threading

    monkeypatch.chdir(tmp_path)
    (tmp_path / "auditkit.toml").write_text(
        '[crawl]\nper_host_delay_s = 0\nper_host_concurrency = 4\nmax_pages = 250\n'
        '[plugins.ops]\nsecurity_probe_delay_s = 0\n'
        '[assertions]\n[assertions.checks."ops.broken_links"]\nmax_deduction = 1.0\n', encoding="utf-8")
    server = make_server(AS_OF, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    runner = CliRunner()
    common = ["--offline", "--as-of", AS_OF.isoformat(), "--db", str(tmp_path / "a.db")]
    try:
        first = runner.invoke(app, ["audit", url, "--out", "one", *common])
        assert first.exit_code == EXIT_ASSERTIONS, first.output  # 5 broken links: −1.4 > 1.0
        run_one = json.loads((tmp_path / "one" / "result.json").read_text(encoding="utf-8"))["run_id"]
        target = "/ztzl/yhyshj/"  # what the home page's broken banner points at
        server.app.routes[target] = server.app.routes["/xxgk/"]
        second = runner.invoke(app, ["audit", url, "--out", "two", "--baseline", run_one,
                                     "--junit", "ci/junit.xml", "--sarif", "ci/result.sarif",
                                     "--markdown", "ci/summary.md", *common])
        assert second.exit_code == 0, second.output
    finally:
        server.shutdown()
        server.server_close()
    one = AuditResult.model_validate_json((tmp_path / "one" / "result.json").read_text(encoding="utf-8"))
    two = AuditResult.model_validate_json((tmp_path / "two" / "result.json").read_text(encoding="utf-8"))
    comparison = ci.compare(one, two)
    # Browser-driven checks sample pages and may move a little between runs; the link
    # check is exact: the one fixed link, nothing new, and the home page's point back.
    fixed = [f for f in comparison.fixed_findings if f.check_id == "ops.broken_links"]
    assert len(fixed) == 1 and target in fixed[0].message and planted("home_broken_link").path == "/"
    assert not [f for f in comparison.new_findings if f.check_id == "ops.broken_links"]
    before, after = one.check("ops.broken_links").deduction, two.check("ops.broken_links").deduction
    assert before - after == pytest.approx(1.0, abs=0.01)
    assert (comparison.total_delta or 0) > 0
    jsonschema.validate(json.loads((tmp_path / "ci" / "result.sarif").read_text(encoding="utf-8")), SARIF_SCHEMA)
    JUnitXml.fromfile(str(tmp_path / "ci" / "junit.xml"))
    assert f"已修复 {len(comparison.fixed_findings)} 条" in (tmp_path / "ci" / "summary.md").read_text(encoding="utf-8")
    shown = runner.invoke(app, ["diff", one.run_id, two.run_id, "--db", str(tmp_path / "a.db"), "--out", "d",
                                "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert ci.Comparison.model_validate_json(shown.stdout.split("\ndiff: ")[0]) == comparison
    page = (tmp_path / "d" / "diff.html").read_text(encoding="utf-8")
    assert "已修复" in page and target in page and "<script" not in page
