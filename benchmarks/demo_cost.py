"""Time and peak memory of `auditkit demo` (the whole process tree, Chromium included).

    .venv/bin/python benchmarks/demo_cost.py [--runs 3]

Peak memory: the largest PSS of the whole process tree (see measure.py).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from measure import AUDITKIT, measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times, peaks = [], []
    for _ in range(args.runs):
        workdir = Path(tempfile.mkdtemp(prefix="auditkit-bench-"))
        try:
            run = measure([AUDITKIT, "demo", "--out", str(workdir / "out"), "--db", str(workdir / "a.db")])
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        if run.returncode != 0:
            raise SystemExit(f"auditkit demo exited {run.returncode}")
        times.append(run.seconds)
        peaks.append(run.peak_mib)
        print(f"run: {run.seconds:.1f} s, peak PSS {run.peak_mib:.0f} MiB", flush=True)
    print(f"auditkit demo: median {statistics.median(times):.1f} s, "
          f"peak PSS max {max(peaks):.0f} MiB over {args.runs} runs")


if __name__ == "__main__":
    main()
