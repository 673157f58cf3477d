"""Generated truth for routing: extract records judged field by field against the corpus' truth.

The extractor reads generated documents (extract.corpus) whose normalized truth is known; each
predicted record is paired with a truth record the way `crosstrack eval extract` pairs them
(extract.evaluation), turned into the extract record `crosstrack extract --jsonl` would print,
and each of its values marked correct or not. A predicted record no truth record matches has
every value wrong; a truth value the record lacks is counted as missing (routing cannot see it).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from extract.evaluation import _charge_pairs, _same, match_records
from extract.pipeline import Extracted, Extractor

from .policy import field_kind


@dataclass(frozen=True)
class FieldOutcome:
    path: str           # fields.dob, charges.0.statute
    kind: str
    confidence: float
    correct: bool


@dataclass(frozen=True)
class Judged:
    """One predicted record with its values judged against the truth."""

    record: dict                        # the extract record (as `crosstrack extract --jsonl` prints it)
    outcomes: tuple[FieldOutcome, ...]
    matched: bool                       # a truth record was paired with it
    event_type_ok: bool
    missing: int                        # truth values (fields and charge parts) the record lacks
    layout: str


def _json(v):
    return json.loads(json.dumps(v, default=str))


def _value(v, conf: float) -> dict:
    return {"value": _json(v.value), "text": v.text, "confidence": round(conf, 4), "bbox": None, "span": None}


def to_record(p: Extracted, source: str, sha256: str, ordinal: int, text: str) -> dict:
    """The extract record of one predicted record read from plain text (no page image: no boxes)."""
    a = p.assembled
    lines = text.split("\n")[a.first_line:a.last_line + 1]
    return {"source": source, "sha256": sha256, "page": 1, "frame": None, "record": ordinal, "bbox": None,
            "regions": [], "text": "\n".join(lines), "event_type": a.event_type,
            "confidence": round(p.record_confidence, 4),
            "fields": {k: _value(v, p.confidence[f"fields.{k}"]) for k, v in a.fields.items()},
            "charges": [{k: (_value(c[k], p.confidence[f"charges.{i}.{k}"]) if k in c else None)
                         for k in ("description", "statute", "offense_code", "disposition", "sentence")}
                        for i, c in enumerate(a.charges)]}


def judge_pairs(pairs: Sequence[tuple], source: str, sha256: str, text: str, layout: str) -> list[Judged]:
    """Judge every predicted record of one document, given its (truth, predicted) pairs."""
    preds = sorted((p for _, p in pairs if p is not None), key=lambda p: (p.assembled.first_line, p.assembled.last_line))
    ordinal = {id(p): j for j, p in enumerate(preds)}
    out = []
    for t, p in pairs:
        if p is None:
            continue
        a = p.assembled
        tf = t.fields if t else {}
        outcomes = [FieldOutcome(f"fields.{k}", field_kind(f"fields.{k}"), round(p.confidence[f"fields.{k}"], 4),
                                 k in tf and _same(tf[k], v.value))
                    for k, v in sorted(a.fields.items())]
        missing = sum(1 for k in tf if k not in a.fields)
        for tc, pc in _charge_pairs(t.charges if t else [], a.charges):
            if pc is None:
                missing += sum(getattr(tc, k) is not None for k in ("description", "statute", "offense_code", "disposition", "sentence"))
                continue
            i = next(j for j, c in enumerate(a.charges) if c is pc)
            for k, v in pc.items():
                truth = getattr(tc, k) if tc is not None else None
                path = f"charges.{i}.{k}"
                outcomes.append(FieldOutcome(path, field_kind(path), round(p.confidence[path], 4),
                                             truth is not None and _same(truth, v.value)))
            if tc is not None:
                missing += sum(getattr(tc, k) is not None and k not in pc
                               for k in ("description", "statute", "offense_code", "disposition", "sentence"))
        out.append(Judged(to_record(p, source, sha256, ordinal[id(p)], text), tuple(outcomes), t is not None,
                          t is not None and t.event_type == a.event_type, missing, layout))
    return out


def judge_docs(extractor: Extractor, docs: Iterable, tag: str, advance: Callable[[], None] | None = None) -> list[Judged]:
    """Extract and judge every record of generated corpus documents; `tag` names the set in sources.
    `advance` is called once per document."""
    docs = list(docs)
    out: list[Judged] = []
    for n, (doc, pred) in enumerate(zip(docs, extractor.extract_texts((d.text, None) for d in docs))):
        sha = hashlib.sha256(f"{tag}:{n}:{doc.text}".encode()).hexdigest()
        out += judge_pairs(match_records(doc.records, pred), f"generated:{tag}:{n}", sha, doc.text, doc.layout)
        if advance:
            advance()
    return out
