"""The analysts' data access: what the public and cleared pages and API read, as plain functions
over an engine. Public functions touch only anon_events and agg_counts (models.views); every
restricted read goes through models.audit and is recorded before it happens."""

from __future__ import annotations

import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, select

from models import audit, privacy, views
from models.errors import ViewError, ViewsNotBuiltError
from models.schema import Document, Event, Extraction, Identity, Page, Region, Review

MAX_FILTERS = 2  # a cohort is a slice of a table over up to views.AUDIT_MAX_DIMS dimensions
MIN_K = privacy.K  # public downloads may ask for more anonymity, never less
DOCKET = re.compile(r"^\d{4}[A-Z]{2,3}\d{4,8}$")
SEARCH_LIMIT = 50


# ---------------------------------------------------------------- public: aggregates and cohorts

@dataclass
class Trend:
    """An aggregate table as served: its cells (suppressed ones have n None) and what was asked."""
    by: tuple[str, ...]
    filters: dict[str, str]
    threshold: int
    table: views.AggregateTable | None  # None: the cohort is empty

    def rows(self) -> list[dict]:
        return list(self.table.rows(zeros=len(self.by) <= 2)) if self.table else []

    def as_dict(self) -> dict:
        return {"by": list(self.by), "filters": self.filters, "threshold": self.threshold,
                "suppressed": self.table.suppressed if self.table else 0, "cells": self.rows()}


def parse_dims(text: str | Sequence[str]) -> tuple[str, ...]:
    dims = [d.strip() for d in (text.split(",") if isinstance(text, str) else text) if d.strip()]
    if not 1 <= len(dims) <= 2:
        raise ViewError("count by one or two dimensions")
    return views._check_dims(dims)


def check_filters(filters: Mapping[str, str]) -> dict[str, str]:
    clean = {k: v for k, v in filters.items() if v not in (None, "")}
    unknown = [k for k in clean if k not in views.DIMENSIONS]
    if unknown:
        raise ViewError(f"unknown filter(s) {', '.join(unknown)}: choose from {', '.join(views.DIMENSIONS)}")
    if len(clean) > MAX_FILTERS:
        raise ViewError(f"at most {MAX_FILTERS} cohort filters")
    return clean


class TableCache:
    """Suppressed tables, kept per app: three-dimensional ones (cohorts) are grouped from
    anon_events (seconds at state scale), and every table's joint suppression solves linear
    programs. A table is keyed by its dimensions, its threshold and a fingerprint of the views
    (their one-dimensional margins), so a views refresh makes every entry stale. `masks` memoizes,
    per fingerprint, the masks of the tables over fewer dimensions that a table's margins share."""

    def __init__(self, size: int = 32):
        self.size = size
        self.tables: OrderedDict[tuple, views.AggregateTable] = OrderedDict()
        self.masks: OrderedDict[int, dict] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, engine: Engine, dims: tuple[str, ...], threshold: int) -> views.AggregateTable:
        with engine.connect() as conn:
            margins = conn.execute(select(views.agg_counts.c.dims, views.agg_counts.c.key1, views.agg_counts.c.n)
                                   .where(views.agg_counts.c.key2 == "").order_by(views.agg_counts.c.dims,
                                                                                  views.agg_counts.c.key1)).all()
        fingerprint = hash(tuple(map(tuple, margins)))
        key = (tuple(dims), threshold, fingerprint)
        with self.lock:
            if key in self.tables:
                self.tables.move_to_end(key)
                return self.tables[key]
            memo = self.masks.setdefault(fingerprint, {})
            self.masks.move_to_end(fingerprint)
            while len(self.masks) > 2:  # the current views and the ones just replaced
                self.masks.popitem(last=False)
        table = views.aggregate(engine, dims, threshold, memo)  # outside the lock: other requests go on meanwhile
        with self.lock:
            self.tables[key] = table
            while len(self.tables) > self.size:
                self.tables.popitem(last=False)
        return table


def _table(engine: Engine, dims: Sequence[str], threshold: int, cache: TableCache | None) -> views.AggregateTable:
    return cache.get(engine, tuple(dims), threshold) if cache else views.aggregate(engine, dims, threshold)


def trend(engine: Engine, by: Sequence[str], filters: Mapping[str, str] | None = None,
          threshold: int = privacy.THRESHOLD, cache: TableCache | None = None) -> Trend:
    """Counts by one or two dimensions within a cohort (filters on other dimensions), with margins
    and suppression. The public threshold can be raised, never lowered. Every table is suppressed
    jointly with the tables over its dimensions' subsets (views.aggregate), so no two tables served
    here, filtered or not, show a cell the other hides."""
    by = parse_dims(by)
    filters = check_filters(filters or {})
    if threshold < privacy.THRESHOLD:
        raise ViewError(f"the suppression threshold cannot go below {privacy.THRESHOLD}")
    clash = set(by) & set(filters)
    if clash:
        raise ViewError(f"{', '.join(clash)} is both counted by and filtered on")
    if len(by) + len(filters) > views.AUDIT_MAX_DIMS:  # only tables the LP audit covers are served
        raise ViewError(f"a cohort counts by and filters on {views.AUDIT_MAX_DIMS} dimensions at most: "
                        "with two filters, count by one dimension (no series)")
    if not filters:
        return Trend(by, {}, threshold, _table(engine, by, threshold, cache))
    full = _table(engine, by + tuple(filters), threshold, cache)
    return Trend(by, filters, threshold, cohort_slice(full, filters))


def published_family(engine: Engine, dims: Sequence[str], threshold: int = privacy.THRESHOLD) -> list[views.AggregateTable]:
    """Every table the portal serves whose cells are sums over the table by `dims`: the table by
    each non-empty subset of them, as trend() serves it (a cohort is a slice of the table over its
    counted and filtered dimensions, so its cells are among these). Each is computed on its own,
    with no shared memo, so an audit of them also checks that they agree."""
    dims = views._check_dims(dims)
    return [views.aggregate(engine, sub, threshold) for r in range(len(dims), 0, -1)
            for sub in itertools.combinations(dims, r)]


def cohort_slice(full: views.AggregateTable, filters: dict[str, str]) -> views.AggregateTable | None:
    """A cohort's table as a slice of the table over the counted and the filtered dimensions,
    suppression included: a cohort computed and suppressed on its own would show cells that the
    bigger table hides as complements, and give its hidden cells away. None: an empty cohort."""
    at: list = []
    for axis, d in enumerate(full.dims):
        if d not in filters:
            at.append(slice(None))
        elif filters[d] in full.labels[axis][:-1]:
            at.append(full.labels[axis].index(filters[d]))
        else:
            return None
    n = len(full.dims) - len(filters)
    return views.AggregateTable(full.dims[:n], full.labels[:n], full.counts[tuple(at)], full.mask[tuple(at)],
                                full.threshold)


def dimension_values(engine: Engine) -> dict[str, list[str]]:
    """Each dimension's values (from agg_counts), for the cohort filter menus."""
    with engine.connect() as conn:
        rows = conn.execute(select(views.agg_counts.c.dims, views.agg_counts.c.key1)
                            .where(views.agg_counts.c.dims.in_(list(views.DIMENSIONS)))).all()
    if not rows:
        raise ViewsNotBuiltError()
    out: dict[str, list[str]] = {d: [] for d in views.DIMENSIONS}
    for d, k in rows:
        out[d].append(k)
    return {d: sorted(v) for d, v in out.items()}


def timeline_public(engine: Engine, pseud: str) -> list[dict]:
    if not re.fullmatch(r"[0-9a-fA-F]{20}", pseud.strip()):
        raise ViewError("a pseudonym is 20 hexadecimal characters")
    return views.timeline_anonymized(engine, pseud)


def sample_pseudonyms(engine: Engine, n: int = 10) -> list[str]:
    """Some pseudonyms with the longest timelines, for the timeline page's examples."""
    with engine.connect() as conn:
        q = (select(views.anon_events.c.pseudonym).group_by(views.anon_events.c.pseudonym)
             .order_by(func.count().desc(), views.anon_events.c.pseudonym).limit(n))
        return list(conn.execute(q).scalars())


# ---------------------------------------------------------------- public: standard reports

@dataclass(frozen=True)
class ReportSpec:
    name: str
    title: str
    rows: str                            # the dimension down the side
    cols: str                            # the dimension across
    keep: tuple[str, ...] | None = None  # columns shown (None: all); margins always from the full table


REPORTS = {r.name: r for r in (
    ReportSpec("admissions-releases", "Admissions and releases by year", "year", "event_type", ("admission", "release")),
    ReportSpec("sentence-lengths", "Sentence lengths by sentence type", "sentence_type", "sentence_band"),
    ReportSpec("dispositions", "Dispositions by offence category", "offence_category", "disposition"),
)}


@dataclass
class Report:
    spec: ReportSpec
    columns: list[str]
    rows: list[dict]  # {row label, column → n or None (suppressed)}, the total row last
    suppressed: int
    threshold: int

    def as_dict(self) -> dict:
        return {"name": self.spec.name, "title": self.spec.title, "rows_by": self.spec.rows,
                "columns_by": self.spec.cols, "columns": self.columns, "rows": self.rows,
                "suppressed": self.suppressed, "threshold": self.threshold}


def report(engine: Engine, name: str, cache: TableCache | None = None) -> Report:
    """A standard report: a projection of a published two-way table, with that table's own
    suppression and margins (a report's own sub-totals would let a hidden cell be recovered)."""
    spec = REPORTS.get(name)
    if spec is None:
        raise ViewError(f"unknown report {name!r}: choose from {', '.join(REPORTS)}")
    t = _table(engine, (spec.rows, spec.cols), privacy.THRESHOLD, cache)
    col_labels = list(t.labels[1])
    shown = [c for c in col_labels[:-1] if spec.keep is None or c in spec.keep] + [privacy.ALL]
    idx = [col_labels.index(c) for c in shown]
    rows = []
    for i, label in enumerate(t.labels[0]):
        cells = {c: (None if t.mask[i, j] else int(t.counts[i, j])) for c, j in zip(shown, idx)}
        if spec.keep and i < len(t.labels[0]) - 1 and not any(t.counts[i, j] for j in idx[:-1]):
            continue  # a row with none of the kept events (a year with no admission or release)
        rows.append({spec.rows: label, **cells})
    suppressed = int(sum(t.mask[:, j].sum() for j in idx))
    return Report(spec, shown, rows, suppressed, t.threshold)


def released_dataset(engine: Engine, k: int = MIN_K,
                     threshold: int = privacy.THRESHOLD) -> tuple[pd.DataFrame, privacy.KAnonReport]:
    """The anonymized rows as released for download (and by `crosstrack export --view anonymized`):
    every column a quasi-identifier, each class at least k people and a publishable total of
    events, detail dropped a whole column at a time and no row dropped (privacy.table_safe_release
    says why: anything less lets a count of the rows undo the tables' suppression)."""
    if k < MIN_K:
        raise ViewError(f"k must be at least {MIN_K}")
    if threshold < privacy.THRESHOLD:
        raise ViewError(f"the suppression threshold cannot go below {privacy.THRESHOLD}")
    released, rep = privacy.table_safe_release(views.anonymized_frame(engine), RELEASE_COLUMNS, k, threshold)
    if released.empty:
        raise ViewError(f"no row can be released with k={k}: download aggregates instead")
    return released, rep


RELEASE_COLUMNS = tuple(c for c in views.EXPORT_COLUMNS if c not in ("pseudonym", "seq"))


# ---------------------------------------------------------------- cleared: search, timeline, provenance

def lookup_kind(q: str) -> str:
    q = q.strip().upper()
    if DOCKET.match(q):
        return "docket"
    return "sid" if views._SID.match(q) else "name"


def search_people(engine: Engine, q: str, actor: str, role: str) -> list[dict]:
    """People a name (`LAST, FIRST`), SID or docket number names, with the identities they were
    read under; audited (the search itself reads names)."""
    audit.require_cleared(role)
    kind = lookup_kind(q)
    with engine.begin() as conn:
        if kind == "docket":
            ids = sorted(conn.execute(select(Event.person_id).where(Event.docket == q.strip().upper(),
                                                                     Event.person_id.is_not(None)).distinct()).scalars())
        else:
            ids = views.resolve_people(conn, q)
        audit.record(conn, actor, role, "read", "search", {"lookup": kind, "matches": len(ids),
                                                           "people": ids[:SEARCH_LIMIT]})
        ids = ids[:SEARCH_LIMIT]
        rows = conn.execute(select(Identity.person_id, Identity.name, Identity.dob, Identity.sid,
                                   func.count(Event.id).label("events"))
                            .join(Event, Event.identity_id == Identity.id)
                            .where(Identity.person_id.in_(ids))
                            .group_by(Identity.person_id, Identity.name, Identity.dob, Identity.sid)).all()
    people: dict[int, dict] = {i: {"person_id": i, "names": set(), "dobs": set(), "sids": set(), "events": 0}
                               for i in ids}
    for r in rows:
        p = people[r.person_id]
        p["events"] += r.events
        for key, value in (("names", r.name), ("dobs", r.dob and r.dob.isoformat()), ("sids", r.sid)):
            if value:
                p[key].add(value)
    return [{**p, "names": sorted(p["names"]), "dobs": sorted(p["dobs"]), "sids": sorted(p["sids"])}
            for p in people.values()]


def person_timeline(engine: Engine, person_id: int, actor: str, role: str) -> list[dict]:
    """A person's events in order (audited by models.views), each with its provenance: document,
    page, frame, region box, extraction and the review that verified it."""
    rows = views.timeline_person(engine, person_id, actor, role)
    ids = sorted({r["event_id"] for r in rows})
    with engine.connect() as conn:
        q = (select(Event.id, Document.source, Document.series, Document.reel, Document.fiche, Document.box,
                    Document.folder, Page.frame_row, Page.frame_col, Region.x0, Region.y0, Region.x1, Region.y1,
                    Extraction.confidence, Review.by.label("verified_by"), Review.how.label("verified_how"),
                    Review.at.label("verified_at"))
             .join(Extraction, Extraction.id == Event.extraction_id).join(Region, Region.id == Extraction.region_id)
             .join(Page, Page.id == Region.page_id).join(Document, Document.id == Page.document_id)
             .outerjoin(Review, Review.id == Event.review_id).where(Event.id.in_(ids)))
        prov = {r.id: dict(r._mapping) for r in conn.execute(q)} if ids else {}
    out = []
    for r in rows:
        p = dict(prov.get(r["event_id"], {}))
        p.pop("id", None)
        p["has_box"] = p.get("x0") is not None
        out.append({**r, "provenance": p})
    return out


@dataclass
class RegionRef:
    """Where an event was read: enough for digitize.crops to cut its image."""
    sha256: str
    source: str
    page: int
    frame: dict | None
    bbox: tuple[float, float, float, float] | None

    def as_record(self) -> dict:
        return {"sha256": self.sha256, "source": self.source, "page": self.page, "frame": self.frame,
                "bbox": list(self.bbox) if self.bbox else None}


def event_region(engine: Engine, event_id: int, actor: str, role: str) -> RegionRef | None:
    """The page region an event was read from; the read is audited (the image shows identifiers)."""
    audit.require_cleared(role)
    with engine.begin() as conn:
        audit.record(conn, actor, role, "read", "region_image", {"event": event_id})
        r = conn.execute(select(Document.sha256, Document.source, Page.page, Page.frame_row, Page.frame_col,
                                Region.x0, Region.y0, Region.x1, Region.y1)
                         .select_from(Event).join(Extraction, Extraction.id == Event.extraction_id)
                         .join(Region, Region.id == Extraction.region_id).join(Page, Page.id == Region.page_id)
                         .join(Document, Document.id == Page.document_id).where(Event.id == event_id)).first()
    if r is None:
        return None
    frame = {"row": r.frame_row, "col": r.frame_col} if r.frame_row is not None and r.frame_row >= 0 else None
    box = (r.x0, r.y0, r.x1, r.y1) if r.x0 is not None else None
    return RegionRef(r.sha256, r.source, r.page, frame, box)
