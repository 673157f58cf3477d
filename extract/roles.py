"""Which field a date fills and which kind a number is, from the words around it on the page:
the label before it, a prose verb, a column title or a stacked label above it."""

from __future__ import annotations

import re

from extract.entities import Entity
from extract.geometry import PageGeometry
from extract.normalize.events import date_role
from extract.segment import Region


def context_before(ent: Entity, region_ents: list[Entity], geo: PageGeometry) -> str:
    """The label words printed before a value on its line (after the previous entity)."""
    line_start = geo.line_starts[ent.line]
    prev_end = max([e.end for e in region_ents if e.line == ent.line and e.end <= ent.start], default=line_start)
    ctx = geo.text[prev_end:ent.start]
    if not re.search(r"[A-Za-z]{2,}", ctx):  # a value right after another: look a little further back
        ctx = geo.text[max(line_start, ent.start - 40):ent.start]
    return ctx


_COLUMN_KINDS = [(re.compile(r"\b(?:DOCKET|DKT|CASE)"), "docket"), (re.compile(r"\b(?:BOOKING|BKG|ARREST NO)"), "booking_no"),
                 (re.compile(r"\bS\.?I\.?D\b"), "sid"), (re.compile(r"\bP\.?C\.?F\b"), "pcf"),
                 (re.compile(r"\b(?:COMMITMENT|CMT|INMATE NO|W ?NO)"), "commitment_no")]


def column_kind(e: Entity, region: Region, geo: PageGeometry) -> str | None:
    """In a table the column's title says what kind of number a cell holds (`DKT NO.`)."""
    if region.kind != "item" or region.header_line is None or e.line < region.first_line:
        return None
    if any(x.line == region.header_line for x in region.shared):
        return None  # the line above the list holds values (a header's SID), not column titles
    title = header_above(e, region.header_line, geo).upper()
    return next((kind for rx, kind in _COLUMN_KINDS if rx.search(title)), None)


_VERB = re.compile(r"\b(COMMITTED|ADMITTED|RECEIVED|RELEASED|DISCHARGED|PAROLED|ARRESTED|ARRAIGNED|SENTENCED|BOOKED|HEARD|BORN)\b")


def masked(start: int, end: int, ents: list[Entity], geo: PageGeometry) -> str:
    """Text between two offsets with other values blanked (a sentence's `COMMITTED` is not a label)."""
    chars = list(geo.text[start:end].upper())
    for x in ents:
        for i in range(max(x.start, start), min(x.end, end)):
            chars[i - start] = " "
    return "".join(chars)


def _verb_role(text: str) -> str | None:
    """In prose the last event verb before a date says what it dates (`DISCHARGED ... ON <date>`)."""
    verbs = _VERB.findall(text)
    return date_role(verbs[-1]) if verbs else None


def role_of_date(e: Entity, ents: list[Entity], region: Region, geo: PageGeometry) -> str | None:
    """The role a date's label words give it: the words just before it, else the whole line before
    it (prose: `COMMITTED TO MCI CONCORD ON 2nd December 1975`), else a column or stacked label above."""
    ctx = context_before(e, ents, geo)
    before = max((x for x in ents if x.line == e.line and x.end <= e.start), key=lambda x: x.end, default=None)
    if before is not None and before.label == "SENTENCE" and re.fullmatch(r"\W*COMMITTED\W*", ctx.upper()):
        return None  # `18 MONTHS HOC COMMITTED  6-7-66`: the sentence's word, not the date's label
    role = "dob" if re.search(r"(?:^|\s)[Bb]\.?\s*$", ctx) else date_role(ctx)  # `B. 12-19-56`: born
    if role is None:
        prefix = masked(geo.line_starts[e.line], e.start, ents, geo)
        role = _verb_role(prefix) or date_role(prefix)  # `Disposition : CWOF  Orange District Ct. <date>`
    if role is None and e.line > 0 and re.search(r"[A-Za-z]{2}", prefix):
        # A sentence broken over lines (`RELEASED ON PAROLE FROM / MCI NORFOLK ON <date>`); a date
        # that opens its line (a docket entry) starts a sentence of its own.
        role = _verb_role(masked(geo.line_starts[e.line - 1], e.start, ents, geo))
    if role is None and region.kind == "item":
        role = date_role(header_above(e, region.header_line, geo))
    if role is None and e.line > 0 and not any(x.line == e.line - 1 for x in ents):
        # A label line above its values: the label over the value, else the line when it is one label.
        role = date_role(header_above(e, e.line - 1, geo)) or date_role(geo.line_text(e.line - 1))
    return role


def header_above(ent: Entity, header_line: int | None, geo: PageGeometry) -> str:
    """For a table: the column title above the value (the title word nearest its left edge, with
    the word before it when the two make one title: `DISP DATE`)."""
    if header_line is None or header_line < 0:
        return ""
    x0, x1 = geo.column(ent.start, ent.end)
    base = geo.line_starts[header_line]
    words = [(m.group(), *geo.column(base + m.start(), base + m.end())) for m in re.finditer(r"\S+", geo.line_text(header_line))]
    over = [i for i, (_, hx0, hx1) in enumerate(words) if hx1 >= x0 - 2 and hx0 <= x1 + 2]
    if not over:
        return ""
    i = min(over, key=lambda k: abs(words[k][1] - x0))
    pair = " ".join(w for w, _, _ in words[max(0, i - 1):i + 1])
    return pair if date_role(pair) else words[i][0]
