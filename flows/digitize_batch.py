"""Digitize every stored document of an ingested batch, once per content hash and engine.

Each document's pages land in `results/pages/<sha256>.<engine>.jsonl`, written atomically, so a
re-run skips finished documents and a crash never leaves half a file.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from digitize.intake import BatchManifest
from digitize.ocr import get_ocr_engine
from digitize.reader import PageReader, ReadOptions
from digitize.store import write_atomic
from models.errors import RejectedFileError
from models.settings import Settings


@dataclass
class BatchResult:
    batch_id: str
    documents: int = 0
    pages: int = 0
    frames: int = 0
    cached: int = 0
    rejected: dict[str, str] = field(default_factory=dict)  # path -> reason
    duplicates: int = 0
    engines: Counter = field(default_factory=Counter)
    results: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "batch": self.batch_id, "documents": self.documents, "pages": self.pages, "frames": self.frames,
            "cached": self.cached, "duplicates": self.duplicates, "rejected": len(self.rejected),
            "engines": dict(self.engines),
        }


def pages_path(settings: Settings, sha256: str, engine: str) -> Path:
    return settings.results_dir / "pages" / f"{sha256}.{engine}.jsonl"


def digitize_batch(batch: BatchManifest, settings: Settings, engine: str, options: ReadOptions, tick=None) -> BatchResult:
    result = BatchResult(batch_id=batch.batch_id)
    reader: PageReader | None = None  # loaded only when some document is not cached
    for entry in batch.entries:
        if entry.status == "rejected":
            result.rejected[entry.path] = entry.reason or "rejected"
        elif entry.status == "duplicate":
            result.duplicates += 1
        else:
            out = pages_path(settings, entry.sha256, engine)
            if out.exists():
                result.cached += 1
            else:
                reader = reader or PageReader(get_ocr_engine(engine), settings, options)
                try:
                    rows = [p.cli_record() | {"provenance": entry.provenance.model_dump(exclude_none=True)}
                            for p in reader.read_file(Path(entry.stored_path), source=entry.path)]
                except RejectedFileError as e:
                    result.rejected[entry.path] = e.reason
                    continue
                write_atomic(out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode())
            result.documents += 1
            result.results.append(str(out))
            for row in map(json.loads, out.read_text().splitlines()):
                result.pages += 1
                result.frames += row["frame"] is not None
                result.engines[row["engine"]] += 1
        if tick:
            tick()
    return result
