"""The ``auditkit`` command.

Exit codes:
  0  the audit ran (whatever the site scored) / the listing was printed
  2  bad input: URL, profile, manual-scores or config file, unknown run
  3  the site could not be reached: its home page did not open
  4  the environment is not usable (no browser) or an internal error
"""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from auditkit import __version__, availability
from auditkit.browser import BrowserNotFound
from auditkit.models import AuditResult, AvailabilitySample, PageRecord, result_json_schema
from auditkit.pluginmanager import PluginError, load_plugins
from auditkit.profiles import ProfileError, load_profiles, resolve_profile, validate_profile
from auditkit.report import write_report
from auditkit.runner import Progress as RunProgress
from auditkit.runner import run_audit
from auditkit.scoring import ScoringError, load_manual
from auditkit.settings import Settings, build_settings, deep_merge, load_toml
from auditkit.store import Store, default_db_path
from auditkit.urls import LOOPBACK_HOSTS

EXIT_OK, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_ENVIRONMENT = 0, 2, 3, 4

app = typer.Typer(help="Audit Chinese government websites the way the national evaluators do.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
console = Console(stderr=True)
out = Console()

DbOption = Annotated[Path | None, typer.Option("--db", help="SQLite history file [default: user data dir]")]
FormatOption = Annotated[str, typer.Option("--format", help="text or json")]


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    console.print(f"auditkit: {message}", style="red", highlight=False, markup=False)
    return typer.Exit(code)


def open_store(db: Path | None) -> Store:
    return Store(db or default_db_path())


def print_json(data: Any) -> None:
    # Plain stdout: rich would wrap long lines to the terminal width and break the JSON.
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _audit(
    url: str, profile_name: str, max_pages: int | None, as_of: date, manual_path: Path | None,
    out_dir: Path, db: Path | None, config: Path | None, disable: list[str], offline: bool,
    extra_settings: dict[str, Any] | None = None,
) -> AuditResult:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(f"not an http(s) URL: {url!r}")
    try:
        plugins = load_plugins(disable=disable)
        profile = resolve_profile(profile_name)
        validate_profile(profile, plugins.checks)
        overrides = deep_merge(extra_settings or {}, {"crawl": {"max_pages": max_pages}} if max_pages else {})
        settings = _settings(config, offline, plugins.defaults, overrides)
        manual = load_manual(manual_path, profile) if manual_path else None
    except (PluginError, ProfileError, ScoringError, OSError, ValueError) as exc:
        raise fail(str(exc)) from exc
    for problem in plugins.problems:
        console.print(f"warning: {problem.splitlines()[0]}", style="yellow", markup=False)

    store = open_store(db)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("crawl", total=settings.crawl.max_pages)

        def on_page(page: PageRecord, done: int, queued: int) -> None:
            bar.update(task, completed=done, description=f"crawl {page.url[:60]}")

        def on_stage(stage: str) -> None:
            bar.update(task, description=stage)

        try:
            result = asyncio.run(run_audit(url, profile, settings, store, plugins, as_of, manual,
                                           RunProgress(on_stage=on_stage, on_page=on_page)))
        except BrowserNotFound as exc:
            raise fail(str(exc), EXIT_ENVIRONMENT) from exc
        finally:
            store.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "result.json").write_text(result.model_dump_json(indent=2), encoding="utf-8")
    report = write_report(result, out_dir / "report.html")
    total = "—" if result.total is None else f"{result.total:g}"
    out.print(f"{result.url}  {result.profile_name}  {total} / {result.max_total:g}  {result.grade}"
              f"  (pending {result.pending_weight:g})", markup=False, highlight=False)
    for veto in result.vetoes:
        if veto.status == "hit":
            out.print(f"  单项否决 {veto.name}: {veto.reason}", style="red", markup=False)
    out.print(f"report: {report.resolve()}", markup=False, highlight=False)
    out.print(f"result: {(out_dir / 'result.json').resolve()}", markup=False, highlight=False)
    return result


def _settings(config: Path | None, offline: bool, defaults: dict[str, dict[str, Any]],
              overrides: dict[str, Any] | None = None) -> Settings:
    """The user's file, then command-line overrides, over every plugin's defaults."""
    user = deep_merge(load_toml(config) if config else {}, overrides or {})
    if offline:
        user = deep_merge(user, {"network": {"allow_hosts": LOOPBACK_HOSTS}})
    return build_settings(defaults, user)


def _exit_for(result: AuditResult) -> None:
    if any(p.startswith("首页无法访问") for p in result.problems):
        raise typer.Exit(EXIT_UNREACHABLE)


@app.command()
def audit(
    url: str,
    profile: Annotated[str, typer.Option("--profile", "-p", help="profile id or YAML file")] = "county",
    max_pages: Annotated[int | None, typer.Option("--max-pages", min=1)] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="监测时间点 YYYY-MM-DD [default: today]")] = None,
    manual: Annotated[Path | None, typer.Option("--manual", help="manual-scores YAML")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="where report.html and result.json go")] = Path(
        "auditkit-out"),
    db: DbOption = None,
    config: Annotated[Path | None, typer.Option("--config", help="auditkit TOML settings")] = None,
    disable: Annotated[list[str] | None, typer.Option("--disable", help="switch a plugin off")] = None,
    offline: Annotated[bool, typer.Option("--offline", help="contact loopback hosts only")] = False,
) -> None:
    """Crawl URL once, run every check, score it with PROFILE, write the report."""
    result = _audit(url, profile, max_pages, _parse_date(as_of), manual, out_dir, db, config,
                    disable or [], offline)
    _exit_for(result)


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out")] = Path("auditkit-demo"),
    db: DbOption = None,
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1)] = 250,
) -> None:
    """Serve the bundled demo county portal on 127.0.0.1, audit it and print the report path."""
    from auditkit.demo.server import serve_demo

    day = _parse_date(as_of)
    # Loopback only, and no politeness pauses: it is our own server.
    fast = {"crawl": {"per_host_delay_s": 0.0, "per_host_concurrency": 4},
            "plugins": {"ops": {"security_probe_delay_s": 0.0}}}
    with serve_demo(day) as base_url:
        out.print(f"demo site: {base_url}", markup=False, highlight=False)
        _audit(base_url, "county", max_pages, day, None, out_dir, db, None, [], True, fast)


def _parse_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"--as-of wants YYYY-MM-DD, got {value!r}") from exc


def _settings_for(config: Path | None, offline: bool) -> Settings:
    try:
        return _settings(config, offline, load_plugins().defaults)
    except (PluginError, OSError, ValueError) as exc:
        raise fail(str(exc)) from exc


def _print_sample(sample: AvailabilitySample) -> None:
    state = "ok" if sample.ok else f"FAILED ({sample.error})"
    out.print(f"{sample.at:%Y-%m-%d %H:%M:%S}  {sample.url}  {state}  {sample.elapsed_ms or 0:.0f} ms",
              markup=False, highlight=False)


@app.command()
def probe(
    url: str,
    db: DbOption = None,
    config: Annotated[Path | None, typer.Option("--config")] = None,
    offline: Annotated[bool, typer.Option("--offline")] = False,
) -> None:
    """Visit URL's home page once and store the availability sample."""
    settings = _settings_for(config, offline)
    try:
        sample = asyncio.run(availability.probe(url, settings.crawl.page_timeout_s, settings.crawl.user_agent,
                                                settings.network.allow_hosts))
    except ValueError as exc:
        raise fail(str(exc)) from exc
    store = open_store(db)
    store.add_sample(sample)
    store.close()
    _print_sample(sample)


@app.command()
def monitor(
    url: str,
    every: Annotated[str, typer.Option("--every", help="interval, e.g. 30m")] = "30m",
    duration: Annotated[str, typer.Option("--for", help="how long, e.g. 7d")] = "7d",
    db: DbOption = None,
    config: Annotated[Path | None, typer.Option("--config")] = None,
    offline: Annotated[bool, typer.Option("--offline")] = False,
) -> None:
    """Probe URL's home page on a schedule (the 站点无法访问 rule wants ≥ 20 visits a day for a week)."""
    settings = _settings_for(config, offline)
    try:
        interval, span = availability.parse_duration(every), availability.parse_duration(duration)
    except ValueError as exc:
        raise fail(str(exc)) from exc
    store = open_store(db)
    try:
        count = asyncio.run(availability.monitor(url, store, interval, span, settings.crawl.page_timeout_s,
                                                 settings.crawl.user_agent, settings.network.allow_hosts,
                                                 on_sample=_print_sample))
    except ValueError as exc:
        raise fail(str(exc)) from exc
    finally:
        store.close()
    out.print(f"{count} samples stored", markup=False)


@app.command()
def profiles(fmt: FormatOption = "text") -> None:
    """List the profiles with every row, its weight and the checks that score it."""
    try:
        loaded = load_profiles()
    except ProfileError as exc:
        raise fail(str(exc)) from exc
    if fmt == "json":
        print_json([p.model_dump() for p in loaded.values()])
        return
    for profile in loaded.values():
        table = Table(title=f"{profile.id} — {profile.name}  (total {profile.total:g}, bonus {profile.bonus:g})")
        for column in ("一级指标", "二级指标", "权重", "checks"):
            table.add_column(column)
        for row in profile.rows:
            table.add_row(row.l1, row.l2, f"{row.weight:g}",
                          ", ".join(r.id for r in row.checks) or "（待人工评分）")
        out.print(table)
        if profile.note:
            out.print(profile.note, markup=False)


@app.command()
def plugins(fmt: FormatOption = "text") -> None:
    """List installed plugins, their checks and the rows each check informs."""
    try:
        loaded = load_plugins()
    except PluginError as exc:
        raise fail(str(exc)) from exc
    infos = loaded.infos()
    if fmt == "json":
        print_json([{**i.model_dump(), "rows": sorted({r for c in i.checks for r in loaded.checks[c].indicators})}
                    for i in infos])
        return
    table = Table(title="auditkit plugins")
    for column in ("plugin", "package", "version", "check", "rows"):
        table.add_column(column)
    for info in infos:
        checks = info.checks or [""]
        for check_id in checks:
            rows = ", ".join(loaded.checks[check_id].indicators) if check_id else "（尚无检查）"
            table.add_row(info.name, info.package or "", info.version or "", check_id, rows)
    out.print(table)


@app.command()
def runs(db: DbOption = None, fmt: FormatOption = "text", limit: int = 50) -> None:
    """List stored runs, newest first."""
    store = open_store(db)
    items = store.runs(limit)
    store.close()
    if fmt == "json":
        print_json([r.model_dump() for r in items])
        return
    table = Table(title="auditkit runs")
    for column in ("run", "url", "profile", "as of", "status", "pages", "total", "grade"):
        table.add_column(column)
    for r in items:
        total = "—" if r.total is None else f"{r.total:g}/{r.max_total:g}"
        table.add_row(r.id, r.url, r.profile_id, str(r.as_of), r.status, str(r.pages), total, r.grade or "")
    out.print(table)


@app.command()
def show(
    run_id: str,
    db: DbOption = None,
    fmt: FormatOption = "text",
    out_dir: Annotated[Path | None, typer.Option("--out", help="re-render report.html here")] = None,
) -> None:
    """Show one stored run (an id prefix is enough); --out re-renders its report."""
    store = open_store(db)
    try:
        row = store.run_row(run_id)
        if row is None:
            raise fail(f"no single run matches {run_id!r}")
        result = store.load_result(row["id"])
    finally:
        store.close()
    if result is None:
        raise fail(f"run {row['id']} has no result: it did not finish (status {row['status']})")
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "result.json").write_text(result.model_dump_json(indent=2), encoding="utf-8")
        out.print(f"report: {write_report(result, out_dir / 'report.html').resolve()}", markup=False)
    if fmt == "json":
        typer.echo(result.model_dump_json(indent=2))
        return
    total = "—" if result.total is None else f"{result.total:g}"
    out.print(f"{result.run_id}  {result.url}  {result.profile_name}  {total}/{result.max_total:g}  "
              f"{result.grade}", markup=False, highlight=False)
    table = Table()
    for column in ("一级指标", "二级指标", "权重", "得分", "状态", "理由"):
        table.add_column(column)
    for r in result.rows:
        table.add_row(r.l1, r.l2, f"{r.weight:g}", "—" if r.points is None else f"{r.points:g}",
                      r.status.value, r.reason[:80])
    out.print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of result.json."""
    print_json(result_json_schema())


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)
