"""Probe sets with known right answers, built from the site's own pages.

Every probe names what a visitor expects: a page of the snapshot (exact title
searches, one per part of the site) or a topic the site has pages about (its
term in pinyin, with a typo, in colloquial words, as a question). The probes are
pure functions of the snapshot and the data files, so they are tested without a
browser.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field
from pypinyin import Style, lazy_pinyin

from auditkit.columns import strip_site_name
from auditkit.models import PageRecord
from auditkit.snapshot import Snapshot
from auditkit_plugins.search_qa.config import Settings, Topic, confusables, sensitive_words, topics

ProbeKind = Literal["baseline", "exact", "keyword", "pinyin_full", "pinyin_initials", "typo", "colloquial",
                    "natural_language", "sensitive", "calc", "empty", "overlong"]
PROBE_NAMES: dict[str, str] = {
    "baseline": "无结果基准", "exact": "精确标题", "keyword": "关键词", "pinyin_full": "拼音全拼",
    "pinyin_initials": "拼音首字母", "typo": "错别字", "colloquial": "通俗说法", "natural_language": "自然语言问句",
    "sensitive": "敏感词", "calc": "搜索框计算", "empty": "空查询", "overlong": "超长查询",
}
QuestionKind = Literal["keyword", "complex", "pinyin", "typo", "multi"]
QUESTION_NAMES: dict[str, str] = {"keyword": "单个关键词", "complex": "复杂意图", "pinyin": "拼音理解",
                                  "typo": "错别字识别", "multi": "多问融合"}
SUBSITE = "subsite"
SUBSITE_NAME = "下级网站"


class Probe(BaseModel):
    kind: ProbeKind
    query: str
    expected: str = ""  # what the visitor is after, in words
    targets: list[str] = Field(default_factory=list)  # URLs that are right answers
    target_words: list[str] = Field(default_factory=list)  # a result whose text names one is right too
    scope: str | None = None  # exact probes: the part of the site the target belongs to
    scope_name: str | None = None


class Question(BaseModel):
    kind: QuestionKind
    text: str
    topics: list[Topic]  # the answer must be about each of them


@dataclass(frozen=True)
class Document:
    url: str
    title: str
    kind: str | None  # a scope kind, "subsite", or None when the part of the site is unknown


def page_title(page: PageRecord, snapshot: Snapshot, settings: Settings) -> str:
    """The document's own title: its first <h1>, else <title> up to the site name."""
    tree = snapshot.parse(page.url)
    h1 = tree.css_first("h1") if tree is not None else None
    if h1 is not None and (text := " ".join(h1.text().split())):
        return text
    return strip_site_name(page.title, settings.title_separators)


def breadcrumb(text: str, labels: Iterable[str]) -> str:
    """The line of a page's text that says where it is (当前位置：首页 > …)."""
    for line in text.splitlines():
        if any(label in line for label in labels):
            return line
    return ""


def scope_kind(page: PageRecord, home_host: str, settings: Settings) -> str | None:
    if urlsplit(page.url).hostname != home_host:
        return SUBSITE
    crumb = breadcrumb(page.text, settings.breadcrumb_labels)
    for kind in settings.scope_kinds:
        if crumb and any(word in crumb for word in kind.crumbs):
            return kind.kind
    folders = [s.lower() for s in urlsplit(page.url).path.split("/")[:-1] if s]
    for kind in settings.scope_kinds:
        if any(folder in kind.paths for folder in folders):
            return kind.kind
    return None


def _is_document(page: PageRecord, settings: Settings) -> bool:
    last = urlsplit(page.url).path.rsplit("/", 1)[-1]
    return bool(last) and last.split(".")[0].lower() not in settings.list_page_names


def documents(snapshot: Snapshot, settings: Settings) -> list[Document]:
    """Every crawled document page (not the home page, not a list), in crawl order."""
    home = snapshot.home.url if snapshot.home else snapshot.start_url
    docs = []
    for page in snapshot.html_pages():
        if page.url == home or not _is_document(page, settings):
            continue
        docs.append(Document(page.url, page_title(page, snapshot, settings), scope_kind(page, snapshot.host,
                                                                                          settings)))
    return docs


def scope_names(settings: Settings) -> dict[str, str]:
    return {k.kind: k.name for k in settings.scope_kinds} | {SUBSITE: SUBSITE_NAME}


def present_topics(docs: list[Document]) -> list[tuple[Topic, list[str]]]:
    """Topics of the data table the site has pages about, with those pages' URLs."""
    found = []
    for topic in topics():
        urls = [d.url for d in docs if any(name in d.title for name in topic.names)]
        if urls:
            found.append((topic, urls))
    return found


def pinyin(term: str) -> tuple[str, str]:
    """Full pinyin and initials: 社保 → ("shebao", "sb")."""
    return "".join(lazy_pinyin(term)), "".join(lazy_pinyin(term, style=Style.FIRST_LETTER))


def typo_of(term: str) -> str | None:
    """The term with its last character that has a near-miss swapped for it."""
    table = confusables()
    for i in range(len(term) - 1, -1, -1):
        if term[i] in table:
            return term[:i] + table[term[i]] + term[i + 1:]
    return None


def search_probes(docs: list[Document], settings: Settings) -> tuple[list[Probe], list[str]]:
    """The probes for one site, and notes on what could not be probed."""
    notes: list[str] = []
    probes = [Probe(kind="baseline", query=settings.baseline_query, expected="（应无结果）")]
    names = scope_names(settings)
    for kind in [k.kind for k in settings.scope_kinds] + [SUBSITE]:
        doc = next((d for d in docs if d.kind == kind
                    and settings.exact_title_min_chars <= len(d.title) <= settings.exact_title_max_chars), None)
        if doc is not None:
            probes.append(Probe(kind="exact", query=doc.title, expected=doc.title, targets=[doc.url],
                                target_words=[doc.title], scope=kind, scope_name=names[kind]))
    present = present_topics(docs)
    if not present:
        notes.append("网站页面标题中没有找到常见办事主题（data/topics.tsv），未做拼音、错别字、通俗说法和问句探测")
    else:
        topic, urls = present[0]
        about = {"expected": topic.term, "targets": urls, "target_words": topic.names}
        full, initials = pinyin(topic.term)
        probes += [Probe(kind="keyword", query=topic.term, **about),
                   Probe(kind="pinyin_full", query=full, **about),
                   Probe(kind="pinyin_initials", query=initials, **about)]
        typo = typo_of(topic.term)
        if typo:
            probes.append(Probe(kind="typo", query=typo, **about))
        else:
            notes.append(f"“{topic.term}”没有近形近音字表（data/confusables.tsv），未做错别字探测")
        probes += [Probe(kind="colloquial", query=topic.colloquial, **about),
                   Probe(kind="natural_language", query=topic.question, **about)]
    # the overlong query repeats a word of the site (a topic, else a page title)
    word = present[0][0].term if present else next((p.query for p in probes if p.kind == "exact"), "政务公开")
    overlong = (word * (settings.overlong_chars // len(word) + 1))[:settings.overlong_chars]
    probes.append(Probe(kind="overlong", query=overlong, expected="不报错"))
    probes += [Probe(kind="sensitive", query=w, expected="屏蔽或不原样显示") for w in sensitive_words()[:1]]
    probes += [Probe(kind="calc", query=settings.calc_query, expected="显示计算结果"),
               Probe(kind="empty", query="", expected="不报错")]
    return probes, notes


def qa_questions(docs: list[Document], settings: Settings) -> list[Question]:
    present = [topic for topic, _ in present_topics(docs)]
    if not present:
        return []
    first = present[0]
    questions = [Question(kind="keyword", text=first.term, topics=[first]),
                 Question(kind="complex", text=first.complex, topics=[first]),
                 Question(kind="pinyin", text=pinyin(first.term)[0], topics=[first])]
    typo = typo_of(first.term)
    if typo:
        questions.append(Question(kind="typo", text=settings.qa.typo_template.format(term=typo), topics=[first]))
    if len(present) > 1:
        questions.append(Question(kind="multi", text=settings.qa.multi_template.format(a=first.term,
                                                                                         b=present[1].term),
                                  topics=[first, present[1]]))
    return questions
