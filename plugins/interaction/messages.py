"""Published messages (留言, 来信) read from list and detail pages, and the consultation channel.

A message is whatever labels when it was asked (留言时间 …): a detail page, a block of a
list page printing the labels once per message, or a row of a table whose header names
them. Column discovery (``auditkit/columns.py``) should later say which columns are
政务咨询 columns; today the breadcrumb and the page title say it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urljoin

import yaml
from selectolax.lexbor import LexborHTMLParser

from auditkit.dates import find_dates
from auditkit.models import PageRecord
from auditkit.snapshot import Snapshot
from auditkit.urls import is_http, normalize
from auditkit_plugins.services.fields import (
    Labels,
    extract_fields,
    group_records,
    header_tables,
    heading,
    page_chunks,
    per_snapshot,
)


@cache
def label_table() -> dict[str, dict[str, list[str]]]:
    """``data/labels.yaml``: message and survey fields with the labels pages print."""
    return yaml.safe_load(resources.files("auditkit_plugins.interaction").joinpath("data/labels.yaml")
                          .read_text("utf-8"))


@cache
def message_labels() -> Labels:
    return Labels(label_table()["messages"])


@dataclass
class Message:
    url: str  # its detail page, or the list page it is printed on
    title: str
    asked: date | None
    answered: date | None
    office: str
    status: str
    replied: bool
    channel: str  # the column it was published in, as the breadcrumb or title says
    detail: bool  # read from its own detail page

    @property
    def latency(self) -> int | None:
        return (self.answered - self.asked).days if self.asked and self.answered else None


def channel_name(tree: LexborHTMLParser, page: PageRecord, hints: list[str]) -> str:
    """The breadcrumb's text (当前位置：首页 > 互动交流 > 县长信箱), else the page title."""
    tokens = tuple(h.lower() for h in hints)
    for node in tree.css("[id], [class]"):
        marker = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}".lower()
        if any(t in marker for t in tokens):
            # some templates mark each breadcrumb link (a.CurrChnlCls), not the breadcrumb
            node = node.parent if node.tag == "a" and node.parent is not None else node
            text = re.sub(r"\s+", " ", node.text(separator=" ")).strip()
            if 0 < len(text) <= 200:
                return text
    return page.title


def _first_date(value: str, as_of: date) -> date | None:
    found = find_dates(value, as_of, implied_year=False)
    return found[0] if found else None


def _message(values: dict[str, str], url: str, title: str, channel: str, detail: bool, as_of: date,
             settings: dict[str, Any]) -> Message:
    status = values.get("status", "").strip()
    reply = values.get("reply", "").strip()
    answered = _first_date(values.get("answered", ""), as_of)
    pending = any(s in status for s in settings["pending_statuses"]) or \
        any(p in reply for p in settings["pending_reply_phrases"])
    replied = not pending and (answered is not None or any(s in status for s in settings["replied_statuses"])
                               or bool(reply))
    return Message(url=url, title=values.get("title") or title, asked=_first_date(values.get("asked", ""), as_of),
                   answered=answered if replied else None, office=values.get("office", "").strip(),
                   status=status or ("已回复" if replied else "未回复"), replied=replied, channel=channel,
                   detail=detail)


def read_messages(page: PageRecord, tree: LexborHTMLParser, as_of: date, settings: dict[str, Any]) -> list[Message]:
    """The messages printed on one page: table rows under a labelled header, labelled blocks."""
    base = page.final_url or page.url
    labels = message_labels()
    channel = channel_name(tree, page, settings["breadcrumb_hints"])
    found: list[Message] = []
    for row in header_tables(tree, base, labels):
        if "asked" not in row.values:
            continue
        url, text = next(iter(row.links), (f"{page.url}#{len(found) + 1}", ""))
        found.append(_message(row.values, url, text, channel, False, as_of, settings))
    if found:
        return found
    records = [r for r in group_records(extract_fields(page_chunks(tree, base, settings["layout_hints"]), labels))
               if "asked" in r]
    title = heading(tree, settings["layout_hints"])
    for i, record in enumerate(records):
        values = {name: item.value for name, item in record.items()}
        links = [url for item in record.values() for url, _ in item.links]
        single = len(records) == 1
        url = page.url if single else (links[0] if links else f"{page.url}#{i + 1}")
        found.append(_message(values, url, title if single else "", channel, single, as_of, settings))
    return found


def _merge(listed: Message, detailed: Message) -> Message:
    """A detail page knows best; the list row fills what it leaves out."""
    return replace(detailed, title=detailed.title or listed.title, asked=detailed.asked or listed.asked,
                   answered=detailed.answered or listed.answered, office=detailed.office or listed.office)


def site_messages(snapshot: Snapshot, settings: dict[str, Any]) -> list[Message]:
    """Every published message, once (a list row and its detail page merged), in crawl order."""

    def compute() -> list[Message]:
        words = [w for w in label_table()["messages"]["asked"]]
        by_url: dict[str, Message] = {}
        for page in snapshot.html_pages():
            if not any(w in page.text for w in words):
                continue
            tree = snapshot.parse(page.url)
            if tree is None:
                continue
            for message in read_messages(page, tree, snapshot.as_of, settings):
                known = by_url.get(message.url)
                if known is None:
                    by_url[message.url] = message
                elif message.detail and not known.detail:
                    by_url[message.url] = _merge(known, message)
                elif known.detail and not message.detail:
                    by_url[message.url] = _merge(message, known)
        return list(by_url.values())

    return per_snapshot(snapshot, "interaction.messages", settings, compute)


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list[str]  # names of the inputs a visitor fills in
    submit: bool

    @property
    def usable(self) -> bool:
        return is_http(self.action) and self.submit


def consultation_forms(snapshot: Snapshot, settings: dict[str, Any]) -> list[Form]:
    """Message forms on the crawled pages (a text area, and words of a consultation channel in
    the form, the title or the breadcrumb), inspected only: nothing is ever submitted."""
    found: list[Form] = []
    for page in snapshot.html_pages():
        if "<textarea" not in page.html.lower():
            continue
        tree = snapshot.parse(page.url)
        if tree is None:
            continue
        for form in tree.css("form"):
            if form.css_first("textarea") is None or form.attributes.get("role") == "search":
                continue
            where = channel_name(tree, page, settings["breadcrumb_hints"])
            context = f"{page.title} {where} {form.text(separator=' ')}"
            if not any(w in context for w in settings["channel_form_words"]):
                continue
            action = (form.attributes.get("action") or "").strip()
            target = normalize(urljoin(page.final_url or page.url, action)) if not action.startswith(
                ("#", "javascript:")) else action
            names = [n for node in form.css("input, textarea, select")
                     if (n := node.attributes.get("name")) and node.attributes.get("type") not in ("hidden", "submit")]
            submit = form.css_first("input[type=submit], button, input[type=image]") is not None
            found.append(Form(page.url, target or page.url, (form.attributes.get("method") or "get").lower(),
                              names, submit))
    return found
