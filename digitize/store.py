"""Content-addressed document store: `<store_dir>/<sha[:2]>/<sha>.<ext>`, written atomically.

The same bytes always land on the same path, so storing twice is a no-op and a crash mid-copy
leaves only a temp file (named `.<sha>.*.tmp`, never mistaken for a document).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from models.errors import FileChangedError, StoreWriteError

CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    path: Path
    existed: bool  # already in the store before this call


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def store_path(store_dir: Path, sha256: str, ext: str) -> Path:
    return Path(store_dir) / sha256[:2] / f"{sha256}.{ext}"


def locate(store_dir: Path, sha256: str) -> Path | None:
    """The stored file for a content hash, whatever its extension, or None."""
    folder = Path(store_dir) / sha256[:2]
    matches = sorted(folder.glob(f"{sha256}.*")) if folder.is_dir() else []
    return matches[0] if matches else None


def put(src: Path, store_dir: Path, ext: str, expected_sha256: str | None = None) -> StoredFile:
    """Copy `src` into the store (streamed, hashed while copying); idempotent.

    With `expected_sha256` (from intake) an already-stored file is not read again, and a file
    whose bytes changed since intake raises FileChangedError instead of being stored.
    """
    if expected_sha256:
        dest = store_path(store_dir, expected_sha256, ext)
        if dest.exists():
            return StoredFile(expected_sha256, dest, existed=True)
    folder = Path(store_dir) / (expected_sha256[:2] if expected_sha256 else "incoming")
    tmp, sha = _copy_to_temp(Path(src), folder, expected_sha256 or "incoming")
    try:
        if expected_sha256 and sha != expected_sha256:
            raise FileChangedError(
                f"the file's content changed while it was being stored (sha256 {expected_sha256[:12]}… "
                f"at intake, {sha[:12]}… now): wait until it is fully copied, then submit it again"
            )
        dest = store_path(store_dir, sha, ext)
        if dest.exists():
            return StoredFile(sha, dest, existed=True)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, dest)  # atomic: readers see the whole file or none
        tmp = None
        return StoredFile(sha, dest, existed=False)
    except OSError as e:
        raise StoreWriteError(f"could not store {src} in {store_dir}: {e}. {StoreWriteError.message}") from e
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temp file in the same folder and os.replace."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(name, path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise StoreWriteError(f"could not write {path}: {e}. {StoreWriteError.message}") from e


def _copy_to_temp(src: Path, folder: Path, tag: str) -> tuple[Path, str]:
    """Copy into a temp file in the destination's folder (so os.replace never crosses
    filesystems), hashing the bytes as they are copied; returns the temp path and its sha256."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{tag}.", suffix=".tmp")
    except OSError as e:
        raise StoreWriteError(f"could not write in {folder}: {e}. {StoreWriteError.message}") from e
    tmp, h = Path(name), hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as f:
            while chunk := f.read(CHUNK):
                h.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())  # durable before it becomes visible under its final name
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise StoreWriteError(f"could not copy {src} into {folder}: {e}. {StoreWriteError.message}") from e
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, h.hexdigest()
