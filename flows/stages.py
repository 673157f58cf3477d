"""The pipeline's stages for one document, as plain functions: what the Prefect flows run as
tasks, and what `bench run` calls directly to measure the orchestration's overhead.

Every stage's output is a file named by the document's content hash, written atomically, so a
stage finished once is never redone and a crash never leaves half a file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from digitize.intake import BatchEntry
from digitize.reader import ReadOptions, Region, read_region, regions
from digitize.store import write_atomic
from models.page import PageText
from models.settings import Settings


def pages_path(settings: Settings, sha256: str, engine: str) -> Path:
    return settings.results_dir / "pages" / f"{sha256}.{engine}.jsonl"


def records_path(settings: Settings, sha256: str, engine: str) -> Path:
    return settings.results_dir / "records" / f"{sha256}.{engine}.jsonl"


@lru_cache(maxsize=4)
def ocr_engine(name: str):
    """One loaded engine per process and name (loading takes seconds; reading is thread-safe)."""
    from digitize.ocr import get_ocr_engine
    return get_ocr_engine(name)


@lru_cache(maxsize=1)
def extractor():
    from extract.pipeline import Extractor
    return Extractor.load()


def split_document(entry: BatchEntry, settings: Settings, options: ReadOptions) -> list[Region | PageText]:
    """A stored document's pages read from a text layer, and the pages or fiche frames left to OCR,
    in document order. Raises RejectedFileError when the file turns out unreadable."""
    return list(regions(Path(entry.stored_path), settings, options, entry.path))


def ocr_region(region: Region, engine: str, options: ReadOptions) -> PageText:
    return read_region(region, ocr_engine(engine), options)


def write_pages(entry: BatchEntry, settings: Settings, engine: str, pages: list[PageText]) -> Path:
    """The document's page text (the format of `crosstrack digitize --json`, with its provenance)."""
    provenance = entry.provenance.model_dump(exclude_none=True)
    rows = [p.cli_record() | {"source": entry.path, "provenance": provenance} for p in pages]
    out = pages_path(settings, entry.sha256, engine)
    write_atomic(out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode())
    return out


def read_pages(path: Path) -> list[PageText]:
    return [PageText.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def extract_document(entry: BatchEntry, settings: Settings, engine: str) -> list[dict]:
    """The document's records (`crosstrack extract --jsonl` objects), written beside its pages."""
    pages = read_pages(pages_path(settings, entry.sha256, engine))
    records = [r.cli_record() for r in extractor().extract_pages(pages)]
    write_atomic(records_path(settings, entry.sha256, engine),
                 "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode())
    return records


def read_records(settings: Settings, sha256: str, engine: str) -> list[dict]:
    path = records_path(settings, sha256, engine)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
