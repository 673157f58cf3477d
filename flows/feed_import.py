"""`crosstrack feed import`: agency extract files → verified records → the same merge and people
as the scanned records, with bad rows quarantined and reported, never lost and never stopping
the file.

Idempotent by construction: a feed's events are records of one 'document' (the feed), keyed by a
digest of their key columns, so a re-delivered row is unchanged, a changed row updates its event
(the old version goes to history), and a delivery (a file's content) is recorded once.

Reading, validating and mapping rows runs in a child process a chunk ahead of the writes
(`workers=2`, models/prefetch.py): on two cores the two halves of the work overlap.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from extract.feeds.mapping import FeedMapping
from extract.feeds.readers import read_rows
from extract.feeds.rows import Quarantined, RowMapper
from extract.offences import load_offence_table
from models.errors import FeedFileError
from models.feed_store import QuarantineRow, delivered_events, record_delivery
from models.merge import CHUNK, MergeCounts, Prepared, merge_prepared, prepare_chunks, read_classes
from models.offence_store import OffenceClasses
from models.prefetch import WORKERS, prefetched

COUNTS = ("rows", "inserted", "updated", "unchanged", "quarantined", "missing")


@dataclass
class FileResult:
    file: str
    feed: str
    sha256: str = ""
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    missing: int = 0
    error: str | None = None       # the file, or its rest, could not be read: why
    report: str | None = None
    quarantine: list[QuarantineRow] = field(default_factory=list)

    def counts(self) -> dict:
        return {k: getattr(self, k) for k in COUNTS}


@dataclass
class _Span:
    """A chunk of a file's rows as the reading side hands it over."""
    prepared: Prepared
    quarantined: list[QuarantineRow]
    rows: int  # rows read so far


@dataclass
class _End:
    seen: set[int]  # every event key the file carries (valid or quarantined rows)
    error: str | None
    rows: int
    quarantined: list[QuarantineRow]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _spans(mapper: RowMapper, path: Path, classes: OffenceClasses, chunk_size: int) -> Iterator[_Span | _End]:
    """Read, validate and map a file's rows into prepared chunks (no database: may run in a child)."""
    mapping = mapper.m
    seen: dict[int, int] = {}  # event ordinal → the row that brought it
    quarantined: list[QuarantineRow] = []
    rows, error = 0, None

    def records() -> Iterator[tuple[int, dict]]:
        nonlocal rows, error
        try:
            for row, cells in read_rows(mapping, path):
                rows += 1
                out = mapper(row, cells)
                cells_ = cells if isinstance(cells, dict) else None
                if isinstance(out, Quarantined):
                    if out.key is not None:
                        seen.setdefault(out.key, row)
                    quarantined.append(QuarantineRow(out.row, out.reason, out.column, cells_))
                    continue
                first = seen.setdefault(out["record"], row)
                if first != row:
                    quarantined.append(QuarantineRow(row, f"repeats the event key of row {first} (one row per event)",
                                                     None, cells_))
                    continue
                yield row, out
        except FeedFileError as e:
            error = str(e)

    for prepared in prepare_chunks(records(), classes, chunk_size):
        yield _Span(prepared, quarantined[:], rows)
        quarantined.clear()
    yield _End(set(seen), error, rows, quarantined)


def import_file(engine: Engine, mapping: FeedMapping, path: Path, *, report_dir: Path, full: bool | None = None,
                on_rows: Callable[[int], None] = lambda n: None, chunk_size: int = CHUNK,
                workers: int = WORKERS) -> FileResult:
    """Import one extract file; a file that cannot be read at all comes back with `error` set and
    nothing merged. `full` overrides the mapping's `full_extract` (report events missing from it)."""
    res = FileResult(file=path.name, feed=mapping.feed)
    try:
        res.sha256 = file_sha256(path)
    except OSError as e:
        res.error = f"{path.name}: cannot be read ({e.strerror})"
        return res
    classes = read_classes(engine)
    # built here, before a child is forked: the child inherits the offence table instead of parsing it
    mapper = RowMapper(mapping, load_offence_table(), dt.datetime.now(dt.timezone.utc))

    def produce() -> Iterator[_Span | _End]:
        return _spans(mapper, path, classes, chunk_size)

    counts = MergeCounts()
    seen: set[int] = set()
    for part in prefetched(produce) if workers > 1 else produce():
        if isinstance(part, _End):
            seen, res.error, res.rows = part.seen, part.error, part.rows
            res.quarantine += part.quarantined
            break
        res.quarantine += part.quarantined
        # a value the repository cannot store (too long for its column) is quarantined too
        merge_prepared(engine, part.prepared, counts, lambda r: res.quarantine.append(QuarantineRow(r.line, r.reason)))
        res.rows = part.rows
        on_rows(res.rows)
    on_rows(res.rows)
    res.inserted, res.updated, res.unchanged = counts.inserted, counts.updated, counts.unchanged
    res.quarantined = len(res.quarantine)
    missing: list[tuple[int, tuple]] = []
    if (mapping.full_extract if full is None else full) and res.error is None:
        missing = sorted(((o, v) for o, v in delivered_events(engine, mapping.sha256).items() if o not in seen),
                         key=lambda x: x[1][0])
        res.missing = len(missing)
    res.quarantine.sort(key=lambda q: q.row)
    record_delivery(engine, mapping.feed, path.name, res.sha256, res.counts(), res.error, res.quarantine)
    res.report = str(write_report(report_dir, res, missing))
    return res


def write_report(report_dir: Path, res: FileResult, missing: list[tuple[int, tuple]]) -> Path:
    """A CSV an agency's data steward can act on: each quarantined row with its row number, column
    and reason; each event on file that a full extract no longer carries. No cell values."""
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / f"{res.feed}-{Path(res.file).stem}-{res.sha256[:12]}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("file", "kind", "row", "column", "reason"))
        if res.error:
            w.writerow((res.file, "file", "", "", res.error))
        for q in res.quarantine:
            w.writerow((res.file, "quarantined", q.row, q.column or "", q.reason))
        for _, (key, event_type, day) in missing:
            w.writerow((res.file, "missing", "", "", f"{event_type} of {day.isoformat()[:7] if day else '?'} "
                        f"(record {key}) is on file but not in this full extract: kept, not deleted"))
    return path
