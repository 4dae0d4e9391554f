"""Distributed batch on loopback: a Redis server and two `auditkit worker` processes,
started here; the submitter merges every result into its own store."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_batch import small_site

pytest.importorskip("celery")
redis = pytest.importorskip("redis")
AUDITKIT = Path(sys.executable).with_name("auditkit")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def test_two_workers_audit_a_batch_merged_into_one_store(serve, broker: str, tmp_path: Path) -> None:
    from celery import Celery

    workers = [subprocess.Popen([str(AUDITKIT), "worker", "--broker", broker, "--db", str(tmp_path / f"w{i}.db")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(2)]
    try:
        control = Celery(broker=broker)
        deadline = time.monotonic() + 60
        while len(control.control.ping(timeout=1.0) or []) < 2:
            assert time.monotonic() < deadline, "workers did not come up"
        sites = [serve(small_site(n)) for n in range(4)]
        csv = tmp_path / "sites.csv"
        csv.write_text("name,url,profile\n" + "".join(f"测试县{n},{s.url('/')},county\n" for n, s in enumerate(sites)),
                       encoding="utf-8")
        submitted = subprocess.run([str(AUDITKIT), "batch", str(csv), "--broker", broker, "--offline",
                                    "--as-of", "2021-10-15", "--db", str(tmp_path / "main.db"),
                                    "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
        assert submitted.returncode == 0, submitted.stdout + submitted.stderr
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.wait(timeout=30)
    with sqlite3.connect(tmp_path / "main.db") as conn:
        assert conn.execute("select status, count(*) from batch_sites group by status").fetchall() == [("done", 4)]
        merged = {row[0] for row in conn.execute("select url from runs where status = 'complete'")}
        assert merged == {s.url("/") for s in sites}
        assert conn.execute("select count(*) from row_scores").fetchone()[0] == 4 * 17  # county rows
    per_worker = []
    for i in range(2):
        with sqlite3.connect(tmp_path / f"w{i}.db") as conn:
            per_worker.append(conn.execute("select count(*) from runs where status = 'complete'").fetchone()[0])
    assert sum(per_worker) == 4 and all(per_worker), per_worker  # both workers took sites
    assert "测试县3" in (tmp_path / "out" / "rankings.html").read_text(encoding="utf-8")
