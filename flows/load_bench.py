"""`crosstrack bench load`: merge throughput against a raw bulk insert of the same rows.

Both run in the same process on the same database: first the merge of N synthetic verified
records (parsing, validation, provenance, people, charges: everything `crosstrack merge` does),
then every row it wrote (documents, pages, regions, extractions, reviews, people, identities,
events, charges: 8-10 rows per event) is bulk-inserted again into scratch tables of the same
shape (columns, indexes, unique constraints and foreign keys): COPY on PostgreSQL, executemany on
SQLite. The ratio is what the merge's work (parsing, validation, keys, people, provenance) costs
over writing the same rows into the same schema.
"""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Column, Engine, ForeignKey, Index, MetaData, Table, UniqueConstraint, inspect, select

from models.db import make_engine
from models.errors import ConfigError
from models.merge import merge_lines, numbered_lines
from models import synth
from models.schema import Base

SCRATCH = "bench_raw_"
# Every table the merge writes, parents first.
TABLES = ("documents", "pages", "regions", "extractions", "reviews", "people", "identities", "events", "charges")
_BATCH = 50_000
_RECORDS_PER_PERSON = 30  # under models.synth's average (about 37), so N records are there

# ---- input: records of the synthetic state -----------------------------------------------------

def write_records(path: Path, events: int, seed: int) -> int:
    """The first `events` records of a synthetic state big enough to hold them."""
    people = events // _RECORDS_PER_PERSON + 1
    written = 0
    with path.open("w", encoding="utf-8") as f:
        for rec, _ in itertools.islice(synth.generate(people, seed), events):
            f.write(json.dumps(rec) + "\n")
            written += 1
    return written


# ---- the raw insert ----------------------------------------------------------------------------

def _scratch_tables() -> list[tuple[Table, Table]]:
    """(repository table, its copy under another name, parents first: the same columns, indexes,
    unique constraints and foreign keys (to the other copies), so the raw side pays the same
    integrity checks the repository's own tables make the merge pay)."""
    md = MetaData()
    out = []
    for name in TABLES:
        src = Base.metadata.tables[name]
        t = Table(SCRATCH + name, md, *(
            Column(c.name, c.type, *(ForeignKey(f"{SCRATCH}{fk.column.table.name}.{fk.column.name}") for fk in c.foreign_keys),
                   primary_key=c.primary_key) for c in src.columns))
        for u in src.constraints:
            if isinstance(u, UniqueConstraint):
                t.append_constraint(UniqueConstraint(*(t.c[c.name] for c in u.columns), name=f"bench_{src.name}_{len(t.constraints)}"))
        for c in src.columns:
            if c.unique:
                t.append_constraint(UniqueConstraint(t.c[c.name], name=f"bench_{src.name}_{c.name}_key"))
        for ix in src.indexes:
            Index(f"bench_{ix.name}", *(t.c[c.name] for c in ix.columns), unique=bool(ix.unique))
        out.append((src, t))
    return out


def _raw_insert(engine: Engine, src: Table, table: Table) -> tuple[int, float]:
    """Bulk-insert `src`'s rows into `table` at the driver level; (rows, seconds writing)."""
    cols = [c.name for c in table.columns]
    pg = engine.dialect.name == "postgresql"
    rows, spent = 0, 0.0
    with engine.connect() as read, engine.connect() as write:
        cursor = write.connection.driver_connection.cursor()
        result = read.execution_options(yield_per=_BATCH).execute(select(*(src.c[c] for c in cols)).order_by(src.c.id))
        for part in result.partitions():  # read (untimed) in batches, so memory stays bounded
            start = time.perf_counter()
            if pg:
                with cursor.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in part:
                        copy.write_row([json.dumps(v) if isinstance(v, (dict, list)) else v for v in row])
            else:
                # Dates as SQLAlchemy stores them on SQLite (ISO text), so both tables hold the same.
                cursor.executemany(f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                   [tuple(_sqlite_value(v) for v in r) for r in part])
            spent += time.perf_counter() - start
            rows += len(part)
        start = time.perf_counter()
        write.connection.driver_connection.commit()
        spent += time.perf_counter() - start
    return rows, spent


def _sqlite_value(v):
    """A value as SQLAlchemy stores it on SQLite: dates as ISO text, JSON as text."""
    if isinstance(v, (dict, list)):
        return json.dumps(v)
    return v.isoformat() if hasattr(v, "isoformat") else v


def _require_empty(engine: Engine) -> None:
    names = set(inspect(engine).get_table_names())
    if names & {"extractions", "alembic_version"} or any(n.startswith(SCRATCH) for n in names):
        raise ConfigError("bench load fills the database with synthetic records and drops them afterwards: "
                          "give it an empty database (--database-url), not a repository")


@contextmanager
def bench_repository(url: str | None, prefix: str) -> Iterator[tuple[Engine, Path]]:
    """An empty repository at head (a scratch SQLite file, or the empty database `url`) and a
    scratch folder; afterwards the scratch is removed and a database given is left empty again."""
    from models.views import RESTRICTED_VIEW

    from .cli_repo import upgrade_repository  # the same upgrade `crosstrack db upgrade` runs

    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    engine = make_engine(url or f"sqlite:///{scratch / 'bench.db'}")
    ours = False  # only what this run created is dropped again
    try:
        _require_empty(engine)
        ours = True
        upgrade_repository(engine)
        yield engine, scratch
    finally:
        if url and ours:
            for _, table in reversed(_scratch_tables()):  # children first
                table.drop(engine, checkfirst=True)
            # Dropped, not downgraded: what the bench wrote need not fit older schemas (feed keys are 64-bit).
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP VIEW IF EXISTS {RESTRICTED_VIEW}")
            Base.metadata.drop_all(engine)
            with engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        engine.dispose()
        shutil.rmtree(scratch, ignore_errors=True)


def raw_insert_all(engine: Engine) -> tuple[int, float]:
    """Every row of the repository's tables bulk-inserted again into scratch copies: (rows, seconds)."""
    rows, spent = 0, 0.0
    for src, table in _scratch_tables():
        table.create(engine)
        n, t = _raw_insert(engine, src, table)
        rows, spent = rows + n, spent + t
    return rows, spent


def run_load_bench(events: int, seed: int, url: str | None, on_progress: Callable[[int], None],
                   workers: int = 1) -> dict:
    with bench_repository(url, "crosstrack-bench-load-") as (engine, scratch):
        source = scratch / "verified.jsonl"
        made = write_records(source, events, seed)  # untimed: the generator is not what is measured
        start = time.perf_counter()
        counts = merge_lines(engine, numbered_lines(source), on_chunk=on_progress, workers=workers)
        merge_s = time.perf_counter() - start
        rows, raw_s = raw_insert_all(engine)
        return {"events": counts.inserted, "records": made, "rejected": counts.rejected, "people": counts.people,
                "workers": workers,
                "database": engine.dialect.name, "generator": "models.synth",
                "merge_s": round(merge_s, 2), "merge_events_per_s": round(counts.inserted / merge_s),
                "raw_method": "COPY" if engine.dialect.name == "postgresql" else "executemany",
                "raw_rows": rows, "raw_rows_per_event": round(rows / max(1, counts.inserted), 2),
                "raw_s": round(raw_s, 2), "raw_events_per_s": round(counts.inserted / raw_s),
                "ratio": round(raw_s / merge_s, 3)}
