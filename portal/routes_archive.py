"""Archivists: upload a batch's files with their provenance (or a manifest CSV), watch it run stage
by stage, see every rejected file and why, re-submit corrected files or run it again.

Uploads are written under <home>/uploads/<batch>/ (size-limited while they stream), then go
through the same intake as `crosstrack ingest` (type checked by content, content-addressed store);
the batch then runs in its own process (portal.batch_runner)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import BaseModel
from sqlalchemy import select

from digitize.intake import MB
from digitize.manifest import COLUMNS
from models import batches
from models.errors import FileTooLargeError, ManifestError
from models.provenance import Provenance
from models.settings import Settings

from . import auth, batch_runner
from .routes_review import label_studio
from .web import PortalError, engine_of, render, settings_of

router = APIRouter()
Archivist = Annotated[auth.User, Depends(auth.require_roles("archivist", "admin"))]
MAX_FILES = 500
CHUNK = 1 << 20
MANIFEST_NAME = ".manifest.csv"  # hidden: intake's folder walk skips it, the manifest names the files
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
BDOC = batches.BDOC
_BATCH = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$")


class BatchView(BaseModel):
    """A batch as the pages and the API show it: intake's outcome, each stage's progress, the run."""
    batch: str
    created_at: dt.datetime
    updated_at: dt.datetime
    files: int
    documents: int
    duplicates: int
    rejected: list[dict]  # {path, reason}
    done: dict[str, int]  # stage -> documents done
    counts: dict[str, dict[str, int]]
    failures: list[dict]  # {path, stage, error}
    run: str  # none | running | finished | failed | stopped
    finished: bool  # every document through every stage, or failed at one


def upload_dir(settings: Settings, batch_id: str) -> Path:
    return settings.home / "uploads" / batch_id


def _shown(settings: Settings, batch_id: str, path: str) -> str:
    """A path as the archivist named it: relative to the batch's upload folder."""
    base = str(upload_dir(settings, batch_id)) + "/"
    return path[len(base):] if path.startswith(base) else Path(path).name


def safe_name(name: str) -> str:
    """An uploaded file's name, reduced to one harmless path component (a folder upload's
    relative path keeps its parts joined by '__')."""
    parts = [_UNSAFE.sub("_", p).strip("._") for p in re.split(r"[\\/]+", name or "") if p not in ("", ".", "..")]
    joined = "__".join(p for p in parts if p)
    return joined[-200:] or f"file-{secrets.token_hex(4)}"


async def _save(upload: UploadFile, target: Path, limit: int) -> int:
    """Stream an upload to disk; stop (and delete it) once it passes the size limit."""
    size = 0
    tmp = target.with_name(f".{target.name}.part")
    with open(tmp, "wb") as f:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > limit:
                break
            f.write(chunk)
    if size > limit:
        tmp.unlink()
        return size
    tmp.replace(target)
    return size


def _manifest(text: str | None, names: list[str], prov: Provenance) -> str:
    """The batch's manifest as intake reads it: the archivist's CSV (or one row per uploaded file),
    its paths matched to the uploaded files (by the path as given, or its file name) and rewritten
    relative to the upload folder, so no row can name a file outside it; the batch-wide provenance
    fills the cells a row leaves empty. A row naming a file not uploaded stays, for intake to reject."""
    if text is None:
        rows = [["path"], *([n] for n in names)]
    else:
        try:
            rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(c.strip() for c in r)]
        except csv.Error as e:
            raise ManifestError(f"the manifest cannot be read ({e}): save it as UTF-8 CSV") from e
    if not rows:
        raise ManifestError(f"the manifest is empty: it needs a header row ({', '.join(COLUMNS)})")
    header = [h.strip().lower() for h in rows[0]]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown or "path" not in header:
        raise ManifestError(f"the manifest's columns are {', '.join(COLUMNS)} (path required): "
                            f"it has {', '.join(map(repr, header))}")
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(COLUMNS)
    listed = set()
    for row in rows[1:]:
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        name = safe_name(cells["path"])
        if name not in names:
            name = safe_name(Path(cells["path"].replace("\\", "/")).name)
        listed.add(name)
        w.writerow([name, *(cells.get(c) or getattr(prov, c) or "" for c in COLUMNS[1:])])
    for name in names:  # uploaded but not in the CSV: the batch-wide provenance only
        if name not in listed:
            w.writerow([name, *(getattr(prov, c) or "" for c in COLUMNS[1:])])
    return out.getvalue()


def _view(settings: Settings, s: batches.BatchStatus) -> BatchView:
    d = s.as_dict()
    run = batch_runner.state(settings, s.batch_id)["state"]
    if run == "none":  # run outside the portal (`crosstrack run`): settled once every document is
        settled = s.done.get("merge", 0) + len({p for p, _, _ in s.failures})
        finished = settled >= s.documents
    else:
        finished = run != "running"
    base = str(upload_dir(settings, s.batch_id)) + "/"  # reasons name files as the archivist did
    return BatchView(**d | {"rejected": [{"path": _shown(settings, s.batch_id, r["path"]), "reason": r["reason"].replace(base, "")}
                                         for r in d["rejected"]],
                            "failures": [f | {"path": _shown(settings, s.batch_id, f["path"])} for f in d["failures"]],
                            "done": {stage: s.done.get(stage, 0) for stage in batches.STAGES}},
                     run=run, finished=finished)


def _one(request: Request, batch_id: str) -> BatchView:
    found = batches.batch_status(engine_of(request), batch_id) if _BATCH.match(batch_id) else []
    if not found:
        raise PortalError(404, "no such batch: the batches page lists them")
    return _view(settings_of(request), found[0])


def _not_running(settings: Settings, batch_id: str) -> None:
    if batch_runner.state(settings, batch_id)["state"] == "running":
        raise PortalError(409, "the batch is running: wait until it finishes, then re-submit")


async def _read_manifest(upload: UploadFile | None, limit: int) -> str | None:
    if upload is None or not upload.filename:
        return None
    raw = await upload.read(limit + 1)
    if len(raw) > limit:
        raise PortalError(413, "the manifest CSV is over the size limit")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ManifestError("the manifest is not UTF-8 text: save it as UTF-8 CSV") from e


def _earlier_manifest(request: Request, batch_id: str, files: list[UploadFile]) -> str | None:
    """A manifest giving re-submitted files the provenance their earlier versions were given."""
    settings = settings_of(request)
    names = {safe_name(f.filename) for f in files if f.filename}
    with engine_of(request).connect() as conn:
        rows = conn.execute(select(BDOC.c.path, BDOC.c.provenance).where(BDOC.c.batch_id == batch_id)).all()
    earlier = {_shown(settings, batch_id, p): prov for p, prov in rows if prov}
    if not names & set(earlier):
        return None
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(COLUMNS)
    for name in sorted(names):
        w.writerow([name, *((earlier.get(name) or {}).get(c) or "" for c in COLUMNS[1:])])
    return out.getvalue()


async def _submit(request: Request, batch_id: str, files: list[UploadFile], text: str | None,
                  provenance: Provenance) -> None:
    """Save the uploads, run intake on them (the batch page shows its verdict), start the batch."""
    from flows.cli_run import ingest_batch

    settings = settings_of(request)
    _not_running(settings, batch_id)
    files = [f for f in files if f.filename]
    if not files and text is None:
        raise PortalError(400, "choose the files of the batch (and a manifest CSV if you have one)")
    if len(files) > MAX_FILES:
        raise PortalError(413, f"at most {MAX_FILES} files a batch: split it into several batches")
    folder = upload_dir(settings, batch_id)
    folder.mkdir(parents=True, exist_ok=True)
    limit = int(settings.max_file_mb * MB)
    saved, too_large = [], []
    for f in files:
        name = safe_name(f.filename)
        size = await _save(f, folder / name, limit)
        if size > limit:
            too_large.append(name)
        else:
            saved.append(folder / name)
    manifest_path = None
    if text is not None or not provenance.is_empty():
        manifest_path = folder / MANIFEST_NAME
        manifest_path.write_text(_manifest(text, [p.name for p in saved], provenance), encoding="utf-8")
    # intake reads and hashes every file: off the event loop, so the portal keeps answering meanwhile
    result = await run_in_threadpool(ingest_batch, settings, saved, manifest_path, batch_id) if saved or manifest_path else None
    if too_large:  # never stored, so intake never saw them: recorded here with intake's reason
        reason = FileTooLargeError(f"the file is over the limit of {settings.max_file_mb:g} MB "
                                   "(CROSSTRACK_MAX_FILE_MB): split it, or raise the limit").reason
        batches.record_batch(engine_of(request), batch_id, result.created_at if result else dt.datetime.now(dt.timezone.utc),
                             [batches.Submitted(str(folder / n), "rejected", reason=reason) for n in too_large],
                             result.manifest if result else None)
    if result is not None and result.stored:
        await run_in_threadpool(_start, settings, batch_id)


def _start(settings: Settings, batch_id: str) -> None:
    batch_runner.start(settings, batch_id, review=label_studio(settings) is not None)


def _provenance(**fields) -> Provenance:
    return Provenance(**{k: (v.strip() or None) if isinstance(v, str) else None for k, v in fields.items()})


Text = Annotated[str | None, Form(max_length=120)]


@router.get("/archive", summary="Batches and the upload form", tags=["archive"])
def archive_page(request: Request, user: Archivist):
    settings = settings_of(request)
    rows = [_view(settings, s) for s in batches.batch_status(engine_of(request))]
    return render(request, "archive.html", batches=rows, max_mb=settings.max_file_mb, max_files=MAX_FILES,
                  columns=", ".join(COLUMNS))


@router.post("/archive/upload", summary="Upload a batch: files, a manifest CSV, provenance", tags=["archive"])
async def upload(request: Request, user: Archivist,
                 files: Annotated[list[UploadFile], File(description="the batch's images and PDFs")] = [],
                 manifest: Annotated[UploadFile | None, File(description="CSV: " + ",".join(COLUMNS))] = None,
                 batch: Annotated[str | None, Form(max_length=128, description="batch id (default: generated)")] = None,
                 agency: Text = None, county: Text = None, series: Text = None, reel: Text = None,
                 fiche: Text = None, box: Text = None, folder: Text = None):
    batch_id = (batch or "").strip() or f"upload-{dt.datetime.now(dt.timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    if not _BATCH.match(batch_id):
        raise PortalError(400, "a batch id is up to 128 letters, digits, '.', '_' or '-'")
    prov = _provenance(agency=agency, county=county, series=series, reel=reel, fiche=fiche, box=box, folder=folder)
    text = await _read_manifest(manifest, int(settings_of(request).max_file_mb * MB))
    await _submit(request, batch_id, files, text, prov)
    return RedirectResponse(f"/archive/batches/{batch_id}", status_code=303)


@router.get("/archive/batches/{batch_id}", summary="A batch's progress per stage, rejected files and failures", tags=["archive"])
def batch_page(request: Request, user: Archivist, batch_id: str):
    return render(request, "batch.html", b=_one(request, batch_id), stages=batches.STAGES,
                  max_mb=settings_of(request).max_file_mb)


@router.post("/archive/batches/{batch_id}/resubmit", summary="Add corrected files to a batch, or run it again", tags=["archive"])
async def resubmit(request: Request, user: Archivist, batch_id: str,
                   files: Annotated[list[UploadFile], File(description="corrected or missing files")] = [],
                   manifest: Annotated[UploadFile | None, File(description="CSV for these files")] = None):
    _one(request, batch_id)
    settings = settings_of(request)
    text = await _read_manifest(manifest, int(settings.max_file_mb * MB))
    if any(f.filename for f in files) or text is not None:
        await _submit(request, batch_id, files, text if text is not None else _earlier_manifest(request, batch_id, files),
                      Provenance())
    else:  # the same files again: the stages already done for a document are skipped
        _not_running(settings, batch_id)
        await run_in_threadpool(_start, settings, batch_id)
    return RedirectResponse(f"/archive/batches/{batch_id}", status_code=303)


@router.get("/api/archive/batches", summary="Every batch, newest first", tags=["archive"])
def batches_api(request: Request, user: Archivist) -> list[BatchView]:
    settings = settings_of(request)
    return [_view(settings, s) for s in batches.batch_status(engine_of(request))]


@router.get("/api/archive/batches/{batch_id}", summary="One batch's progress", tags=["archive"])
def batch_api(request: Request, user: Archivist, batch_id: str) -> BatchView:
    return _one(request, batch_id)
