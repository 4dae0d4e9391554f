"""无障碍工具条: find the toolbar entry on the home page (无障碍, 辅助工具), open it and
check which of the usual features it offers (大字幕, 指读, 语音朗读, 大鼠标, 十字线,
高对比度) and that switching each one on changes the page.

A change is any DOM or style change outside the button itself (a class on
``<html>``, an added crosshair, a zoomed body) seen after a click and a mouse
move (crosshairs and pointer reading follow the mouse). Each feature is tried
on a freshly opened toolbar, so one feature never hides another.
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from pydantic import BaseModel

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Finding
from auditkit_plugins.accessibility.config import Settings, ToolbarFeature
from auditkit_plugins.search_qa.controls import CLICKABLE_SELECTOR, Control, click, controls_in_html, live_controls
from auditkit_plugins.search_qa.controls import match_controls as match

ROWS = ["功能设计/适老化及无障碍改造"]

# Counts changes outside the clicked control from now on.
WATCH_JS = r"""
([sel, index]) => {
  const control = document.querySelectorAll(sel)[index];
  window.__akChanges = 0;
  if (window.__akObserver) window.__akObserver.disconnect();
  window.__akObserver = new MutationObserver(records => { for (const r of records)
    if (!control || !control.contains(r.target)) window.__akChanges++; });
  window.__akObserver.observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                                         characterData: true});
}
"""


class FeatureResult(BaseModel):
    feature: ToolbarFeature
    control: str | None = None  # the button's text
    works: bool = False
    changes: int = 0
    error: str | None = None


def assign(controls: list[Control], features: list[ToolbarFeature]) -> dict[str, Control]:
    """Feature → its control; each control serves the first feature (in settings order) it names."""
    taken: set[int] = set()
    out: dict[str, Control] = {}
    for feature in features:
        found = [c for c in match(controls, feature.markers, max_text_chars=12) if c.index not in taken]
        if found:
            out[feature.feature] = found[0]
            taken.add(found[0].index)
    return out


async def _open(page: Page, url: str, cfg: Settings) -> list[Control]:
    """Load the page, open the toolbar; the clickable controls that appeared with it."""
    await page.goto(url, wait_until="load", timeout=cfg.page_timeout_s * 1000)
    before = await live_controls(page)
    entry = match(before, cfg.toolbar_markers)
    if not entry:
        return []
    await click(page, entry[0], cfg.page_timeout_s * 1000)
    await page.wait_for_timeout(cfg.toolbar_settle_ms)
    after = await live_controls(page)
    known = {(c.tag, c.text, c.title) for c in before}
    return [c for c in after if c.visible and (c.tag, c.text, c.title) not in known] or after


async def try_feature(page: Page, url: str, feature: ToolbarFeature, cfg: Settings) -> FeatureResult:
    result = FeatureResult(feature=feature)
    try:
        control = assign(await _open(page, url, cfg), [feature]).get(feature.feature)
        if control is None:
            return result
        result.control = control.label
        await page.evaluate(WATCH_JS, [CLICKABLE_SELECTOR, control.index])
        await click(page, control, cfg.page_timeout_s * 1000)
        view = page.viewport_size or {"width": 1366, "height": 900}
        await page.mouse.move(view["width"] / 2, view["height"] / 3)
        await page.mouse.move(view["width"] / 3, view["height"] / 2, steps=3)
        await page.wait_for_timeout(cfg.toolbar_settle_ms)
        result.changes = int(await page.evaluate("() => window.__akChanges || 0"))
        result.works = result.changes > 0
    except PlaywrightError as exc:
        result.error = str(exc).splitlines()[0][:200]
    return result


@check(id="accessibility.toolbar", title="无障碍工具条：大字幕、指读、语音、大鼠标、十字线、高对比度", indicators=ROWS,
       needs=["pages", "browser"])
async def toolbar(ctx: CheckContext) -> CheckResult:
    """Open the 无障碍 toolbar from the home page and try each usual feature (大字幕, 指读, 语音朗读,
    大鼠标, 十字线, 高对比度): is it offered, and does switching it on change the page?"""
    cfg = Settings.model_validate(ctx.settings)
    home = ctx.snapshot.home
    if home is None or not home.ok:
        return ctx.needs_review("首页未能打开，无法检查无障碍工具条")
    if ctx.browser is None:
        return ctx.needs_review("本次运行没有可用的浏览器，无法检查无障碍工具条")
    url = home.final_url or home.url
    tree = ctx.snapshot.parse(home.url)
    entry = match(controls_in_html(tree), cfg.toolbar_markers) if tree is not None else []
    if not entry:
        return ctx.result(score=0.0, reason="首页没有无障碍工具条入口（无障碍、辅助工具等）",
                          findings=[Finding(severity="moderate", url=url, message="首页未提供无障碍辅助工具条")],
                          details={"入口": None, "功能": []})
    context = await ctx.browser.new_context()
    try:
        page = await context.new_page()
        try:
            offered = assign(await _open(page, url, cfg), cfg.toolbar_features)
        except PlaywrightError as exc:
            return ctx.needs_review(f"首页在浏览器中未能打开：{str(exc).splitlines()[0][:200]}")
        results = [await try_feature(page, url, f, cfg) if f.feature in offered else FeatureResult(feature=f)
                   for f in cfg.toolbar_features]
    finally:
        await context.close()
    return _result(ctx, url, entry[0].label, results)


def _result(ctx: CheckContext, url: str, entry: str, results: list[FeatureResult]) -> CheckResult:
    findings: list[Finding] = []
    rows: list[dict[str, Any]] = []
    for r in results:
        status = "未提供" if r.control is None else ("有效" if r.works else "点击后页面无变化")
        rows.append({"功能": r.feature.name, "按钮": r.control or "", "结果": status, "页面变化数": r.changes,
                     "计分": "是" if r.feature.expected else "否（仅报告）"})
        if r.control is not None and not r.works:
            findings.append(Finding(severity="moderate", url=url,
                                    message=f"无障碍工具条的“{r.control}”按钮点击后页面没有任何变化"
                                            + (f"（{r.error}）" if r.error else "")))
    expected = [r for r in results if r.feature.expected]
    working = [r for r in expected if r.works]
    missing = [r.feature.name for r in expected if r.control is None]
    if missing:
        findings.append(Finding(severity="minor", url=url, message=f"无障碍工具条未提供：{'、'.join(missing)}"))
    score = round(len(working) / len(expected), 4) if expected else 0.0
    reason = (f"无障碍工具条“{entry}”：常见 {len(expected)} 项功能中 {len(working)} 项有效"
              + (f"，未提供 {'、'.join(missing)}" if missing else "")
              + (f"，{len([r for r in expected if r.control and not r.works])} 项点击无效"
                 if any(r.control and not r.works for r in expected) else "") + f"；得分率 {score:.0%}")
    return ctx.result(score=score, reason=reason, findings=findings, details={"入口": entry, "功能": rows})
