"""Digitize every stored document of an ingested batch, once per content hash and engine.

Each document's pages land in `results/pages/<sha256>.<engine>.jsonl`, written atomically when
the document is finished, so a re-run skips finished documents and a crash never leaves half a
file.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from digitize.intake import BatchEntry, BatchManifest
from digitize.parallel import Rejected, read_files
from digitize.reader import ReadOptions
from digitize.store import write_atomic
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
    outputs: list[Path] = field(default_factory=list)  # each document's pages file, in batch order
    combined: Path | None = None  # all of them in one file

    def as_dict(self) -> dict:
        return {
            "batch": self.batch_id, "documents": self.documents, "pages": self.pages, "frames": self.frames,
            "cached": self.cached, "duplicates": self.duplicates, "rejected": len(self.rejected),
            "engines": dict(self.engines),
        }

    def count(self, pages_file: Path) -> None:
        self.documents += 1
        self.outputs.append(pages_file)
        for row in map(json.loads, pages_file.read_text().splitlines()):
            self.pages += 1
            self.frames += row["frame"] is not None
            self.engines[row["engine"]] += 1


def pages_path(settings: Settings, sha256: str, engine: str) -> Path:
    return settings.results_dir / "pages" / f"{sha256}.{engine}.jsonl"


def digitize_batch(
    batch: BatchManifest,
    settings: Settings,
    engine: str,
    options: ReadOptions,
    tick: Callable[[], None] | None = None,
    workers: int | None = None,
) -> BatchResult:
    tick = tick or (lambda: None)
    result = BatchResult(batch_id=batch.batch_id)
    todo: dict[str, BatchEntry] = {}  # stored path -> entry, for documents not read yet
    for entry in batch.entries:
        if entry.status == "rejected":
            result.rejected[entry.path] = entry.reason or "rejected"
        elif entry.status == "duplicate":
            result.duplicates += 1
        elif (out := pages_path(settings, entry.sha256, engine)).exists():
            result.cached += 1
            result.count(out)
        else:
            todo[entry.stored_path] = entry
            continue
        tick()

    rows: dict[str, list[dict]] = defaultdict(list)

    def finished(stored: str) -> None:
        entry = todo[stored]
        if entry.path not in result.rejected:
            out = pages_path(settings, entry.sha256, engine)
            write_atomic(out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows.pop(stored, [])).encode())
            result.count(out)
        tick()

    for item in read_files(list(todo), settings, engine, options, workers, on_file=finished):
        entry = todo[item.source]
        if isinstance(item, Rejected):
            result.rejected[entry.path] = item.error
        else:
            provenance = entry.provenance.model_dump(exclude_none=True)
            rows[item.source].append(item.cli_record() | {"source": entry.path, "provenance": provenance})
    order = {str(pages_path(settings, e.sha256, engine)): i for i, e in enumerate(batch.entries) if e.sha256}
    result.outputs.sort(key=lambda p: order.get(str(p), len(order)))
    result.combined = settings.results_dir / "batches" / f"{batch.batch_id}.{engine}.jsonl"
    write_atomic(result.combined, b"".join(p.read_bytes() for p in result.outputs))
    return result
