"""站点无法访问 / 首页可用性: judged from a week of stored home-page visits."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta

from auditkit import CheckContext, check
from auditkit.models import CheckResult, CheckStatus, Evidence, Finding, VetoHit


@check(
    id="ops.availability",
    title="站点可用性（首页可访问率、打开速度）",
    indicators=["运维保障/日常运维"],
    vetoes=["site_unreachable"],
)
def availability(ctx: CheckContext) -> CheckResult:
    """Home-page visits over the week before the audit date (from audits, `auditkit probe`
    and `auditkit monitor`): failures ≥ 5 % is the 站点无法访问 veto, ≥ 1 % costs 5 points.
    Too few visits: the rule is not applied, and the result says so."""
    cfg = ctx.settings
    days = cfg["availability_monitor_days"]
    until = datetime.combine(ctx.as_of + timedelta(days=1), time.min, UTC)
    since = until - timedelta(days=days)
    samples = ctx.snapshot.store.samples(ctx.snapshot.start_url, since, until)
    per_day = Counter(s.at.astimezone(UTC).date() for s in samples)
    failed = [s for s in samples if not s.ok]
    findings = [
        Finding(severity="serious", message=f"首页访问失败：{s.error or s.status}", url=s.url,
                evidence=Evidence(values={"at": s.at.isoformat(), "elapsed_ms": s.elapsed_ms, "source": s.source}))
        for s in failed[: cfg["availability_max_findings"]]
    ]
    key_pages, slow = key_page_timings(ctx)
    findings += slow
    details = {
        "window": f"{since.date()} – {ctx.as_of}",
        "samples": len(samples),
        "failed": len(failed),
        "per_day": {str(day): count for day, count in sorted(per_day.items())},
        "key_pages": key_pages,
    }
    short_days = [
        since.date() + timedelta(days=i) for i in range(days)
        if per_day[since.date() + timedelta(days=i)] < cfg["availability_min_samples_per_day"]
    ]
    if short_days:
        return ctx.result(
            status=CheckStatus.NEEDS_MANUAL_REVIEW,
            reason=(f"样本不足（insufficient samples）：规则要求连续 {days} 天、每天不少于 "
                    f"{cfg['availability_min_samples_per_day']} 次访问，监测窗口内仅有 {len(samples)} 次"
                    f"（{len(short_days)} 天不足）；请用 auditkit monitor 累积样本。本次访问失败 {len(failed)} 次"),
            findings=findings,
            details=details,
        )
    share = len(failed) / len(samples)
    details["failure_share"] = round(share, 4)
    veto_hits = []
    if share >= cfg["availability_veto_failure_share"]:
        veto_hits.append(VetoHit(veto="site_unreachable", url=ctx.snapshot.start_url,
                                 message=f"一周内首页访问失败 {len(failed)}/{len(samples)} 次（{share:.1%}）"))
    deduction = cfg["availability_home_deduction"] if share >= cfg["availability_deduction_failure_share"] else 0.0
    return ctx.result(
        deduction=deduction,
        reason=f"{days} 天内首页访问 {len(samples)} 次，失败 {len(failed)} 次（{share:.1%}）" +
               (f"，扣 {deduction:g} 分" if deduction else ""),
        findings=findings,
        veto_hits=veto_hits,
        vetoes_evaluated=["site_unreachable"],
        details=details,
    )


def key_page_timings(ctx: CheckContext) -> tuple[dict[str, object], list[Finding]]:
    """This run's load times of the home page and the pages its navigation links to;
    a key page that failed or took longer than the limit is a finding."""
    home = ctx.snapshot.home
    if home is None:
        return {}, []
    wanted = {home.url} | {link.url for link in home.links if link.kind == "a" and link.region == "nav"}
    limit_ms = ctx.settings["availability_open_limit_s"] * 1000
    pages = [p for p in ctx.snapshot.pages() if p.url in wanted]
    times = sorted(p.elapsed_ms for p in pages if p.ok and p.elapsed_ms is not None)
    findings = [
        Finding(severity="moderate", url=p.url,
                message=f"关键页面未能在 {limit_ms / 1000:g} 秒内打开：{p.error or p.status or ''}".rstrip("："),
                evidence=Evidence(values={"elapsed_ms": p.elapsed_ms, "status": p.status}))
        for p in pages if not p.ok or (p.elapsed_ms or 0) > limit_ms
    ]
    summary = {"pages": len(pages), "median_ms": times[len(times) // 2] if times else None,
               "max_ms": times[-1] if times else None}
    return summary, findings
