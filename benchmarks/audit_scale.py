"""How a whole audit scales: one site of 100, 500 and 2,000 pages, and a batch of
50 sites of 100 pages, on synthetic government sites served from loopback.

    .venv/bin/python benchmarks/audit_scale.py                  # all of it (≈ 15 min on 2 cores)
    .venv/bin/python benchmarks/audit_scale.py --sizes 100 500 --batch-sites 10

Prints, per site size: wall time, seconds per page, peak PSS of the process tree,
and where the time went (crawl, link checks, snapshot checks, browser-driven
checks, from result.json); for the batch: sites per hour with one browser shared
by `--jobs` sites at a time, and what that means for a national round
(1,200 sites of 300 pages over a weekend on four such machines).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import tempfile
from pathlib import Path

from measure import AUDITKIT, measure
from sitegen import generate, serve

ROUND_SITES, ROUND_PAGES, ROUND_HOURS, ROUND_MACHINES = 1200, 300, 48, 4


def audit_one(pages: int, workdir: Path) -> dict[str, object]:
    site = generate(pages=pages, links_per_page=10, broken_share=0.02, seed=pages)
    with serve(site) as url:
        run = measure([AUDITKIT, "audit", url, "--offline", "--as-of", "2021-10-15", "--max-pages", str(pages + 50),
                       "--config", str(workdir / "fast.toml"), "--db", str(workdir / f"{pages}.db"),
                       "--out", str(workdir / f"out-{pages}")])
    result = json.loads((workdir / f"out-{pages}" / "result.json").read_text(encoding="utf-8"))
    return {"pages": result["crawl"]["html_pages"], "seconds": run.seconds, "peak_mib": run.peak_mib,
            "stages": result["crawl"]["stages"]}


def audit_batch(sites: int, pages: int, jobs: int, workdir: Path) -> dict[str, float]:
    generated = [generate(pages=pages, links_per_page=10, broken_share=0.02, seed=1000 + i) for i in range(sites)]
    with contextlib.ExitStack() as stack:
        urls = [stack.enter_context(serve(site, process=False)) for site in generated]
        csv = workdir / "sites.csv"
        csv.write_text("name,url,profile\n" + "".join(f"站点{i},{u},county\n" for i, u in enumerate(urls)),
                       encoding="utf-8")
        run = measure([AUDITKIT, "batch", str(csv), "--offline", "--as-of", "2021-10-15", "--jobs", str(jobs),
                       "--max-pages", str(pages + 20), "--config", str(workdir / "fast.toml"),
                       "--db", str(workdir / "batch.db"), "--out", str(workdir / "batch")])
    if run.returncode != 0:
        raise SystemExit(f"auditkit batch exited {run.returncode}")
    return {"seconds": run.seconds, "peak_mib": run.peak_mib, "sites_per_hour": sites / run.seconds * 3600}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 500, 2000])
    parser.add_argument("--batch-sites", type=int, default=50)
    parser.add_argument("--batch-pages", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="auditkit-scale-"))
    # Loopback is ours: no politeness pauses, more pages at once, no pause between probes.
    (workdir / "fast.toml").write_text(
        "[crawl]\nper_host_delay_s = 0\nper_host_concurrency = 4\n"
        "[plugins.ops]\nsecurity_probe_delay_s = 0\n", encoding="utf-8")
    try:
        print(f"{'pages':>6} {'wall s':>8} {'s/page':>7} {'peak MiB':>9}  stages (s)")
        singles = []
        for size in args.sizes:
            row = audit_one(size, workdir)
            singles.append(row)
            stages = "  ".join(f"{k} {v:.1f}" for k, v in row["stages"].items())
            print(f"{row['pages']:>6} {row['seconds']:>8.1f} {row['seconds'] / row['pages']:>7.3f} "
                  f"{row['peak_mib']:>9.0f}  {stages}", flush=True)
        if args.batch_sites:
            batch = audit_batch(args.batch_sites, args.batch_pages, args.jobs, workdir)
            print(f"\nbatch: {args.batch_sites} sites × {args.batch_pages} pages, --jobs {args.jobs}: "
                  f"{batch['seconds']:.0f} s, {batch['sites_per_hour']:.0f} sites/hour, "
                  f"peak PSS {batch['peak_mib']:.0f} MiB")
            # Per-site cost grows linearly in pages (see the table): scale to 300-page sites.
            per_site_h = 1 / batch["sites_per_hour"] * ROUND_PAGES / args.batch_pages
            machines_hours = ROUND_SITES * per_site_h / ROUND_MACHINES
            print(f"national round: {ROUND_SITES} sites × {ROUND_PAGES} pages ≈ {machines_hours:.1f} h on "
                  f"{ROUND_MACHINES} machines (target ≤ {ROUND_HOURS} h: "
                  f"{'met' if machines_hours <= ROUND_HOURS else 'NOT met'})")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
