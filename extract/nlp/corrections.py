"""Reviewers' corrections as NER training examples (`crosstrack train ner --with-corrections`).

`crosstrack review pull` writes one line per completed task to `<home>/review/corrections.jsonl`:
{"key", "text", "entities": [[start, end, LABEL], ...], "at"}: a record's own text and the spans
its reviewer accepted. The latest line of a key wins (a re-opened task corrects the correction).
A fixed, keyed share of them is kept out of training to show what retraining changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from extract.corpus.types import CorpusDoc, Span

EVAL_SHARE = 0.2  # of corrections kept out of training, chosen by key: stable as more arrive


@dataclass(frozen=True)
class Correction:
    key: str
    text: str
    entities: tuple[tuple[int, int, str], ...]
    at: str

    @property
    def held_out(self) -> bool:
        h = int.from_bytes(hashlib.sha256(b"crosstrack-corrections:" + self.key.encode()).digest()[:8], "big")
        return h / 2**64 < EVAL_SHARE


@dataclass
class CorrectionSet:
    train: list[Correction]
    held_out: list[Correction]
    skipped: int  # lines that are not a usable example (bad JSON, spans outside the text, unknown labels)


def read_corrections(path: Path, labels: set[str] | None = None) -> CorrectionSet:
    """The corrections at `path`, the latest per key, split into training and held-out examples.
    `labels`: the NER's label set; a span with another label makes its line unusable."""
    latest: dict[str, Correction] = {}
    skipped = 0
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                c = _parse(json.loads(line), labels)
            except (ValueError, KeyError, TypeError):
                skipped += 1
                continue
            if c.key not in latest or c.at >= latest[c.key].at:
                latest[c.key] = c
    kept = sorted(latest.values(), key=lambda c: c.key)
    return CorrectionSet([c for c in kept if not c.held_out], [c for c in kept if c.held_out], skipped)


def _parse(d: dict, labels: set[str] | None) -> Correction:
    text = d["text"]
    if not isinstance(text, str) or not text.strip():
        raise ValueError("no text")
    ents = []
    for start, end, label in d["entities"]:
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ValueError("span outside the text")
        if labels is not None and label not in labels:
            raise ValueError("unknown label")
        ents.append((start, end, str(label)))
    return Correction(str(d["key"]), text, tuple(sorted(ents)), str(d.get("at", "")))


def as_corpus_docs(corrections: list[Correction], repeat: int = 1) -> list[CorpusDoc]:
    """Corrections as corpus documents (text and spans; no record truth), each `repeat` times: a
    few hundred real examples beside thousands of generated ones would otherwise barely count."""
    docs = [CorpusDoc(layout="correction", family="corrections", split="train", lines=c.text.split("\n"),
                      spans=[Span(s, e, lab) for s, e, lab in c.entities], records=[]) for c in corrections]
    return [d for d in docs for _ in range(repeat)]


def span_scores(nlp, corrections: list[Correction]) -> dict:
    """Exact-span precision, recall and F1 of `nlp`'s entities against the reviewers' spans."""
    tp = fp = fn = 0
    for c, doc in zip(corrections, nlp.pipe(c.text for c in corrections)):
        got = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        want = set(c.entities)
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"examples": len(corrections), "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}
