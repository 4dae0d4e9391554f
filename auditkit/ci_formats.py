"""Outputs for CI systems: JUnit XML, SARIF 2.1.0 and a Markdown summary."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from auditkit import __version__
from auditkit.ci import AssertionOutcome, Comparison, fingerprint
from auditkit.models import AuditResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"critical": "error", "serious": "error", "moderate": "warning", "minor": "note", "info": "note"}
VETO_STATUS = {"hit": "命中", "clear": "未命中", "not_measured": "本次未测"}


def _md(text: str) -> str:
    """Text from the audited site, made inert in Markdown (a comment must not be scripted)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_[]|#!":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def to_junit(result: AuditResult, comparison: Comparison | None, outcomes: list[AssertionOutcome]) -> str:
    """One test case per row, veto item and assertion. A row fails when it lost points
    against the baseline and is skipped while it awaits a manual score."""
    deltas = {d.key: d.delta for d in comparison.rows} if comparison else {}
    suites = ET.Element("testsuites", name=f"auditkit {result.url}")

    def suite(name: str) -> ET.Element:
        return ET.SubElement(suites, "testsuite", name=name)

    rows = suite(f"rows ({result.profile_id})")
    for row in result.rows:
        case = ET.SubElement(rows, "testcase", classname=f"auditkit.rows.{row.l1}", name=row.l2)
        delta = deltas.get(row.key)
        if row.points is None:
            ET.SubElement(case, "skipped", message=f"待人工评分（{row.status.value}）")
        elif delta is not None and delta < 0:
            ET.SubElement(case, "failure", message=f"比基线下降 {-delta:g} 分", type="regression").text = row.reason
        ET.SubElement(case, "system-out").text = f"{_fmt(row.points)} / {row.weight:g}：{row.reason}"
    vetoes = suite("vetoes")
    for veto in result.vetoes:
        case = ET.SubElement(vetoes, "testcase", classname="auditkit.vetoes", name=veto.name)
        if veto.status == "hit":
            ET.SubElement(case, "failure", message=f"单项否决命中：{veto.name}", type="veto").text = veto.reason
        elif veto.status == "not_measured":
            ET.SubElement(case, "skipped", message=veto.reason[:200])
    if outcomes:
        asserted = suite("assertions")
        for outcome in outcomes:
            case = ET.SubElement(asserted, "testcase", classname="auditkit.assertions", name=outcome.name)
            if not outcome.passed:
                ET.SubElement(case, "failure", message=outcome.message, type="assertion")
            ET.SubElement(case, "system-out").text = outcome.message
    for element in suites:
        cases = element.findall("testcase")
        element.set("tests", str(len(cases)))
        element.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        element.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
        element.set("errors", "0")
    for key in ("tests", "failures", "skipped", "errors"):
        suites.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def to_sarif(result: AuditResult, comparison: Comparison | None, noise_params: list[str]) -> dict[str, Any]:
    """Findings as SARIF results, located at the page URLs; with a baseline each says new or unchanged."""
    new = {f.fingerprint for f in comparison.new_findings} if comparison else None
    rules = [{"id": c.check_id, "name": c.check_id.replace(".", "_"),
              "shortDescription": {"text": c.title or c.check_id}} for c in result.checks]
    results: list[dict[str, Any]] = []
    for index, check in enumerate(result.checks):
        for finding in check.findings:
            fp = fingerprint(check.check_id, finding, noise_params)
            item: dict[str, Any] = {
                "ruleId": check.check_id,
                "ruleIndex": index,
                "level": SARIF_LEVELS[finding.severity],
                "message": {"text": finding.message},
                "partialFingerprints": {"auditkitFinding/v1": fp},
                "properties": {"severity": finding.severity, "plugin": check.plugin},
            }
            if finding.url:
                item["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": finding.url}}}]
            if new is not None:
                item["baselineState"] = "new" if fp in new else "unchanged"
            results.append(item)
    if comparison:
        for fixed in comparison.fixed_findings:
            item = {"ruleId": fixed.check_id, "level": SARIF_LEVELS[fixed.severity],
                    "message": {"text": fixed.message}, "baselineState": "absent",
                    "partialFingerprints": {"auditkitFinding/v1": fixed.fingerprint}}
            if fixed.url:
                item["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": fixed.url}}}]
            results.append(item)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "auditkit", "version": __version__, "rules": rules}},
            "automationDetails": {"id": f"auditkit/{result.profile_id}/{result.run_id}"},
            "originalUriBaseIds": {"SITE": {"uri": result.url}},
            "results": results,
            "properties": {"total": result.total, "maxTotal": result.max_total, "grade": result.grade},
        }],
    }


def to_markdown(result: AuditResult, comparison: Comparison | None, outcomes: list[AssertionOutcome]) -> str:
    """A summary that fits a merge-request comment."""
    failed = [o for o in outcomes if not o.passed]
    head = "❌" if failed or result.failed else "✅"
    lines = [f"### {head} auditkit: {_md(result.url)}", "",
             f"**{_fmt(result.total)} / {result.max_total:g}** · {result.grade} · {result.profile_name}"
             f" · 待人工评分 {result.pending_weight:g} 分 · 监测时间点 {result.as_of}"]
    if comparison:
        lines.append(f"\n较基线 `{comparison.baseline_run}`：总分 {_fmt(comparison.total_delta)}，"
                     f"新增问题 {len(comparison.new_findings)} 条，已修复 {len(comparison.fixed_findings)} 条")
    hits = [v for v in result.vetoes if v.status == "hit"]
    if hits:
        lines += ["", "**单项否决**", *[f"- {v.name}：{_md(v.reason)}" for v in hits]]
    if outcomes:
        lines += ["", "| 断言 | 结果 | 说明 |", "|---|---|---|"]
        lines += [f"| `{o.name}` | {'通过' if o.passed else '**未通过**'} | {_md(o.message)} |" for o in outcomes]
    if comparison:
        changed = [d for d in comparison.rows if d.delta]
        if changed:
            lines += ["", "| 指标 | 基线 | 本次 | 变化 |", "|---|---|---|---|"]
            lines += [f"| {d.l1}/{d.l2} | {_fmt(d.before)} | {_fmt(d.after)} | {d.delta:+g} |" for d in changed]
        for title, refs in (("新增问题", comparison.new_findings), ("已修复", comparison.fixed_findings)):
            if refs:
                lines += ["", f"<details><summary>{title}（{len(refs)}）</summary>", ""]
                lines += [f"- `{r.check_id}` {r.severity}：{_md(r.message)}" for r in refs[:50]]
                lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
