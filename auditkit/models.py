"""Pydantic models for everything that crosses a boundary.

Snapshot records (what the crawler gathered), check results (what plugins
return), scored rows and the whole audit result (what ``result.json`` holds and
the report is rendered from). ``AuditResult`` is the public contract: its JSON
Schema is exported with ``RESULT_SCHEMA_VERSION``.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

RESULT_SCHEMA_VERSION = "1.0"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- snapshot ---------------------------------------------------------------

LinkRegion = Literal["header", "nav", "body", "footer"]
LinkKind = Literal["a", "img", "script", "stylesheet", "iframe", "other"]


class Link(Model):
    """A reference found on a page, with where it sits in the layout."""

    url: str
    text: str = ""
    kind: LinkKind = "a"
    region: LinkRegion = "body"
    alt: str | None = None  # for images: None when the attribute is absent


class PageRecord(Model):
    """One crawled URL as the crawler saw it (HTML pages are rendered in Chromium)."""

    url: str
    final_url: str | None = None
    status: int | None = None
    error: str | None = None
    content_type: str | None = None
    charset: str | None = None
    depth: int = 0
    fetched_at: datetime
    elapsed_ms: float | None = None  # navigation until the load event
    ttfb_ms: float | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    redirects: list[str] = Field(default_factory=list)
    title: str = ""
    text: str = ""
    html: str = ""
    links: list[Link] = Field(default_factory=list)
    dates: list[date] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and self.status < 400


class ResourceStatus(Model):
    """Result of checking one URL over plain HTTP (links, images, attachments)."""

    url: str
    status: int | None = None
    ok: bool
    error: str | None = None
    content_type: str | None = None
    final_url: str | None = None
    elapsed_ms: float | None = None
    method: str | None = None
    skipped: str | None = None  # why it was not checked (offline mode, scheme, excluded)
    title: str | None = None  # an HTML page's <title>, when a GET read it (soft-404 detection)
    #: the Content-Length the server declared (0: an empty attachment); None when it sent none
    content_length: int | None = None


class AvailabilitySample(Model):
    """One visit of a site's home page (站点无法访问 is judged over a week of these)."""

    site: str  # the normalised start URL the samples belong to
    url: str
    at: datetime
    ok: bool
    status: int | None = None
    elapsed_ms: float | None = None
    error: str | None = None
    source: Literal["audit", "probe"] = "probe"
    run_id: str | None = None


# --- check contract ---------------------------------------------------------


class CheckStatus(StrEnum):
    SCORED = "scored"
    NOT_APPLICABLE = "not_applicable"
    NEEDS_MANUAL_REVIEW = "needs_manual_review"
    ERROR = "error"


Severity = Literal["critical", "serious", "moderate", "minor", "info"]


class Evidence(Model):
    snippet: str | None = None  # DOM or text excerpt from the audited page
    values: dict[str, Any] = Field(default_factory=dict)  # measured values
    screenshot: str | None = None  # key into AuditResult.screenshots


class Finding(Model):
    severity: Severity
    message: str
    url: str | None = None
    evidence: Evidence = Field(default_factory=Evidence)

    @property
    def fingerprint(self) -> str:
        """Stable identity across runs: message kind and the page, not the wording of values."""
        raw = f"{self.severity}|{self.url or ''}|{self.message}"
        return hashlib.sha1(raw.encode()).hexdigest()[:16]


class VetoHit(Model):
    veto: str  # a VetoItem id, see auditkit.veto
    message: str
    url: str | None = None


class CheckResult(Model):
    """What a check returns. Either ``score`` (0..1) or ``deduction`` (points)
    when status is scored; ``reason`` says in words why."""

    check_id: str
    title: str = ""
    status: CheckStatus = CheckStatus.SCORED
    score: float | None = Field(default=None, ge=0.0, le=1.0)
    deduction: float | None = Field(default=None, ge=0.0)
    reason: str = ""
    findings: list[Finding] = Field(default_factory=list)
    veto_hits: list[VetoHit] = Field(default_factory=list)
    vetoes_evaluated: list[str] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)
    traceback: str | None = None
    duration_ms: float = 0.0
    plugin: str = ""


# --- profiles ---------------------------------------------------------------


class CheckRef(Model):
    id: str
    weight: float = Field(default=1.0, gt=0)


class IndicatorRow(Model):
    l1: str
    l2: str
    l3: str | None = None  # third level: only the digital-government table has one
    weight: float = Field(ge=0)
    #: how much a crawler of the web channels can evidence (digital-government table)
    automatable: Literal["web", "partial", "manual"] | None = None
    checks: list[CheckRef] = Field(default_factory=list)
    points: list[str] = Field(default_factory=list)  # what evaluators look at (seed text)
    #: evaluation points of this row that its checks do not cover yet: the row is
    #: then only partly machine-scored and says what the evaluator must add
    unchecked: list[str] = Field(default_factory=list)

    @field_validator("checks", mode="before")
    @classmethod
    def _ids_as_refs(cls, value: Any) -> Any:
        return [{"id": v} if isinstance(v, str) else v for v in value or []]

    @property
    def key(self) -> str:
        return "/".join(level for level in (self.l1, self.l2, self.l3) if level)


class Profile(Model):
    id: str
    name: str
    total: float  # what the seed's table adds up to (ministry: 102)
    bonus: float = 0
    bonus_name: str = "优秀创新案例"
    bonus_cases: list[str] = Field(default_factory=list)  # the case types the bonus may be given for
    #: whether the inspection rules' 单项否决 decide this evaluation (website evaluations); the
    #: 数字政府服务能力 evaluation has none
    vetoes: bool = True
    note: str = ""
    rows: list[IndicatorRow]


# --- scoring and result -----------------------------------------------------


class RowStatus(StrEnum):
    SCORED = "scored"  # every check of the row judged it
    PARTIAL = "partial"  # some checks could not judge; scored from the rest
    MANUAL = "manual"  # filled from the manual-scores file
    PENDING = "pending"  # checks exist but none could judge: awaits a manual score
    NOT_AUTOMATED = "not_automated"  # no check covers this row yet: awaits a manual score


class RowScore(Model):
    l1: str
    l2: str
    l3: str | None = None
    key: str
    weight: float
    points: float | None  # None while pending
    status: RowStatus
    reason: str
    check_ids: list[str] = Field(default_factory=list)
    note: str | None = None  # from the manual-scores file
    evidence: str | None = None  # the evaluator's evidence link, from the manual-scores file


class L1Score(Model):
    l1: str
    weight: float
    points: float
    pending_weight: float  # weight of rows still without a score


class VetoStatus(Model):
    id: str
    name: str
    rule: str
    status: Literal["hit", "clear", "not_measured"]
    reason: str
    hits: list[VetoHit] = Field(default_factory=list)


class PageSummary(Model):
    url: str
    final_url: str | None
    status: int | None
    error: str | None
    title: str
    depth: int
    elapsed_ms: float | None


class CrawlStats(Model):
    pages: int
    html_pages: int
    errors: int
    resources_checked: int
    skipped: dict[str, int] = Field(default_factory=dict)  # reason -> count
    duration_s: float
    stages: dict[str, float] = Field(default_factory=dict)  # seconds per stage of the run


class PluginInfo(Model):
    name: str
    package: str | None
    version: str | None
    checks: list[str]


class AuditResult(Model):
    schema_version: str = RESULT_SCHEMA_VERSION
    tool_version: str
    run_id: str
    url: str
    profile_id: str
    profile_name: str
    profile_note: str = ""
    as_of: date
    started_at: datetime
    finished_at: datetime | None
    complete: bool
    total: float | None  # points scored (None when nothing could be scored)
    max_total: float
    bonus: float = 0
    bonus_max: float = 0
    bonus_note: str | None = None
    pending_weight: float
    grade: str
    failed: bool
    l1_scores: list[L1Score]
    rows: list[RowScore]
    vetoes: list[VetoStatus]
    checks: list[CheckResult]
    pages: list[PageSummary]
    crawl: CrawlStats
    plugins: list[PluginInfo]
    problems: list[str] = Field(default_factory=list)  # what went wrong in the run itself
    screenshots: dict[str, str] = Field(default_factory=dict)  # key -> data: URI

    def check(self, check_id: str) -> CheckResult:
        """The result of one check, by id."""
        return next(c for c in self.checks if c.check_id == check_id)

    def row(self, key: str) -> RowScore:
        """One row's score, by ``"一级/二级"`` key."""
        return next(r for r in self.rows if r.key == key)


def result_json_schema() -> dict[str, Any]:
    schema = AuditResult.model_json_schema()
    schema["$id"] = f"https://auditkit.invalid/schema/result-{RESULT_SCHEMA_VERSION}.json"
    return schema
