"""`crosstrack bench run`: frames per second end to end (digitize, extract, route, merge) on a
generated batch, three ways on the same files: the stage functions called directly (a thread
pool of the same size for OCR), the Prefect flow with its thread-pool runner, and the Prefect
flow on a local Dask cluster. Each run starts from an empty data directory, and Prefect's task
cache is refreshed, so every run reads every frame.

The orchestration overhead is the Prefect (thread pool) run against the direct one; Prefect's
temporary API server is started before the timing (once a session, not once a batch) and its
start-up time is reported apart.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from digitize.intake import ingest
from digitize.reader import ReadOptions
from digitize.samplegen.dataset import make_item
from digitize.samplegen.layouts import TUNE_LAYOUTS
from models.db import engine_for
from models.page import PageText
from models.settings import Settings

from . import stages


def make_batch(out: Path, frames: int, seed: int) -> Path:
    for i in range(frames):
        make_item(out, i, "frame", seed, layout=TUNE_LAYOUTS[i % len(TUNE_LAYOUTS)], split="tune")
    return out


def run_direct(settings: Settings, folder: Path, engine: str, workers: int) -> float:
    """The same stages, no orchestration: OCR on a thread pool, then each document in turn."""
    from .cli_repo import ensure_repository
    from .pipeline import merge_document, route_document

    db = engine_for(settings)
    ensure_repository(db)
    batch = ingest([folder], settings, batch_id="bench-direct")
    options = ReadOptions()
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        docs = []
        for entry in {e.sha256: e for e in batch.stored}.values():
            parts = stages.split_document(entry, settings, options)
            docs.append((entry, [p if isinstance(p, PageText) else pool.submit(stages.ocr_region, p, engine, options)
                                 for p in parts]))
        for entry, parts in docs:
            stages.write_pages(entry, settings, engine, [p if isinstance(p, PageText) else p.result() for p in parts])
            stages.extract_document(entry, settings, engine)
            route_document(entry, settings, engine, review=False)
            merge_document(entry, settings, db)
    return time.perf_counter() - start


def run_flow(settings: Settings, folder: Path, engine: str, runner, batch_id: str) -> tuple[float, dict]:
    from .cli_run import ingest_batch, run_batch

    ingested = ingest_batch(settings, [folder], None, batch_id)
    start = time.perf_counter()
    status = run_batch(settings, ingested.batch_id, engine, False, runner)
    return time.perf_counter() - start, status


def _home(root: Path, name: str) -> Settings:
    os.environ["CROSSTRACK_HOME"] = str(root / name)
    return Settings.from_env()


def run_bench(root: Path, frames: int, seed: int, engine: str, workers: int, dask: bool = True,
              on_step=lambda name: None) -> dict:
    """Needs Prefect configured (flows.prefect_env) with PREFECT_TASKS_REFRESH_CACHE=true."""
    from prefect import flow

    from .cli_run import task_runner

    folder = make_batch(root / "batch", frames, seed)
    home_before = os.environ.get("CROSSTRACK_HOME")
    try:
        on_step("Prefect's API server")
        start = time.perf_counter()
        flow(name="crosstrack-warm-up")(lambda: None)()  # starts the temporary server, if there is to be one
        startup = time.perf_counter() - start
        stages.ocr_engine(engine)  # load the engine and the extractor once, outside every timing
        stages.extractor()
        on_step("direct")
        direct = run_direct(_home(root, "direct"), folder, engine, workers)
        on_step("Prefect, thread pool")
        threads, status = run_flow(_home(root, "threads"), folder, engine, task_runner(False, None, workers), "bench-threads")
        report = {"frames": frames, "engine": engine, "workers": workers, "prefect_startup_s": round(startup, 1),
                  "direct_s": round(direct, 1), "threads_s": round(threads, 1),
                  "direct_frames_per_s": round(frames / direct, 3), "threads_frames_per_s": round(frames / threads, 3),
                  "overhead": round(threads / direct - 1, 3), "records": status["counts"].get("extract", {}).get("records", 0),
                  "failures": len(status["failures"])}
        if dask:
            on_step("Prefect, Dask cluster")
            d, status = run_flow(_home(root, "dask"), folder, engine, task_runner(True, None, workers), "bench-dask")
            report |= {"dask_s": round(d, 1), "dask_frames_per_s": round(frames / d, 3),
                       "dask_failures": len(status["failures"])}
        return report
    finally:
        if home_before is None:
            os.environ.pop("CROSSTRACK_HOME", None)
        else:
            os.environ["CROSSTRACK_HOME"] = home_before
