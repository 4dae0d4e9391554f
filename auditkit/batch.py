"""Batch evaluation: many sites from a CSV, one browser, resumable.

Every site's state is a row of ``batch_sites`` in the store, committed as it
changes: a killed batch loses nothing, and the same command continues with the
sites that are not done. A site that fails (unreachable, crashed) is retried
per policy and then recorded as failed with its reason; it never stops the batch.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from charset_normalizer import from_bytes
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from auditkit.browser import BrowserSession
from auditkit.models import AuditResult, Profile
from auditkit.pluginmanager import LoadedPlugins
from auditkit.profiles import resolve_profile
from auditkit.report import write_report
from auditkit.runner import run_audit
from auditkit.scoring import load_manual
from auditkit.settings import Settings
from auditkit.store import Store, now, pid_alive
from auditkit.urls import host_of, normalize


class BatchError(ValueError):
    pass


class BatchSite(BaseModel):
    """One line of the batch CSV."""

    model_config = ConfigDict(extra="ignore")
    name: str
    url: str
    profile: str
    region: str = ""
    level: str = ""
    manual: str = ""

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {value!r}")
        return normalize(value)


def read_sites(path: Path) -> list[BatchSite]:
    """Sites from a CSV with a header (name, url, profile, optional region, level, manual).
    Spreadsheets saved in China are often GBK: the encoding is detected."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(raw).best()
        if best is None:
            raise BatchError(f"{path}: cannot tell the text encoding") from None
        text = str(best)
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        raise BatchError(f"{path}: no sites (a header line name,url,profile and one line per site)")
    sites = []
    for line, row in enumerate(rows, start=2):
        try:
            sites.append(BatchSite.model_validate({k.strip().lower(): (v or "").strip() for k, v in row.items() if k}))
        except ValidationError as exc:
            problem = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise BatchError(f"{path}, line {line}: {problem}") from exc
    return sites


def batch_id_for(path: Path) -> str:
    """The same CSV content is the same batch, so rerunning the command resumes it."""
    return hashlib.sha1(path.read_bytes()).hexdigest()[:12]


@dataclass
class SiteOutcome:
    site: BatchSite
    status: str  # done | failed
    run_id: str | None
    error: str | None
    result: AuditResult | None


class Batch:
    def __init__(self, store: Store, batch_id: str, source: str) -> None:
        self.store = store
        self.id = batch_id
        self.source = source

    def register(self, sites: list[BatchSite], settings_json: str) -> None:
        """Create the batch, or take it over from a process that died (its running sites become pending)."""
        db = self.store.db
        existing = list(db.query("select pid from batches where id = ?", [self.id]))
        if existing and existing[0]["pid"] not in (None, os.getpid()) and pid_alive(existing[0]["pid"]):
            raise BatchError(f"batch {self.id} is being run by process {existing[0]['pid']}")
        db["batches"].upsert({"id": self.id, "source": self.source, "created_at": now().isoformat(),
                              "pid": os.getpid(), "settings_json": settings_json}, pk="id")
        known = {r["idx"] for r in db.query("select idx from batch_sites where batch_id = ?", [self.id])}
        db["batch_sites"].insert_all(
            ({"batch_id": self.id, "idx": i, **site.model_dump(), "status": "pending", "attempts": 0,
              "updated_at": now().isoformat()} for i, site in enumerate(sites) if i not in known),
            pk=("batch_id", "idx"),
        )
        db.execute("update batch_sites set status = 'pending' where batch_id = ? and status = 'running'", [self.id])
        db.conn.commit()

    def pending(self, retries: int) -> list[tuple[int, BatchSite]]:
        rows = self.store.db.query(
            "select * from batch_sites where batch_id = ? and (status = 'pending' or "
            "(status = 'failed' and attempts <= ?)) order by idx", [self.id, retries])
        return [(r["idx"], BatchSite.model_validate(r)) for r in rows]

    def mark(self, idx: int, **fields: object) -> None:
        self.store.db["batch_sites"].update((self.id, idx), {**fields, "updated_at": now().isoformat()})

    def rows(self) -> list[dict[str, object]]:
        return list(self.store.db.query("select * from batch_sites where batch_id = ? order by idx", [self.id]))


def site_folder(idx: int, url: str) -> str:
    """Where a site's report goes, relative to the batch's output folder."""
    return f"sites/{idx:04d}-{host_of(url)}"


def save_site_outputs(out_dir: Path, idx: int, site: BatchSite, result: AuditResult) -> None:
    folder = out_dir / site_folder(idx, site.url)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "result.json").write_text(result.model_dump_json(indent=2), encoding="utf-8")
    write_report(result, folder / "report.html")


async def run_batch(
    batch: Batch,
    sites: list[BatchSite],
    settings: Settings,
    plugins: LoadedPlugins,
    profiles: dict[str, Profile],
    as_of: date,
    out_dir: Path,
    jobs: int = 2,
    retries: int = 1,
    on_site: Callable[[SiteOutcome, int, int], None] | None = None,
) -> list[SiteOutcome]:
    """Audit every site not done yet, ``jobs`` at a time in one browser; at most one site
    per host at a time, so politeness limits hold across sites too."""
    batch.register(sites, settings.model_dump_json())
    todo = batch.pending(retries)
    total = len(todo)
    outcomes: list[SiteOutcome] = []
    slots = asyncio.Semaphore(jobs)
    host_locks: dict[str, asyncio.Lock] = {}

    async def one(idx: int, site: BatchSite, session: BrowserSession) -> None:
        async with slots, host_locks.setdefault(host_of(site.url), asyncio.Lock()):
            attempts = int(batch.store.db["batch_sites"].get((batch.id, idx))["attempts"] or 0)
            outcome: SiteOutcome | None = None
            while outcome is None:
                attempts += 1
                batch.mark(idx, status="running", attempts=attempts)
                try:
                    profile = resolve_profile(site.profile, profiles)
                    manual = load_manual(Path(site.manual), profile) if site.manual else None
                    result = await run_audit(site.url, profile, settings, batch.store, plugins, as_of, manual,
                                             session=session)
                    unreachable = next((p for p in result.problems if p.startswith("首页无法访问")), None)
                    if unreachable and attempts <= retries:
                        continue  # retry per policy; the failed attempt stays in the history
                    save_site_outputs(out_dir, idx, site, result)
                    status = "failed" if unreachable else "done"
                    outcome = SiteOutcome(site, status, result.run_id, unreachable, result)
                except (asyncio.CancelledError, KeyboardInterrupt):
                    batch.mark(idx, status="pending")
                    raise
                except Exception as exc:  # one site's crash never stops the batch
                    error = f"{type(exc).__name__}: {exc}"
                    if attempts <= retries:
                        continue
                    outcome = SiteOutcome(site, "failed", None, error + "\n" + traceback.format_exc(limit=3), None)
            batch.mark(idx, status=outcome.status, run_id=outcome.run_id, error=outcome.error)
            outcomes.append(outcome)
            if on_site:
                on_site(outcome, len(outcomes), total)

    async with BrowserSession(allow_hosts=settings.network.allow_hosts,
                              user_agent=settings.crawl.user_agent) as session:
        await asyncio.gather(*(one(idx, site, session) for idx, site in todo))
    return outcomes
