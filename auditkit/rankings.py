"""Rankings of a batch, like the published evaluation results: per profile, rank,
site, total, first-level scores, veto flags, grade — as HTML (linking each
site's report, with distribution charts in inline SVG), CSV and XLSX."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from pydantic import BaseModel

from auditkit.batch import site_folder
from auditkit.models import AuditResult
from auditkit.report import environment
from auditkit.store import Store


class RankedSite(BaseModel):
    rank: int | None  # None: the site could not be audited
    name: str
    url: str
    region: str
    level: str
    profile: str
    status: str
    total: float | None
    max_total: float | None
    pending_weight: float | None
    l1: dict[str, float]
    vetoes: list[str]
    grade: str
    report: str | None  # relative to the rankings page
    error: str | None


@dataclass
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float


@dataclass
class ProfileRanking:
    profile: str
    profile_name: str
    l1_names: list[str]
    sites: list[RankedSite]
    histogram: list[Bar] = field(default_factory=list)
    averages: dict[str, dict[str, float]] = field(default_factory=dict)  # level or region → l1 → mean


def collect(store: Store, batch_id: str) -> list[ProfileRanking]:
    groups: dict[str, list[RankedSite]] = defaultdict(list)
    names: dict[str, str] = {}
    l1_order: dict[str, list[str]] = {}
    for row in store.db.query("select * from batch_sites where batch_id = ? order by idx", [batch_id]):
        result: AuditResult | None = store.load_result(row["run_id"]) if row["run_id"] else None
        if result is not None:
            names[row["profile"]] = result.profile_name
            l1_order.setdefault(row["profile"], [s.l1 for s in result.l1_scores])
        groups[row["profile"]].append(RankedSite(
            rank=None, name=row["name"], url=row["url"], region=row["region"] or "", level=row["level"] or "",
            profile=row["profile"], status=row["status"],
            total=result.total if result else None, max_total=result.max_total if result else None,
            pending_weight=result.pending_weight if result else None,
            l1={s.l1: s.points for s in result.l1_scores} if result else {},
            vetoes=[v.name for v in result.vetoes if v.status == "hit"] if result else [],
            grade=result.grade if result else "未完成",
            report=f"{site_folder(row['idx'], row['url'])}/report.html" if result else None,
            error=row["error"],
        ))
    rankings = []
    for profile, sites in groups.items():
        # Published results list passing sites by score and failed (vetoed) sites after them.
        audited = sorted((s for s in sites if s.total is not None),
                         key=lambda s: (bool(s.vetoes), -(s.total or 0.0)))
        previous: tuple[bool, float] | None = None
        for position, site in enumerate(audited, start=1):
            key = (bool(site.vetoes), site.total or 0.0)
            site.rank = audited[position - 2].rank if key == previous else position
            previous = key
        ranking = ProfileRanking(profile=profile, profile_name=names.get(profile, profile),
                                 l1_names=l1_order.get(profile, []),
                                 sites=audited + [s for s in sites if s.total is None])
        ranking.histogram = _histogram([s.total or 0.0 for s in audited], audited[0].max_total if audited else 100)
        ranking.averages = _averages(audited)
        rankings.append(ranking)
    return rankings


def _histogram(totals: list[float], max_total: float | None, bins: int = 10,
               width: float = 560, height: float = 160) -> list[Bar]:
    span = (max_total or 100) / bins
    counts = [0] * bins
    for total in totals:
        counts[min(bins - 1, int(total // span))] += 1
    tallest = max(counts) or 1
    bar_width = width / bins
    return [Bar(label=f"{i * span:g}–{(i + 1) * span:g}", value=n, x=i * bar_width + 2,
                y=height - n / tallest * (height - 20), width=bar_width - 4, height=n / tallest * (height - 20))
            for i, n in enumerate(counts)]


def _averages(sites: list[RankedSite]) -> dict[str, dict[str, float]]:
    grouped: dict[str, list[RankedSite]] = defaultdict(list)
    for site in sites:
        grouped[f"层级：{site.level}" if site.level else "层级：—"].append(site)
        if site.region:
            grouped[f"地区：{site.region}"].append(site)
    return {
        group: {l1: round(sum(s.l1.get(l1, 0.0) for s in members) / len(members), 2)
                for l1 in {k for s in members for k in s.l1}}
        for group, members in sorted(grouped.items())
    }


def write_rankings(store: Store, batch_id: str, out_dir: Path) -> list[Path]:
    """rankings.html, rankings.xlsx and one CSV per profile in ``out_dir``."""
    rankings = collect(store, batch_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    html = environment().get_template("rankings.html.j2").render(rankings=rankings, batch_id=batch_id)
    (out_dir / "rankings.html").write_text(html, encoding="utf-8")
    written.append(out_dir / "rankings.html")
    workbook = Workbook()
    workbook.remove(workbook.active)
    for ranking in rankings:
        header = ["排名", "网站", "网址", "地区", "层级", "总分", "满分", "待人工评分", *ranking.l1_names,
                  "单项否决", "等级", "状态"]
        lines = [[s.rank, s.name, s.url, s.region, s.level, s.total, s.max_total, s.pending_weight,
                  *(s.l1.get(n) for n in ranking.l1_names), "、".join(s.vetoes), s.grade, s.status]
                 for s in ranking.sites]
        path = out_dir / f"rankings-{ranking.profile}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel opens it as UTF-8
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(lines)
        written.append(path)
        sheet = workbook.create_sheet(ranking.profile[:31])
        sheet.append(header)
        for line in lines:
            sheet.append(line)
    if rankings:
        workbook.save(out_dir / "rankings.xlsx")
        written.append(out_dir / "rankings.xlsx")
    return written
