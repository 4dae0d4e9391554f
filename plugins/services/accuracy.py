"""服务准确度: guide elements (with the veto 服务不实用) and the forms and online systems a guide links to."""

from __future__ import annotations

from collections import Counter

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding, VetoHit
from auditkit_plugins.services.guides import LAYOUT_NAMES, Guide, site_guides
from auditkit_plugins.services.reach import Reach, download, find_links, reach

ACCURACY_ROWS = ["办事服务/服务准确度", "网上政务服务/服务准确度", "服务成熟度/政务服务成熟度/服务准确性"]


def _has_service_entry(ctx: CheckContext) -> bool:
    s = ctx.settings
    return bool(find_links(ctx.snapshot, s["service_entry_words"], max_chars=s["entry_max_chars"]))


def _guide_row(guide: Guide, key: list[str], scored: list[str]) -> dict[str, object]:
    missing, empty = guide.with_status("missing", scored), guide.with_status("empty", scored)
    return {
        "事项": guide.title, "页面": guide.url, "版式": LAYOUT_NAMES.get(guide.layout, guide.layout),
        "关键要素": f"{guide.present(key)}/{len(key)}", "全部要素": f"{guide.present(scored)}/{len(scored)}",
        "缺失": "、".join(missing) or "—", "内容空泛": "、".join(empty) or "—",
        "表格/附件数": len(guide.attachments),
    }


@check(id="services.guide_elements", title="办事指南要素完整性", indicators=ACCURACY_ROWS,
       vetoes=["services_unusable"])
def guide_elements(ctx: CheckContext) -> CheckResult:
    """Every service guide on the crawled pages read element by element (tables, definition
    lists, headed sections, inline paragraphs): present, missing, or empty. Score = mean share
    of elements present; the veto 服务不实用 when guides lack key elements on a large scale, or
    when the site offers no online service at all (国办秘函〔2019〕19号)."""
    s = ctx.settings
    key, scored = s["guide_key_elements"], s["guide_scored_elements"]
    guides = site_guides(ctx.snapshot, s)
    if not guides:
        if _has_service_entry(ctx):
            return ctx.needs_review("未在抓取的页面中找到办事指南（可能在省级政务服务平台上，本次未抓取），"
                                    "请人工核查办事指南要素")
        message = "网站没有任何在线办事服务入口或办事指南"
        return ctx.result(score=0.0, reason=f"{message}：命中单项否决“服务不实用”",
                          veto_hits=[VetoHit(veto="services_unusable", message=message,
                                             url=ctx.snapshot.start_url)],
                          vetoes_evaluated=["services_unusable"])
    findings: list[Finding] = []
    lacking: list[Guide] = []
    for guide in guides:
        missing, empty = guide.with_status("missing", scored), guide.with_status("empty", scored)
        key_gaps = len(guide.with_status("missing", key)) + len(guide.with_status("empty", key))
        if key_gaps >= s["guide_lacking_min_missing"]:
            lacking.append(guide)
        if missing:
            findings.append(Finding(
                severity="serious" if key_gaps >= s["guide_lacking_min_missing"] else "moderate",
                message=f"办事指南“{guide.title}”缺少 {len(missing)} 项要素：{'、'.join(missing)}",
                url=guide.url, evidence=Evidence(values={"缺失": missing}),
            ))
        for name in empty:
            value = guide.elements[name].value
            findings.append(Finding(
                severity="moderate", message=f"办事指南“{guide.title}”的“{name}”内容空泛：{value or '（空）'}",
                url=guide.url, evidence=Evidence(snippet=value or None),
            ))
    completeness = [guide.present(scored) / len(scored) for guide in guides]
    score = sum(completeness) / len(completeness)
    share = len(lacking) / len(guides)
    distribution = Counter(f"缺 {len(key) - guide.present(key)} 项" if guide.present(key) < len(key) else "齐全"
                           for guide in guides)
    veto_hits: list[VetoHit] = []
    rule = (f"缺少或空泛关键要素 ≥ {s['guide_lacking_min_missing']} 项的指南占比 ≥ "
            f"{s['unusable_veto_share']:.0%}（至少 {s['unusable_veto_min_guides']} 个指南）")
    if len(guides) >= s["unusable_veto_min_guides"] and share >= s["unusable_veto_share"]:
        veto_hits.append(VetoHit(
            veto="services_unusable", url=lacking[0].url,
            message=f"办事指南大面积缺少关键要素：{len(lacking)}/{len(guides)} 个指南缺少或空泛 "
                    f"≥ {s['guide_lacking_min_missing']} 项关键要素"))
    reason = (f"读取 {len(guides)} 个办事指南，要素平均齐全率 {score:.0%}；{len(lacking)} 个指南缺少或空泛 "
              f"≥ {s['guide_lacking_min_missing']} 项关键要素（占 {share:.0%}，否决线：{rule}）")
    details = {
        "指南数": len(guides),
        "关键要素齐全分布": dict(sorted(distribution.items())),
        "否决判定": f"{len(lacking)}/{len(guides)}（{share:.0%}）；{rule}",
        # the least complete first: what the site owner should fix
        "各指南要素": [_guide_row(g, key, scored)
                   for g in sorted(guides, key=lambda g: g.present(scored))][: s["max_table_rows"]],
    }
    return ctx.result(score=round(score, 4), reason=reason, findings=findings, veto_hits=veto_hits,
                      vetoes_evaluated=["services_unusable"], details=details)


def _entry_row(guide: Guide, kind: str, url: str, text: str, found: Reach) -> dict[str, object]:
    return {"事项": guide.title, "类型": kind, "名称": text or "—", "链接": url, "结果": found.note,
            "内容类型": found.content_type or "—",
            "大小": "—" if found.content_length is None else f"{found.content_length} 字节"}


@check(id="services.downloads", title="办事指南表格下载与在线办理入口", indicators=ACCURACY_ROWS,
       needs=["pages", "resources"])
def downloads(ctx: CheckContext) -> CheckResult:
    """Every form and attachment a guide links to downloads (status, not a web page in place
    of a document, not empty), and every 在线办理 / 在线申报 / 查询 entry on a guide reaches a
    working page — as the crawler and link checker found them. Each failure is a deduction
    (国办秘函〔2019〕19号 附件下载 / 在线系统)."""
    s = ctx.settings
    guides = site_guides(ctx.snapshot, s)
    if not guides:
        return ctx.not_applicable("未找到办事指南，没有可检查的表格和在线办理入口")
    rows: list[dict[str, object]] = []
    findings: list[Finding] = []
    failures = {"attachment": 0, "online": 0}
    unverified = 0
    seen: set[tuple[str, str]] = set()
    for guide in guides:
        for kind, name, entries in (("attachment", "表格/附件", guide.attachments),
                                    ("online", "在线办理入口", guide.online_entries)):
            for url, text in entries:
                if (kind, url) in seen:
                    continue  # one form linked from many guides is one failure
                seen.add((kind, url))
                found = download(ctx.snapshot, url, s["attachment_extensions"]) if kind == "attachment" \
                    else reach(ctx.snapshot, url)
                rows.append(_entry_row(guide, name, url, text, found))
                unverified += found.state == "unverified"
                if found.state == "broken":
                    failures[kind] += 1
                    findings.append(Finding(
                        severity="serious", url=guide.url,
                        message=f"办事指南“{guide.title}”的{name}“{text or url}”{found.note}",
                        evidence=Evidence(values={"target": url, "结果": found.note,
                                                  "content_type": found.content_type}),
                    ))
    deduction = failures["attachment"] * s["download_failure_deduction"] + \
        failures["online"] * s["online_entry_failure_deduction"]
    attachments = sum(r["类型"] == "表格/附件" for r in rows)
    reason = (f"{len(guides)} 个办事指南链接了 {attachments} 个表格/附件、{len(rows) - attachments} 个在线办理入口；"
              f"{failures['attachment']} 个附件无法下载、{failures['online']} 个在线系统无法访问，"
              f"共扣 {deduction:g} 分")
    if unverified:
        reason += f"；{unverified} 个链接本次未核验（离线模式、外部链接或未抓取）"
    return ctx.result(deduction=round(deduction, 2), reason=reason, findings=findings,
                      details={"附件无法下载": failures["attachment"], "在线系统无法访问": failures["online"],
                               "未核验": unverified, "各链接": rows[: s["max_table_rows"]]})
