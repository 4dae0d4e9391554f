"""The ``auditkit`` command.

Exit codes:
  0  the audit ran (whatever the site scored) / the listing was printed
  2  bad input: URL, profile, manual-scores or config file, unknown run
  3  the site could not be reached: its home page did not open
  4  the environment is not usable (no browser) or an internal error
  5  an assertion of the config file failed (CI regression audits)
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

from auditkit import __version__, availability, ci, ci_formats
from auditkit.browser import BrowserNotFound
from auditkit.ci import DEFAULT_NOISE_PARAMS, discover_config, load_assertions
from auditkit.models import AuditResult, AvailabilitySample, PageRecord, result_json_schema
from auditkit.pluginmanager import PluginError, load_plugins, load_plugins_and_profiles
from auditkit.profiles import ProfileError, resolve_profile, validate_profile
from auditkit.report import render_diff, write_report
from auditkit.runner import Progress as RunProgress
from auditkit.runner import run_audit
from auditkit.scoring import ScoringError, load_manual
from auditkit.settings import Settings, build_settings, deep_merge, load_toml
from auditkit.store import Store, default_db_path
from auditkit.urls import LOOPBACK_HOSTS

EXIT_OK, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_ENVIRONMENT, EXIT_ASSERTIONS = 0, 2, 3, 4, 5

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
        plugins, known = load_plugins_and_profiles(disable=disable)
        profile = resolve_profile(profile_name, known)
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
    user.pop("assertions", None)  # CI assertions share the file; they are no run settings
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
    baseline: Annotated[str | None, typer.Option("--baseline", help="an earlier run id or result.json")] = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="write JUnit XML here")] = None,
    sarif: Annotated[Path | None, typer.Option("--sarif", help="write SARIF 2.1.0 here")] = None,
    markdown: Annotated[Path | None, typer.Option("--markdown", help="write a Markdown summary here")] = None,
) -> None:
    """Crawl URL once, run every check, score it with PROFILE, write the report.

    With --baseline, compare with an earlier run; assertions from the config file
    (auditkit.toml or [tool.auditkit] in pyproject.toml, found in the current folder
    when --config is not given) decide the exit code."""
    config = config or discover_config(Path.cwd())
    try:
        assertions = load_assertions(load_toml(config)) if config else None
    except (OSError, ValueError) as exc:
        raise fail(f"{config}: {exc}") from exc
    before = _load_baseline(baseline, db) if baseline else None
    result = _audit(url, profile, max_pages, _parse_date(as_of), manual, out_dir, db, config,
                    disable or [], offline)
    noise = assertions.noise_params if assertions else DEFAULT_NOISE_PARAMS
    comparison = ci.compare(before, result, noise) if before else None
    outcomes = ci.evaluate(assertions, result, comparison) if assertions else []
    if comparison:
        out.print(f"vs baseline {comparison.baseline_run}: total {comparison.total_delta:+g}, "
                  f"{len(comparison.new_findings)} new, {len(comparison.fixed_findings)} fixed findings"
                  if comparison.total_delta is not None else f"vs baseline {comparison.baseline_run}",
                  markup=False, highlight=False)
    _write_ci_outputs(result, comparison, outcomes, noise, junit, sarif, markdown)
    failed = [o for o in outcomes if not o.passed]
    for outcome in failed:
        out.print(f"  assertion failed  {outcome.name}: {outcome.message}", style="red", markup=False)
    _exit_for(result)
    if failed:
        raise typer.Exit(EXIT_ASSERTIONS)


def _load_baseline(ref: str, db: Path | None) -> AuditResult:
    """A result.json file, or a stored run (an id prefix is enough)."""
    path = Path(ref)
    try:
        if path.is_file():
            return AuditResult.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise fail(f"baseline {ref}: not a result.json of this auditkit ({exc.__class__.__name__})") from exc
    store = open_store(db)
    try:
        row = store.run_row(ref)
        found = store.load_result(row["id"]) if row else None
    finally:
        store.close()
    if found is None:
        raise fail(f"baseline {ref!r}: no such file, and no single finished run with that id")
    return found


def _write_ci_outputs(result: AuditResult, comparison: ci.Comparison | None, outcomes: list[ci.AssertionOutcome],
                      noise: list[str], junit: Path | None, sarif: Path | None, markdown: Path | None) -> None:
    for path, text in (
        (junit, lambda: ci_formats.to_junit(result, comparison, outcomes)),
        (sarif, lambda: json.dumps(ci_formats.to_sarif(result, comparison, noise), ensure_ascii=False, indent=2)),
        (markdown, lambda: ci_formats.to_markdown(result, comparison, outcomes)),
    ):
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text(), encoding="utf-8")


@app.command()
def diff(
    run_a: str,
    run_b: str,
    db: DbOption = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="write diff.html here")] = None,
    fmt: FormatOption = "text",
) -> None:
    """Compare two stored runs (or result.json files): score deltas, new and fixed findings."""
    baseline, current = _load_baseline(run_a, db), _load_baseline(run_b, db)
    comparison = ci.compare(baseline, current)
    if fmt == "json":
        typer.echo(comparison.model_dump_json(indent=2))
    else:
        table = Table(title=f"{comparison.baseline_run} → {comparison.current_run}")
        for column in ("一级指标", "二级指标", "基线", "本次", "变化"):
            table.add_column(column)
        table.add_row("总分", "", _num(comparison.total_before), _num(comparison.total_after),
                      _num(comparison.total_delta, signed=True))
        for d in comparison.rows:
            if d.delta:
                table.add_row(d.l1, d.l2, _num(d.before), _num(d.after), _num(d.delta, signed=True))
        out.print(table)
        for title, refs in (("new", comparison.new_findings), ("fixed", comparison.fixed_findings)):
            out.print(f"{title} findings: {len(refs)}", markup=False)
            for ref in refs[:30]:
                out.print(f"  {ref.check_id}  {ref.severity}  {ref.message}", markup=False, highlight=False)
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / "diff.html"
        path.write_text(render_diff(baseline, current, comparison), encoding="utf-8")
        out.print(f"diff: {path.resolve()}", markup=False, highlight=False)


def _num(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+g}" if signed else f"{value:g}"


@app.command()
def batch(
    sites_csv: Annotated[Path, typer.Argument(help="CSV: name,url,profile[,region,level,manual]")],
    out_dir: Annotated[Path, typer.Option("--out", help="reports and rankings go here")] = Path("auditkit-batch"),
    db: DbOption = None,
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="sites audited at once (one browser)")] = 2,
    retries: Annotated[int, typer.Option("--retries", min=0, help="extra attempts for a failed site")] = 1,
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
    max_pages: Annotated[int | None, typer.Option("--max-pages", min=1)] = None,
    config: Annotated[Path | None, typer.Option("--config")] = None,
    offline: Annotated[bool, typer.Option("--offline")] = False,
    broker: Annotated[str | None, typer.Option("--broker", help="redis://… : audit on `auditkit worker`s")] = None,
) -> None:
    """Audit every site of SITES_CSV and write per-profile rankings. Interrupt it at any
    time: the same command continues with the sites that are not done. With --broker the
    sites are audited by `auditkit worker` processes and merged into this store."""
    from auditkit import batch as batches
    from auditkit.rankings import write_rankings

    day = _parse_date(as_of)
    try:
        sites = batches.read_sites(sites_csv)
        plugins, known = load_plugins_and_profiles()
        for name in sorted({s.profile for s in sites}):
            validate_profile(resolve_profile(name, known), plugins.checks)
        overrides = {"crawl": {"max_pages": max_pages}} if max_pages else {}
        settings = _settings(config, offline, plugins.defaults, overrides)
    except (batches.BatchError, PluginError, ProfileError, OSError, ValueError) as exc:
        raise fail(str(exc)) from exc
    store = open_store(db)
    run = batches.Batch(store, batches.batch_id_for(sites_csv), str(sites_csv.resolve()))
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as bar:
        task = bar.add_task(f"batch {run.id}", total=None)

        def on_site(outcome: batches.SiteOutcome, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            score = "—" if outcome.result is None or outcome.result.total is None else f"{outcome.result.total:g}"
            bar.console.print(f"{outcome.status:6}  {score:>6}  {outcome.site.name}  {outcome.site.url}"
                              + (f"  ({(outcome.error or '').splitlines()[0]})" if outcome.error else ""),
                              markup=False, highlight=False)

        try:
            if broker:
                _distributed().run_batch_distributed(run, sites, settings, day, out_dir, broker, retries, on_site)
            else:
                asyncio.run(batches.run_batch(run, sites, settings, plugins, known, day, out_dir, jobs, retries,
                                              on_site))
        except batches.BatchError as exc:
            raise fail(str(exc)) from exc
        except BrowserNotFound as exc:
            raise fail(str(exc), EXIT_ENVIRONMENT) from exc
        finally:
            written = write_rankings(store, run.id, out_dir)
            store.close()
    for path in written:
        out.print(f"{path.resolve()}", markup=False, highlight=False)


def _distributed() -> Any:
    try:
        from auditkit import distributed
    except ImportError as exc:
        raise fail(f"distributed batches need Celery: pip install 'auditkit[distributed]' ({exc})") from exc
    return distributed


@app.command()
def worker(
    broker: Annotated[str, typer.Option("--broker", help="redis://host:port/db")],
    db: DbOption = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1)] = 1,
) -> None:
    """Audit sites sent by `auditkit batch --broker` (Celery worker; runs until stopped)."""
    _distributed().run_worker(broker, db, concurrency)


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
        _, loaded = load_plugins_and_profiles()
    except (PluginError, ProfileError) as exc:
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
        loaded, _ = load_plugins_and_profiles()
    except (PluginError, ProfileError) as exc:
        raise fail(str(exc)) from exc
    for problem in loaded.problems:
        console.print(f"error: {problem.splitlines()[0]}", style="red", markup=False)
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


@app.command("manual-template")
def manual_template(
    profile: Annotated[str, typer.Option("--profile", "-p")] = "county",
    out_file: Annotated[Path, typer.Option("--out", help="a .yaml or .xlsx file")] = Path("manual.yaml"),
) -> None:
    """Write a fillable manual-scores file: every row, how it is scored, what the expert adds."""
    from auditkit import manual

    try:
        _, known = load_plugins_and_profiles()
        chosen = resolve_profile(profile, known)
    except (PluginError, ProfileError) as exc:
        raise fail(str(exc)) from exc
    if out_file.suffix == ".xlsx":
        manual.xlsx_template(chosen, out_file)
    elif out_file.suffix in (".yaml", ".yml"):
        out_file.write_text(manual.yaml_template(chosen), encoding="utf-8")
    else:
        raise fail(f"--out wants a .yaml or .xlsx file, got {out_file}")
    modes = [manual.mode_of(row) for row in chosen.rows]
    out.print(f"{out_file}: {modes.count('machine')} machine-scored, {modes.count('partial')} partly, "
              f"{modes.count('manual')} manual rows", markup=False, highlight=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of result.json."""
    print_json(result_json_schema())


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)
