"""Rows judged by the entries a visitor finds: one check per finder in ``data/finders.yaml``.

A finder's items are things the seed's points name (统一注册, 健康码, 预约挂号 …); an item
counts when an entry to it is on the site and the entry opens (or could not be checked from
here: another host in offline mode). Entries to the same 统一 function that lead to several
systems are a finding and count in part. Every entry is evidence the site owner can click.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from auditkit import Check, CheckContext, check
from auditkit.entries import EntryIndex, EntryLimits, EntryRule, FoundEntry, entry_index, system_of
from auditkit.models import CheckResult, Evidence, Finding


class FinderItem(EntryRule):
    one_system: bool = False  # every entry should lead to one system (统一…)


class Finder(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    rows: list[str]
    about: str  # the seed's point, for the check's description
    items: list[FinderItem] = Field(min_length=1)


@cache
def finders() -> dict[str, Finder]:
    text = resources.files(__package__).joinpath("data/finders.yaml").read_text(encoding="utf-8")
    return {key: Finder.model_validate(value) for key, value in yaml.safe_load(text).items()}


def all_rules() -> dict[str, EntryRule]:
    """Every item of every finder under one key: the snapshot is scanned once for all of them."""
    return {f"{fid}/{i}": item for fid, finder in finders().items() for i, item in enumerate(finder.items)}


def limits(settings: dict[str, Any]) -> EntryLimits:
    return EntryLimits(max_label_chars=settings["max_label_chars"], max_title_chars=settings["max_title_chars"],
                       max_entries=settings["max_evidence_entries"])


def index(ctx: CheckContext) -> EntryIndex:
    return entry_index(ctx.snapshot, all_rules(), limits(ctx.settings))


def _entry_row(entry: FoundEntry) -> dict[str, Any]:
    state = {True: "可打开", False: "无法打开", None: "未检查（外部地址）"}[entry.reachable]
    return {"名称": entry.label, "入口地址": entry.target, "所在页面": entry.page, "方式": entry.via, "状态": state}


def judge_item(item: FinderItem, entries: list[FoundEntry], total: int, settings: dict[str, Any]
               ) -> tuple[float, list[Finding]]:
    """The item's credit (0–1) and what is wrong with it."""
    if not entries:
        return 0.0, [Finding(severity="moderate", message=f"未找到「{item.name}」")]
    working = [e for e in entries if e.reachable is not False]
    if not working:
        return settings["broken_entry_credit"], [Finding(
            severity="serious", url=entries[0].target, message=f"「{item.name}」入口无法打开",
            evidence=Evidence(values={"entries": [_entry_row(e) for e in entries]}))]
    linked = {system_of(e.target, settings["system_path_segments"]) for e in working if e.via != "title"
              and e.via != "text"}
    if item.one_system and len(linked) > 1:
        return settings["split_system_credit"], [Finding(
            severity="moderate", url=working[0].target,
            message=f"「{item.name}」的 {total} 个入口分属 {len(linked)} 个系统，未统一",
            evidence=Evidence(values={"systems": sorted(linked)}))]
    return 1.0, []


def judge(ctx: CheckContext, finder_id: str) -> CheckResult:
    """Score one finder: the weighted share of its items found and working."""
    if next(ctx.snapshot.html_pages(), None) is None:
        return ctx.needs_review("没有可读取的页面，无法查找入口")
    finder = finders()[finder_id]
    found = index(ctx)
    credit = weight = 0.0
    findings: list[Finding] = []
    table: dict[str, list[dict[str, Any]]] = {}
    present, missing = [], []
    for i, item in enumerate(finder.items):
        key = f"{finder_id}/{i}"
        entries = found.entries(key)
        item_credit, item_findings = judge_item(item, entries, found.counts[key], ctx.settings)
        credit += item.weight * item_credit
        weight += item.weight
        findings += item_findings
        table[item.name] = [_entry_row(e) for e in entries]
        (present if item_credit else missing).append(item.name)
    reason = f"已找到：{'、'.join(present) or '无'}；未找到或不可用：{'、'.join(missing) or '无'}"
    return ctx.result(score=round(credit / weight, 4), reason=reason, findings=findings, details={"入口": table})


def _finder_check(finder_id: str, finder: Finder) -> Check:
    def run(ctx: CheckContext) -> CheckResult:
        return judge(ctx, finder_id)

    run.__doc__ = (f"{finder.about}. Found as entries a visitor sees (link and image texts, page titles, "
                   f"page text); items: {', '.join(i.name for i in finder.items)}.")
    return check(id=f"digital_gov.{finder_id}", title=finder.title, indicators=finder.rows)(run)


def finder_checks() -> list[Check]:
    return [_finder_check(fid, finder) for fid, finder in finders().items()]
