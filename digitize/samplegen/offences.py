"""The real MA complaint-manual offence index, and the many ways a record prints a statute."""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass

from models.reference import COMPLAINT_INDEX_CSV


# Chapters that make up nearly all criminal records; the rest of the index is regulatory.
CRIMINAL_CHAPTERS = {"265", "266", "268", "269", "272", "94C", "90", "274", "127", "140",
                     "209A", "138", "271", "273", "267", "268A", "120", "119"}
# Codes that dominate real dockets, sampled most of the time so records look typical.
COMMON_CODES = ["265/13A/B", "265/15A/B", "265/15B/B", "90/24/J", "90/23/J", "266/30/A",
                "266/16/A", "266/18/A", "266/30/B", "94C/32A/A", "94C/34", "94C/32/A",
                "269/10/J", "265/19/B", "265/17", "266/37/B", "268/32B/B", "266/25/A",
                "209A/7/A", "266/120/A", "272/53/A", "265/13B", "266/28/A", "90/10/A",
                "266/127/A", "268/24", "265/43/A", "266/60/A", "272/16", "265/26"]

_CITE = re.compile(r"\s+[cC]\s?(\d+[A-Z]?)\s+§\s?(\d+[A-Z]?\d*)((?:\([^)]*\))*)")


@dataclass(frozen=True)
class Offence:
    code: str          # offence code from the index, e.g. 265/13A/B
    description: str   # index text without its citation, e.g. A&B
    chapter: str
    section: str
    subsection: str    # e.g. "(a)" or ""
    fm: str            # F, M+, M-
    start: int | None  # first year in force, when the index says
    end: int | None

    @property
    def statute(self) -> str:
        """Canonical chapter/section, the form the normalizer maps citations to."""
        return f"{self.chapter}/{self.section}"


def _year(s: str) -> int | None:
    m = re.search(r"\d+/\d+/(\d{2,4})", s)
    if not m:
        return None
    y = int(m.group(1))
    return y if y > 100 else (2000 + y if y <= 30 else 1900 + y)


@functools.lru_cache(maxsize=1)
def load_offences() -> tuple[Offence, ...]:
    path = COMPLAINT_INDEX_CSV
    out = []
    # Rows are whole-line quoted (some with curly quotes), so split by hand from the right.
    for raw in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = raw.strip().strip('"“”').strip().split(",")
        if len(parts) < 5 or parts[-3].strip() not in {"F", "M+", "M-"}:
            continue
        code, eff, fm = parts[0].strip(), parts[-4], parts[-3].strip()
        text = ",".join(parts[1:-4]).strip()
        m = _CITE.search(text)
        if not m or m.group(1) not in CRIMINAL_CHAPTERS:
            continue
        desc = text[: m.start()].strip()
        if not desc or any(ch in desc for ch in "½—–*") or len(desc) > 60:
            continue
        start = None if eff.lower().startswith("thru") else _year(eff.split("-")[0])
        end = _year(eff.split("-")[1]) if "-" in eff else (_year(eff) if eff.lower().startswith("thru") else None)
        out.append(Offence(code, desc, m.group(1), m.group(2), m.group(3), fm, start, end))
    return tuple(out)


@functools.lru_cache(maxsize=128)
def _in_force(year: int) -> tuple[Offence, ...]:
    table = load_offences()
    return tuple(o for o in table if (o.start is None or o.start <= year) and (o.end is None or o.end >= year)) or table


def pick_offence(rng: random.Random, year: int) -> Offence:
    """An offence in force in `year`, usually a common one."""
    pool = _in_force(year)
    if rng.random() < 0.7:
        codes = [c for c in COMMON_CODES if any(o.code == c for o in pool)]
        if codes:
            # Earlier codes in the list are the more frequent ones on real dockets.
            code = rng.choices(codes, weights=[1 / (i + 3) for i in range(len(codes))])[0]
            return rng.choice([o for o in pool if o.code == code])
    return rng.choice(pool)


def format_statute(off: Offence, rng: random.Random, style: int | None = None) -> str:
    """One of the citation styles seen on MA records, for the same chapter and section."""
    c, s, sub = off.chapter, off.section, off.subsection if rng.random() < 0.5 else ""
    styles = [
        lambda: f"c. {c}, § {s}{sub}",
        lambda: f"G.L. c.{c} s.{s}{sub}",
        lambda: f"{c}/{s}",
        lambda: f"C{c} S{s}",
        lambda: f"M.G.L. c. {c} § {s}{sub}",
        lambda: f"CH {c} SEC {s}",
        lambda: f"c{c} §{s}{sub}",
        lambda: f"G.L. c. {c}, s. {s}",
        lambda: f"{c}-{s}",
    ]
    if style is None:
        style = rng.randrange(len(styles))
    return styles[style % len(styles)]()
