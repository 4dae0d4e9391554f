"""网办深度: how far each service item can be handled online, from its guide's words and links."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding
from auditkit.snapshot import Snapshot
from auditkit_plugins.services.guides import Guide, site_guides
from auditkit_plugins.services.reach import reach

LEVEL_NAMES = {"fully_online": "全程网办", "online_prereview": "在线预审/在线申报", "info_only": "仅信息公开"}


def depth_of(guide: Guide, snapshot: Snapshot, settings: dict[str, Any]) -> tuple[str, str]:
    """(level, why): 全程网办 or 在线预审 by the guide's own words; a working online filing
    entry makes at least 在线预审; otherwise the guide only informs."""
    text = guide.text
    for level in ("fully_online", "online_prereview"):
        for pattern in settings[f"depth_{level}_patterns"]:
            found = re.search(pattern, text)
            if found:
                return level, f"指南写明“{found.group(0)}”"
    for url, label in guide.online_entries:
        if reach(snapshot, url).state != "broken":
            return "online_prereview", f"提供在线办理入口“{label}”"
    return "info_only", "仅提供办事指南，无在线办理入口或网办深度说明"


@check(id="services.online_depth", title="网办深度",
       indicators=["办事服务/网办深度", "服务成熟度/政务服务成熟度/网办深度"],
       needs=["pages", "resources"])
def online_depth(ctx: CheckContext) -> CheckResult:
    """Each guide's online depth: 全程网办 (the guide says so, or 到现场次数 0), 在线预审 (online
    pre-review or filing, by its words or a working 在线办理 entry), or information only. Score =
    mean of the levels' weights (settings depth_weights)."""
    s = ctx.settings
    guides = site_guides(ctx.snapshot, s)
    if not guides:
        return ctx.needs_review("未在抓取的页面中找到办事指南，无法判断网办深度（事项可能在省级政务服务平台办理）")
    weights = s["depth_weights"]
    rows: list[dict[str, object]] = []
    findings: list[Finding] = []
    levels: Counter[str] = Counter()
    for guide in guides:
        level, why = depth_of(guide, ctx.snapshot, s)
        levels[level] += 1
        rows.append({"事项": guide.title, "页面": guide.url, "网办深度": LEVEL_NAMES[level], "依据": why})
        if level == "info_only":
            findings.append(Finding(severity="minor", url=guide.url,
                                    message=f"事项“{guide.title}”仅提供办事指南，未实现在线办理",
                                    evidence=Evidence(values={"依据": why})))
    score = sum(weights[level] * n for level, n in levels.items()) / len(guides)
    shares = "，".join(f"{LEVEL_NAMES[k]} {levels[k]} 个" for k in LEVEL_NAMES if levels[k])
    return ctx.result(
        score=round(score, 4), findings=findings,
        reason=f"{len(guides)} 个事项：{shares}；按各级权重计得分率 {score:.0%}",
        details={"分布": {LEVEL_NAMES[k]: levels[k] for k in LEVEL_NAMES}, "各事项": rows[: s["max_table_rows"]]},
    )
