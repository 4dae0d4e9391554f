"""服务覆盖度 and 服务准确度 (zones): the lists and catalogues a site publishes, and its convenience queries."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from auditkit import Check, CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding
from auditkit_plugins.services.guides import site_guides
from auditkit_plugins.services.reach import FoundLink, Reach, find_links, page_titles, reach

STATE_ORDER = {"ok": 0, "unverified": 1, "broken": 2}


@cache
def list_table() -> dict[str, Any]:
    """``data/service_lists.yaml``: list kinds with their words, the sets each site kind owes, query topics."""
    text = resources.files("auditkit_plugins.services").joinpath("data/service_lists.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _titled_pages(ctx: CheckContext, words: list[str]) -> list[tuple[str, str]]:
    """(URL, title) of crawled pages whose title names one of ``words``: the list page itself."""
    return [(url, title) for url, title in page_titles(ctx.snapshot) if any(w in title for w in words)]


def _lists_check(set_name: str, check_id: str, title: str, indicators: list[str], doc: str) -> Check:
    def run(ctx: CheckContext) -> CheckResult:
        table = list_table()
        kinds = table["sets"][set_name]
        rows: list[dict[str, object]] = []
        findings: list[Finding] = []
        points = 0.0
        guides_with_visits = [g for g in site_guides(ctx.snapshot, ctx.settings) if "到现场次数" in g.extras] \
            if ctx.settings["list_visits_from_guides"] else []
        for kind in kinds:
            spec = table["kinds"][kind]
            candidates: list[tuple[FoundLink | None, str, Reach]] = [
                (None, url, Reach("ok", "可访问（页面标题）")) for url, _ in _titled_pages(ctx, spec["words"])]
            candidates += [(link, link.url, reach(ctx.snapshot, link.url))
                           for link in find_links(ctx.snapshot, spec["words"])]
            if kind == "visits" and guides_with_visits:
                guide = guides_with_visits[0]
                candidates.append((None, guide.url, Reach("ok", f"{len(guides_with_visits)} 个办事指南标注到现场次数")))
            if not candidates:
                rows.append({"清单": spec["name"], "结果": "未发布", "链接": "—", "入口文字": "—"})
                findings.append(Finding(severity="moderate", url=ctx.snapshot.start_url,
                                        message=f"未找到{spec['name']}"))
                continue
            link, url, found = min(candidates, key=lambda c: STATE_ORDER[c[2].state])
            rows.append({"清单": spec["name"], "结果": found.note, "链接": url,
                         "入口文字": link.text if link else "—"})
            if found.state == "broken":
                findings.append(Finding(severity="serious", url=link.page if link else url,
                                        message=f"{spec['name']}的入口“{link.text if link else url}”{found.note}",
                                        evidence=Evidence(values={"target": url})))
            else:
                points += 1
        score = points / len(kinds)
        missing = [r["清单"] for r in rows if r["结果"] == "未发布"]
        reason = f"应发布 {len(kinds)} 类清单/目录，找到可用 {points:g} 类"
        if missing:
            reason += f"；未找到：{'、'.join(missing)}"
        unverified = sum(str(r["结果"]).startswith("未核验") for r in rows)
        if unverified:
            reason += f"；其中 {unverified} 类的链接指向外部平台，本次未核验"
        return ctx.result(score=round(score, 4), reason=reason, findings=findings, details={"清单": rows})

    run.__doc__ = doc
    return check(id=check_id, title=title, indicators=indicators, needs=["pages", "resources"])(run)


local_lists = _lists_check(
    "local", "services.local_lists", "政务服务清单公开（权责、通办、收费、中介、跑动次数等）",
    ["办事服务/服务覆盖度", "服务成熟度/政务服务成熟度/服务覆盖度"],
    """The seven lists local governments publish (权责清单, 通办清单 省内 and 跨省, 收费清单, 中介清单,
    跑动次数清单 or 到现场次数 in guides, 公共服务事项清单, 依申请行政权力事项清单), each found by its
    link text or page title and reachable. Score = share of lists found and reachable.""")
ministry_catalogue = _lists_check(
    "ministry", "services.ministry_catalogue", "政务服务事项目录与“最多跑一次”类目录", ["办事服务/服务覆盖度"],
    """Ministries: the 政务服务事项目录, and a 最多跑一次 / 不见面审批 / 马上办 / 就近办 catalogue or the
    fewest visits marked in the guides. Score = share of the two found and reachable.""")
zone_catalogue = _lists_check(
    "zone", "services.zone_catalogue", "事项目录清单完整性（开发区）", ["网上政务服务/服务准确度"],
    """Development zones: catalogues of 行政办事 and 公共服务 items, 通办事项清单 (省内, 跨省) and
    中介服务事项清单, each found and reachable. Score = share found.""")


def _topic_of(text: str, topics: dict[str, list[str]]) -> str | None:
    return next((name for name, words in topics.items() if any(w in text for w in words)), None)


@check(id="services.convenience_queries", title="便民利企常用查询",
       indicators=["办事服务/服务覆盖度", "服务成熟度/政务服务成熟度/服务覆盖度"],
       needs=["pages", "resources"])
def convenience_queries(ctx: CheckContext) -> CheckResult:
    """Query services (社保, 公积金, 不动产, 违章, 办件进度 …) linked from the site: each
    counted once, with its topic and whether it answers. Score = topics covered by working or
    external (unverified) query links, against the target number of topics."""
    s = ctx.settings
    topics = list_table()["query_topics"]
    rows: list[dict[str, object]] = []
    findings: list[Finding] = []
    covered: set[str] = set()
    for link in find_links(ctx.snapshot, s["query_words"], s["query_exclude_words"], s["entry_max_chars"]):
        found = reach(ctx.snapshot, link.url)
        topic = _topic_of(link.text, topics) or "其他"
        rows.append({"查询": link.text, "领域": topic, "链接": link.url, "结果": found.note, "所在页面": link.page})
        if found.state == "broken":
            findings.append(Finding(severity="moderate", url=link.page,
                                    message=f"便民查询“{link.text}”{found.note}",
                                    evidence=Evidence(values={"target": link.url})))
        elif topic != "其他":
            covered.add(topic)
    target = s["query_target_topics"]
    score = min(len(covered) / target, 1.0)
    reason = (f"找到 {len(rows)} 个查询服务，覆盖 {len(covered)} 个常用领域（{'、'.join(sorted(covered)) or '无'}），"
              f"目标 {target} 个领域")
    if findings:
        reason += f"；{len(findings)} 个查询无法访问"
    return ctx.result(score=round(score, 4), reason=reason, findings=findings,
                      details={"覆盖领域": sorted(covered), "查询服务": rows[: s["max_table_rows"]]})


