"""Batch evaluation: CSV input, resumable runs, rankings."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from auditkit.batch import BatchError, read_sites
from auditkit.testing import send

AUDITKIT = Path(sys.executable).with_name("auditkit")


def test_csv_in_gbk_and_clear_errors(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_bytes("name,url,profile,region,level\n青山县人民政府,http://127.0.0.1:1/,county,湖南,县\n"
                     .encode("gbk"))
    [site] = read_sites(path)
    assert site.name == "青山县人民政府" and site.region == "湖南" and site.url == "http://127.0.0.1:1/"
    path.write_text("name,url,profile\nA,http://127.0.0.1:1/,county\nB,ftp://x,county\n", encoding="utf-8")
    with pytest.raises(BatchError, match="line 3: url"):
        read_sites(path)


def small_site(n: int) -> dict:
    """A tiny county portal; site n has n broken links, so the ranking order is known."""
    links = "".join(f'<a href="/gone{i}">失效{i}</a>' for i in range(n))
    home = (f"<html><head><title>测试县{n}</title></head><body><div class='nav'><a href='/a'>要闻</a></div>"
            f"{links}<div class='footer'>主办单位：测试县{n}人民政府 网站标识码：430124000{n}</div></body></html>")
    return {"/": lambda h: send(h, body=home),
            "/a": lambda h: send(h, body="<html><head><title>要闻</title></head><body>文章</body></html>")}


@pytest.mark.browser
def test_killed_batch_resumes_and_audits_every_site_once(serve, tmp_path: Path) -> None:
    sites = [serve(small_site(n)) for n in range(5)]
    csv = tmp_path / "sites.csv"
    csv.write_text("name,url,profile,region,level\n" + "".join(
        f"测试县{n},{site.url('/')},county,{'湖南' if n % 2 else '江西'},县\n" for n, site in enumerate(sites)),
        encoding="utf-8")
    db = tmp_path / "a.db"
    command = [str(AUDITKIT), "batch", str(csv), "--db", str(db), "--out", str(tmp_path / "out"), "--jobs", "1",
               "--offline", "--as-of", "2021-10-15"]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.1)
        if db.exists():
            with sqlite3.connect(db) as conn:
                try:
                    done = conn.execute("select count(*) from batch_sites where status = 'done'").fetchone()[0]
                except sqlite3.OperationalError:
                    continue
            if done >= 2:
                break
    assert first.poll() is None and done >= 2, "the batch should still be running after two sites"
    os.kill(first.pid, signal.SIGKILL)  # as hard as it gets: no cleanup at all
    first.wait()

    second = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    with sqlite3.connect(db) as conn:
        statuses = conn.execute("select status, count(*) from batch_sites group by status").fetchall()
        complete = dict(conn.execute("select url, count(*) from runs where status = 'complete' group by url"))
    assert statuses == [("done", 5)]
    assert sorted(complete) == sorted(site.url("/") for site in sites)
    assert set(complete.values()) == {1}, complete  # every site audited to the end exactly once
    html = (tmp_path / "out" / "rankings.html").read_text(encoding="utf-8")
    order = [html.index(f"测试县{n}<br>") for n in range(5)]
    assert order == sorted(order)  # fewer broken links, higher rank
    for n in range(5):
        assert (tmp_path / "out" / "sites" / f"{n:04d}-127.0.0.1" / "report.html").exists()
    sheet = load_workbook(tmp_path / "out" / "rankings.xlsx")["county"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [1, 2, 3, 4, 5]
    assert (tmp_path / "out" / "rankings-county.csv").read_text(encoding="utf-8-sig").startswith("排名,网站")
