"""The idempotent merge: verified records (one JSON object per line) into the repository, with
provenance, keyed by each record's content address (VerifiedRecord.key).

- same key, same content hash: unchanged, nothing is written;
- same key, changed content: the old content goes to extraction_history, the extraction, its
  event, identity and charges are rewritten and a new review is added;
- new key: document, page, region, extraction, review, identity, event and charges are added.

Records go in chunks, one transaction each: a crash loses at most the chunk in flight, and a
re-run completes it without duplicates. Each table's rows of a chunk go in at the driver level
(COPY on PostgreSQL, executemany on SQLite) with ids taken beforehand (`_new_ids`), never one ORM
object per row, so millions of records fit in bounded memory; SQLite and PostgreSQL differ only
in those two functions.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from pydantic import ValidationError
from pydantic_core import to_json
from sqlalchemy import (JSON, Connection, Engine, String, Table, bindparam, delete, exists, func, select,
                        update)

from .offence_store import OffenceClasses
from .prefetch import prefetched
from .schema import (ChargeRow, Document, Event, EventHistory, Extraction, Identity, Page, Person, Region,
                     Review)
from .verified import DEMOGRAPHICS, EVENT_DATE_FIELD, VerifiedRecord, content_hash

CHUNK = 5000
_NAME_SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

DOC, PAGE, REGION, EXT = Document.__table__, Page.__table__, Region.__table__, Extraction.__table__
REVIEW, PERSON, IDENT, EVENT = Review.__table__, Person.__table__, Identity.__table__, Event.__table__
CHARGE, HISTORY = ChargeRow.__table__, EventHistory.__table__


class RecordError(ValueError):
    """Why one input line cannot be merged; the rest of the file goes on."""


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str
    text: str

    def as_dict(self) -> dict:
        return {"line": self.line, "reason": self.reason, "text": self.text}


@dataclass
class MergeCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    people: int = 0

    def as_dict(self) -> dict:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "people": self.people}


@dataclass(frozen=True)
class Who:
    """What people assignment looks at in one identity."""

    sid: str | None
    last_name: str | None
    first_name: str | None
    dob: dt.date | None

    @property
    def name_key(self) -> tuple | None:
        if self.last_name and self.first_name and self.dob:
            return (self.last_name, self.first_name, self.dob)
        return None


@dataclass
class _Item:
    """One record as the rows it becomes (ids filled in as the chunk is written)."""

    key: str
    content_hash: str
    document: dict
    page: tuple[int, int, int]
    ordinal: int
    bbox: dict
    extraction: dict
    review: dict
    identity: dict
    event: dict
    charges: list[dict] = field(default_factory=list)
    line: int = 0  # where it was read: for a rejection found when its chunk is checked
    source: str | bytes = ""

    @property
    def who(self) -> Who:
        i = self.identity
        return Who(i["sid"], i["last_name"], i["first_name"], i["dob"])


# ---- parsing: one line → rows, or a reason --------------------------------------------------

def _lengths(table: Table) -> dict[str, int]:
    return {c.name: c.type.length for c in table.columns if isinstance(c.type, String) and c.type.length}


_SECTIONS = (("document", DOC), ("extraction", EXT), ("review", REVIEW), ("identity", IDENT), ("event", EVENT),
             ("charges", CHARGE))
_LIMITS = {t.name: _lengths(t) for _, t in _SECTIONS}


def _refuse_overlong(items: list[_Item]) -> tuple[list[_Item], list[Rejection]]:
    """Refuse, for the record, a value longer than its column rather than fail the chunk on
    PostgreSQL (SQLite would store it silently). Checked a column at a time over the chunk:
    columns are cut out with itemgetter and `max(map(len, ...))`, both in C, and only a column
    that overflows is looked at row by row."""
    bad: dict[int, str] = {}
    for part, table in _SECTIONS:
        if part == "charges":
            rows = [c for it in items for c in it.charges]
            owner = [n for n, it in enumerate(items) for _ in it.charges]
        else:
            rows, owner = [getattr(it, part) for it in items], range(len(items))
        if not rows:
            continue
        names = [n for n in _LIMITS[table.name] if n in rows[0]]
        columns = zip(*map(itemgetter(*names), rows)) if len(names) > 1 else [[r[names[0]] for r in rows]]
        for name, values in zip(names, columns):
            limit = _LIMITS[table.name][name]
            if max(map(len, filter(None, values)), default=0) > limit:
                for n, v in zip(owner, values):
                    if v and len(v) > limit:
                        bad.setdefault(n, f"{table.name}.{name} is longer than {limit} characters")
    if not bad:
        return list(items), []
    refused = [Rejection(items[n].line, reason, _shown(items[n].source)) for n, reason in sorted(bad.items())]
    return [it for n, it in enumerate(items) if n not in bad], refused


def _text(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise RecordError(f"{name}: expected text, got {type(value).__name__}")


def _date(value: Any, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise RecordError(f"{name}: not an ISO date (YYYY-MM-DD)")  # no value: a DOB is identifying
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RecordError(f"{name}: impossible date (no such day)") from None


def split_name(name: str | None) -> tuple[str | None, str | None, str | None]:
    """`LAST[ SUFFIX], FIRST[ M]` → (last, first, middle); the suffix stays in the full name but
    not in the surname (a JR is not part of the name to compare)."""
    if not name or not str(name).strip():
        return None, None, None
    last, _, rest = str(name).upper().partition(",")
    words = last.split()
    if len(words) > 1 and words[-1].rstrip(".") in _NAME_SUFFIXES:
        words = words[:-1]
    given = rest.replace(".", " ").split()
    return (" ".join(words) or None, given[0] if given else None, " ".join(given[1:]) or None)


def _reason(e: ValidationError) -> str:
    parts = []
    for err in e.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "record"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def parse_line(text: str | bytes) -> VerifiedRecord:
    try:  # pydantic parses the JSON itself (in Rust): faster than json.loads, then validate
        return VerifiedRecord.model_validate_json(text)
    except ValidationError as e:
        if e.errors()[0]["type"] == "json_invalid":
            try:
                json.loads(text)
            except json.JSONDecodeError as je:
                raise RecordError(f"not JSON: {je.msg} at column {je.colno}") from None
            except UnicodeDecodeError:
                raise RecordError("not UTF-8 text") from None
        if e.errors()[0]["type"] == "model_type":
            raise RecordError("not a JSON object") from None
        raise RecordError(_reason(e)) from None


def _charge_row(ordinal: int, charge: dict, classes: OffenceClasses, year: int | None) -> dict:
    v = {k: (fv["value"] if fv is not None else None) for k, fv in charge.items()}
    sentence = v["sentence"] if isinstance(v["sentence"], dict) else None
    if v["sentence"] is not None and sentence is None:
        raise RecordError(f"charge {ordinal}: the sentence is not a normalized sentence object")
    s = sentence or {}
    code = _text(v["offense_code"], f"charge {ordinal} offense_code")
    category, level = classes.classify(code, year)
    fine = s.get("fine")
    if fine is not None and (isinstance(fine, bool) or not isinstance(fine, (int, float))):
        raise RecordError(f"charge {ordinal}: fine {fine!r} is not a number")
    return {
        "ordinal": ordinal, "description": _text(v["description"], f"charge {ordinal} description"),
        "statute": _text(v["statute"], f"charge {ordinal} statute"), "offense_code": code,
        "category": category, "level": level,
        "disposition": _text(v["disposition"], f"charge {ordinal} disposition"),
        "sentence_type": _text(s.get("type"), "sentence type"), "sentence_min": _text(s.get("min"), "sentence min"),
        "sentence_max": _text(s.get("max"), "sentence max"), "to_serve": _text(s.get("to_serve"), "to_serve"),
        "probation": _text(s.get("probation"), "probation"), "fine": fine,
        "suspended": bool(s["suspended"]) if s.get("suspended") is not None else None, "sentence": sentence}


def to_item(rec: VerifiedRecord, classes: OffenceClasses) -> _Item:
    """The rows one verified record becomes; RecordError when a value cannot be stored."""
    dumped = rec.model_dump(mode="json", include={"fields", "charges"})
    frame = (rec.frame.row, rec.frame.col) if rec.frame else (-1, -1)
    return _build_item(rec.key, rec.source, rec.sha256, (rec.page, *frame), rec.record, rec.bbox, rec.event_type,
                       rec.confidence, dumped["fields"], dumped["charges"], rec.provenance.model_dump(),
                       rec.verification.model_dump(), rec.event_date(), classes)


def dict_to_item(d: dict, classes: OffenceClasses) -> _Item:
    """`to_item` for a record held as the plain dict a VerifiedRecord dumps to (fields and charges
    complete, `provenance` with every Provenance field, `verification.at` a datetime), built by
    code that has checked it already: an agency feed's rows skip a pydantic round trip per row."""
    frame = d["frame"]
    where = f"{frame['row']}.{frame['col']}" if frame else "-"
    key = f"{d['sha256']}:{d['page']}:{where}:{d['record']}"
    fields = d["fields"]
    own = fields.get(EVENT_DATE_FIELD.get(d["event_type"], ""))
    when = own["value"] if own else next((fields[k]["value"] for k in sorted(fields)
                                          if k.endswith("_date") and fields[k]["value"]), None)
    return _build_item(key, d["source"], d["sha256"], (d["page"], *((frame["row"], frame["col"]) if frame else (-1, -1))),
                       d["record"], d["bbox"], d["event_type"], d["confidence"], fields, d["charges"],
                       d["provenance"], d["verification"], when, classes)


def _build_item(key: str, source: str, sha256: str, page: tuple[int, int, int], ordinal: int, bbox, event_type: str,
                confidence: float, fields: dict, charges: list, prov: dict, verification: dict, when: str | None,
                classes: OffenceClasses) -> _Item:
    for name, fv in fields.items():  # every date the record carries must be a real one
        if name == "dob" or name.endswith("_date"):
            _date(fv["value"], name)
    chash = content_hash(event_type, bbox, fields, charges, prov)
    event_date = _date(when, "event date")

    def value(name: str):
        fv = fields.get(name)
        return fv["value"] if fv is not None else None

    name = _text(value("name"), "name")
    last, first, middle = split_name(name)
    identity = {"name": name, "last_name": last, "first_name": first, "middle": middle, "dob": _date(value("dob"), "dob")}
    for k in ("sid", "pcf", "commitment_no", *DEMOGRAPHICS):
        identity[k] = _text(value(k), k)
    x0, y0, x1, y1 = bbox if bbox else (None, None, None, None)
    year = event_date.year if event_date else None
    return _Item(
        key=key, content_hash=chash,
        document={"sha256": sha256, "source": source, "agency": prov["agency"], "county": prov["county"],
                  "series": prov["series"], "reel": prov["reel"], "fiche": prov["fiche"], "box": prov["box"],
                  "folder": prov["folder"]},
        page=page, ordinal=ordinal, bbox={"x0": x0, "y0": y0, "x1": x1, "y1": y1},
        extraction={"record_key": key, "content_hash": chash, "event_type": event_type,
                    "confidence": confidence, "fields": fields, "charges": charges},
        review={"by": verification["by"], "at": verification["at"], "how": verification["how"],
                "content_hash": chash},
        identity=identity,
        event={"event_type": event_type, "event_date": event_date, "agency": prov["agency"],
               "county": prov["county"], "court": _text(value("court"), "court"),
               "facility": _text(value("facility"), "facility"), "docket": _text(value("docket"), "docket")},
        charges=[_charge_row(i, c, classes, year) for i, c in enumerate(charges)])


# ---- people ----------------------------------------------------------------------------------

def assign_people(conn: Connection, whos: Sequence[Who]) -> list[int]:
    """Each identity's person, deterministically: by SID (a new person with that SID when none
    has it), else with an earlier identity of the same last name, first name and DOB, else a
    new person. Probabilistic linkage (review/linkage.py) re-clusters later; this is the rule
    the merge applies as records arrive, in input order."""
    sids = {w.sid for w in whos if w.sid}
    by_sid: dict[str, int | tuple] = {}
    if sids:
        # The lowest id when several people share a SID (after a re-clustering): stable.
        for sid, pid in conn.execute(select(PERSON.c.sid, func.min(PERSON.c.id))
                                     .where(PERSON.c.sid.in_(sids)).group_by(PERSON.c.sid)):
            by_sid[sid] = pid
    keys = {w.name_key for w in whos if w.name_key}
    by_name: dict[tuple, int | tuple] = {}
    if keys:
        cols = (IDENT.c.last_name, IDENT.c.first_name, IDENT.c.dob)
        # Single-column INs (a row-value IN of thousands of tuples makes PostgreSQL scan the
        # table), served by ix_identities_block; the exact keys are picked out here.
        for last, first, dob, pid in conn.execute(
                select(*cols, func.min(IDENT.c.person_id))
                .where(IDENT.c.last_name.in_({k[0] for k in keys}), IDENT.c.dob.in_({k[2] for k in keys}),
                       IDENT.c.person_id.is_not(None)).group_by(*cols)):
            if (last, first, dob) in keys:
                by_name[(last, first, dob)] = pid
    new_sids: list[str | None] = []   # the people to create, by their slot
    slots: list[int | tuple] = []     # a person id, or ("new", slot)
    for w in whos:
        key = w.name_key
        if w.sid:
            pid = by_sid.get(w.sid)
            if pid is None:
                pid = by_sid[w.sid] = ("new", len(new_sids))
                new_sids.append(w.sid)
        elif key is not None and key in by_name:
            pid = by_name[key]
        else:
            pid = ("new", len(new_sids))
            new_sids.append(None)
        if key is not None:
            by_name.setdefault(key, pid)  # later identities of this chunk meet this one
        slots.append(pid)
    if not new_sids:
        return slots  # type: ignore[return-value]
    ids = _insert_with_ids(conn, PERSON, [{"sid": s} for s in new_sids])
    return [ids[p[1]] if isinstance(p, tuple) else p for p in slots]


# ---- writing a chunk -------------------------------------------------------------------------

def _new_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """`n` fresh primary keys for `table`, taken before its rows are written, so a chunk's rows
    go in with plain COPY/executemany and no RETURNING round trip to match ids back to rows.
    PostgreSQL: a block of the table's own sequence, moved on in one step; the table lock (held
    to commit, readers unaffected) keeps any other writer's nextval out of the block. SQLite:
    after the largest id; the chunk's transaction holds the write lock from its start (merge_chunk)."""
    if n == 0:
        return []
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"LOCK TABLE {table.name} IN SHARE ROW EXCLUSIVE MODE")
        seq = f"pg_get_serial_sequence('{table.name}', 'id')"
        last = conn.exec_driver_sql(f"SELECT setval({seq}, nextval({seq}) + {n - 1})").scalar_one()
        return list(range(last - n + 1, last + 1))
    top = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(top + 1, top + n + 1))


def _insert_with_ids(conn: Connection, table: Table, rows: list[dict]) -> list[int]:
    """Insert rows; their new ids, in the rows' order."""
    ids = _new_ids(conn, table, len(rows))
    _write_rows(conn, table, [{"id": i, **r} for i, r in zip(ids, rows)])
    return ids


def _write_rows(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Bulk-insert rows at the driver level, the way `bench load` writes its raw side: COPY on
    PostgreSQL, executemany on SQLite. Values still pass through each column type's own bind
    processing (dates, JSON), so what is stored is what SQLAlchemy would store."""
    if not rows:
        return
    cols = list(rows[0])
    dialect = conn.dialect
    pg = dialect.name == "postgresql"
    procs = []
    for c in cols:
        t = table.c[c].type
        if isinstance(t, JSON):
            procs.append(_dump_json)  # SQLAlchemy's JSON type stores None as JSON null, and so does this
        elif pg:
            procs.append(None)  # psycopg adapts dates, times and numbers itself
        else:
            procs.append(t.dialect_impl(dialect).bind_processor(dialect))
    columns = [[proc(r[c]) for r in rows] if proc else [r[c] for r in rows] for c, proc in zip(cols, procs)]
    cursor = conn.connection.driver_connection.cursor()
    if pg:
        with cursor.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in zip(*columns):
                copy.write_row(row)
    else:
        cursor.executemany(f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                           list(zip(*columns)))
    cursor.close()


def _dump_json(value: Any) -> str:
    return to_json(value).decode()  # pydantic-core's: about 3x json.dumps


def _document_ids(conn: Connection, items: list[_Item]) -> dict[str, int]:
    docs = {it.document["sha256"]: it.document for it in items}
    ids = dict(conn.execute(select(DOC.c.sha256, DOC.c.id).where(DOC.c.sha256.in_(docs))).all())
    missing = [d for sha, d in docs.items() if sha not in ids]
    ids.update(zip((d["sha256"] for d in missing), _insert_with_ids(conn, DOC, missing)))
    return ids


def _page_ids(conn: Connection, items: list[_Item], doc_ids: dict[str, int]) -> list[int]:
    keys = [(doc_ids[it.document["sha256"]], *it.page) for it in items]
    cols = (PAGE.c.document_id, PAGE.c.page, PAGE.c.frame_row, PAGE.c.frame_col)
    wanted = set(keys)
    docs = {k[0] for k in wanted}  # by document (indexed by the unique constraint), then exactly
    ids = {k: r[0] for r in conn.execute(select(PAGE.c.id, *cols).where(PAGE.c.document_id.in_(docs)))
           if (k := tuple(r[1:])) in wanted}
    missing = [k for k in dict.fromkeys(keys) if k not in ids]
    page_cols = ("document_id", "page", "frame_row", "frame_col")
    new = _insert_with_ids(conn, PAGE, [dict(zip(page_cols, k)) for k in missing])
    ids.update(zip(missing, new))
    return [ids[k] for k in keys]


def _region_ids(conn: Connection, items: list[_Item], page_ids: list[int]) -> list[int]:
    keys = [(p, it.ordinal) for p, it in zip(page_ids, items)]
    cols = (REGION.c.page_id, REGION.c.ordinal)
    # A region can exist without an extraction (drawn for review before it was verified): reuse it.
    wanted = set(keys)
    # By page and ordinal (the unique index): a feed's events are all regions of its one page.
    found = conn.execute(select(REGION.c.id, *cols).where(REGION.c.page_id.in_({k[0] for k in keys}),
                                                          REGION.c.ordinal.in_({k[1] for k in keys})))
    have = {(p, o): rid for rid, p, o in found if (p, o) in wanted}
    if have:
        _update_bboxes(conn, [(have[k], it.bbox) for k, it in zip(keys, items) if k in have])
    todo = [(k, it) for k, it in zip(keys, items) if k not in have]
    new = _insert_with_ids(conn, REGION, [{"page_id": k[0], "ordinal": k[1], **it.bbox} for k, it in todo])
    have.update(zip((k for k, _ in todo), new))
    return [have[k] for k in keys]


def _update_bboxes(conn: Connection, pairs: list[tuple[int, dict]]) -> None:
    if pairs:
        conn.execute(update(REGION).where(REGION.c.id == bindparam("rid")),
                     [{"rid": rid, **bbox} for rid, bbox in pairs])


def _write_charges(conn: Connection, items: list[_Item], event_ids: list[int]) -> None:
    rows = [{"event_id": eid, **c} for it, eid in zip(items, event_ids) for c in it.charges]
    _write_rows(conn, CHARGE, rows)


def _insert_new(conn: Connection, items: list[_Item]) -> None:
    doc_ids = _document_ids(conn, items)
    region_ids = _region_ids(conn, items, _page_ids(conn, items, doc_ids))
    ext_ids = _insert_with_ids(conn, EXT, [{**it.extraction, "region_id": r, "version": 1}
                                           for it, r in zip(items, region_ids)])
    review_ids = _insert_with_ids(conn, REVIEW, [{**it.review, "extraction_id": e} for it, e in zip(items, ext_ids)])
    person_ids = assign_people(conn, [it.who for it in items])
    ident_ids = _insert_with_ids(conn, IDENT, [{**it.identity, "extraction_id": e, "person_id": p}
                                               for it, e, p in zip(items, ext_ids, person_ids)])
    event_ids = _insert_with_ids(conn, EVENT, [
        {**it.event, "extraction_id": e, "review_id": r, "person_id": p, "identity_id": i}
        for it, e, r, p, i in zip(items, ext_ids, review_ids, person_ids, ident_ids)])
    _write_charges(conn, items, event_ids)


def _rewrite_changed(conn: Connection, changed: list[tuple[_Item, int]], now: dt.datetime) -> None:
    """Records whose content changed: keep the old content as history, then rewrite."""
    ext_ids = [e for _, e in changed]
    old = {r.id: r for r in conn.execute(
        select(EXT.c.id, EXT.c.version, EXT.c.content_hash, EXT.c.fields, EXT.c.charges, EXT.c.region_id)
        .where(EXT.c.id.in_(ext_ids)))}
    _write_rows(conn, HISTORY, [{"extraction_id": e, "version": old[e].version, "content_hash": old[e].content_hash,
                                  "fields": old[e].fields, "charges": old[e].charges, "replaced_at": now}
                                 for e in ext_ids])
    conn.execute(update(EXT).where(EXT.c.id == bindparam("eid")), [
        {"eid": e, "version": old[e].version + 1,
         **{k: v for k, v in it.extraction.items() if k != "record_key"}} for it, e in changed])
    _update_bboxes(conn, [(old[e].region_id, it.bbox) for it, e in changed])
    review_ids = _insert_with_ids(conn, REVIEW, [{**it.review, "extraction_id": e} for it, e in changed])
    ident = {r.extraction_id: r for r in conn.execute(
        select(IDENT.c.extraction_id, IDENT.c.id, IDENT.c.person_id).where(IDENT.c.extraction_id.in_(ext_ids)))}
    events = dict(conn.execute(select(EVENT.c.extraction_id, EVENT.c.id)
                               .where(EVENT.c.extraction_id.in_(ext_ids))).all())
    person_ids = assign_people(conn, [it.who for it, _ in changed])
    conn.execute(update(IDENT).where(IDENT.c.id == bindparam("iid")), [
        {"iid": ident[e].id, **it.identity, "person_id": p} for (it, e), p in zip(changed, person_ids)])
    conn.execute(update(EVENT).where(EVENT.c.id == bindparam("evid")), [
        {"evid": events[e], **it.event, "review_id": r, "person_id": p}
        for (it, e), r, p in zip(changed, review_ids, person_ids)])
    event_ids = [events[e] for e in ext_ids]
    conn.execute(delete(CHARGE).where(CHARGE.c.event_id.in_(event_ids)))
    _write_charges(conn, [it for it, _ in changed], event_ids)
    # A person whose only identity moved to another person is gone.
    left = {ident[e].person_id for e in ext_ids} - set(person_ids) - {None}
    if left:
        delete_orphan_people(conn, left)


def delete_orphan_people(conn: Connection, among: set[int] | None = None) -> int:
    """Delete the people (of `among`, or all) no identity and no event points to any more."""
    stmt = delete(PERSON).where(~exists().where(IDENT.c.person_id == PERSON.c.id),
                                ~exists().where(EVENT.c.person_id == PERSON.c.id))
    if among is not None:
        stmt = stmt.where(PERSON.c.id.in_(among))
    return conn.execute(stmt).rowcount


def merge_chunk(engine: Engine, items: list[_Item]) -> tuple[int, int, int]:
    """One transaction: (inserted, updated, unchanged). Keys must be unique within the chunk."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":  # take the write lock now: _new_ids reads the largest ids
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        have = {k: (e, h) for k, e, h in conn.execute(
            select(EXT.c.record_key, EXT.c.id, EXT.c.content_hash).where(EXT.c.record_key.in_([i.key for i in items])))}
        new = [it for it in items if it.key not in have]
        changed = [(it, have[it.key][0]) for it in items if it.key in have and have[it.key][1] != it.content_hash]
        if new:
            _insert_new(conn, new)
        if changed:
            _rewrite_changed(conn, changed, dt.datetime.now(dt.timezone.utc))
    return len(new), len(changed), len(items) - len(new) - len(changed)


def count_people(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(PERSON)).scalar_one()


@contextmanager
def _gc_paused():
    """Parsing makes thousands of small acyclic objects a chunk, which refcounting frees; left on,
    the cyclic collector re-walks the growing heap and took 4/5 of the parse time (measured).
    It is paused while merging and runs on the young generations after each chunk."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def merge_lines(engine: Engine, lines: Iterable[tuple[int, str | bytes]], *,
                on_reject: Callable[[Rejection], None] = lambda r: None,
                on_chunk: Callable[[int], None] = lambda n: None, chunk_size: int = CHUNK,
                workers: int = 1) -> MergeCounts:
    """Merge numbered JSON lines of verified records; the schema must be current. Rejected lines
    go to `on_reject` and the rest goes on; `on_chunk(n)` after each committed chunk. With
    `workers=2` the lines are parsed in a forked child a chunk ahead of the writes
    (models/prefetch.py): for a command line, not inside a threaded flow."""
    with _gc_paused():
        counts = MergeCounts()
        classes = read_classes(engine)

        def produce() -> Iterator[Prepared]:
            return prepare_chunks(lines, classes, chunk_size)

        for chunk in prefetched(produce) if workers > 1 else produce():
            merge_prepared(engine, chunk, counts, on_reject)
            on_chunk(len(chunk.items))
        counts.people = count_people(engine)
        return counts


@dataclass
class Prepared:
    """A chunk ready for `merge_chunk`, and the records refused on the way (no database needed
    to make one: it can be made in another process while the previous chunk is written)."""

    items: list[_Item]
    rejections: list[Rejection]


def prepare_chunks(lines: Iterable[tuple[int, str | bytes | VerifiedRecord | dict]], classes: OffenceClasses,
                   chunk_size: int = CHUNK) -> Iterator[Prepared]:
    """Numbered input (JSON lines, VerifiedRecords, or `dict_to_item` dicts) as chunks of rows."""
    chunk: list[_Item] = []
    keys: set[str] = set()
    refused: list[Rejection] = []

    def flush() -> Prepared:
        items, more = _refuse_overlong(chunk)
        for it in items:
            it.source = ""  # the line itself is not needed past here: do not carry it to another process
        out = Prepared(items, refused + more)
        chunk.clear(), keys.clear(), refused.clear()
        return out

    for lineno, text in lines:
        parsed = isinstance(text, (VerifiedRecord, dict))
        if not parsed and not text.strip():
            continue
        shown = f"record {lineno}" if parsed else text
        try:
            item = dict_to_item(text, classes) if isinstance(text, dict) else \
                to_item(text if parsed else parse_line(text), classes)
        except RecordError as e:
            refused.append(Rejection(lineno, str(e), _shown(shown)))
            continue
        item.line, item.source = lineno, shown
        if item.key in keys:  # the same record twice in a chunk: the later one is a re-delivery
            yield flush()
        chunk.append(item)
        keys.add(item.key)
        if len(chunk) >= chunk_size:
            yield flush()
    if chunk or refused:
        yield flush()


def merge_prepared(engine: Engine, chunk: Prepared, counts: MergeCounts,
                   on_reject: Callable[[Rejection], None] = lambda r: None) -> None:
    """Write one prepared chunk (one transaction) and count it."""
    for r in chunk.rejections:
        counts.rejected += 1
        on_reject(r)
    if chunk.items:
        i, u, s = merge_chunk(engine, chunk.items)
        counts.inserted += i
        counts.updated += u
        counts.unchanged += s
    gc.collect(1)


def read_classes(engine: Engine) -> OffenceClasses:
    with engine.connect() as conn:
        return OffenceClasses.read(conn)


def _shown(text: str | bytes) -> str:
    return (text.decode("utf-8", "replace") if isinstance(text, bytes) else text).rstrip("\r\n")


def numbered_lines(path) -> Iterable[tuple[int, bytes]]:
    """A JSONL file's lines, numbered from 1, read as a stream (bytes: a line that is not UTF-8
    is rejected on its own rather than stopping the file)."""
    with open(path, "rb") as f:
        yield from enumerate(f, start=1)
