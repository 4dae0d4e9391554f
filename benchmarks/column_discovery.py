"""Time column discovery (auditkit.columns.discover) over a 500-page snapshot.

    .venv/bin/python benchmarks/column_discovery.py [--pages 500] [--runs 3]

The snapshot is built without a browser (auditkit.testing) from the pages of the TRS-style
fixture site in tests/fixtures/sites/trs_city: its home, platform and column pages as they
are, more pages of each column list (index_1.html …) and more articles cloned from its own,
until the snapshot holds ``--pages`` pages. Discovery is timed cold (the first run in the
process, loading jieba's dictionary included) and warm (a fresh snapshot, jieba loaded): both
must stay under 2 s for 500 pages.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from datetime import date
from itertools import count
from pathlib import Path

from auditkit.columns import discover
from auditkit.models import PageRecord
from auditkit.snapshot import Snapshot
from auditkit.testing import folder_pages, make_snapshot

AS_OF = date(2021, 10, 15)
BASE = "http://127.0.0.1:8/"
TEMPLATES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "sites" / "trs_city"
LIMIT_S = 2.0


def synthetic_pages(total: int) -> list[PageRecord]:
    """The fixture site's pages, then pagination pages and cloned articles, ``total`` in all."""
    pages = folder_pages(TEMPLATES, BASE, AS_OF)
    columns = [p for p in pages if p.url.endswith("/index.html") and "暂无信息" not in p.html]
    articles = [p for p in pages if re.search(r"/t\d{8}_\d+\.html$", p.url)]
    extra: list[PageRecord] = []
    serial = count(90000)
    for round_ in count(1):
        for template in columns + articles:
            if len(pages) + len(extra) >= total:
                return pages + extra
            if template in columns:
                url = template.url.replace("/index.html", f"/index_{round_}.html")
            else:
                url = re.sub(r"_\d+\.html$", f"_{next(serial)}.html", template.url)
            extra.append(template.model_copy(update={"url": url}))
    return pages + extra


def timed_discovery(snapshot: Snapshot) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, topics found): on a busy machine the CPU time
    says what discovery itself costs."""
    wall, cpu = time.perf_counter(), time.process_time()
    column_map = discover(snapshot)
    return time.perf_counter() - wall, time.process_time() - cpu, sum(m.found for m in column_map.matches.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pages = synthetic_pages(args.pages)
    with tempfile.TemporaryDirectory() as folder:
        snapshots = [make_snapshot(Path(folder) / f"run{i}.db", pages, AS_OF, BASE) for i in range(args.runs + 1)]
        cold, cold_cpu, found = timed_discovery(snapshots[0])
        warm = [timed_discovery(s)[:2] for s in snapshots[1:]]
    walls = [w for w, _ in warm]
    print(f"snapshot: {len(pages)} pages ({TEMPLATES.name} fixture as templates); topics found: {found}")
    print(f"column discovery, cold (jieba dictionary loaded in the run): {cold:.2f} s (CPU {cold_cpu:.2f} s)")
    print(f"column discovery, warm: median {statistics.median(walls):.2f} s, max {max(walls):.2f} s "
          f"(CPU median {statistics.median(c for _, c in warm):.2f} s) over {len(warm)} runs")
    verdict = "OK" if max(cold, *walls) < LIMIT_S else "TOO SLOW (see the CPU times on a busy machine)"
    print(f"limit {LIMIT_S:.0f} s for {args.pages} pages: {verdict}")


if __name__ == "__main__":
    main()
