"""解读比例, 解读质量, 精准解读 and 热点回应 from the paired policy documents and interpretations."""

from __future__ import annotations

from typing import Any

from auditkit import CheckContext, check
from auditkit.columns import ColumnMap, discover
from auditkit.models import CheckResult, Evidence, Finding
from auditkit.urls import has_extension
from auditkit_plugins.policy_interpretation.pairing import Pairing, pair_policies

GOVERNMENT_AND_ZONE = ["政策解读回应/政策解读"]
PAIRED_BY = {"document_link": "文件页链接到解读", "interpretation_link": "解读页链接到文件", "title": "标题相同或相近"}
FORM_NAMES = {"infographic": "图解", "video": "视频", "audio": "音频", "animation": "动漫/H5"}


def _pairing(ctx: CheckContext) -> tuple[ColumnMap, Pairing]:
    cmap = discover(ctx.snapshot)
    return cmap, pair_policies(cmap, ctx.snapshot, ctx.settings)


@check(id="policy_interpretation.ratio", title="解读比例（政策解读栏目、文件解读比例、发布及时）",
       indicators=["政策解读/解读比例", *GOVERNMENT_AND_ZONE])
def ratio(ctx: CheckContext) -> CheckResult:
    """Whether there is a current 政策解读 column; the share of the policy documents listed that have
    an interpretation (paired by 相关解读/相关文件 links either way, then by title); and whether each
    interpretation came out within a few days of its document."""
    settings, as_of = ctx.settings, ctx.as_of
    _, pairing = _pairing(ctx)
    weights = settings["ratio_weights"]
    column = pairing.interpretation_column
    if not pairing.documents:
        return ctx.needs_review("未找到政策文件栏目或其中没有文件，无法计算解读比例")
    findings: list[Finding] = []
    age = (as_of - column.newest).days if column and column.found and column.newest else None
    current = age is not None and age <= settings["interpretation_window_days"]
    if not (column and column.found):
        findings.append(Finding(severity="serious", message="未找到政策解读栏目"))
    elif not current:
        late = f"最新解读已 {age} 天未更新" if age is not None else "没有带日期的解读"
        findings.append(Finding(severity="moderate", url=column.url,
                                message=f"政策解读栏目「{column.name_found}」{late}"))
    interpreted = [d for d in pairing.documents if pairing.interpretations_of(d.url)]
    share = len(interpreted) / len(pairing.documents)
    for document in pairing.documents:
        if document not in interpreted:
            findings.append(Finding(severity="moderate", url=document.url,
                                    message=f"政策文件「{document.title}」没有解读"))
    lags = []
    for document in interpreted:
        for pair in pairing.interpretations_of(document.url):
            if document.date and pair.interpretation.date:
                lags.append((pair.interpretation.date - document.date).days)
                break
    timely = sum(0 <= lag <= settings["interpretation_timely_days"] for lag in lags)
    timely_share = timely / len(lags) if lags else 0.0
    score = (weights["column"] * bool(column and column.found) + weights["current"] * current
             + weights["ratio"] * share + weights["timely"] * timely_share)
    reason = (f"政策解读栏目：{'「' + (column.name_found or '') + '」' if column and column.found else '未找到'}"
              f"{'，按时更新' if current else ''}；政策文件 {len(pairing.documents)} 件，有解读 {len(interpreted)} 件"
              f"（{share:.0%}）；可比较日期的 {len(lags)} 件中 {timely} 件在文件发布后 "
              f"{settings['interpretation_timely_days']} 天内解读")
    return ctx.result(score=round(score, 4), reason=reason, findings=findings, details={
        "政策文件栏目": pairing.document_column.row() if pairing.document_column else None,
        "政策解读栏目": column.row() if column else None,
        "文件数": len(pairing.documents), "有解读": len(interpreted), "解读比例": round(share, 3),
        "解读晚于文件的天数": lags,
        "文件与解读": [{"文件": p.document.title, "文件地址": p.document.url, "解读": p.interpretation.title,
                   "解读地址": p.interpretation.url, "关联依据": PAIRED_BY[p.how]} for p in pairing.pairs],
    })


def _forms(page_html: str, text: str, title: str, links: list[Any], settings: dict[str, Any]) -> list[str]:
    """Forms of an interpretation besides text: 图解, video, audio, 动漫/H5."""
    html = page_html.lower()
    words = settings["form_words"]
    found = []
    if any(w in title for w in words["infographic"]) or any(
            link.kind == "img" and link.alt and any(w in link.alt for w in words["infographic"]) for link in links):
        found.append("infographic")
    if "<video" in html or any(has_extension(link.url, settings["video_extensions"]) for link in links) or \
            any(w in title for w in words["video"]):
        found.append("video")
    if "<audio" in html or any(has_extension(link.url, settings["audio_extensions"]) for link in links) or \
            any(w in title for w in words["audio"]):
        found.append("audio")
    if any(w in title or w in text[:2000] for w in words["animation"]):
        found.append("animation")
    return found


def _source(text: str, labels: list[str]) -> str | None:
    for label in labels:
        at = text.find(label + "：")
        if at < 0:
            at = text.find(label + ":")
        if at >= 0:
            value = text[at + len(label) + 1: at + len(label) + 30].split()[0:1]
            return value[0] if value else None
    return None


@check(id="policy_interpretation.quality", title="解读质量（解读要素、多种形式、与文件关联）",
       indicators=["政策解读/解读质量", *GOVERNMENT_AND_ZONE])
def quality(ctx: CheckContext) -> CheckResult:
    """Each interpretation the crawler opened: does it cover 背景依据、目标任务、主要内容、解决的问题;
    is it given in forms besides text (图解, video, audio, 动漫/H5); is it linked with its document
    both ways; does it name the department that drafted it. A 相关文件 link that no longer opens is
    reported."""
    settings = ctx.settings
    _, pairing = _pairing(ctx)
    weights = settings["quality_weights"]
    rows = []
    findings: list[Finding] = []
    forms_seen: set[str] = set()
    for interpretation in pairing.interpretations:
        page = ctx.snapshot.page(interpretation.url)
        if page is None or not page.ok:
            continue
        covered = [k for k, words in settings["elements"].items() if any(w in page.text for w in words)]
        forms = _forms(page.html, page.text, interpretation.title, page.links, settings)
        forms_seen |= set(forms)
        linked = pairing.linked(interpretation.url)
        source = _source(page.text, settings["source_labels"])
        names = settings["element_names"]
        rows.append({"解读": interpretation.title, "地址": interpretation.url, "解读要素": [names[k] for k in covered],
                     "形式": [FORM_NAMES[f] for f in forms], "与文件互链": linked, "来源": source})
        missing = [names[k] for k in settings["elements"] if k not in covered]
        if missing:
            findings.append(Finding(severity="minor", url=page.url,
                                    message=f"解读「{interpretation.title}」未包括：{'、'.join(missing)}",
                                    evidence=Evidence(values={"covered": [names[k] for k in covered]})))
        for link in page.links:
            status = ctx.snapshot.link_status(link.url) if link.kind == "a" and link.region == "body" else None
            if status is not None and not status.ok and any(w in link.text for w in settings["document_title_words"]):
                findings.append(Finding(severity="moderate", url=page.url,
                                        message=f"解读「{interpretation.title}」关联的文件「{link.text}」打不开",
                                        evidence=Evidence(values={"target": link.url, "status": status.status})))
        if not linked:
            findings.append(Finding(severity="minor", url=page.url,
                                    message=f"解读「{interpretation.title}」与政策文件没有相互链接"))
    if not rows:
        return ctx.needs_review("没有抓取到政策解读页面，无法判断解读质量")
    count = len(rows)
    elements = sum(len(r["解读要素"]) for r in rows) / (count * len(settings["elements"]))
    forms_score = min(1.0, len(forms_seen) / settings["forms_for_full_score"])
    linked_share = sum(r["与文件互链"] for r in rows) / count
    if not forms_seen:
        findings.append(Finding(severity="moderate", message="政策解读只有文字形式，没有图解、音频、视频、动漫等形式"))
    score = weights["elements"] * elements + weights["forms"] * forms_score + weights["linked"] * linked_share
    forms = [FORM_NAMES[f] for f in sorted(forms_seen)]
    reason = (f"抓取到解读 {count} 篇：解读要素平均覆盖 {elements:.0%}；文字以外的形式："
              f"{'、'.join(forms) or '无'}；与文件相互链接的 {sum(r['与文件互链'] for r in rows)} 篇；"
              f"注明起草或发布部门的 {sum(bool(r['来源']) for r in rows)} 篇")
    return ctx.result(score=round(score, 4), reason=reason, findings=findings,
                      details={"解读": rows, "解读形式": forms})


@check(id="policy_interpretation.targeted", title="精准解读（精准分类、精准送达、关联申报）",
       indicators=["政策解读/精准解读", *GOVERNMENT_AND_ZONE])
def targeted(ctx: CheckContext) -> CheckResult:
    """For 优惠补贴类 policies: are policies sorted by whom they are for (适用对象, 惠企政策 columns),
    delivered to them (订阅、推送) and linked to the service that applies them (在线申报、办事指南)?"""
    settings = ctx.settings
    cmap, pairing = _pairing(ctx)
    urls = [d.url for d in pairing.documents] + [i.url for i in pairing.interpretations]
    pages = [p for u in urls if (p := ctx.snapshot.page(u)) is not None and p.ok]
    if not pages:
        return ctx.needs_review("没有抓取到政策文件或解读页面，无法判断精准解读")
    columns = sorted({n for c in cmap.candidates.values() for n in c.names
                      if any(w in n for w in settings["audience_columns"])})
    tagged = [p.url for p in pages if any(label in p.text for label in settings["audience_labels"])]
    delivery = [p.url for p in pages if any(w in p.text for w in settings["delivery_words"])] + \
        [n for c in cmap.candidates.values() for n in c.names[:1] if any(w in n for w in settings["delivery_words"])]
    apply = sorted({(p.url, link.url) for p in pages for link in p.links if link.kind == "a"
                    and any(w in link.text for w in settings["apply_link_words"])})
    signals = {"classification": bool(tagged or columns), "delivery": bool(delivery), "apply": bool(apply)}
    weights = settings["targeted_weights"]
    score = sum(weights[k] for k, v in signals.items() if v)
    messages = {"classification": "政策未按适用对象分类（未见“适用对象”等标注或惠企政策、政策库栏目）",
                "delivery": "未见政策订阅、推送等精准送达服务", "apply": "政策文件和解读页面没有关联申报或办理入口"}
    findings = [Finding(severity="moderate", message=messages[k]) for k, v in signals.items() if not v]
    reason = (f"检查政策文件和解读页面 {len(pages)} 个：标注适用对象的 {len(tagged)} 个，按对象分类的栏目 "
              f"{len(columns)} 个；精准送达{'有' if delivery else '无'}；链接到申报或办理入口的 "
              f"{len({u for u, _ in apply})} 个")
    return ctx.result(score=round(score, 4), reason=reason, findings=findings, details={
        "精准分类": signals["classification"], "精准送达": signals["delivery"], "关联申报": signals["apply"],
        "标注适用对象的页面": tagged, "按对象分类的栏目": columns, "送达服务": delivery,
        "申报或办理入口": [{"页面": p, "入口": t} for p, t in apply]})


@check(id="policy_interpretation.hot_topic_response", title="热点回应（新闻发布会、回应关切）",
       indicators=["政策解读回应/热点回应"])
def hot_topic_response(ctx: CheckContext) -> CheckResult:
    """Are there 新闻发布会 and 舆情回应/回应关切 columns, and are they current?"""
    settings, as_of = ctx.settings, ctx.as_of
    if next(ctx.snapshot.html_pages(), None) is None:
        return ctx.needs_review("没有可读取的页面，无法判断热点回应")
    cmap = discover(ctx.snapshot)
    weights, window = settings["hot_topic_weights"], settings["hot_topic_window_days"]
    rows, findings, points = [], [], 0.0
    for topic_id in settings["hot_topic_topics"]:
        topic, match = cmap.rules.topics[topic_id], cmap.topic(topic_id)
        age = (as_of - match.newest).days if match.found and match.newest else None
        current = age is not None and age <= window
        rows.append(match.row() | {"距今天数": age, "按时更新": current})
        if not match.found:
            findings.append(Finding(severity="serious", message=f"未找到「{topic.name}」栏目"))
            continue
        points += weights["found"] + weights["current"] * current
        if not current:
            findings.append(Finding(severity="moderate", url=match.url,
                                    message=f"「{topic.name}」栏目「{match.name_found}」" + (
                                        f"已 {age} 天未更新" if age is not None else "没有带日期的信息")))
    reason = "；".join(f"{r['主题']}：" + (f"「{r['栏目名称']}」，{'按时更新' if r['按时更新'] else '未按时更新'}"
                                          if r["已找到"] else "未找到") for r in rows)
    return ctx.result(score=round(points / len(rows), 4), reason=reason, findings=findings, details={"栏目": rows})
