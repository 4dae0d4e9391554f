"""政务新媒体联动: which official channels the home page links to."""

from __future__ import annotations

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding
from auditkit.urls import host_of


@check(id="newmedia.linkage", title="政务新媒体联动（微博、微信、抖音、App 入口）",
       indicators=["功能设计/政务新媒体联动"])
def new_media_linkage(ctx: CheckContext) -> CheckResult:
    """The home page links to the site's official new-media channels."""
    home = ctx.snapshot.home
    if home is None or not home.ok:
        return ctx.needs_review("首页未能打开，无法检查政务新媒体入口")
    found: dict[str, str] = {}
    for channel, markers in ctx.settings["channels"].items():
        for link in home.links:
            label = f"{link.text} {link.alt or ''}"
            if any(m in host_of(link.url) or m in label for m in markers):
                found[channel] = link.url
                break
    missing = [c for c in ctx.settings["channels"] if c not in found]
    findings = [Finding(severity="minor", url=home.url, message=f"首页未找到政务新媒体入口：{channel}",
                        evidence=Evidence(values={"channel": channel})) for channel in missing]
    score = min(1.0, len(found) / ctx.settings["full_score_channels"])
    return ctx.result(score=score, reason=f"首页提供 {len(found)} 个政务新媒体入口（{'、'.join(found) or '无'}）",
                      findings=findings, details={"found": found, "missing": missing})
