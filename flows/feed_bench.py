"""`crosstrack bench feed`: rows per second imported from agency extracts (reading, validation,
mapping, merge, people) against a raw bulk insert of the same rows, in one run; and the same
extracts delivered again (everything unchanged).

The four sample feeds of a synthetic state (flows/feed_synth.py) are imported into an empty
repository; then every row the import wrote is bulk-inserted again into scratch copies of the
same tables (`bench load`'s raw side: same columns, indexes, constraints, COPY or executemany).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from extract.feeds.mapping import load_mapping
from models.prefetch import WORKERS

from .feed_import import import_file
from .feed_synth import write_feeds
from .load_bench import bench_repository, raw_insert_all


def run_feed_bench(people: int, seed: int, url: str | None, on_rows: Callable[[int], None],
                   workers: int = WORKERS) -> dict:
    with bench_repository(url, "crosstrack-bench-feed-") as (engine, scratch):
        made = write_feeds(scratch / "state", people, seed)  # untimed: the generator is not what is measured
        per_feed, rows, spent = {}, 0, 0.0
        for feed, path in made["files"].items():
            done = 0

            def step(n: int) -> None:
                nonlocal done
                on_rows(n - done)
                done = n

            start = time.perf_counter()
            res = import_file(engine, load_mapping(feed), Path(path), report_dir=scratch / "reports", on_rows=step,
                              workers=workers)
            s = time.perf_counter() - start
            per_feed[feed] = {"rows": res.rows, "inserted": res.inserted, "quarantined": res.quarantined,
                              "rows_per_s": round(res.rows / s) if s else None}
            rows, spent = rows + res.rows, spent + s
        # the same extracts delivered again: every row read, checked and found unchanged
        start = time.perf_counter()
        again = sum(import_file(engine, load_mapping(f), Path(p), report_dir=scratch / "reports",
                                workers=workers).unchanged
                    for f, p in made["files"].items())
        again_s = time.perf_counter() - start
        raw_rows, raw_s = raw_insert_all(engine)
        return {"people": people, "rows": rows, "database": engine.dialect.name, "workers": workers, "feeds": per_feed,
                "import_s": round(spent, 2), "rows_per_s": round(rows / spent),
                "redelivered_unchanged": again, "redelivered_rows_per_s": round(rows / again_s),
                "raw_method": "COPY" if engine.dialect.name == "postgresql" else "executemany",
                "raw_table_rows": raw_rows, "raw_s": round(raw_s, 2), "raw_rows_per_s": round(rows / raw_s),
                "ratio": round(raw_s / spent, 3)}
