"""`auditkit audit URL --profile digital_gov` on the demo: every web row gets a reasoned score,
every partial row partial evidence, every manual row waits; a filled template completes the total."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.models import AuditResult, RowStatus
from auditkit.profiles import load_profiles
from auditkit.scoring import score_rows
from auditkit.urls import LOOPBACK_HOSTS

runner = CliRunner()


def test_digital_gov_profile_on_the_demo(demo_url: str, tmp_path: Path) -> None:
    profile = load_profiles()["digital_gov"]
    template = tmp_path / "manual.yaml"
    assert runner.invoke(app, ["manual-template", "--profile", "digital_gov", "--out", str(template)]).exit_code == 0
    filled = yaml.safe_load(template.read_text(encoding="utf-8"))
    manual_rows = [row.key for row in profile.rows if row.automatable == "manual"]
    for key in manual_rows:
        filled["rows"][key].update(points=1, evidence="http://127.0.0.1/会议纪要", note="查阅材料")
    filled["bonus"] = {"points": 2, "note": "", "cases": [{"type": "一体化服务", "name": "一件事一次办"}]}
    template.write_text(yaml.safe_dump(filled, allow_unicode=True), encoding="utf-8")
    config = tmp_path / "auditkit.toml"
    config.write_text("[crawl]\nmax_pages = 250\nper_host_delay_s = 0\nper_host_concurrency = 4\n"
                      f"[network]\nallow_hosts = {json.dumps(LOOPBACK_HOSTS)}\n"
                      "[plugins.ops]\nsecurity_probe_delay_s = 0.0\n", encoding="utf-8")
    out = tmp_path / "out"
    done = runner.invoke(app, ["audit", demo_url, "--profile", "digital_gov", "--as-of", "2021-10-15",
                               "--manual", str(template), "--out", str(out), "--db", str(tmp_path / "a.db"),
                               "--config", str(config)])
    assert done.exit_code in (0, 2), done.output
    result = AuditResult.model_validate_json((out / "result.json").read_text(encoding="utf-8"))
    rows = {r.key: r for r in result.rows}
    for row in profile.rows:
        scored = rows[row.key]
        if row.automatable == "web":
            assert scored.status in (RowStatus.SCORED, RowStatus.PARTIAL) and scored.points is not None, scored
            assert all(ref.id in scored.reason for ref in row.checks), scored.reason  # each check says why
        elif row.automatable == "partial":
            assert scored.status == RowStatus.PARTIAL and scored.points is not None, scored
            assert "需人工复核" in scored.reason
        else:
            assert scored.status == RowStatus.MANUAL and scored.evidence == "http://127.0.0.1/会议纪要"
    assert result.pending_weight == 0 and result.complete and result.vetoes == []
    assert result.total == round(sum(r.points or 0 for r in result.rows), 2) and result.bonus == 2
    assert not result.grade.startswith("待定")

    # without the template the manual rows wait, and only they
    unfilled = score_rows(profile, {c.check_id: c for c in result.checks}, None)
    assert {r.key for r in unfilled if r.status == RowStatus.NOT_AUTOMATED} == set(manual_rows)

    # what the fixture plants is what is found (DEFECTS.md, "Digital government")
    checks = {c.check_id: c for c in result.checks}
    assert checks["digital_gov.transport_services"].score == 0
    assert "未找到「政务服务 App」" in [f.message for f in checks["digital_gov.mobile_services"].findings]
    same = [f.message for f in checks["digital_gov.same_source"].findings]
    assert "「青山县成功创建省级卫生县城」在手机版与门户网站日期不一致" in same
    assert "手机版栏目未同步门户网站的 3 条较新信息" in same
    assert "2/7 个办事指南页面没有评价功能" in [f.message for f in checks["services.rating_channel"].findings]
    assert checks["digital_gov.rating_results"].score == 1.0
    epidemic_missing = {f.message for f in checks["digital_gov.epidemic"].findings}
    assert epidemic_missing == {"未找到「防疫科普」", "未找到「风险等级查询」", "未找到「防疫登记」"}
    assert (out / "report.html").read_text(encoding="utf-8").count("基础保障度") >= 1
