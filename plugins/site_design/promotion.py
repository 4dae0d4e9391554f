"""网站推广 (开发区): links to the site's 政务新媒体 (微博、微信、App) and its language versions."""

from __future__ import annotations

from typing import Any

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Finding, Link

MEDIA = ("weibo", "wechat", "app")


def channel_links(links: list[Link], key: str, settings: dict[str, Any]) -> list[str]:
    """URLs of the links (or linked images) that lead to one channel."""
    words, parts = settings["promotion_words"][key], settings["promotion_url_parts"][key]
    found = set()
    for link in links:
        label = (link.alt if link.kind == "img" else link.text) or ""
        if (label and len(label) <= settings["promotion_max_label_chars"] and any(w in label for w in words)) or \
                (link.kind == "a" and any(p in link.url.lower() for p in parts)):
            found.add(link.url)
    return sorted(found)


@check(id="site_design.promotion", title="网站推广（政务新媒体、多语言版本）", indicators=["功能设计推广/网站推广"])
def promotion(ctx: CheckContext) -> CheckResult:
    """The home page (and the header, navigation and footer of every page) links to the site's official
    微博, 微信公众号 (a link or a QR image) and App, and to a version in another language. Whether those
    channels are active needs a person (their pages are not fetched)."""
    settings = ctx.settings
    home = ctx.snapshot.home
    if home is None or not home.ok:
        return ctx.needs_review("首页未能打开，无法检查政务新媒体和多语言版本入口")
    links = list(home.links)
    for page in ctx.snapshot.html_pages():
        links += [link for link in page.links if link.region in ("header", "nav", "footer")]
    found = {key: channel_links(links, key, settings) for key in settings["promotion_words"]}
    names, weights = settings["promotion_names"], settings["promotion_weights"]
    media = sum(bool(found[k]) for k in MEDIA) / len(MEDIA)
    score = weights["media"] * media + weights["language"] * bool(found["language"])
    no_media = not any(found[k] for k in MEDIA)
    findings = [Finding(severity="moderate" if key == "language" or no_media else "minor", url=home.url,
                        message=f"网站未提供{names[key]}入口") for key in found if not found[key]]
    present = "、".join(names[k] for k in found if found[k]) or "无"
    absent = "、".join(names[k] for k in found if not found[k]) or "无"
    reason = f"已提供：{present}；缺少：{absent}（新媒体账号是否活跃需人工查看）"
    return ctx.result(score=round(score, 4), reason=reason, findings=findings,
                      details={"入口": {names[k]: urls for k, urls in found.items()}})
