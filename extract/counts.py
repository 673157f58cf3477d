"""A record's charge-line values grouped into its counts: each offence or citation opens a count,
its finding and sentence join it. Complaints restate counts in prose, dockets list the counts
first and their findings later (`COUNT 2: NOLLE PROSEQUI`), and some values on charge lines
belong to no count: a column's title, a plea, a paper's `FILED`, a date read as a citation."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from extract.entities import Entity
from extract.geometry import PageGeometry
from extract.normalize.dispositions import normalize_disposition
from extract.segment import Region

CHARGE_LABELS = {"STATUTE", "OFFENSE", "DISPOSITION", "SENTENCE"}


def group_counts(region: Region, geo: PageGeometry) -> list[dict[str, Entity]]:
    """The region's counts, in order, each a label -> entity map."""
    groups: list[dict[str, Entity]] = []
    for e in region.entities:
        if e.label not in CHARGE_LABELS or not _of_a_count(e, geo):
            continue
        cur = groups[-1] if groups else None
        # A finding or sentence on a later line closes a count; one printed before its offence
        # (`SERVING A SENTENCE OF ... IMPOSED ... FOR <offence>`) waits for it.
        starts_new = cur is None or e.label in cur and e.label in {"STATUTE", "OFFENSE"} \
            or (e.label in {"STATUTE", "OFFENSE"} and ("DISPOSITION" in cur or "SENTENCE" in cur)
                and not _sentence_for(cur, e, geo) and e.line > max(x.line for x in cur.values()))
        n = _count_ref(e, region, geo)
        counts = [g for g in groups if "STATUTE" in g or "OFFENSE" in g]
        if n is not None and n <= len(counts) and e.label not in counts[n - 1]:
            counts[n - 1][e.label] = e  # `COUNT 2: NOLLE PROSEQUI`, after the counts were listed
        elif starts_new:
            groups.append({e.label: e})
        elif e.label not in cur:
            cur[e.label] = e
    return [g for k, g in enumerate(groups) if not _restated(g, groups[:k], geo)]


def _of_a_count(e: Entity, geo: PageGeometry) -> bool:
    return not (_plea_not_guilty(e, geo) or _column_title(e) or _paper_entry(e, geo)
                or e.label == "STATUTE" and _DATE_SHAPE.search(e.text))


_COUNT = re.compile(r"\s*(?:COUNT|CT\.?)\s*#?\s*(\d{1,2})\b", re.I)


def _count_ref(e: Entity, region: Region, geo: PageGeometry) -> int | None:
    """The count a finding or sentence line names (`COUNT 2: NOLLE PROSEQUI`), when the line
    states no offence of its own."""
    if e.label not in {"DISPOSITION", "SENTENCE"}:
        return None
    m = _COUNT.match(geo.line_text(e.line))
    if not m or any(x.line == e.line and x.label in {"STATUTE", "OFFENSE"} for x in region.entities):
        return None
    return int(m.group(1)) or None


_RESTATE = re.compile(r"(?:VIOLATION OF|OFFEN[CS]E OF|CRIME OF)\W*$")


def _restated(g: dict[str, Entity], earlier: list[dict[str, Entity]], geo: PageGeometry) -> bool:
    """A complaint's prose restating a count (`... THE OFFENSE OF A & B, IN VIOLATION OF G.L. c. 265,
    s. 13A`): no finding of its own, introduced as prose, and the same offence as a count above."""
    if "DISPOSITION" in g or "SENTENCE" in g or not earlier:
        return False
    if not any(_RESTATE.search(geo.text[max(0, e.start - 25):e.start].upper()) for e in g.values()):
        return False
    for h in earlier:
        for label in ("OFFENSE", "STATUTE"):
            if label in g and label in h and fuzz.ratio(g[label].text.upper(), h[label].text.upper()) >= 80:
                return True
    return False


_TITLE_WORDS = {"DESCRIPTION", "DESCR", "DESC", "OFFENSE", "OFFENSES", "OFFENCE", "CHARGE", "CHARGES", "SENT",
                "SENTENCE", "SENTENCES", "IMPOSED", "TERM", "DT", "DATE", "CRIME", "CHARGED", "NATURE", "OF", "S",
                "STATUTE", "DISP", "DISPOSITION", "FINDING", "VERDICT", "COUNT", "COUNTS", "CT", "NO", "AND"}


def _column_title(e: Entity) -> bool:
    """A column's title the NER read as a value (`DESCRIPTION`, `SENTENCE IMPOSED`, `OFFENSE(S):`)."""
    if e.label == "STATUTE" or not re.search(r"[A-Za-z]{2}", e.text):
        return False
    words = re.findall(r"[A-Z]+", e.text.upper().translate(_LOOKALIKE_LETTERS))
    return bool(words) and all(w in _TITLE_WORDS for w in words)


_LOOKALIKE_LETTERS = str.maketrans({"1": "I", "0": "O", "5": "S", "8": "B", "|": "I"})


def _sentence_for(cur: dict[str, Entity], e: Entity, geo: PageGeometry) -> bool:
    """`SERVING A SENTENCE OF <term> IMPOSED BY <court> FOR <offence>`: a sentence printed before
    the offence it punishes, in one sentence of prose."""
    if set(cur) != {"SENTENCE"} or e.line - cur["SENTENCE"].line > 2:
        return False
    between = geo.text[cur["SENTENCE"].end:e.start].upper()
    return bool(re.search(r"\bFOR\W*$", between)) and not re.search(r"[.;]\s", between)


_PAPER = re.compile(r"^\W*(?:ON\s+)?(?:\S+\s+){0,5}?(?:THE\s+)?(?:COMPLAINT|COMPLAIT|INDICTMENT|MOTION|APPEARANCE|NOTICE|"
                    r"WARRANT|PAPERS)\b")


def _paper_entry(e: Entity, geo: PageGeometry) -> bool:
    """A docket entry about a paper (`COMPLAINT RECEIVED AND FILED`, `MOTION ... HEARD AND DENIED`):
    its `FILED` or `DENIED` disposes of the paper, not of a count."""
    if e.label != "DISPOSITION":
        return False
    line_start = geo.line_starts[e.line]
    return bool(_PAPER.match(geo.text[line_start:e.start].upper()))


_DATE_SHAPE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")  # `D.C.  5/28/69`: a court and a date, not `c. 5 § 28`
_PLEA = re.compile(r"\bPLE(?:A|AD|ADS|ADED|D)\W*(?:OF\W*)?$")


def _plea_not_guilty(e: Entity, geo: PageGeometry) -> bool:
    """`PLEA NOT GUILTY`, `PLEADS NOT GUILTY`: a plea at arraignment, not a finding (a guilty plea
    is one: the court finds on it)."""
    if e.label != "DISPOSITION" or not _PLEA.search(geo.text[max(0, e.start - 20):e.start].upper()):
        return False
    return normalize_disposition(e.text).value == "not_guilty"
