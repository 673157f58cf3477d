"""Rule entities: values found by their shape (dates, citations, dockets) or by the label printed
before them (`SID: 123456`, `NAME: HALL, ARTHUR E.`).

Rules are precise where the NER generalizes; agreement between the two is the strongest
confidence signal, so they run separately and are compared later (`extract/confidence.py`).
Patterns live in `patterns.json` so they can be reviewed and extended as data.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from extract.normalize.dates import find_dates
from extract.normalize.events import date_role
from extract.normalize.names import given_names
from extract.normalize.statutes import find_citations
from extract.offences import load_offence_table

PATTERNS_PATH = Path(__file__).with_name("patterns.json")
RULES_KEY = "rules"  # doc.spans key the component writes


@dataclass(frozen=True)
class Ent:
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Patterns:
    labelled: tuple[tuple[re.Pattern, str], ...]
    enders: re.Pattern
    dispositions: re.Pattern
    sentence_words: frozenset[str]
    sentence_triggers: frozenset[str]
    courts: tuple[re.Pattern, ...]
    facilities: tuple[re.Pattern, ...]
    docket: re.Pattern
    commitment: re.Pattern


def _words_re(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.lru_cache(maxsize=4)
def load_patterns(path: Path = PATTERNS_PATH) -> Patterns:
    data = json.loads(path.read_text())
    labelled = []
    for label, words in data["labelled"].items():
        # A label word, not part of a longer word, then its separator.
        labelled.append((re.compile(rf"(?<![A-Za-z0-9])(?:{_words_re(words)})(?![A-Za-z])\s*[:#.\-]?\s*", re.I), label))
    labelled.sort(key=lambda p: -len(p[0].pattern))
    return Patterns(
        labelled=tuple(labelled),
        enders=re.compile(rf"(?<![A-Za-z])(?:{_words_re(data['labels_that_end_a_value'])})(?![A-Za-z])\s*[:#]", re.I),
        dispositions=re.compile(rf"(?<![A-Za-z])(?:{_words_re(data['dispositions'])})(?![A-Za-z])", re.I),
        sentence_words=frozenset(data["sentence_words"]),
        sentence_triggers=frozenset(data["sentence_triggers"]),
        courts=tuple(re.compile(p) for p in data["court_shapes"]),
        facilities=tuple(re.compile(p) for p in data["facility_shapes"]),
        docket=re.compile(data["docket_shape"]),
        commitment=re.compile(data["commitment_shape"]),
    )


_ID = re.compile(r"[A-Z0-9][A-Z0-9\-]{2,15}(?![A-Za-z0-9])", re.I)
_NAME = re.compile(r"[A-Z][A-Za-z'\-]*\.?(?:,? (?:[A-Z][A-Za-z'\-]*\.?)){1,4}")
_NUMBER = re.compile(r"^\$?[0-9OIl]+(?:[./][0-9]+)?\.?$|^\(?INDET\.?\)?$")


class _Line:
    """Entities on one line; later finds may not overlap earlier (higher-priority) ones."""

    def __init__(self, text: str, offset: int):
        self.text, self.offset, self.ents = text, offset, []

    def free(self, s: int, e: int) -> bool:
        return e > s and all(e <= x.start or s >= x.end for x in self.ents)

    def add(self, s: int, e: int, label: str) -> bool:
        # Trim spaces and trailing separators so the span starts and ends on a word.
        while s < e and self.text[s] in " ,;:":
            s += 1
        while e > s and self.text[e - 1] in " ,;:":
            e -= 1
        if self.free(s, e):
            self.ents.append(Ent(s, e, label))
            return True
        return False


def _value_end(line: _Line, start: int, pats: Patterns, max_words: int) -> int:
    """Where a free-text value that starts at `start` ends: next label, a wide gap or the line end."""
    end = len(line.text)
    m = pats.enders.search(line.text, start + 1)
    if m:
        end = m.start()
    gap = line.text.find("  ", start)
    if gap != -1:
        end = min(end, gap)
    words = line.text[start:end].split(" ")
    if len(words) > max_words:
        end = start + len(" ".join(words[:max_words]))
    return end


def _all_labels(text: str, pats: Patterns) -> bool:
    words = re.findall(r"[A-Za-z]+", text)
    return bool(words) and all(any(rx.fullmatch(w + " ") or rx.fullmatch(w) for rx, _ in pats.labelled) for w in words)


def _sentence_word(tok: str, pats: Patterns) -> bool:
    return tok in pats.sentence_words or bool(_NUMBER.match(tok) or _UNIT_NUMBER.fullmatch(tok))


_UNIT_NUMBER = re.compile(r"\d+(?:YRS?|MOS?|DAYS)")


def _sentence_at(text: str, start: int, pats: Patterns) -> int:
    """End of a run of sentence vocabulary starting at `start` (or `start` when it has no trigger)."""
    end, seen = start, False
    for m in re.finditer(r"\S+", text[start:]):
        tok = m.group().upper().rstrip(",;")
        if _sentence_word(tok, pats):
            if tok in pats.sentence_triggers or re.fullmatch(r"\$\d[\d,.]*|\d+(?:YRS?|MOS?|DAYS)", tok):
                seen = True
            end = start + m.end()
            continue
        break
    return end if seen else start


def _labelled(line: _Line, pats: Patterns) -> None:
    t = line.text
    for rx, label in pats.labelled:
        for m in rx.finditer(t):
            v = m.end()
            if v >= len(t) or not line.free(m.start(), v):
                continue
            if label == "DOB":
                d = [x for x in find_dates(t[v:]) if x[0] <= 1]
                if d:
                    line.add(v + d[0][0], v + d[0][1], "DOB")
            elif label in {"SID", "PCF", "COMMIT_NO", "BOOKING_NO", "DOCKET"}:
                idm = pats.docket.match(t, v) if label == "DOCKET" else None
                idm = idm or _ID.match(t, v)
                if idm and any(c.isdigit() for c in idm.group()):
                    line.add(idm.start(), idm.end(), label)
            elif label == "PERSON":
                nm = _NAME.match(t, v)
                if nm:
                    line.add(v, min(nm.end(), _value_end(line, v, pats, 5)), "PERSON")
            elif label == "DISPOSITION":
                dm = pats.dispositions.match(t, v)
                if dm:
                    line.add(dm.start(), dm.end(), "DISPOSITION")
            elif label == "SENTENCE":
                e = _sentence_at(t, v, pats)
                if e > v:
                    line.add(v, e, "SENTENCE")
            elif label in {"COURT", "FACILITY", "OFFENSE"}:
                end = _value_end(line, v, pats, 8)
                if not _all_labels(t[v:end], pats):  # `OFFENSE DISPOSITION`: a row of column titles
                    line.add(v, end, label)


def _shapes(line: _Line, pats: Patterns) -> None:
    t = line.text
    for m in pats.docket.finditer(t):
        line.add(m.start(), m.end(), "DOCKET")
    for m in pats.commitment.finditer(t):
        line.add(m.start(), m.end(), "COMMIT_NO")
    table = load_offence_table()
    for c in find_citations(t, known=table.has_statute):
        # A bare `64-361` is only a citation when the table knows it; `c. 64, § 361` always is.
        if re.search(r"[cC§sS]", t[c.start:c.end]) or table.has_statute(c.statute):
            line.add(c.start, c.end, "STATUTE")
    for s, e in find_dates(t):
        line.add(s, e, "DATE")
    upper = t.upper()
    for rx, label in [(r, "COURT") for r in pats.courts] + [(r, "FACILITY") for r in pats.facilities]:
        for m in rx.finditer(upper):
            line.add(m.start(), m.end(), label)
    for m in pats.dispositions.finditer(t):
        line.add(m.start(), m.end(), "DISPOSITION")
    for m in re.finditer(r"(?:(?<=\s)|^)(\S+)", t):
        tok = m.group(1).upper().rstrip(",;")
        if not _sentence_word(tok, pats):
            continue  # the cheap test first: most words open no sentence
        if line.free(m.start(), m.start() + 1):
            e = _sentence_at(t, m.start(), pats)
            if e > m.start() and len(t[m.start():e].split()) >= 2:
                line.add(m.start(), e, "SENTENCE")


_PROSE_WORDS = {"AND", "SENTENCED", "TO", "THE", "OF", "FOR", "CRIME", "BY", "ON", "WAS", "WHO", "IN", "VIOLATION",
                "SAID", "COMMITTED", "AGAINST", "PEACE", "FORM", "STATUTE", "SUCH", "CASE", "MADE", "PROVIDED", "COUNT",
                "CHARGE", "CHARGES", "OFFENSE", "OFFENCE", "GUILTY", "PLEA", "AS", "AT", "WITH", "UNDER", "G.L", "GL", "MGL"}


_W = r"[A-Z][A-Za-z'\-]+"
_SFX = r"(?:\s(?:JR|SR|II|III|IV)\.?)?"
_NAME_SHAPES = (
    re.compile(rf"(?P<last>{_W}{_SFX}),\s?(?P<first>{_W})(?:\s(?P<mi>[A-Z])\b\.?)?"),        # LAST, FIRST M
    re.compile(rf"(?P<first>{_W})\s(?:(?P<mi>[A-Z])\.?\s)?(?P<last>{_W}{_SFX})(?![A-Za-z])"),  # FIRST M. LAST
    re.compile(rf"(?P<last>{_W}{_SFX})\s(?P<first>{_W})\s(?P<mi>[A-Z])\b\.?"),               # LAST FIRST M
)
# Words that follow a given name in addresses and titles, not surnames.
_NOT_SURNAME = {"ST", "ST.", "AVE", "AVENUE", "STREET", "RD", "ROAD", "DISTRICT", "COURT", "COUNTY", "HOUSE", "SQ",
                "HALL", "PLACE", "PL", "DR", "DRIVE", "BLVD", "WAY", "LANE", "LN", "HWY", "PARK", "J", "J."}


def _names(line: _Line) -> None:
    """Unlabelled names (a list's name column, prose): capitalized words around a known given name."""
    given = given_names()
    for rx in _NAME_SHAPES:
        for m in rx.finditer(line.text):
            first, last = m.group("first").upper(), m.group("last").upper()
            if first not in given or last.split()[0] in _NOT_SURNAME or last in given and first not in given:
                continue
            line.add(m.start(), m.end(), "PERSON")


def _offence_by_table(line: _Line) -> None:
    """A case line whose offence the other readers missed: a column (text between wide gaps) that
    reads as an offence in the table, closely (`COLLATERAL DISPOSE OF DEPOSITED`)."""
    labels = {x.label for x in line.ents}
    if "OFFENSE" in labels or not labels & {"PERSON", "DOCKET", "DATE", "DOB"}:
        return
    table = load_offence_table()
    for m in re.finditer(r"\S+(?: \S+)*", line.text):  # single spaces inside, wide gaps between
        words = re.findall(r"[A-Za-z&]{2,}", m.group())
        if not (len(words) >= 2 or m.group() in {"A&B", "B&E", "OUI"}) or not line.free(m.start(), m.end()):
            continue
        best = table.match_description(m.group())
        if best and best[0][1] >= 0.9:
            line.add(m.start(), m.end(), "OFFENSE")
            return


def _offence_beside_statute(line: _Line) -> None:
    """On a charge line the words beside a citation, not otherwise claimed, are the offence."""
    if not any(x.label == "STATUTE" for x in line.ents):
        return
    taken = sorted(line.ents, key=lambda x: x.start)
    cuts = [0] + [p for x in taken for p in (x.start, x.end)] + [len(line.text)]
    best = None
    for s, e in zip(cuts[::2], cuts[1::2]):
        seg = line.text[s:e]
        m = re.search(r"[A-Za-z&][A-Za-z0-9&/'.,+\- ]*[A-Za-z0-9.)$]", seg.strip(" -()"))
        if not m:
            continue
        core = seg.strip(" -()")
        s2 = s + seg.index(core) + m.start()
        e2 = s + seg.index(core) + m.end()
        words = re.findall(r"[A-Za-z]{2,}", line.text[s2:e2])
        if date_role(line.text[s2:e2]) is not None and len(words) <= 2:
            continue  # a label (`DISP`, `DATE`), not an offence
        if {w.upper() for w in words} <= _PROSE_WORDS:
            continue  # `AND SENTENCED TO`: the prose around a citation
        if len(words) >= 1 and (best is None or e2 - s2 > best[1] - best[0]):
            best = (s2, e2)
    if best:
        s, e = best
        s += len(re.match(r"(?:(?:COUNT|CT\.?|NO\.?)\s*)?\d{0,2}[.)]?\s*", line.text[s:e], re.I).group())
        line.add(s, e, "OFFENSE")


def find_rule_entities(text: str, patterns: Patterns | None = None) -> list[Ent]:
    """All rule entities in `text` (lines separated by "\\n"), as character spans."""
    pats = patterns or load_patterns()
    out: list[Ent] = []
    offset = 0
    for raw in text.split("\n"):
        line = _Line(raw, offset)
        _labelled(line, pats)
        _shapes(line, pats)
        _offence_beside_statute(line)
        _names(line)
        _offence_by_table(line)
        out.extend(Ent(x.start + offset, x.end + offset, x.label) for x in line.ents)
        offset += len(raw) + 1
    return sorted(out, key=lambda x: x.start)


@Language.factory("crosstrack_rules")
def make_rules(nlp: Language, name: str):
    return RuleComponent()


class RuleComponent:
    """Writes the rule entities to `doc.spans["rules"]`, leaving `doc.ents` to the NER."""

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for ent in find_rule_entities(doc.text):
            span = doc.char_span(ent.start, ent.end, ent.label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[RULES_KEY] = spans
        return doc


def rule_spans(doc: Doc) -> list[Span]:
    return list(doc.spans.get(RULES_KEY, []))
