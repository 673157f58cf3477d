"""The repository's views (DESIGN.md, "Privacy rules"), built from models/schema.py's tables with
portable SQLAlchemy Core, so the same code serves SQLite and PostgreSQL:

- `restricted_events`: a SQL view of everything, one row per event and charge; cleared roles only;
- `anon_events`: one row per event with a pseudonymous person key, dates as months, age at the
  event in bands, the lead charge's category, level, disposition and sentence; no names, DOB, SID,
  docket or commitment numbers, addresses or free text;
- `agg_counts`: counts by every dimension and every pair of dimensions, so the standard aggregates
  are an indexed read; suppression is applied when they are read (the threshold is configurable).

`refresh_views(engine, key)` rebuilds anon_events and agg_counts in one transaction. The pseudonym
is computed here in Python with the key; the key itself never reaches the database.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import (Column, Engine, Integer, PrimaryKeyConstraint, String, Table, and_, delete, func, insert,
                        or_, select, text)

from . import audit, privacy
from .errors import ViewError, ViewsNotBuiltError
from .schema import Base, ChargeRow, Document, Event, Extraction, Identity, Page, Person, Region


anon_events = Table(
    "anon_events", Base.metadata,
    Column("pseudonym", String(20), nullable=False),
    Column("seq", Integer, nullable=False),  # the event's place in the person's chronology
    Column("event_type", String(40), nullable=False),
    Column("event_month", String(7), nullable=False),  # YYYY-MM or "unknown"
    Column("event_year", String(7), nullable=False),
    Column("age_band", String(8), nullable=False),
    Column("agency", String(80), nullable=False),
    Column("county", String(40), nullable=False),
    Column("offence_category", String(60), nullable=False),
    Column("level", String(16), nullable=False),
    Column("disposition", String(40), nullable=False),
    Column("sentence_type", String(40), nullable=False),
    Column("sentence_band", String(8), nullable=False),
    Column("gender", String(12), nullable=False),
    Column("race", String(40), nullable=False),
    Column("ethnicity", String(40), nullable=False),
    PrimaryKeyConstraint("pseudonym", "seq", name="pk_anon_events"),  # also the pseudonym timeline's index
)

agg_counts = Table(
    "agg_counts", Base.metadata,
    Column("dims", String(60), nullable=False),  # "year" or "year,county" (DIMENSIONS order)
    Column("key1", String(80), nullable=False),
    Column("key2", String(80), nullable=False),  # "" for one dimension
    Column("n", Integer, nullable=False),
    PrimaryKeyConstraint("dims", "key1", "key2", name="pk_agg_counts"),
)

VIEW_TABLES = (anon_events, agg_counts)
PUBLIC_TABLES = ("anon_events", "agg_counts")  # what a public role may read
RESTRICTED_VIEW = "restricted_events"

# aggregate dimension → its anon_events column
DIMENSIONS = {"year": "event_year", "county": "county", "agency": "agency", "event_type": "event_type",
              "offence_category": "offence_category", "level": "level", "disposition": "disposition",
              "sentence_type": "sentence_type", "sentence_band": "sentence_band", "gender": "gender",
              "race": "race", "ethnicity": "ethnicity", "age_band": "age_band"}
STANDARD_AGGREGATES = (("year",), ("county",), ("agency",), ("offence_category",), ("event_type",), ("gender",),
                       ("race",), ("ethnicity",), ("age_band",), ("year", "county"), ("year", "event_type"),
                       ("year", "offence_category"), ("county", "offence_category"), ("race", "offence_category"))
ANON_COLUMNS = [c.name for c in anon_events.columns]
# event_year is for grouping only: exported, it would undo the coarsening of event_month
EXPORT_COLUMNS = [c for c in ANON_COLUMNS if c != "event_year"]
AUDIT_MAX_DIMS = 3  # the most dimensions a public table may have: every one is suppressed with LP audit rounds
MAX_CELLS = 5_000_000  # an n-D table bigger than this is refused: ask for fewer dimensions


# ---------------------------------------------------------------- the restricted view

def restricted_select():
    """Everything about each event and charge, with provenance: the restricted view's query."""
    return (select(Event.id.label("event_id"), Event.person_id, Person.sid.label("person_sid"), Identity.name,
                   Identity.dob, Identity.sid, Identity.pcf, Identity.commitment_no, Identity.gender, Identity.race,
                   Identity.ethnicity, Event.event_type, Event.event_date, Event.agency, Event.county, Event.court,
                   Event.facility, Event.docket, ChargeRow.ordinal.label("charge_ordinal"), ChargeRow.statute,
                   ChargeRow.offense_code, ChargeRow.description.label("charge"), ChargeRow.category, ChargeRow.level,
                   ChargeRow.disposition, ChargeRow.sentence_type, ChargeRow.sentence_min, ChargeRow.sentence_max,
                   ChargeRow.to_serve, ChargeRow.probation, ChargeRow.fine, Event.extraction_id, Event.review_id,
                   Document.sha256.label("document_sha256"), Page.page, Region.ordinal.label("region"))
            .select_from(Event)
            .outerjoin(Person, Person.id == Event.person_id)
            .outerjoin(Identity, Identity.id == Event.identity_id)
            .outerjoin(ChargeRow, ChargeRow.event_id == Event.id)
            .join(Extraction, Extraction.id == Event.extraction_id)
            .join(Region, Region.id == Extraction.region_id)
            .join(Page, Page.id == Region.page_id)
            .join(Document, Document.id == Page.document_id))


def create_restricted_view(engine: Engine) -> None:
    sql = str(restricted_select().compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"CREATE OR REPLACE VIEW {RESTRICTED_VIEW} AS {sql}"))
        else:
            conn.execute(text(f"CREATE VIEW IF NOT EXISTS {RESTRICTED_VIEW} AS {sql}"))


def create_views(engine: Engine) -> None:
    Base.metadata.create_all(engine, tables=list(VIEW_TABLES))
    create_restricted_view(engine)


# ---------------------------------------------------------------- anonymized rows

def _lead_charge():
    """Each event's first charge (lowest ordinal): what the event is counted under."""
    first = (select(func.min(ChargeRow.ordinal)).where(ChargeRow.event_id == Event.id)
             .correlate(Event).scalar_subquery())
    return and_(ChargeRow.event_id == Event.id, ChargeRow.ordinal == first)


def _source_select():
    return (select(Event.person_id, Event.identity_id, Event.event_type, Event.event_date, Event.agency, Event.county,
                   Identity.dob, Identity.gender, Identity.race, Identity.ethnicity, ChargeRow.category, ChargeRow.level,
                   ChargeRow.disposition, ChargeRow.sentence_type, ChargeRow.to_serve, ChargeRow.sentence_max,
                   ChargeRow.sentence)
            .select_from(Event)
            .outerjoin(Identity, Identity.id == Event.identity_id)
            .outerjoin(ChargeRow, _lead_charge())
            .order_by(Event.person_id, Event.event_date, Event.id))


def _v(value) -> str:
    s = str(value).strip() if value is not None else ""
    return s or privacy.UNKNOWN


def anonymize_rows(rows: Iterator, key: bytes) -> Iterator[dict]:
    """Source rows, ordered by person and date, to anon_events rows."""
    last, seq = None, 0
    for r in rows:
        subject = r.person_id if r.person_id is not None else f"identity-{r.identity_id}"
        seq = seq + 1 if subject == last else 0
        if subject != last:
            pseud, last = privacy.pseudonym(key, subject), subject
        life = bool((r.sentence or {}).get("life")) if isinstance(r.sentence, dict) else False
        m = privacy.month(r.event_date)
        yield {"pseudonym": pseud, "seq": seq, "event_type": _v(r.event_type), "event_month": m,
               "event_year": m[:4] if r.event_date else privacy.UNKNOWN, "age_band": privacy.age_band(r.dob, r.event_date),
               "agency": _v(r.agency), "county": _v(r.county), "offence_category": _v(r.category), "level": _v(r.level),
               "disposition": _v(r.disposition), "sentence_type": _v(r.sentence_type),
               "sentence_band": privacy.sentence_band(r.to_serve or r.sentence_max, life),
               "gender": _v(r.gender), "race": _v(r.race), "ethnicity": _v(r.ethnicity)}


@dataclass
class RefreshResult:
    events: int
    people: int
    aggregate_rows: int
    seconds: float

    def as_dict(self) -> dict:
        return {"events": self.events, "people": self.people, "aggregate_rows": self.aggregate_rows,
                "seconds": round(self.seconds, 2)}


def refresh_views(engine: Engine, key: bytes, progress: Callable[[int], None] | None = None,
                  chunk: int = 20_000) -> RefreshResult:
    """Rebuild anon_events and agg_counts from the repository, atomically (readers see the old views
    until it commits). Rows are emptied, not dropped, so PostgreSQL grants on them survive."""
    import time

    t0 = time.perf_counter()
    create_views(engine)
    dims = list(DIMENSIONS)
    cols = [DIMENSIONS[d] for d in dims]
    cube: Counter = Counter()
    events = people = 0
    with engine.begin() as conn:
        for table in VIEW_TABLES:
            if engine.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {table.name}"))
            else:
                conn.execute(delete(table))
        # a second connection streams the source while this one writes (SQLite: same file, WAL)
        with engine.connect() as src:
            rows = src.execution_options(stream_results=True, yield_per=chunk).execute(_source_select())
            batch: list[dict] = []
            for row in anonymize_rows(rows, key):
                batch.append(row)
                cube[tuple(row[c] for c in cols)] += 1
                people += row["seq"] == 0
                if len(batch) >= chunk:
                    conn.execute(insert(anon_events), batch)
                    events += len(batch)
                    batch = []
                    if progress:
                        progress(events)
            if batch:
                conn.execute(insert(anon_events), batch)
                events += len(batch)
        agg_rows = list(_aggregate_rows(cube, dims))
        for i in range(0, len(agg_rows), 50_000):
            conn.execute(insert(agg_counts), agg_rows[i:i + 50_000])
    if progress:
        progress(events)
    return RefreshResult(events, people, len(agg_rows), time.perf_counter() - t0)


def _aggregate_rows(cube: Counter, dims: list[str]) -> Iterator[dict]:
    """Every one- and two-dimensional marginal of the cube, as agg_counts rows."""
    if not cube:
        return
    df = pd.DataFrame(list(cube.keys()), columns=dims)
    df["n"] = list(cube.values())
    for d in dims:
        for k, n in df.groupby(d, sort=False)["n"].sum().items():
            yield {"dims": d, "key1": k, "key2": "", "n": int(n)}
    for a, b in itertools.combinations(dims, 2):
        for (k1, k2), n in df.groupby([a, b], sort=False)["n"].sum().items():
            yield {"dims": f"{a},{b}", "key1": k1, "key2": k2, "n": int(n)}


# ---------------------------------------------------------------- aggregates with suppression

@dataclass
class AggregateTable:
    """An n-D table of counts with margins (label `ALL`) and the cells that are suppressed."""
    dims: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]  # each axis's values, its margin last
    counts: np.ndarray
    mask: np.ndarray
    threshold: int

    @property
    def suppressed(self) -> int:
        return int(self.mask.sum())

    def rows(self, zeros: bool = True) -> Iterator[dict]:
        """One dict per cell: the dimension values, `n` (None when suppressed) and `suppressed`."""
        for idx in np.ndindex(*self.counts.shape):
            n, hidden = int(self.counts[idx]), bool(self.mask[idx])
            if not zeros and n == 0 and not hidden and all(i < len(l) - 1 for i, l in zip(idx, self.labels)):
                continue
            row = {d: self.labels[a][i] for a, (d, i) in enumerate(zip(self.dims, idx))}
            row["n"] = None if hidden else n
            row["suppressed"] = hidden
            yield row


def _check_dims(by: Sequence[str]) -> tuple[str, ...]:
    if not by:
        raise ViewError("give at least one dimension to count by (--by), e.g. year,county")
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ViewError(f"unknown dimension(s) {', '.join(unknown)}: choose from {', '.join(DIMENSIONS)}")
    if len(set(by)) != len(by):
        raise ViewError("a dimension is named twice in --by")
    return tuple(by)


def counts(engine: Engine, by: Sequence[str]) -> pd.Series:
    """Raw counts by the dimensions (a Series indexed by their values): from agg_counts for one or
    two dimensions, else grouped from anon_events."""
    by = _check_dims(by)
    with engine.connect() as conn:
        if len(by) <= 2:
            canon = sorted(by, key=list(DIMENSIONS).index)
            q = select(agg_counts.c.key1, agg_counts.c.key2, agg_counts.c.n).where(agg_counts.c.dims == ",".join(canon))
            rows = conn.execute(q).all()
            if len(by) == 1:
                s = pd.Series({r.key1: r.n for r in rows}, dtype="int64")
            else:
                s = pd.Series({(r.key1, r.key2): r.n for r in rows}, dtype="int64")
                if rows:
                    s.index = s.index.set_names(canon)
                    s = s.reorder_levels(list(by)) if canon != list(by) else s
        else:
            cols = [anon_events.c[DIMENSIONS[d]] for d in by]
            rows = conn.execute(select(*cols, func.count()).group_by(*cols)).all()
            s = pd.Series({tuple(r[:-1]): r[-1] for r in rows}, dtype="int64")
        if not rows and conn.execute(select(func.count()).select_from(anon_events)).scalar() == 0:
            raise ViewsNotBuiltError()
    return s


def aggregate(engine: Engine, by: Sequence[str], threshold: int = privacy.THRESHOLD,
              masks: MutableMapping | None = None) -> AggregateTable:
    """Counts by the dimensions, with margins, small cells and their complements suppressed jointly
    with every table over a subset of the dimensions (privacy.suppress_joint), so a cell is hidden
    in all the tables that show it or in none, in whatever order the dimensions are asked for.
    `masks`: a memo of those tables' masks, valid while the views are unchanged (the portal's
    TableCache keeps one per views fingerprint); without it they are computed afresh."""
    if threshold < 1:
        raise ViewError("the suppression threshold must be at least 1")
    by = _check_dims(by)
    if len(by) > AUDIT_MAX_DIMS:  # a bigger table would be served unaudited (its LP rounds take minutes)
        raise ViewError(f"a public table counts by at most {AUDIT_MAX_DIMS} dimensions (cohort filters included)")
    canon = tuple(sorted(by, key=list(DIMENSIONS).index))  # one mask per table, whatever the order asked
    s = counts(engine, canon)
    if len(canon) == 1:
        axes = [sorted(map(str, s.index))]
        keys = [(str(k),) for k in s.index]
    else:
        axes = [sorted({str(k[a]) for k in s.index}) for a in range(len(canon))]
        keys = [tuple(map(str, k)) for k in s.index]
    size = int(np.prod([len(a) + 1 for a in axes]))
    if size > MAX_CELLS:
        raise ViewError(f"a table by {', '.join(by)} has {size:,} cells: count by fewer dimensions")
    pos = [{v: i for i, v in enumerate(a)} for a in axes]
    cells = np.zeros([len(a) for a in axes], dtype=np.int64)
    for k, n in zip(keys, s.to_numpy()):
        cells[tuple(p[v] for p, v in zip(pos, k))] = n
    mask = joint_mask(cells, canon, threshold, {} if masks is None else masks)
    order = [canon.index(d) for d in by]
    labels = tuple(tuple(axes[a]) + (privacy.ALL,) for a in order)
    return AggregateTable(by, labels, privacy.with_margins(cells).transpose(order), mask.transpose(order), threshold)


def joint_mask(cells: np.ndarray, dims: tuple[str, ...], threshold: int, memo: MutableMapping) -> np.ndarray:
    """The mask of the table over `dims` (canonical order) as served: each of its margins hidden
    exactly as the table over those dimensions hides it (computed here from the same counts, so
    the two agree), at a raised threshold at least what the default threshold hides."""
    key = (dims, threshold)
    if key in memo:
        return memo[key]

    def margin_mask(keep: tuple[int, ...]) -> np.ndarray:
        summed = tuple(a for a in range(cells.ndim) if a not in keep)
        return joint_mask(cells.sum(axis=summed), tuple(dims[a] for a in keep), threshold, memo)

    floor = joint_mask(cells, dims, privacy.THRESHOLD, memo) if threshold > privacy.THRESHOLD else None
    mask = privacy.suppress_joint(cells, threshold, margin_mask, floor)
    memo[key] = mask
    return mask


# ---------------------------------------------------------------- anonymized rows for export

def anonymized_frame(engine: Engine, columns: Sequence[str] | None = None) -> pd.DataFrame:
    cols = [anon_events.c[c] for c in (columns or EXPORT_COLUMNS)]
    with engine.connect() as conn:
        df = pd.read_sql(select(*cols).order_by(anon_events.c.pseudonym, anon_events.c.seq), conn)
    if df.empty:
        raise ViewsNotBuiltError()
    return df


# ---------------------------------------------------------------- timelines

_SID = re.compile(r"^(?:MA)?[\d-]{4,12}$", re.I)


def resolve_people(conn, query: str) -> list[int]:
    """Person ids a cleared analyst's query names: a SID (as linked, or as any record gave it) or a
    name `LAST, FIRST` / `LAST` (upper case, as the name normalizer writes them)."""
    q = query.strip()
    if _SID.match(q):
        sid = q.upper()
        ids = select(Person.id).where(Person.sid == sid).union(
            select(Identity.person_id).where(Identity.sid == sid, Identity.person_id.is_not(None)))
    else:
        last, _, first = (p.strip().upper() for p in q.partition(","))
        if not last:
            raise ViewError("give a SID or a name as LAST, FIRST")
        cond = [Identity.last_name == last, Identity.person_id.is_not(None)]
        if first:
            first_name = first.split()[0]
            cond.append(or_(Identity.first_name == first_name, Identity.first_name.like(f"{first_name} %")))
        ids = select(Identity.person_id).where(*cond).distinct()
    return sorted(r[0] for r in conn.execute(ids))


def timeline_restricted(engine: Engine, query: str, actor: str, role: str) -> list[dict]:
    """One person's events and charges in chronological order, identified; audited, cleared roles only.
    More than one person matching is refused (the analyst must use a SID)."""
    audit.require_cleared(role)
    with engine.begin() as conn:
        people = resolve_people(conn, query)
        lookup = "sid" if _SID.match(query.strip()) else "name"
        # the read is logged before it happens: no audit row, no read
        audit.record(conn, actor, role, "read", "timeline", {"lookup": lookup, "people": people[:20],
                                                             "matches": len(people)})
        if len(people) != 1:  # the lookup itself read names: its audit row is kept either way
            rows = []
        else:
            q = (restricted_select().where(Event.person_id == people[0])
                 .order_by(Event.event_date, Event.id, ChargeRow.ordinal))
            rows = [dict(r._mapping) for r in conn.execute(q)]
    if len(people) > 1:
        raise ViewError(f"{len(people)} people match: give one of their SIDs")
    return rows


def timeline_person(engine: Engine, person_id: int, actor: str, role: str) -> list[dict]:
    """A restricted timeline by person id (the portal's and the benchmark's path); audited."""
    audit.require_cleared(role)
    with engine.begin() as conn:
        audit.record(conn, actor, role, "read", "timeline", {"lookup": "person_id", "people": [person_id]})
        q = (restricted_select().where(Event.person_id == person_id)
             .order_by(Event.event_date, Event.id, ChargeRow.ordinal))
        return [dict(r._mapping) for r in conn.execute(q)]


def timeline_anonymized(engine: Engine, pseud: str) -> list[dict]:
    """One pseudonymous person's events in order: no identifiers, months not dates."""
    with engine.connect() as conn:
        q = select(anon_events).where(anon_events.c.pseudonym == pseud.strip().lower()).order_by(anon_events.c.seq)
        return [dict(r._mapping) for r in conn.execute(q)]


def restricted_rows(engine: Engine, actor: str, role: str, what: str) -> Iterator[dict]:
    """Every row of the restricted view, for a cleared export. The role is checked and the export
    audited now, before the caller opens its output, not when the rows are first pulled."""
    audit.require_cleared(role)
    with engine.begin() as conn:
        audit.record(conn, actor, role, "export", "restricted_events", {"what": what})
    return _restricted_stream(engine)


def _restricted_stream(engine: Engine) -> Iterator[dict]:
    with engine.connect() as conn:
        q = restricted_select().order_by(Event.person_id, Event.event_date, Event.id, ChargeRow.ordinal)
        for r in conn.execution_options(stream_results=True, yield_per=10_000).execute(q):
            yield dict(r._mapping)
