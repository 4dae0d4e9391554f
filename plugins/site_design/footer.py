"""Footer identity elements (政府网站发展指引 国办发〔2017〕47号, standards §2)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding, PageRecord
from auditkit.urls import host_of, is_loopback

# Short names as filing numbers write them (both 云 and 滇, 贵 and 黔, 甘 and 陇 occur).
PROVINCES = "京津沪渝冀豫云滇辽黑湘皖鲁新苏浙赣鄂桂甘陇晋蒙陕秦吉闽贵黔粤青藏川蜀宁琼"
SITE_CODE = re.compile(r"网站标识码\s*[：:]?\s*([A-Za-z]*\d+)")
ICP = re.compile(rf"[{PROVINCES}]\s*ICP\s*[备证]\s*\d{{6,10}}(?:\s*号)?(?:\s*-\s*\d+)?")
PSB = re.compile(rf"([{PROVINCES}]?)\s*公网安备\s*(\d+)\s*号")
# Many sites name the sponsor only as the copyright holder (版权所有：…管委会).
SPONSOR = re.compile(r"(?:主办(?:单位)?|版权所有)\s*[：:]\s*\S{2,}")
CONTACT = re.compile(
    r"(?:联系电话|电话|联系方式|Tel|TEL)\s*[：:]?\s*[\d（）()\-—\s]{7,}|[\w.-]+@[\w-]+\.[\w.]+|联系我们"
)
SITEMAP = re.compile(r"网站地图|站点地图")


@dataclass(frozen=True)
class Element:
    id: str
    name: str


ELEMENTS = (
    Element("gov_site_mark", "党政机关网站标识"),
    Element("site_code", "网站标识码"),
    Element("sponsor", "主办单位"),
    Element("contact", "联系方式"),
    Element("icp_filing", "ICP 备案编号"),
    Element("psb_filing", "公安机关备案标识"),
    Element("sitemap", "网站地图"),
    Element("gov_domain", ".gov.cn 域名"),
)


def _footer_node(tree: LexborHTMLParser, hints: list[str]) -> LexborNode | None:
    """The outermost element that says it is the footer (tag, id or class)."""
    pattern = re.compile("|".join(re.escape(h) for h in hints), re.IGNORECASE)

    def is_footer(node: LexborNode) -> bool:
        marker = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}"
        return node.tag == "footer" or bool(pattern.search(marker))

    footer = None
    for node in tree.css("footer, [id], [class]"):
        if not is_footer(node) or len(node.text(strip=True)) <= 10:
            continue
        parent = node.parent
        while parent is not None and not is_footer(parent):
            parent = parent.parent
        if parent is None:
            footer = node  # keep the last outermost match: the page's real foot
    return footer


def inspect_footer(page: PageRecord, settings: dict) -> tuple[dict[str, str | None], dict[str, str], str]:
    """Per element: the text found (None when absent); malformed elements with why; the footer text."""
    tree = LexborHTMLParser(page.html)
    node = _footer_node(tree, settings["footer_hints"])
    # Real footers are often split: part in a div.footer, part in a bare <p> or
    # table cell after it, so the page's last lines are searched as well.
    tail = page.text[-settings["footer_tail_chars"]:]
    text = re.sub(r"\s+", " ", f"{node.text(separator=' ', strip=True) if node else ''} {tail}").strip()
    markup = ((node.html or "") if node else "") + page.html[-6000:]
    found: dict[str, str | None] = {}
    malformed: dict[str, str] = {}

    code = SITE_CODE.search(text)
    found["site_code"] = code.group(1) if code else None
    if code and not any(re.match(p, code.group(1)) for p in settings["site_code_patterns"]):
        malformed["site_code"] = f"网站标识码 {code.group(1)} 格式不符（应为 10 位数字或 bm+8 位数字）"
    icp = ICP.search(text)
    found["icp_filing"] = icp.group(0) if icp else None
    psb = PSB.search(text)
    found["psb_filing"] = psb.group(0) if psb else None
    if psb and len(psb.group(2)) != 14:
        malformed["psb_filing"] = f"公安备案号 {psb.group(2)} 不是 14 位数字"
    sponsor = SPONSOR.search(text)
    found["sponsor"] = sponsor.group(0) if sponsor else None
    contact = CONTACT.search(text)
    found["contact"] = contact.group(0).strip() if contact else None
    mark = next((m for m in settings["gov_site_mark_markers"] if m.lower() in markup.lower()), None)
    found["gov_site_mark"] = mark
    sitemap = next((link.text for link in page.links if link.kind == "a" and SITEMAP.search(link.text)), None)
    found["sitemap"] = sitemap
    host = host_of(page.final_url or page.url)
    if is_loopback(host) or re.fullmatch(r"[\d.]+", host):
        found["gov_domain"] = "n/a"  # a local copy: the real domain is not visible here
    else:
        found["gov_domain"] = host if host.endswith(".gov.cn") else None
    return found, malformed, text


@check(
    id="site_design.footer_identity",
    title="底部功能区标识（党政机关标识、网站标识码、主办单位、ICP、公安备案、网站地图）",
    indicators=["功能设计推广/设计规范"],
)
def footer_identity(ctx: CheckContext) -> CheckResult:
    """The home page footer shows the identity elements 政府网站发展指引 requires, each well-formed."""
    home = ctx.snapshot.home
    if home is None or not home.ok or not home.html:
        return ctx.needs_review("首页未能打开，无法检查底部标识")
    found, malformed, text = inspect_footer(home, ctx.settings)
    judged = [e for e in ELEMENTS if found.get(e.id) != "n/a"]
    good = [e for e in judged if found.get(e.id) and e.id not in malformed]
    findings = []
    for element in judged:
        if element.id in malformed:
            message = malformed[element.id]
        elif not found.get(element.id):
            message = f"底部缺少{element.name}"
        else:
            continue
        findings.append(Finding(severity="moderate", message=message, url=home.url,
                                evidence=Evidence(snippet=text[:600], values={"element": element.id})))
    missing = [e.name for e in judged if e not in good]
    reason = f"{len(good)}/{len(judged)} 项底部标识齐全且格式正确"
    reason += f"；缺少或有误：{'、'.join(missing)}" if missing else ""
    if found.get("gov_domain") == "n/a":
        reason += "；本地地址，未判定 .gov.cn 域名"
    return ctx.result(score=len(good) / len(judged), reason=reason, findings=findings,
                      details={"elements": found})
