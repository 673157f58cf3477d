"""Calibrated routing thresholds: the per-kind thresholds that auto-accept the most records while the
field error among auto-accepted records stays under the policy's target.

The data are records whose values are marked right or wrong: audited outcomes
(`<home>/review/outcomes.jsonl`) once there are enough of them (`enough_audited`), generated truth
before (the extractor run over the corpus' tune families, `review.truth`).

The method. A record is auto-accepted only if every value passes its kind's threshold (and it
passes validation), so thresholds interact and are chosen jointly, as a Lagrangian relaxation:

1. Price the error. Each record is worth w - lam * (wrong - target * values): a record whose
   values are right adds slack, a wrong value costs lam records. For one price, coordinate ascent
   sets each kind's threshold in turn to the grid value that keeps the most worth given the other
   thresholds (an exact one-dimensional search over the grid), until none moves. The prices run
   from cheap to prohibitive, each starting from the last one's thresholds, so the thresholds
   tighten step by step; the feasible result (bound <= target) with the most records wins.
   (A plain greedy that raises the threshold removing the most error per record lost fails
   here: when the average record is over the target, closing a kind every record carries, like
   `name`, looks best and empties the auto set.)
   The path has many near-equal optima: which one a single search finds depends on a few records
   (on 2,000 tune documents, the `name` threshold came out anywhere from 0.04 to 0.95 on bootstrap
   resamples, and held-out auto-acceptance from 45 % to 65 %). So the search runs on bootstrap
   resamples (`bags`) and each kind takes the median threshold; the median is then tightened, a
   grid step at a time where it removes the most error per record held back, until the bound
   holds on all the records.
2. Refine. Each threshold in turn is lowered as far as the bound allows while it gains records,
   until nothing moves.
3. Anchor. Each threshold rises to the weakest value of its kind it actually auto-accepts (no
   change on the data, but no trust in confidences the data never showed to be safe); a kind no
   auto-accepted record carries is closed; a kind absent from the data takes the policy's
   default threshold (the strictest calibrated one).

Thresholds live on a 0.01 grid (finer values would fit the sample's individual records, not the
reader's error rate). The bound is a one-sided 95 % Clopper-Pearson upper limit on the error
rate, not the point estimate, so thin data give higher thresholds. Audited records stand for
1/audit_rate records each (they are a sample of what was auto-accepted; reviewed ones are all
of theirs): estimates are weighted and the bound uses Kish's effective sample size. Values of
one record are counted as independent trials, which understates the bound a little when one
misread record carries several wrong values.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
from scipy.stats import beta

from .policy import KINDS, RoutingPolicy

GRID = np.round(np.arange(0.0, 1.0001, 0.01), 2)
CLOSED = 1.01          # a kind that is never auto-accepted
CONFIDENCE = 0.95
# Prices of one excess wrong value, in records: from cheap (accept nearly all) to prohibitive.
LAMBDAS = np.geomspace(0.05, 5000.0, 48)


@dataclass(frozen=True)
class RecordOutcome:
    """One record's judged values, as calibration sees them."""

    key: str
    values: tuple[tuple[str, float, bool], ...]   # (kind, confidence, correct)
    weight: float = 1.0                           # how many records of the stream it stands for
    valid: bool = True                            # passes validation (else never auto-accepted)


@dataclass
class Calibration:
    thresholds: dict[str, float]
    records: float               # records calibrated on (weighted)
    auto_records: float          # of which auto-accepted under the thresholds (weighted)
    values: float                # values of the auto-accepted records (weighted)
    wrong: float                 # of which wrong (weighted)
    error_upper: float           # one-sided 95 % upper bound on the error rate
    effective_n: float
    target: float
    source: str = ""
    per_kind: dict[str, dict] = field(default_factory=dict)

    @property
    def auto_rate(self) -> float:
        return self.auto_records / self.records if self.records else 0.0

    @property
    def error(self) -> float:
        return self.wrong / self.values if self.values else 0.0

    @property
    def met(self) -> bool:
        return self.error_upper <= self.target

    def summary(self) -> dict:
        return {"thresholds": self.thresholds, "source": self.source, "records": self.records,
                "auto_rate": round(self.auto_rate, 4), "expected_error": round(self.error, 5),
                "error_upper": round(self.error_upper, 5), "target": self.target, "met": self.met,
                "values": round(self.values, 1), "effective_n": round(self.effective_n, 1)}


def upper_bound(wrong: float, n: float, confidence: float = CONFIDENCE) -> float:
    """One-sided Clopper-Pearson upper limit of an error rate seen as `wrong` of `n`."""
    if n <= 0:
        return 1.0
    x = min(max(wrong, 0.0), n)
    return 1.0 if x >= n else float(beta.ppf(confidence, x + 1, n - x))


def enough_audited(target: float) -> int:
    """Audited values needed before they replace generated truth: the fewest that can show the
    target is met (bound <= target) when the error seen is half the target."""
    n = 100
    while upper_bound(n * target / 2, n) > target:
        n = int(n * 1.1) + 1
    return n


class _Data:
    """Records as arrays: the weakest confidence per kind (inf where a record has none)."""

    def __init__(self, records: Sequence[RecordOutcome], kinds: Sequence[str]):
        self.kinds = list(kinds)
        col = {k: i for i, k in enumerate(self.kinds)}
        self.low = np.full((len(records), len(self.kinds)), np.inf)
        self.n = np.zeros(len(records))
        self.bad = np.zeros(len(records))
        self.w = np.array([r.weight for r in records], dtype=float)
        self.valid = np.array([r.valid for r in records], dtype=bool)
        for i, r in enumerate(records):
            for kind, conf, ok in r.values:
                j = col[kind]
                self.low[i, j] = min(self.low[i, j], conf)
                self.n[i] += 1
                self.bad[i] += not ok
        self.wn, self.wbad = self.w * self.n, self.w * self.bad

    def auto(self, t: np.ndarray) -> np.ndarray:
        return self.valid & (self.low >= t).all(axis=1)

    def neff(self, mask: np.ndarray) -> float:
        """Kish's effective sample size of the weighted values (each carries its record's weight)."""
        total = self.wn[mask].sum()
        return float(total ** 2 / (self.w[mask] ** 2 * self.n[mask]).sum()) if total > 0 else 0.0

    def bound(self, mask: np.ndarray) -> float:
        total = self.wn[mask].sum()
        if total <= 0:
            return 0.0
        neff = self.neff(mask)
        return upper_bound(self.wbad[mask].sum() / total * neff, neff)


def _ascend(d: _Data, t: np.ndarray, benefit: np.ndarray, passes: int = 30) -> np.ndarray:
    """Coordinate ascent of the total benefit of the auto-accepted records: each threshold in turn
    set to the grid value that is best given the others, until none moves."""
    cand = np.append(GRID, CLOSED)
    t = t.copy()
    for _ in range(passes):
        moved = False
        for j in range(len(t)):
            others = d.valid & np.delete(d.low >= t, j, axis=1).all(axis=1)
            lows, b = d.low[others, j], benefit[others]
            # Total benefit if t_j = cand[i]: the records whose weakest value of kind j is >= cand[i].
            idx = np.searchsorted(cand, np.minimum(lows, 2.0), side="right")   # candidates <= low: [0, idx)
            kept = np.bincount(idx, weights=b, minlength=len(cand) + 1)[::-1].cumsum()[::-1][1:]
            best = int(np.argmax(kept))
            cur = int(np.searchsorted(cand, t[j]))
            if kept[best] > kept[cur] + 1e-9:
                t[j], moved = cand[best], True
        if not moved:
            break
    return t


def _refine(d: _Data, t: np.ndarray, target: float) -> np.ndarray:
    """Lower each threshold as far as the bound allows while it gains records, until none moves."""
    auto = d.auto(t)
    changed = True
    while changed:
        changed = False
        for j in range(len(t)):
            for value in GRID[GRID < t[j]]:        # lowest first: the furthest it can go
                trial = t.copy()
                trial[j] = value
                mask = d.auto(trial)
                if d.w[mask].sum() > d.w[auto].sum() and d.bound(mask) <= target:
                    t, auto, changed = trial, mask, True
                    break
    return t


def choose_thresholds(records: Sequence[RecordOutcome], target: float, kinds: Sequence[str] = KINDS,
                      source: str = "", bags: int = 0, seed: int = 0) -> Calibration:
    """Per-kind thresholds that keep the error bound of auto-accepted values under `target` with as
    many records auto-accepted as the data allow (see the module's docstring). With `bags`, the
    search runs on that many bootstrap resamples and each kind takes the median of their thresholds
    (then tightened until the bound holds on all the records): the search has many near-equal
    optima, and which one a single run finds is chance."""
    kinds = list(dict.fromkeys([*kinds, *sorted({k for r in records for k, _, _ in r.values})]))
    d = _Data(records, kinds)
    if bags:
        rng = np.random.default_rng(seed)
        runs = [_search(_Data([records[i] for i in rng.integers(0, len(records), len(records))], kinds), target)
                for _ in range(bags)]
        best = _tighten(d, np.median(runs, axis=0), target)
    else:
        best = _search(d, target)
    return _summarize(d, _anchor(d, _refine(d, best, target)), target, source)


def _search(d: _Data, target: float) -> np.ndarray:
    """The Lagrangian path (module docstring, step 1): the feasible thresholds with the most records."""
    excess = d.wbad - target * d.wn
    best = np.full(len(d.kinds), CLOSED)
    best_auto = 0.0
    t = np.zeros(len(d.kinds))
    for lam in LAMBDAS:   # each price starts from the last one's thresholds: a path that tightens step by step
        t = _ascend(d, t, d.w - lam * excess)
        mask = d.auto(t)
        if d.bound(mask) <= target and d.w[mask].sum() > best_auto:
            best, best_auto = t, float(d.w[mask].sum())
    return best


def _tighten(d: _Data, t: np.ndarray, target: float) -> np.ndarray:
    """Raise thresholds one grid step at a time, each time the step that removes the most wrong
    values per record it holds back, until the bound holds."""
    t = np.array([GRID[np.searchsorted(GRID, x - 1e-9)] if x <= 1.0 else CLOSED for x in t])
    while True:
        auto = d.auto(t)
        if d.bound(auto) <= target or not auto.any():
            return t
        best, best_ratio = None, -1.0
        for j in range(len(t)):
            if t[j] > 1.0:
                continue
            trial = t.copy()
            trial[j] = GRID[GRID > t[j]][0] if (GRID > t[j]).any() else CLOSED
            lost = auto & ~d.auto(trial)
            if not lost.any():
                continue
            ratio = d.wbad[lost].sum() / d.w[lost].sum()
            if ratio > best_ratio:
                best, best_ratio = trial, ratio
        if best is None:
            return np.full(len(t), CLOSED)
        t = best


def _anchor(d: _Data, t: np.ndarray) -> np.ndarray:
    """No threshold below what the data vouch for: each kind's threshold rises to the weakest value
    of that kind it auto-accepts (grid below), which changes nothing on the data but keeps unseen
    low confidences out; a kind no auto-accepted record carries is closed."""
    auto = d.auto(t)
    t = t.copy()
    for j in range(len(t)):
        has = np.isfinite(d.low[:, j])
        if not has.any():
            continue
        seen = d.low[auto & has, j]
        t[j] = max(t[j], np.floor(seen.min() * 100) / 100) if seen.size else CLOSED
    return t


def _summarize(d: _Data, t: np.ndarray, target: float, source: str) -> Calibration:
    auto = d.auto(t)
    per_kind, thresholds = {}, {}
    for j, k in enumerate(d.kinds):
        has = np.isfinite(d.low[:, j])
        if not has.any():
            continue  # no data: the policy's default threshold applies
        thresholds[k] = float(t[j])
        per_kind[k] = {"threshold": float(t[j]), "records_with": float(d.w[has].sum()),
                       "held_back": float(d.w[has & d.valid & (d.low[:, j] < t[j])].sum())}
    return Calibration(thresholds=thresholds, records=float(d.w.sum()),
                       auto_records=float(d.w[auto].sum()), values=float(d.wn[auto].sum()),
                       wrong=float(d.wbad[auto].sum()), error_upper=d.bound(auto),
                       effective_n=d.neff(auto),
                       target=target, source=source, per_kind=per_kind)


# -- where the outcomes come from -------------------------------------------------------------
def read_outcomes(path: Path, audit_rate: float) -> tuple[list[RecordOutcome], int]:
    """Reviewers' outcomes (contract.md: one line per value of each completed task) as records,
    the latest line of each value winning; and how many audited values there are."""
    latest: dict[tuple[str, str], dict] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                o = json.loads(line)
                k = (o["key"], o["field"])
                if k not in latest or str(o.get("at", "")) >= str(latest[k].get("at", "")):
                    latest[k] = o
    by_key: dict[str, list[dict]] = defaultdict(list)
    for (key, _), o in sorted(latest.items()):
        by_key[key].append(o)
    records, audited = [], 0
    for key, rows in by_key.items():
        how = "audited" if any(r.get("how") == "audited" for r in rows) else "reviewed"
        audited += len(rows) if how == "audited" else 0
        weight = 1.0 / audit_rate if how == "audited" and audit_rate > 0 else 1.0
        records.append(RecordOutcome(key, tuple((r["kind"], float(r["confidence"]), bool(r["correct"])) for r in rows), weight))
    return records, audited


def generated_outcomes(count: int, seed: int, noise: float = 0.3, advance=None, split: str = "dev") -> list[RecordOutcome]:
    """The extractor over `count` generated documents of the tune families (split "dev": never the
    held-out families `crosstrack eval routing` measures on), every value judged."""
    from extract.corpus import generate
    from extract.pipeline import Extractor

    from .truth import judge_docs
    from .validation import Validator

    docs = generate(count, split, seed=seed, noise=noise)
    judged = judge_docs(Extractor.load(), docs, f"{split}:{seed}", advance)
    validator = Validator.build()
    return [RecordOutcome(f"{j.record['sha256']}:{j.record['record']}",
                          tuple((o.kind, o.confidence, o.correct) for o in j.outcomes), 1.0, not validator(j.record))
            for j in judged]


def audited_or_generated(outcomes: Path, policy: RoutingPolicy, target: float, count: int, seed: int,
                         advance=None) -> tuple[list[RecordOutcome], str, str]:
    """The data to calibrate on, what they are, and why: reviewers' outcomes once they hold
    `enough_audited(target)` audited values, else generated truth of `count` tune documents."""
    need = enough_audited(target)
    if outcomes.exists():
        records, audited = read_outcomes(outcomes, policy.audit_rate)
        if audited >= need:
            return records, f"reviewers' outcomes: {audited} audited values, {len(records)} records", f"{need} needed"
        why = f"{audited} audited values in {outcomes}, {need} needed"
    else:
        why = f"no {outcomes}"
    return (generated_outcomes(count, seed, advance=advance),
            f"generated truth: {count} tune documents, seed {seed}", why)


def to_policy(cal: Calibration, base: RoutingPolicy) -> RoutingPolicy:
    """`base` with the calibrated thresholds; kinds the data lacked take the strictest calibrated one."""
    open_ = [t for t in cal.thresholds.values() if t <= 1.0]
    return base.model_copy(update={
        "thresholds": {k: round(v, 2) for k, v in sorted(cal.thresholds.items())},
        "default_threshold": max(open_) if open_ else CLOSED,
        "error_target": cal.target,
        "calibration": {"source": cal.source, "records": int(cal.records), "auto_rate": round(cal.auto_rate, 4),
                        "expected_error": round(cal.error, 5), "error_upper": round(cal.error_upper, 5)}})
