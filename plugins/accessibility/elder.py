"""适老化: find the 长辈版/关怀版 switch on the home page, turn it on like a visitor and
measure the same pages in both modes (工信部《互联网网站适老化通用设计规范》).

Per page, normal vs elder: main-text font size, line height, paragraph spacing,
contrast of the main text, the share of main controls big enough to hit, pop-ups
that appear only in elder mode, and whether the mode is still on after navigating
(the classes/stylesheets the switch added are still there, or the text is still
larger). Side-by-side screenshots of the home page and of pages with problems go
into the report.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable
from typing import Any

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding
from auditkit_plugins.accessibility.browsing import over_pages, store_pair
from auditkit_plugins.accessibility.config import Settings
from auditkit_plugins.accessibility.measure import Measurement, measure
from auditkit_plugins.accessibility.sample import HOME, SamplePage, sample_pages
from auditkit_plugins.search_qa.controls import click, controls_in_html, live_controls, match_controls

ROWS = ["功能设计/适老化及无障碍改造"]
#: the details key of the page-by-page table
PAGES = "逐页测量（标准版 → 长辈版）"
ITEM_NAMES = {"entry": "首页提供长辈版入口", "font": "大字体", "line_height": "行距≥1.3倍",
              "paragraph": "段距≥1.3倍行距", "contrast": "正文对比度", "targets": "控件尺寸",
              "persistence": "浏览中保持长辈版", "no_popups": "长辈版无弹窗广告"}


async def visit(page: Page, sample: SamplePage, cfg: Settings, screenshot: bool = True) -> Measurement:
    """Open one page and measure it (with a screenshot of the window unless told not to)."""
    try:
        await page.goto(sample.url, wait_until="load", timeout=cfg.page_timeout_s * 1000)
        return await measure(page, sample.url, cfg, cfg.screenshot_quality if screenshot else None)
    except PlaywrightError as exc:
        return Measurement(url=sample.url, error=str(exc).splitlines()[0][:200])


async def switch_on(context: BrowserContext, home: str, cfg: Settings) -> tuple[str | None, str]:
    """Click the elder-mode switch on the home page; (where it left the visitor, or None; why not)."""
    page = await context.new_page()
    try:
        await page.goto(home, wait_until="load", timeout=cfg.page_timeout_s * 1000)
        found = match_controls(await live_controls(page), cfg.elder_markers)
        if not found:
            return None, "长辈版入口在浏览器中的首页上找不到"
        await click(page, found[0], cfg.page_timeout_s * 1000)
        await page.wait_for_timeout(cfg.elder_settle_ms)  # the switch may set a cookie and reload
        with contextlib.suppress(PlaywrightError):
            await page.wait_for_load_state("load", timeout=cfg.page_timeout_s * 1000)
        return page.url, ""
    except PlaywrightError as exc:
        return None, f"点击长辈版入口失败：{str(exc).splitlines()[0][:150]}"
    finally:
        await page.close()


async def measure_modes(context: BrowserContext, samples: list[SamplePage], cfg: Settings, has_entry: bool,
                        screenshots: bool = True) -> tuple[list[Measurement], str | None, str, list[Measurement]]:
    """Every page in normal mode, then (when there is a switch) the same pages in elder mode:
    (normal, where the switch led or None, why it did not, elder)."""

    def work(page: Page, sample: SamplePage) -> Awaitable[Measurement]:
        return visit(page, sample, cfg, screenshots)

    normal = await over_pages(context, samples, cfg.concurrency, work)
    landing, why = await switch_on(context, samples[0].url, cfg) if has_entry else (None, "")
    elder = await over_pages(context, samples, cfg.concurrency, work) if landing else []
    return normal, landing, why, elder


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _share(passed: list[bool]) -> float | None:
    return sum(passed) / len(passed) if passed else None


@check(id="accessibility.elder_mode", title="适老化：长辈版的字号、行距、对比度、控件与弹窗", indicators=ROWS,
       needs=["pages", "browser"])
async def elder_mode(ctx: CheckContext) -> CheckResult:
    """Find the 长辈版/关怀版 switch on the home page, switch it on, and measure the home page and
    one page of each type in both modes: main-text size, line and paragraph spacing, contrast,
    target sizes, pop-ups, and whether the mode persists while browsing."""
    cfg = Settings.model_validate(ctx.settings)
    samples = sample_pages(ctx.snapshot, cfg)
    if not samples:
        return ctx.needs_review("首页未能打开，无法检查适老化")
    if ctx.browser is None:
        return ctx.needs_review("本次运行没有可用的浏览器，无法检查适老化")
    home = ctx.snapshot.home
    tree = ctx.snapshot.parse(home.url) if home else None
    entry = match_controls(controls_in_html(tree), cfg.elder_markers) if tree is not None else []
    context = await ctx.browser.new_context()
    try:
        normal, landing, why, elder = await measure_modes(context, samples, cfg, bool(entry))
        page = await context.new_page()
        try:
            result = await _result(ctx, cfg, page, samples, normal, elder, entry[0].label if entry else None,
                                   landing, why)
        finally:
            await page.close()
    finally:
        await context.close()
    return result


async def _result(ctx: CheckContext, cfg: Settings, page: Page, samples: list[SamplePage], normal: list[Measurement],
                  elder: list[Measurement], entry: str | None, landing: str | None, why: str) -> CheckResult:
    home = samples[0].url
    findings: list[Finding] = []
    if entry is None:
        findings.append(Finding(severity="serious", url=home, message="首页没有长辈版（关怀版、适老模式）入口"))
    elif landing is None:
        findings.append(Finding(severity="serious", url=home, message=f"长辈版入口“{entry}”无法使用：{why}"))
    marks = (elder[0].signature.marks() - normal[0].signature.marks()) if elder else set()
    modes = elder or normal  # without an elder mode the normal pages are what elderly visitors get
    checks: dict[str, list[bool]] = {k: [] for k in ITEM_NAMES if k != "entry"}
    rows: list[dict[str, Any]] = []
    problem_pages: list[int] = []
    for i, (sample, before) in enumerate(zip(samples, normal, strict=True)):
        after = modes[i]
        if before.error or after.error:
            rows.append({"页面类型": sample.name, "页面": sample.url, "错误": before.error or after.error})
            continue
        problems = []
        font = after.main_font
        grown = not elder or (font is not None and before.main_font is not None
                              and font >= before.main_font * cfg.elder_min_growth)
        big = font is not None and font >= cfg.elder_min_font_px and grown
        checks["font"].append(big)
        if not big:
            problems.append(f"正文字号 {_fmt(before.main_font)}px → {_fmt(font)}px")
        line = after.line_height
        if line is not None:
            checks["line_height"].append(line >= cfg.min_line_height_ratio)
            if line < cfg.min_line_height_ratio:
                problems.append(f"行距 {line:.2f} 倍")
        paragraph = after.paragraph
        if paragraph is not None:
            checks["paragraph"].append(paragraph >= cfg.min_paragraph_ratio)
            if paragraph < cfg.min_paragraph_ratio:
                problems.append(f"段距 {paragraph:.2f} 倍行距")
        contrast = after.contrast
        if contrast is not None:
            needed = cfg.min_contrast_large if after.large_text else cfg.min_contrast
            checks["contrast"].append(contrast >= needed)
            if contrast < needed:
                problems.append(f"正文对比度 {contrast:.1f}:1")
        targets = after.target_share(cfg.min_target_px)
        if targets is not None:
            checks["targets"].append(targets >= cfg.min_target_share)
            if targets < cfg.min_target_share:
                problems.append(f"仅 {targets:.0%} 的主要控件达到 {cfg.min_target_px:g}px")
        persisted = None
        if elder and sample.type != HOME:
            persisted = bool(marks and marks <= after.signature.marks()) or (
                not marks and font is not None and before.main_font is not None
                and font >= before.main_font * cfg.elder_min_growth)
            checks["persistence"].append(persisted)
            if not persisted:
                problems.append("切换到此页后长辈版失效")
        popups = [o for o in after.overlays if o.text not in {b.text for b in before.overlays}] if elder else []
        if elder:
            checks["no_popups"].append(not popups)
        if popups:
            problems.append(f"长辈版出现弹窗：{popups[0].text[:40]}")
        if problems:
            problem_pages.append(i)
            findings.append(Finding(
                severity="serious" if popups or not big else "moderate", url=sample.url,
                message=f"{sample.name}{'（长辈版）' if elder else ''}：" + "；".join(problems),
                evidence=Evidence(values={"font_px": [before.main_font, font], "overlays": [o.what for o in popups]})))
        rows.append({
            "页面类型": sample.name, "页面": sample.url,
            "正文字号（px）": f"{_fmt(before.main_font)} → {_fmt(font)}" if elder else _fmt(font),
            "行高倍数": f"{_fmt(before.line_height, 2)} → {_fmt(line, 2)}" if elder else _fmt(line, 2),
            "段距倍数": f"{_fmt(before.paragraph, 2)} → {_fmt(paragraph, 2)}" if elder else _fmt(paragraph, 2),
            "正文对比度": f"{_fmt(before.contrast)} → {_fmt(contrast)}" if elder else _fmt(contrast),
            "达标控件": (f"{_fmt((before.target_share(cfg.min_target_px) or 0) * 100, 0)}% → "
                     f"{_fmt((targets or 0) * 100, 0)}%") if elder else f"{_fmt((targets or 0) * 100, 0)}%",
            "新增弹窗": len(popups),
            "保持长辈版": "—" if persisted is None else ("是" if persisted else "否"),
            "对比截图": "",
        })
    if elder:
        await _screenshots(ctx, cfg, page, samples, normal, elder, problem_pages, rows, findings)
    items = {"entry": 1.0 if entry and landing else 0.0} | {k: _share(v) for k, v in checks.items()}
    weights = cfg.elder_weights
    judged = {k: v for k, v in items.items() if v is not None}
    score = round(sum(weights[k] * v for k, v in judged.items()) / sum(weights[k] for k in judged), 4)
    summary = "；".join(f"{ITEM_NAMES[k]} {v:.0%}" for k, v in judged.items())
    mode = "长辈版" if elder else ("无长辈版，按标准版" if entry is None else "长辈版无法打开，按标准版")
    reason = f"{mode}检查 {len(samples)} 个页面：{summary}；得分率 {score:.0%}"
    details = {"入口": entry, "切换后页面": landing, "长辈版标记": sorted(marks), PAGES: rows,
               "评分项": [{"项目": ITEM_NAMES[k], "达标比例": None if v is None else round(v, 4)}
                        for k, v in items.items()]}
    return ctx.result(score=score, reason=reason, findings=findings, details=details)


async def _screenshots(ctx: CheckContext, cfg: Settings, page: Page, samples: list[SamplePage],
                       normal: list[Measurement], elder: list[Measurement], problem_pages: list[int],
                       rows: list[dict[str, Any]], findings: list[Finding]) -> None:
    """Normal vs elder side by side for the home page and the first pages with problems."""
    chosen = list(dict.fromkeys([0, *problem_pages]))[:cfg.elder_max_screenshots]
    for i in chosen:
        before, after = normal[i].screenshot, elder[i].screenshot
        if not before or not after:
            continue
        key = f"elder-mode-{i}-{samples[i].type}"
        await store_pair(page, ctx.snapshot, key, (f"标准版：{samples[i].name}", before),
                         (f"长辈版：{samples[i].name}", after), cfg.screenshot_quality)
        rows[i]["对比截图"] = key
        for finding in findings:
            if finding.url == samples[i].url and finding.evidence.screenshot is None:
                finding.evidence.screenshot = key
        if i == 0:
            findings.append(Finding(severity="info", url=samples[0].url, message="首页标准版与长辈版对比截图",
                                    evidence=Evidence(screenshot=key)))
