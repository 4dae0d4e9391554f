"""Scoring by the seed's sub-points: each sub-point is the share of its items found,
the check's score their weighted mean. Items that could not be probed are left out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel


class Item(BaseModel):
    key: str
    name: str
    sub_point: int  # 1-based, as the seed numbers them
    present: bool
    applicable: bool = True
    note: str = ""
    url: str | None = None

    def row(self) -> dict[str, Any]:
        status = "—（未能探测）" if not self.applicable else ("有" if self.present else "无")
        url = self.url if self.url is None or len(self.url) <= 300 else self.url[:300] + "…"  # overlong probes
        return {"分项": self.sub_point, "功能": self.name, "有无": status, "依据": self.note, "页面": url}


def score_sub_points(items: Sequence[Item], weights: Sequence[float], names: Sequence[str]
                     ) -> tuple[float, dict[str, float | None], str]:
    """(score, sub-point name → share found, reason in words)."""
    shares: dict[str, float | None] = {}
    parts = []
    total = weight_sum = 0.0
    for number, (name, weight) in enumerate(zip(names, weights, strict=True), start=1):
        judged = [i for i in items if i.sub_point == number and i.applicable]
        if not judged:
            shares[name] = None
            parts.append(f"{name}：未能探测")
            continue
        present = [i for i in judged if i.present]
        share = len(present) / len(judged)
        shares[name] = round(share, 4)
        total += weight * share
        weight_sum += weight
        missing = [i.name for i in judged if not i.present]
        parts.append(f"{name} {len(present)}/{len(judged)}" + (f"（缺：{'、'.join(missing)}）" if missing else ""))
    score = round(total / weight_sum, 4) if weight_sum else 0.0
    return score, shares, "；".join(parts) + f"；得分率 {score:.0%}"
