"""CI regression audits: compare a run with a baseline, check assertions.

Findings are matched across runs by a fingerprint that survives what changes
between two audits of an unchanged site: query-string noise (session ids,
cache busters, parameter order) and numbers in messages (ages in days, counts).
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field

from auditkit.models import AuditResult, Finding, Severity

#: query parameters that say nothing about which page it is
DEFAULT_NOISE_PARAMS = ["utm_*", "jsessionid", "phpsessid", "sid", "sessionid", "_", "t", "ts", "timestamp",
                        "random", "rand", "r", "v", "ver", "spm", "from"]
SEVERITY_ORDER: tuple[Severity, ...] = ("critical", "serious", "moderate", "minor", "info")

_URL = re.compile(r"https?://[^\s<>\"'）)，。；]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def identity_url(url: str, noise_params: list[str]) -> str:
    """The URL with its fragment, noise parameters and parameter order taken out."""
    parts = urlsplit(url)
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not any(fnmatch.fnmatch(k.lower(), pattern) for pattern in noise_params)
    )
    path = re.sub(r";jsessionid=[^/?#]*", "", parts.path, flags=re.IGNORECASE)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path or "/", urlencode(query), ""))


def _identity_message(message: str, noise_params: list[str]) -> str:
    pieces, last = [], 0
    for match in _URL.finditer(message):
        pieces.append(_NUMBER.sub("#", message[last:match.start()]))
        pieces.append(identity_url(match.group(0), noise_params))
        last = match.end()
    pieces.append(_NUMBER.sub("#", message[last:]))
    return "".join(pieces)


def fingerprint(check_id: str, finding: Finding, noise_params: list[str] = DEFAULT_NOISE_PARAMS) -> str:
    """Stable identity of a finding across runs."""
    url = identity_url(finding.url, noise_params) if finding.url else ""
    raw = "|".join((check_id, finding.severity, url, _identity_message(finding.message, noise_params)))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


class FindingRef(Model):
    fingerprint: str
    check_id: str
    severity: Severity
    message: str
    url: str | None


class RowDelta(Model):
    key: str
    l1: str
    l2: str
    weight: float
    before: float | None
    after: float | None
    delta: float | None


class Comparison(Model):
    baseline_run: str
    current_run: str
    total_before: float | None
    total_after: float | None
    total_delta: float | None
    l1_deltas: dict[str, float]
    rows: list[RowDelta]
    new_findings: list[FindingRef]
    fixed_findings: list[FindingRef]
    unchanged_findings: int
    new_vetoes: list[str]
    cleared_vetoes: list[str]


def finding_refs(result: AuditResult, noise_params: list[str]) -> dict[str, FindingRef]:
    refs: dict[str, FindingRef] = {}
    for check in result.checks:
        for finding in check.findings:
            fp = fingerprint(check.check_id, finding, noise_params)
            refs.setdefault(fp, FindingRef(fingerprint=fp, check_id=check.check_id, severity=finding.severity,
                                           message=finding.message, url=finding.url))
    return refs


def _delta(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round(after - before, 2)


def compare(baseline: AuditResult, current: AuditResult,
            noise_params: list[str] = DEFAULT_NOISE_PARAMS) -> Comparison:
    before_rows = {r.key: r for r in baseline.rows}
    rows = [
        RowDelta(key=r.key, l1=r.l1, l2=r.l2, weight=r.weight,
                 before=before_rows[r.key].points if r.key in before_rows else None, after=r.points,
                 delta=_delta(before_rows[r.key].points if r.key in before_rows else None, r.points))
        for r in current.rows
    ]
    l1_before = {s.l1: s.points for s in baseline.l1_scores}
    old, new = finding_refs(baseline, noise_params), finding_refs(current, noise_params)
    hit = lambda result: {v.name for v in result.vetoes if v.status == "hit"}  # noqa: E731
    return Comparison(
        baseline_run=baseline.run_id,
        current_run=current.run_id,
        total_before=baseline.total,
        total_after=current.total,
        total_delta=_delta(baseline.total, current.total),
        l1_deltas={s.l1: round(s.points - l1_before.get(s.l1, 0.0), 2) for s in current.l1_scores},
        rows=rows,
        new_findings=[ref for fp, ref in new.items() if fp not in old],
        fixed_findings=[ref for fp, ref in old.items() if fp not in new],
        unchanged_findings=len(new.keys() & old.keys()),
        new_vetoes=sorted(hit(current) - hit(baseline)),
        cleared_vetoes=sorted(hit(baseline) - hit(current)),
    )


# --- assertions ----------------------------------------------------------------


class CheckAssertion(Model):
    min_score: float | None = None
    max_deduction: float | None = None
    max_findings: int | None = None
    allow_error: bool = True


class Assertions(Model):
    """What a CI run requires; ``[assertions]`` in auditkit.toml or ``[tool.auditkit.assertions]``."""

    min_total: float | None = None
    min_l1: dict[str, float] = Field(default_factory=dict)
    no_veto: bool = False
    max_new_findings: dict[Severity, int] = Field(default_factory=dict)
    max_total_drop: float | None = None
    checks: dict[str, CheckAssertion] = Field(default_factory=dict)
    noise_params: list[str] = Field(default_factory=lambda: list(DEFAULT_NOISE_PARAMS))


class AssertionOutcome(Model):
    name: str
    passed: bool
    message: str


def evaluate(assertions: Assertions, result: AuditResult, comparison: Comparison | None) -> list[AssertionOutcome]:
    outcomes: list[AssertionOutcome] = []

    def add(name: str, passed: bool, message: str) -> None:
        outcomes.append(AssertionOutcome(name=name, passed=passed, message=message))

    total = result.total or 0.0
    if assertions.min_total is not None:
        add("min_total", total >= assertions.min_total, f"总分 {total:g}，要求不低于 {assertions.min_total:g}")
    l1_points = {s.l1: s.points for s in result.l1_scores}
    for l1, minimum in assertions.min_l1.items():
        got = l1_points.get(l1)
        add(f"min_l1[{l1}]", got is not None and got >= minimum,
            f"{l1} 得分 {got if got is not None else '—'}，要求不低于 {minimum:g}")
    if assertions.no_veto:
        hits = [v.name for v in result.vetoes if v.status == "hit"]
        add("no_veto", not hits, "命中单项否决：" + "、".join(hits) if hits else "未命中单项否决")
    if assertions.max_total_drop is not None:
        drop = -(comparison.total_delta or 0.0) if comparison else 0.0
        add("max_total_drop", comparison is not None and drop <= assertions.max_total_drop,
            f"总分较基线下降 {drop:g}，允许 {assertions.max_total_drop:g}" if comparison else "没有基线，无法比较")
    for severity, limit in assertions.max_new_findings.items():
        if comparison is None:
            add(f"max_new_findings[{severity}]", False, "没有基线（--baseline），无法判断新增问题")
            continue
        count = sum(1 for f in comparison.new_findings if f.severity == severity)
        add(f"max_new_findings[{severity}]", count <= limit, f"新增 {severity} 问题 {count} 条，允许 {limit}")
    checks = {c.check_id: c for c in result.checks}
    for check_id, rule in assertions.checks.items():
        got = checks.get(check_id)
        if got is None:
            add(f"checks[{check_id}]", False, f"检查 {check_id} 未运行")
            continue
        problems = []
        if not rule.allow_error and got.status == "error":
            problems.append(f"出错：{got.reason}")
        if rule.min_score is not None and (got.score is None or got.score < rule.min_score):
            problems.append(f"得分率 {got.score}，要求不低于 {rule.min_score:g}")
        if rule.max_deduction is not None and (got.deduction or 0) > rule.max_deduction:
            problems.append(f"扣 {got.deduction:g} 分，允许 {rule.max_deduction:g}")
        if rule.max_findings is not None and len(got.findings) > rule.max_findings:
            problems.append(f"{len(got.findings)} 条问题，允许 {rule.max_findings}")
        add(f"checks[{check_id}]", not problems, "；".join(problems) or "满足要求")
    return outcomes


def load_assertions(config: dict[str, Any]) -> Assertions | None:
    section = config.get("assertions")
    return Assertions.model_validate(section) if section is not None else None


def discover_config(folder: Path) -> Path | None:
    """auditkit.toml, else a pyproject.toml with a [tool.auditkit] table, in ``folder``."""
    own = folder / "auditkit.toml"
    if own.is_file():
        return own
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and "[tool.auditkit" in pyproject.read_text(encoding="utf-8"):
        return pyproject
    return None
