"""咨询投诉: a working channel, messages and replies published on time, statistics — and the veto 互动回应差."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from auditkit import CheckContext, check
from auditkit.dates import find_dates
from auditkit.models import CheckResult, Evidence, Finding, VetoHit
from auditkit.snapshot import Snapshot
from auditkit.urls import host_of, site_hosts
from auditkit_plugins.interaction.messages import Form, Message, consultation_forms, site_messages
from auditkit_plugins.services.fields import page_chunks
from auditkit_plugins.services.reach import find_links, reach


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def latency_class(days: int | None, buckets: list[int]) -> str:
    if days is None:
        return "未回复"
    lower = 0
    for upper in buckets:
        if days <= upper:
            return f"{lower}–{upper} 天" if lower else f"≤{upper} 天"
        lower = upper + 1
    return f">{buckets[-1]} 天"


def overdue_unanswered(message: Message, as_of: date, settings: dict[str, Any]) -> bool:
    """The veto's case: asked within the window, still unanswered more than 3 months later,
    in a 政务咨询-type column (not 在线访谈, 调查征集, 信访 or 举报)."""
    if message.replied or message.asked is None:
        return False
    if any(w in message.channel for w in settings["consultation_excluded_words"]):
        return False
    in_window = message.asked >= as_of - timedelta(days=settings["veto_window_days"])
    return in_window and add_months(message.asked, settings["unanswered_veto_months"]) < as_of


def _verdict(message: Message, as_of: date, settings: dict[str, Any]) -> str:
    if overdue_unanswered(message, as_of, settings):
        return f"超过 {settings['unanswered_veto_months']} 个月未回复（否决）"
    if not message.replied:
        overdue = message.asked and (as_of - message.asked).days > settings["reply_on_time_days"]
        return "超期未回复" if overdue else "办理中"
    if message.latency is None:
        return "已回复（未注明回复时间）"
    return "按时回复" if message.latency <= settings["reply_on_time_days"] else "回复超时"


@dataclass
class Statistics:
    url: str
    snippet: str
    received: int
    done: int
    dated: date | None  # the date the block gives (截至…), if any
    current: bool
    why: str


def find_statistics(snapshot: Snapshot, settings: dict[str, Any]) -> list[Statistics]:
    """Blocks counting messages received and handled (累计收到留言 7 件，已办结 6 件), and
    whether they are current: dated recently, or printed beside a recent list."""
    received, done = re.compile(settings["stats_received_pattern"]), re.compile(settings["stats_done_pattern"])
    window, max_age = settings["stats_date_window_chars"], settings["stats_max_age_days"]
    found: list[Statistics] = []
    for page in snapshot.html_pages():
        if not (received.search(page.text) and done.search(page.text)):
            continue
        tree = snapshot.parse(page.url)
        if tree is None:
            continue
        text = " ".join(line.text for line in page_chunks(tree, page.final_url or page.url, settings["layout_hints"]))
        first, second = received.search(text), done.search(text)
        if not first or not second:
            continue
        start, end = min(first.start(), second.start()), max(first.end(), second.end())
        near = [d for d in find_dates(text[max(0, start - window): end + window], snapshot.as_of, implied_year=False)
                if d <= snapshot.as_of]
        dated = max(near, default=None)
        listed = [d for d in find_dates(text, snapshot.as_of) if d <= snapshot.as_of]
        if dated is not None:
            current = (snapshot.as_of - dated).days <= max_age
            why = f"统计日期 {dated.isoformat()}"
        elif listed:
            newest = max(listed)
            current = (snapshot.as_of - newest).days <= max_age
            why = f"未注明统计日期；同页最新信息 {newest.isoformat()}"
        else:
            current, why = False, "未注明统计日期"
        found.append(Statistics(page.url, text[start:end][:120], int(first.group(2)), int(second.group(2)),
                                dated, current, why))
    return found


def _internal(snapshot: Snapshot, url: str) -> bool:
    return host_of(url) in site_hosts(snapshot.start_url, [])


def _channel(ctx: CheckContext) -> tuple[float, list[dict[str, object]], list[Form], list[Finding]]:
    """(channel part of the score, the channels seen, usable forms, findings)."""
    s = ctx.settings
    forms = consultation_forms(ctx.snapshot, s)
    rows: list[dict[str, object]] = [
        {"渠道": "留言表单", "页面": f.page, "提交地址": f.action, "方式": f.method.upper(),
         "字段": "、".join(f.fields) or "—",
         "判定": "可用（仅检查，未提交）" if f.usable else "表单无提交地址或提交按钮"}
        for f in forms]
    findings = [Finding(severity="serious", url=f.page, message="留言表单无法提交（缺少提交地址或提交按钮）")
                for f in forms if not f.usable]
    external = internal = 0
    for link in find_links(ctx.snapshot, s["channel_link_words"], max_chars=s["entry_max_chars"]):
        found = reach(ctx.snapshot, link.url)
        outside = not _internal(ctx.snapshot, link.url)
        rows.append({"渠道": f"链接“{link.text}”", "页面": link.page, "提交地址": link.url, "方式": "—",
                     "字段": "—", "判定": found.note + ("（外部平台）" if outside else "")})
        if found.state == "broken":
            findings.append(Finding(severity="serious", url=link.page,
                                    message=f"咨询投诉入口“{link.text}”{found.note}",
                                    evidence=Evidence(values={"target": link.url})))
        elif outside:
            external += 1
        else:
            internal += 1
    usable = [f for f in forms if f.usable]
    # a form of its own, or a link to the unified platform, is a working channel; an entry page
    # without any form found is half of one (the form may sit behind a login)
    part = 1.0 if usable or external else (0.5 if internal else 0.0)
    return part, rows, usable, findings


@check(id="interaction.consultation", title="咨询投诉（渠道、留言答复时效、统计数据）",
       indicators=["互动交流/咨询投诉", "互动交流参与/咨询投诉", "基础保障度/应用支撑/统一互动",
                   "社会满意度/咨询投诉答复满意度/咨询投诉答复"], needs=["pages", "resources"],
       vetoes=["poor_interaction"])
def consultation(ctx: CheckContext) -> CheckResult:
    """A working consultation channel (a form, inspected and never submitted, or a link to the
    unified platform); published messages with (asked, answered, replying office, status) and
    their reply latency; statistics of messages received and handled, and whether they are
    current. Veto 互动回应差: no working channel, or a 政务咨询 message of the last year left
    unanswered for more than 3 months (国办秘函〔2019〕19号)."""
    s = ctx.settings
    as_of = ctx.as_of
    channel, channel_rows, forms, findings = _channel(ctx)
    messages = site_messages(ctx.snapshot, s)
    stats = find_statistics(ctx.snapshot, s)
    veto_hits: list[VetoHit] = []
    if channel == 0.0:
        veto_hits.append(VetoHit(veto="poor_interaction", url=ctx.snapshot.start_url,
                                 message="无可用的在线咨询渠道（未找到可提交的留言表单或可访问的咨询投诉入口）"))
    if not messages and channel == 1.0 and not forms:
        return ctx.needs_review("咨询投诉入口指向外部平台（如统一咨询投诉平台），本站未公开留言；"
                                "请在该平台核查留言答复情况", findings=findings)
    window_start = as_of - timedelta(days=s["veto_window_days"])
    rows: list[dict[str, object]] = []
    for m in messages:
        verdict = _verdict(m, as_of, s)
        rows.append({"标题": m.title or "—", "留言时间": m.asked.isoformat() if m.asked else "—",
                     "回复时间": m.answered.isoformat() if m.answered else "—", "回复单位": m.office or "—",
                     "状态": m.status, "用时（天）": m.latency if m.latency is not None else "—",
                     "判定": verdict, "页面": m.url})
        if overdue_unanswered(m, as_of, s):
            veto_hits.append(VetoHit(veto="poor_interaction", url=m.url,
                                     message=f"留言“{m.title}”（{m.asked}）超过 {s['unanswered_veto_months']} "
                                             f"个月未回复"))
        elif verdict in ("回复超时", "超期未回复"):
            findings.append(Finding(severity="moderate", url=m.url,
                                    message=f"留言“{m.title}”{verdict}（{m.asked} 留言"
                                            + (f"，{m.latency} 天后回复）" if m.latency is not None else "）"),
                                    evidence=Evidence(values={"留言时间": str(m.asked), "回复时间": str(m.answered),
                                                              "回复单位": m.office})))
    recent = [m for m in messages if m.asked and m.asked >= window_start]
    judged = [m for m in recent if m.replied or (as_of - m.asked).days > s["reply_on_time_days"]]
    on_time = [m for m in judged if m.latency is not None and m.latency <= s["reply_on_time_days"]]
    timeliness = len(on_time) / len(judged) if judged else 0.0
    replies = [m.answered for m in messages if m.answered]
    newest_reply = max(replies, default=None)
    if newest_reply and (as_of - newest_reply).days <= s["published_recent_days"]:
        published = 1.0
    else:
        published = 0.5 if any(m.replied for m in messages) else 0.0
    stats_part = max(((0.5 + 0.5 * st.current) for st in stats), default=0.0)
    weights = s["consultation_weights"]
    parts = {"channel": channel, "published": published, "timeliness": timeliness, "statistics": stats_part}
    score = sum(weights[k] * v for k, v in parts.items()) / sum(weights.values())
    if not stats:
        findings.append(Finding(severity="moderate", url=ctx.snapshot.start_url,
                                message="未公开留言受理、办结等统计数据"))
    elif not any(st.current for st in stats):
        findings.append(Finding(severity="minor", url=stats[0].url,
                                message=f"留言统计数据未及时更新（{stats[0].why}）"))
    latencies = Counter(latency_class(m.latency if m.replied else None, s["latency_buckets_days"]) for m in recent)
    current = any(st.current for st in stats)
    stats_text = "未公开" if not stats else ("已公开且及时" if current else "已公开但未及时更新")
    parts_text = (f"渠道 {'可用' if channel == 1 else ('仅有入口页' if channel else '无')}；公开留言 {len(messages)} 条"
                  f"（近一年 {len(recent)} 条），按时回复 {len(on_time)}/{len(judged)}"
                  f"（{s['reply_on_time_days']} 天内）；统计数据{stats_text}")
    if veto_hits:
        parts_text += f"；命中单项否决“互动回应差”（{len(veto_hits)} 处）"
    evaluated = ["poor_interaction"] if messages or channel == 0.0 else []
    return ctx.result(
        score=round(score, 4), reason=parts_text + f"；得分率 {score:.0%}", findings=findings, veto_hits=veto_hits,
        vetoes_evaluated=evaluated,
        details={
            "回复时限（天）": s["reply_on_time_days"],
            "近一年回复用时分布": dict(latencies),
            "留言": rows[: s["max_table_rows"]],
            "咨询渠道": channel_rows[: s["max_table_rows"]],
            "统计数据": [{"页面": st.url, "内容": st.snippet, "受理": st.received, "办结": st.done,
                      "是否及时": "是" if st.current else "否", "依据": st.why} for st in stats],
        },
    )
