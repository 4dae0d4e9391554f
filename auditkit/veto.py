"""The seven veto items (单项否决) of the national inspection rules.

One hit fails the site (不合格) whatever its points. Checks declare which of
these ids they can judge; the veto table says, per item, hit / clear / not
measured in this run, and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditkit.models import CheckResult, CheckStatus, VetoStatus


@dataclass(frozen=True)
class VetoItem:
    id: str
    name: str
    rule: str
    measured_by: str  # what can judge it, said when nothing in the run could


VETO_ITEMS: tuple[VetoItem, ...] = (
    VetoItem("security_incident", "安全、泄密等严重问题",
             "严重表述错误、泄露国家秘密、反动暴力色情内容或链接、被攻击篡改未处理、伪造发布日期等虚假内容",
             "运维保障插件（ops.serious_errors：伪造发布日期）；泄密、篡改等需人工核查"),
    VetoItem("site_unreachable", "站点无法访问",
             "监测 1 周、每天不少于 20 次，首页 15 秒内打不开视为失败，失败次数占比 ≥ 5%",
             "ops.availability，需 1 周的访问样本（auditkit monitor URL --every 30m --for 7d）"),
    VetoItem("home_not_updated", "首页不更新",
             "首页 2 周内无新信息；无可见发布日期的信息视为未更新", "运维保障插件（ops.home_freshness）"),
    VetoItem("columns_not_updated", "栏目不更新",
             "动态要闻类 2 周、通知公告与政策文件类 6 个月未更新的栏目 ≥ 5 个；"
             "或长期未更新栏目 ≥ 10 个；或空白栏目 ≥ 5 个", "运维保障插件（ops.column_freshness）"),
    VetoItem("serious_error", "严重错误",
             "严重错别字（如领导人姓名、国家机构名称错误）、虚假或伪造内容、反动暴力色情内容",
             "运维保障插件（ops.serious_errors）"),
    VetoItem("poor_interaction", "互动回应差",
             "无可用的在线咨询渠道；或检查前 1 年内政务咨询类栏目有效留言超过 3 个月未回复",
             "互动交流插件（interaction）"),
    VetoItem("services_unusable", "服务不实用",
             "无在线办事服务；或办事指南大面积缺少事项名称、设定依据、申请条件等关键要素",
             "办事服务插件（services）"),
)

VETO_IDS = frozenset(item.id for item in VETO_ITEMS)


def veto_table(results: list[CheckResult], check_vetoes: dict[str, tuple[str, ...]]) -> list[VetoStatus]:
    """Per veto item: hit if any check reported a hit; clear if a check that can
    judge it ran and found none; otherwise not measured, naming why."""
    table: list[VetoStatus] = []
    for item in VETO_ITEMS:
        judges = [r for r in results if item.id in check_vetoes.get(r.check_id, ())]
        hits = [h for r in judges for h in r.veto_hits if h.veto == item.id]
        evaluated = [r for r in judges if r.status == CheckStatus.SCORED and item.id in r.vetoes_evaluated]
        if hits:
            status, reason = "hit", "；".join(sorted({h.message for h in hits}))
        elif evaluated:
            status = "clear"
            reason = "；".join(f"{r.check_id}: {r.reason}" for r in evaluated)
        elif judges:
            status = "not_measured"
            reason = "；".join(f"{r.check_id}: {r.reason}" for r in judges)
        else:
            status, reason = "not_measured", f"本次运行没有能判定此项的检查；由{item.measured_by}判定"
        table.append(VetoStatus(id=item.id, name=item.name, rule=item.rule, status=status,
                                reason=reason, hits=hits))
    return table
