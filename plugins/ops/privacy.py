"""隐私保护: personal data published on pages or in attachment names, a privacy
statement linked from the home page, personal-data forms sent in clear text and
cookies without HttpOnly/Secure. Reads the snapshot only.

Personal data never leaves this module unmasked: findings carry masked values
and snippets cut from masked text.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding, PageRecord, Severity
from auditkit.urls import has_extension
from auditkit_plugins.ops.security import Item, scored_result

#: first two digits of a resident ID: province-level division codes (GB/T 2260), 81–83 for
#: residence permits of Hong Kong, Macao and Taiwan residents
PROVINCE_CODES = frozenset(
    [str(n) for n in (*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55),
                      *range(61, 66), 71, 81, 82, 83)]
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# Digit runs are matched whole: a mobile number inside an ID or an account number is not one.
ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![\d])1[3-9]\d{9}(?![\d])")
CARD_CANDIDATE = re.compile(r"(?<![\d])(?:\d{16,19}|\d{4}(?: \d{4}){3}(?: \d{1,3})?)(?![\d])")

KINDS = {"id_number": "居民身份证号码", "bank_card": "银行卡号", "mobile": "手机号码"}
SEVERITY: dict[str, Severity] = {"id_number": "critical", "bank_card": "critical", "mobile": "serious"}
CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
SKIP_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image", "checkbox", "radio", "file", "range", "color"}


# --- personal data --------------------------------------------------------------


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a resident ID number."""
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def plausible_birth_date(number: str, as_of: date, min_year: int) -> bool:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return min_year <= born.year and born <= as_of


def valid_id_number(number: str, as_of: date, min_year: int = 1900) -> bool:
    """An 18-character resident ID: province code, a birth date that can be, and its check character."""
    return (len(number) == 18 and number[:17].isdigit() and number[:2] in PROVINCE_CODES
            and plausible_birth_date(number, as_of, min_year) and id_check_char(number[:17]) == number[17].upper())


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def bank_card_number(candidate: str, prefixes: list[dict[str, Any]]) -> bool:
    digits = candidate.replace(" ", "")
    if not luhn_valid(digits):
        return False
    return any(digits.startswith(str(p["prefix"])) and len(digits) in p["lengths"] for p in prefixes)


def mask(kind: str, value: str) -> str:
    """Same length as the value, so positions in masked text still line up."""
    if kind == "id_number":
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if kind == "mobile":
        return value[:3] + "****" + value[-4:]
    # bank card: first and last four digits, spaces kept
    digit_positions = [i for i, c in enumerate(value) if c.isdigit()]
    hidden = set(digit_positions[4:-4])
    return "".join("*" if i in hidden else c for i, c in enumerate(value))


@dataclass(frozen=True)
class Hit:
    kind: str
    start: int
    end: int
    masked: str
    digest: str  # tells equal values apart without keeping them


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


@dataclass
class Scanner:
    as_of: date
    settings: dict[str, Any]

    def hits(self, text: str) -> list[Hit]:
        s = self.settings
        min_year = int(s["privacy_id_min_birth_year"])
        found: list[Hit] = []
        taken: list[tuple[int, int]] = []
        for m in ID_CANDIDATE.finditer(text):
            if valid_id_number(m.group(), self.as_of, min_year):
                found.append(Hit("id_number", m.start(), m.end(), mask("id_number", m.group()),
                                 _digest(m.group().upper())))
                taken.append(m.span())
        for m in CARD_CANDIDATE.finditer(text):
            value = m.group()
            digits = value.replace(" ", "")
            # an 18-digit number with a birth date where an ID has it is an ID (valid or mistyped), not a card
            if len(digits) == 18 and digits[:2] in PROVINCE_CODES and \
                    plausible_birth_date(digits, self.as_of, min_year):
                continue
            if bank_card_number(value, s["privacy_bank_card_prefixes"]):
                found.append(Hit("bank_card", m.start(), m.end(), mask("bank_card", value), _digest(digits)))
                taken.append(m.span())
        labels = s["privacy_mobile_public_labels"]
        window = int(s["privacy_mobile_label_window"])
        for m in MOBILE.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            before = text[max(0, m.start() - window):m.start()]
            if any(label in before for label in labels):
                continue  # a published official contact number
            found.append(Hit("mobile", m.start(), m.end(), mask("mobile", m.group()), _digest(m.group())))
        return sorted(found, key=lambda h: h.start)


def masked_text(text: str, hits: list[Hit]) -> str:
    parts, at = [], 0
    for hit in hits:
        parts += [text[at:hit.start], hit.masked]
        at = hit.end
    parts.append(text[at:])
    return "".join(parts)


def snippet(masked: str, hit: Hit, chars: int) -> str:
    return " ".join(masked[max(0, hit.start - chars):hit.end + chars].split())


@dataclass
class PageLeak:
    """Personal data of one kind on one page."""

    values: dict[str, str] = field(default_factory=dict)  # digest of the value → masked value
    sources: set[str] = field(default_factory=set)
    snippet: str = ""
    attachments: list[str] = field(default_factory=list)  # masked attachment URLs


def scan_personal_data(leaks: dict[str, dict[str, PageLeak]], page: PageRecord, scanner: Scanner,
                       settings: dict[str, Any]) -> None:
    """Add what one page shows to ``leaks`` (kind → page URL → masked values)."""
    chars = int(settings["privacy_snippet_chars"])

    def record(source: str, text: str, attachment: str | None = None) -> None:
        hits = scanner.hits(text)
        if not hits:
            return
        masked = masked_text(text, hits)
        for hit in hits:
            leak = leaks[hit.kind].setdefault(page.url, PageLeak())
            leak.values.setdefault(hit.digest, hit.masked)
            leak.sources.add(source)
            if not leak.snippet:
                leak.snippet = snippet(masked, hit, chars)
            if attachment:
                masked_url = mask_all(scanner, attachment)
                if masked_url not in leak.attachments:
                    leak.attachments.append(masked_url)

    record("页面标题", page.title)
    record("页面正文", page.text)
    for link in page.links:
        if link.kind != "a" or not has_extension(link.url, settings["privacy_attachment_extensions"]):
            continue
        record("附件名称", unquote(urlsplit(link.url).path.rsplit("/", 1)[-1]), link.url)
        record("附件链接文字", link.text, link.url)


def mask_all(scanner: Scanner, text: str) -> str:
    """Any text that goes into a finding (URLs included) with every personal value masked."""
    decoded = unquote(text)
    hits = scanner.hits(decoded)
    return masked_text(decoded, hits) if hits else text


def personal_data_items(leaks: dict[str, dict[str, PageLeak]], scanner: Scanner, settings: dict[str, Any]
                        ) -> list[Item]:
    names = {"id_number": "未公开居民身份证号码", "bank_card": "未公开银行卡号", "mobile": "未公开个人手机号码"}
    cap = int(settings["privacy_max_values_per_finding"])
    items = []
    for kind in ("id_number", "bank_card", "mobile"):
        item = Item(kind, names[kind])
        pages = leaks.get(kind, {})
        if not pages:
            items.append(item.passed(f"未发现{KINDS[kind]}"))
            continue
        findings = []
        for page, leak in sorted(pages.items()):
            masked = sorted(set(leak.values.values()))
            where = "、".join(sorted(leak.sources))
            findings.append(Finding(
                severity=SEVERITY[kind],
                message=f"{where}公开了 {len(leak.values)} 个{KINDS[kind]}：{'、'.join(masked[:3])}"
                        + ("等" if len(masked) > 3 else ""),
                url=mask_all(scanner, page),
                evidence=Evidence(snippet=leak.snippet, values={
                    "kind": KINDS[kind], "count": len(leak.values), "masked_values": masked[:cap],
                    "sources": sorted(leak.sources), "attachments": leak.attachments[:cap]}),
            ))
        total = len({key for leak in pages.values() for key in leak.values})
        items.append(item.fail(f"{len(pages)} 个页面公开了 {total} 个{KINDS[kind]}", findings))
    return items


# --- privacy statement ------------------------------------------------------------


def privacy_policy_item(ctx: CheckContext, home: PageRecord, titled_pages: list[str]) -> Item:
    """``titled_pages``: crawled pages whose title names a privacy statement."""
    item = Item("privacy_policy", "首页提供隐私声明")
    words = ctx.settings["privacy_policy_link_words"]
    links = [link for link in home.links if link.kind == "a" and any(w in link.text for w in words)]
    for link in links:
        status = ctx.snapshot.link_status(link.url)
        if status is None or status.ok:
            return item.passed(f"首页链接「{link.text}」→ {link.url}")
    if links:
        link = links[0]
        status = ctx.snapshot.link_status(link.url)
        problem = f"HTTP {status.status}" if status and status.status else (status.error if status else "")
        return item.fail(f"首页的「{link.text}」链接无法访问（{problem}）", [Finding(
            severity="moderate", message=f"首页隐私声明链接无法访问（{problem}）", url=home.final_url or home.url,
            evidence=Evidence(snippet=link.text, values={"target": link.url}))])
    elsewhere = titled_pages[0] if titled_pages else None
    note = "首页没有隐私声明（隐私政策）链接" + (f"；站内页面 {elsewhere} 未从首页链接" if elsewhere else "")
    return item.fail(note, [Finding(
        severity="moderate", message="首页未提供隐私声明（隐私政策）链接", url=home.final_url or home.url,
        evidence=Evidence(values={"words": words, "policy_page_elsewhere": elsewhere}))])


# --- forms ------------------------------------------------------------------------


def _tokens(identifier: str) -> set[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", identifier)  # realName → real name
    return {t for t in re.split(r"[^a-z0-9]+", spaced.lower()) if t}


def _field_label(tree_labels: dict[str, str], node: LexborNode) -> str:
    """What a visitor reads for a field: its <label>, the header cell of its table row, hints."""
    attrs = node.attributes
    parts = [tree_labels.get(attrs.get("id") or "", ""), attrs.get("placeholder") or "", attrs.get("title") or "",
             attrs.get("aria-label") or ""]
    parent = node.parent
    while parent is not None and parent.tag not in ("label", "tr", "form", "body"):
        parent = parent.parent
    if parent is not None and parent.tag in ("label", "tr"):
        cells = parent.css("th") if parent.tag == "tr" else [parent]
        parts += [c.text(strip=True) for c in cells]
    label = " ".join(dict.fromkeys(p for p in parts if p))  # a <label> is often also the row's header
    return CJK_GAP.sub("", label)  # "姓　　名" → "姓名"


def personal_fields(form: LexborNode, labels: dict[str, str], keywords: list[str], types: list[str]
                    ) -> list[str]:
    fields = []
    for node in form.css("input, select, textarea"):
        kind = (node.attributes.get("type") or "text").lower() if node.tag == "input" else node.tag
        if kind in SKIP_INPUT_TYPES:
            continue
        label = _field_label(labels, node)
        identifier = " ".join(node.attributes.get(a) or "" for a in ("name", "id"))
        tokens = _tokens(identifier)
        haystack = f"{label} {identifier}".lower()
        for word in keywords:
            word_l = word.lower()
            if not word_l.isascii():
                hit = word_l in label or word_l in identifier
            elif len(word_l) < 5:
                hit = word_l in tokens  # "name" the word, not "username"
            else:
                hit = word_l in haystack
            if hit:
                break
        else:
            hit = kind in types
        if hit:
            fields.append(label or identifier or kind)
    return fields


@dataclass
class FormUse:
    action: str
    method: str
    fields: list[str]
    pages: list[str] = field(default_factory=list)
    snippet: str = ""


@dataclass
class FormScan:
    personal: int = 0  # forms collecting personal data
    insecure: dict[tuple[str, str], FormUse] = field(default_factory=dict)  # by action and fields

    def add(self, page: PageRecord, settings: dict[str, Any]) -> None:
        if "<form" not in page.html.lower():
            return
        keywords = settings["privacy_form_field_keywords"]
        types = [t.lower() for t in settings["privacy_form_sensitive_types"]]
        tree = LexborHTMLParser(page.html)
        labels = {(n.attributes.get("for") or ""): n.text(strip=True) for n in tree.css("label[for]")}
        base = page.final_url or page.url
        for form in tree.css("form"):
            fields = personal_fields(form, labels, keywords, types)
            if not fields:
                continue
            self.personal += 1
            action = urljoin(base, (form.attributes.get("action") or "").strip())
            if base.lower().startswith("https://") and action.lower().startswith("https://"):
                continue
            method = (form.attributes.get("method") or "get").upper()
            # one finding per form, not per page: a login box in every page's header is one problem
            key = (action.split("?")[0], "|".join(sorted(fields)))
            use = self.insecure.setdefault(key, FormUse(action, method, fields))
            use.pages.append(page.url)
            if not use.snippet:
                use.snippet = f'<form action="{form.attributes.get("action") or ""}" method="{method.lower()}">'


def form_item(forms: FormScan, settings: dict[str, Any], scanner: Scanner) -> Item:
    item = Item("form_transport", "个人信息表单使用 HTTPS 提交")
    personal, insecure = forms.personal, forms.insecure
    if not personal:
        return item.not_applicable("未发现收集个人信息的表单")
    if not insecure:
        return item.passed(f"{personal} 个收集个人信息的表单均通过 HTTPS 提交")
    cap = int(settings["privacy_max_evidence_urls"])
    findings = []
    for use in insecure.values():
        page_http = not use.pages[0].lower().startswith("https://")
        where = "页面以明文 HTTP 提供" if page_http else f"提交到明文地址 {use.action}"
        findings.append(Finding(
            severity="serious",
            message=f"收集个人信息（{'、'.join(use.fields)}）的表单未加密传输：{where}",
            url=mask_all(scanner, use.pages[0]),
            evidence=Evidence(snippet=use.snippet, values={
                "fields": use.fields, "action": mask_all(scanner, use.action), "method": use.method,
                "pages": sorted({mask_all(scanner, p) for p in use.pages})[:cap]}),
        ))
    return item.fail(f"{len(insecure)} 个收集个人信息的表单未使用 HTTPS", findings)


# --- cookies ----------------------------------------------------------------------


@dataclass
class CookieSeen:
    name: str
    attributes: list[str]
    https: bool
    pages: list[str] = field(default_factory=list)

    @property
    def httponly(self) -> bool:
        return "httponly" in {a.split("=")[0].strip().lower() for a in self.attributes}

    @property
    def secure(self) -> bool:
        return "secure" in {a.split("=")[0].strip().lower() for a in self.attributes}

    def shown(self) -> str:
        # the value may be a session id: never shown
        return "; ".join([f"{self.name}=…", *self.attributes])


def scan_cookies(cookies: dict[str, CookieSeen], page: PageRecord) -> None:
    """Add the cookies one response set (the browser joins several Set-Cookie headers with newlines)."""
    header = next((v for k, v in page.headers.items() if k.lower() == "set-cookie"), "")
    https = (page.final_url or page.url).lower().startswith("https://")
    for line in header.split("\n"):
        pair, *attributes = [p.strip() for p in line.split(";")]
        name, _, value = pair.partition("=")
        attrs = [a for a in attributes if a]
        # a cookie being deleted carries no data
        deleting = not value or any(a.lower().replace(" ", "") == "max-age=0" for a in attrs)
        if not name.strip() or deleting:
            continue
        seen = cookies.setdefault(f"{name.strip()}|{https}", CookieSeen(name.strip(), attrs, https))
        seen.pages.append(page.url)


def cookie_items(cookies: dict[str, CookieSeen], settings: dict[str, Any], scanner: Scanner) -> list[Item]:
    cap = int(settings["privacy_max_evidence_urls"])
    httponly = Item("cookie_httponly", "Cookie 设置 HttpOnly")
    secure = Item("cookie_secure", "HTTPS 下 Cookie 设置 Secure")
    if not cookies:
        return [httponly.not_applicable("页面未通过 Set-Cookie 设置 Cookie"),
                secure.not_applicable("页面未通过 Set-Cookie 设置 Cookie")]

    def finding(c: CookieSeen, missing: str) -> Finding:
        return Finding(severity="moderate", message=f"Cookie {c.name} 未设置 {missing} 属性",
                       url=mask_all(scanner, c.pages[0]),
                       evidence=Evidence(snippet=f"Set-Cookie: {c.shown()}",
                                         values={"cookie": c.name, "pages": sorted(set(c.pages))[:cap]}))

    no_httponly = sorted((c for c in cookies.values() if not c.httponly), key=lambda c: c.name)
    if no_httponly:
        httponly.fail("未设置 HttpOnly：" + "、".join(sorted({c.name for c in no_httponly})),
                      [finding(c, "HttpOnly") for c in no_httponly])
    else:
        httponly.passed(f"{len(cookies)} 个 Cookie 均设置 HttpOnly")
    over_https = [c for c in cookies.values() if c.https]
    no_secure = sorted((c for c in over_https if not c.secure), key=lambda c: c.name)
    if not over_https:
        secure.not_applicable("没有通过 HTTPS 设置的 Cookie")
    elif no_secure:
        secure.fail("未设置 Secure：" + "、".join(sorted({c.name for c in no_secure})),
                    [finding(c, "Secure") for c in no_secure])
    else:
        secure.passed(f"{len(over_https)} 个 HTTPS Cookie 均设置 Secure")
    return [httponly, secure]


# --- the check --------------------------------------------------------------------


@check(
    id="ops.privacy",
    title="隐私保护（个人信息泄露、隐私声明、表单与 Cookie 安全）",
    indicators=["运维保障/隐私保护", "数据支撑度/数据安全/隐私保护"],
    needs=["pages", "resources"],
)
def privacy(ctx: CheckContext) -> CheckResult:
    """Resident ID numbers (valid check character and birth date), bank card numbers
    (Luhn and an issuer prefix) and mobile numbers in page text and attachment names,
    shown masked; a privacy statement linked from the home page; forms collecting
    personal data over plain http; cookies without HttpOnly, or without Secure on
    https. Score: 1 − the weighted share of failed items."""
    s = ctx.settings
    home = ctx.snapshot.home
    if home is None or not home.ok:
        return ctx.not_applicable("首页未能打开，无法检查隐私保护")
    scanner = Scanner(ctx.as_of, s)
    words = s["privacy_policy_link_words"]
    leaks: dict[str, dict[str, PageLeak]] = defaultdict(dict)
    forms = FormScan()
    cookies: dict[str, CookieSeen] = {}
    titled: list[str] = []
    scanned = 0
    # One pass, page by page: the snapshot streams from SQLite and so does this.
    for page in ctx.snapshot.pages():
        scan_cookies(cookies, page)
        if not (page.ok and page.html):
            continue
        scanned += 1
        scan_personal_data(leaks, page, scanner, s)
        forms.add(page, s)
        if any(w in page.title for w in words):
            titled.append(page.url)
    items = [*personal_data_items(leaks, scanner, s), privacy_policy_item(ctx, home, titled),
             form_item(forms, s, scanner), *cookie_items(cookies, s, scanner)]
    return scored_result(ctx, items, s["privacy_weights"], "隐私保护", {
        "pages_scanned": scanned,
        "personal_data_pages": {KINDS[k]: len(v) for k, v in leaks.items()},
        "cookies": sorted({c.name for c in cookies.values()}),
    })
