"""Reference data the project ships: the real Massachusetts offence tables (see its README)."""

from __future__ import annotations

import re
from pathlib import Path

OFFENCES_DIR = Path(__file__).resolve().parent / "data" / "ma-offenses"
COMPLAINT_INDEX_CSV = OFFENCES_DIR / "complaint_manual_index.csv"
OFFENSE_CATEGORIES_CSV = OFFENCES_DIR / "offense_categories.csv"
CODES_EXPLAINED_CSV = OFFENCES_DIR / "codes_explained.csv"

_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2,4})")


def _year(text: str) -> int | None:
    m = _DATE.search(text)
    if not m:
        return None
    y = int(m.group(3))
    return y if y > 100 else (2000 + y if y <= 30 else 1900 + y)


def years_in_force(eff: str) -> tuple[int | None, int | None]:
    """The complaint index's effective dates (`10/1/43-5/21/02`, `5/22/02`, `Thru 10/30/12`,
    `9/21/75-`) to the first and last year in force (None: open)."""
    eff = eff.strip()
    if eff.lower().startswith("thru"):
        return None, _year(eff)
    start, _, end = eff.partition("-")
    return _year(start), _year(end)
