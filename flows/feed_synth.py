"""Agency extracts of the synthetic state's people (issue 9): the same people as its scanned
records, their newer DOC, District Court, Probation and Parole events written as each agency's
extract file, encoded through the agency's own mapping (its code tables read backwards), so what
`feed import` reads back is what the generator meant.

`write_feeds` writes a whole state (scans in verified.jsonl, feeds under feeds/, the truth of
both in people.csv); `write_samples` writes small extracts with deliberate bad rows of every kind
and the reason each must be quarantined with (expected.csv).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic_core import to_json

from extract.feeds.mapping import FeedMapping, Value, known_mappings
from extract.feeds.rows import record_ordinal
from extract.offences import load_offence_table
from models import synth
from models.verified import EVENT_DATE_FIELD

FEEDS_FROM = 2010  # agency systems deliver extracts from this year on; earlier events are scanned
FILE_NAMES = {"doc-movements": "IMS_MOVES_{tag}.txt", "district-court-dispositions": "dispositions_{tag}.csv",
              "probation-supervision": "supervision_{tag}.xlsx", "parole-hearings": "decisions_{tag}.jsonl"}
_ISO_PART = re.compile(r"(\d+)([YMD])")


# ---- a record as an extract row -------------------------------------------------------------

def _months(iso: str) -> str:
    n = {u: int(v) for v, u in _ISO_PART.findall(iso)}
    return str(n.get("Y", 0) * 12 + n.get("M", 0))


class RowEncoder:
    """A verified-record dict → the rows (column → text) its agency's extract holds for it."""

    def __init__(self, mapping: FeedMapping):
        self.m = mapping
        # An agency cites the statute the offence table gives the charge's code (the generator's
        # statute is the code's prefix, which a few index rows cite differently: 269/12F → c269 §13F).
        self.statute_of = {o.code: o.statute for o in load_offence_table().offences}
        self.reverse = {t: {} for t in mapping.codes}
        for t, table in mapping.codes.items():
            for code, value in table.items():
                self.reverse[t].setdefault(value, code)  # the first code of a value is the one written

    def _text(self, v: Value | None, value) -> tuple[str | None, str]:
        if v is None or v.column is None or value is None:
            return None, ""
        if v.type == "date":
            return v.column, dt.date.fromisoformat(value).strftime(v.formats[0])
        if v.type == "code":
            return v.column, self.reverse[v.codes].get(value, "")
        if v.type == "months":
            return v.column, _months(value)
        if v.type == "flag":
            return v.column, "Y" if value else "N"
        return v.column, str(value)

    def rows(self, rec: dict) -> list[dict[str, str]]:
        m = self.m
        fields = {k: fv["value"] for k, fv in rec["fields"].items()}
        base: dict[str, str] = {}

        def put(v: Value | None, value) -> None:
            col, text = self._text(v, value)
            if col and (col not in base or not base[col]):
                base[col] = text

        put(m.event_type, rec["event_type"])
        put(m.event_date, _event_date(rec))
        name = fields.get("name") or ""
        if m.name.column:
            base[m.name.column] = name
        else:
            last, _, given = name.partition(",")
            first, _, middle = given.strip().partition(" ")
            base[m.name.last], base[m.name.first] = last.strip(), first
            if m.name.middle:
                base[m.name.middle] = middle[:1]
        for target, v in m.fields.items():
            if target != "charge_no":
                put(v, fields.get(target))
        if m.county:
            put(m.county, rec["provenance"]["county"])
        charges = rec["charges"] if m.charge else []
        if not charges:
            return [_complete(base, m)]
        out = []
        for no, ch in enumerate(charges[: None if "charge_no" in m.fields else 1], start=1):
            row = dict(base)
            if "charge_no" in m.fields:
                row[m.fields["charge_no"].column] = str(no)
            c = {k: (fv["value"] if fv else None) for k, fv in ch.items()}
            c["statute"] = self.statute_of.get(c["offense_code"], c["statute"])
            cm = m.charge
            for part in ("offense_code", "statute", "description", "disposition"):
                spec = getattr(cm, part)
                if spec is not None and spec.column:
                    col, text = self._text(spec, c[part])
                    row[col] = text
            if cm.sentence and isinstance(c["sentence"], dict):
                for part in ("min", "max", "to_serve", "probation", "fine"):
                    spec = getattr(cm.sentence, part)
                    if spec is not None and c["sentence"].get(part):
                        col, text = self._text(spec, c["sentence"][part])
                        row[col] = text
            out.append(_complete(row, m))
        return out

    def key(self, row: dict[str, str]) -> str:
        """The record key `feed import` gives this row's event."""
        ordinal = record_ordinal(tuple(row.get(c, "").strip().upper() for c in self.m.key))
        return f"{self.m.sha256}:1:-:{ordinal}"


def _event_date(rec: dict) -> str | None:
    return rec["fields"].get(EVENT_DATE_FIELD.get(rec["event_type"], ""), {}).get("value")


def _complete(row: dict[str, str], m: FeedMapping) -> dict[str, str]:
    return {c: row.get(c, "") for c in m.columns()}


# ---- extract files ------------------------------------------------------------------------

def write_extract(m: FeedMapping, path: Path, rows: Iterable[dict[str, str]]) -> int:
    """Rows written as the mapping's format: fixed-width, CSV, an .xlsx workbook, JSON Lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    if m.format == "excel":
        import openpyxl
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(m.excel.sheet or "Sheet1")
        cols = m.columns()
        sheet.append(cols)
        for r in rows:
            sheet.append([_excel_value(r.get(c, "")) for c in cols])
            n += 1
        book.save(path)
        return n
    with path.open("w", encoding=m.encoding, newline="") as f:
        if m.format == "csv":
            w = csv.writer(f, delimiter=m.csv.delimiter, lineterminator="\r\n")
            cols = m.columns()
            w.writerow(cols)
            for r in rows:
                w.writerow(r["__cells__"] if "__cells__" in r else [r.get(c, "") for c in cols])  # a broken row as is
                n += 1
        elif m.format == "fixed_width":
            for r in rows:
                f.write(r["__line__"] if "__line__" in r else _fixed_line(m, r))
                f.write("\n")
                n += 1
        else:
            for r in rows:
                f.write(r["__line__"] if "__line__" in r else json.dumps({c: r.get(c) or None for c in m.columns()}))
                f.write("\n")
                n += 1
    return n


def _fixed_line(m: FeedMapping, r: dict[str, str]) -> str:
    return "".join(r.get(c.column, "")[: c.width].ljust(c.width) for c in m.fixed_width)


def _excel_value(text: str):
    """Dates as date cells and numbers as numbers, as an agency's workbook holds them."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text  # a day that does not exist stays text, as a clerk typed it
    return int(text) if text.isdigit() and not text.startswith("0") else text


# ---- a state with feeds -----------------------------------------------------------------------

def feed_records(people: int, seed: int, feeds_from: int = FEEDS_FROM) -> Iterator[synth.SynthRecord]:
    return synth.generate_with_truth(people, seed, feeds_from=feeds_from)


def write_feeds(out: Path, people: int, seed: int, feeds_from: int = FEEDS_FROM, tag: str = "2025-01") -> dict:
    """out/verified.jsonl (the scans), out/feeds/<feed>/<file> (the extracts) and out/people.csv
    (record key → true person, for both)."""
    out.mkdir(parents=True, exist_ok=True)
    mappings = {m.feed: m for m in known_mappings()}
    encoders = {f: RowEncoder(m) for f, m in mappings.items()}
    rows: dict[str, list[dict]] = {f: [] for f in mappings}
    seen: dict[str, set[str]] = {f: set() for f in mappings}
    counts = {"scanned": 0, **{f: 0 for f in mappings}}
    with (out / "verified.jsonl").open("wb") as fj, (out / "people.csv").open("w", newline="") as fc:
        truth = csv.writer(fc, lineterminator="\n")
        truth.writerow(("record_key", "person_id"))
        for x in feed_records(people, seed, feeds_from):
            src = x.record["source"]
            if not src.startswith("feed:"):
                fj.write(to_json(x.record) + b"\n")
                truth.writerow((synth.record_key(x.record), x.person_id))
                counts["scanned"] += 1
                continue
            feed = src[5:]
            enc = encoders[feed]
            for row in enc.rows(x.record):
                key = enc.key(row)
                if key in seen[feed]:  # the same event key twice (two cases heard the same day): one row
                    continue
                seen[feed].add(key)
                rows[feed].append(row)
                truth.writerow((key, x.person_id))
                counts[feed] += 1
    files = {}
    for feed, m in mappings.items():
        path = out / "feeds" / feed / FILE_NAMES[feed].format(tag=tag)
        write_extract(m, path, rows[feed])
        files[feed] = str(path)
    return {"people": people, "records": counts, "files": files, "truth": str(out / "people.csv"),
            "verified": str(out / "verified.jsonl")}


# ---- samples with bad rows ----------------------------------------------------------------------

# Each kind of bad row the samples carry, with the words its quarantine reason must contain.
BAD_KINDS = (
    ("bad_date", "is not a date in"),                 # the event date in another layout
    ("impossible_date", "impossible date"),           # February 30th
    ("unknown_code", "unknown"),                      # a code missing from its code table
    ("missing_required", "required"),                 # a required column left empty
    ("bad_identifier", "not an identifier of the shape"),
    ("dob_after_event", "not before the event"),
    ("future_date", "after the extract was taken"),
    ("unknown_offence", "offence"),                   # an offence code not in the offence table
    ("duplicate_key", "repeats the event key"),       # a second row for the same event
    ("unreadable", ""),                               # a line the format cannot read (per format below)
)
_UNREADABLE_REASON = {"fixed_width": "the layout needs", "csv": "cells where the header has",
                      "jsonl": "not JSON", "excel": "is not a date in"}


def _break(kind: str, m: FeedMapping, row: dict[str, str]) -> dict | None:
    """The row broken one way, or None when this feed has nothing of that kind to break."""
    r = dict(row)
    date_col, fmt = m.event_date.column, m.event_date.formats[0]
    if kind == "bad_date":
        r[date_col] = "2015.13.45"
    elif kind == "impossible_date":
        r[date_col] = dt.date(2019, 2, 28).strftime(fmt).replace("28", "30")  # February 30th
    elif kind == "unknown_code":
        coded = [v for v in m.values() if v.type == "code" and v.column and v is not m.county]
        if not coded:
            return None
        r[coded[0].column] = "ZZQ"
    elif kind == "missing_required":
        req = [v.column for v in m.fields.values() if v.required and v.column and v.column not in m.key]
        if not req:
            return None
        r[req[0]] = ""
    elif kind == "bad_identifier":
        ids = [v.column for v in m.fields.values() if v.type == "id" and v.pattern and v.column not in m.key]
        if not ids:
            return None
        r[ids[0]] = "12-AB"
    elif kind == "dob_after_event":
        dob = m.fields.get("dob")
        if dob is None:
            return None
        r[dob.column] = dt.date(2024, 6, 1).strftime(dob.formats[0])
        r[date_col] = dt.date(2023, 6, 1).strftime(fmt)
    elif kind == "future_date":
        r[date_col] = dt.date(2099, 1, 1).strftime(fmt)
    elif kind == "unknown_offence":
        if not (m.charge and m.charge.offense_code and m.charge.offense_code.column):
            return None
        r[m.charge.offense_code.column] = "999/99/Z"
    elif kind == "duplicate_key":  # the same event again, its DOB changed
        dob = m.fields.get("dob")
        if dob is None or dob.column in m.key:
            return None
        r[dob.column] = dt.date(1970, 1, 1).strftime(dob.formats[0])
    elif kind == "unreadable":
        if m.format == "fixed_width":
            r = {"__line__": _fixed_line(m, row)[:40]}
        elif m.format == "jsonl":
            r = {"__line__": '{"commitment": "W1234", "action": '}
        elif m.format == "csv":
            r = {"__cells__": ["TRUNCATED", "ROW"]}
        else:
            r[date_col] = "next tuesday"
    return r


def write_samples(out: Path, people: int = 120, seed: int = 2024, per_feed: int = 60) -> dict:
    """Small extracts of each sample feed with one bad row of every kind that applies to it, and
    out/<feed>/expected.csv: the bad rows' numbers, kinds and the words their reasons carry."""
    mappings = {m.feed: m for m in known_mappings()}
    encoders = {f: RowEncoder(m) for f, m in mappings.items()}
    good: dict[str, list[dict]] = {f: [] for f in mappings}
    keys: dict[str, set] = {f: set() for f in mappings}
    for x in feed_records(people, seed):
        feed = x.record["source"].removeprefix("feed:")
        if feed not in good:
            continue  # a scanned record
        for row in encoders[feed].rows(x.record):
            k = encoders[feed].key(row)
            if k not in keys[feed] and len(good[feed]) < per_feed:
                keys[feed].add(k)
                good[feed].append(row)
    rng = random.Random(seed)
    result = {}
    for feed, m in mappings.items():
        rows = list(good[feed])
        bad: dict[int, tuple[str, str]] = {}  # id(row) → (kind, the words its reason carries)
        for kind, words in BAD_KINDS:
            at = rng.choice([i for i in range(5, len(rows)) if id(rows[i]) not in bad])
            broken = _break(kind, m, rows[at])
            if broken is None:
                continue
            if kind != "duplicate_key" and kind != "unreadable":
                broken[m.key[0]] = _fresh_key(encoders[feed], broken, keys[feed])  # its own event, not a repeat
            rows.insert(at + 1 if kind == "duplicate_key" else at, broken)
            bad[id(broken)] = (kind, words or _UNREADABLE_REASON[m.format])
        path = out / feed / FILE_NAMES[feed].format(tag="sample")
        write_extract(m, path, rows)
        first = 2 if m.format in ("csv", "excel") else 1  # a header row comes first
        expected = [(n + first, *bad[id(r)]) for n, r in enumerate(rows) if id(r) in bad]
        with (out / feed / "expected.csv").open("w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(("row", "kind", "reason_contains"))
            w.writerows(expected)
        result[feed] = {"file": str(path), "rows": len(rows), "bad": len(expected)}
    return result


def _fresh_key(enc: RowEncoder, row: dict, taken: set) -> str:
    """A first key column value no good row has, so a broken row is its own event."""
    m = enc.m
    col = m.key[0]
    value = row.get(col, "")
    if col == m.event_date.column:
        return value
    n = 0
    while True:
        cand = (value[:-3] + f"{900 + n:03d}") if len(value) > 3 else value + str(n)
        if enc.key(dict(row, **{col: cand})) not in taken:
            return cand
        n += 1
