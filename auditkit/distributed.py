"""Batches across machines on Celery with a Redis broker (``pip install auditkit[distributed]``).

The submitting ``auditkit batch … --broker redis://…`` sends one task per site;
``auditkit worker --broker redis://…`` processes (on any machine that reaches the
broker and the sites) audit them, each keeping its snapshot in its own SQLite
file, and return the scored result; the submitter merges every result into its
own store and writes the reports and rankings, so a batch's history is in one
place. Resuming works as for local batches: the submitter's store says which
sites are done.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from celery import Celery
from celery.result import AsyncResult

from auditkit.batch import Batch, BatchSite, SiteOutcome, save_site_outputs
from auditkit.models import AuditResult
from auditkit.pluginmanager import load_plugins_and_profiles
from auditkit.profiles import resolve_profile
from auditkit.runner import run_audit
from auditkit.scoring import load_manual
from auditkit.settings import Settings
from auditkit.store import Store, default_db_path

WORKER_DB_ENV = "AUDITKIT_WORKER_DB"

app = Celery("auditkit")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,  # a worker that dies mid-site gives the site back to the queue
    worker_prefetch_multiplier=1,  # one site at a time per worker process: audits are long
    broker_connection_retry_on_startup=True,
)


def configure(broker: str) -> Celery:
    app.conf.update(broker_url=broker, result_backend=broker)
    return app


@app.task(name="auditkit.audit_site")
def audit_site(url: str, profile: str, settings_json: str, as_of: str, manual_yaml: str | None = None) -> str:
    """Audit one site on this worker; the scored result goes back as JSON."""
    plugins, profiles = load_plugins_and_profiles()
    chosen = resolve_profile(profile, profiles)
    manual = None
    if manual_yaml:
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", encoding="utf-8", delete=False) as fh:
            fh.write(manual_yaml)
        manual = load_manual(Path(fh.name), chosen)
        os.unlink(fh.name)
    store = Store(os.environ.get(WORKER_DB_ENV) or default_db_path())
    try:
        result = asyncio.run(run_audit(url, chosen, Settings.model_validate_json(settings_json), store, plugins,
                                       date.fromisoformat(as_of), manual))
    finally:
        store.close()
    return result.model_dump_json()


def run_worker(broker: str, db: Path | None, concurrency: int = 1) -> None:
    """Start a worker in this process (blocks)."""
    if db:
        os.environ[WORKER_DB_ENV] = str(db)
    configure(broker).worker_main([
        "worker", "--loglevel=WARNING", f"--concurrency={concurrency}", "--pool=prefork" if concurrency > 1 else
        "--pool=solo", "--hostname", f"auditkit-{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle",
    ])


def run_batch_distributed(
    batch: Batch,
    sites: list[BatchSite],
    settings: Settings,
    as_of: date,
    out_dir: Path,
    broker: str,
    retries: int = 1,
    on_site: Callable[[SiteOutcome, int, int], None] | None = None,
    poll_s: float = 0.2,
) -> list[SiteOutcome]:
    """Submit every site not done yet and merge the results as they come back."""
    configure(broker)
    batch.register(sites, settings.model_dump_json())
    todo = batch.pending(retries)
    settings_json = settings.model_dump_json()
    running: dict[str, tuple[int, BatchSite, int]] = {}

    def submit(idx: int, site: BatchSite, attempts: int) -> None:
        manual = Path(site.manual).read_text(encoding="utf-8") if site.manual else None
        task = audit_site.apply_async((site.url, site.profile, settings_json, as_of.isoformat(), manual))
        batch.mark(idx, status="running", attempts=attempts)
        running[task.id] = (idx, site, attempts)

    for idx, site in todo:
        attempts = int(batch.store.db["batch_sites"].get((batch.id, idx))["attempts"] or 0)
        submit(idx, site, attempts + 1)
    outcomes: list[SiteOutcome] = []
    while running:
        time.sleep(poll_s)
        for task_id in [t for t in running if AsyncResult(t, app=app).ready()]:
            idx, site, attempts = running.pop(task_id)
            task = AsyncResult(task_id, app=app)
            if task.successful():
                result = AuditResult.model_validate_json(task.result)
                batch.store.import_result(result)
                save_site_outputs(out_dir, idx, site, result)
                outcome = SiteOutcome(site, "done", result.run_id, None, result)
            elif attempts <= retries:
                submit(idx, site, attempts + 1)
                continue
            else:
                outcome = SiteOutcome(site, "failed", None, f"worker: {task.result!r}", None)
            task.forget()
            batch.mark(idx, status=outcome.status, run_id=outcome.run_id, error=outcome.error)
            outcomes.append(outcome)
            if on_site:
                on_site(outcome, len(outcomes), len(todo))
    return outcomes
