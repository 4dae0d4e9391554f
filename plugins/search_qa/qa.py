"""智能问答: open the site's Q&A like a visitor, ask a bounded set of questions about a
topic the site has pages on, read the answers from the page and judge them.

The seed's three sub-points: 1 智能提示 (example or hot questions offered);
2 answers to a single keyword, a complex question, pinyin, a typo and a
two-part question (融合答案), each judged relevant when it names the topic,
links to a page about it, or shares enough of those pages' title words (jieba);
3 知识库梳理 (questions organised by category) and 智能联想 (suggestions while
typing). A site without Q&A scores 0; a Q&A that does not answer is a finding.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame
from pydantic import BaseModel, Field

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding
from auditkit.text import Segmenter
from auditkit.urls import normalize
from auditkit_plugins.search_qa.browse import Browser, Stopwatch, has_marker, new_lines
from auditkit_plugins.search_qa.config import QASettings, Settings, Topic
from auditkit_plugins.search_qa.controls import (
    INPUT_SELECTOR,
    Control,
    InputCandidate,
    click,
    controls_in_html,
    live_controls,
    live_inputs,
    match_controls,
    rank_inputs,
)
from auditkit_plugins.search_qa.probes import QUESTION_NAMES, Document, Question, documents, qa_questions
from auditkit_plugins.search_qa.scoring import Item, score_sub_points

ROWS = ["功能设计/智能问答", "功能设计推广/辅助功能", "服务成熟度/公共服务成熟度/服务智能化"]
SEGMENTER = Segmenter()
SEND_ATTR = "data-auditkit-send"

# Marks the control that sends the question (its form's button, or a nearby one named like one).
SEND_JS = r"""
([sel, index, texts]) => {
  document.querySelectorAll('[data-auditkit-send]').forEach(el => el.removeAttribute('data-auditkit-send'));
  const box = document.querySelectorAll(sel)[index];
  if (!box) return false;
  const clickable = 'button, input[type=submit], input[type=button], a, [onclick], [role=button], span, div';
  const named = el => texts.some(x => ((el.innerText || el.value || el.title || '') + '').trim().toLowerCase()
    .startsWith(x.toLowerCase()));
  let button = box.form ? box.form.querySelector('button, input[type=submit]') : null;
  for (let up = box.parentElement, i = 0; !button && up && i < 4; up = up.parentElement, i++)
    button = [...up.querySelectorAll(clickable)].find(el => el !== box && named(el));
  if (button) button.setAttribute('data-auditkit-send', '1');
  return !!button;
}
"""


class Entry(BaseModel):
    """Where the Q&A opens: a URL, or a control to click on a page."""

    page: str
    control: Control
    url: str | None = None  # the control's link target, when it is a real link


class Answer(BaseModel):
    question: Question
    lines: list[str] = Field(default_factory=list)
    links: list[tuple[str, str]] = Field(default_factory=list)  # (url, text) new after asking, on the site
    time_ms: float | None = None
    relevant: bool = False
    overlap: float = 0.0
    why: str = ""
    fallback: bool = False
    error: str | None = None

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def find_entries(ctx: CheckContext, cfg: QASettings) -> list[Entry]:
    """Q&A entries of the home page first, then of other crawled pages."""
    pages = [ctx.snapshot.home] if ctx.snapshot.home else []
    pages += [p for _, p in zip(range(cfg.entry_search_pages), ctx.snapshot.html_pages(), strict=False)
              if p.url != ctx.snapshot.start_url]
    for page in pages:
        tree = ctx.snapshot.parse(page.url)
        if tree is None:
            continue
        found = match_controls(controls_in_html(tree), cfg.entry_markers, cfg.entry_path_hints)
        if found:
            base = page.final_url or page.url
            return [Entry(page=base, control=c, url=_link(base, c.href)) for c in found[:3]]
    return []


def _link(base: str, href: str) -> str | None:
    if not href or href.startswith(("javascript:", "#")):
        return None
    url = urljoin(base, href)
    return normalize(url) if url.startswith(("http://", "https://")) else None


class QASession:
    def __init__(self, browser: Browser, entry: Entry, cfg: Settings, site_host: str) -> None:
        self.browser = browser
        self.entry = entry
        self.cfg = cfg
        self.qa = cfg.qa
        self.site_host = site_host
        self.use_send: bool | None = None  # learnt from the first answer: Enter (False) or the send button

    async def open(self) -> tuple[Frame, InputCandidate] | None:
        """Open the Q&A fresh (a link, or a click on its page) and find where questions are typed."""
        if self.entry.url:
            await self.browser.goto(self.entry.url)
        else:
            await self.browser.goto(self.entry.page)
            live = match_controls(await live_controls(self.browser.page), self.qa.entry_markers,
                                  self.qa.entry_path_hints)
            if not live:
                return None
            await click(self.browser.page, live[0], self.browser.timeout_ms)
        await self.browser.settle()
        search_hints = self.cfg.search_input_hints
        for frame in self.browser.page.frames:
            try:
                candidates = await live_inputs(frame)
            except PlaywrightError:
                continue  # a frame that went away
            ranked = rank_inputs(candidates, self.qa.input_hints, exclude=self.cfg.search_exclude_hints)
            if not ranked:  # an unnamed chat box: a textarea, or a text input that is not the site search
                ranked = [c for c in candidates if c.visible and c.type in ("", "text")
                          and not rank_inputs([c], search_hints, self.cfg.search_form_hints)]
                ranked.sort(key=lambda c: c.tag != "textarea")
            if ranked:
                return frame, ranked[0]
        return None

    async def ask(self, question: Question) -> Answer:
        answer = Answer(question=question)
        try:
            opened = await self.open()
            if opened is None:
                answer.error = "问答页面上没有找到输入框"
                return answer
            frame, box = opened
            before = await self.lines()
            known = {href for href, _ in await self.links()}
            locator = frame.locator(INPUT_SELECTOR).nth(box.index)
            await locator.fill(question.text, timeout=self.browser.timeout_ms)
            watch = Stopwatch()
            lines: list[str] = []
            if self.use_send is not True:  # Enter first; once a way of asking worked, only that way
                await locator.press("Enter", timeout=self.browser.timeout_ms)
                wait = self.cfg.submit_wait_s if self.use_send is None else self.qa.answer_timeout_s
                lines, answer.time_ms = await self._wait_answer(before, question.text, wait, watch)
                if lines:
                    self.use_send = False
            if not lines and self.use_send is not False and await frame.evaluate(
                    SEND_JS, [INPUT_SELECTOR, box.index, self.qa.send_texts]):
                watch.restart()
                await frame.locator(f"[{SEND_ATTR}]").first.click(timeout=self.browser.timeout_ms)
                lines, answer.time_ms = await self._wait_answer(before, question.text, self.qa.answer_timeout_s,
                                                                watch)
                if lines:
                    self.use_send = True
            answer.lines = lines
            answer.links = [(href, text) for href, text in await self.links()
                            if href not in known and urlsplit(href).hostname == self.site_host]
        except PlaywrightError as exc:
            answer.error = str(exc).splitlines()[0][:200]
        return answer

    async def lines(self) -> list[str]:
        lines: list[str] = []
        for frame in self.browser.page.frames:
            try:
                text = await frame.evaluate("() => document.body ? document.body.innerText : ''")
            except PlaywrightError:
                continue
            lines += [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        return lines

    async def links(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for frame in self.browser.page.frames:
            try:
                links = await frame.evaluate(
                    "() => [...document.querySelectorAll('a[href]')].map(a => [a.href, (a.innerText || '').trim()])")
            except PlaywrightError:
                continue
            out += [(normalize(href), text) for href, text in links if href.startswith(("http://", "https://"))]
        return out

    async def _wait_answer(self, before: list[str], question: str, first_wait_s: float, watch: Stopwatch
                           ) -> tuple[list[str], float | None]:
        """New lines once they stop changing (a page that navigates is read after it loads), and
        when they first appeared."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + first_wait_s
        stable_until: float | None = None
        last: list[str] = []
        appeared: float | None = None
        while loop.time() < deadline:
            await asyncio.sleep(0.2)
            try:
                current = [line for line in new_lines(await self.lines(), before)
                           if not _echo(line, question, self.qa.echo_extra_chars)]
            except PlaywrightError:
                continue
            if current and appeared is None:
                appeared = watch.ms
                deadline = loop.time() + self.qa.answer_timeout_s  # an answer is coming: give it time
            if current and current == last:
                if stable_until is not None and loop.time() >= stable_until:
                    break
            else:
                last = current
                stable_until = loop.time() + self.qa.answer_stable_ms / 1000 if current else None
        return last, appeared


def _echo(line: str, question: str, extra_chars: int) -> bool:
    """The visitor's own question shown back (a chat bubble, "您：…")."""
    return question in line and len(line) <= len(question) + extra_chars


def _topic_words(topic: Topic, docs: list[Document], stop: set[str]) -> set[str]:
    titles = [d.title for d in docs if any(name in d.title for name in topic.names)]
    words = {w for title in titles for w in SEGMENTER.cut(title) if len(w) >= 2 and w not in stop}
    return words | set(topic.names)


def judge(answer: Answer, docs: list[Document], cfg: QASettings) -> None:
    """Fill in relevance: every topic of the question named, linked or shared in title words."""
    text = answer.text
    answer.fallback = any(m in text for m in cfg.fallback_markers)
    if not text:
        answer.why = answer.error or "没有回答"
        return
    tokens = {w for w in SEGMENTER.cut(text) if len(w) >= 2}
    stop = set(cfg.stop_words)
    reasons, overlaps = [], []
    for topic in answer.question.topics:
        named = next((n for n in topic.names if n in text), None)
        urls = {d.url for d in docs if any(name in d.title for name in topic.names)}
        linked = next((t for u, t in answer.links if u in urls or any(n in t for n in topic.names)), None)
        words = _topic_words(topic, docs, stop)
        overlap = len(tokens & words) / len(words) if words else 0.0
        overlaps.append(overlap)
        if named:
            reasons.append(f"提到“{named}”")
        elif linked:
            reasons.append(f"链接到“{linked[:20]}”")
        elif overlap >= cfg.min_overlap:
            reasons.append(f"与“{topic.term}”相关页面标题词重合 {overlap:.0%}")
        else:
            reasons.append(f"未涉及“{topic.term}”")
    answer.overlap = round(min(overlaps), 3)
    answer.relevant = all(not r.startswith("未涉及") for r in reasons)
    answer.why = "；".join(reasons) + ("（兜底回复）" if answer.fallback and not answer.relevant else "")


def _question_row(answer: Answer) -> dict[str, Any]:
    question = answer.question
    return {
        "问题类型": QUESTION_NAMES[question.kind],
        "问题": question.text,
        "预期主题": "、".join(t.term for t in question.topics),
        "有回答": "是" if answer.lines else "否",
        "切题": "是" if answer.relevant else "否",
        "判断依据": answer.why,
        "站内链接数": len(answer.links),
        "用时（毫秒）": answer.time_ms,
        "回答": answer.text[:120] + ("…" if len(answer.text) > 120 else ""),
    }


@check(id="search_qa.qa", title="智能问答：提问并判断回答", indicators=ROWS, needs=["pages", "browser"])
async def qa(ctx: CheckContext) -> CheckResult:
    """Find the Q&A entry (智能问答, 智能客服 …), ask a keyword, a complex question, pinyin, a typo
    and a two-part question about topics the site has pages on, and judge each answer
    against those pages; look for hints, a categorised knowledge base and suggestions while typing."""
    cfg = Settings.model_validate(ctx.settings)
    home = ctx.snapshot.home
    if home is None or not home.ok:
        return ctx.needs_review("首页未能打开，无法寻找智能问答")
    if ctx.browser is None:
        return ctx.needs_review("本次运行没有可用的浏览器，无法使用智能问答")
    entries = find_entries(ctx, cfg.qa)
    if not entries:
        return ctx.result(score=0.0, reason="网站未提供智能问答（首页及所抓取页面上没有智能问答、智能客服等入口）",
                          details={"入口": None})
    docs = documents(ctx.snapshot, cfg)
    questions = qa_questions(docs, cfg)
    entry = entries[0]
    context = await ctx.browser.new_context()
    try:
        browser = await Browser.open(context, cfg.page_timeout_s, cfg.settle_timeout_s, cfg.settle_quiet_ms)
        session = QASession(browser, entry, cfg, ctx.snapshot.host)
        try:
            opened = await session.open()
        except PlaywrightError as exc:
            opened, error = None, str(exc).splitlines()[0][:200]
        else:
            error = "问答页面上没有找到输入框"
        where = entry.url or entry.page
        if opened is None:
            return ctx.result(score=0.0, reason=f"智能问答入口“{entry.control.label}”打不开或无法提问：{error}",
                              findings=[Finding(severity="serious", url=where,
                                                message=f"智能问答无法使用：{error}")],
                              details={"入口": {"文字": entry.control.label, "页面": where}})
        frame, box = opened
        page_lines = await session.lines()
        controls = await live_controls(frame)
        typed = questions[0].topics[0].term[:2] if questions else ""
        suggestions = await browser.type_and_watch(frame.locator(INPUT_SELECTOR).nth(box.index), frame, typed,
                                                   cfg.type_delay_ms, cfg.suggest_wait_ms) if typed else []
        answers = []
        for question in questions:
            if len(answers) >= cfg.qa.max_silent and not any(a.lines for a in answers):
                answers.append(Answer(question=question, why=f"前 {cfg.qa.max_silent} 问均无回复，未再提问"))
                continue
            await asyncio.sleep(cfg.probe_delay_s)
            answer = await session.ask(question)
            judge(answer, docs, cfg.qa)
            answers.append(answer)
    finally:
        await context.close()
    return _result(ctx, cfg.qa, entry, box, page_lines, controls, suggestions, answers)


def _result(ctx: CheckContext, cfg: QASettings, entry: Entry, box: InputCandidate, page_lines: list[str],
            controls: list[Control], suggestions: list[str], answers: list[Answer]) -> CheckResult:
    where = entry.url or entry.page
    hint = has_marker(page_lines, cfg.hint_markers) or next((m for m in cfg.hint_markers if m in box.names), None)
    listed = [c.label for c in controls if c.visible and 4 <= len(c.label) <= 40
              and re.search(cfg.question_pattern, c.label)]
    category = has_marker(page_lines, cfg.knowledge_markers)
    knowledge = category is not None and len(listed) >= cfg.min_listed_questions
    items = [Item(key="hints", name="智能提示", sub_point=1, present=hint is not None, note=hint or "", url=where)]
    for answer in answers:
        kind = answer.question.kind
        items.append(Item(key=kind, name=f"{QUESTION_NAMES[kind]}问答", sub_point=2, present=answer.relevant,
                          note=f"“{answer.question.text[:30]}”：{answer.why}", url=where))
    items += [
        Item(key="knowledge_base", name="问答知识库梳理", sub_point=3, present=knowledge, url=where,
             note=f"{category}；列出问题 {len(listed)} 个" if category else f"列出问题 {len(listed)} 个，未见分类"),
        Item(key="suggestions", name="智能联想", sub_point=3, present=bool(suggestions), url=where,
             note="、".join(suggestions[:3])),
    ]
    findings: list[Finding] = []
    if answers and not any(a.lines for a in answers):
        findings.append(Finding(severity="serious", url=where, message="智能问答不回答：提问后页面上没有出现任何回复",
                                evidence=Evidence(values={"questions": [a.question.text for a in answers]})))
    for answer in answers:
        if answer.lines and not answer.relevant:
            findings.append(Finding(severity="minor", url=where,
                                    message=f"智能问答答非所问（{QUESTION_NAMES[answer.question.kind]}）："
                                            f"问“{answer.question.text[:30]}”，{answer.why}",
                                    evidence=Evidence(snippet=answer.text[:300])))
    for item in items:
        if item.sub_point != 2 and not item.present:
            findings.append(Finding(severity="minor", url=where, message=f"智能问答未提供{item.name}"))
    score, sub_scores, reason = score_sub_points(items, cfg.weights, ("智能提示", "问答准确度", "知识库与智能联想"))
    if not answers:
        reason += "；网站页面标题中没有常见办事主题（data/topics.tsv），未能提问"
    details = {
        "入口": {"文字": entry.control.label, "页面": where, "输入框": box.names},
        "分项得分率": sub_scores,
        "提问": [_question_row(a) for a in answers],
        "功能": [i.row() for i in items],
        "列出的问题": listed[:10],
    }
    return ctx.result(score=score, reason=f"智能问答入口“{entry.control.label}”：{reason}", findings=findings,
                      details=details)
