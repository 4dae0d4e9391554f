"""键盘操作: tab through the home page like a keyboard user.

Every visible link and control should be reached, show a visible focus indicator
(its outline, shadow, border, background, colour or underline differs from the
unfocused state — CWAC's focus-indicator audit, done on computed styles), and
focus must never get stuck. Elements only a mouse can use (``onclick`` on
elements that take no focus) count as unreachable. Focused elements without an
indicator are shown as screenshots.
"""

from __future__ import annotations

import base64
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from pydantic import BaseModel, Field

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding
from auditkit_plugins.accessibility.config import Settings

ROWS = ["功能设计/适老化及无障碍改造"]
MARK = "data-auditkit-kb"

# Numbers every visible focusable element and records how it looks unfocused; lists the
# elements with a click handler that cannot take focus.
SCAN_JS = r"""
(mark) => {
  const STYLE = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'borderTopColor', 'borderBottomColor',
                 'borderTopWidth', 'borderBottomWidth', 'backgroundColor', 'color', 'textDecorationLine'];
  window.__akStyle = el => { const s = getComputedStyle(el); return STYLE.map(k => s[k]).join('|'); };
  const shown = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const focusable = [...document.querySelectorAll('a[href], area[href], button, input:not([type=hidden]), select, ' +
                                                  'textarea, iframe, [tabindex], [contenteditable=true]')]
    .filter(el => !el.disabled && el.getAttribute('tabindex') !== '-1' && shown(el));
  window.__akBase = focusable.map((el, i) => { el.setAttribute(mark, String(i)); return window.__akStyle(el); });
  const label = el => ((el.innerText || el.value || el.getAttribute('aria-label') || el.title || el.alt || '') + '')
    .trim().replace(/\s+/g, ' ').slice(0, 40) || el.tagName.toLowerCase();
  const mouseOnly = [...document.querySelectorAll('[onclick]')].filter(el => shown(el) && !el.hasAttribute(mark) &&
    !el.closest('[' + mark + ']') && !['A', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName));
  return {labels: focusable.map(label), frames: focusable.flatMap((el, i) => el.tagName === 'IFRAME' ? [i] : []),
          mouse_only: mouseOnly.map(el => label(el) + ' <' + el.tagName.toLowerCase() + '>')};
}
"""

# Where focus is now: the element's number, whether it looks different from unfocused, its box.
ACTIVE_JS = r"""
(mark) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {index: null};
  const i = el.getAttribute(mark);
  const r = el.getBoundingClientRect();
  return {index: i === null ? -1 : Number(i),
          changed: i !== null && window.__akStyle(el) !== window.__akBase[Number(i)],
          box: {x: r.left, y: r.top, width: r.width, height: r.height}};
}
"""


class Stop(BaseModel):
    index: int | None  # None: the page itself; -1: an element that was not in the scan
    changed: bool = False
    box: dict[str, float] = Field(default_factory=dict)


class Walk(BaseModel):
    labels: list[str]
    frames: list[int]  # iframes: focus stays on them while it moves inside
    mouse_only: list[str]
    stops: list[Stop] = Field(default_factory=list)
    completed: bool = False  # focus came back to where it started: every reachable element was seen
    trapped_at: int | None = None
    shots: dict[int, str] = Field(default_factory=dict)  # element → screenshot data URI


def trap_index(stops: list[Stop], total: int, frames: set[int], cfg: Settings) -> int | None:
    """The element focus is stuck on (the same one time after time, or a small loop) while
    others were never reached; an iframe may hold focus while it moves inside it, for a while."""
    indices = [s.index for s in stops]
    reached = {i for i in indices if i is not None and i >= 0}
    if len(reached) >= total:
        return None
    for k in range(len(indices)):
        index = indices[k]
        run = cfg.trap_window if index in frames else cfg.trap_repeats
        window = indices[k:k + run]
        if index is not None and index >= 0 and len(window) == run and len(set(window)) == 1:
            return index
    tail = indices[-cfg.trap_window:]
    if len(indices) >= cfg.trap_window and None not in tail and len(set(tail)) <= cfg.trap_max_elements:
        return tail[-1]
    return None


async def walk(page: Page, cfg: Settings) -> Walk:
    """Press Tab until focus comes back to its first stop (or the limit); record every stop."""
    scan = await page.evaluate(SCAN_JS, MARK)
    result = Walk(labels=scan["labels"], frames=scan["frames"], mouse_only=scan["mouse_only"])
    limit = min(len(result.labels) + 10, cfg.keyboard_max_tabs)
    first: int | None = None
    for _ in range(limit):
        await page.keyboard.press("Tab")
        stop = Stop.model_validate(await page.evaluate(ACTIVE_JS, MARK))
        if stop.index is not None and stop.index >= 0 and not stop.changed:
            # a focus style that fades in (CSS transition) starts out looking unfocused
            await page.wait_for_timeout(cfg.focus_recheck_ms)
            stop = Stop.model_validate(await page.evaluate(ACTIVE_JS, MARK))
        result.stops.append(stop)
        if stop.index is not None and stop.index >= 0:
            if first is None:
                first = stop.index
            elif stop.index == first:
                result.completed = True  # round the whole page
                break
            if not stop.changed and stop.index not in result.shots and len(result.shots) < cfg.keyboard_max_screenshots:
                result.shots[stop.index] = await _shot(page, stop.box, cfg.screenshot_quality)
        if trap_index(result.stops, len(result.labels), set(result.frames), cfg) is not None:
            break
    result.trapped_at = trap_index(result.stops, len(result.labels), set(result.frames), cfg)
    return result


async def _shot(page: Page, box: dict[str, float], quality: int) -> str:
    """The focused element with some of its surroundings."""
    view = page.viewport_size or {"width": 1366, "height": 900}
    pad = 24
    x, y = max(0.0, box["x"] - pad), max(0.0, box["y"] - pad)
    clip = {"x": x, "y": y, "width": max(1.0, min(box["width"] + 2 * pad, view["width"] - x)),
            "height": max(1.0, min(box["height"] + 2 * pad, view["height"] - y))}
    try:
        image = await page.screenshot(type="jpeg", quality=quality, clip=clip)
    except PlaywrightError:
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(image).decode()


@check(id="accessibility.keyboard", title="键盘操作：可到达、焦点可见、无键盘陷阱", indicators=ROWS,
       needs=["pages", "browser"])
async def keyboard(ctx: CheckContext) -> CheckResult:
    """Tab through the home page: every visible link and control reached, a visible focus
    indicator on each, no keyboard trap; controls only a mouse can use are listed."""
    cfg = Settings.model_validate(ctx.settings)
    home = ctx.snapshot.home
    if home is None or not home.ok:
        return ctx.needs_review("首页未能打开，无法检查键盘操作")
    if ctx.browser is None:
        return ctx.needs_review("本次运行没有可用的浏览器，无法检查键盘操作")
    url = home.final_url or home.url
    context = await ctx.browser.new_context()
    try:
        page = await context.new_page()
        try:
            await page.goto(url, wait_until="load", timeout=cfg.page_timeout_s * 1000)
            result = await walk(page, cfg)
        except PlaywrightError as exc:
            return ctx.needs_review(f"首页在浏览器中未能打开：{str(exc).splitlines()[0][:200]}")
    finally:
        await context.close()
    return _result(ctx, cfg, url, result)


def _result(ctx: CheckContext, cfg: Settings, url: str, walked: Walk) -> CheckResult:
    total = len(walked.labels)
    if total == 0:
        return ctx.needs_review("首页上没有可用键盘操作的链接或控件")
    visited = list(dict.fromkeys(s.index for s in walked.stops if s.index is not None and s.index >= 0))
    # only a full round proves an element unreachable (a long page may outlast the Tab limit)
    unreachable = [walked.labels[i] for i in range(total) if i not in set(visited)] if walked.completed else []
    unreachable += walked.mouse_only
    no_ring = list(dict.fromkeys(s.index for s in walked.stops
                                 if s.index is not None and s.index >= 0 and not s.changed))
    judged = total if walked.completed else len(visited)
    reach_share = len(visited) / (judged + len(walked.mouse_only)) if judged + len(walked.mouse_only) else 1.0
    visible_share = 1 - len(no_ring) / len(visited) if visited else 0.0
    no_trap = walked.trapped_at is None
    findings: list[Finding] = []
    if not no_trap:
        findings.append(Finding(severity="critical", url=url,
                                message=f"键盘陷阱：焦点停在“{walked.labels[walked.trapped_at or 0]}”处出不去",
                                evidence=Evidence(values={"tab_presses": len(walked.stops)})))
    if unreachable:
        findings.append(Finding(severity="serious", url=url,
                                message=f"{len(unreachable)} 个链接或控件无法用 Tab 键到达",
                                evidence=Evidence(values={"elements": unreachable[:20]})))
    for n, index in enumerate(no_ring):
        key = None
        if walked.shots.get(index):
            key = f"keyboard-focus-{n}"
            ctx.snapshot.store.add_screenshot(ctx.snapshot.run_id, key, walked.shots[index])
        findings.append(Finding(severity="moderate", url=url,
                                message=f"获得焦点时没有可见的焦点标识：“{walked.labels[index]}”",
                                evidence=Evidence(screenshot=key)))
    score = round((reach_share + visible_share + (1.0 if no_trap else 0.0)) / 3, 4)
    reason = (f"首页 {total} 个可聚焦元素：Tab 键到达 {len(visited)} 个"
              + ("" if walked.completed or not no_trap else f"（按 {len(walked.stops)} 次 Tab 未走完一圈，其余未判定）")
              + (f"，另有 {len(walked.mouse_only)} 个只能用鼠标操作" if walked.mouse_only else "")
              + f"；{len(no_ring)} 个获得焦点时无可见标识；" + ("无键盘陷阱" if no_trap else "存在键盘陷阱")
              + f"；得分率 {score:.0%}")
    details: dict[str, Any] = {
        "可聚焦元素": total, "Tab 到达": len(visited), "按 Tab 次数": len(walked.stops),
        "无焦点标识": [walked.labels[i] for i in no_ring], "无法到达": unreachable[:50],
        "仅鼠标可用": walked.mouse_only, "键盘陷阱": None if no_trap else walked.labels[walked.trapped_at or 0],
    }
    return ctx.result(score=score, reason=reason, findings=findings, details=details)
