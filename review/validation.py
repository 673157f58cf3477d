"""Validation failures: values no confidence can make acceptable, so their record goes to review.

Each failure is a short reason naming the field path and the rule, never the value (reasons are
logged and shown to operators; values may identify a person).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

from extract.normalize.identifiers import normalize_identifier
from extract.offences import OffenceTable, load_offence_table
from models.verified import EVENT_DATE_FIELD

IDENTIFIERS = ("sid", "docket", "commitment_no", "booking_no", "pcf")
IDENTITY = ("name", "sid", "pcf", "commitment_no", "booking_no")  # what ties a record to a person
DISPOSITIONS = frozenset({"guilty", "not_guilty", "dismissed", "nolle_prosequi", "cwof", "filed"})
EARLIEST = dt.date(1900, 1, 1)      # no event of the archive is older
EARLIEST_DOB = dt.date(1850, 1, 1)  # a 1955 record may well be of someone born in the 1880s
# Younger than the age of criminal responsibility (7 in Massachusetts before 2018), or older than
# anyone an archive of this era records: a misread birth or event date.
MIN_AGE, MAX_AGE = 7, 100
# Dates that cannot come before the offence they are about.
AFTER_OFFENCE = ("arrest_date", "arraignment_date", "disposition_date", "sentence_date")


def _value(record: dict, name: str):
    fv = (record.get("fields") or {}).get(name)
    return fv.get("value") if isinstance(fv, dict) else None


def _date(v) -> dt.date | None:
    try:
        return dt.date.fromisoformat(v) if isinstance(v, str) else None
    except ValueError:
        return None


def _age(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def record_year(record: dict) -> int | None:
    """The year whose law applies: the offence date's, else the record's own event date's, else the
    earliest date it carries."""
    dates = {k: d for k in (record.get("fields") or {}) if k.endswith("_date") and (d := _date(_value(record, k)))}
    own = dates.get("offense_date") or dates.get(EVENT_DATE_FIELD.get(record.get("event_type") or "", ""))
    first = own or min(dates.values(), default=None)
    return first.year if first else None


def _dates(record: dict, today: dt.date) -> Iterator[str]:
    fields = record.get("fields") or {}
    parsed: dict[str, dt.date] = {}
    for name in sorted(fields):
        if not (name.endswith("_date") or name == "dob"):
            continue
        v = _value(record, name)
        d = _date(v)
        if d is None:
            yield f"not a date: fields.{name}"
            continue
        if d > today:
            yield f"date in the future: fields.{name}"
        elif d < (EARLIEST_DOB if name == "dob" else EARLIEST):
            yield f"date before {(EARLIEST_DOB if name == 'dob' else EARLIEST).year}: fields.{name}"
        else:
            parsed[name] = d
    dob = parsed.pop("dob", None)
    for name, d in sorted(parsed.items()) if dob else ():
        if d < dob:
            yield f"birth date after event date: fields.dob, fields.{name}"
        elif _age(dob, d) < MIN_AGE:
            yield f"age at event under {MIN_AGE}: fields.dob, fields.{name}"
        elif _age(dob, d) > MAX_AGE:
            yield f"age at event over {MAX_AGE}: fields.dob, fields.{name}"
    adm, rel = parsed.get("admission_date"), parsed.get("release_date")
    if adm and rel and rel < adm:
        yield "release before admission: fields.release_date"
    off = parsed.get("offense_date")
    for name in AFTER_OFFENCE:
        if off and name in parsed and parsed[name] < off:
            yield f"event before offence date: fields.{name}"


def _identifiers(record: dict) -> Iterator[str]:
    for name in IDENTIFIERS:
        v = _value(record, name)
        if v is None:
            continue
        r = normalize_identifier(v, name) if isinstance(v, str) else None
        if r is None or not r.ok or r.value != v:
            yield f"identifier of impossible shape: fields.{name}"


def _part(charge: dict | None, part: str):
    fv = (charge or {}).get(part)
    return fv.get("value") if isinstance(fv, dict) else None


def _charges(record: dict, table: OffenceTable, codes: frozenset[str], year: int | None) -> Iterator[str]:
    for i, charge in enumerate(record.get("charges") or []):
        statute, code, dispo = (_part(charge, k) for k in ("statute", "offense_code", "disposition"))
        if statute is not None:
            if not isinstance(statute, str) or not table.has_statute(statute):
                yield f"statute not in offence table: charges.{i}.statute"
            elif year is not None and not any(o.in_force(year) for o in table.lookup(statute)):
                yield f"statute not in force in the record's year: charges.{i}.statute"
        if code is not None and code not in codes:
            yield f"offence code not in offence table: charges.{i}.offense_code"
        if dispo is not None and dispo not in DISPOSITIONS:
            yield f"disposition not a known outcome: charges.{i}.disposition"


@dataclass(frozen=True)
class Validator:
    """The checks with what they need built once (the offence table and its codes, today)."""

    table: OffenceTable
    today: dt.date
    codes: frozenset[str]

    @classmethod
    def build(cls, table: OffenceTable | None = None, today: dt.date | None = None) -> "Validator":
        table = table or load_offence_table()
        return cls(table, today or dt.date.today(), frozenset(o.code for o in table.offences))

    def __call__(self, record: dict) -> list[str]:
        """Every validation failure of one extract record, as reasons (field path and rule, no values)."""
        fields = record.get("fields") or {}
        reasons = list(_dates(record, self.today))
        reasons += _identifiers(record)
        reasons += _charges(record, self.table, self.codes, record_year(record))
        if not any(_value(record, k) for k in IDENTITY):
            reasons.append("no person identity: fields.name, identifiers")
        # Any date will do: which field dates which event type varies by record form (a parole
        # permit dates its grant by the release), so only a record with none at all is held.
        if not any(k.endswith("_date") and _value(record, k) for k in fields):
            reasons.append("no date for the event: event_type")
        return reasons


def validate(record: dict, table: OffenceTable | None = None, today: dt.date | None = None) -> list[str]:
    """Every validation failure of one record (build a `Validator` once to check many)."""
    return Validator.build(table, today)(record)
