"""Intake: check each submitted file, store the good ones by content, record every outcome.

`check_file` decides whether one file is a document crosstrack can read (it really decodes it);
`ingest` runs a batch: the rest goes on when a file is rejected, identical content is one
document (id = its sha256) within the batch and across batches, and the batch manifest JSON is
written atomically to `<batches_dir>/<batch_id>.json`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from digitize import filetypes, images, pdf, store
from digitize.manifest import read_manifest
from models.errors import (
    EmptyFileError,
    FileTooLargeError,
    InvalidBatchIdError,
    MissingFileError,
    RejectedFileError,
    UnreadableFileError,
    UnsupportedFileTypeError,
)
from models.provenance import Provenance
from models.settings import Settings

MB = 1_000_000
_BATCH_ID = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$")


class Intake(BaseModel):
    path: Path
    sha256: str
    kind: str
    size: int
    pages: int
    warnings: list[str] = Field(default_factory=list)


class BatchEntry(BaseModel):
    path: str  # absolute path as submitted
    status: Literal["stored", "duplicate", "rejected"]
    provenance: Provenance = Field(default_factory=Provenance)
    document_id: str | None = None  # = sha256 of the content
    sha256: str | None = None
    kind: str | None = None
    size: int | None = None
    pages: int | None = None
    stored_path: str | None = None
    already_stored: bool = False  # the store held this content before this batch
    duplicate_of: str | None = None  # the earlier entry in this batch with the same content
    reason: str | None = None  # rejected: what is wrong and what to do
    error: str | None = None  # rejected: the exception class name
    warnings: list[str] = Field(default_factory=list)


class BatchManifest(BaseModel):
    batch_id: str
    created_at: datetime
    provenance: Provenance = Field(default_factory=Provenance)
    manifest: str | None = None
    entries: list[BatchEntry]

    @property
    def stored(self) -> list[BatchEntry]:
        return [e for e in self.entries if e.status == "stored"]

    @property
    def rejected(self) -> list[BatchEntry]:
        return [e for e in self.entries if e.status == "rejected"]

    @property
    def document_ids(self) -> list[str]:
        """Distinct documents of the batch, in submission order."""
        return list(dict.fromkeys(e.document_id for e in self.entries if e.document_id))


def check_file(path: Path, settings: Settings) -> Intake:
    """Verify one file is an image or PDF crosstrack can read; raises a RejectedFileError subclass."""
    path = Path(path)
    try:
        if not path.is_file():
            what = "is a folder, not a file" if path.is_dir() else "does not exist"
            raise MissingFileError(f"{path} {what}: check the path (or the manifest row that names it)")
        size = path.stat().st_size
        if size == 0:
            raise EmptyFileError()
        limit = settings.max_file_mb * MB
        if size > limit:
            raise FileTooLargeError(
                f"the file is {size / MB:,.1f} MB, over the limit of {settings.max_file_mb:g} MB "
                "(CROSSTRACK_MAX_FILE_MB): split it, or raise the limit"
            )
        with open(path, "rb") as f:
            head = f.read(filetypes.HEAD_BYTES)
        kind = filetypes.sniff(head)
        if kind is None:
            # Its first bytes in hex, no more: a text file's first bytes can be a name or a docket number.
            raise UnsupportedFileTypeError(f"{UnsupportedFileTypeError.message} (its first bytes are {head[:4].hex(' ')})")
        pages = pdf.page_count(path) if kind == "pdf" else images.verify_image(path, settings.max_pixels)
        sha = store.sha256_file(path)
    except PermissionError as e:
        raise UnreadableFileError(f"{path} cannot be read ({e.strerror}): {UnreadableFileError.message}") from e
    except OSError as e:
        raise UnreadableFileError(f"{path} cannot be read ({e}): {UnreadableFileError.message}") from e
    warnings = []
    if filetypes.extension_mismatch(path, kind):
        warnings.append(f"named {path.suffix!r} but its content is {kind.upper()}: stored as {kind}")
    return Intake(path=path, sha256=sha, kind=kind, size=size, pages=pages, warnings=warnings)


def ingest(
    paths: list[Path],
    settings: Settings,
    provenance: Provenance | None = None,
    manifest: Path | None = None,
    batch_id: str | None = None,
) -> BatchManifest:
    """Check, store and record every file (folders are walked); returns and writes the batch manifest."""
    batch_provenance = provenance or Provenance()
    listed = read_manifest(manifest) if manifest else {}
    skip = {Path(manifest).resolve()} if manifest else set()
    files = list(dict.fromkeys([*expand_paths(paths, skip), *listed]))
    entries: list[BatchEntry] = []
    first_seen: dict[str, str] = {}
    for path in files:
        entry = _ingest_one(path, settings, _merge(batch_provenance, listed.get(path)))
        if entry.sha256 in first_seen and entry.status == "stored":
            entry.status, entry.duplicate_of = "duplicate", first_seen[entry.sha256]
        elif entry.status == "stored":
            first_seen[entry.sha256] = entry.path
        entries.append(entry)
    if batch_id is None:
        batch_id = default_batch_id(entries, batch_provenance)
    elif not _BATCH_ID.match(batch_id):
        raise InvalidBatchIdError(f"{batch_id!r}: {InvalidBatchIdError.message}")
    target = settings.batches_dir / f"{batch_id}.json"
    result = BatchManifest(
        batch_id=batch_id,
        created_at=_created_at(target),
        provenance=batch_provenance,
        manifest=str(Path(manifest).resolve()) if manifest else None,
        entries=entries,
    )
    store.write_atomic(target, result.model_dump_json(indent=2).encode())
    return result


def expand_paths(paths: list[Path], skip: set[Path] = frozenset()) -> list[Path]:
    """Absolute paths of the files to ingest: folders walked in sorted order, hidden entries skipped."""
    out: list[Path] = []
    for given in paths:
        given = Path(given).expanduser().resolve()
        if not given.is_dir():
            out.append(given)  # a missing path stays in the list, to be rejected with its reason
            continue
        for root, dirs, names in os.walk(given):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            out.extend(Path(root) / n for n in sorted(names) if not n.startswith("."))
    return [p for p in out if p not in skip]


def default_batch_id(entries: list[BatchEntry], provenance: Provenance) -> str:
    """sha256 over the batch's contents and provenance: the same batch submitted again has the same id."""
    items = sorted(
        f"{e.sha256 or 'missing:' + e.path}|{e.provenance.model_dump_json()}" for e in entries
    )
    payload = json.dumps({"files": items, "provenance": provenance.model_dump()}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _ingest_one(path: Path, settings: Settings, provenance: Provenance) -> BatchEntry:
    entry = BatchEntry(path=str(path), status="rejected", provenance=provenance)
    try:
        found = check_file(path, settings)
        stored = store.put(path, settings.store_dir, filetypes.STORE_EXT[found.kind], found.sha256)
    except RejectedFileError as e:
        entry.reason, entry.error = e.reason, type(e).__name__
        return entry
    entry.status = "stored"
    entry.document_id = entry.sha256 = found.sha256
    entry.kind, entry.size, entry.pages, entry.warnings = found.kind, found.size, found.pages, found.warnings
    entry.stored_path = str(stored.path)
    entry.already_stored = stored.existed
    return entry


def _merge(batch: Provenance, row: Provenance | None) -> Provenance:
    """The manifest row's values win; the batch-wide provenance fills what the row leaves empty."""
    if row is None:
        return batch
    merged = batch.model_dump()
    merged.update({k: v for k, v in row.model_dump().items() if v is not None})
    return Provenance(**merged)


def _created_at(target: Path) -> datetime:
    # Re-submitting a batch rewrites its manifest but keeps when it was first created.
    try:
        return BatchManifest.model_validate_json(target.read_bytes()).created_at
    except (OSError, ValueError):
        return datetime.now(timezone.utc)
