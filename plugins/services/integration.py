"""服务集成度 (topic navigation, 一件事一次办), 服务一体化 (the provincial platform) and the
development zones' service themes (企业开办, 经营纳税, 项目投资, 就业创业, 公共服务).

Column discovery (``auditkit/columns.py``) should later say which pages form the service
area; today it is every page below a path the site's 办事服务 / 政务服务 links lead to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml

from auditkit import Check, CheckContext, check
from auditkit.columns import is_layout, strip_site_name
from auditkit.models import CheckResult, Evidence, Finding, PageRecord
from auditkit.snapshot import Snapshot
from auditkit.urls import host_of, site_hosts
from auditkit_plugins.services.fields import page_chunks, per_snapshot
from auditkit_plugins.services.guides import site_guides
from auditkit_plugins.services.reach import find_links, page_titles


def _data(name: str) -> Any:
    return yaml.safe_load(resources.files("auditkit_plugins.services").joinpath(f"data/{name}").read_text("utf-8"))


@cache
def platforms() -> dict[str, list[str]]:
    return _data("platforms.yaml")


@cache
def zone_themes() -> dict[str, dict[str, Any]]:
    return _data("zone_themes.yaml")


def is_platform(url: str) -> bool:
    """A host of the national or a provincial unified government-service platform (data/platforms.yaml)."""
    host = host_of(url)
    table = platforms()
    return any(host == h or host.endswith("." + h) for h in table["hosts"]) or \
        any(re.search(p, host) for p in table["patterns"])


def _internal(snapshot: Snapshot, url: str) -> bool:
    return host_of(url) in site_hosts(snapshot.start_url, [])


def service_pages(snapshot: Snapshot, settings: dict[str, Any]) -> list[PageRecord]:
    """The service area: crawled pages below a path the site's service links lead to, and the guides."""

    def compute() -> list[PageRecord]:
        entries = find_links(snapshot, settings["service_entry_words"], max_chars=settings["entry_max_chars"])
        prefixes = {urlsplit(link.url).path.rsplit("/", 1)[0] + "/"
                    for link in entries if _internal(snapshot, link.url)} - {"/"}
        guides = {g.url for g in site_guides(snapshot, settings)}
        return [p for p in snapshot.html_pages()
                if p.url in guides or urlsplit(p.url).path.startswith(tuple(prefixes))]

    return per_snapshot(snapshot, "services.area", settings, compute)


def _texts(page: PageRecord) -> list[str]:
    return [link.text for link in page.links if link.kind == "a" and link.region != "footer" and link.text]


def navigation_labels(snapshot: Snapshot, pages: list[PageRecord], settings: dict[str, Any]) -> list[str]:
    """What a visitor reads as navigation: link texts, and short headings and tabs of the content."""
    labels: list[str] = []
    for page in pages:
        labels += _texts(page)
        tree = snapshot.parse(page.url)
        if tree is not None:
            labels += [line.text for line in page_chunks(tree, page.final_url or page.url, settings["layout_hints"])
                       if 0 < len(line.text) <= settings["entry_max_chars"]]
    return labels


@dataclass
class Package:
    """An 一件事一次办 package: a page or link whose title names one."""

    title: str
    url: str
    steps: int | None  # None: the page was not crawled
    online: bool


def _is_package_title(title: str, settings: dict[str, Any]) -> bool:
    """A package's own name ("开办餐饮店一件事"), not the name of the column that lists them."""
    if not any(w in title for w in settings["one_thing_words"]):
        return False
    rest = title
    for word in settings["one_thing_words"] + settings["one_thing_generic_words"]:
        rest = rest.replace(word, "")
    return len(re.sub(r"[\s“”\"《》「」、：:（）()—\-]+", "", rest)) >= 2


def _steps(snapshot: Snapshot, page: PageRecord, settings: dict[str, Any]) -> int:
    """Rows and items of the package page's content that name a step (事项, 登记, 第一步 …)."""
    tree = snapshot.parse(page.url)
    if tree is None:
        return 0
    hints = frozenset(h.lower() for h in settings["layout_hints"])
    count = 0
    for node in tree.css("li, tr"):
        ancestors, current = [], node
        while current is not None:
            ancestors.append(current)
            current = current.parent
        if any(is_layout(a, hints) for a in ancestors) or node.css_first("th"):
            continue
        text = node.text(strip=True)
        count += any(w in text for w in settings["one_thing_step_words"])
    return count


def one_thing_packages(snapshot: Snapshot, settings: dict[str, Any]) -> list[Package]:
    packages: dict[str, Package] = {}
    online_words = settings["online_entry_words"]
    for page in snapshot.html_pages():
        title = strip_site_name(page.title)
        if _is_package_title(title, settings):
            online = any(any(w in t for w in online_words) for t in _texts(page))
            packages[page.url] = Package(title, page.url, _steps(snapshot, page, settings), online)
    for link in find_links(snapshot, settings["one_thing_words"]):
        if link.url not in packages and _is_package_title(link.text, settings) and snapshot.page(link.url) is None:
            packages[link.url] = Package(link.text, link.url, None, is_platform(link.url))
    return list(packages.values())


@check(id="services.integration", title="服务集成度（主题导航、一件事一次办）",
       indicators=["办事服务/服务集成度", "服务成熟度/政务服务成熟度/服务集成度"],
       needs=["pages", "resources"])
def integration(ctx: CheckContext) -> CheckResult:
    """Topic navigation of the service area by audience (个人 / 法人) and by the seed's life
    events (教育、社保、住房、医疗、企业开办), and the 一件事一次办 packages with their steps.
    Score = weighted parts (settings integration_weights)."""
    s = ctx.settings
    area = service_pages(ctx.snapshot, s)
    home = ctx.snapshot.home
    texts = (_texts(home) if home else []) + navigation_labels(ctx.snapshot, area, s)
    person = sorted({w for t in texts for w in s["audience_person_words"] if w in t})
    legal = sorted({w for t in texts for w in s["audience_legal_words"] if w in t})
    audience = (bool(person) + bool(legal)) / 2
    topics = {name: next((t for t in texts if any(w in t for w in words)), None)
              for name, words in s["life_event_topics"].items()}
    covered = [name for name, text in topics.items() if text]
    packages = one_thing_packages(ctx.snapshot, s)
    weights = s["integration_weights"]
    parts = {"audience": audience, "life_events": len(covered) / len(topics),
             "one_thing": min(len(packages) / s["one_thing_target"], 1.0)}
    score = sum(weights[k] * v for k, v in parts.items()) / sum(weights.values())
    findings: list[Finding] = []
    if not person or not legal:
        findings.append(Finding(severity="moderate", url=ctx.snapshot.start_url,
                                message="办事服务未按办理对象分类导航（缺少“" + "”“".join(
                                    n for n, f in (("个人办事", person), ("法人办事", legal)) if not f) + "”入口）"))
    missing = [name for name in topics if not topics[name]]
    if missing:
        findings.append(Finding(severity="minor", url=ctx.snapshot.start_url,
                                message=f"未找到以下高频领域的主题导航：{'、'.join(missing)}"))
    for package in packages:
        if package.steps == 0:
            findings.append(Finding(severity="minor", url=package.url,
                                    message=f"“{package.title}”页面未列出办理事项或步骤"))
    reason = (f"办理对象导航：个人 {'有' if person else '无'}、法人 {'有' if legal else '无'}；"
              f"高频领域 {len(covered)}/{len(topics)}（{'、'.join(covered) or '无'}）；"
              f"“一件事一次办”集成服务 {len(packages)} 项（目标 {s['one_thing_target']} 项）；得分率 {score:.0%}")
    return ctx.result(
        score=round(score, 4), reason=reason, findings=findings,
        details={"办事服务页面数": len(area), "个人导航": person, "法人导航": legal,
                 "高频领域导航": {name: text or "—" for name, text in topics.items()},
                 "一件事一次办": [{"名称": p.title, "页面": p.url,
                                "事项/步骤数": "未抓取" if p.steps is None else p.steps,
                                "在线办理": "是" if p.online else "否"} for p in packages][: s["max_table_rows"]]},
    )


@check(id="services.platform_integration", title="服务一体化（跳转省级统一政务服务平台、统一身份认证）",
       indicators=["网上政务服务/服务一体化", "基础保障度/应用支撑/办事系统"], needs=["pages", "resources"])
def platform_integration(ctx: CheckContext) -> CheckResult:
    """Whether the site's service channels (办事服务 links, 在线办理 entries of its guides) lead
    to the unified provincial platform (hosts in data/platforms.yaml, or links saying 政务服务网),
    and whether users sign in through the platform's single sign-on. External links are judged
    by their target host, never fetched."""
    s = ctx.settings
    words = s["platform_channel_words"] + s["online_entry_words"]
    channels = {link.url: (link.text, link.page) for link in find_links(ctx.snapshot, words,
                                                                        max_chars=s["entry_max_chars"])}
    channels |= {url: (text, g.url) for g in site_guides(ctx.snapshot, s) for url, text in g.online_entries}

    def where(url: str, text: str) -> str:
        if is_platform(url) or (not _internal(ctx.snapshot, url) and any(w in text for w in s["platform_text_words"])):
            return "统一政务服务平台"
        return "本站页面" if _internal(ctx.snapshot, url) else "其他外部网站"

    rows = [{"入口": text or "—", "链接": url, "去向": where(url, text), "所在页面": page}
            for url, (text, page) in channels.items()]
    jumping = [r for r in rows if r["去向"] == "统一政务服务平台"]
    online = [r for r in rows if any(w in str(r["入口"]) for w in s["online_entry_words"])]
    # the online entries decide; without any, whether some service channel jumps at all
    jump = sum(r["去向"] == "统一政务服务平台" for r in online) / len(online) if online else float(bool(jumping))
    sso_links = [link for link in find_links(ctx.snapshot, s["sso_words"], max_chars=s["entry_max_chars"])
                 if is_platform(link.url) or "统一" in link.text]
    sso = 1.0 if sso_links else 0.0
    weights = s["platform_weights"]
    score = (weights["jump"] * jump + weights["sso"] * sso) / sum(weights.values())
    findings = [Finding(severity="moderate", url=str(r["所在页面"]),
                        message=f"在线办理入口“{r['入口']}”未跳转至省级统一政务服务平台，而是{r['去向']}",
                        evidence=Evidence(values={"target": r["链接"]}))
                for r in online if r["去向"] != "统一政务服务平台"]
    if not jumping:
        findings.append(Finding(severity="serious", url=ctx.snapshot.start_url,
                                message="未找到跳转至省级统一政务服务平台的服务入口"))
    if not sso:
        findings.append(Finding(severity="minor", url=ctx.snapshot.start_url,
                                message="未找到统一身份认证（省级平台登录）入口"))
    reason = (f"{len(rows)} 个服务入口中 {len(jumping)} 个跳转至统一政务服务平台"
              + (f"，在线办理入口跳转比例 {jump:.0%}" if online else "")
              + f"；统一身份认证入口：{'有' if sso else '无'}；得分率 {score:.0%}")
    return ctx.result(score=round(score, 4), reason=reason, findings=findings,
                      details={"服务入口": rows[: s["max_table_rows"]],
                               "统一身份认证": [{"入口": link.text, "链接": link.url} for link in sso_links]})


def _items_found(items: list[str | list[str]], corpus: str) -> tuple[list[str], list[str]]:
    """(found, missing) item names; an item is a word or a list of synonyms named by its first."""
    found, missing = [], []
    for item in items:
        words = [item] if isinstance(item, str) else item
        (found if any(w in corpus for w in words) else missing).append(words[0])
    return found, missing


def _theme_check(key: str, theme: dict[str, Any]) -> Check:
    name = theme["name"]

    def run(ctx: CheckContext) -> CheckResult:
        s = ctx.settings
        entries = find_links(ctx.snapshot, theme["entry"], max_chars=s["entry_max_chars"])
        urls = [url for url, title in page_titles(ctx.snapshot)
                if any(w in title for w in theme["entry"]) and len(title) <= s["entry_max_chars"]]
        pages = {}
        for url in urls + [link.url for link in entries]:
            page = ctx.snapshot.page(url)
            if page is not None and page.ok and page.html:
                pages.setdefault(page.url, page)
        if not entries and not pages:
            return ctx.result(score=0.0, reason=f"未找到“{name}”主题服务入口",
                              findings=[Finding(severity="serious", url=ctx.snapshot.start_url,
                                                message=f"网站未提供“{name}”主题服务")])
        if not pages:
            return ctx.needs_review(
                f"“{name}”入口指向未抓取的页面（{'、'.join(link.url for link in entries[:3])}），请人工核查主题内容",
                findings=[Finding(severity="info", url=link.page, message=f"“{link.text}”→ {link.url}")
                          for link in entries[:5]])
        corpus_parts: list[str] = []
        online = False
        for page in pages.values():
            tree = ctx.snapshot.parse(page.url)
            lines = page_chunks(tree, page.final_url or page.url, s["layout_hints"]) if tree else []
            corpus_parts += [line.text for line in lines]
            links = [link for line in lines for link in line.links]
            online = online or any(any(w in text for w in s["online_entry_words"]) or is_platform(url)
                                   for url, text in links)
        corpus = "\n".join(corpus_parts)
        services, missing_services = _items_found(theme["services"], corpus)
        gathered, missing_resources = _items_found(theme["resources"], corpus)
        one_thing = any(w in corpus for w in s["one_thing_words"])
        weights = s["theme_weights"]
        parts = {"entry": 1.0, "services": len(services) / len(theme["services"]),
                 "resources": len(gathered) / len(theme["resources"]), "one_thing": float(one_thing),
                 "online": float(online)}
        score = sum(weights[k] * v for k, v in parts.items()) / sum(weights.values())
        findings = [Finding(severity="moderate", url=next(iter(pages)),
                            message=f"“{name}”主题未整合：{'、'.join(missing_services)}")] if missing_services else []
        if missing_resources:
            findings.append(Finding(severity="minor", url=next(iter(pages)),
                                    message=f"“{name}”主题未汇聚：{'、'.join(missing_resources)}"))
        reason = (f"“{name}”主题 {len(pages)} 个页面：办事服务 {len(services)}/{len(theme['services'])}，"
                  f"资源 {len(gathered)}/{len(theme['resources'])}，一件事一次办{'有' if one_thing else '无'}，"
                  f"在线办理{'有' if online else '无'}；得分率 {score:.0%}")
        return ctx.result(score=round(score, 4), reason=reason, findings=findings, details={
            "主题页面": list(pages)[: s["max_table_rows"]], "已整合服务": services, "未整合服务": missing_services,
            "已汇聚资源": gathered, "未汇聚资源": missing_resources,
            "一件事一次办": one_thing, "在线办理": online})

    run.__doc__ = (f"Development zones' “{name}” theme: an entry, the services and resources the seed "
                   "names for it (data/zone_themes.yaml), 一件事一次办 and online handling on its pages. "
                   "Score = weighted parts (settings theme_weights).")
    return check(id=f"services.theme_{key}", title=f"{name}主题服务（开发区）", indicators=[theme["row"]],
                 needs=["pages", "resources"])(run)


THEME_CHECKS: list[Check] = [_theme_check(key, theme) for key, theme in zone_themes().items()]
