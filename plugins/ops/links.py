"""链接可用性: broken links anywhere on the crawled pages, with the rule's deductions.

A target is broken when it fails (no answer, status ≥ 400) or when it is a soft
404: it answers 200 but is an error page — its title says so, or, once the
lines every page repeats (header, navigation, footer) are set aside, its short
text does. Many CMSs serve their "页面不存在" template with status 200 for
deleted articles; visitors and evaluators see a broken link all the same.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from math import ceil
from typing import Any

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding
from auditkit.urls import is_http

KIND_NAMES = {"a": "链接", "img": "图片", "script": "脚本", "stylesheet": "样式表", "iframe": "内嵌页面",
              "other": "资源"}
SOFT_404 = "软 404（页面返回 200 但内容为错误页）"


@dataclass(frozen=True)
class Soft404Rules:
    """The ``soft_404_*`` settings, compiled."""

    title: tuple[re.Pattern[str], ...]
    text: tuple[re.Pattern[str], ...]
    max_text_chars: int
    max_line_chars: int
    template_share: float

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Soft404Rules:
        def compile_all(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in patterns)

        return cls(compile_all(settings["soft_404_title_patterns"]), compile_all(settings["soft_404_text_patterns"]),
                   settings["soft_404_max_text_chars"], settings["soft_404_max_line_chars"],
                   settings["soft_404_template_share"])

    def may_match(self, title: str, text: str) -> bool:
        """A cheap first pass: could this page be a soft 404 at all?"""
        return any(p.search(title) for p in self.title) or any(p.search(text) for p in self.text)


#: longer lines are article paragraphs, never the template: not counted (memory on big sites)
TEMPLATE_LINE_MAX_CHARS = 200


def text_lines(text: str) -> list[str]:
    return [stripped for line in text.splitlines() if (stripped := line.strip())]


def count_lines(counts: Counter[str], text: str) -> None:
    """Add one page's (short) lines to ``counts``, each once."""
    counts.update({line for line in text_lines(text) if len(line) <= TEMPLATE_LINE_MAX_CHARS})


def site_template(counts: Counter[str], pages: int, share: float) -> set[str]:
    """Lines found on at least ``share`` of the ``pages`` (and on two at least): the header,
    navigation and footer every page of the site repeats."""
    needed = max(2, ceil(pages * share))
    return {line for line, n in counts.items() if n >= needed}


def soft_404_reason(title: str, text: str, template: Collection[str], rules: Soft404Rules) -> str | None:
    """Why a page that answered 200 is an error page, in words, or None when it is not one.

    Its title says so; or its own text (``text`` minus the ``template`` lines) is
    short and one of its short lines says so — an error page states it in a heading
    or a one-line message, an article that mentions "页面不存在" does so in a sentence
    of a longer text.
    """
    for pattern in rules.title:
        if pattern.search(title):
            return f"标题为“{title}”"
    own = [line for line in text_lines(text) if line not in template]
    if sum(len(line) for line in own) >= rules.max_text_chars:
        return None
    for line in own:
        if len(line) <= rules.max_line_chars and any(p.search(line) for p in rules.text):
            return f"正文简短，仅提示“{line}”"
    return None


@check(
    id="ops.broken_links",
    title="链接可用性（断链、错链）",
    indicators=["运维保障/日常运维", "功能设计推广/运维保障"],
    needs=["pages", "resources"],
)
def broken_links(ctx: CheckContext) -> CheckResult:
    """Every link, image, script, stylesheet and attachment on the crawled pages,
    each target checked once; −1 point per broken link on the home page and −0.1
    per broken link elsewhere (国办秘函〔2019〕19号). Soft 404s count as broken."""
    snapshot = ctx.snapshot
    rules = Soft404Rules.from_settings(ctx.settings)
    home_urls = {snapshot.start_url}
    if snapshot.home and snapshot.home.final_url:
        home_urls.add(snapshot.home.final_url)
    appearances: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    unchecked: set[str] = set()
    # One pass over the pages (they are read from SQLite): the template is known only at its end.
    line_counts: Counter[str] = Counter()
    pages = 0
    candidates: dict[str, tuple[str, str]] = {}  # URL → (title, text) of pages that may be soft 404s
    for page in snapshot.html_pages():
        pages += 1
        count_lines(line_counts, page.text)
        if rules.may_match(page.title, page.text):
            candidates[page.url] = (page.title, page.text)
        for link in page.links:
            if not is_http(link.url):
                continue
            status = snapshot.link_status(link.url)
            if status is None or status.skipped:
                unchecked.add(link.url)
                continue
            appearances[link.url].append((page.url, link.text or link.alt or "", link.kind))
    template = site_template(line_counts, pages, rules.template_share)
    findings: list[Finding] = []
    on_home = soft = 0
    for target, places in sorted(appearances.items()):
        status = snapshot.link_status(target)
        assert status is not None
        why_soft = None
        if status.ok and target in candidates:
            why_soft = soft_404_reason(*candidates[target], template, rules)
        elif status.ok and status.title:  # checked over HTTP: only the <title> is known
            why_soft = soft_404_reason(status.title, "", template, rules)
        if status.ok and why_soft is None:
            continue
        home_hit = any(page in home_urls for page, _, _ in places)
        on_home += home_hit
        soft += why_soft is not None
        kind = KIND_NAMES.get(places[0][2], "链接")
        if why_soft:
            message = f"{'首页' if home_hit else ''}{kind}指向错误页面，{SOFT_404}：{target}"
        else:
            problem = f"HTTP {status.status}" if status.status else (status.error or "无响应")
            message = f"{'首页' if home_hit else ''}{kind}无法访问（{problem}）：{target}"
        limit = ctx.settings["max_pages_per_broken_link"]
        values: dict[str, Any] = {"target": target, "status": status.status, "error": status.error,
                                  "appears_on": sorted({p for p, _, _ in places})[:limit],
                                  "anchor_texts": sorted({t for _, t, _ in places if t})[:limit]}
        if why_soft:
            values["soft_404"] = why_soft
        findings.append(Finding(
            severity="serious" if home_hit else "moderate",
            message=message,
            url=next((p for p, _, _ in places if p in home_urls), places[0][0]),
            evidence=Evidence(snippet=places[0][1] or None, values=values),
        ))
    elsewhere = len(findings) - on_home
    deduction = on_home * ctx.settings["home_broken_link_deduction"] + \
        elsewhere * ctx.settings["other_broken_link_deduction"]
    reason = (f"检查了 {len(appearances)} 个链接目标，发现 {len(findings)} 个断链"
              f"（首页 {on_home} 个，其他页面 {elsewhere} 个；其中软 404 {soft} 个），共扣 {deduction:.1f} 分")
    if unchecked:
        reason += f"；{len(unchecked)} 个链接未检查（离线模式、外链限制或爬虫陷阱）"
    return ctx.result(
        deduction=round(deduction, 2),
        reason=reason,
        findings=findings,
        details={"checked": len(appearances), "broken": len(findings), "broken_on_home": on_home,
                 "soft_404": soft, "unchecked": len(unchecked)},
    )
