"""SQLite history (sqlite-utils): runs, pages, resources, check results, findings, row scores.

Pages are written as they are crawled, so a killed run keeps what it had and
memory stays flat. A run is ``running`` until it finishes; a ``running`` row
whose process is gone is reported as ``incomplete``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import platformdirs
import sqlite_utils
from pydantic import BaseModel

from auditkit.models import AuditResult, AvailabilitySample, CheckResult, PageRecord, ResourceStatus, RowScore


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir("auditkit")) / "auditkit.db"


def now() -> datetime:
    return datetime.now(UTC)


class RunInfo(BaseModel):
    id: str
    url: str
    profile_id: str
    as_of: date
    started_at: datetime
    finished_at: datetime | None
    status: str  # running | complete | incomplete
    total: float | None
    max_total: float | None
    grade: str | None
    pages: int


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Store:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")  # readers while a run writes; crash-safe
        conn.execute("PRAGMA synchronous=NORMAL")
        self.db = sqlite_utils.Database(conn)
        self._ensure_schema()

    def close(self) -> None:
        self.db.conn.close()

    def _ensure_schema(self) -> None:
        db = self.db
        if "runs" not in db.table_names():
            db["runs"].create(
                {"id": str, "url": str, "profile_id": str, "as_of": str, "started_at": str,
                 "finished_at": str, "status": str, "pid": int, "tool_version": str,
                 "settings_json": str, "total": float, "max_total": float, "grade": str,
                 "result_json": str},
                pk="id",
            )
        if "pages" not in db.table_names():
            db["pages"].create(
                {"run_id": str, "url": str, "depth": int, "status": int, "final_url": str,
                 "error": str, "content_type": str, "elapsed_ms": float, "fetched_at": str,
                 "record_json": str},
                pk=("run_id", "url"),
            )
        if "resources" not in db.table_names():
            db["resources"].create(
                {"run_id": str, "url": str, "status": int, "ok": int, "error": str, "skipped": str,
                 "record_json": str},
                pk=("run_id", "url"),
            )
        if "check_results" not in db.table_names():
            db["check_results"].create(
                {"run_id": str, "check_id": str, "plugin": str, "status": str, "score": float,
                 "deduction": float, "reason": str, "duration_ms": float, "result_json": str},
                pk=("run_id", "check_id"),
            )
        if "findings" not in db.table_names():
            db["findings"].create(
                {"run_id": str, "check_id": str, "severity": str, "url": str, "message": str,
                 "fingerprint": str, "evidence_json": str},
            )
            db["findings"].create_index(["run_id", "check_id"])
        if "row_scores" not in db.table_names():
            db["row_scores"].create(
                {"run_id": str, "key": str, "l1": str, "l2": str, "weight": float, "points": float,
                 "status": str, "reason": str},
                pk=("run_id", "key"),
            )
        if "availability_samples" not in db.table_names():
            # One row per visit of a site's home page: from audits, `auditkit probe` and
            # `auditkit monitor`. The week-long 站点无法访问 rule is computed from these.
            db["availability_samples"].create(
                {"site": str, "url": str, "at": str, "ok": int, "status": int, "elapsed_ms": float,
                 "error": str, "source": str, "run_id": str},
            )
            db["availability_samples"].create_index(["site", "at"])
        if "batches" not in db.table_names():
            db["batches"].create(
                {"id": str, "source": str, "created_at": str, "pid": int, "settings_json": str}, pk="id",
            )
        if "batch_sites" not in db.table_names():
            # One row per site of a batch: its state survives a killed batch, so a rerun
            # audits only what is not done.
            db["batch_sites"].create(
                {"batch_id": str, "idx": int, "name": str, "url": str, "profile": str, "region": str,
                 "level": str, "manual": str, "status": str, "attempts": int, "run_id": str, "error": str,
                 "updated_at": str},
                pk=("batch_id", "idx"),
            )
        if "screenshots" not in db.table_names():
            db["screenshots"].create({"run_id": str, "key": str, "data_uri": str}, pk=("run_id", "key"))

    # --- runs -------------------------------------------------------------

    def start_run(self, url: str, profile_id: str, as_of: date, settings_json: str, tool_version: str) -> str:
        run_id = now().strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
        self.db["runs"].insert({
            "id": run_id, "url": url, "profile_id": profile_id, "as_of": as_of.isoformat(),
            "started_at": now().isoformat(), "status": "running", "pid": os.getpid(),
            "tool_version": tool_version, "settings_json": settings_json,
        })
        return run_id

    def finish_run(self, result: AuditResult) -> None:
        self.db["runs"].update(result.run_id, {
            "finished_at": (result.finished_at or now()).isoformat(),
            "status": "complete" if result.complete else "incomplete",
            "total": result.total, "max_total": result.max_total, "grade": result.grade,
            "result_json": result.model_dump_json(),
        })

    def import_result(self, result: AuditResult) -> None:
        """A run audited elsewhere (a distributed worker): its scored result, checks,
        findings and row scores join this history; its pages stay with the worker."""
        self.db["runs"].upsert({
            "id": result.run_id, "url": result.url, "profile_id": result.profile_id,
            "as_of": result.as_of.isoformat(), "started_at": result.started_at.isoformat(),
            "status": "running", "tool_version": result.tool_version, "settings_json": "{}",
        }, pk="id")
        self.add_check_results(result.run_id, result.checks)
        self.add_row_scores(result.run_id, result.rows)
        self.finish_run(result)

    def mark_incomplete(self, run_id: str) -> None:
        self.db["runs"].update(run_id, {"status": "incomplete", "finished_at": now().isoformat()})

    def _run_status(self, row: dict[str, Any]) -> str:
        if row["status"] == "running" and not pid_alive(row.get("pid")):
            return "incomplete"
        return row["status"]

    def runs(self, limit: int = 50) -> list[RunInfo]:
        rows = self.db.query(
            "select r.*, (select count(*) from pages p where p.run_id = r.id) as page_count "
            "from runs r order by started_at desc limit ?", [limit]
        )
        return [
            RunInfo(id=r["id"], url=r["url"], profile_id=r["profile_id"], as_of=r["as_of"],
                    started_at=r["started_at"], finished_at=r["finished_at"], status=self._run_status(r),
                    total=r["total"], max_total=r["max_total"], grade=r["grade"], pages=r["page_count"])
            for r in rows
        ]

    def run_row(self, run_id: str) -> dict[str, Any] | None:
        rows = list(self.db.query("select * from runs where id = ? or id like ?", [run_id, f"{run_id}%"]))
        return rows[0] if len(rows) == 1 else None

    def load_result(self, run_id: str) -> AuditResult | None:
        row = self.run_row(run_id)
        if row is None or not row["result_json"]:
            return None
        return AuditResult.model_validate_json(row["result_json"])

    # --- snapshot ---------------------------------------------------------

    def add_page(self, run_id: str, page: PageRecord) -> None:
        self.db["pages"].upsert({
            "run_id": run_id, "url": page.url, "depth": page.depth, "status": page.status,
            "final_url": page.final_url, "error": page.error, "content_type": page.content_type,
            "elapsed_ms": page.elapsed_ms, "fetched_at": page.fetched_at.isoformat(),
            "record_json": page.model_dump_json(),
        }, pk=("run_id", "url"))

    def iter_pages(self, run_id: str) -> Iterator[PageRecord]:
        for row in self.db.query(
            "select record_json from pages where run_id = ? order by depth, rowid", [run_id]
        ):
            yield PageRecord.model_validate_json(row["record_json"])

    def get_page(self, run_id: str, url: str) -> PageRecord | None:
        rows = list(self.db.query(
            "select record_json from pages where run_id = ? and (url = ? or final_url = ?) limit 1",
            [run_id, url, url],
        ))
        return PageRecord.model_validate_json(rows[0]["record_json"]) if rows else None

    def page_statuses(self, run_id: str) -> dict[str, tuple[int | None, str | None]]:
        """url → (status, error) for every crawled page, by requested and final URL."""
        statuses: dict[str, tuple[int | None, str | None]] = {}
        for row in self.db.query("select url, final_url, status, error from pages where run_id = ?", [run_id]):
            statuses[row["url"]] = (row["status"], row["error"])
            if row["final_url"]:
                statuses.setdefault(row["final_url"], (row["status"], row["error"]))
        return statuses

    def add_resources(self, run_id: str, resources: list[ResourceStatus]) -> None:
        self.db["resources"].upsert_all(
            ({"run_id": run_id, "url": r.url, "status": r.status, "ok": int(r.ok), "error": r.error,
              "skipped": r.skipped, "record_json": r.model_dump_json()} for r in resources),
            pk=("run_id", "url"),
        )

    def resources(self, run_id: str) -> dict[str, ResourceStatus]:
        return {
            row["url"]: ResourceStatus.model_validate_json(row["record_json"])
            for row in self.db.query("select url, record_json from resources where run_id = ?", [run_id])
        }

    def add_screenshot(self, run_id: str, key: str, data_uri: str) -> None:
        self.db["screenshots"].upsert({"run_id": run_id, "key": key, "data_uri": data_uri},
                                      pk=("run_id", "key"))

    def screenshots(self, run_id: str) -> dict[str, str]:
        return {r["key"]: r["data_uri"] for r in self.db.query(
            "select key, data_uri from screenshots where run_id = ?", [run_id])}

    # --- availability -----------------------------------------------------

    def add_sample(self, sample: AvailabilitySample) -> None:
        # One timestamp format (UTC isoformat) so that the window query can compare strings.
        at = sample.at.astimezone(UTC).isoformat()
        self.db["availability_samples"].insert(sample.model_dump(mode="json") | {"ok": int(sample.ok), "at": at})

    def samples(self, site: str, since: datetime, until: datetime) -> list[AvailabilitySample]:
        rows = self.db.query(
            "select * from availability_samples where site = ? and at >= ? and at < ? order by at",
            [site, since.astimezone(UTC).isoformat(), until.astimezone(UTC).isoformat()],
        )
        return [AvailabilitySample.model_validate({k: v for k, v in r.items() if k != "rowid"}) for r in rows]

    # --- results ----------------------------------------------------------

    def add_check_results(self, run_id: str, results: list[CheckResult]) -> None:
        self.db["check_results"].upsert_all(
            ({"run_id": run_id, "check_id": r.check_id, "plugin": r.plugin, "status": str(r.status),
              "score": r.score, "deduction": r.deduction, "reason": r.reason,
              "duration_ms": r.duration_ms, "result_json": r.model_dump_json()} for r in results),
            pk=("run_id", "check_id"),
        )
        self.db["findings"].insert_all(
            {"run_id": run_id, "check_id": r.check_id, "severity": f.severity, "url": f.url,
             "message": f.message, "fingerprint": f.fingerprint,
             "evidence_json": json.dumps(f.evidence.model_dump(), ensure_ascii=False)}
            for r in results for f in r.findings
        )

    def add_row_scores(self, run_id: str, rows: list[RowScore]) -> None:
        self.db["row_scores"].upsert_all(
            ({"run_id": run_id, "key": r.key, "l1": r.l1, "l2": r.l2, "weight": r.weight,
              "points": r.points, "status": str(r.status), "reason": r.reason} for r in rows),
            pk=("run_id", "key"),
        )
