"""Prefect flows: a batch end to end (digitize → extract → route → merge), one document at a time
through the later stages while the OCR of the next documents' pages and frames runs as tasks.

- OCR is one task per page or fiche frame, retried with backoff on failures that may pass, its
  result cached under a key of the frame's content, engine and cleanup options: an interrupted
  document resumes without reading its finished frames again.
- Each stage's outcome per document goes to the repository (models/batches.py) after its output
  file is written; a re-run skips what is done, and the merge is idempotent by record key, so a
  batch killed at any point and run again ends with every document processed exactly once.
- The task runner is a thread pool (OCR engines let go of the GIL) or, with `dask`, a Dask
  cluster: a local one, or the scheduler at an address.
"""

from __future__ import annotations

import hashlib
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, task
from prefect.futures import PrefectFuture
from prefect.tasks import exponential_backoff
from sqlalchemy import Engine

from digitize.intake import BatchEntry, BatchManifest
from digitize.reader import ReadOptions, Region
from models import batches
from models.db import engine_for
from models.errors import ConfigError, CrosstrackError, RejectedFileError
from models.merge import merge_lines, numbered_lines
from models.page import PageText
from models.settings import Settings

from . import stages

OCR_VERSION = "1"  # part of the OCR cache key: bump when cleanup or OCR output changes meaning
WINDOW = 4  # documents whose frames are queued for OCR at once: bounds the images held in memory


class StageFailed(Exception):
    """A document stage failed for good; its reason is already recorded."""


def _may_pass(task, task_run, state) -> bool:
    """Retry what may pass on a second try; a file that is unreadable stays unreadable."""
    try:
        state.result()
    except (RejectedFileError, ConfigError, StageFailed):
        return False
    except Exception:
        return True
    return False


def _options_key(options: ReadOptions) -> str:
    return hashlib.sha256(options.model_dump_json(exclude={"debug_dir"}).encode()).hexdigest()[:16]


def _frame_key(ctx, params: dict) -> str:
    r: Region = params["region"]
    f = f"{r.frame.row}.{r.frame.col}" if r.frame else "-"
    return f"ocr-{r.sha256}-{r.page}-{f}-{params['engine']}-{_options_key(params['options'])}-v{OCR_VERSION}"


# The task wraps the stage function under another name: Dask pickles the function by reference,
# which fails when the module's name for it is the task object.
# Tagged "ocr": on a Prefect server, `prefect concurrency-limit create ocr N` caps OCR across workers.
ocr_task = task(stages.ocr_region, name="ocr", tags=["ocr"], retries=2,
                retry_delay_seconds=exponential_backoff(backoff_factor=1), retry_condition_fn=_may_pass,
                persist_result=True, cache_key_fn=_frame_key, task_run_name="ocr {region.sha256:.12} p{region.page}")


def _document(entry: BatchEntry, settings: Settings, engine: str, review: bool, batch_id: str) -> list[str]:
    """Extract, route and merge one digitized document: each stage not yet done, its outcome
    recorded as it ends. A retry resumes at the stage that failed. Returns the stages run."""
    db = engine_for(settings)
    have = batches.done_stages(db, batch_id)[entry.sha256]
    steps = (("extract", lambda: {"records": len(stages.extract_document(entry, settings, engine))}),
             ("route", lambda: route_document(entry, settings, engine, review)),
             ("merge", lambda: merge_document(entry, settings, db)))
    ran = []
    try:
        for stage, run in steps:
            if stage in have and _output_exists(settings, entry, stage, engine):
                continue
            try:
                counts = run()
            except (RejectedFileError, ConfigError) as e:  # will not pass on a retry
                batches.record_stage(db, batch_id, entry.sha256, stage, "failed", error=e.reason)
                raise StageFailed(e.reason) from e
            except Exception as e:
                why = e.reason if isinstance(e, CrosstrackError) else _why(e)
                batches.record_stage(db, batch_id, entry.sha256, stage, "failed", error=why)
                e.recorded = True  # type: ignore[attr-defined]
                raise
            batches.record_stage(db, batch_id, entry.sha256, stage, "done", counts)
            ran.append(stage)
    finally:
        db.dispose()
    return ran


# One task per document after OCR (its stages' outcomes are recorded by stage): a task run costs
# a few API round trips, and three per document were a tenth of the run time on typed frames.
document_task = task(_document, name="document", retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=1),
                     retry_condition_fn=_may_pass, task_run_name="document {entry.sha256:.12}")


# ---- route and merge: plain functions (also what `bench run` calls directly) ----------------------

def auto_path(settings: Settings, sha256: str) -> Path:
    return settings.results_dir / "verified" / f"{sha256}.auto.jsonl"


def queue_path(settings: Settings, sha256: str) -> Path:
    """Records for review kept here when Label Studio is not used (`--no-review`): `review push` takes them."""
    return settings.results_dir / "review-queue" / f"{sha256}.jsonl"


def route_document(entry: BatchEntry, settings: Settings, engine: str, review: bool) -> dict:
    """Route the document's records: auto-accepted ones become verified records to merge; the
    review and audit ones go to Label Studio (or wait in the review queue without it)."""
    from review.ls_tasks import push
    from review.policy import load_policy

    records = [r | {"provenance": entry.provenance.model_dump()} for r in stages.read_records(settings, entry.sha256, engine)]
    return push(records, settings, load_policy(), auto_out=auto_path(settings, entry.sha256),
                queue_out=None if review else queue_path(settings, entry.sha256)).summary()


def merge_document(entry: BatchEntry, settings: Settings, db: Engine) -> dict:
    counts = merge_lines(db, numbered_lines(auto_path(settings, entry.sha256)))
    return {k: v for k, v in counts.as_dict().items() if k != "people"}


# ---- the batch flow ----------------------------------------------------------------------------

@dataclass
class _Doc:
    entry: BatchEntry
    items: list[PageText | PrefectFuture] = field(default_factory=list)


def _documents(manifest: BatchManifest) -> list[BatchEntry]:
    """The batch's distinct documents, in submission order (a duplicate file is one document)."""
    seen: dict[str, BatchEntry] = {}
    for e in manifest.stored:
        seen.setdefault(e.sha256, e)
    return list(seen.values())


@flow(name="crosstrack-batch", log_prints=False)
def batch_flow(batch_id: str, engine: str, review: bool = True) -> dict:
    """Every document of an ingested batch through every stage not yet done for it."""
    settings = Settings.from_env()
    manifest = BatchManifest.model_validate_json((settings.batches_dir / f"{batch_id}.json").read_bytes())
    db = engine_for(settings)
    done = batches.done_stages(db, batch_id)
    options = ReadOptions()
    ocr = Counter()
    if review:  # the reviewers' server, started once (a running one is reused)
        from review.ls_server import serve
        serve(settings)

    def fail(entry: BatchEntry, stage: str, why: str) -> None:
        batches.record_stage(db, batch_id, entry.sha256, stage, "failed", error=why)

    def downstream(entry: BatchEntry) -> None:
        have = done[entry.sha256]
        if all(st in have and _output_exists(settings, entry, st, engine) for st in ("extract", "route", "merge")):
            return
        try:
            have.update(document_task(entry, settings, engine, review, batch_id))
        except Exception as e:  # retries spent: the failed stage and why are recorded; the batch goes on
            if not isinstance(e, StageFailed) and not getattr(e, "recorded", False):
                fail(entry, "extract", _why(e))

    def finish(doc: _Doc) -> None:
        pages = []
        for item in doc.items:
            if isinstance(item, PageText):
                pages.append(item)
                continue
            item.wait()
            state = item.state
            if not state.is_completed():
                try:
                    state.result()
                except CrosstrackError as e:
                    return fail(doc.entry, "digitize", e.reason)
                except Exception as e:
                    return fail(doc.entry, "digitize", _why(e))
            ocr["cached" if state.name == "Cached" else "read"] += 1
            pages.append(item.result())
        stages.write_pages(doc.entry, settings, engine, pages)
        batches.record_stage(db, batch_id, doc.entry.sha256, "digitize", "done",
                             {"pages": len(pages), "frames": sum(p.frame is not None for p in pages)})
        done[doc.entry.sha256].add("digitize")
        downstream(doc.entry)

    inflight: deque[_Doc] = deque()
    for entry in _documents(manifest):
        if "digitize" in done[entry.sha256] and stages.pages_path(settings, entry.sha256, engine).exists():
            downstream(entry)
            continue
        try:
            parts = stages.split_document(entry, settings, options)
        except CrosstrackError as e:
            fail(entry, "digitize", e.reason)
            continue
        doc = _Doc(entry, [p if isinstance(p, PageText) else ocr_task.submit(p, engine, options) for p in parts])
        inflight.append(doc)
        while len(inflight) > WINDOW:
            finish(inflight.popleft())
    while inflight:
        finish(inflight.popleft())
    status = batches.batch_status(db, batch_id)[0]
    return status.as_dict() | {"ocr": dict(ocr)}


def _why(e: Exception) -> str:
    """An unexpected failure's class and first line: enough to act on, and no record's values
    (a validation error's later lines quote its input)."""
    first = str(e).strip().splitlines()[0] if str(e).strip() else ""
    return f"{type(e).__name__}: {first}"[:300]


def _output_exists(settings: Settings, entry: BatchEntry, stage: str, engine: str) -> bool:
    """A stage recorded done whose output file is gone (cleaned up by hand) is done again."""
    if stage == "extract":
        return stages.records_path(settings, entry.sha256, engine).exists()
    if stage == "route":
        return auto_path(settings, entry.sha256).exists()
    return True


@flow(name="crosstrack-sync-reviews", log_prints=False)
def sync_reviews_flow() -> dict:
    """Pull the reviewers' finished work from Label Studio and merge it (the scheduled deployment)."""
    from datetime import datetime, timezone

    from review.ls_sync import pull

    settings = Settings.from_env()
    out = settings.results_dir / "verified" / f"reviewed-{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}.jsonl"
    pulled = pull(settings, out)
    merged = merge_lines(engine_for(settings), numbered_lines(out)) if out.exists() else None
    return {"pulled": pulled.summary(), "merged": merged.as_dict() if merged else None}


@flow(name="crosstrack-run", log_prints=False)
def run_flow(paths: list[str], manifest: str | None = None, batch: str | None = None, engine: str = "ppocr",
             review: bool = True) -> dict:
    """Ingest files or folders (a drop folder) and run the batch: what a deployment runs."""
    from .cli_run import ingest_batch

    settings = Settings.from_env()
    ingested = ingest_batch(settings, [Path(p) for p in paths], Path(manifest) if manifest else None, batch)
    return batch_flow(ingested.batch_id, engine, review)
