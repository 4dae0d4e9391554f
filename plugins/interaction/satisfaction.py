"""答复满意度评价功能: the person who asked can rate the reply (满意 / 基本满意 / 不满意) on the
page that publishes it."""

from __future__ import annotations

from auditkit import CheckContext, check
from auditkit.entries import pages_with_controls
from auditkit.models import CheckResult, Evidence, Finding
from auditkit_plugins.interaction.messages import site_messages


@check(id="interaction.reply_rating", title="答复满意度评价功能（已答复留言可评价）",
       indicators=["社会满意度/咨询投诉答复满意度/咨询投诉答复"])
def reply_rating(ctx: CheckContext) -> CheckResult:
    """Each replied message's own page offers a satisfaction rating of the reply. Whether ratings
    are only open to the person who asked (after logging in) needs a person."""
    settings = ctx.settings
    replied = [m for m in site_messages(ctx.snapshot, settings) if m.replied and m.detail]
    if not replied:
        return ctx.needs_review("未找到已答复留言的详情页，无法核对答复满意度评价功能")
    rated = pages_with_controls(ctx.snapshot, [m.url for m in replied], settings["reply_rating_words"],
                                settings["reply_rating_max_chars"])
    unrated = [m.url for m in replied if m.url not in rated]
    limit = settings["reply_rating_max_examples"]
    findings = [Finding(severity="moderate" if not rated else "minor", url=unrated[0],
                        message=f"{len(unrated)}/{len(replied)} 条已答复留言不能评价答复满意度",
                        evidence=Evidence(values={"messages": unrated[:limit]}))] if unrated else []
    reason = f"已答复留言 {len(replied)} 条（详情页），其中 {len(rated)} 条可评价答复满意度"
    return ctx.result(score=round(len(rated) / len(replied), 4), reason=reason, findings=findings,
                      details={"可评价的留言": dict(list(rated.items())[:limit])})
