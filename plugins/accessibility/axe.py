"""无障碍: axe-core's WCAG 2 A/AA rules (the automatically testable part of GB/T 37668)
on the home page, one page of each sampled type and further crawled pages up to a cap.

axe is installed once per browser context (an init script), so each page costs one
load and one ``axe.run``. Results are grouped by GB/T 37668's four principles;
``incomplete`` results are listed as needing manual review, never counted as passes.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache
from importlib import resources
from typing import Any

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from pydantic import BaseModel, Field

from auditkit import CheckContext, check
from auditkit.browser import BrowserSession
from auditkit.models import CheckResult, CheckStatus, Evidence, Finding, Severity
from auditkit_plugins.accessibility.browsing import over_pages
from auditkit_plugins.accessibility.config import Settings
from auditkit_plugins.accessibility.sample import SamplePage, axe_pages

ROWS = ["功能设计/适老化及无障碍改造", "功能设计推广/设计规范"]
#: axe-core as shipped inside axe-playwright-python (nothing is downloaded)
AXE_SOURCE: str = Axe().axe_script
#: runs axe already installed in the page by the context's init script
AXE = Axe(axe_script="0")
IMPACT_ORDER = ["critical", "serious", "moderate", "minor"]
IMPACT_NAMES = {"critical": "严重", "serious": "较重", "moderate": "中等", "minor": "轻微"}
SC_TAG = re.compile(r"^wcag(\d)(\d)(\d+)$")
#: the details key listing the ids of the rules violated (read by the benchmark and tests)
RULE_IDS = "不通过规则编号"


class AxeNode(BaseModel):
    target: str
    html: str


class AxeRule(BaseModel):
    id: str
    impact: str | None = None
    tags: list[str] = Field(default_factory=list)
    help: str = ""
    nodes: list[AxeNode] = Field(default_factory=list)
    node_count: int = 0


class PageAxe(BaseModel):
    url: str
    type: str
    type_name: str
    violations: list[AxeRule] = Field(default_factory=list)
    incomplete: list[AxeRule] = Field(default_factory=list)
    time_ms: float = 0.0
    version: str = ""
    error: str | None = None


@lru_cache(maxsize=1)
def rule_names() -> dict[str, str]:
    text = resources.files("auditkit_plugins.accessibility").joinpath("data", "axe_rules_zh.tsv").read_text(
        encoding="utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if line.strip() and not line.startswith("#"))


def success_criterion(tags: list[str]) -> str | None:
    """"1.4.3" from axe's tag "wcag143"."""
    for tag in tags:
        if match := SC_TAG.match(tag):
            return ".".join(match.groups())
    return None


def _rules(raw: list[dict[str, Any]], max_nodes: int) -> list[AxeRule]:
    rules = []
    for rule in raw:
        nodes = [AxeNode(target=" ".join(str(t) for t in n.get("target", [])), html=n.get("html", ""))
                 for n in rule.get("nodes", [])]
        rules.append(AxeRule(id=rule["id"], impact=rule.get("impact"), tags=rule.get("tags", []),
                             help=rule.get("help", ""), nodes=nodes[:max_nodes], node_count=len(nodes)))
    return rules


def axe_options(cfg: Settings) -> dict[str, Any]:
    return {"runOnly": {"type": "tag", "values": cfg.axe_tags}, "resultTypes": ["violations", "incomplete"],
            "frameWaitTime": cfg.axe_frame_wait_ms}


async def install_axe(page: Page) -> None:
    """For a page that lost the init-script copy (a script replaced window.axe): add it once more."""
    if not await page.evaluate("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        await page.add_script_tag(content=AXE_SOURCE)


async def audit_page(page: Page, sample: SamplePage, cfg: Settings) -> PageAxe:
    result = PageAxe(url=sample.url, type=sample.type, type_name=sample.name)
    started = time.perf_counter()
    try:
        await page.goto(sample.url, wait_until="load", timeout=cfg.page_timeout_s * 1000)
        await install_axe(page)
        raw = (await AXE.run(page, options=axe_options(cfg))).response
    except PlaywrightError as exc:
        result.error = str(exc).splitlines()[0][:200]
    else:
        result.violations = _rules(raw.get("violations", []), cfg.axe_max_nodes)
        result.incomplete = _rules(raw.get("incomplete", []), cfg.axe_max_nodes)
        result.version = raw.get("testEngine", {}).get("version", "")
    result.time_ms = round((time.perf_counter() - started) * 1000, 1)
    return result


async def run_axe(browser: BrowserSession, pages: list[SamplePage], cfg: Settings) -> list[PageAxe]:
    """axe on every page: one context with axe installed once, ``cfg.concurrency`` tabs."""
    context = await browser.new_context()
    try:
        await context.add_init_script(AXE_SOURCE)
        return await over_pages(context, pages, cfg.concurrency, lambda page, sample: audit_page(page, sample, cfg))
    finally:
        await context.close()


class RuleSummary(BaseModel):
    rule: AxeRule
    pages: list[str] = Field(default_factory=list)
    nodes: int = 0
    examples: list[AxeNode] = Field(default_factory=list)


def summarise(results: list[PageAxe], attr: str, max_nodes: int) -> dict[str, RuleSummary]:
    """Rule id → where it fired (pages in sample order), across all pages."""
    rules: dict[str, RuleSummary] = {}
    for page in results:
        for rule in getattr(page, attr):
            summary = rules.setdefault(rule.id, RuleSummary(rule=rule))
            summary.pages.append(page.url)
            summary.nodes += rule.node_count
            summary.examples += rule.nodes[:max(0, max_nodes - len(summary.examples))]
            if IMPACT_ORDER.index(rule.impact or "minor") < IMPACT_ORDER.index(summary.rule.impact or "minor"):
                summary.rule = rule
    return rules


def _principle(tags: list[str], cfg: Settings) -> str:
    sc = success_criterion(tags)
    return f"{sc[0]} {cfg.principles.get(sc[0], '')}" if sc else "其他"


@check(id="accessibility.axe", title="无障碍：WCAG 2 A/AA 自动检测（axe-core）", indicators=ROWS,
       needs=["pages", "browser"])
async def axe(ctx: CheckContext) -> CheckResult:
    """Run axe-core's WCAG 2 A/AA rules on the home page, one page of each type (list, article,
    service guide, message board, disclosure guide) and further pages up to a cap; group the
    failures by GB/T 37668's four principles and list what needs manual review."""
    cfg = Settings.model_validate(ctx.settings)
    pages = axe_pages(ctx.snapshot, cfg)
    if not pages:
        return ctx.needs_review("首页未能打开，无法做无障碍检测")
    if ctx.browser is None:
        return ctx.needs_review("本次运行没有可用的浏览器，无法做无障碍检测")
    results = await run_axe(ctx.browser, pages, cfg)
    checked = [r for r in results if r.error is None]
    if not checked:
        return ctx.needs_review("抽查页面均未能在浏览器中打开，无法做无障碍检测")
    return _result(ctx, cfg, results)


def _result(ctx: CheckContext, cfg: Settings, results: list[PageAxe]) -> CheckResult:
    checked = [r for r in results if r.error is None]
    names = rule_names()
    violations = summarise(checked, "violations", cfg.axe_max_nodes)
    review = summarise(checked, "incomplete", cfg.axe_max_nodes)
    findings: list[Finding] = []
    rows = []
    for rule_id, s in sorted(violations.items(), key=lambda kv: (IMPACT_ORDER.index(kv[1].rule.impact or "minor"),
                                                                  kv[0])):
        name = names.get(rule_id, s.rule.help)
        sc = success_criterion(s.rule.tags)
        principle = _principle(s.rule.tags, cfg)
        impact = s.rule.impact or "minor"
        severity: Severity = impact if impact in IMPACT_ORDER else "minor"  # type: ignore[assignment]
        findings.append(Finding(
            severity=severity, url=s.pages[0],
            message=f"{name}（axe 规则 {rule_id}，WCAG {sc or '—'}，{principle}）："
                    f"{len(s.pages)} 个页面共 {s.nodes} 处",
            evidence=Evidence(snippet=s.examples[0].html[:300] if s.examples else None,
                              values={"selectors": [n.target for n in s.examples], "pages": s.pages[:10]})))
        rows.append({"规则": rule_id, "说明": name, "影响": IMPACT_NAMES.get(impact, impact), "WCAG 条款": sc,
                     "原则": principle, "页面数": len(s.pages), "元素数": s.nodes,
                     "示例选择器": s.examples[0].target if s.examples else ""})
    review_rows = []
    for rule_id, s in sorted(review.items()):
        name = names.get(rule_id, s.rule.help)
        principle = _principle(s.rule.tags, cfg)
        findings.append(Finding(severity="info", url=s.pages[0],
                                message=f"需人工复核：{name}（axe 规则 {rule_id}，{principle}），"
                                        f"{len(s.pages)} 个页面共 {s.nodes} 处无法自动判定",
                                evidence=Evidence(snippet=s.examples[0].html[:300] if s.examples else None,
                                                  values={"selectors": [n.target for n in s.examples]})))
        review_rows.append({"规则": rule_id, "说明": name, "原则": principle, "页面数": len(s.pages),
                            "元素数": s.nodes})
    by_principle = []
    for number, pname in sorted(cfg.principles.items()):
        label = f"{number} {pname}"
        by_principle.append({"原则": label,
                             "不通过规则数": sum(1 for r in rows if r["原则"] == label),
                             "问题元素数": sum(r["元素数"] for r in rows if r["原则"] == label),
                             "需人工复核规则数": sum(1 for r in review_rows if r["原则"] == label)})
    weights = cfg.axe_impact_weights
    deducted = sum(weights.get(s.rule.impact or "minor", 0.0) for s in violations.values())
    score = round(max(0.0, 1.0 - deducted), 4)
    counts = "，".join(f"{IMPACT_NAMES[i]} {n}" for i in IMPACT_ORDER
                      if (n := sum(1 for s in violations.values() if (s.rule.impact or "minor") == i)))
    version = next((r.version for r in checked if r.version), "")
    reason = (f"axe-core {version}（WCAG 2 A/AA）检测 {len(checked)} 个页面：{len(violations)} 条规则不通过"
              + (f"（{counts}）" if counts else "") + f"，{len(review)} 条需人工复核；得分率 {score:.0%}")
    failed = [r for r in results if r.error]
    if failed:
        reason += f"；{len(failed)} 个页面未能打开"
    details = {
        "四项原则": by_principle,
        "不通过的规则": rows,
        "需人工复核": review_rows,
        "检测页面": [{"页面": r.url, "类型": r.type_name, "不通过规则": "、".join(sorted(v.id for v in r.violations)),
                   "元素数": sum(v.node_count for v in r.violations), "需复核规则数": len(r.incomplete),
                   "用时（毫秒）": r.time_ms, "错误": r.error or ""} for r in results],
        RULE_IDS: sorted(violations),
        "axe 版本": version,
        "规则标签": cfg.axe_tags,
    }
    return ctx.result(score=score, reason=reason, findings=findings, details=details, status=CheckStatus.SCORED)
