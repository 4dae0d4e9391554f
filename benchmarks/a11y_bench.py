"""Per-page cost of the accessibility pass — auditkit vs Lighthouse vs pa11y — on the same local pages.

    .venv/bin/python benchmarks/a11y_bench.py [--pages 50] [--site sitegen|demo] [--tools auditkit,lighthouse,pa11y]

auditkit: axe-core (WCAG 2 A/AA) plus the elderly-mode measurements (every page measured
in normal mode, the 长辈版 switched on where the site has one, every page measured again),
one browser for the whole pass, as in an audit (browser start included). The side-by-side
screenshots the elder-mode check takes of its few sample pages are left out: they are
report pictures, not measurements of every page. Lighthouse: its accessibility category, the
CLI once per page (how it is run). pa11y: its axe runner, the CLI once per page. Both come
from npm and are installed on first use into benchmarks/.a11y-tools (gitignored), with
Puppeteer's browser download skipped: all three drive Debian's Chromium.

Printed: the pass's wall time per page for each tool, with the load average when it
started (auditkit's time is the mean of a run before and one after the peers, whose runs
take minutes on a machine whose load may drift), and the WCAG 2 A/AA rule ids each
flagged: the peers' results filtered to the rules axe tags wcag2a/wcag2aa, as auditkit
runs; axe's "incomplete" results are not violations for any of them.

The pages: ``--site sitegen`` (default) generates them with benchmarks/sitegen.py;
``--site demo`` takes the first pages of a crawl of the bundled demo portal, which has an
elder mode and planted accessibility defects.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from auditkit.browser import QUIET_ARGS, BrowserSession, find_chromium
from auditkit.settings import package_defaults
from auditkit.testing import plugin_settings
from auditkit.urls import LOOPBACK_HOSTS
from auditkit_plugins.accessibility.axe import AXE_SOURCE, run_axe
from auditkit_plugins.accessibility.config import Settings
from auditkit_plugins.accessibility.elder import measure_modes
from auditkit_plugins.accessibility.sample import SamplePage
from auditkit_plugins.search_qa.controls import live_controls, match_controls

HERE = Path(__file__).resolve().parent
TOOLS_DIR = HERE / ".a11y-tools"
PACKAGES = ["lighthouse@12", "pa11y@9"]
AS_OF = date(2021, 10, 15)
RESOLVER = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"


# --- the pages ------------------------------------------------------------------


@contextmanager
def sitegen_pages(n: int) -> Iterator[list[str]]:
    sys.path.insert(0, str(HERE))
    from sitegen import generate, serve  # the benchmarks' site generator

    site = generate(pages=n, links_per_page=10, seed=1)
    with serve(site) as base:
        yield [base.rstrip("/") + path for path in site.page_paths[:n]]


@contextmanager
def demo_pages(n: int) -> Iterator[list[str]]:
    # A server process of its own, as sitegen's: a server thread here would compete for the GIL
    # with the auditkit pass being measured.
    server = subprocess.Popen([sys.executable, "-m", "auditkit.demo.server", "--port", "0", "--as-of",
                               AS_OF.isoformat()], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        base = next(word for word in line.split() if word.startswith("http://"))
        yield asyncio.run(_crawl(base, n))
    finally:
        server.terminate()
        server.wait(10)


async def _crawl(base: str, n: int) -> list[str]:
    from auditkit.crawler import Crawler
    from auditkit.settings import build_settings
    from auditkit.snapshot import Snapshot
    from auditkit.store import Store

    settings = build_settings({}, {"crawl": {"max_pages": n * 2, "per_host_delay_s": 0, "screenshot_home": False},
                                   "network": {"allow_hosts": LOOPBACK_HOSTS}})
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "a.db")
        run_id = store.start_run(base, "bench", AS_OF, "{}", "bench")
        async with BrowserSession(allow_hosts=LOOPBACK_HOSTS) as session:
            await Crawler(settings, session, store, run_id, AS_OF).run(base)
        urls = [p.final_url or p.url for p in Snapshot(store, run_id, base, AS_OF).html_pages()]
        store.close()
    return urls[:n]


# --- the tools --------------------------------------------------------------------


def wcag_rules() -> set[str]:
    """Ids of the axe rules tagged wcag2a or wcag2aa (what auditkit runs)."""
    return set(asyncio.run(_wcag_rules()))


async def _wcag_rules() -> list[str]:
    async with BrowserSession(allow_hosts=LOOPBACK_HOSTS) as session:
        context = await session.new_context()
        page = await context.new_page()
        await page.set_content("<html></html>")
        await page.add_script_tag(content=AXE_SOURCE)
        ids = await page.evaluate("() => axe.getRules(['wcag2a', 'wcag2aa']).map(r => r.ruleId)")
        await context.close()
    return list(ids)


async def _auditkit(urls: list[str]) -> set[str]:
    cfg = Settings.model_validate(plugin_settings("auditkit_plugins.accessibility"))
    samples = [SamplePage(url, "page", "页面") for url in urls]
    async with BrowserSession(allow_hosts=LOOPBACK_HOSTS) as session:
        results = await run_axe(session, samples, cfg)
        context = await session.new_context()
        try:
            page = await context.new_page()
            await page.goto(urls[0], wait_until="load")
            has_entry = bool(match_controls(await live_controls(page), cfg.elder_markers))
            await page.close()
            normal, landing, _, elder = await measure_modes(context, samples, cfg, has_entry, screenshots=False)
        finally:
            await context.close()
    errors = [r.url for r in results if r.error] + [m.url for m in normal + elder if m.error]
    if errors:
        print(f"  auditkit: {len(errors)} page visits failed, e.g. {errors[0]}", file=sys.stderr)
    print(f"  auditkit: elder mode {'measured too' if landing else 'absent: normal mode measured'}")
    return {v.id for r in results for v in r.violations}


def run_auditkit(urls: list[str]) -> set[str]:
    return asyncio.run(_auditkit(urls))


def install_tools() -> None:
    if (TOOLS_DIR / "node_modules" / ".bin" / "lighthouse").exists() and (
            TOOLS_DIR / "node_modules" / ".bin" / "pa11y").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm not found: apt-get install -y npm (Lighthouse and pa11y come from npm)")
    TOOLS_DIR.mkdir(exist_ok=True)
    print(f"installing {', '.join(PACKAGES)} into {TOOLS_DIR} …", flush=True)
    subprocess.run([npm, "install", "--prefix", str(TOOLS_DIR), "--no-audit", "--no-fund", *PACKAGES], check=True,
                   env=os.environ | {"PUPPETEER_SKIP_DOWNLOAD": "1"}, stdout=subprocess.DEVNULL)


def chromium() -> str:
    path = find_chromium()
    if path is None:
        raise SystemExit("this benchmark needs a system Chromium (apt-get install -y chromium)")
    return path


def run_lighthouse(urls: list[str], wcag: set[str]) -> set[str]:
    flags = " ".join(["--headless=new", "--no-sandbox", *QUIET_ARGS, f'"{RESOLVER}"'])
    found: set[str] = set()
    for url in urls:
        out = subprocess.run([str(TOOLS_DIR / "node_modules" / ".bin" / "lighthouse"), url,
                              "--only-categories=accessibility", f"--chrome-flags={flags}", "--output=json",
                              "--quiet"], capture_output=True, text=True, env=os.environ | {"CHROME_PATH": chromium()})
        if out.returncode != 0:
            print(f"  lighthouse failed on {url}: {out.stderr.strip()[:200]}", file=sys.stderr)
            continue
        audits = json.loads(out.stdout)["audits"]
        found |= {key for key, audit in audits.items() if audit.get("scoreDisplayMode") == "binary"
                  and audit.get("score") == 0}
    return found & wcag


def run_pa11y(urls: list[str], wcag: set[str], config: Path) -> set[str]:
    found: set[str] = set()
    for url in urls:
        out = subprocess.run([str(TOOLS_DIR / "node_modules" / ".bin" / "pa11y"), "--runner", "axe", "--config",
                              str(config), "--reporter", "json", "--include-warnings", "--include-notices", url],
                             capture_output=True, text=True)
        if not out.stdout.strip().startswith("["):
            print(f"  pa11y failed on {url}: {(out.stderr or out.stdout).strip()[:200]}", file=sys.stderr)
            continue
        found |= {issue["code"] for issue in json.loads(out.stdout)
                  if not (issue.get("runnerExtras") or {}).get("needsFurtherReview")}
    return found & wcag


def timed(label: str, n: int, work: Callable[[], set[str]]) -> tuple[float, set[str]]:
    load = os.getloadavg()[0]
    started = time.perf_counter()
    rules = work()
    per_page = (time.perf_counter() - started) / n
    print(f"{label:<10} {per_page:8.3f} s/page  (load average {load:4.1f} at start)   "
          f"rules: {', '.join(sorted(rules)) or '—'}", flush=True)
    return per_page, rules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--site", choices=["sitegen", "demo"], default="sitegen")
    parser.add_argument("--tools", default="auditkit,lighthouse,pa11y")
    args = parser.parse_args(argv)
    tools = args.tools.split(",")
    package_defaults("auditkit_plugins.accessibility")  # fail early when the plugin is not installed
    if {"lighthouse", "pa11y"} & set(tools):
        install_tools()
    wcag = wcag_rules()
    pages = sitegen_pages if args.site == "sitegen" else demo_pages
    with pages(args.pages) as urls, tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "pa11y.json"
        config.write_text(json.dumps({"chromeLaunchConfig": {"executablePath": chromium(), "args": [
            "--no-sandbox", *QUIET_ARGS, RESOLVER]}, "timeout": 60000}))
        n = len(urls)
        print(f"{n} pages of the {args.site} site; WCAG 2 A/AA rules: {len(wcag)}")
        results: dict[str, tuple[float, set[str]]] = {}
        ours: list[tuple[float, set[str]]] = []
        # auditkit runs before and after the peers (their runs take minutes): the mean of the two
        # evens out a machine whose load drifts meanwhile
        if "auditkit" in tools:
            ours.append(timed("auditkit", n, lambda: run_auditkit(urls)))
        if "lighthouse" in tools:
            results["lighthouse"] = timed("lighthouse", n, lambda: run_lighthouse(urls, wcag))
        if "pa11y" in tools:
            results["pa11y"] = timed("pa11y", n, lambda: run_pa11y(urls, wcag, config))
        if "auditkit" in tools and len(tools) > 1:
            ours.append(timed("auditkit", n, lambda: run_auditkit(urls)))
    if ours:
        results["auditkit"] = (sum(cost for cost, _ in ours) / len(ours), ours[0][1])
        print(f"auditkit   {results['auditkit'][0]:8.3f} s/page  (mean of {len(ours)} runs)")
        ours_cost, rules = results["auditkit"]
        for tool, target in (("lighthouse", 20), ("pa11y", 5)):
            if tool in results:
                theirs, their_rules = results[tool]
                same = "same rule ids" if their_rules == rules else (
                    f"rule ids differ: only auditkit {sorted(rules - their_rules)}, "
                    f"only {tool} {sorted(their_rules - rules)}")
                print(f"auditkit vs {tool}: {theirs / ours_cost:5.1f}× faster per page (target ≥ {target}×); {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
