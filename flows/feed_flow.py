"""The drop-folder flow for agency feeds: `<drop>/<feed>/<extract file>`, picked up on a schedule
(the `feed-drop` deployment in prefect.yaml) and imported once per file content.

A file still being written is left for the next run (modified within `settle_s`); a folder that
names no mapping is reported, not guessed at; each file is its own task, retried when the
repository is busy, so one bad delivery never holds up the others.
"""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, task

from extract.feeds.mapping import load_mapping
from models.db import engine_for
from models.errors import ConfigError
from models.feed_store import already_imported
from models.settings import Settings

from .feed_import import file_sha256, import_file

SETTLE_S = 10.0


def drop_dir(settings: Settings) -> Path:
    return settings.home / "feeds" / "drop"


@task(name="import-extract", retries=2, retry_delay_seconds=[5, 30], tags=["feed"])
def import_extract(feed: str, path: str) -> dict:
    settings = Settings.from_env()
    engine = engine_for(settings)
    # workers=1: no fork from inside a task runner's thread (another thread may hold a lock the child needs)
    res = import_file(engine, load_mapping(feed), Path(path), report_dir=settings.home / "feeds" / "reports", workers=1)
    engine.dispose()
    return {"file": res.file, **res.counts(), "error": res.error, "report": res.report}


@flow(name="crosstrack-feed-drop", log_prints=False)
def feed_drop_flow(drop: str | None = None, settle_s: float = SETTLE_S) -> dict:
    """Import every new extract under the drop folder (default <home>/feeds/drop)."""
    from .cli_repo import ensure_repository

    settings = Settings.from_env()
    root = Path(drop) if drop else drop_dir(settings)
    engine = engine_for(settings)
    ensure_repository(engine)
    summary: dict = {"imported": [], "skipped": 0, "unsettled": 0, "unknown_folders": []}
    futures = []
    now = time.time()
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        try:
            load_mapping(folder.name)
        except ConfigError:
            summary["unknown_folders"].append(folder.name)
            continue
        for f in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~"))):
            if already_imported(engine, folder.name, file_sha256(f)):
                summary["skipped"] += 1
            elif now - f.stat().st_mtime < settle_s:
                summary["unsettled"] += 1  # still arriving: the next run takes it
            else:
                futures.append(import_extract.submit(folder.name, str(f)))
    engine.dispose()
    summary["imported"] = [fut.result() for fut in futures]
    return summary
