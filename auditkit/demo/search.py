"""The demo's 站内搜索 and 智能问答 engines, with one switch per feature.

``serve_demo(as_of, features={...})`` turns features on and off, so the tests of
``plugins/search_qa`` can show that every probe detects a feature when it is
there and reports it absent when it is not. ``DEFAULT_FEATURES`` is what a
typical county portal offers (documented in DEFECTS.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from markupsafe import Markup, escape

from auditkit.demo import content
from auditkit.demo.content import GuidePage, Site
from auditkit.text import Segmenter

DEFAULT_FEATURES: dict[str, bool] = {
    # 智能搜索
    "search_pinyin": False,  # 拼音 (full or initials) matches titles
    "search_segment": False,  # questions are segmented (jieba), question words dropped, hits ranked by score
    "search_synonyms": False,  # colloquial words mapped to official ones (养老金 → 养老保险)
    "search_correction": True,  # 您是不是要找: a query one character off a title word is corrected
    "search_suggest": False,  # suggestions while typing (/api/suggest)
    "search_related": True,  # 相关搜索 under the results
    "search_columns": False,  # 相关栏目 of the top results
    "search_relevance": False,  # title hits first (else newest first)
    "search_grouping": False,  # tabs 全部/新闻/政策/公开/办事/互动 with counts
    "search_sorting": True,  # 按相关度 / 按时间
    "search_block_sensitive": False,  # sensitive words refused and never echoed
    "search_calc": False,  # 搜索框计算: "1+1" answered on top
    "search_service_card": False,  # 场景式搜索: a matching service guide on top with 在线办理
    "search_qa_card": False,  # 关联智能问答: the Q&A answer on top
    "search_map": False,  # 关联地图服务: a map card for the service centre
    "search_pinned": False,  # 搜索结果置顶: the service guide pinned on top
    "search_robust": True,  # empty and overlong queries answered normally (else HTTP 500)
    # 智能问答
    "qa_hints": True,  # 智能提示: example and hot questions offered
    "qa_knowledge": True,  # 知识库梳理: questions organised by category
    "qa_suggest": False,  # 智能联想 while typing (/api/qa/suggest)
    "qa_pinyin": False,  # 拼音理解
    "qa_typo": False,  # 错别字识别: keywords one character off still match
    "qa_merge": False,  # 融合答案输出: every part of a multi-part question answered
}

#: what the search shows for each path prefix when it groups results
KINDS: tuple[tuple[str, str], ...] = (
    ("/xwzx/", "新闻"), ("/zcwj/", "政策"), ("/zcjd/", "政策"), ("/xxgk/", "公开"), ("/bsfw/", "办事"),
    ("/hdjl/", "互动"),
)
MAX_QUERY_CHARS = 100  # the old engine's column is VARCHAR(100)
CALC = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([-+*/×÷])\s*(\d+(?:\.\d+)?)\s*[=＝]?\s*")


def resolve_features(features: Mapping[str, bool] | None) -> dict[str, bool]:
    unknown = set(features or {}) - set(DEFAULT_FEATURES)
    if unknown:
        raise ValueError(f"unknown demo features: {', '.join(sorted(unknown))}")
    return DEFAULT_FEATURES | dict(features or {})


#: the segmenting engine's words (auditkit.text loads jieba once per process, on first use)
SEGMENTER = Segmenter()


def _one_off(word: str, text: str) -> str | None:
    """A window of ``text`` as long as ``word`` that differs from it in exactly one character."""
    n = len(word)
    for i in range(len(text) - n + 1):
        window = text[i:i + n]
        if sum(a != b for a, b in zip(window, word, strict=True)) == 1:
            return window
    return None


def _pinyin(text: str) -> tuple[str, str]:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text)).lower(), "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()


def _calc(q: str) -> str | None:
    match = CALC.fullmatch(q)
    if not match:
        return None
    a, op, b = float(match[1]), match[2], float(match[3])
    if op in "/÷" and b == 0:
        return None
    value = {"+": a + b, "-": a - b, "*": a * b, "×": a * b, "/": a / (b or 1), "÷": a / (b or 1)}[op]
    shown = f"{value:g}"
    return f"{match[1]}{op}{match[3]} = {shown}"


def highlight(text: str, q: str) -> Markup:
    """Escape ``text`` and wrap each case-insensitive hit of ``q`` in <em>."""
    if not q:
        return escape(text)
    parts = re.split(f"({re.escape(q)})", text, flags=re.IGNORECASE)
    return Markup("").join(Markup(f"<em>{escape(p)}</em>") if i % 2 else escape(p) for i, p in enumerate(parts))


@dataclass
class Hit:
    title: Markup
    path: str
    day: date
    snippet: Markup
    kind: str
    pinned: bool = False


@dataclass
class SearchPage:
    """Everything search.html shows for one query."""

    q: str
    results: list[Hit] = field(default_factory=list)
    blocked: bool = False
    correction: str | None = None
    related: list[str] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)
    tabs: list[tuple[str, str, int]] = field(default_factory=list)  # (label, kind, count)
    kind: str = ""
    order: str = ""
    calc: str | None = None
    service_card: GuidePage | None = None
    qa_card: str | None = None
    map_card: bool = False


class SearchEngine:
    def __init__(self, site: Site, features: dict[str, bool], titles: dict[str, str]) -> None:
        self.site = site
        self.f = features
        self.titles = titles

    @cached_property
    def documents(self) -> list[tuple[str, str, date, str]]:
        return self.site.documents()

    @cached_property
    def title_pinyin(self) -> list[tuple[str, str]]:
        return [_pinyin(title) for title, *_ in self.documents]

    @staticmethod
    def kind_of(path: str) -> str:
        return next((name for prefix, name in KINDS if path.startswith(prefix)), "其他")

    def _terms(self, q: str) -> list[str]:
        """The words a query is matched by: itself, or its segments without question words."""
        if self.f["search_synonyms"]:
            for colloquial, official in content.SEARCH_SYNONYMS.items():
                q = q.replace(colloquial, official)
        if not self.f["search_segment"]:
            return [q]
        words = [w for w in SEGMENTER.cut(q) if len(w) >= 2 and w not in content.QUESTION_WORDS]
        return list(dict.fromkeys(words)) or [q]

    def _match(self, q: str) -> list[tuple[int, tuple[str, str, date, str]]]:
        """(score, document) of every hit; score 0 means a body-only hit."""
        hits = []
        pinyin = self.f["search_pinyin"] and re.fullmatch(r"[A-Za-z]{2,}", q)
        terms = [t.lower() for t in self._terms(q)]
        for doc, (full, initials) in zip(self.documents, self.title_pinyin if pinyin else [("", "")] * len(
                self.documents), strict=True):
            title, text = doc[0].lower(), doc[3].lower()
            if pinyin and (q.lower() in full or q.lower() in initials):
                hits.append((2, doc))
                continue
            score = sum(2 * (t in title) + (t in text) for t in terms)
            if score:
                hits.append((score, doc))
        return hits

    def search(self, q: str, kind: str = "", order: str = "") -> SearchPage:
        page = SearchPage(q=q, kind=kind, order=order)
        if not q:
            return page
        if self.f["search_block_sensitive"] and any(w in q for w in content.SENSITIVE_WORDS):
            return SearchPage(q="", blocked=True)
        if self.f["search_calc"]:
            page.calc = _calc(q)
        hits = self._match(q)
        shown_q = q
        if not hits and self.f["search_correction"] and re.fullmatch(r"[\u4e00-\u9fff]{2,12}", q):
            corrected = next((w for title, *_ in self.documents if (w := _one_off(q, title))), None)
            if corrected:
                page.correction = corrected
                hits = self._match(corrected)
                shown_q = corrected
        ranked = self.f["search_segment"] or self.f["search_relevance"] or order == "relevance"
        if ranked and order != "date":
            hits.sort(key=lambda h: (-h[0], -h[1][2].toordinal()))
        results = []
        for _, (title, path, day, text) in hits:
            at = max(text.lower().find(shown_q.lower()), 0)
            snippet = " ".join(text[max(at - 30, 0): at + 60].split())
            results.append(Hit(highlight(title, shown_q), path, day, highlight(snippet, shown_q), self.kind_of(path)))
        guide = self._guide_for(shown_q)
        if self.f["search_pinned"] and guide:
            pinned = [r for r in results if r.path == guide.path]
            for r in pinned:
                r.pinned = True
            results = pinned + [r for r in results if r.path != guide.path]
        if self.f["search_grouping"]:
            counts: dict[str, int] = {}
            for r in results:
                counts[r.kind] = counts.get(r.kind, 0) + 1
            page.tabs = [("全部", "", len(results))] + [(k, k, counts.get(k, 0)) for k in dict.fromkeys(
                name for _, name in KINDS)]
            if kind:
                results = [r for r in results if r.kind == kind]
        page.results = results
        if results and self.f["search_related"]:
            page.related = self._related(shown_q, results[0])
        if results and self.f["search_columns"]:
            parents = (r.path.rsplit("/", 1)[0] + "/" for r in results[:5])
            page.columns = list(dict.fromkeys((self.titles[p], p) for p in parents if p in self.titles))
        if guide and self.f["search_service_card"]:
            page.service_card = guide
        if self.f["search_qa_card"]:
            answer = answer_question(shown_q, self.f, self.titles)
            if answer["matched"]:
                page.qa_card = answer["answer"]
        page.map_card = self.f["search_map"] and (guide is not None or "政务服务中心" in q)
        return page

    def _guide_for(self, q: str) -> GuidePage | None:
        terms = self._terms(q)
        return next((g for g in self.site.guides if any(t in g.title or g.title in t for t in terms)), None)

    def _related(self, q: str, top: Hit) -> list[str]:
        for keywords, _, _ in content.QA_TABLE:
            if any(k in q or k in str(top.title) for k in keywords):
                return [k for k in keywords if k != q]
        return []

    def suggest(self, q: str) -> list[str]:
        if not q:
            return []
        return [title for title, *_ in self.documents if q in title][:8]


def _keyword_hit(keyword: str, q: str, features: dict[str, bool]) -> bool:
    if keyword in q:
        return True
    if features["qa_typo"] and len(keyword) >= 3 and _one_off(keyword, q):  # two-character words collide
        return True
    if features["qa_pinyin"] and re.search(r"[A-Za-z]{2,}", q):
        full, initials = _pinyin(keyword)
        letters = re.sub(r"[^a-z]", "", q.lower())
        return full in letters or (len(initials) >= 2 and initials == letters)
    return False


def answer_question(q: str, features: dict[str, bool], titles: dict[str, str]) -> dict[str, Any]:
    """The 智能问答 answer: the keyword rows a question matches (all of them when answers merge)."""
    if not q:
        return {"answer": "请输入您要咨询的问题。", "links": [], "matched": False}
    rows = [row for row in content.QA_TABLE if any(_keyword_hit(k, q, features) for k in row[0])]
    if not rows:
        return {"answer": content.QA_FALLBACK, "links": [{"title": "我要留言", "url": "/hdjl/liuyan"}],
                "matched": False}
    rows = rows if features["qa_merge"] else rows[:1]
    paths = list(dict.fromkeys(p for row in rows for p in row[2]))
    return {"answer": "".join(row[1] for row in rows), "links": [{"title": titles.get(p, p), "url": p} for p in paths],
            "matched": True}


def suggest_questions(q: str) -> list[str]:
    return [question for question in content.QA_QUESTIONS if q and q in question][:8]
