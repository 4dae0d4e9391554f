"""One audit, end to end: gather → check → score → store.

Each stage records what went wrong and carries on; only a start URL outside
the allowed hosts or an unusable profile stops a run before it begins.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date

from auditkit import __version__
from auditkit.availability import sample_from_page
from auditkit.browser import BrowserSession
from auditkit.checks import CheckContext, run_check
from auditkit.crawler import Crawler
from auditkit.linkcheck import LinkChecker
from auditkit.models import (
    AuditResult,
    CheckResult,
    CrawlStats,
    PageRecord,
    PageSummary,
    Profile,
)
from auditkit.pluginmanager import LoadedPlugins
from auditkit.profiles import validate_profile
from auditkit.scoring import ManualScores, grade, l1_totals, score_rows
from auditkit.settings import Settings
from auditkit.snapshot import Snapshot
from auditkit.store import Store, now
from auditkit.urls import normalize, site_hosts
from auditkit.veto import veto_table

#: reasons the crawler gives for not rendering a URL that the link checker should still check
CHECKABLE = {"resource", "external", "beyond max pages", "beyond max depth", "download"}


@dataclass
class Progress:
    """Callbacks for a front end (the CLI draws them with rich)."""

    on_stage: Callable[[str], None] = lambda stage: None
    on_page: Callable[[PageRecord, int, int], None] = lambda page, done, queued: None


async def run_audit(
    url: str,
    profile: Profile,
    settings: Settings,
    store: Store,
    plugins: LoadedPlugins,
    as_of: date,
    manual: ManualScores | None = None,
    progress: Progress | None = None,
    session: BrowserSession | None = None,
) -> AuditResult:
    """Audit one site. ``session``: a running browser to reuse (a batch audits many
    sites with one browser, a context each); by default the audit starts its own."""
    progress = progress or Progress()
    validate_profile(profile, plugins.checks)
    url = normalize(url)
    run_id = store.start_run(url, profile.id, as_of, settings.model_dump_json(), __version__)
    started_at = now()
    problems = [p.splitlines()[0] for p in plugins.problems]
    try:
        async with _browser(session, settings) as session:
            progress.on_stage("crawl")
            crawler = Crawler(settings, session, store, run_id, as_of, on_page=progress.on_page)
            outcome = await crawler.run(url)
            problems += outcome.problems
            home_page = store.get_page(run_id, url)
            if home_page is not None:
                store.add_sample(sample_from_page(url, home_page, settings.crawl.page_timeout_s, run_id))

            progress.on_stage("links")
            link_started = time.perf_counter()
            checker = LinkChecker(settings.links, settings.crawl.user_agent, settings.network.allow_hosts)
            to_check = [u for u, why in outcome.unrendered.items() if why in CHECKABLE]
            resources = await checker.check_all(to_check, site_hosts(url, settings.crawl.extra_hosts))
            store.add_resources(run_id, resources)
            link_seconds = time.perf_counter() - link_started

            progress.on_stage("checks")
            checks_started = time.perf_counter()
            snapshot = Snapshot(store, run_id, url, as_of)
            results: list[CheckResult] = []
            for check in plugins.checks.values():
                ctx = CheckContext(
                    snapshot=snapshot,
                    settings=settings.plugins.get(check.plugin, {}),
                    as_of=as_of,
                    check_id=check.id,
                    browser=session if "browser" in check.needs else None,
                    allow_hosts=settings.network.allow_hosts,
                    user_agent=settings.crawl.user_agent,
                )
                results.append(await run_check(check, ctx, settings.check_timeout_s))
            checks_seconds = time.perf_counter() - checks_started
    except BaseException:
        # Interrupted or crashed: what was crawled stays readable, the run says incomplete.
        store.mark_incomplete(run_id)
        raise

    store.add_check_results(run_id, results)
    by_id = {r.check_id: r for r in results}
    rows = score_rows(profile, by_id, manual)
    store.add_row_scores(run_id, rows)
    vetoes = veto_table(results, {c.id: c.vetoes for c in plugins.checks.values()}) if profile.vetoes else []
    scored = [r.points for r in rows if r.points is not None]
    total = round(sum(scored), 2) if scored else None
    pending_weight = round(sum(r.weight for r in rows if r.points is None), 2)
    bonus = (manual.bonus.points or 0.0) if manual and manual.bonus else 0.0
    vetoed = any(v.status == "hit" for v in vetoes)
    grade_name, failed = grade(total, profile.total, pending_weight, vetoed, settings.scoring)
    home = snapshot.home
    if home is None or not home.ok:
        problems.append(f"首页无法访问：{home.error or home.status if home else 'not crawled'}")
    for r in results:
        if r.status == "error":
            problems.append(f"check {r.check_id} failed: {r.reason}")

    result = AuditResult(
        tool_version=__version__,
        run_id=run_id,
        url=url,
        profile_id=profile.id,
        profile_name=profile.name,
        profile_note=profile.note,
        as_of=as_of,
        started_at=started_at,
        finished_at=now(),
        complete=True,
        total=total,
        max_total=profile.total,
        bonus=bonus,
        bonus_max=profile.bonus,
        bonus_note=manual.bonus.note if manual and manual.bonus else None,
        pending_weight=pending_weight,
        grade=grade_name,
        failed=failed,
        l1_scores=l1_totals(rows),
        rows=rows,
        vetoes=vetoes,
        checks=results,
        pages=[
            PageSummary(url=p.url, final_url=p.final_url, status=p.status, error=p.error, title=p.title,
                        depth=p.depth, elapsed_ms=p.elapsed_ms)
            for p in snapshot.pages()
        ],
        crawl=CrawlStats(
            pages=outcome.pages, html_pages=outcome.html_pages, errors=outcome.errors,
            resources_checked=sum(1 for r in resources if not r.skipped),
            skipped=dict(outcome.skipped), duration_s=round(outcome.duration_s + link_seconds, 2),
            stages=_stages(outcome.duration_s, link_seconds, checks_seconds, results, plugins),
        ),
        plugins=plugins.infos(),
        problems=problems,
        screenshots=store.screenshots(run_id),
    )
    store.finish_run(result)
    for impl in plugins.manager.hook.auditkit_audit_finished.get_hookimpls():
        try:
            impl.function(*({"result": result}[name] for name in impl.argnames))
        except Exception as exc:
            result.problems.append(f"plugin {impl.plugin_name!r}: auditkit_audit_finished raised {exc}")
    return result


@asynccontextmanager
async def _browser(shared: BrowserSession | None, settings: Settings) -> AsyncIterator[BrowserSession]:
    if shared is not None:
        yield shared
        return
    async with BrowserSession(allow_hosts=settings.network.allow_hosts,
                              user_agent=settings.crawl.user_agent) as session:
        yield session


def _stages(crawl_s: float, links_s: float, checks_s: float, results: list[CheckResult],
            plugins: LoadedPlugins) -> dict[str, float]:
    """Where the time went: gathering, link checking, pure checks, browser-driven checks."""
    acting = sum(r.duration_ms for r in results if "browser" in plugins.checks[r.check_id].needs) / 1000
    return {"crawl": round(crawl_s, 2), "links": round(links_s, 2),
            "checks_snapshot": round(checks_s - acting, 2), "checks_browser": round(acting, 2)}
