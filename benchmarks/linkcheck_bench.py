"""Link checking on a generated 2,000-page site: auditkit against LinkChecker.

    .venv/bin/python benchmarks/linkcheck_bench.py [--pages 2000] [--links-per-page 10] [--skip-full]

Generates the site (benchmarks/sitegen.py: 2,000 pages, 20,000 unique link
targets, 5 % of them broken), serves it on 127.0.0.1 from a separate process,
then runs, one after the other, each in its own process:

1. LinkChecker (installed on first use into benchmarks/.venv-linkchecker),
   crawling the site from its home page, as its users run it;
2. auditkit's link-check stage alone: ``LinkChecker.check_all`` over every
   unique link found in the generated pages' HTML (no crawl, no browser);
3. the full ``auditkit audit``: every page rendered in Chromium, the rest
   checked over HTTP, then every check (``--skip-full`` leaves it out).

Same politeness on both sides: 10 requests in flight (LinkChecker's 10
threads, auditkit's ``links.total_concurrency`` and ``per_host_concurrency``),
no per-host rate limit (LinkChecker's ``maxrequestspersecond`` lifted, which
it allows because the site sends a ``LinkChecker`` header; auditkit's crawler
pause ``per_host_delay_s`` = 0). Each run prints wall time, links checked,
links per second, CPU seconds (the process and its children: the fair figure
on a shared machine, where wall time depends on the neighbours), peak RSS and
PSS of the process tree (Chromium included), and the broken links found; the
end compares the broken sets and prints the throughput ratios. The full audit
takes most of the time (minutes: Chromium renders ~2,500 pages); without it
the script needs about a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import hashlib
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
import venv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import psutil
from selectolax.lexbor import LexborHTMLParser
from sitegen import Site, generate, serve

from auditkit.linkcheck import LinkChecker
from auditkit.settings import LinkCheckSettings
from auditkit.urls import LOOPBACK_HOSTS, normalize

HERE = Path(__file__).resolve().parent
LINKCHECKER_VENV = HERE / ".venv-linkchecker"
LINKCHECKER_VERSION = "10.6.0"
IN_FLIGHT = 10  # requests at once, both sides
CRAWL_TABS = 4  # Chromium pages rendered at once by the full audit (2 cores)
TARGET_RATIO = 5.0
#: what the crawler and LinkChecker both treat as links
LINK_SELECTORS = {"a[href]": "href", "img[src]": "src", "link[href]": "href", "script[src]": "src",
                  "iframe[src]": "src"}


@dataclass
class Run:
    name: str
    wall_s: float
    cpu_s: float
    links: int
    peak_rss: int
    peak_pss: int
    broken: set[str]  # URL paths
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.links / self.wall_s

    @property
    def cpu_rate(self) -> float:
        return self.links / self.cpu_s if self.cpu_s else 0.0


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    cpu_s: float
    peak_rss: int
    peak_pss: int


def measure(cmd: list[str], workdir: Path) -> Measured:
    """Run ``cmd``, sampling the memory of its whole process tree every 0.2 s."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out_path, err_path = workdir / "stdout", workdir / "stderr"
    started = time.perf_counter()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        child = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=workdir)
        root = psutil.Process(child.pid)
        peak_rss = peak_pss = 0
        while child.poll() is None:
            rss = pss = 0
            with contextlib.suppress(psutil.Error):
                for proc in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        info = proc.memory_full_info()
                        rss, pss = rss + info.rss, pss + info.pss
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.2)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the child and every descendant it reaped
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(child.returncode, out_path.read_text("utf-8", "replace"), err_path.read_text("utf-8", "replace"),
                    wall, cpu, peak_rss, peak_pss)


def path_of(url: str) -> str:
    return urlsplit(url).path or "/"


# --- the links on the pages --------------------------------------------------------


def extract_links(site: Site, base_url: str) -> list[str]:
    """Every unique link target on the generated pages, read from their HTML as a crawler would."""
    found: dict[str, None] = {}
    for path in site.page_paths:
        page_url = urljoin(base_url, path)
        tree = LexborHTMLParser(site.routes[path].body.decode())
        for selector, attribute in LINK_SELECTORS.items():
            for node in tree.css(selector):
                found[normalize(urljoin(page_url, node.attributes.get(attribute) or ""))] = None
    return list(found)


# --- the three runs -------------------------------------------------------------------


def run_linkchecker(base_url: str, workdir: Path) -> Run:
    linkchecker = ensure_linkchecker()
    # LinkChecker drops root to nobody: its folder must be reachable and writable by anyone.
    workdir.parent.chmod(0o755)
    workdir.chmod(0o777)
    config = workdir / "linkcheckerrc"
    config.write_text(f"[checking]\nthreads={IN_FLIGHT}\nmaxrequestspersecond=1000000\n")
    config.chmod(0o644)
    stats = workdir / "stats.txt"
    measured = measure([str(linkchecker), "-f", str(config), "-t", str(IN_FLIGHT), "--no-status", "-o", "csv",
                        "-F", f"text/utf-8/{stats}", base_url], workdir)
    if measured.returncode not in (0, 1):  # 1: broken links were found
        raise SystemExit(f"LinkChecker exited {measured.returncode}:\n{measured.stderr[-2000:]}")
    rows = csv.DictReader((line for line in measured.stdout.splitlines() if not line.startswith("#")),
                          delimiter=";")
    broken = {path_of(row["url"]) for row in rows if row["valid"] == "False"}
    summary = re.search(r"(\d+) links? in (\d+) URLs? checked", stats.read_text("utf-8", "replace"))
    if not summary:
        raise SystemExit(f"no statistics in LinkChecker's text output {stats}")
    return Run(f"LinkChecker {LINKCHECKER_VERSION}", measured.wall_s, measured.cpu_s, int(summary[2]),
               measured.peak_rss, measured.peak_pss, broken, ["crawls the site itself: fetches and parses every page"])


def run_stage(urls: list[str], workdir: Path) -> Run:
    url_file = workdir / "urls.txt"
    url_file.write_text("\n".join(urls))
    measured = measure([sys.executable, str(Path(__file__).resolve()), "_stage", str(url_file)], workdir)
    if measured.returncode:
        raise SystemExit(f"auditkit link-check stage failed:\n{measured.stderr[-2000:]}")
    report = json.loads(measured.stdout)
    return Run("auditkit link-check stage", measured.wall_s, measured.cpu_s, report["checked"], measured.peak_rss,
               measured.peak_pss, {path_of(u) for u in report["broken"]},
               [f"check_all alone {report['seconds']:.1f} s "
                f"({report['checked'] / report['seconds']:.0f} links/s); the rest is Python start-up"])


def stage_main(url_file: Path) -> None:
    """In the child process: check the URLs as the audit's link-check stage does, print JSON."""
    urls = url_file.read_text().split()
    settings = LinkCheckSettings(total_concurrency=IN_FLIGHT, per_host_concurrency=IN_FLIGHT)
    checker = LinkChecker(settings, "auditkit-benchmark", LOOPBACK_HOSTS)
    started = time.perf_counter()
    results = asyncio.run(checker.check_all(urls, {urlsplit(urls[0]).hostname or ""}))
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "checked": sum(1 for r in results if not r.skipped),
                      "broken": [r.url for r in results if not r.ok]}))


def run_full(base_url: str, max_pages: int, workdir: Path) -> Run:
    config = workdir / "auditkit.toml"
    config.write_text(
        f"[crawl]\nper_host_delay_s = 0.0\nper_host_concurrency = {CRAWL_TABS}\n"
        f"[links]\ntotal_concurrency = {IN_FLIGHT}\nper_host_concurrency = {IN_FLIGHT}\n"
        "[plugins.ops]\nsecurity_probe_delay_s = 0.0\n")
    auditkit = Path(sys.executable).with_name("auditkit")
    out = workdir / "out"
    measured = measure([str(auditkit), "audit", base_url, "--max-pages", str(max_pages), "--as-of", "2021-10-15",
                        "--offline", "--config", str(config), "--db", str(workdir / "a.db"), "--out", str(out)],
                       workdir)
    if measured.returncode:
        raise SystemExit(f"auditkit audit exited {measured.returncode}:\n{measured.stderr[-2000:]}")
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    links = next(c for c in result["checks"] if c["check_id"] == "ops.broken_links")
    crawl = result["crawl"]
    notes = [f"{crawl['pages']} pages rendered in Chromium + {crawl['resources_checked']} links over HTTP "
             f"in {crawl['duration_s']:.1f} s; every check, scoring and the report in the rest"]
    stages = crawl.get("stages") or {}
    if "crawl" in stages and "links" in stages:
        notes.append(f"stages: crawl {stages['crawl']:.1f} s, link check {stages['links']:.1f} s "
                     f"({crawl['resources_checked'] / max(stages['links'], 0.001):.0f} links/s), checks "
                     f"{sum(v for k, v in stages.items() if k.startswith('checks')):.1f} s")
    return Run("auditkit audit (full)", measured.wall_s, measured.cpu_s, crawl["pages"] + crawl["resources_checked"],
               measured.peak_rss, measured.peak_pss,
               {path_of(f["evidence"]["values"]["target"]) for f in links["findings"]}, notes)


def ensure_linkchecker() -> Path:
    """LinkChecker in its own virtualenv (it is no dependency of auditkit), installed on first use."""
    exe = LINKCHECKER_VENV / "bin" / "linkchecker"
    if not exe.exists():
        print(f"installing LinkChecker {LINKCHECKER_VERSION} into {LINKCHECKER_VENV} …", flush=True)
        venv.create(LINKCHECKER_VENV, with_pip=True)
        subprocess.run([str(LINKCHECKER_VENV / "bin" / "pip"), "install", "-q",
                        f"linkchecker=={LINKCHECKER_VERSION}"], check=True)
    return exe


# --- report ---------------------------------------------------------------------------


def mib(size: int) -> str:
    return f"{size / 2**20:.0f} MiB"


def print_runs(runs: list[Run]) -> None:
    header = f"{'':28}{'wall s':>8}{'links':>8}{'links/s':>9}{'CPU s':>8}{'links/CPU s':>12}" \
             f"{'peak RSS':>10}{'peak PSS':>10}{'broken':>8}"
    print(header)
    for r in runs:
        print(f"{r.name:28}{r.wall_s:8.1f}{r.links:8}{r.rate:9.0f}{r.cpu_s:8.1f}{r.cpu_rate:12.0f}"
              f"{mib(r.peak_rss):>10}{mib(r.peak_pss):>10}{len(r.broken):8}")
        for note in r.notes:
            print(f"{'':30}{note}")


def digest(paths: set[str]) -> str:
    """A short fingerprint of a set of URL paths: equal sets, equal digests."""
    return hashlib.sha1("\n".join(sorted(paths)).encode()).hexdigest()[:12]


def compare(expected: set[str], run: Run) -> str:
    if run.broken == expected:
        return f"{run.name}: the {len(expected)} planted broken links, no more, no fewer (set {digest(run.broken)})"
    missed, extra = sorted(expected - run.broken), sorted(run.broken - expected)
    return (f"{run.name}: DIFFERS — missed {len(missed)} {missed[:10]}, "
            f"extra {len(extra)} {extra[:10]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--links-per-page", type=int, default=10)
    parser.add_argument("--broken-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-full", action="store_true", help="leave out the full audit in Chromium")
    parser.add_argument("--list-broken", action="store_true", help="print every broken link each side found")
    args = parser.parse_args()
    started = time.perf_counter()
    site = generate(args.pages, args.links_per_page, args.broken_share, args.seed)
    size = sum(len(r.body) for r in site.routes.values())
    print(f"auditkit link-check benchmark, {date.today()}, {platform.node()}: {psutil.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} (other processes: "
          "wall times suffer, CPU seconds much less)")
    print(f"site: {len(site.page_paths)} pages, {len(site.link_paths)} unique link targets "
          f"({len(site.broken_paths)} broken), {size / 2**20:.1f} MiB, seed {args.seed}")
    print(f"politeness, both sides: {IN_FLIGHT} requests in flight, no per-host rate limit — LinkChecker "
          f"-t {IN_FLIGHT}, maxrequestspersecond=1000000 (the site sends the LinkChecker header); auditkit "
          f"links.total_concurrency = links.per_host_concurrency = {IN_FLIGHT}; full audit: "
          f"crawl.per_host_concurrency = {CRAWL_TABS} Chromium tabs, crawl.per_host_delay_s = 0", flush=True)
    runs: list[Run] = []
    with serve(site) as base_url, tempfile.TemporaryDirectory(prefix="linkcheck-bench-") as tmp:
        urls = extract_links(site, base_url)
        if {path_of(u) for u in urls} != site.link_paths:
            raise SystemExit("the links found in the HTML are not the generated ones: sitegen bug")
        print(f"served at {base_url}; {len(urls)} unique links found in the pages' HTML\n", flush=True)
        steps = [("linkchecker", lambda d: run_linkchecker(base_url, d)), ("stage", lambda d: run_stage(urls, d))]
        if not args.skip_full:
            # Links to deleted articles are rendered too (and answer 404): they count as pages.
            max_pages = len(site.page_paths) + len(site.broken_paths)
            steps.append(("full", lambda d: run_full(base_url, max_pages, d)))
        for name, step in steps:
            workdir = Path(tmp) / name
            workdir.mkdir()
            runs.append(step(workdir))
            print(f"  {runs[-1].name}: {runs[-1].wall_s:.1f} s", flush=True)
    print()
    print_runs(runs)
    lc, ours = runs[0], runs[1:]
    print("\n== summary ==")
    for run in ours:
        ratio, cpu_ratio = run.rate / lc.rate, run.cpu_rate / lc.cpu_rate
        verdict = "" if run is not ours[0] else \
            f"  (target ≥ {TARGET_RATIO:g}×: {'met' if ratio >= TARGET_RATIO else 'NOT met'})"
        print(f"{run.name}: {run.rate:.0f} links/s vs LinkChecker {lc.rate:.0f} → {ratio:.1f}× "
              f"(per CPU second: {cpu_ratio:.1f}×){verdict}")
    print("broken links:")
    for run in runs:
        print("  " + compare(site.broken_paths, run))
    if args.list_broken:
        for run in runs:
            print(f"{run.name} broken:", *sorted(run.broken), sep="\n  ")
    print("peak memory (RSS of the process tree): " +
          ", ".join(f"{r.name} {mib(r.peak_rss)}" for r in runs))
    print(f"total benchmark time {time.perf_counter() - started:.0f} s; load average at the end "
          f"{os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "_stage":
        stage_main(Path(sys.argv[2]))
    else:
        raise SystemExit(main())
