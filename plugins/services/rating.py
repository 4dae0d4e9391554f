"""好差评渠道建设: a visitor can rate government services — an entry to 政务服务好差评 on the
portal, and a rating control on the service guides themselves (评价 after handling an item)."""

from __future__ import annotations

from typing import Any

from auditkit import CheckContext, check
from auditkit.entries import EntryLimits, EntryRule, entry_index, pages_with_controls
from auditkit.models import CheckResult, Evidence, Finding
from auditkit_plugins.services.guides import site_guides


@check(id="services.rating_channel", title="好差评渠道（评价入口、办事指南的评价功能）",
       indicators=["社会满意度/政务服务好差评/好差评渠道建设"])
def rating_channel(ctx: CheckContext) -> CheckResult:
    """The portal links to 政务服务好差评, and its service guides offer a rating control (我要评价,
    好差评). Ratings collected at the service hall (评价器, 二维码) need a person."""
    settings = ctx.settings
    if next(ctx.snapshot.html_pages(), None) is None:
        return ctx.needs_review("没有可读取的页面，无法查找好差评渠道")
    rule = EntryRule(name="好差评入口", words=settings["rating_entry_words"])
    limits = EntryLimits(max_label_chars=settings["entry_max_chars"], max_title_chars=settings["entry_max_chars"],
                         max_entries=settings["rating_max_examples"])
    entries = entry_index(ctx.snapshot, {"rating": rule}, limits).entries("rating")
    guides = site_guides(ctx.snapshot, settings)
    rated = pages_with_controls(ctx.snapshot, [g.url for g in guides], settings["rating_control_words"],
                                settings["rating_control_max_chars"])
    findings: list[Finding] = []
    if not entries:
        findings.append(Finding(severity="moderate", message="门户网站未见政务服务好差评入口"))
    unrated = [g.url for g in guides if g.url not in rated]
    if unrated:
        findings.append(Finding(severity="moderate" if len(unrated) == len(guides) else "minor", url=unrated[0],
                                message=f"{len(unrated)}/{len(guides)} 个办事指南页面没有评价功能",
                                evidence=Evidence(values={"guides": unrated[: settings["rating_max_examples"]]})))
    weights = settings["rating_channel_weights"]
    share = len(rated) / len(guides) if guides else 0.0
    score = weights["entry"] * bool(entries) + weights["guides"] * share
    reason = (f"好差评入口：{'有' if entries else '无'}；办事指南 {len(guides)} 个，其中 {len(rated)} 个提供评价功能"
              + ("（未找到办事指南，评价功能无从核对）" if not guides else ""))
    details: dict[str, Any] = {"好差评入口": [e.model_dump() for e in entries],
                               "可评价的办事指南": {url: labels for url, labels in list(rated.items())[:20]}}
    return ctx.result(score=round(score, 4), reason=reason, findings=findings, details=details)
