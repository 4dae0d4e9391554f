"""Publication dates as Chinese government pages write them.

Handles 2021-09-01, 2021年9月1日, 2021/09/01, 2021.09.01 and list dates with
the year implied ([09-01], 09-01): those take the audit year, or the year
before when that would put them after the audit date. "今天是…" widgets are
decoys, not publication dates.
"""

from __future__ import annotations

import re
from datetime import date

_FULL = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?:\s*日)?(?!\d)"
)
# Delimiters are look-arounds, not consumed: in "09-01 09-02" the space belongs to both dates.
_SHORT = re.compile(r"(?:^|(?<=[\[(（【\s]))(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?=$|[\])）】\s])")
_DECOY = re.compile(r"(今天是|今日|当前时间|现在是)[\s:：]*$")


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, as_of: date, implied_year: bool = True) -> list[date]:
    """All date mentions in ``text`` in order of appearance (decoys dropped)."""
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []
    for match in _FULL.finditer(text):
        if _DECOY.search(text[max(0, match.start() - 8) : match.start()]):
            continue
        value = _make(int(match["y"]), int(match["m"]), int(match["d"]))
        if value:
            found.append((match.start(), value))
            taken.append(match.span())
    if implied_year:
        for match in _SHORT.finditer(text):
            if any(a <= match.start("m") < b for a, b in taken):
                continue
            value = _make(as_of.year, int(match["m"]), int(match["d"]))
            if value and value > as_of:
                value = _make(as_of.year - 1, value.month, value.day)
            if value:
                found.append((match.start(), value))
    return [value for _, value in sorted(found, key=lambda pair: pair[0])]
