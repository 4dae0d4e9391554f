"""The plugin contract: discovery through entry points, isolation of faulty plugins."""

from __future__ import annotations

import asyncio
import time
from datetime import date
from types import SimpleNamespace

import pytest

from auditkit import check, hookimpl
from auditkit.checks import CheckContext, run_check
from auditkit.models import CheckStatus, result_json_schema
from auditkit.pluginmanager import PluginError, load_plugins

BUILTINS = {"info_disclosure", "policy_interpretation", "open_data", "services", "interaction",
            "consolidation", "search_qa", "accessibility", "ops", "site_design"}


def test_builtins_arrive_through_entry_points() -> None:
    loaded = load_plugins()
    infos = {i.name: i for i in loaded.infos()}
    assert set(infos) >= BUILTINS
    assert infos["ops"].package == "auditkit"  # found as a distribution's entry point, like a third party
    assert loaded.checks["ops.broken_links"].plugin == "ops"
    assert loaded.defaults["ops"]["home_broken_link_deduction"] == 1.0


def test_disable_switches_a_plugin_off() -> None:
    loaded = load_plugins(disable=["ops"])
    assert "ops.broken_links" not in loaded.checks
    assert "ops" not in {i.name for i in loaded.infos()}


@check(id="bad.raises", title="raises", indicators=["x/y"])
def raises(ctx: CheckContext):
    raise RuntimeError("plugin bug")


@check(id="bad.returns", title="returns junk", indicators=["x/y"])
def returns_junk(ctx: CheckContext):
    return {"score": 1}


@check(id="bad.hangs", title="hangs", indicators=["x/y"])
async def hangs(ctx: CheckContext):
    await asyncio.sleep(30)


@check(id="bad.noscore", title="scored without score", indicators=["x/y"])
def no_score(ctx: CheckContext):
    return ctx.result(reason="forgot the score")


@check(id="good.sync", title="fine", indicators=["x/y"])
def fine(ctx: CheckContext):
    return ctx.result(score=0.5, reason="half")


def ctx_for(check_id: str) -> CheckContext:
    return CheckContext(snapshot=SimpleNamespace(), settings={}, as_of=date(2021, 10, 15), check_id=check_id)


@pytest.mark.parametrize("bad, message", [
    (raises, "RuntimeError: plugin bug"),
    (returns_junk, "returned dict, not CheckResult"),
    (hangs, "time limit"),
    (no_score, "neither score nor deduction"),
])
def test_faulty_checks_become_error_results_naming_the_plugin(bad, message) -> None:
    from dataclasses import replace

    named = replace(bad, plugin="thirdparty")
    started = time.perf_counter()
    result = asyncio.run(run_check(named, ctx_for(named.id), timeout_s=0.5))
    assert time.perf_counter() - started < 5
    assert result.status == CheckStatus.ERROR
    assert "'thirdparty'" in result.reason and message in result.reason
    if bad is raises:
        assert "plugin bug" in (result.traceback or "")


def test_good_check_result_is_stamped() -> None:
    result = asyncio.run(run_check(fine, ctx_for("good.sync"), timeout_s=5))
    assert result.status == CheckStatus.SCORED and result.score == 0.5 and result.title == "fine"


class RaisingHooks:
    @hookimpl
    def auditkit_checks(self):
        raise ValueError("cannot list checks")


def test_a_raising_hook_is_reported_not_fatal() -> None:
    loaded = load_plugins(extra=[RaisingHooks()])
    assert "ops.broken_links" in loaded.checks
    assert any("cannot list checks" in p for p in loaded.problems)


class DuplicateCheck:
    @hookimpl
    def auditkit_checks(self):
        return [fine, fine]


def test_duplicate_check_ids_are_refused() -> None:
    with pytest.raises(PluginError, match="already provided"):
        load_plugins(extra=[DuplicateCheck()])


class WrongApi:
    AUDITKIT_API = "99"


def test_plugin_api_version_is_enforced() -> None:
    with pytest.raises(PluginError, match="needs auditkit plugin API 99"):
        load_plugins(extra=[WrongApi()])


def test_result_schema_is_versioned() -> None:
    schema = result_json_schema()
    assert schema["$id"].endswith("result-1.0.json")
    assert {"rows", "vetoes", "checks", "total", "max_total"} <= set(schema["properties"])


def test_exported_schema_file_matches_the_model() -> None:
    import json
    from pathlib import Path

    from auditkit.models import RESULT_SCHEMA_VERSION

    exported = Path(__file__).parents[1] / "schema" / f"result-{RESULT_SCHEMA_VERSION}.json"
    assert json.loads(exported.read_text(encoding="utf-8")) == result_json_schema(), (
        "result model changed: bump RESULT_SCHEMA_VERSION if incompatible, then `auditkit schema > "
        f"{exported.relative_to(exported.parents[1])}`"
    )


def test_hook_reference_is_generated_from_the_hookspecs() -> None:
    from pathlib import Path

    from auditkit import hookspecs
    from auditkit.hookdocs import hook_names, render_hook_reference

    docs = Path(__file__).parents[1] / "docs" / "hooks.md"
    assert docs.read_text(encoding="utf-8") == render_hook_reference(), (
        "docs/hooks.md is stale: run `python -m auditkit.hookdocs > docs/hooks.md`")
    for name in hook_names():
        assert (getattr(hookspecs, name).__doc__ or "").strip(), f"hook {name} has no documentation"
        assert f"## `{name}`" in docs.read_text(encoding="utf-8")
