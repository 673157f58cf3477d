"""Scoring extracted records against generated truth: field precision/recall/F1 and calibration.

Records are matched to truth records by the lines they cover; a wrong value counts as a false
positive and a false negative, a missing one as a false negative, an extra one as a false
positive. Charges are matched in order of best agreement on statute, code and description.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from extract.evidence import Evidence
from extract.pipeline import Extracted

CHARGE_KEYS = ("description", "statute", "offense_code", "disposition", "sentence")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Score:
    per_field: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    per_layout: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    # (stated confidence, was it right) for every predicted value, for the reliability table
    calibration: list[tuple[float, bool]] = field(default_factory=list)
    # (field, confidence group, evidence, was it right) to fit the confidence model
    samples: list[tuple[str, str, Evidence, bool]] = field(default_factory=list)
    records_true: int = 0
    records_pred: int = 0
    records_matched: int = 0

    def total(self) -> Counts:
        c = Counts()
        for v in self.per_field.values():
            c.add(v)
        return c

    def high_confidence(self, threshold: float = 0.95) -> float:
        hits = [ok for conf, ok in self.calibration if conf >= threshold]
        return sum(hits) / len(hits) if hits else float("nan")


def _same(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: v for k, v in a.items() if v not in (None, False)} == {k: v for k, v in b.items() if v not in (None, False)}
    return a == b


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]) + 1)


def match_records(truth: list, pred: list[Extracted]) -> list[tuple[object | None, Extracted | None]]:
    pairs, used = [], set()
    for t in truth:
        span = (t.line_start, t.line_end - 1)
        best, best_ov = None, 0
        for j, p in enumerate(pred):
            if j in used:
                continue
            ov = _overlap(span, (p.assembled.first_line, p.assembled.last_line))
            if ov > best_ov:
                best, best_ov = j, ov
        if best is None and len(truth) == 1 and len(pred) >= 1 and 0 not in used:
            best = 0
        if best is not None:
            used.add(best)
            pairs.append((t, pred[best]))
        else:
            pairs.append((t, None))
    pairs += [(None, p) for j, p in enumerate(pred) if j not in used]
    return pairs


def _charge_pairs(truth: list, pred: list[dict]) -> list[tuple[object | None, dict | None]]:
    def agree(t, p) -> int:
        return sum(1 for k in ("statute", "offense_code", "description", "disposition")
                   if k in p and _same(getattr(t, k), p[k].value))
    pairs, used = [], set()
    for t in truth:
        cands = [(agree(t, p), -j, j) for j, p in enumerate(pred) if j not in used]
        if cands and max(cands)[0] > 0:
            j = max(cands)[2]
        else:
            j = next((j for j in range(len(pred)) if j not in used), None)
        if j is not None:
            used.add(j)
        pairs.append((t, pred[j] if j is not None else None))
    pairs += [(None, p) for j, p in enumerate(pred) if j not in used]
    return pairs


def score_docs(extractor, docs) -> Score:
    """Extract every corpus document's text and score it against its truth."""
    score = Score()
    for doc, recs in zip(docs, extractor.extract_texts((d.text, None) for d in docs)):
        score_doc(score, doc, recs)
    return score


def score_doc(score: Score, doc, pred: list[Extracted]) -> None:
    """Add one corpus document's comparison to `score` (records paired by the lines they cover)."""
    score_records(score, doc.layout, doc.records, pred, match_records(doc.records, pred))


def score_records(score: Score, layout: str, truth: list, pred: list[Extracted], pairs: list[tuple],
                  errors: list | None = None) -> None:
    """Add paired (truth, predicted) records to `score`; append each miss to `errors` when given,
    as {"field", "truth", "pred", "read"}."""
    score.records_true += len(truth)
    score.records_pred += len(pred)
    for t, p in pairs:
        tf = dict(t.fields) if t else {}
        if t:
            tf["event_type"] = t.event_type or None
        pf = dict(p.assembled.fields) if p else {}
        if t and p:
            score.records_matched += 1
        for k in sorted(set(tf) | set(pf) | ({"event_type"} if p else set())):
            pv = p.assembled.event_type if (p and k == "event_type") else (pf[k].value if k in pf else None)
            _note(score, layout, k, tf.get(k), pv, pf.get(k), p and p.confidence.get(f"fields.{k}"), errors)
        tcs = t.charges if t else []
        pcs = p.assembled.charges if p else []
        for tc, pc in _charge_pairs(tcs, pcs):
            j = pcs.index(pc) if pc is not None else -1
            for k in CHARGE_KEYS:
                tv = getattr(tc, k) if tc is not None else None
                pval = pc.get(k) if pc is not None else None
                _note(score, layout, f"charge.{k}", tv, pval.value if pval else None, pval,
                      p.confidence.get(f"charges.{j}.{k}") if pval else None, errors)


def _note(score: Score, layout: str, key: str, truth, pred, value, confidence, errors: list | None) -> None:
    """Count one value; a predicted one also feeds the calibration and the confidence model."""
    _count(score, layout, key, truth, pred)
    ok = truth is not None and pred is not None and _same(truth, pred)
    if value is not None:
        score.calibration.append((confidence, ok))
        score.samples.append((key.split(".")[-1], value.group, value.evidence, ok))
    if not ok and errors is not None and (truth is not None or pred is not None):
        errors.append({"field": key, "truth": truth, "pred": pred, "read": value.text if value is not None else None})


def _count(score: Score, layout: str, key: str, truth, pred) -> None:
    c = Counts()
    if truth is not None and pred is not None and _same(truth, pred):
        c.tp = 1
    else:
        c.fp = int(pred is not None)
        c.fn = int(truth is not None)
    score.per_field[key].add(c)
    score.per_layout[layout].add(c)


def reliability(pairs: list[tuple[float, bool]], bins: int = 10) -> tuple[list[dict], float]:
    """Reliability table (per confidence bin: count, mean confidence, accuracy) and the ECE."""
    rows, ece, n = [], 0.0, len(pairs)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = [(c, ok) for c, ok in pairs if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not sel:
            continue
        conf = sum(c for c, _ in sel) / len(sel)
        acc = sum(ok for _, ok in sel) / len(sel)
        ece += len(sel) / max(1, n) * abs(conf - acc)
        rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(sel), "confidence": round(conf, 4), "accuracy": round(acc, 4)})
    return rows, round(ece, 4)
