"""Real Massachusetts offences for synthetic charges, from the vendored complaint index.

Charges are drawn from what was in force in the case's year, weighted so the common complaints
(A&B, OUI, larceny, drugs, B&E, disorderly, 209A violations ...) dominate as they do in the dockets.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from models.reference import COMPLAINT_INDEX_CSV, years_in_force

_LEVELS = {"F": "felony", "M+/F": "felony", "M+": "misdemeanor", "M-": "misdemeanor"}
_CITE = re.compile(r"\s+[cC]\d+[A-Z]?\s*§.*$|\s+[cC]\d+[A-Z]?\s*$")
FIRST_YEAR, LAST_YEAR = 1950, 2025
RARE_WEIGHT = 0.04  # each of the ~4,000 other complaints: together about a tenth of charges

# (statute, wording prefix or "") -> relative frequency in the dockets. Everything else weighs 1.
COMMON = {
    ("265/13A", "A&B"): 400, ("90/24", "OUI"): 350, ("266/30", "LARCENY"): 250, ("266/30A", "SHOPLIFTING"): 150,
    ("94C/34", "DRUG POSSESS"): 300, ("94C/32A", ""): 120, ("94C/32", ""): 60, ("94C/32E", ""): 30,
    ("266/16", "B&E"): 80, ("266/18", "B&E"): 80, ("265/15A", "A&B WITH DANGEROUS WEAPON"): 150,
    ("265/15B", ""): 60, ("272/53", "DISORDERLY"): 150, ("266/120", "TRESPASS"): 100,
    ("266/60", ""): 60, ("269/10", ""): 80, ("209A/7", ""): 150, ("90/23", ""): 120, ("90/10", ""): 30,
    ("265/17", ""): 25, ("265/19", ""): 30, ("265/22", ""): 8, ("265/1", ""): 4, ("265/13", ""): 3,
    ("268/32B", ""): 80, ("266/37", ""): 20, ("266/126A", ""): 40, ("266/127", ""): 60, ("268/34A", ""): 20,
    ("272/53A", ""): 20, ("265/43", ""): 15, ("266/28", ""): 20, ("90/25", ""): 20, ("265/43A", ""): 10,
    ("266/15", ""): 20, ("266/14", ""): 15, ("265/18", ""): 10, ("265/29", ""): 20, ("268/13B", ""): 10,
    ("138/34C", ""): 30, ("138/34A", ""): 20, ("272/59", ""): 30, ("94C/32J", ""): 20, ("266/25", ""): 15,
}


@dataclass(frozen=True, slots=True)
class Offence:
    code: str         # 265/13A/B
    description: str  # A&B (the index text without its citation)
    citation: str     # c265 §13A, as the index prints it
    statute: str      # 265/13A
    level: str        # felony | misdemeanor
    start: int
    end: int
    weight: float


def _in_force(eff: str) -> tuple[int, int]:
    start, end = years_in_force(eff)
    return start or FIRST_YEAR, end or LAST_YEAR


def _common_key(statute: str, description: str) -> tuple[str, str] | None:
    for key in ((statute, p) for s, p in COMMON if s == statute and p and description.startswith(p)):
        return key
    return (statute, "") if (statute, "") in COMMON else None


def _weights(rows: list[tuple[str, str]]) -> list[float]:
    """A common complaint's weight is shared among its index rows (variants, periods in force)."""
    keys = [_common_key(s, d) for s, d in rows]
    counts = Counter(k for k in keys if k)
    out = []
    for (_, description), key in zip(rows, keys):
        w = COMMON[key] / counts[key] if key else RARE_WEIGHT
        # Subsequent-offence and aggravated variants are rarer than the plain complaint.
        out.append(w / 4 if re.search(r"SUBSQ|2ND|3RD|4TH|AGGRAVATED", description) else w)
    return out


def read_offences(path: Path = COMPLAINT_INDEX_CSV) -> tuple[Offence, ...]:
    """The index's criminal rows (civil motor-vehicle infractions left out). Its rows are quoted
    whole (`"265/13A/B,A&B c265 §13A,10/1/43-5/21/02,M+,09,A"`), so each is read twice with csv;
    the few wrapped or garbled rows are skipped."""
    parsed = []
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            if len(row) != 1:
                continue
            parts = next(csv.reader([row[0]], quotechar="'"))
            if len(parts) != 6 or parts[3].strip() not in _LEVELS:
                continue
            code, text, eff, fm = (p.strip() for p in parts[:4])
            description = _CITE.sub("", text).strip(" *")
            citation = text[len(description):].strip(" *") if text.startswith(description) else text
            statute = "/".join(code.split("/")[:2])
            if not description or not re.match(r"^\d+[A-Z]?/\d+[A-Z]*$", statute):
                continue
            parsed.append((code, description, citation, statute, _LEVELS[fm], *_in_force(eff)))
    weights = _weights([(p[3], p[1]) for p in parsed])
    return tuple(Offence(*p, weight=w) for p, w in zip(parsed, weights))


@dataclass(frozen=True, slots=True)
class OffenceTable:
    """Per decade, the offences in force then and their cumulative weights (for random.choices)."""

    by_decade: dict[int, tuple[tuple[Offence, ...], tuple[float, ...]]]

    def pool(self, year: int) -> tuple[tuple[Offence, ...], tuple[float, ...]]:
        return self.by_decade[min(max(year // 10 * 10, FIRST_YEAR), 2020)]


@lru_cache(maxsize=1)
def offence_table() -> OffenceTable:
    rows = read_offences()
    by_decade = {}
    for decade in range(FIRST_YEAR, 2030, 10):
        mid = decade + 5
        pool = tuple(o for o in rows if o.start <= mid <= o.end) or rows
        cum, total = [], 0.0
        for o in pool:
            total += o.weight
            cum.append(total)
        by_decade[decade] = (pool, tuple(cum))
    return OffenceTable(by_decade)
