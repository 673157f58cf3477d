"""crosstrack commands: run (a batch end to end under Prefect), status."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer

from models.errors import CrosstrackError, ExitCode
from models.settings import Settings

from .cli import EngineOpt, _fail, app, bench_app
from .console import err, progress

STAGE_ORDER = ("digitize", "extract", "route", "merge")


def task_runner(dask: bool, address: str | None, workers: int | None):
    """A thread pool on this machine, or a Dask cluster: a local one, or the scheduler at `address`."""
    n = workers or os.cpu_count() or 1
    if not dask and not address:
        from prefect.task_runners import ThreadPoolTaskRunner
        return ThreadPoolTaskRunner(max_workers=n)
    from prefect_dask import DaskTaskRunner
    if address:
        return DaskTaskRunner(address=address)
    os.environ["CROSSTRACK_OCR_THREADS"] = "1"  # one engine thread a worker process: workers are the parallelism
    return DaskTaskRunner(cluster_kwargs={"n_workers": n, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})


def run_batch(settings: Settings, batch_id: str, engine: str, review: bool, runner,
              on_progress: Callable[[dict[str, int]], None] | None = None) -> dict:
    """The batch flow under Prefect. `on_progress(documents done per stage)` is called from a
    thread that reads the stage outcomes the flow records (so it works the same whatever runs
    the tasks, and nothing unpicklable travels with them to Dask workers)."""
    from models import batches
    from models.db import engine_for

    from .pipeline import batch_flow

    finished = threading.Event()

    def watch() -> None:
        db = engine_for(settings)
        while not finished.wait(0.5):
            found = batches.batch_status(db, batch_id)
            if found:
                on_progress(found[0].done)

    watcher = threading.Thread(target=watch, daemon=True) if on_progress else None
    if watcher:
        watcher.start()
    try:
        return batch_flow.with_options(task_runner=runner)(batch_id, engine, review)
    finally:
        finished.set()
        if watcher:
            watcher.join()


def run_with_progress(settings: Settings, batch_id: str, documents: int, engine: str, review: bool, runner) -> dict:
    """`run_batch` with a rich progress bar per stage, each counting documents done."""
    with progress() as bar:
        bars = {s: bar.add_task(s, total=documents) for s in STAGE_ORDER}

        def show(done: dict[str, int]) -> None:
            for s in STAGE_ORDER:
                bar.update(bars[s], completed=done.get(s, 0))

        status = run_batch(settings, batch_id, engine, review, runner, show)
        show(status["done"])
    return status


def ingest_batch(settings: Settings, paths: list[Path], manifest: Path | None, batch: str | None):
    """Intake, then the batch and its files recorded in the repository (upgraded first when behind)."""
    from digitize.intake import ingest
    from models import batches
    from models.db import engine_for

    from .cli_repo import ensure_repository

    result = ingest(paths, settings, manifest=manifest, batch_id=batch)
    db = engine_for(settings)
    ensure_repository(db)
    batches.record_batch(db, result.batch_id, result.created_at, [
        batches.Submitted(e.path, e.status, e.sha256, e.reason, e.provenance.model_dump(exclude_none=True))
        for e in result.entries], result.manifest)
    return result


def summary(status: dict, sync: dict | None = None) -> dict:
    c = status["counts"]
    out = {"batch": status["batch"], "documents": status["documents"],
           "pages": c.get("digitize", {}).get("pages", 0), "frames": c.get("digitize", {}).get("frames", 0),
           "records": c.get("extract", {}).get("records", 0),
           **{k: c.get("route", {}).get(k, 0) for k in ("auto", "review", "audit", "pushed")},
           "merged": {k: c.get("merge", {}).get(k, 0) for k in ("inserted", "updated", "unchanged", "rejected")},
           "done": {s: status["done"].get(s, 0) for s in STAGE_ORDER},
           "rejected": status["rejected"], "failed": status["failures"], "ocr": status.get("ocr", {})}
    if sync is not None:
        out["sync"] = sync
    return out


@app.command("run")
def run_cmd(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="files or folders of a batch")] = None,
    manifest: Annotated[Optional[Path], typer.Option(help="CSV: path,agency,county,series,reel,fiche,frame,box,folder")] = None,
    batch: Annotated[Optional[str], typer.Option(help="batch id (default: derived from the content)")] = None,
    engine: EngineOpt = None,
    review: Annotated[bool, typer.Option("--review/--no-review", help="push review and audit records to Label Studio (started if needed), or keep them in the review queue")] = True,
    sync: Annotated[bool, typer.Option("--sync", help="then pull finished reviews from Label Studio and merge them")] = False,
    dask: Annotated[bool, typer.Option("--dask", help="run OCR on a local Dask cluster (CROSSTRACK_DASK=1)")] = False,
    dask_address: Annotated[Optional[str], typer.Option(help="a Dask scheduler to run OCR on (CROSSTRACK_DASK_ADDRESS)")] = None,
    workers: Annotated[Optional[int], typer.Option(help="OCR tasks at once (default: one per core)")] = None,
) -> None:
    """Ingest a batch and run it end to end: digitize, extract, route, merge the auto-accepted."""
    from . import prefect_env

    settings = Settings.from_env()
    prefect_env.configure(settings)
    if not paths and manifest is None and not sync:
        err.print("[red]error:[/red] give files or folders (or --manifest), or --sync")
        raise typer.Exit(int(ExitCode.bad_args))
    dask = dask or os.environ.get("CROSSTRACK_DASK", "") == "1"
    dask_address = dask_address or os.environ.get("CROSSTRACK_DASK_ADDRESS") or None
    out: dict = {}
    try:
        if paths or manifest is not None:
            ingested = ingest_batch(settings, list(paths or []), manifest, batch)
            status = run_with_progress(settings, ingested.batch_id, len({e.sha256 for e in ingested.stored}),
                                       engine or settings.ocr_engine, review, task_runner(dask, dask_address, workers))
            out = summary(status)
        if sync:
            from .pipeline import sync_reviews_flow
            out["sync"] = sync_reviews_flow()
    except CrosstrackError as e:
        _fail(e)
    from .report import print_run
    print_run(out, settings)
    typer.echo(json.dumps(out))
    raise typer.Exit(int(ExitCode.rejected) if out.get("rejected") or out.get("failed") else 0)


@app.command("status")
def status_cmd(
    batch: Annotated[Optional[str], typer.Argument(help="a batch id (default: every batch, newest first)")] = None,
) -> None:
    """Each batch's documents, counts per stage, rejected files and failures, with why."""
    from models import batches
    from models.db import engine_for

    from .cli_repo import ensure_repository
    from .report import print_status

    settings = Settings.from_env()
    try:
        db = engine_for(settings)
        ensure_repository(db)
        found = [s.as_dict() for s in batches.batch_status(db, batch)]
    except CrosstrackError as e:
        _fail(e)
    if batch is not None and not found:
        err.print(f"[red]error:[/red] no batch {batch!r}: `crosstrack status` lists them")
        raise typer.Exit(int(ExitCode.bad_args))
    print_status(found)
    typer.echo(json.dumps(found if batch is None else found[0]))


@bench_app.command("run")
def bench_run(
    frames: Annotated[int, typer.Option(help="generated frames in the batch")] = 12,
    seed: int = 11,
    engine: EngineOpt = None,
    workers: Annotated[Optional[int], typer.Option(help="OCR tasks at once (default: one per core)")] = None,
    dask: Annotated[bool, typer.Option("--dask/--no-dask", help="also run on a local Dask cluster")] = True,
) -> None:
    """Frames/s end to end, directly and under Prefect (thread pool, Dask), and Prefect's overhead."""
    import tempfile

    from . import prefect_env
    from .run_bench import run_bench

    settings = Settings.from_env()
    os.environ["PREFECT_TASKS_REFRESH_CACHE"] = "true"  # every run reads every frame
    prefect_env.configure(settings)
    with tempfile.TemporaryDirectory(prefix="crosstrack-bench-run-") as root:
        with progress() as bar:
            step = bar.add_task("bench run", total=4 if dask else 3)
            report = run_bench(Path(root), frames, seed, engine or settings.ocr_engine, workers or os.cpu_count() or 1,
                               dask, lambda name: (bar.update(step, description=name), bar.advance(step)))
    err.print(f"direct {report['direct_frames_per_s']} frames/s; Prefect (threads) {report['threads_frames_per_s']} "
              f"frames/s: overhead {report['overhead']:+.1%}" +
              (f"; Prefect on Dask {report['dask_frames_per_s']} frames/s" if dask else ""))
    typer.echo(json.dumps(report))
