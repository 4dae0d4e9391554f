"""开发区 rows 产业发展, 科技创新, 人才引进, 招商引资, 绿色集约: each a topic with its own synonyms
and the seed's points; a point is covered when a column name or an item title says it."""

from __future__ import annotations

from auditkit import CheckContext, check
from auditkit.checks import Check
from auditkit.columns import Candidate, ColumnMap, Topic, discover
from auditkit.models import CheckResult, Evidence, Finding


def topic_texts(cmap: ColumnMap, candidate: Candidate) -> list[str]:
    """What a topic column says about itself: its names, its sub-columns, its items and theirs."""
    texts = list(candidate.names) + [c.label for c in candidate.children] + [i.label for i in candidate.items]
    for child in candidate.children:
        if (sub := cmap.candidate(child.url)) is not None:
            texts += [i.label for i in sub.items]
    return texts


def _zone_check(topic_id: str, row: str) -> Check:
    def run(ctx: CheckContext) -> CheckResult:
        if next(ctx.snapshot.html_pages(), None) is None:
            return ctx.needs_review("没有可读取的页面，无法判断栏目设置")
        cmap = discover(ctx.snapshot)
        topic: Topic = cmap.rules.topics[topic_id]
        weights = ctx.settings["zone_row_weights"]
        match = cmap.topic(topic_id)
        candidate = cmap.candidate(match.url) if match.found else None
        findings: list[Finding] = []
        if candidate is not None:
            texts = topic_texts(cmap, candidate)
            scope = f"「{match.name_found}」栏目"
        else:
            # no column of its own: the points may still be covered by columns elsewhere
            texts = [n for c in cmap.candidates.values() for n in c.names]
            scope = "全站栏目名称"
            findings.append(Finding(severity="serious", message=f"未找到「{topic.name}」相关栏目或专栏"))
        covered = {p.name: sorted({w for w in p.keywords if any(w in t for t in texts)}) for p in topic.sub_points}
        share = sum(bool(v) for v in covered.values()) / len(covered) if covered else 1.0
        window = topic.window_days or ctx.settings["default_window_days"]
        age = (ctx.as_of - match.newest).days if match.found and match.newest else None
        current = age is not None and age <= window
        if candidate is not None and not current:
            findings.append(Finding(severity="moderate", url=match.url,
                                    message=f"「{topic.name}」栏目" + (f"最新信息已 {age} 天未更新" if age is not None
                                                                      else "没有带日期的信息")))
        for point, words in covered.items():
            if not words:
                findings.append(Finding(severity="minor", url=match.url,
                                        message=f"{scope}未见「{point}」方面的信息",
                                        evidence=Evidence(values={"keywords": next(
                                            p.keywords for p in topic.sub_points if p.name == point)})))
        score = (weights["found"] * (candidate is not None) + weights["current"] * current
                 + weights["sub_points"] * share)
        where = f"找到栏目「{match.name_found}」" if candidate else "未找到相关栏目"
        reason = (f"「{topic.name}」：{where}{'，按时更新' if current else ''}；"
                  f"评估要点覆盖 {sum(bool(v) for v in covered.values())}/{len(covered)}")
        return ctx.result(score=round(score, 4), reason=reason, findings=findings,
                          details={"栏目": match.row(), "评估要点": covered, "距今天数": age})

    name = row.split("/")[1]
    run.__doc__ = (f"开发区「{name}」：是否设置相关栏目或专栏（同义名称、分词近似、网址提示），是否按时更新，"
                   "以及评估要点（栏目名称、子栏目、信息标题中出现的要点）的覆盖情况。")
    return check(id=f"info_disclosure.zone_{topic_id}", title=f"{name}（开发区）", indicators=[row])(run)


zone_industry = _zone_check("industry", "政务信息公开/产业发展")
zone_innovation = _zone_check("innovation", "政务信息公开/科技创新")
zone_talent = _zone_check("talent", "政务信息公开/人才引进")
zone_investment = _zone_check("investment", "政务信息公开/招商引资")
zone_green = _zone_check("green", "政务信息公开/绿色集约")
