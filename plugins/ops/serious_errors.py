"""严重错误 and 伪造发布日期: misspelt official terms and publication dates after the audit date.

Veto items 严重错误 and 安全、泄密等严重问题 (伪造发布日期) of 国办秘函〔2019〕19号
(standards §1). Words are matched on jieba-segmented text so that a wrong form
only counts as a whole word; the word list is ``data/serious_errors.txt`` plus
any lists named in ``serious_error_extra_files``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from auditkit import CheckContext, check
from auditkit.columns import labelled_dates, site_structure
from auditkit.dates import find_dates
from auditkit.models import CheckResult, Evidence, Finding, PageRecord, VetoHit
from auditkit.text import Segmenter
from auditkit_plugins.ops.freshness import structure_rules

BUILTIN_LIST = "data/serious_errors.txt"
_SENTENCE_END = re.compile(r"[。！？!?\n]")
# What jieba keeps inside one token; a wrong form with anything else could never match.
_TOKEN_CHARS = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%-]+")


@dataclass(frozen=True)
class WrongTerm:
    wrong: str
    right: str
    category: str


def parse_word_list(text: str, source: str) -> list[WrongTerm]:
    """``wrong<TAB>right<TAB>category`` lines; blank lines and ``#`` comments are skipped."""
    terms: list[WrongTerm] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) not in (2, 3) or not fields[0] or not fields[1] or fields[0] == fields[1]:
            raise ValueError(f"{source}:{number}: 词表行应为“错误写法<TAB>正确写法<TAB>类别”：{line!r}")
        if not _TOKEN_CHARS.fullmatch(fields[0]):
            raise ValueError(f"{source}:{number}: 错误写法只能由汉字、字母和数字组成：{fields[0]!r}")
        terms.append(WrongTerm(fields[0], fields[1], fields[2] if len(fields) == 3 and fields[2] else "严重错误"))
    return terms


@cache
def builtin_terms() -> tuple[WrongTerm, ...]:
    text = resources.files(__package__).joinpath(BUILTIN_LIST).read_text(encoding="utf-8")
    return tuple(parse_word_list(text, BUILTIN_LIST))


def load_terms(extra_files: Iterable[str]) -> WordList:
    """The built-in list, then the user's lists (a later entry for the same wrong form wins)."""
    terms = {t.wrong: t for t in builtin_terms()}
    for name in extra_files:
        path = Path(name).expanduser()
        terms |= {t.wrong: t for t in parse_word_list(path.read_text(encoding="utf-8"), str(path))}
    return WordList(terms)


# Private to this check, so the wrong forms added to it never change other segmentation.
SEGMENTER = Segmenter()


class WordList:
    """Wrong forms and a cheap substring pre-filter, so most pages are never segmented."""

    def __init__(self, terms: dict[str, WrongTerm]) -> None:
        self.terms = terms
        alternatives = "|".join(re.escape(w) for w in sorted(terms, key=len, reverse=True))
        self._candidates = re.compile(alternatives) if terms else None

    def __len__(self) -> int:
        return len(self.terms)

    def find(self, text: str) -> list[tuple[WrongTerm, str]]:
        """(term, sentence) for every whole-word occurrence of a wrong form in ``text``."""
        if self._candidates is None or not self._candidates.search(text):
            return []
        SEGMENTER.add_words(self.terms)
        hits: list[tuple[WrongTerm, str]] = []
        # Only sentences holding a candidate substring are segmented; sentence ends are
        # word boundaries for jieba too, so this equals segmenting the whole page.
        for sentence in _SENTENCE_END.split(text):
            if self._candidates.search(sentence):
                hits += [(self.terms[token], sentence.strip()) for token in SEGMENTER.cut(sentence)
                         if token in self.terms]
        return hits


def publication_date(page: PageRecord, tree: LexborHTMLParser, settings: dict[str, Any], as_of: date) -> date | None:
    """The page's own publication date: a labelled one (发布时间：…), else the first date just after
    the article's title (``<meta name="ArticleTitle">`` or ``<h1>``)."""
    labelled = labelled_dates(page.text, as_of, structure_rules(settings).date_labels)
    if labelled:
        return labelled[0]
    meta = tree.css_first('meta[name="ArticleTitle"]')
    heading = tree.css_first("h1")
    title = re.sub(r"<[^>]+>", "", (meta.attributes.get("content") or "") if meta else "").strip()
    title = " ".join((title or (heading.text() if heading else "")).split())
    if not title:
        return None
    # Layout whitespace says nothing, and titles wrap across lines: find the title's start in the
    # collapsed text, then skip its length.
    text = " ".join(page.text.split())
    start = text.find(title[: settings["serious_error_title_prefix_chars"]])
    if start < 0:
        return None
    window = text[start + len(title): start + len(title) + settings["serious_error_title_date_chars"]]
    dates = find_dates(window, as_of, implied_year=False)
    return dates[0] if dates else None


@check(
    id="ops.serious_errors",
    title="严重错误（严重错别字、伪造发布日期）",
    indicators=["运维保障/日常运维", "功能设计推广/运维保障"],
    vetoes=["serious_error", "security_incident"],
)
def serious_errors(ctx: CheckContext) -> CheckResult:
    """The visible text of every crawled page, segmented with jieba, against a list of misspelt
    fixed official terms (国名、机构名、重要表述); and every article whose own publication date is
    later than the audit date (伪造发布日期). Either is a veto item (国办秘函〔2019〕19号)."""
    settings, as_of = ctx.settings, ctx.as_of
    words = load_terms(settings["serious_error_extra_files"])
    snippet_chars = settings["serious_error_snippet_chars"]
    findings: list[Finding] = []
    veto_hits: list[VetoHit] = []
    pages = typo_count = future_count = 0
    structure = site_structure(ctx.snapshot, structure_rules(settings))
    for page in ctx.snapshot.html_pages():
        pages += 1
        occurrences: dict[str, list[str]] = {}
        for term, sentence in words.find(page.text):
            occurrences.setdefault(term.wrong, []).append(sentence)
        for wrong, sentences in occurrences.items():
            term = words.terms[wrong]
            message = f"严重错误：「{term.wrong}」应为「{term.right}」"
            typo_count += 1
            findings.append(Finding(
                severity="critical", url=page.url, message=message,
                evidence=Evidence(snippet=sentences[0][:snippet_chars],
                                  values={"wrong": term.wrong, "right": term.right, "category": term.category,
                                          "occurrences": len(sentences)}),
            ))
            veto_hits.append(VetoHit(veto="serious_error", url=page.url, message=message))
        info = structure.page(page.url)
        if info is None or info.home:
            continue  # the home page lists others' dates; it has none of its own
        if info.role.role != "other":
            continue  # list dates belong to the listed articles, which are judged on their own pages
        published = publication_date(page, LexborHTMLParser(page.html), settings, as_of)
        if published and published > as_of:
            future_count += 1
            message = (f"发布日期晚于检查日（疑似伪造发布日期）：页面发布日期 {published.isoformat()}，"
                       f"检查日 {as_of.isoformat()}")
            findings.append(Finding(severity="critical", url=page.url, message=message,
                                    evidence=Evidence(values={"published": published.isoformat(),
                                                              "as_of": as_of.isoformat(),
                                                              "days_after": (published - as_of).days})))
            veto_hits.append(VetoHit(veto="security_incident", url=page.url, message=message))
    if not pages:
        return ctx.not_applicable("没有可读取的 HTML 页面")
    reason = (f"检查了 {pages} 个页面（词表 {len(words)} 条）：严重错别字 {typo_count} 处，"
              f"发布日期晚于检查日的页面 {future_count} 个")
    return ctx.result(
        score=0.0 if veto_hits else 1.0,
        reason=reason,
        findings=findings,
        veto_hits=veto_hits,
        vetoes_evaluated=["serious_error", "security_incident"],
        details={"pages": pages, "terms": len(words), "serious_errors": typo_count, "future_dates": future_count},
    )
