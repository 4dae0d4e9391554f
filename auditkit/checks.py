"""The check contract: a declared spec plus one function over the snapshot.

A check is a small function ``(ctx: CheckContext) -> CheckResult``; it may be
``async`` when it must drive the browser. Lighthouse's audits are the model:
metadata up front, one function, weights elsewhere (in ``profiles/``).
"""

from __future__ import annotations

import asyncio
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from auditkit.models import CheckResult, CheckStatus, Finding, VetoHit

if TYPE_CHECKING:
    from auditkit.browser import BrowserSession
    from auditkit.snapshot import Snapshot

#: What a check may need; "browser" means it acts (types, clicks) in Chromium.
Need = Literal["pages", "resources", "screenshots", "browser"]

CheckFunction = Callable[["CheckContext"], "CheckResult | Awaitable[CheckResult]"]


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    indicators: tuple[str, ...]
    function: CheckFunction
    description: str = ""
    needs: tuple[Need, ...] = ("pages",)
    vetoes: tuple[str, ...] = ()  # veto item ids this check can judge
    plugin: str = ""  # filled in by the runner from the registering plugin


def check(
    *,
    id: str,
    title: str,
    indicators: list[str] | tuple[str, ...],
    needs: list[Need] | tuple[Need, ...] = ("pages",),
    vetoes: list[str] | tuple[str, ...] = (),
) -> Callable[[CheckFunction], Check]:
    """Declare a check; the decorated function's docstring is its description."""

    def wrap(function: CheckFunction) -> Check:
        return Check(
            id=id,
            title=title,
            indicators=tuple(indicators),
            function=function,
            description=(function.__doc__ or "").strip(),
            needs=tuple(needs),
            vetoes=tuple(vetoes),
        )

    return wrap


@dataclass
class CheckContext:
    """What a check sees: the snapshot, its plugin's settings and the audit date."""

    snapshot: Snapshot
    settings: dict[str, Any]
    as_of: date
    check_id: str
    browser: BrowserSession | None = None
    #: for the few checks that make their own requests (security probes): offline
    #: mode's allow-list and the run's User-Agent
    allow_hosts: list[str] | None = None
    user_agent: str = ""

    def result(
        self,
        *,
        score: float | None = None,
        deduction: float | None = None,
        reason: str,
        findings: list[Finding] | None = None,
        veto_hits: list[VetoHit] | None = None,
        vetoes_evaluated: list[str] | tuple[str, ...] = (),
        details: dict[str, Any] | None = None,
        status: CheckStatus = CheckStatus.SCORED,
    ) -> CheckResult:
        return CheckResult(
            check_id=self.check_id,
            status=status,
            score=score,
            deduction=deduction,
            reason=reason,
            findings=findings or [],
            veto_hits=veto_hits or [],
            vetoes_evaluated=list(vetoes_evaluated),
            details=details or {},
        )

    def not_applicable(self, reason: str, **details: Any) -> CheckResult:
        return self.result(status=CheckStatus.NOT_APPLICABLE, reason=reason, details=details)

    def needs_review(self, reason: str, findings: list[Finding] | None = None) -> CheckResult:
        return self.result(status=CheckStatus.NEEDS_MANUAL_REVIEW, reason=reason, findings=findings)


def error_result(check: Check, message: str, trace: str | None = None) -> CheckResult:
    return CheckResult(
        check_id=check.id,
        title=check.title,
        status=CheckStatus.ERROR,
        reason=message,
        traceback=trace,
        plugin=check.plugin,
    )


async def run_check(check: Check, ctx: CheckContext, timeout_s: float) -> CheckResult:
    """Run one check in isolation: exceptions, hangs and bad return values become
    ``error`` results that name the plugin; nothing escapes to other checks."""
    started = time.perf_counter()
    try:
        if asyncio.iscoroutinefunction(check.function):
            outcome = await asyncio.wait_for(check.function(ctx), timeout_s)
        else:
            # Pure checks are CPU work over the snapshot: a thread keeps the loop
            # (and the time limit) alive while they run.
            outcome = await asyncio.wait_for(asyncio.to_thread(check.function, ctx), timeout_s)
        if not isinstance(outcome, CheckResult):
            result = error_result(
                check, f"plugin {check.plugin!r}: check returned {type(outcome).__name__}, not CheckResult"
            )
        elif outcome.status == CheckStatus.SCORED and outcome.score is None and outcome.deduction is None:
            result = error_result(check, f"plugin {check.plugin!r}: scored result has neither score nor deduction")
        else:
            result = outcome.model_copy(update={"check_id": check.id, "title": check.title, "plugin": check.plugin})
    except TimeoutError:
        result = error_result(check, f"plugin {check.plugin!r}: check exceeded its {timeout_s:.0f} s time limit")
    except Exception as exc:  # a plugin failure is isolated and reported
        result = error_result(
            check, f"plugin {check.plugin!r}: {type(exc).__name__}: {exc}", traceback.format_exc()
        )
    result.duration_ms = round((time.perf_counter() - started) * 1000, 1)
    return result
