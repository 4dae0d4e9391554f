"""开放平台 / 开放目录, 数据质量, 开发利用 — from the platform pages the crawler reached."""

from __future__ import annotations

from auditkit import CheckContext, check
from auditkit.models import CheckResult, Evidence, Finding
from auditkit_plugins.open_data.platform import OpenData, open_data


def _out_of_scope(ctx: CheckContext, data: OpenData) -> CheckResult | None:
    """None when the platform's pages were crawled; else why the row cannot be judged."""
    if not data.match.found:
        return None
    if not data.in_scope:
        return ctx.needs_review(
            f"找到数据开放平台链接「{data.match.name_found}」，但平台页面不在本次抓取范围内（其他网站或未抓取），"
            "请人工检查或把平台域名加入 crawl.extra_hosts 后重新审计",
            findings=[Finding(severity="info", url=data.match.url, message="数据开放平台未抓取")])
    return None


@check(id="open_data.platform", title="数据开放平台与开放目录（目录、数据集、领域覆盖）",
       indicators=["数据开放/开放平台", "数据开放/开放目录", "服务成熟度/数据服务成熟度/数据开放"])
def platform(ctx: CheckContext) -> CheckResult:
    """A link to the open-data platform; on its pages, a catalogue of datasets, how many, and which of
    the seed's 22 fields (信用服务 … 机构团体) they cover."""
    settings = ctx.settings
    data = open_data(ctx.snapshot, settings)
    if (skip := _out_of_scope(ctx, data)) is not None:
        return skip
    weights = settings["platform_weights"]
    findings: list[Finding] = []
    if not data.match.found:
        findings.append(Finding(severity="serious", message="未找到数据开放平台或数据开放栏目的链接"))
        return ctx.result(score=0.0, reason="未找到数据开放平台或数据开放栏目", findings=findings)
    domains = sorted({d for ds in data.datasets for d in ds.domains})
    if not data.catalogues:
        findings.append(Finding(severity="serious", url=data.match.url, message="数据开放平台上没有找到开放目录"))
    if data.datasets and len(data.datasets) < settings["min_datasets"]:
        findings.append(Finding(severity="moderate", url=data.catalogues[0],
                                message=f"开放目录只有 {len(data.datasets)} 个数据集"
                                        f"（少于 {settings['min_datasets']} 个）"))
    missing = [d for d in settings["domains"] if d not in domains]
    if data.catalogues and missing:
        findings.append(Finding(severity="minor", url=data.catalogues[0],
                                message=f"开放数据覆盖 {len(domains)}/{len(settings['domains'])} 个领域",
                                evidence=Evidence(values={"covered": domains, "missing": missing})))
    score = (weights["platform"] + weights["catalogue"] * bool(data.catalogues)
             + weights["datasets"] * min(1.0, len(data.datasets) / settings["min_datasets"])
             + weights["domains"] * len(domains) / len(settings["domains"]))
    reason = (f"数据开放：「{data.match.name_found}」（抓取 {len(data.pages)} 页）；"
              f"开放目录 {len(data.catalogues)} 个，数据集 {len(data.datasets)} 个，"
              f"覆盖领域 {len(domains)}/{len(settings['domains'])} 个")
    return ctx.result(score=round(score, 4), reason=reason, findings=findings, details={
        "数据开放平台": data.match.row(), "抓取页面": data.pages, "开放目录": data.catalogues,
        "数据集": [{"名称": d.name, "格式": sorted(d.formats), "更新频率": d.frequency, "领域": sorted(d.domains),
                 "页面": d.page} for d in data.datasets],
        "覆盖领域": domains})


@check(id="open_data.quality", title="开放数据质量（格式、更新频率、数据项说明）",
       indicators=["数据开放/数据质量", "服务成熟度/数据服务成熟度/开放数据质量"])
def quality(ctx: CheckContext) -> CheckResult:
    """Of the datasets in the catalogue: the formats offered against CSV, XLSX, JSON and API; the share
    with a stated update frequency; whether the platform describes the data items. Whether the data
    are accurate needs a person."""
    settings = ctx.settings
    data = open_data(ctx.snapshot, settings)
    if (skip := _out_of_scope(ctx, data)) is not None:
        return skip
    if not data.datasets:
        return ctx.needs_review("没有找到开放数据集，无法判断数据质量")
    weights = settings["quality_weights"]
    formats = sorted({f for d in data.datasets for f in d.formats})
    wanted = settings["wanted_formats"]
    stated = sum(bool(d.frequency) for d in data.datasets)
    described = [w for w in settings["description_words"] if w in data.text]
    findings: list[Finding] = []
    if missing := [f for f in wanted if f not in formats]:
        findings.append(Finding(severity="moderate", url=data.catalogues[0],
                                message=f"开放数据未提供 {'、'.join(missing)} 格式"))
    if stated < len(data.datasets):
        findings.append(Finding(severity="moderate", url=data.catalogues[0],
                                message=f"{len(data.datasets) - stated} 个数据集未注明更新频率"))
    if not described:
        findings.append(Finding(severity="moderate", url=data.catalogues[0], message="未见数据项（字段）说明"))
    score = (weights["formats"] * len(set(formats) & set(wanted)) / len(wanted)
             + weights["frequency"] * stated / len(data.datasets) + weights["description"] * bool(described))
    reason = (f"数据集 {len(data.datasets)} 个：提供格式 {'、'.join(formats) or '未识别'}；注明更新频率的 {stated} 个；"
              f"数据项说明{'有' if described else '无'}；数据准确性需人工核对")
    return ctx.result(score=round(score, 4), reason=reason, findings=findings,
                      details={"格式": formats, "注明更新频率": stated, "数据集": len(data.datasets),
                               "数据项说明": described})


@check(id="open_data.use", title="开放数据开发利用（数据申请、典型应用）",
       indicators=["数据开放/开发利用", "服务成熟度/数据服务成熟度/数据利用"])
def use(ctx: CheckContext) -> CheckResult:
    """Whether the platform offers a way to apply for more data (数据申请) and shows applications built
    on its data; how well those applications work needs a person."""
    settings = ctx.settings
    data = open_data(ctx.snapshot, settings)
    if (skip := _out_of_scope(ctx, data)) is not None:
        return skip
    if not data.match.found:
        return ctx.result(score=0.0, reason="未找到数据开放平台或数据开放栏目",
                          findings=[Finding(severity="serious", message="未找到数据开放平台")])
    weights = settings["use_weights"]
    apply = [w for w in settings["apply_words"] if w in data.text]
    applications = [w for w in settings["application_words"] if w in data.text]
    findings = []
    if not apply:
        findings.append(Finding(severity="moderate", url=data.match.url, message="数据开放平台未提供数据开放申请功能"))
    if not applications:
        findings.append(Finding(severity="moderate", url=data.match.url, message="数据开放平台未展示数据应用成果"))
    score = weights["apply"] * bool(apply) + weights["applications"] * bool(applications)
    reason = (f"数据申请：{'、'.join(apply) or '未见'}；应用成果：{'、'.join(applications) or '未见'}；"
              "应用效果需人工评价")
    return ctx.result(score=round(score, 4), reason=reason, findings=findings,
                      details={"数据申请": apply, "应用成果": applications})
