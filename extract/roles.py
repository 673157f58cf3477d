"""Which field a date fills and which kind a number is, from the words around it on the page:
the label before it, a prose verb (before the date, or after it: `ON <date> THE DEFENDANT WAS
ARRAIGNED`), a column title or a stacked label above it.

`role_of_date` says where the role came from (`DateRole.source`) and whether the label could mean
two things (`ARR` is an arraignment on a court's record and an arrest on a police one: the form's
kind decides, and where no kind is known the reading stays ambiguous for the confidence model)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.entities import Entity
from extract.geometry import PageGeometry
from extract.normalize.events import date_role
from extract.segment import Region

# Where a date's role came from, strongest first (the confidence model weighs them).
ROLE_SOURCES = ("label", "column", "verb", "stacked", "record")


@dataclass(frozen=True)
class DateRole:
    role: str | None
    source: str = "record"     # one of ROLE_SOURCES; "record": no words gave it (the record type will)
    ambiguous: bool = False    # the label reads two ways and nothing on the form decided it


def context_before(ent: Entity, region_ents: list[Entity], geo: PageGeometry) -> str:
    """The label words printed before a value on its line (after the previous entity)."""
    line_start = geo.line_starts[ent.line]
    prev_end = max([e.end for e in region_ents if e.line == ent.line and e.end <= ent.start], default=line_start)
    ctx = geo.text[prev_end:ent.start]
    if not re.search(r"[A-Za-z]{2,}", ctx):  # a value right after another: look a little further back
        ctx = masked(max(line_start, ent.start - 40), ent.start, region_ents, geo)  # past the values' own words
    return ctx


_ID_KINDS = [(re.compile(p), k) for p, k in [
    (r"\b(?:DOCKET|DKT)|\b(?:CASE|INDICTMENT|COMPLAINT|CRIMINAL)\.? ?(?:NO|NUMBER|#)", "docket"),
    (r"\b(?:BOOKING|BKG|BOOK NO|BK ?#|JAIL (?:NO|#)|INTAKE NO|ARREST NO)", "booking_no"),
    (r"\bS\.?I\.?D\b|\bSID#|\bSTATE (?:I\.?D|BUREAU)|\bIDENT\.? NO|\bSBI\b|\bMSP ID", "sid"),
    (r"\bP\.?C\.?F\b|PCF(?:NUMBER|#)|CENTRAL FILE|\bC\.?F\.? (?:NO|#)|PROB(?:ATION|\.)? ?(?:C\.?F|FILE|NO)", "pcf"),
    (r"\b(?:COMMITMENT(?!S)|COMMIT\b|CMT|COMM\.? NO|INMATE (?:NO|#|NUMBER)|W ?NO|DOC (?:NO|#)|MCI NO)", "commitment_no"),
    (r"\b(?:INCIDENT|REPORT|CONTROL|CC|PHONE|TEL) ?(?:NO|NUMBER|#)", "none"),
]]


def column_kind(e: Entity, region: Region, geo: PageGeometry) -> str | None:
    """In a table the column's title says what kind of number a cell holds (`DKT NO.`)."""
    return _id_kind(column_title(e, region, geo))


def id_kind(e: Entity, ents: list[Entity], region: Region, geo: PageGeometry) -> str | None:
    """What kind of number a value is, by its label: the words just before it (`Booking Id
    88-01793`), the label stacked above it (`SID No.` over `86-41511`) or its column's title;
    "none" for a number of no field's kind (`Incident No.`); None when no label says."""
    ctx = context_before(e, ents, geo).upper()
    kind = _id_kind(ctx[-30:]) if not re.search(r"[A-Z]\W*\s{3,}$", ctx) else None
    if kind is None and e.line > 0 and not any(x.line == e.line - 1 for x in ents):
        kind = _id_kind(_cell_above(e, geo))
    return kind or column_kind(e, region, geo)


_NUMBER_LABEL = re.compile(r"[A-Z]{2,}\.?\s*(?:NO\b\.?|#|NUMBER|NUM\b\.?)\s*[:.]?\s*$")


def foreign_label(e: Entity, ents: list[Entity], geo: PageGeometry) -> bool:
    """A number printed right after a label that names a number of a kind we do not know
    (`WARRANT NO. 78-9512`, `Wnt # 00-6913`): whatever kind its shape suggests is a guess."""
    ctx = context_before(e, ents, geo).upper()[-30:]
    return bool(_NUMBER_LABEL.search(ctx)) and _id_kind(ctx) is None


def _cell_above(e: Entity, geo: PageGeometry) -> str:
    """The words on the line above that sit over a value (a stacked label of one or a few words)."""
    x0, x1 = geo.column(e.start, e.end)
    base = geo.line_starts[e.line - 1]
    for m in re.finditer(r"\S+(?: \S+)*", geo.line_text(e.line - 1)):
        hx0, hx1 = geo.column(base + m.start(), base + m.end())
        if hx1 >= x0 - 2 and hx0 <= x1 + 2:
            return m.group().upper() if len(m.group().split()) <= 4 else ""
    return ""


def _id_kind(label: str) -> str | None:
    found = [(m.end(), k) for rx, k in _ID_KINDS if (m := rx.search(label.upper()))]
    return max(found)[1] if found else None  # the label nearest the value


_VALUE_LABELS = {"DATE", "DOB", "SID", "PCF", "COMMIT_NO", "DOCKET", "BOOKING_NO", "PERSON"}


def column_title(e: Entity, region: Region, geo: PageGeometry) -> str:
    """The title of the column a list item's value sits in ("" when the list has no title line)."""
    if region.kind != "item" or region.header_line is None or e.line <= region.header_line:
        return ""
    if any(x.line == region.header_line and x.label in _VALUE_LABELS for x in region.shared):
        return ""  # the line above the list holds values (a header's SID), not column titles
    return header_above(e, region.header_line, geo).upper()


_VERB = re.compile(r"\b(COMMITTED|ADMITTED|RECEIVED|RELEASED|DISCHARGED|PAROLED|ARRESTED|ARRAIGNED|SENTENCED|BOOKED|HEARD|BORN)\b")
# After a date (`ON 5-5-87 THE COURT FOUND ...`) a finding dates the disposition; a motion `HEARD`
# on a docket is no hearing of the record's, so it is not read forwards.
_VERB_AFTER = re.compile(r"\b(COMMITTED|ADMITTED|RECEIVED|RELEASED|DISCHARGED|PAROLED|ARRESTED|ARRAIGNED|SENTENCED|"
                         r"BOOKED|FOUND|DISPOSED)\b")
_AFTER_ROLE = {"FOUND": "disposition_date", "DISPOSED": "disposition_date"}
# `ARR` alone: arraignment on a court's or probation's record, arrest on a police one.
_ARR_ABBREV = re.compile(r"\bARR\b\.?(?!\s*(?:EST|ESTED)\b)")


def masked(start: int, end: int, ents: list[Entity], geo: PageGeometry) -> str:
    """Text between two offsets with other values blanked (a sentence's `COMMITTED` is not a label)."""
    chars = list(geo.text[start:end].upper())
    for x in ents:
        for i in range(max(x.start, start), min(x.end, end)):
            chars[i - start] = " "
    return "".join(chars)


def _sentence_verbs(ents: list[Entity], geo: PageGeometry) -> list[Entity]:
    """The verb that opens a sentence's words (`COMMITTED 2 YRS HOC`, `SENTENCED TO 5 YRS`), as a
    span to blank with the sentence: it says what the sentence did, not what a date dates."""
    out = []
    for x in ents:
        lead = geo.text[max(0, x.start - 16):x.start]
        if x.label == "SENTENCE" and (m := re.search(r"\b(?:COMMITTED|SENTENCED)(?:\s+TO)?\s*$", lead.upper())):
            out.append(Entity(x.start - len(lead) + m.start(), x.start, "VERB", "", "rules"))
    return out


def _verb_role(text: str) -> str | None:
    """In prose the last event verb before a date says what it dates (`DISCHARGED ... ON <date>`)."""
    verbs = _VERB.findall(text)
    return date_role(verbs[-1]) if verbs else None


def _verb_after(e: Entity, ents: list[Entity], geo: PageGeometry) -> str | None:
    """`ON 1-4-87 THE DEFENDANT WAS ARRAIGNED`: the first event verb after a date that opens a
    clause, within its sentence (up to a full stop, a semicolon or the next date)."""
    line_start = geo.line_starts[e.line]
    lead = masked(line_start, e.start, ents, geo).strip()
    if lead and not re.search(r"\b(?:ON|DATED|ABOUT)\W*$", lead):
        return None
    end = line_start + len(geo.line_text(e.line))
    nxt = min((x.start for x in ents if x.label in ("DATE", "DOB") and x.start > e.start), default=end)
    # Only values whose words are no verbs of the prose are blanked (a sentence's `COMMITTED`); a
    # reader may have run a name or a court over the verb (`WAS ARRAIGNED ON A CHARGE`).
    text = masked(e.end, min(end, nxt), [x for x in ents if x.label in ("SENTENCE", "OFFENSE")], geo)
    if re.match(r"\W*(?:THE\s+)?(?:COMPLAINT|COMPLAIT|INDICTMENT|MOTION|WARRANT|NOTICE|LETTER|REPORT|PAPERS|APPEARANCE)",
                text):
        return None  # `02/22/72 COMPLAINT RECEIVED`: the date of a paper, not of the person
    stop = re.search(r"[.;](?:\s|$)", text)
    m = _VERB_AFTER.search(text[:stop.start()] if stop else text)
    if not m:
        return None
    return _AFTER_ROLE.get(m.group(1)) or date_role(m.group(1))


def _one_label(line: str) -> bool:
    """A line that is one label, not a row of column titles."""
    return bool(line.strip()) and not re.search(r"\S\s{3,}\S", line.strip())


def _own_label(ctx: str) -> bool:
    """In a table, words before a value that are its own label (`DISP DATE: <date>`), not the
    neighbouring cell's words (`60 DAYS H.O.C. COMMITTED   <date>` under a DISCHARGED column)."""
    if re.search(r"[A-Za-z]\W*\s{3,}$", ctx):
        return False  # a column gap between the words and the value
    return bool(re.search(r"[:#]\s*$", ctx) or re.search(r"\b(?:DATE|DT|ON)\b\W*$", ctx.upper()))


def role_of_date(e: Entity, ents: list[Entity], region: Region, geo: PageGeometry, form: str | None = None) -> DateRole:
    """The role a date's label words give it, first found of: the words just before it; its
    column's title (in a list); the line before it on its line (prose: `COMMITTED TO MCI CONCORD ON
    2nd December 1975`); a verb after it; a finding just before it (`GUILTY  08/25/96`); the line
    above when the sentence runs on; a stacked label above. `form` (extract.form_kind) decides
    what a court's record cannot date and what `ARR` means."""
    found = _role_words(e, ents, region, geo)
    if found is None:
        return DateRole(None)
    role, source, words = found
    if form == "court" and role in ("admission_date", "release_date"):
        # A court's record dates no custody: `RECEIVED <date>` is the clerk's stamp, `RELEASED ON
        # RECOGNIZANCE` a bail note.
        return DateRole(None)
    if role == "arrest_date" and _ARR_ABBREV.search(words.upper()) and not re.search(r"ARREST", words.upper()):
        if form == "court":
            return DateRole("arraignment_date", source)
        return DateRole("arrest_date", source, ambiguous=form != "police")
    return DateRole(role, source)


def _role_words(e: Entity, ents: list[Entity], region: Region, geo: PageGeometry) -> tuple[str, str, str] | None:
    """(role, source, the words that gave it), or None."""
    ctx = context_before(e, ents, geo)
    before = max((x for x in ents if x.line == e.line and x.end <= e.start), key=lambda x: x.end, default=None)
    if before is not None and before.label == "SENTENCE" and re.fullmatch(r"\W*COMMITTED\W*", ctx.upper()):
        ctx = ""  # `18 MONTHS HOC COMMITTED  6-7-66`: the sentence's word, not the date's label
    title = column_title(e, region, geo)
    title_role = date_role(title) if title else None
    if re.search(r"(?:^|\s)[Bb]\.?\s*$", ctx):
        return "dob", "label", ctx  # `B. 12-19-56`: born
    role = date_role(ctx)
    if role is not None and (title_role is None or _own_label(ctx)):
        return role, "label", ctx
    if title_role is not None:
        return title_role, "column", title
    prefix = masked(geo.line_starts[e.line], e.start, ents + _sentence_verbs(ents, geo), geo)
    role = _verb_role(prefix)
    if role is not None:
        return role, "verb", prefix
    role = date_role(prefix)  # `Disposition : CWOF  Orange District Ct. <date>`
    if role is not None:
        return role, "label", prefix
    role = _verb_after(e, ents, geo)
    if role is not None:
        return role, "verb", ""
    if before is not None and before.label == "DISPOSITION":
        return "disposition_date", "verb", before.text  # `GUILTY  08/25/96`: the finding's date
    if e.line > 0 and re.search(r"[A-Za-z]{2}", prefix) and not re.search(r"[.;:]\s*$", geo.line_text(e.line - 1)):
        # A sentence broken over lines (`RELEASED ON PAROLE FROM / MCI NORFOLK ON <date>`); a date
        # that opens its line (a docket entry) or follows a full stop starts a sentence of its own.
        text = masked(geo.line_starts[e.line - 1], e.start, ents, geo)
        role = _verb_role(text)
        if role is not None:
            return role, "verb", text
    if e.line > 0 and not any(x.line == e.line - 1 for x in ents):
        # A label line above its values: the label over the value, else the line when it is one label.
        above = header_above(e, e.line - 1, geo)
        role = date_role(above)
        if role is not None:
            return role, "stacked", above
        line = geo.line_text(e.line - 1)
        if _one_label(line) and (role := date_role(line)) is not None:
            return role, "stacked", line
    return None


def header_above(ent: Entity, header_line: int | None, geo: PageGeometry) -> str:
    """For a table: the column title above the value (the title word nearest its left edge, with
    the word before it when the two make one title: `DISP DATE`)."""
    if header_line is None or header_line < 0:
        return ""
    x0, x1 = geo.column(ent.start, ent.end)
    base = geo.line_starts[header_line]
    cells = [(m.group(), *geo.column(base + m.start(), base + m.end()))
             for m in re.finditer(r"\S+(?: \S+)*", geo.line_text(header_line))]
    over = [c for c, hx0, hx1 in cells if hx1 >= x0 - 2 and hx0 <= x1 + 2]
    if len(over) == 1 and len(over[0].split()) <= 3 and (len(cells) >= 2 or date_role(over[0])):
        return over[0]  # a title of a few words set apart by wide gaps: `DATE DISPOSED`, not `BOOKING  DATE`
    words = [(m.group(), *geo.column(base + m.start(), base + m.end())) for m in re.finditer(r"\S+", geo.line_text(header_line))]
    over = [i for i, (_, hx0, hx1) in enumerate(words) if hx1 >= x0 - 2 and hx0 <= x1 + 2]
    if not over:
        return _title_by_order(ent, header_line, geo)
    i = min(over, key=lambda k: abs(words[k][1] - x0))
    pair = " ".join(w for w, _, _ in words[max(0, i - 1):i + 1])
    return pair if date_role(pair) else words[i][0]


def _title_by_order(ent: Entity, header_line: int, geo: PageGeometry) -> str:
    """A ragged row (a long cell pushes the rest right): the value's cell by its order in the row,
    when the row has as many cells as the title line has titles, or when it is the last cell."""
    gap = re.compile(r"\S+(?: \S+)*")
    titles = [m.group() for m in gap.finditer(geo.line_text(header_line))]
    line_start = geo.line_starts[ent.line]
    cells = [(line_start + m.start(), line_start + m.end()) for m in gap.finditer(geo.line_text(ent.line))]
    at = next((k for k, (a, b) in enumerate(cells) if a <= ent.start < b), None)
    if at is None or not titles:
        return ""
    if len(cells) == len(titles):
        return titles[at]
    return titles[-1] if at == len(cells) - 1 and len(cells) >= len(titles) - 1 else ""
