"""智能搜索: drive the site's search box like a visitor and score the seed's three sub-points.

1. 全站搜索: an exact page title of each part of the site (news, 公开, policy,
   services, interaction, sub-sites) must bring that page into the first results;
   empty and overlong queries must be answered without an error.
2. 智能化搜索: pinyin, related recommendations (suggestions or 相关搜索),
   correction, colloquial and natural-language queries, sensitive-word
   blocking, ranking, related columns.
3. 场景式搜索: service cards, linked Q&A answers, map services, 搜索框计算,
   pinned results.

Each probe is compared with the "no results" page of a nonsense query: links the
probe added are its results, text it added shows its features.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from playwright.async_api import Error as PlaywrightError
from pydantic import BaseModel, Field

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding
from auditkit.urls import normalize
from auditkit_plugins.search_qa.browse import Browser, PageState, Stopwatch, has_marker, new_lines
from auditkit_plugins.search_qa.config import Settings
from auditkit_plugins.search_qa.controls import (
    INPUT_SELECTOR,
    InputCandidate,
    click,
    inputs_in_html,
    live_controls,
    live_inputs,
    match_controls,
    node_snippet,
    rank_inputs,
)
from auditkit_plugins.search_qa.probes import PROBE_NAMES, Probe, documents, scope_names, search_probes
from auditkit_plugins.search_qa.scoring import Item, score_sub_points

ROWS = ["功能设计/智能搜索", "功能设计推广/辅助功能", "基础保障度/应用支撑/搜索功能"]
BOX_ATTR = "data-auditkit-box"
SUBMIT_ATTR = "data-auditkit-submit"

# Marks the search box and the control that submits it (its form's button, or a nearby one).
PREPARE_JS = r"""
([sel, index, texts, classes]) => {
  document.querySelectorAll('[data-auditkit-box], [data-auditkit-submit]').forEach(el => {
    el.removeAttribute('data-auditkit-box'); el.removeAttribute('data-auditkit-submit'); });
  const box = document.querySelectorAll(sel)[index];
  if (!box) return false;
  box.setAttribute('data-auditkit-box', '1');
  const named = el => { const t = ((el.innerText || el.value || el.title || el.alt || '') + ' ' +
    (typeof el.className === 'string' ? el.className : '')).toLowerCase();
    return texts.some(x => t.includes(x.toLowerCase())) ||
      new RegExp('(^|[-_\\s])(' + classes.join('|') + ')').test(t); };
  const clickable = 'button, input[type=submit], input[type=button], input[type=image], a, [onclick], [role=button]';
  let scope = box.form, button = null;
  if (scope) button = scope.querySelector('button, input[type=submit], input[type=image]') ||
                      [...scope.querySelectorAll(clickable)].find(named);
  for (let up = box.parentElement, i = 0; !button && up && i < 3; up = up.parentElement, i++)
    button = [...up.querySelectorAll(clickable)].find(el => el !== box && named(el));
  if (button) button.setAttribute('data-auditkit-submit', '1');
  return true;
}
"""

#: probes always typed into the box: what the box itself does with them matters (maxlength, scripts
#: refusing empty input or filtering words before they are sent)
TYPED_PROBES = {"baseline", "empty", "overlong", "sensitive"}
FEATURES: dict[str, tuple[int, str]] = {  # id → (sub-point, name in the seed's words)
    "pinyin": (2, "拼音搜索"),
    "recommendation": (2, "搜索词相关推荐"),
    "correction": (2, "搜索词纠错"),
    "colloquial": (2, "通俗语言搜索"),
    "sensitive_word_blocking": (2, "敏感词屏蔽"),
    "natural_language": (2, "自然语言模糊搜索"),
    "ranking": (2, "搜索结果智能排序"),
    "related_columns": (2, "智能推荐相关栏目"),
    "scenario": (3, "主题/应用场景搜索"),
    "qa_link": (3, "关联智能问答"),
    "map": (3, "关联地图服务"),
    "calc": (3, "搜索框计算"),
    "pinned": (3, "搜索结果置顶"),
}
SEEN_NAMES = {"suggestions": "输入联想", "correction": "您是不是要找", "related": "相关搜索",
              "related_columns": "相关栏目", "grouping": "结果分类", "sorting": "排序/筛选", "scenario": "场景卡片",
              "qa_link": "问答卡片", "map": "地图服务", "pinned": "置顶", "calc": "计算结果", "blocked": "敏感词提示"}


class ProbeRun(BaseModel):
    probe: Probe
    method: str = ""  # 输入 (typed on the home page) or 链接 (the learnt results URL)
    url: str = ""
    status: int | None = None
    time_ms: float | None = None
    results: list[str] = Field(default_factory=list)  # result URLs in page order
    result_texts: list[str] = Field(default_factory=list)
    total: int | None = None  # "共找到 N 条" when the page says so
    rank: int | None = None
    features: dict[str, str] = Field(default_factory=dict)  # feature → the line that shows it
    error: str | None = None
    echoed: str | None = None  # sensitive probe: the line that shows the word raw

    @property
    def found(self) -> bool:
        return self.rank is not None


class SearchSession:
    """Submits queries through the home page's search box. The first submission learns how
    the box works (Enter or its button; a results page or results drawn in place), so later
    probes do not wait for what never happens."""

    def __init__(self, browser: Browser, home: str, box: InputCandidate, cfg: Settings) -> None:
        self.browser = browser
        self.home = home
        self.box = box
        self.cfg = cfg
        self.baseline: PageState | None = None
        self.use_button: bool | None = None
        self.navigates: bool | None = None
        #: a results URL and the parameter that carries the query: later probes open it directly,
        #: which asks the site for one page instead of the home page and then the results
        self.template: tuple[str, str] | None = None

    async def _prepared_home(self) -> bool:
        await self.browser.goto(self.home)
        marked = bool(await self.browser.page.evaluate(
            PREPARE_JS, [INPUT_SELECTOR, self.box.index, self.cfg.search_button_texts,
                         self.cfg.search_button_class_hints]))
        if marked and not await self.browser.page.locator(f"[{BOX_ATTR}]").is_visible():
            await _show_box(self.browser, self.cfg)
        return marked

    async def _press(self, use_button: bool) -> None:
        page = self.browser.page
        self.browser.expect_navigation()
        if not use_button:
            await page.locator(f"[{BOX_ATTR}]").press("Enter", timeout=self.browser.timeout_ms)
            return
        try:
            await page.locator(f"[{SUBMIT_ATTR}]").click(timeout=self.browser.timeout_ms)
        except PlaywrightError:
            await page.locator(f"[{SUBMIT_ATTR}]").evaluate("el => el.click()")

    async def _changed(self, before_text: str) -> bool:
        await self.browser.settle()
        return (await self.browser.read(self.cfg.grouping.max_label_chars)).text != before_text

    async def submit(self, query: str) -> tuple[PageState, float]:
        page = self.browser.page
        if not await self._prepared_home():
            raise RuntimeError("搜索框在首页上消失了")
        await page.locator(f"[{BOX_ATTR}]").fill(query, timeout=self.browser.timeout_ms)
        before = page.url
        has_button = bool(await page.locator(f"[{SUBMIT_ATTR}]").count())
        watch = Stopwatch()
        if self.use_button is None:  # learn: Enter first, the button when Enter does nothing
            text = (await self.browser.read(self.cfg.grouping.max_label_chars)).text
            await self._press(False)
            self.use_button, self.navigates = False, await self.browser.moved(before, self.cfg.submit_wait_s)
            if not self.navigates and not await self._changed(text) and has_button:
                watch.restart()
                await self._press(True)
                self.use_button, self.navigates = True, await self.browser.moved(before, self.cfg.submit_wait_s)
            moved = self.navigates
        else:
            await self._press(self.use_button and has_button)
            moved = self.navigates and await self.browser.moved(before, self.cfg.submit_wait_s)
        if moved:  # time to results: until the results page's load event
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_load_state("load", timeout=self.browser.timeout_ms)
            elapsed = watch.ms
            await self.browser.settle()
        else:  # results drawn in place: until the network is quiet
            await self.browser.settle()
            elapsed = watch.ms
        return await self.browser.read(self.cfg.grouping.max_label_chars), elapsed

    async def suggestions(self, text: str) -> list[str]:
        if not await self._prepared_home():
            return []
        page = self.browser.page
        return await self.browser.type_and_watch(page.locator(f"[{BOX_ATTR}]"), page, text, self.cfg.type_delay_ms,
                                                 self.cfg.suggest_wait_ms)

    async def open_results(self, query: str) -> tuple[PageState, float]:
        assert self.template is not None
        url, param = self.template
        parts = urlsplit(url)
        pairs = [(k, query if k == param else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        watch = Stopwatch()
        await self.browser.goto(urlunsplit(parts._replace(query=urlencode(pairs))))
        elapsed = watch.ms
        await self.browser.settle()
        return await self.browser.read(self.cfg.grouping.max_label_chars), elapsed

    def learn_template(self, url: str, query: str) -> None:
        """A GET search whose URL carries the query as typed (UTF-8) can be opened directly."""
        if self.template is None and query and not query.isascii():
            param = next((k for k, v in parse_qsl(urlsplit(url).query) if v == query), None)
            if param:
                self.template = (url, param)

    async def run(self, probe: Probe) -> ProbeRun:
        run = ProbeRun(probe=probe)
        typed = self.template is None or probe.kind in TYPED_PROBES
        run.method = "输入" if typed else "链接"
        try:
            state, run.time_ms = await (self.submit(probe.query) if typed else self.open_results(probe.query))
        except (PlaywrightError, RuntimeError) as exc:
            run.error = str(exc).splitlines()[0][:200]
            return run
        if probe.kind == "baseline":
            self.baseline = state
        if typed:
            self.learn_template(state.url, probe.query)
        run.url, run.status = state.url, state.status
        analyse(run, state, self.baseline, self.cfg)
        return run


def _result_links(state: PageState, baseline: PageState | None) -> list[tuple[str, str]]:
    known = {link.href for link in baseline.links} if baseline else set()
    here = urlsplit(state.url).path
    out: dict[str, str] = {}
    for link in state.links:
        href = link.href
        if not href.startswith(("http://", "https://")) or href in known or not link.text:
            continue
        if urlsplit(href).path == here:  # pagination, sorting, related searches: the search page itself
            continue
        out.setdefault(normalize(href), link.text)
    return list(out.items())


def _grouping(labels: list[str], cfg: Settings) -> str | None:
    words, found = cfg.grouping.words, []
    for label in labels:
        bare = re.sub(r"[（(]?\d+[)）]?$", "", label).strip()
        if bare in words and bare not in found:
            found.append(bare)
    if len(found) >= cfg.grouping.min_tabs and any(w in found for w in cfg.grouping.all_words):
        return " ".join(found)
    return None


def analyse(run: ProbeRun, state: PageState, baseline: PageState | None, cfg: Settings) -> None:
    """Results, rank of the known target, and the features the page shows (filled into ``run``)."""
    links = _result_links(state, baseline)
    run.results = [url for url, _ in links]
    run.result_texts = [text for _, text in links]
    match = re.search(cfg.total_pattern, state.text)
    run.total = int(match[1].replace(",", "")) if match else None
    probe = run.probe
    targets = {normalize(t) for t in probe.targets}
    for i, (url, text) in enumerate(links[:cfg.top_n], start=1):
        if url in targets or any(w in text for w in probe.target_words):
            run.rank = i
            break
    m = cfg.markers
    added = new_lines(state.lines, baseline.lines if baseline else [])
    # What the probe put above its first result (cards, answers); a result is a link with a
    # title-long text, so a card's own short links (在线办理) do not end the head.
    titles = [text[:12] for _, text in links if len(text) >= cfg.exact_title_min_chars]
    first = next((i for i, line in enumerate(added) if any(t in line for t in titles)), len(added))
    head = added[:first]
    checks: dict[str, str | None] = {
        "correction": has_marker(added, m.correction),
        "related": has_marker(added, m.related),
        "related_columns": has_marker(added, m.related_columns),
        "pinned": has_marker(added, m.pinned),
        "scenario": has_marker(head, m.scenario),
        "qa_link": has_marker(head, m.qa_link),
        "map": has_marker(head, m.map),
        "sorting": has_marker(state.lines, m.sorting) if links else None,
        "grouping": _grouping(state.labels, cfg) if links else None,
        "blocked": has_marker(state.lines, m.blocked) if probe.kind == "sensitive" else None,
        "calc": next((line for line in added if re.search(cfg.calc_answer_pattern, line)), None)
        if probe.kind == "calc" else None,
    }
    run.features = {k: v for k, v in checks.items() if v}
    error = has_marker(state.lines, m.error)
    if (state.status or 0) >= 500 or error:
        run.error = f"HTTP {state.status}" + (f"：{error[:100]}" if error else "")
    if probe.kind == "sensitive" and probe.query:
        run.echoed = next((line for line in state.lines if probe.query in line), None)


def _feature_items(runs: list[ProbeRun], suggestions: list[str], cfg: Settings) -> dict[str, Item]:
    by_kind: dict[str, list[ProbeRun]] = {}
    for run in runs:
        by_kind.setdefault(run.probe.kind, []).append(run)

    def seen(feature: str) -> ProbeRun | None:
        return next((r for r in runs if feature in r.features), None)

    def probed(*kinds: str) -> list[ProbeRun]:
        return [r for k in kinds for r in by_kind.get(k, []) if r.error is None]

    items: dict[str, Item] = {}

    def item(key: str, evidence: ProbeRun | None, applicable: bool = True, note: str | None = None,
             present: bool | None = None, shows: str = "") -> None:
        sub, name = FEATURES[key]
        if note is None and evidence is not None:
            shown = evidence.features.get(shows or key) or (f"目标排第 {evidence.rank} 位" if evidence.rank else "")
            note = f"“{_short(evidence.probe.query)}”：{shown}"
        items[key] = Item(key=key, name=name, sub_point=sub, applicable=applicable,
                          present=evidence is not None if present is None else present, note=note or "",
                          url=evidence.url if evidence else None)

    pinyin = probed("pinyin_full", "pinyin_initials")
    item("pinyin", next((r for r in pinyin if r.found), None), bool(pinyin))
    related = seen("related")
    if related is None and suggestions:
        item("recommendation", None, present=True, note=f"输入联想：{'、'.join(suggestions[:3])}")
    else:
        item("recommendation", related, shows="related")
    typo = probed("typo")
    item("correction", seen("correction") or next((r for r in typo if r.found), None), bool(typo))
    colloquial, natural = probed("colloquial"), probed("natural_language")
    item("colloquial", next((r for r in colloquial if r.found), None), bool(colloquial))
    item("natural_language", next((r for r in natural if r.found), None), bool(natural))
    sensitive = probed("sensitive")
    clean = next((r for r in sensitive if r.echoed is None), None)
    item("sensitive_word_blocking", clean, bool(sensitive),
         note=(clean.features.get("blocked") or "未原样显示敏感词") if clean else None)
    # 智能排序: a page named by the topic comes first for the keyword (newest-first engines put a news
    # item that merely mentions it on top), and exact titles come first
    keyword = next(iter(probed("keyword")), None)
    ranked = [r for r in probed("exact") if r.found]
    first = [r for r in ranked if r.rank == 1]
    good = (keyword is None or keyword.rank == 1) and bool(ranked) and (
        len(first) / len(ranked) >= cfg.scoring.ranking_min_share)
    note = f"精确标题 {len(first)}/{len(ranked)} 个排第 1 位" if ranked else ""
    if keyword is not None:
        note += f"；关键词“{keyword.probe.query}”的首个相关结果排第 {keyword.rank or '—'} 位"
    item("ranking", (first[0] if first else keyword) if good else None, bool(ranked) or keyword is not None,
         note=note)
    columns = seen("related_columns")
    item("related_columns", columns or seen("grouping"), shows="related_columns" if columns else "grouping")
    for key in ("scenario", "qa_link", "map", "calc", "pinned"):
        item(key, seen(key))
    return items


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _probe_row(run: ProbeRun, cfg: Settings) -> dict[str, Any]:
    probe = run.probe
    judged = probe.targets or probe.target_words
    return {
        "探测": PROBE_NAMES[probe.kind] + (f"（{probe.scope_name}）" if probe.scope_name else ""),
        "方式": run.method,
        "查询词": _short(probe.query, 40) if probe.query else "（空）",
        "预期": _short(probe.expected, 30),
        "结果数": len(run.results) if run.error is None else None,
        "页面所示总数": run.total,
        "找到目标": ("是" if run.found else "否") if judged and run.error is None else "—",
        "排名": run.rank,
        "用时（毫秒）": run.time_ms,
        "所见功能": "、".join(SEEN_NAMES[f] for f in run.features) or "—",
        "错误": run.error or "",
        "结果页": _short(run.url, 300),  # the overlong probe's URL carries its whole query
    }


@check(id="search_qa.search", title="智能搜索：像访客一样使用站内搜索", indicators=ROWS, needs=["pages", "browser"])
async def search(ctx: CheckContext) -> CheckResult:
    """Find the site's search box on the home page, search exact titles of each part of the
    site and a topic the site has pages about (pinyin, typo, colloquial, question), a
    sensitive word, "1+1", an empty and an overlong query; score the seed's three sub-points."""
    cfg = Settings.model_validate(ctx.settings)
    home = ctx.snapshot.home
    if home is None or not home.ok:
        return ctx.needs_review("首页未能打开，无法使用站内搜索")
    if ctx.browser is None:
        return ctx.needs_review("本次运行没有可用的浏览器，无法操作站内搜索")
    tree = ctx.snapshot.parse(home.url)
    in_html = rank_inputs(inputs_in_html(tree), cfg.search_input_hints, cfg.search_form_hints,
                          cfg.search_exclude_hints) if tree is not None else []
    probes, notes = search_probes(documents(ctx.snapshot, cfg), cfg)
    home_url = home.final_url or home.url
    context = await ctx.browser.new_context()
    try:
        browser = await Browser.open(context, cfg.page_timeout_s, cfg.settle_timeout_s, cfg.settle_quiet_ms)
        try:
            await browser.goto(home_url)
            live = await _live_box(browser, cfg)
        except PlaywrightError as exc:
            return ctx.needs_review(f"首页在浏览器中未能打开：{str(exc).splitlines()[0][:200]}")
        if not live:
            return ctx.result(score=0.0, reason="首页上没有找到站内搜索框：全站搜索及各项智能搜索功能均无从谈起",
                              findings=[Finding(severity="serious", message="首页未提供站内搜索框", url=home_url)],
                              details={"探测": [], "说明": notes})
        session = SearchSession(browser, home_url, live[0], cfg)
        term = next((p.query for p in probes if p.kind == "keyword"), None) or next(
            (p.query for p in probes if p.kind == "exact"), "")
        suggestions = await session.suggestions(term[:4]) if term else []
        runs = []
        for probe in probes:
            runs.append(await session.run(probe))
            await asyncio.sleep(cfg.probe_delay_s)
    finally:
        await context.close()
    box_html = node_snippet(tree, INPUT_SELECTOR, in_html[0].index) if tree is not None and in_html else ""
    return _result(ctx, cfg, runs, suggestions, notes, live[0], box_html)


async def _live_box(browser: Browser, cfg: Settings) -> list[InputCandidate]:
    """The visible search boxes of the open page; a box that only shows after clicking a 搜索
    icon is shown first."""
    def ranked(candidates: list[InputCandidate]) -> list[InputCandidate]:
        return rank_inputs(candidates, cfg.search_input_hints, cfg.search_form_hints, cfg.search_exclude_hints)

    live = ranked(await live_inputs(browser.page))
    if not live and await _show_box(browser, cfg):
        live = ranked(await live_inputs(browser.page))
    return live


async def _show_box(browser: Browser, cfg: Settings) -> bool:
    """Click the 搜索 icon that reveals a hidden search box; False when there is none."""
    toggles = match_controls(await live_controls(browser.page), cfg.search_button_texts)
    if not toggles:
        return False
    await click(browser.page, toggles[0], browser.timeout_ms)
    await browser.page.wait_for_timeout(300)
    return True


def _result(ctx: CheckContext, cfg: Settings, runs: list[ProbeRun], suggestions: list[str], notes: list[str],
            box: InputCandidate, box_html: str) -> CheckResult:
    baseline, runs = runs[0], runs[1:]
    if baseline.error:
        return ctx.needs_review(f"站内搜索无法使用：提交查询后出错（{baseline.error}）")
    names = scope_names(cfg)
    items: list[Item] = []
    findings: list[Finding] = []
    for run in runs:
        probe = run.probe
        if probe.kind == "exact":
            items.append(Item(key=f"scope:{probe.scope}", name=f"全站搜索：{names[probe.scope or '']}", sub_point=1,
                              present=run.found, note=f"“{_short(probe.query)}”" + (
                                  f" 排第 {run.rank} 位" if run.found else f" 未出现在前 {cfg.top_n} 条结果中"),
                              url=run.url))
            if not run.found:
                findings.append(Finding(
                    severity="moderate", url=probe.targets[0],
                    message=f"站内搜索找不到{probe.scope_name}的页面：按完整标题“{_short(probe.query)}”搜索，"
                            f"前 {cfg.top_n} 条结果中没有它",
                    evidence=Evidence(values={"results_page": run.url, "results": len(run.results)})))
        if probe.kind in ("empty", "overlong"):
            label = PROBE_NAMES[probe.kind]
            items.append(Item(key=probe.kind, name=f"{label}不报错", sub_point=1, present=run.error is None,
                              note=run.error or "正常返回", url=run.url))
            if run.error:
                findings.append(Finding(severity="serious", url=run.url or None,
                                        message=f"{label}时搜索出错：{run.error}",
                                        evidence=Evidence(snippet=_short(probe.query, 60))))
        if probe.kind == "sensitive" and run.echoed:
            findings.append(Finding(severity="serious", url=run.url,
                                    message=f"敏感词“{probe.query}”未被屏蔽，原样显示在搜索结果页上",
                                    evidence=Evidence(snippet=run.echoed[:200])))
    features = _feature_items(runs, suggestions, cfg)
    items += features.values()
    for feature in features.values():
        if feature.applicable and not feature.present and feature.key != "sensitive_word_blocking":
            findings.append(Finding(severity="minor", message=f"未发现{feature.name}功能", url=feature.url))
    score, sub_scores, reason = score_sub_points(items, cfg.scoring.weights,
                                                 ("全站搜索", "智能化搜索功能", "场景式搜索功能"))
    if notes:
        reason += "；" + "；".join(notes)
    details = {
        "搜索框": {"名称": box.names, "所在表单": box.form, "HTML": box_html},
        "分项得分率": sub_scores,
        "探测": [_probe_row(r, cfg) for r in [baseline, *runs]],
        "功能": [i.row() for i in items],
        "输入联想": suggestions[:5],
        "说明": notes,
    }
    return ctx.result(score=score, reason=reason, findings=findings, details=details)
