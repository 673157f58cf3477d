"""The Massachusetts offence table (District Court complaint manual index) and lookups into it.

`lookup("265/13A", year=1990)` finds offences by statute; `match_description("A&B D/W")` by the
words a clerk wrote, abbreviations and all. Both rank what was in force in the record's year first.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz, process

from extract.normalize.statutes import find_citations
from models.reference import CODES_EXPLAINED_CSV, COMPLAINT_INDEX_CSV, OFFENSE_CATEGORIES_CSV, years_in_force

ABBREVIATIONS_CSV = Path(__file__).with_name("offence_abbreviations.csv")

Level = Literal["felony", "misdemeanor", "civil"]
_LEVELS: dict[str, Level] = {"F": "felony", "M+/F": "felony", "M+": "misdemeanor", "M-": "misdemeanor",
                             "CM": "civil", "CI": "civil"}
# Stats codes whose name says nothing; the FBI category, when known, says more.
_VAGUE_STATS = {"13", ""}
_IN_FORCE_BONUS = 0.08   # enough to break ties between variants, never to beat a better wording
_SUBSECTION_BONUS = 0.04
_STOPWORDS = frozenset("OF THE TO ON IN BY FOR WITH AND OR AN AT FROM UPON".split())
_PREFIX = 4          # words share a posting by their first letters, so OCR'd endings still meet
_COMMON_WORD = 400   # a word in more wordings than this narrows nothing
_POOL = 120          # wordings scored with rapidfuzz per query
_SHORTLIST = 25      # of those, ranked with the finer similarity


@dataclass(frozen=True, slots=True)
class Offence:
    code: str                 # 265/13A/B
    description: str          # the index text without its citation: A&B
    statute: str              # the index citation, canonical: 265/13A(a)
    chapter: str
    section: str
    level: Level | None
    fm: str                   # raw F/M code: F, M+, M-, CM
    category: str | None      # Assault, Drugs, ... (stats code), or the FBI category when vaguer
    start_year: int | None
    end_year: int | None
    stats_category: str | None = None
    fbi_category: str | None = None
    offense_type: str | None = None   # Person, Property, Drugs, ... (offense_categories.csv)

    def in_force(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.start_year is None or self.start_year <= year) and (self.end_year is None or year <= self.end_year)


# ---- description wording -------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _abbreviation_pattern() -> tuple[re.Pattern, dict[str, str]]:
    with ABBREVIATIONS_CSV.open(encoding="utf-8", newline="") as f:
        table = {row["abbreviation"].upper(): row["expansion"].upper() for row in csv.DictReader(f)}
    # Longest first so `A&B D/W` wins over `A&B`; `&`, `/`, `+` count as parts of a word here.
    alts = sorted(table, key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts)
    return re.compile(rf"(?<![A-Z0-9&/+])(?:{body})(?![A-Z0-9&/+])"), table


def normalize_wording(text: str) -> str:
    """Clerk and index wording reduced to one form: `A & B W/DW, SUBSQ. OFF.` -> `ASSAULT BATTERY ...`."""
    pattern, table = _abbreviation_pattern()
    s = text.upper().replace("—", " ").replace("–", " ")
    s = re.sub(r"\+\s?\$?\s?(?=\d)", " OVER ", s)     # +$250, +60
    s = re.sub(r"(?<![A-Z0-9])-\s?\$\s?(?=\d)", " UNDER ", s)
    s = re.sub(r"[.*$']", "", s)                      # SUBSQ. OFF., S.D.P., $250, CHILD'S
    s = re.sub(r"\s*([&/+])\s*", r"\1", s)            # A & B -> A&B, D / W -> D/W
    s = re.sub(r"\bW/O(?:UT)?\b", " WITHOUT ", s)
    s = re.sub(r"\bW/(?!I\b|INT\b)", " WITH ", s)      # W/I DIST is the table's (with intent)
    s = pattern.sub(lambda m: " " + table[re.sub(r"\s+", " ", m.group(0))] + " ", s)
    s = re.sub(r"[^A-Z0-9%]+", " ", s)
    return " ".join(w for w in s.split() if w not in _STOPWORDS)


def similarity(a: str, b: str) -> float:
    """Both wordings normalized; order-free, and a missing or extra qualifier costs something."""
    return (fuzz.token_sort_ratio(a, b) + fuzz.token_set_ratio(a, b)) / 200.0


# ---- reading the vendored CSVs -------------------------------------------------------------

_CODE_HEAD = re.compile(r"^\W*[0-9A-Z][0-9A-Za-z/]*,")
_FM = re.compile(r"^(F|M\+|M-|CM|CI|M\+/F|[–—-])?$")


def _records(path: Path) -> list[str]:
    """Whole-line-quoted rows, some wrapped over two lines: a row starts at an offence code."""
    rows: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if _CODE_HEAD.match(line) or not rows:
            rows.append(line.strip())
        else:
            rows[-1] += " " + line.strip()
    return rows


def _split_row(row: str) -> tuple[str, str, str, str, str] | None:
    """code, text, effective dates, F/M, stats code, from one row whose quoting is unreliable."""
    parts = row.strip().strip('"“”’').split(",")
    if len(parts) < 2:
        return None
    code, rest = parts[0].strip(), parts[1:]
    if rest[0].lstrip().startswith("'"):
        # Text quoted with single quotes may hold commas: it runs to the part that closes it.
        end = next((i for i, p in enumerate(rest) if p.rstrip().endswith("'") and not p.rstrip().endswith("''")), 0)
        text, tail = ",".join(rest[: end + 1]).strip().strip("'").replace("''", "'"), rest[end + 1:]
    else:
        text, tail = rest[0].strip(), rest[1:]
    fm_at = next((i for i, p in enumerate(tail) if p.strip() and _FM.match(p.strip())), None)
    if fm_at is None:
        eff, fm, stats = " ".join(tail[:1]), "", ""
    else:
        eff, fm = " ".join(tail[:fm_at]), tail[fm_at].strip()
        stats = tail[fm_at + 1].strip() if fm_at + 1 < len(tail) else ""
    return code, text, eff, fm, stats[:2]


@functools.lru_cache(maxsize=1)
def _stats_names() -> dict[str, str]:
    """codes_explained.csv packs two codes in some cells (`01,OUI 11 Drugs`): unpack them."""
    names: dict[str, str] = {}
    with CODES_EXPLAINED_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["Column"] != "stats_col":
                continue
            pieces = re.split(r"\s+(\d{2})\s+", " " + row["Description"].strip())
            names[row["Code"].strip()] = pieces[0].strip()
            for code, name in zip(pieces[1::2], pieces[2::2]):
                names[code] = name.strip()
    return names


@dataclass(frozen=True, slots=True)
class _FbiRow:
    statute: str
    wording: str
    fbi_category: str
    offense_type: str


@functools.lru_cache(maxsize=1)
def _fbi_rows() -> dict[str, tuple[_FbiRow, ...]]:
    """offense_categories.csv rows that cite a statute, by chapter/section."""
    by_statute: dict[str, list[_FbiRow]] = defaultdict(list)
    with OFFENSE_CATEGORIES_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            text = row["Untruncated Offense"]
            cites = find_citations(text)
            if not cites:
                continue
            by_statute[cites[0].statute].append(
                _FbiRow(cites[0].statute, normalize_wording(text[: cites[0].start]),
                        row["FBI Category"].strip(), row["OFFENSE_TYPE"].strip()))
    return {k: tuple(v) for k, v in by_statute.items()}


def _fbi_for(statute: str, wording: str) -> _FbiRow | None:
    rows = _fbi_rows().get(statute, ())
    scored = [(similarity(wording, r.wording), r) for r in rows]
    best = max(scored, key=lambda t: t[0], default=None)
    return best[1] if best and best[0] >= 0.6 else None


def _offence(code: str, text: str, eff: str, fm: str, stats: str) -> Offence | None:
    # The code names the section (`265/13I/A`): it settles `§13I` as 13I rather than a misread 131.
    code_statute = "/".join(code.split("/")[:2])
    cites = find_citations(text, known=lambda s: s == code_statute)
    if not cites:
        return None  # by-laws, CMR regulations, common law: no General Laws citation to map to
    cite = cites[0]
    description = text[: cite.start].rstrip(" *—–-")
    trailing = text[cite.end:]
    start, end = years_in_force(eff if eff.strip() else trailing)
    stats_name = _stats_names().get(stats)
    fbi = _fbi_for(cite.statute, normalize_wording(description))
    category = fbi.fbi_category if fbi and (stats in _VAGUE_STATS or not stats_name) else stats_name
    return Offence(code=code, description=description.strip(), statute=cite.canonical,
                   chapter=cite.chapter, section=cite.section, level=_LEVELS.get(fm), fm=fm,
                   category=category, start_year=start, end_year=end, stats_category=stats_name,
                   fbi_category=fbi.fbi_category if fbi else None,
                   offense_type=fbi.offense_type if fbi else None)


# ---- the table -----------------------------------------------------------------------------

_CANONICAL = re.compile(r"^\s*([0-9]+[A-Z]?)/([0-9]+[A-Z]*½?(?:\.[0-9]+)?)((?:\([^)]*\))*)\s*$")


def _split_statute(statute: str) -> tuple[str, tuple[str, ...]] | None:
    """`265/13A(a)` (or any citation form) to (`265/13A`, ("a",))."""
    m = _CANONICAL.match(statute)
    if m:
        return f"{m.group(1)}/{m.group(2)}", tuple(re.findall(r"\(([^)]*)\)", m.group(3)))
    cites = find_citations(statute)
    return (cites[0].statute, cites[0].subsections) if cites else None


class OffenceTable:
    """The offence index, indexed by statute and by normalized wording. Read-only once built."""

    def __init__(self, offences: tuple[Offence, ...]):
        self.offences = offences
        by_statute: dict[str, list[int]] = defaultdict(list)
        for i, o in enumerate(offences):
            by_statute[f"{o.chapter}/{o.section}"].append(i)
        self._by_statute = {k: tuple(v) for k, v in by_statute.items()}
        self._wording = tuple(normalize_wording(o.description) for o in offences)
        by_wording: dict[str, list[int]] = defaultdict(list)
        for i, w in enumerate(self._wording):
            by_wording[w].append(i)
        self._choices = tuple(by_wording)                     # each distinct wording once
        self._choice_rows = tuple(tuple(by_wording[w]) for w in self._choices)
        postings: dict[str, set[int]] = defaultdict(set)
        for idx, w in enumerate(self._choices):
            for word in w.split():
                postings[word[:_PREFIX]].add(idx)
        self._postings = {k: frozenset(v) for k, v in postings.items() if len(v) <= _COMMON_WORD}
        # Clerks reuse a few hundred charge texts; remember their matches (per table, not global).
        self._match = functools.lru_cache(maxsize=8192)(self._match_uncached)

    def has_statute(self, statute: str) -> bool:
        """Whether `chapter/section` is in the index (subsections ignored)."""
        return statute.split("(")[0] in self._by_statute

    def lookup(self, statute: str, year: int | None = None, description: str | None = None) -> list[Offence]:
        """Offences under `statute`, one per code, best first.

        Subsections narrow the list when some row carries them; in-force rows and, with a
        description, closer wording rank first.
        """
        split = _split_statute(statute)
        if split is None:
            return []
        key, subs = split
        rows = self._by_statute.get(key, ())
        wording = normalize_wording(description) if description else None

        def score(i: int) -> float:
            o = self.offences[i]
            s = similarity(wording, self._wording[i]) if wording is not None else 0.0
            s += _IN_FORCE_BONUS * o.in_force(year)
            if subs:
                mine = tuple(re.findall(r"\(([^)]*)\)", o.statute))
                s += _SUBSECTION_BONUS * (mine[: len(subs)] == subs or subs[: len(mine)] == mine and bool(mine))
            return s

        return self._dedupe(sorted(rows, key=score, reverse=True))

    def match_description(self, text: str, year: int | None = None) -> list[tuple[Offence, float]]:
        """Offences whose index wording is closest to `text`, with a score in [0, 1], best first."""
        return list(self._match(normalize_wording(text), year))

    def _match_uncached(self, wording: str, year: int | None, limit: int = 10) -> tuple[tuple[Offence, float], ...]:
        if not wording:
            return ()
        # Only wordings sharing a word with the query; token_set_ratio then keeps the closest few
        # and similarity ranks those.
        shared: Counter[int] = Counter()
        for word in set(wording.split()):
            shared.update(self._postings.get(word[:_PREFIX], ()))
        # Wordings sharing the most words first: the right one is nearly always among them.
        pool = ({idx: self._choices[idx] for idx, _ in shared.most_common(_POOL)} if shared
                else dict(enumerate(self._choices)))
        hits = process.extract(wording, pool, scorer=fuzz.token_set_ratio, limit=_SHORTLIST, score_cutoff=50)
        scored: list[tuple[float, int]] = []
        for choice, _, idx in hits:
            sim = similarity(wording, choice)
            for i in self._choice_rows[idx]:
                scored.append((sim + _IN_FORCE_BONUS * self.offences[i].in_force(year), i))
        scored.sort(key=lambda t: t[0], reverse=True)
        best: dict[str, tuple[Offence, float]] = {}
        for s, i in scored:
            o = self.offences[i]
            if o.code not in best:
                best[o.code] = (o, min(1.0, s - _IN_FORCE_BONUS * o.in_force(year)))
        return tuple(list(best.values())[:limit])

    def _dedupe(self, rows: list[int]) -> list[Offence]:
        seen: set[str] = set()
        out = []
        for i in rows:
            o = self.offences[i]
            if o.code not in seen:
                seen.add(o.code)
                out.append(o)
        return out


def index_rows() -> list[tuple[str, str, str, str, str]]:
    """The complaint index as (code, offence text, effective dates, F/M, stats code) rows."""
    return [split for row in _records(COMPLAINT_INDEX_CSV) if (split := _split_row(row))]


@functools.lru_cache(maxsize=1)
def load_offence_table() -> OffenceTable:
    """The vendored index, parsed once per process."""
    return OffenceTable(tuple(o for row in index_rows() if (o := _offence(*row)) is not None))
