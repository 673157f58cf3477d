"""Batches in the repository: what was submitted, what intake made of each file, and each
stage's outcome per document. A stage is done for a document once; a re-submitted or interrupted
batch asks `done_stages` what is left, so nothing is lost or done twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Engine, select, update

from .schema import Batch, BatchDocument, StageRun

STAGES = ("digitize", "extract", "route", "merge")
BATCH, BDOC, RUN = Batch.__table__, BatchDocument.__table__, StageRun.__table__


@dataclass(frozen=True)
class Submitted:
    """One file of a batch as intake left it (digitize.intake.BatchEntry, without the stage
    packages' types: models does not import them)."""

    path: str
    status: str  # stored | duplicate | rejected
    sha256: str | None = None
    reason: str | None = None
    provenance: dict | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def record_batch(engine: Engine, batch_id: str, created_at: dt.datetime, files: list[Submitted],
                 manifest: str | None = None) -> None:
    """Add the batch and its files, or bring them up to date when the batch is submitted again
    (one row per submitted path, however often)."""
    now = _now()
    with engine.begin() as conn:
        if conn.execute(select(BATCH.c.id).where(BATCH.c.id == batch_id)).first() is None:
            conn.execute(BATCH.insert().values(id=batch_id, created_at=created_at, updated_at=now, manifest=manifest))
        else:
            conn.execute(update(BATCH).where(BATCH.c.id == batch_id).values(updated_at=now, manifest=manifest))
        have = dict(conn.execute(select(BDOC.c.path, BDOC.c.id).where(BDOC.c.batch_id == batch_id)).all())
        rows = [{"path": f.path, "sha256": f.sha256, "status": f.status, "reason": f.reason,
                 "provenance": f.provenance} for f in dict((f.path, f) for f in files).values()]
        new = [dict(r, batch_id=batch_id) for r in rows if r["path"] not in have]
        if new:
            conn.execute(BDOC.insert(), new)
        for r in rows:
            if r["path"] in have:
                conn.execute(update(BDOC).where(BDOC.c.id == have[r["path"]]).values(**r))


def record_stage(engine: Engine, batch_id: str, sha256: str, stage: str, status: str,
                 counts: dict | None = None, error: str | None = None) -> None:
    """A stage's outcome for one document; a retried stage keeps one row and counts its attempts."""
    if stage not in STAGES or status not in ("done", "failed"):
        raise ValueError(f"stage {stage!r} / status {status!r}")
    key = (RUN.c.batch_id == batch_id) & (RUN.c.sha256 == sha256) & (RUN.c.stage == stage)
    values = {"status": status, "counts": counts, "error": error, "finished_at": _now()}
    with engine.begin() as conn:
        if conn.execute(update(RUN).where(key).values(attempts=RUN.c.attempts + 1, **values)).rowcount == 0:
            conn.execute(RUN.insert().values(batch_id=batch_id, sha256=sha256, stage=stage, attempts=1, **values))


def done_stages(engine: Engine, batch_id: str) -> dict[str, set[str]]:
    """Each document's stages done in this batch."""
    out: dict[str, set[str]] = defaultdict(set)
    with engine.connect() as conn:
        for sha, stage in conn.execute(select(RUN.c.sha256, RUN.c.stage)
                                       .where(RUN.c.batch_id == batch_id, RUN.c.status == "done")):
            out[sha].add(stage)
    return out


@dataclass
class BatchStatus:
    batch_id: str
    created_at: dt.datetime
    updated_at: dt.datetime
    files: int = 0
    documents: int = 0
    duplicates: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    done: dict[str, int] = field(default_factory=dict)  # stage -> documents done
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # stage -> summed counts
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (path, stage, error)

    def as_dict(self) -> dict:
        return {"batch": self.batch_id, "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat(),
                "files": self.files, "documents": self.documents, "duplicates": self.duplicates,
                "rejected": [{"path": p, "reason": r} for p, r in self.rejected],
                "done": self.done, "counts": self.counts,
                "failures": [{"path": p, "stage": s, "error": e} for p, s, e in self.failures]}


def batch_status(engine: Engine, batch_id: str | None = None) -> list[BatchStatus]:
    """Every batch (or one), newest first, with its counts per stage and its failures."""
    with engine.connect() as conn:
        q = select(BATCH).order_by(BATCH.c.updated_at.desc())
        if batch_id is not None:
            q = q.where(BATCH.c.id == batch_id)
        batches = {b.id: BatchStatus(b.id, b.created_at, b.updated_at) for b in conn.execute(q)}
        if not batches:
            return []
        paths: dict[tuple[str, str], str] = {}
        docs: dict[str, set[str]] = defaultdict(set)
        for d in conn.execute(select(BDOC).where(BDOC.c.batch_id.in_(batches)).order_by(BDOC.c.id)):
            s = batches[d.batch_id]
            s.files += 1
            if d.status == "rejected":
                s.rejected.append((d.path, d.reason or "rejected"))
            elif d.status == "duplicate":
                s.duplicates += 1
            else:
                docs[d.batch_id].add(d.sha256)
                paths.setdefault((d.batch_id, d.sha256), d.path)
        for bid, shas in docs.items():
            batches[bid].documents = len(shas)
        sums: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for r in conn.execute(select(RUN).where(RUN.c.batch_id.in_(batches)).order_by(RUN.c.id)):
            s = batches[r.batch_id]
            if r.status == "done":
                s.done[r.stage] = s.done.get(r.stage, 0) + 1
                sums[(r.batch_id, r.stage)].update({k: v for k, v in (r.counts or {}).items() if isinstance(v, int)})
            else:
                s.failures.append((paths.get((r.batch_id, r.sha256), r.sha256), r.stage, r.error or "failed"))
        for (bid, stage), c in sums.items():
            batches[bid].counts[stage] = dict(c)
    return list(batches.values())
