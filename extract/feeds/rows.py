"""One extract row → a verified-record dict (models.verified.VerifiedRecord), or why not.

Every value is checked as its mapping types it: dates in the agency's formats and possible, codes
in their code tables, identifiers in their shape, offences in the offence table, required values
present; then the record as a whole: a DOB before the event, an age at the event a person could
have, no event after the delivery. A reason never quotes an identifying value (a name, a DOB, an
identifier): quarantine reports and logs are read by more people than the repository is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from extract.normalize.names import format_name
from models.provenance import Provenance
from models.verified import EVENT_DATE_FIELD
from extract.offences import Offence, OffenceTable

from .mapping import IDENTIFYING, FeedMapping, Value
from .readers import Row, RowUnreadable

MIN_YEAR = 1900
AGE_RANGE = (7, 100)  # the age at an event a record can plausibly state
_ISO_DURATION = re.compile(r"P(?!$)(\d+Y)?(\d+M)?(\d+D)?")
_TRUE, _FALSE = frozenset({"Y", "YES", "TRUE", "T", "1"}), frozenset({"N", "NO", "FALSE", "F", "0", ""})


class RowError(ValueError):
    """Why one row is quarantined; `column` is the source column at fault, when there is one."""

    def __init__(self, reason: str, column: str | None = None):
        super().__init__(reason)
        self.column = column


@dataclass(frozen=True)
class Quarantined:
    row: int
    reason: str
    column: str | None = None
    key: int | None = None  # the event's ordinal, when its key could be read


def record_ordinal(key_values: tuple[str, ...]) -> int:
    """The event's ordinal within its feed: a 62-bit digest of its key columns, so a later delivery
    of the same event lands on the same record (any collision among 17 M events: about 3e-5 likely)."""
    digest = hashlib.blake2b("\x1f".join(key_values).encode(), digest_size=8).digest()
    return int.from_bytes(digest) >> 2


def _shown(v: str, target: str) -> str:
    """A value as a reason may quote it: never one that identifies someone."""
    return "" if target in IDENTIFYING else " " + repr(v[:24] + ("…" if len(v) > 24 else ""))


@lru_cache(maxsize=64)
def _date_parser(fmt: str) -> Callable[[str], dt.date]:
    """strptime, with the common layouts sliced directly (about 10x faster on a million rows)."""
    if fmt == "%Y%m%d":
        return lambda s: dt.date(int(s[:4]), int(s[4:6]), int(s[6:8])) if len(s) == 8 and s.isdigit() else _no()
    if fmt == "%Y-%m-%d":
        return lambda s: dt.date.fromisoformat(s) if len(s) == 10 and s[4] == s[7] == "-" else _no()
    if fmt == "%m/%d/%Y":
        def mdy(s: str) -> dt.date:
            m, d, y = s.split("/")
            if len(y) != 4 or not (m.isdigit() and d.isdigit() and y.isdigit()):
                raise ValueError
            return dt.date(int(y), int(m), int(d))
        return mdy
    return lambda s: dt.datetime.strptime(s, fmt).date()


def _no() -> dt.date:
    raise ValueError


class RowMapper:
    """Maps the rows of one delivery to the dicts a VerifiedRecord dumps to (models.merge.dict_to_item
    takes them as they are); `delivered` is when the extract was taken (no event after it)."""

    def __init__(self, mapping: FeedMapping, offences: OffenceTable, delivered: dt.datetime):
        self.m = mapping
        self.offences = offences
        self.delivered = delivered
        self.today = delivered.date()
        self.by_code: dict[str, list[Offence]] = {}
        for o in offences.offences:
            self.by_code.setdefault(o.code, []).append(o)
        self.patterns = {v.pattern: re.compile(v.pattern) for v in mapping.values() if v.pattern}
        self.codes = {t: {k.strip().upper(): v for k, v in table.items()} for t, table in mapping.codes.items()}
        # every Provenance field, in its order: the content hash reads the provenance as a whole
        self.provenance = {**dict.fromkeys(Provenance.model_fields), "agency": mapping.agency, "series": mapping.series}

    # ---- one value -------------------------------------------------------------------------

    def _raw(self, cells: dict[str, str], v: Value, target: str) -> str:
        if v.value is not None:
            return v.value
        raw = cells.get(v.column, "").strip()
        if not raw and v.required:
            raise RowError(f"{target}: required, and {v.column} is empty", v.column)
        return raw

    def value(self, cells: dict[str, str], v: Value, target: str) -> tuple[object, str] | None:
        """(normalized value, text as delivered), or None when empty and optional."""
        raw = self._raw(cells, v, target)
        if not raw:
            return None
        col = v.column
        t = v.type
        if t == "date":
            return self._date(raw, v, target), raw
        if t == "code":
            code = self.codes[v.codes].get(raw.upper())
            if code is None:
                raise RowError(f"{target}: unknown {v.codes} code{_shown(raw, target)} in {col}", col)
            return code, raw
        if t == "id":
            norm = raw.replace(" ", "").upper()
            if v.pattern and not self.patterns[v.pattern].fullmatch(norm):
                raise RowError(f"{target}: {col} is not an identifier of the shape {v.pattern}", col)
            return norm, raw
        if t in ("int", "number", "months"):
            return self._number(raw, v, target), raw
        if t == "flag":
            up = raw.upper()
            if up not in _TRUE and up not in _FALSE:
                raise RowError(f"{target}: {col}{_shown(raw, target)} is not a yes/no flag", col)
            return up in _TRUE, raw
        return (raw.upper() if target in IDENTIFYING or target in ("court", "facility") else raw), raw

    def _date(self, raw: str, v: Value, target: str) -> dt.date:
        impossible = False
        for fmt in v.formats:
            try:
                d = _date_parser(fmt)(raw)
            except ValueError as e:
                # A layout that fits but names no real day (02/30/1990) is impossible, not malformed.
                impossible |= "out of range" in str(e) or "must be in" in str(e)
                continue
            if d.year < MIN_YEAR:
                raise RowError(f"{target}: {v.column}{_shown(raw, target)} is before {MIN_YEAR}", v.column)
            if d > self.today:
                raise RowError(f"{target}: {v.column}{_shown(raw, target)} is after the extract was taken", v.column)
            return d
        what = "an impossible date (no such day)" if impossible else f"not a date in {' or '.join(v.formats)}"
        raise RowError(f"{target}: {v.column}{_shown(raw, target)} is {what}", v.column)

    def _number(self, raw: str, v: Value, target: str) -> object:
        if v.type == "months" and _ISO_DURATION.fullmatch(raw):
            return raw
        try:
            n = float(raw.replace(",", "").lstrip("$")) if v.type == "number" else int(raw)
        except ValueError:
            raise RowError(f"{target}: {v.column}{_shown(raw, target)} is not a "
                           f"{'number' if v.type == 'number' else 'whole number'}", v.column) from None
        if n < 0:
            raise RowError(f"{target}: {v.column}{_shown(raw, target)} is negative", v.column)
        if v.type == "months":
            y, mo = divmod(int(n), 12)
            return "P" + (f"{y}Y" if y else "") + (f"{mo}M" if mo else "") if n else "P0D"
        return n

    # ---- the row ---------------------------------------------------------------------------

    def key(self, cells: dict[str, str]) -> int:
        """The event's ordinal from its key columns (one may be empty: a probation event without a
        docket; a column the event needs is `required` in its field)."""
        values = tuple(cells.get(c, "").strip().upper() for c in self.m.key)
        if not any(values):
            raise RowError(f"the event key columns ({', '.join(self.m.key)}) are all empty", self.m.key[0])
        return record_ordinal(values)

    def __call__(self, row: int, cells: Row) -> dict | Quarantined:
        if isinstance(cells, RowUnreadable):
            return Quarantined(row, cells.reason)
        ordinal = None
        try:
            ordinal = self.key(cells)
            return self._record(cells, ordinal)
        except RowError as e:
            return Quarantined(row, str(e), e.column, ordinal)

    def _record(self, cells: dict[str, str], ordinal: int) -> dict:
        m = self.m
        fields: dict[str, dict] = {}
        name, name_text = self._name(cells)
        if name:
            fields["name"] = _fv(name, name_text)
        for target, v in m.fields.items():
            got = self.value(cells, v, target)
            if got is not None:
                value, text = got
                fields[target] = _fv(value.isoformat() if isinstance(value, dt.date) else value, text)
        event_type = self.value(cells, m.event_type, "event_type")
        if event_type is None:
            raise RowError(f"event_type: {m.event_type.column} is empty", m.event_type.column)
        when = self.value(cells, m.event_date, "event date")
        if when is None:
            raise RowError(f"event date: {m.event_date.column} is empty", m.event_date.column)
        day, text = when
        fields[EVENT_DATE_FIELD.get(event_type[0], "event_date")] = _fv(day.isoformat(), text)
        self._check_ages(fields, day)
        year = day.year
        provenance = self.provenance
        if m.county:
            county = self.value(cells, m.county, "county")
            provenance = {**provenance, "county": county[0] if county else None}
        return {"source": f"feed:{m.feed}", "sha256": m.sha256, "page": 1, "frame": None, "record": ordinal,
                "bbox": None, "event_type": event_type[0], "confidence": 1.0, "fields": fields,
                "charges": [c] if (c := self._charge(cells, year)) else [], "provenance": provenance,
                "verification": {"by": m.verified_by, "at": self.delivered, "how": "feed"}}

    def _name(self, cells: dict[str, str]) -> tuple[str | None, str]:
        n = self.m.name
        if n.column:
            text = cells.get(n.column, "").strip()
            value = " ".join(text.upper().split())
        else:
            parts = [cells.get(c, "").strip() if c else "" for c in (n.last, n.first, n.middle, n.suffix)]
            text = " ".join(p for p in parts if p)
            value = format_name(*parts) if parts[0] and parts[1] else ""
            if (parts[0] or parts[1]) and not value:
                raise RowError(f"name: {n.last if not parts[0] else n.first} is empty", n.last if not parts[0] else n.first)
        if not value and n.required:
            raise RowError("name: required, and the name columns are empty", n.column or n.last)
        return value or None, text

    def _check_ages(self, fields: dict[str, dict], on: dt.date) -> None:
        dob = fields.get("dob")
        if dob is None:
            return
        born = dt.date.fromisoformat(dob["value"])
        if born >= on:
            raise RowError(f"dob: the date of birth is not before the event ({self.m.event_date.column})",
                           self.m.fields["dob"].column)
        age = (on - born).days / 365.25
        if not AGE_RANGE[0] <= age <= AGE_RANGE[1]:
            raise RowError(f"dob: an age of {int(age)} at the event is outside {AGE_RANGE[0]}-{AGE_RANGE[1]}",
                           self.m.fields["dob"].column)

    def _charge(self, cells: dict[str, str], year: int) -> dict | None:
        c = self.m.charge
        if c is None:
            return None
        out: dict[str, dict | None] = {"description": None, "statute": None, "offense_code": None,
                                       "disposition": None, "sentence": None}
        offence = None
        if c.offense_code and (got := self.value(cells, c.offense_code, "offense_code")):
            code, text = got
            options = self.by_code.get(str(code).upper())
            if not options:
                raise RowError(f"offense_code: {c.offense_code.column}{_shown(text, '')} is not in the offence table",
                               c.offense_code.column)
            offence = next((o for o in options if o.in_force(year)), options[0])
            out["offense_code"] = _fv(offence.code, text)
        if c.statute and (got := self.value(cells, c.statute, "statute")):
            _, text = got
            found = self.offences.lookup(text, year)
            if not found:
                raise RowError(f"statute: {c.statute.column}{_shown(text, '')} cites no offence in the table",
                               c.statute.column)
            offence = offence or found[0]
            out["statute"] = _fv(found[0].statute, text)
        if offence is not None:
            out["statute"] = out["statute"] or _fv(offence.statute, offence.statute)
            out["offense_code"] = out["offense_code"] or _fv(offence.code, offence.code)
            out["description"] = _fv(offence.description, offence.description)
        if c.description and (got := self.value(cells, c.description, "description")):
            out["description"] = _fv(got[0], got[1])
        if c.disposition and (got := self.value(cells, c.disposition, "disposition")):
            out["disposition"] = _fv(*got)
        if c.sentence and (s := self._sentence(cells)):
            out["sentence"] = s
        return out if any(out.values()) else None

    def _sentence(self, cells: dict[str, str]) -> dict | None:
        s = self.m.charge.sentence
        kind = self.value(cells, s.type, "sentence type")
        if kind is None:
            return None
        value = {"type": kind[0], "min": None, "max": None, "to_serve": None, "probation": None,
                 "suspended": False, "concurrent": False, "from_and_after": False, "fine": None, "life": False}
        texts = [kind[1]]
        for part in ("min", "max", "to_serve", "probation", "fine", "suspended", "life"):
            spec = getattr(s, part)
            if spec is not None and (got := self.value(cells, spec, f"sentence {part}")) is not None:
                value[part] = got[0]
                texts.append(f"{part}={got[1]}")
        return _fv(value, " ".join(texts)) if len(texts) > 1 else None  # a type alone is no sentence


def _fv(value, text: str) -> dict:
    """A FieldValue as VerifiedRecord dumps it: what an agency system holds is certain."""
    return {"value": value, "text": text, "confidence": 1.0, "bbox": None, "span": None}
