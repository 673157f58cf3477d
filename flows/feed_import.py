"""`crosstrack feed import`: agency extract files → verified records → the same merge and people
as the scanned records, with bad rows quarantined and reported, never lost and never stopping
the file.

Idempotent by construction: a feed's events are records of one 'document' (the feed), keyed by a
digest of their key columns, so a re-delivered row is unchanged, a changed row updates its event
(the old version goes to history), and a delivery (a file's content) is recorded once.
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
from models.merge import Rejection, merge_records
from models.verified import VerifiedRecord

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


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def import_file(engine: Engine, mapping: FeedMapping, path: Path, *, report_dir: Path, full: bool | None = None,
                on_rows: Callable[[int], None] = lambda n: None, chunk_size: int = 5000) -> FileResult:
    """Import one extract file; a file that cannot be read at all comes back with `error` set and
    nothing merged. `full` overrides the mapping's `full_extract` (report events missing from it)."""
    res = FileResult(file=path.name, feed=mapping.feed)
    try:
        res.sha256 = file_sha256(path)
    except OSError as e:
        res.error = f"{path.name}: cannot be read ({e.strerror})"
        return res
    mapper = RowMapper(mapping, load_offence_table(), dt.datetime.now(dt.timezone.utc))
    seen: dict[int, int] = {}   # event ordinal → the row that brought it (valid or quarantined)
    cells_of: dict[int, dict] = {}

    def quarantine(q: Quarantined, cells) -> None:
        res.quarantined += 1
        res.quarantine.append(QuarantineRow(q.row, q.reason, q.column, cells if isinstance(cells, dict) else None))

    def records() -> Iterator[tuple[int, VerifiedRecord]]:
        try:
            for row, cells in read_rows(mapping, path):
                res.rows += 1
                out = mapper(row, cells)
                if isinstance(out, Quarantined):
                    if out.key is not None:
                        seen.setdefault(out.key, row)
                    quarantine(out, cells)
                    continue
                first = seen.setdefault(out["record"], row)
                if first != row:
                    quarantine(Quarantined(row, f"repeats the event key of row {first} (one row per event)"), cells)
                    continue
                cells_of[row] = cells
                yield row, VerifiedRecord.model_validate(out)
                if res.rows % 1000 == 0:
                    on_rows(res.rows)
        except FeedFileError as e:
            res.error = str(e)

    def rejected(r: Rejection) -> None:  # a value the repository cannot store (too long for its column)
        quarantine(Quarantined(r.line, r.reason), cells_of.get(r.line))

    counts = merge_records(engine, records(), on_reject=rejected,
                           on_chunk=lambda n: cells_of.clear(), chunk_size=chunk_size)
    on_rows(res.rows)
    res.inserted, res.updated, res.unchanged = counts.inserted, counts.updated, counts.unchanged
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
