"""Judging the columns of a topic list (法定主动公开, 基本政务): found, filled, current, practical,
inside the 政府信息公开 platform, a column of its own. The column map is the core's
(``auditkit.columns.discover``), shared with every other plugin."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from auditkit import CheckContext, check
from auditkit.checks import Check
from auditkit.columns import Candidate, ColumnMap, Topic, TopicMatch, discover
from auditkit.models import CheckResult, Evidence, Finding


def is_news_title(title: str, settings: dict[str, Any]) -> bool:
    """A news report (领导调研、召开会议) rather than practical content (清单、公告、报告)."""
    return any(w in title for w in settings["news_title_words"]) and \
        not any(w in title for w in settings["practical_title_words"])


@dataclass
class TopicVerdict:
    topic: Topic
    match: TopicMatch
    candidate: Candidate | None
    content: bool | None = None  # None: not crawled, unknown
    current: bool | None = None  # None: not judged (static topic, or unknown)
    age_days: int | None = None
    news_items: int = 0
    practical: bool = True
    separate: bool = True
    points: float = 0.0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (severity, message)

    def row(self) -> dict[str, Any]:
        return self.match.row() | {"有内容": self.content, "按时更新": self.current, "距今天数": self.age_days,
                                   "新闻条数": self.news_items, "内容实用": self.practical,
                                   "单独设置": self.separate, "得分": round(self.points, 3)}


def judge_topic(cmap: ColumnMap, topic: Topic, settings: dict[str, Any], as_of: date,
                shared: Counter[str] | None = None) -> TopicVerdict:
    """One topic's column, judged; ``shared`` counts how many topics of the list chose each URL."""
    match = cmap.topic(topic.id)
    verdict = TopicVerdict(topic, match, cmap.candidate(match.url) if match.found else None)
    weights, unknown = settings["topic_weights"], settings["unknown_share"]
    if not match.found:
        verdict.problems.append(("serious", f"未找到「{topic.name}」栏目（也未找到同义名称的栏目）"))
        return verdict
    candidate = verdict.candidate
    assert candidate is not None
    where = f"「{match.name_found}」" if match.name_found else "该栏目"
    points = weights["found"]
    if candidate.kind == "link":
        verdict.problems.append(("info", f"「{topic.name}」对应栏目{where}未被抓取，内容和更新未能判断"))
        points += (weights["content"] + weights["current"] + weights["practical"]) * unknown
    elif candidate.kind == "page":
        verdict.content = True  # a single page (机构职能 as one article) has its content on the page
        points += weights["content"] + weights["practical"]
        points += weights["current"] * (1.0 if topic.static else unknown)
    else:
        verdict.content = bool(candidate.items)
        if not verdict.content:
            marker = candidate.marker or "无信息"
            verdict.problems.append(("serious", f"「{topic.name}」栏目{where}为空白栏目（{marker}）"))
        else:
            points += weights["content"]
            titles = [i.label or i.text for i in candidate.items]
            verdict.news_items = sum(is_news_title(t, settings) for t in titles)
            verdict.practical = not (topic.id != "news" and len(titles) >= settings["news_min_items"]
                                     and verdict.news_items / len(titles) >= settings["news_share_limit"])
            if verdict.practical:
                points += weights["practical"]
            else:
                verdict.problems.append(("moderate", f"「{topic.name}」栏目{where} {len(titles)} 条信息中 "
                                                     f"{verdict.news_items} 条是新闻动态，以新闻动态代替了实用内容"))
        if topic.static:
            points += weights["current"] if verdict.content else 0.0
        elif verdict.content:
            window = topic.window_days or settings["default_window_days"]
            newest = match.newest
            verdict.age_days = (as_of - newest).days if newest else None
            verdict.current = verdict.age_days is not None and verdict.age_days <= window
            if verdict.current:
                points += weights["current"]
            elif newest is None:
                verdict.problems.append(("moderate", f"「{topic.name}」栏目{where}的信息没有可见发布日期"))
            else:
                verdict.problems.append(("moderate", f"「{topic.name}」栏目{where}最新信息发布于 {newest.isoformat()}，"
                                                     f"已 {verdict.age_days} 天未更新（应在 {window} 天内）"))
    if match.in_platform:
        points += weights["in_platform"]
    elif cmap.platform is not None:
        verdict.problems.append(("minor", f"「{topic.name}」栏目{where}不在政府信息公开平台内"))
    verdict.separate = not shared or shared[match.url or ""] <= 1
    if verdict.separate:
        points += weights["separate"]
    else:
        verdict.problems.append(("minor", f"「{topic.name}」与其他主题共用栏目{where}，未单独设置子栏目"))
    verdict.points = min(points, 1.0)
    return verdict


def judge_list(cmap: ColumnMap, topics: list[Topic], settings: dict[str, Any], as_of: date) -> list[TopicVerdict]:
    shared = Counter(cmap.topic(t.id).url for t in topics if cmap.topic(t.id).found)
    return [judge_topic(cmap, t, settings, as_of, shared) for t in topics]


def verdict_findings(verdicts: list[TopicVerdict]) -> list[Finding]:
    return [Finding(severity=severity, message=message, url=v.match.url if v.match.found else None,
                    evidence=Evidence(values={"topic": v.topic.name, "name_found": v.match.name_found,
                                              "confidence": round(v.match.confidence, 2),
                                              "evidence": v.match.evidence}))
            for v in verdicts for severity, message in v.problems]


def _list_check(list_name: str, check_id: str, title: str, indicators: list[str], label: str) -> Check:
    def run(ctx: CheckContext) -> CheckResult:
        if next(ctx.snapshot.html_pages(), None) is None:
            return ctx.needs_review("没有可读取的页面，无法判断栏目设置")
        cmap = discover(ctx.snapshot)
        topics = cmap.rules.topics_in(list_name)
        verdicts = judge_list(cmap, topics, ctx.settings, ctx.as_of)
        found = [v for v in verdicts if v.match.found]
        missing = [v.topic.name for v in verdicts if not v.match.found]
        empty = sum(v.content is False for v in verdicts)
        stale = sum(v.current is False for v in verdicts)
        news = sum(not v.practical for v in verdicts)
        outside = sum(v.match.found and not v.match.in_platform for v in verdicts)
        reason = (f"{label} {len(topics)} 个主题：找到对应栏目 {len(found)} 个（空白 {empty} 个，"
                  f"超期未更新 {stale} 个，以新闻动态代替实用内容 {news} 个，不在政府信息公开平台内 {outside} 个）")
        if missing:
            reason += "；未找到：" + "、".join(missing)
        if cmap.platform is None:
            reason += "；未找到政府信息公开平台"
        return ctx.result(
            score=round(sum(v.points for v in verdicts) / len(verdicts), 4),
            reason=reason,
            findings=verdict_findings(verdicts),
            details={"政府信息公开平台": cmap.platform.url if cmap.platform else None,
                     "栏目对照表": [v.row() for v in verdicts],
                     "统计": {"主题": len(topics), "找到": len(found), "空白": empty, "超期未更新": stale,
                            "以新闻代替实用内容": news, "不在平台内": outside}},
        )

    run.__doc__ = (f"{label}：每个主题是否开设栏目（同义名称、分词近似、网址提示均可），是否有内容、按时更新，是否以"
                   "新闻动态代替实用内容，是否位于政府信息公开平台内并单独设置。栏目对照表见详情。")
    return check(id=check_id, title=title, indicators=indicators)(run)


mandatory_disclosure = _list_check(
    "local", "info_disclosure.mandatory_disclosure", "法定主动公开（地方政府 23 个主题）",
    ["信息发布/法定主动公开"], "地方政府法定主动公开")
mandatory_disclosure_ministry = _list_check(
    "ministry", "info_disclosure.mandatory_disclosure_ministry", "法定主动公开（部委 10 个主题）",
    ["信息发布/法定主动公开"], "部委法定主动公开")
basic_affairs = _list_check(
    "zone_basic", "info_disclosure.basic_affairs", "基本政务（开发区 7 个主题）",
    ["政务信息公开/基本政务"], "开发区基本政务")
