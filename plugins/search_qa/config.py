"""The plugin's settings (settings.toml) as typed models, and its data files."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScopeKind(_Model):
    kind: str
    name: str
    crumbs: list[str]
    paths: list[str]


class Markers(_Model):
    correction: list[str]
    related: list[str]
    related_columns: list[str]
    sorting: list[str]
    scenario: list[str]
    qa_link: list[str]
    map: list[str]
    pinned: list[str]
    blocked: list[str]
    error: list[str]


class Grouping(_Model):
    words: list[str]
    all_words: list[str]
    min_tabs: int
    max_label_chars: int


class SearchScoring(_Model):
    weights: list[float]
    ranking_min_share: float


class QASettings(_Model):
    entry_markers: list[str]
    entry_path_hints: list[str]
    entry_search_pages: int
    input_hints: list[str]
    send_texts: list[str]
    answer_timeout_s: float
    answer_stable_ms: int
    max_silent: int
    echo_extra_chars: int
    fallback_markers: list[str]
    hint_markers: list[str]
    knowledge_markers: list[str]
    min_listed_questions: int
    question_pattern: str
    min_overlap: float
    stop_words: list[str]
    typo_template: str
    multi_template: str
    weights: list[float]


class Settings(_Model):
    probe_delay_s: float
    page_timeout_s: float
    settle_timeout_s: float
    submit_wait_s: float
    settle_quiet_ms: int
    type_delay_ms: int
    suggest_wait_ms: int
    search_input_hints: list[str]
    search_form_hints: list[str]
    search_exclude_hints: list[str]
    search_button_texts: list[str]
    search_button_class_hints: list[str]
    baseline_query: str
    top_n: int
    exact_title_min_chars: int
    exact_title_max_chars: int
    title_separators: list[str]
    overlong_chars: int
    calc_query: str
    total_pattern: str
    calc_answer_pattern: str
    scope_kinds: list[ScopeKind]
    list_page_names: list[str]
    breadcrumb_labels: list[str]
    markers: Markers
    grouping: Grouping
    scoring: SearchScoring
    qa: QASettings


class Topic(_Model):
    term: str
    synonyms: list[str]
    colloquial: str
    question: str
    complex: str

    @property
    def names(self) -> list[str]:
        return [self.term, *self.synonyms]


def _data_lines(name: str) -> list[str]:
    text = resources.files("auditkit_plugins.search_qa").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def topics() -> tuple[Topic, ...]:
    rows = []
    for line in _data_lines("topics.tsv"):
        term, synonyms, colloquial, question, complex_ = line.split("\t")
        rows.append(Topic(term=term, synonyms=[s for s in synonyms.split(",") if s], colloquial=colloquial,
                          question=question, complex=complex_))
    return tuple(rows)


@lru_cache(maxsize=1)
def confusables() -> dict[str, str]:
    return dict(line.split("\t")[:2] for line in _data_lines("confusables.tsv"))


@lru_cache(maxsize=1)
def sensitive_words() -> tuple[str, ...]:
    return tuple(line.strip() for line in _data_lines("sensitive.txt"))
