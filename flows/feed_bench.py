"""`crosstrack bench feed`: rows per second imported from agency extracts (reading, validation,
mapping, merge, people) against a raw bulk insert of the same rows, in one run.

The four sample feeds of a synthetic state (flows/feed_synth.py) are imported into an empty
repository; then every row the import wrote is bulk-inserted again into scratch copies of the
same tables (`bench load`'s raw side: same columns, indexes, constraints, COPY or executemany).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from extract.feeds.mapping import load_mapping
from models.db import make_engine

from .feed_import import import_file
from .feed_synth import write_feeds
from .load_bench import _raw_insert, _require_empty, _scratch_tables


def run_feed_bench(people: int, seed: int, url: str | None, on_rows: Callable[[int], None]) -> dict:
    from models import migrate

    from .cli_repo import upgrade_repository

    scratch = Path(tempfile.mkdtemp(prefix="crosstrack-bench-feed-"))
    engine = make_engine(url or f"sqlite:///{scratch / 'bench.db'}")
    ours = False
    try:
        _require_empty(engine)
        ours = True
        upgrade_repository(engine)
        made = write_feeds(scratch / "state", people, seed)  # untimed: the generator is not what is measured
        per_feed, rows, spent = {}, 0, 0.0
        for feed, path in made["files"].items():
            done = 0

            def step(n: int) -> None:
                nonlocal done
                on_rows(n - done)
                done = n

            start = time.perf_counter()
            res = import_file(engine, load_mapping(feed), Path(path), report_dir=scratch / "reports", on_rows=step)
            s = time.perf_counter() - start
            per_feed[feed] = {"rows": res.rows, "inserted": res.inserted, "quarantined": res.quarantined,
                              "rows_per_s": round(res.rows / s) if s else None}
            rows, spent = rows + res.rows, spent + s
        raw_rows, raw_s = 0, 0.0
        for src, table in _scratch_tables():
            table.create(engine)
            n, t = _raw_insert(engine, src, table)
            raw_rows, raw_s = raw_rows + n, raw_s + t
        return {"people": people, "rows": rows, "database": engine.dialect.name, "feeds": per_feed,
                "import_s": round(spent, 2), "rows_per_s": round(rows / spent),
                "raw_method": "COPY" if engine.dialect.name == "postgresql" else "executemany",
                "raw_table_rows": raw_rows, "raw_s": round(raw_s, 2), "raw_rows_per_s": round(rows / raw_s),
                "ratio": round(raw_s / spent, 3)}
    finally:
        if url and ours:  # leave the database given as empty as it was found
            for _, table in reversed(_scratch_tables()):
                table.drop(engine, checkfirst=True)
            migrate.downgrade(engine, "base")
            with engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        engine.dispose()
        shutil.rmtree(scratch, ignore_errors=True)
