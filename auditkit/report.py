"""The HTML report: one self-contained file rendered from an ``AuditResult`` alone.

Everything in the result may come from the audited site, so every value is
autoescaped, only ``http(s)`` URLs become links and only base64 PNG/JPEG/WebP
data URIs become images. The document carries a CSP that forbids scripts and
every remote fetch; it needs no JavaScript.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from auditkit.ci import Comparison
from auditkit.models import AuditResult, CheckResult, Finding

TEMPLATE = "report.html.j2"

#: Findings (and crawled pages) shown before the rest is folded into a ``<details>``.
VISIBLE_FINDINGS = 50
VISIBLE_PAGES = 50
#: Compact values longer than this are folded (the whole value stays in the report).
FOLD_VALUE_CHARS = 240
#: Rows of a table in a check's details (a list of records) shown before the rest is folded.
VISIBLE_RECORDS = 30

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

ROW_STATUS = {
    "scored": ("已评分", "scored"),
    "partial": ("部分评分", "partial"),
    "manual": ("人工评分", "manual"),
    "pending": ("待人工评分", "pending"),
    "not_automated": ("尚未自动化（待人工评分）", "not-automated"),
}
CHECK_STATUS = {
    "scored": ("已评分", "scored"),
    "not_applicable": ("不适用", "na"),
    "needs_manual_review": ("需人工复核", "pending"),
    "error": ("出错", "error"),
}
VETO_STATUS = {
    "hit": ("命中", "hit"),
    "clear": ("未命中", "clear"),
    "not_measured": ("本次未测", "unmeasured"),
}
SEVERITY = {
    "critical": "严重",
    "serious": "较重",
    "moderate": "中等",
    "minor": "轻微",
    "info": "提示",
}
SCREENSHOT_NAMES = {"home": "首页截图"}

_IMAGE_URI = re.compile(r"data:image/(?:png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# --- filters ----------------------------------------------------------------


def safe_href(url: object) -> str | None:
    """The URL if it may be put in ``href`` (absolute http/https with a host), else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if _CONTROL.search(url) or not re.match(r"https?://", url, re.IGNORECASE):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def safe_img_src(uri: object) -> str | None:
    """The data URI if it is a base64 PNG, JPEG or WebP image, else None."""
    if isinstance(uri, str) and _IMAGE_URI.fullmatch(uri):
        return uri
    return None


def fmt_num(value: float | int | None, digits: int = 2) -> str:
    """73.5 -> "73.5", 100.0 -> "100", None -> "—"."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_pct(value: float | None) -> str:
    return "—" if value is None else f"{fmt_num(value * 100, 1)}%"


def fmt_dt(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat()


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 10_000:
        return f"{fmt_num(value / 1000, 1)} s"
    return f"{fmt_num(value, 0 if value >= 100 else 1)} ms"


def compact(value: Any) -> str:
    """Plain strings as they are; anything else as one-line JSON (non-ASCII kept)."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=str, separators=(", ", ": "))
    except (TypeError, ValueError):
        return repr(value)


def pretty(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=str, indent=2)
    except (TypeError, ValueError):
        return repr(value)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 1)] + "…"


def is_records(value: Any) -> bool:
    """A non-empty list of mappings: a table a check measured (one row per guide, per message)."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def record_columns(rows: list[dict[str, Any]]) -> list[str]:
    """The columns of a table of records: every key, in order of first appearance."""
    return list(dict.fromkeys(str(key) for row in rows for key in row))


# --- view helpers -----------------------------------------------------------


@dataclass
class Bar:
    label: str
    full_label: str
    weight: float
    points: float
    pending: float
    y: float
    track: float
    points_w: float
    pending_w: float


@dataclass
class Chart:
    width: int
    height: int
    label_w: int
    value_x: float
    bar_h: int
    bars: list[Bar] = field(default_factory=list)


def _chart(result: AuditResult) -> Chart:
    width, label_w, value_w, row_h, bar_h, top = 880, 150, 230, 34, 18, 8
    track_max = width - label_w - value_w - 20
    chart = Chart(width=width, height=0, label_w=label_w, value_x=0, bar_h=bar_h)
    max_weight = max((s.weight for s in result.l1_scores), default=0) or 1.0
    for i, score in enumerate(result.l1_scores):
        track = max(score.weight, 0) / max_weight * track_max
        weight = score.weight if score.weight > 0 else 1.0
        points_frac = min(max(score.points / weight, 0.0), 1.0)
        pending_frac = min(max(score.pending_weight / weight, 0.0), 1.0 - points_frac)
        chart.bars.append(
            Bar(
                label=shorten(score.l1, 9),
                full_label=score.l1,
                weight=score.weight,
                points=score.points,
                pending=score.pending_weight,
                y=top + i * row_h,
                track=round(track, 2),
                points_w=round(track * points_frac, 2),
                pending_w=round(track * pending_frac, 2),
            )
        )
    chart.value_x = label_w + track_max + 14
    chart.height = top * 2 + max(len(chart.bars), 1) * row_h
    return chart


@dataclass
class Ring:
    """The score gauge: arcs for points and pending weight out of ``max_total``."""

    circumference: float
    points_len: float
    pending_len: float


def _ring(result: AuditResult, radius: float = 52) -> Ring:
    circ = 2 * math.pi * radius
    if result.max_total <= 0:
        return Ring(round(circ, 2), 0, 0)
    points = min(max((result.total or 0) / result.max_total, 0.0), 1.0)
    pending = min(max(result.pending_weight / result.max_total, 0.0), 1.0 - points)
    return Ring(round(circ, 2), round(circ * points, 2), round(circ * pending, 2))


@dataclass
class RowGroup:
    l1: str
    score: Any  # L1Score | None
    rows: list[Any]


def _row_groups(result: AuditResult) -> list[RowGroup]:
    """Rows grouped by l1 in order of first appearance (jinja's groupby would sort)."""
    scores = {s.l1: s for s in result.l1_scores}
    groups: dict[str, RowGroup] = {}
    for row in result.rows:
        if row.l1 not in groups:
            groups[row.l1] = RowGroup(row.l1, scores.get(row.l1), [])
        groups[row.l1].rows.append(row)
    return list(groups.values())


@dataclass
class FindingView:
    finding: Finding
    shot_key: str | None
    shot_state: str | None  # embed | ref | missing | invalid | None
    shot_src: str | None


@dataclass
class CheckView:
    check: CheckResult
    visible: list[FindingView]
    folded: list[FindingView]


def _check_views(result: AuditResult) -> list[CheckView]:
    """Findings with their screenshots resolved; a screenshot is embedded at its first
    reference only, later references point to the screenshots section."""
    seen: set[str] = set()
    views = []
    for check in result.checks:
        findings = []
        for finding in check.findings:
            key = finding.evidence.screenshot
            state, src = None, None
            if key is not None:
                if key not in result.screenshots:
                    state = "missing"
                elif (src := safe_img_src(result.screenshots[key])) is None:
                    state = "invalid"
                elif key in seen:
                    state = "ref"
                else:
                    seen.add(key)
                    state = "embed"
            findings.append(FindingView(finding, key, state, src))
        views.append(CheckView(check, findings[:VISIBLE_FINDINGS], findings[VISIBLE_FINDINGS:]))
    return views


# --- rendering --------------------------------------------------------------


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("auditkit", "templates"),
        # Escape in every template, whatever its name (.html.j2 ends in .j2).
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "j2", "css"),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        safe_href=safe_href,
        safe_img_src=safe_img_src,
        num=fmt_num,
        pct=fmt_pct,
        dt=fmt_dt,
        ms=fmt_ms,
        compact=compact,
        pretty=pretty,
        shorten=shorten,
        record_columns=record_columns,
    )
    env.tests["records"] = is_records
    env.globals.update(
        ROW_STATUS=ROW_STATUS,
        CHECK_STATUS=CHECK_STATUS,
        VETO_STATUS=VETO_STATUS,
        SEVERITY=SEVERITY,
        SCREENSHOT_NAMES=SCREENSHOT_NAMES,
        FOLD_VALUE_CHARS=FOLD_VALUE_CHARS,
        VISIBLE_RECORDS=VISIBLE_RECORDS,
        VISIBLE_PAGES=VISIBLE_PAGES,
        CSP=CSP,
    )
    return env


def render_report(result: AuditResult) -> str:
    """The complete HTML document for ``result``."""
    template = environment().get_template(TEMPLATE)
    known_checks = {c.check_id for c in result.checks}
    return template.render(
        r=result,
        chart=_chart(result),
        ring=_ring(result),
        groups=_row_groups(result),
        check_views=_check_views(result),
        known_checks=known_checks,
        hit_count=sum(1 for v in result.vetoes if v.status == "hit"),
        finding_count=sum(len(c.findings) for c in result.checks),
    )


def write_report(result: AuditResult, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(result), encoding="utf-8")
    return path


def render_diff(baseline: AuditResult, current: AuditResult, comparison: Comparison) -> str:
    """The comparison of two runs as one self-contained HTML page."""
    return environment().get_template("diff.html.j2").render(baseline=baseline, current=current, c=comparison)
