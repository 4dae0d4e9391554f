"""Finding the controls a visitor uses: search boxes, question inputs, and entries
such as 智能问答, 长辈版 or a 无障碍 toolbar.

One scoring, two sources: candidates are read either from a snapshot page's HTML
(selectolax; no browser, so it is unit-tested on real pages) or from the live DOM
(the ``*_JS`` scripts return the same fields), and the same Python functions rank
them. The accessibility plugin uses the entry finders too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page
from pydantic import BaseModel
from selectolax.lexbor import LexborHTMLParser, LexborNode

#: elements that may be typed into
INPUT_SELECTOR = "input:not([type]), input[type=text], input[type=search], textarea"
#: elements a visitor clicks
CLICKABLE_SELECTOR = "a, button, input[type=button], input[type=submit], input[type=image], [role=button], [onclick]"
TEXT_TYPES = {"", "text", "search"}

# Runs in a frame: every typeable element with what names it (same fields as _input_from_node).
INPUTS_JS = r"""
(sel) => [...document.querySelectorAll(sel)].map((el, index) => {
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  const label = (el.labels && el.labels[0] ? el.labels[0].innerText : '') || el.getAttribute('aria-label') || '';
  const form = el.form;
  return {
    index, tag: el.tagName.toLowerCase(), type: (el.getAttribute('type') || '').toLowerCase(),
    names: [el.id, el.getAttribute('name'), el.className, el.getAttribute('placeholder'), el.title,
            el.getAttribute('value'), label].filter(Boolean).join(' '),
    form: form ? [form.getAttribute('action'), form.id, form.getAttribute('name'), form.className]
      .filter(Boolean).join(' ') : '',
    visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && !el.disabled,
  };
})
"""

# Runs in a frame: every clickable element with its text (same fields as _control_from_node).
CONTROLS_JS = r"""
(sel) => [...document.querySelectorAll(sel)].map((el, index) => {
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  const img = el.querySelector('img');
  return {
    index, tag: el.tagName.toLowerCase(),
    text: ((el.innerText || el.value || '') + '').trim().slice(0, 80),
    title: [el.title, el.getAttribute('aria-label'), el.getAttribute('alt'), img ? img.alt : '']
      .filter(Boolean).join(' '),
    href: el.getAttribute('href') || '',
    visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none',
  };
})
"""


class InputCandidate(BaseModel):
    index: int
    tag: str
    type: str = ""
    names: str = ""  # id, name, class, placeholder, title, value, label
    form: str = ""  # the enclosing form's action, id, name, class
    visible: bool = True


class Control(BaseModel):
    index: int
    tag: str
    text: str = ""
    title: str = ""  # title, aria-label, alt
    href: str = ""
    visible: bool = True

    @property
    def label(self) -> str:
        return self.text or self.title


def _words(text: str) -> set[str]:
    """Lower-case ASCII words and the whole text (Chinese hints match as substrings)."""
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _hint_score(text: str, hints: Iterable[str]) -> int:
    lowered, words = text.lower(), _words(text)
    score = 0
    for hint in hints:
        hint = hint.lower()
        ascii_hint = hint.isascii()
        # ASCII hints must be whole words ("q", "kw") or word prefixes of 4+ letters ("searchword")
        if (ascii_hint and (hint in words or (len(hint) >= 4 and any(w.startswith(hint) for w in words)))) or (
                not ascii_hint and hint in lowered):
            score += 1
    return score


def rank_inputs(candidates: Sequence[InputCandidate], hints: Sequence[str], form_hints: Sequence[str] = (),
                exclude: Sequence[str] = ()) -> list[InputCandidate]:
    """Visible text inputs that look like the wanted box, best first (none when nothing hints at it)."""
    scored = []
    for c in candidates:
        if not c.visible or c.type not in TEXT_TYPES or _hint_score(c.names, exclude):
            continue
        score = 3 * _hint_score(c.names, hints) + 2 * _hint_score(c.form, form_hints) - 3 * _hint_score(c.form,
                                                                                                         exclude)
        if score > 0:
            scored.append((score, -c.index, c))
    return [c for *_, c in sorted(scored, key=lambda s: (s[0], s[1]), reverse=True)]


def match_controls(controls: Sequence[Control], markers: Sequence[str], href_hints: Sequence[str] = (),
                   max_text_chars: int = 20) -> list[Control]:
    """Controls whose short text or title names a marker (or whose URL path has a hint), visible first."""
    found = []
    for c in controls:
        label = " ".join(c.label.split())
        named = len(label) <= max_text_chars and any(m.lower() in label.lower() for m in markers)
        path = c.href.split("?", 1)[0].lower()
        pointed = bool(href_hints) and not c.href.startswith("javascript") and any(
            re.search(rf"(^|[/_.-]){re.escape(h.lower())}([/_.-]|$)", path) for h in href_hints)
        if named or pointed:
            found.append((not c.visible, not named, len(label), c.index, c))
    return [c for *_, c in sorted(found, key=lambda f: f[:4])]


# --- from a snapshot page's HTML ------------------------------------------------


def _attr(node: LexborNode, name: str) -> str:
    return (node.attributes.get(name) or "").strip()


def _hidden(node: LexborNode) -> bool:
    """Hidden as far as HTML alone tells (inline styles, hidden attributes, hidden ancestors)."""
    for n in (node, *_ancestors(node)):
        style = _attr(n, "style").replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style or "hidden" in n.attributes:
            return True
    return False


def _ancestors(node: LexborNode) -> Iterable[LexborNode]:
    parent = node.parent
    while parent is not None and parent.tag not in ("html", "-undef"):
        yield parent
        parent = parent.parent


def inputs_in_html(tree: LexborHTMLParser) -> list[InputCandidate]:
    labels = {_attr(label, "for"): label.text(strip=True) for label in tree.css("label[for]")}
    out = []
    for index, node in enumerate(tree.css(INPUT_SELECTOR)):
        form = next((a for a in _ancestors(node) if a.tag == "form"), None)
        names = [_attr(node, k) for k in ("id", "name", "class", "placeholder", "title", "value", "aria-label")]
        names.append(labels.get(_attr(node, "id"), ""))
        form_names = [_attr(form, k) for k in ("action", "id", "name", "class")] if form is not None else []
        out.append(InputCandidate(
            index=index, tag=node.tag or "", type=_attr(node, "type").lower(),
            names=" ".join(n for n in names if n), form=" ".join(n for n in form_names if n),
            visible=not _hidden(node) and "disabled" not in node.attributes))
    return out


def controls_in_html(tree: LexborHTMLParser) -> list[Control]:
    out = []
    for index, node in enumerate(tree.css(CLICKABLE_SELECTOR)):
        img = node.css_first("img")
        titles = [_attr(node, "title"), _attr(node, "aria-label"), _attr(node, "alt"),
                  _attr(img, "alt") if img is not None else ""]
        out.append(Control(index=index, tag=node.tag or "", text=(node.text(strip=True) or _attr(node, "value"))[:80],
                           title=" ".join(t for t in titles if t), href=_attr(node, "href"),
                           visible=not _hidden(node)))
    return out


def node_snippet(tree: LexborHTMLParser, selector: str, index: int, limit: int = 300) -> str:
    """The HTML of the index-th match of selector (evidence for the report)."""
    nodes = tree.css(selector)
    return (nodes[index].html or "")[:limit] if index < len(nodes) else ""


# --- in the browser -------------------------------------------------------------


async def live_inputs(frame: Page | Frame) -> list[InputCandidate]:
    return [InputCandidate.model_validate(c) for c in await frame.evaluate(INPUTS_JS, INPUT_SELECTOR)]


async def live_controls(frame: Page | Frame) -> list[Control]:
    return [Control.model_validate(c) for c in await frame.evaluate(CONTROLS_JS, CLICKABLE_SELECTOR)]


async def click(frame: Page | Frame, control: Control, timeout_ms: float) -> None:
    """Click like a visitor; a control Playwright cannot click (covered, zero-size) gets a DOM click."""
    locator = frame.locator(CLICKABLE_SELECTOR).nth(control.index)
    try:
        await locator.click(timeout=timeout_ms)
    except PlaywrightError:
        await locator.evaluate("el => el.click()", timeout=timeout_ms)

