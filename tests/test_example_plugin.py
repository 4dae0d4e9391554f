"""A third-party plugin for real: pip-install examples/auditkit-plugin-example into a
temporary environment, see it listed, scored in an audit and shown in the report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditkit.testing import send

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "auditkit-plugin-example"
AUDITKIT = Path(sys.executable).with_name("auditkit")


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The example installed with pip into its own folder; PYTHONPATH makes it visible."""
    target = tmp_path_factory.mktemp("site-packages")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(EXAMPLE)], check=True, capture_output=True)
    return {**os.environ, "PYTHONPATH": str(target)}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(AUDITKIT), *args], env=env, capture_output=True, text=True, timeout=300)


def test_listed_with_its_check_and_profile(plugin_env: dict[str, str]) -> None:
    listed = run(["plugins", "--format", "json"], plugin_env)
    assert listed.returncode == 0, listed.stderr
    plugin = next(p for p in json.loads(listed.stdout) if p["name"] == "newmedia")
    assert plugin["package"] == "auditkit-plugin-example" and plugin["version"] == "0.1.0"
    assert plugin["checks"] == ["newmedia.linkage"] and plugin["rows"] == ["功能设计/政务新媒体联动"]
    profiles = {p["id"]: p for p in json.loads(run(["profiles", "--format", "json"], plugin_env).stdout)}
    extended = profiles["county-newmedia"]
    assert extended["total"] == 100 and len(extended["rows"]) == len(profiles["county"]["rows"]) + 1
    weights = {f"{r['l1']}/{r['l2']}": r["weight"] for r in extended["rows"]}
    assert weights["功能设计/智能搜索"] == 2 and weights["功能设计/政务新媒体联动"] == 2


def test_its_own_tests_pass_with_the_kit(plugin_env: dict[str, str]) -> None:
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
                           env=plugin_env, capture_output=True, text=True, cwd=EXAMPLE, timeout=300)
    assert tests.returncode == 0, tests.stdout + tests.stderr


@pytest.mark.browser
def test_scored_in_an_audit_and_shown_in_the_report(plugin_env: dict[str, str], serve, tmp_path: Path) -> None:
    site = serve({"/": lambda h: send(h, body=(
        "<html><head><title>青山县人民政府</title></head><body>"
        '<a href="https://weibo.com/qs">官方微博</a> <a href="/app.html">青山 APP</a></body></html>'))})
    audited = run(["audit", site.url("/"), "--profile", "county-newmedia", "--offline", "--as-of", "2021-10-15",
                   "--db", str(tmp_path / "a.db"), "--out", str(tmp_path / "out")], plugin_env)
    assert audited.returncode == 0, audited.stdout + audited.stderr
    result = json.loads((tmp_path / "out" / "result.json").read_text(encoding="utf-8"))
    row = next(r for r in result["rows"] if r["l2"] == "政务新媒体联动")
    assert row["status"] == "scored" and row["points"] == pytest.approx(2 * 2 / 3, abs=0.01)
    assert "政务新媒体联动" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_a_check_claiming_a_row_no_profile_has_is_named_and_left_out() -> None:
    from auditkit import check, hookimpl
    from auditkit.pluginmanager import load_plugins_and_profiles

    @check(id="orphan.check", title="claims a row nobody has", indicators=["功能设计/不存在的行"])
    def orphan(ctx):
        return ctx.result(score=1, reason="")

    class Orphan:
        @hookimpl
        def auditkit_checks(self):
            return [orphan]

    loaded, _ = load_plugins_and_profiles(extra=[Orphan()])
    assert "orphan.check" not in loaded.checks and "ops.broken_links" in loaded.checks
    assert any("claims row '功能设计/不存在的行'" in p and "orphan.check" in p for p in loaded.problems)
