"""适老化及无障碍 on the demo site (the shared demo audit): planted defects found, healthy
counterparts left alone, and axe's rule ids the same as a run of axe-core itself."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_FILE_PATH

from auditkit.browser import BrowserSession
from auditkit.demo.defects import planted
from auditkit.models import AuditResult, CheckStatus
from auditkit.urls import LOOPBACK_HOSTS
from auditkit_plugins.accessibility.elder import PAGES

pytestmark = pytest.mark.browser


def rules_by_page(result: AuditResult) -> dict[str, set[str]]:
    rows = result.check("accessibility.axe").details["检测页面"]
    return {row["页面"]: set(filter(None, row["不通过规则"].split("、"))) for row in rows if not row["错误"]}


async def axe_core_itself(urls: list[str], tags: list[str]) -> dict[str, set[str]]:
    """axe.min.js added to each page and run directly, as axe-core's own docs show."""
    found = {}
    async with BrowserSession(allow_hosts=LOOPBACK_HOSTS) as session:
        context = await session.new_context()
        page = await context.new_page()
        for url in urls:
            await page.goto(url, wait_until="load")
            await page.add_script_tag(path=str(AXE_FILE_PATH))
            raw = await page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
            found[url] = {v["id"] for v in raw["violations"]}
        await context.close()
    return found


def test_axe_rule_ids_match_axe_core_itself(demo_audit: tuple[AuditResult, Path], demo_url: str) -> None:
    result, _ = demo_audit
    ours = rules_by_page(result)
    base = demo_url.rstrip("/")
    wanted = [base + planted("missing_alt").path, base + planted("low_contrast").path, demo_url,
              base + "/xxgk/", base + "/hdjl/xx/"]
    urls = [u for u in wanted if u in ours]
    assert len(urls) >= 4, sorted(ours)
    tags = result.check("accessibility.axe").details["规则标签"]
    assert asyncio.run(axe_core_itself(urls, tags)) == {u: ours[u] for u in urls}


def test_axe_finds_planted_defects(demo_audit: tuple[AuditResult, Path], demo_url: str) -> None:
    result, _ = demo_audit
    ours = rules_by_page(result)
    base = demo_url.rstrip("/")
    assert "image-alt" in ours[base + planted("missing_alt").path]
    assert "color-contrast" in ours[base + planted("low_contrast").path]
    axe = result.check("accessibility.axe")
    assert axe.status == CheckStatus.SCORED
    assert {row["原则"] for row in axe.details["四项原则"]} == {"1 可感知性", "2 可操作性", "3 可理解性", "4 兼容性"}
    assert any(f.severity == "info" and f.message.startswith("需人工复核") for f in axe.findings)


def test_elder_mode_page_by_page(demo_audit: tuple[AuditResult, Path], demo_url: str) -> None:
    result, _ = demo_audit
    elder = result.check("accessibility.elder_mode")
    base = demo_url.rstrip("/")
    rows = {row["页面"].removeprefix(base): row for row in elder.details[PAGES]}
    assert rows[planted("elder_small_text").path]["正文字号（px）"] == "12 → 12"
    assert rows[planted("elder_popup").path]["新增弹窗"] == 1
    assert all(row["保持长辈版"] in ("是", "—") for row in rows.values())
    flagged = {f.url.removeprefix(base) for f in elder.findings if f.severity != "info"}
    assert flagged == {planted("elder_small_text").path, planted("elder_popup").path}
    article = next(row for row in rows.values() if row["页面类型"] == "文章页")
    assert article["正文字号（px）"] == "16 → 22"
    for finding in elder.findings:  # every pictured finding's screenshot is in the result
        assert finding.evidence.screenshot is None or finding.evidence.screenshot in result.screenshots
    assert result.screenshots[rows["/"]["对比截图"]].startswith("data:image/jpeg;base64,")


def test_keyboard_and_toolbar(demo_audit: tuple[AuditResult, Path]) -> None:
    result, _ = demo_audit
    keys = result.check("accessibility.keyboard")
    assert keys.details["无焦点标识"] == ["长辈版", "无障碍", "智能问答", "网站地图"]  # no_focus_ring
    assert keys.details["键盘陷阱"] is None and keys.details["无法到达"] == []  # focus_ring_ok
    assert any(f.evidence.screenshot in result.screenshots for f in keys.findings)
    features = {row["功能"]: row["结果"] for row in result.check("accessibility.toolbar").details["功能"]}
    assert features["指读"] == "点击后页面无变化"  # toolbar_dead_button
    assert features["大字幕"] == features["语音朗读"] == "未提供"
    assert features["高对比度"] == features["大鼠标"] == features["十字线"] == "有效"  # toolbar_working
    row = result.row("功能设计/适老化及无障碍改造")
    assert row.points is not None and set(row.check_ids) == {"accessibility.axe", "accessibility.elder_mode",
                                                             "accessibility.keyboard", "accessibility.toolbar"}
