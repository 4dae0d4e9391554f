"""Time and peak memory of `auditkit demo` (the whole process tree, Chromium included).

    .venv/bin/python benchmarks/demo_cost.py [--runs 3]

Peak memory is the largest sum of PSS (proportional set size: shared pages split
between the processes that share them) over auditkit and all its child processes,
sampled every 50 ms. Chromium runs in several processes: the parent's own
ru_maxrss would miss them, and summing RSS would count shared libraries many times.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil


def tree_pss(process: psutil.Process) -> int:
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_full_info().pss
    return total


def one_run(workdir: Path) -> tuple[float, int]:
    auditkit = Path(sys.executable).with_name("auditkit")
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(auditkit), "demo", "--out", str(workdir / "out"), "--db", str(workdir / "a.db")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    process = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, tree_pss(process))
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"auditkit demo exited {child.returncode}")
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times, peaks = [], []
    for _ in range(args.runs):
        workdir = Path(tempfile.mkdtemp(prefix="auditkit-bench-"))
        try:
            elapsed, peak = one_run(workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        times.append(elapsed)
        peaks.append(peak)
        print(f"run: {elapsed:.1f} s, peak PSS {peak / 2**20:.0f} MiB", flush=True)
    print(f"auditkit demo: median {statistics.median(times):.1f} s, "
          f"peak PSS max {max(peaks) / 2**20:.0f} MiB over {args.runs} runs")


if __name__ == "__main__":
    main()
