"""The command line: listings, one-line errors, exit codes, killed runs."""

from __future__ import annotations

import json
import socket
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditkit.cli import EXIT_UNREACHABLE, EXIT_USAGE, app
from auditkit.models import PageRecord
from auditkit.profiles import load_profiles
from auditkit.store import Store, now

runner = CliRunner()


def test_profiles_lists_every_row_with_its_weight() -> None:
    shown = runner.invoke(app, ["profiles", "--format", "json"])
    assert shown.exit_code == 0
    listed = {p["id"]: p for p in json.loads(shown.stdout)}
    for profile in load_profiles().values():
        rows = [(r["l1"], r["l2"], r["weight"]) for r in listed[profile.id]["rows"]]
        assert rows == [(r.l1, r.l2, r.weight) for r in profile.rows]
    text = runner.invoke(app, ["profiles"], env={"COLUMNS": "200"})
    assert "hitech" in text.stdout and "精准解读" in text.stdout


def test_plugins_listing() -> None:
    shown = runner.invoke(app, ["plugins", "--format", "json"])
    assert shown.exit_code == 0
    plugins = {p["name"]: p for p in json.loads(shown.stdout)}
    assert "运维保障/日常运维" in plugins["ops"]["rows"]
    assert all(bool(p["rows"]) == bool(p["checks"]) for p in plugins.values())


@pytest.mark.parametrize("args, message", [
    (["audit", "not a url"], "not an http(s) URL"),
    (["audit", "http://127.0.0.1:9/", "--profile", "nosuch"], "unknown profile 'nosuch'"),
    (["audit", "http://127.0.0.1:9/", "--as-of", "15/10/2021"], "--as-of wants YYYY-MM-DD"),
    (["audit", "http://127.0.0.1:9/", "--manual", "/nonexistent/manual.yaml"], "manual scores"),
    (["show", "nosuchrun"], "no single run matches"),
])
def test_bad_input_is_a_one_line_error(args: list[str], message: str, tmp_path: Path) -> None:
    result = runner.invoke(app, [*args, "--db", str(tmp_path / "a.db")])
    assert result.exit_code == EXIT_USAGE
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.browser
def test_unreachable_site_is_recorded_and_exits_3(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = runner.invoke(app, ["audit", f"http://127.0.0.1:{port}/", "--offline", "--db", str(tmp_path / "a.db"),
                                 "--out", str(tmp_path / "out"), "--as-of", "2021-10-15"])
    assert result.exit_code == EXIT_UNREACHABLE, result.output
    saved = json.loads((tmp_path / "out" / "result.json").read_text(encoding="utf-8"))
    assert saved["pages"][0]["error"] and any("首页无法访问" in p for p in saved["problems"])
    assert (tmp_path / "out" / "report.html").exists()


def test_a_killed_run_is_readable_and_marked_incomplete(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    run_id = store.start_run("http://127.0.0.1/", "county", date(2021, 10, 15), "{}", "test")
    store.add_page(run_id, PageRecord(url="http://127.0.0.1/", status=200, fetched_at=now(), title="首页"))
    # A process that died mid-run: its row still says running, its pid is gone.
    store.db["runs"].update(run_id, {"pid": 2**22 + 12345})
    store.close()
    listed = runner.invoke(app, ["runs", "--db", str(tmp_path / "a.db"), "--format", "json"])
    runs = json.loads(listed.stdout)
    assert runs[0]["status"] == "incomplete" and runs[0]["pages"] == 1
    shown = runner.invoke(app, ["show", run_id, "--db", str(tmp_path / "a.db")])
    assert shown.exit_code == EXIT_USAGE and "did not finish" in shown.output
