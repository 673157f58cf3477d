"""`crosstrack eval routing`: the routing policy on held-out generated records (layout families never
used for training or for calibrating thresholds).

Reports the auto / review / audit rates; the true field error among auto-accepted records (every
value carrying a confidence: fields and charge parts; the event type, which carries none, and the
values the records lack are reported beside it); the audit sample's estimate of that error with
its 95 % interval against the truth, for the policy's seed and over many seeds (how often the
interval holds the truth); a per-kind breakdown and the reasons' counts. Optionally the same on
generated images read by the OCR engine (`--images N`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np
from scipy.stats import beta, rankdata

from extract.corpus import generate
from extract.pipeline import Extractor
from review.policy import RoutingPolicy
from review.routing import audit_draw, record_key, route_records
from review.truth import Judged, judge_docs, judge_pairs

AUDIT_SEEDS = 200   # audit draws simulated to measure how the audit's estimate and interval behave


def interval(wrong: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Two-sided Clopper-Pearson interval of an error rate seen as `wrong` of `n`."""
    if n == 0:
        return 0.0, 1.0
    a = (1 - level) / 2
    lo = 0.0 if wrong == 0 else float(beta.ppf(a, wrong, n - wrong + 1))
    hi = 1.0 if wrong == n else float(beta.ppf(1 - a, wrong + 1, n - wrong))
    return lo, hi


def _errors(judged: Sequence[Judged]) -> tuple[int, int]:
    return sum(sum(not o.correct for o in j.outcomes) for j in judged), sum(len(j.outcomes) for j in judged)


def _rate(wrong: int, n: int) -> float | None:
    return round(wrong / n, 5) if n else None


def _audit_simulation(eligible: Sequence[Judged], rate: float, truth: float | None) -> dict:
    """Draw the audit sample with many seeds: how far its estimate falls from the truth, and how
    often its 95 % interval holds it (over the draws that caught any record)."""
    if not eligible or truth is None or rate <= 0:
        return {"seeds": 0}
    misses, covered, drawn = [], 0, []
    for s in range(AUDIT_SEEDS):
        sample = [j for j in eligible if audit_draw(record_key(j.record), f"simulated-{s}") < rate]
        wrong, n = _errors(sample)
        drawn.append(len(sample))
        if n:
            lo, hi = interval(wrong, n)
            misses.append(abs(wrong / n - truth))
            covered += lo <= truth <= hi
    return {"seeds": AUDIT_SEEDS, "records_per_draw": round(sum(drawn) / AUDIT_SEEDS, 1),
            "mean_abs_error": round(sum(misses) / len(misses), 5) if misses else None,
            "empty_draws": AUDIT_SEEDS - len(misses), "coverage": round(covered / len(misses), 3) if misses else None}


def ceiling(judged: Sequence[Judged], target: float) -> dict:
    """What any routing could do with these records: the share whose every value is right, and the
    most records an oracle that knows each record's errors could auto-accept under `target`
    (cleanest first). How well the records' weakest confidence sorts them: the AUC of it for
    "every value right" (0.5: no better than chance)."""
    n = len(judged)
    if not n:
        return {"perfect_share": None, "oracle_auto_rate": None, "weakest_confidence_auc": None}
    bad = np.array([sum(not o.correct for o in j.outcomes) for j in judged], dtype=float)
    vals = np.array([len(j.outcomes) for j in judged], dtype=float)
    order = np.lexsort((-vals, bad / np.maximum(vals, 1)))
    ok = np.cumsum(bad[order]) <= target * np.cumsum(vals[order])
    oracle = int(np.nonzero(ok)[0].max()) + 1 if ok.any() else 0
    perfect = bad == 0
    weakest = np.array([min((o.confidence for o in j.outcomes), default=0.0) for j in judged])
    auc = None
    if 0 < perfect.sum() < n:   # Mann-Whitney U over average ranks
        ranks = rankdata(weakest)
        auc = float((ranks[perfect].sum() - perfect.sum() * (perfect.sum() + 1) / 2) / (perfect.sum() * (~perfect).sum()))
    return {"perfect_share": round(float(perfect.mean()), 4), "oracle_auto_rate": round(oracle / n, 4),
            "weakest_confidence_auc": round(auc, 4) if auc is not None else None}


def _reason_key(reason: str) -> str:
    return re.sub(r"charges\.\d+\.", "charges.*.", reason)


def evaluate(judged: Sequence[Judged], policy: RoutingPolicy) -> dict:
    """Route judged records with `policy` and measure the routing against their truth."""
    routed = list(route_records([j.record for j in judged], policy))
    by_route = {r: [j for j, x in zip(judged, routed) if x.route == r] for r in ("auto", "review", "audit")}
    n = len(judged)
    auto, audit = by_route["auto"], by_route["audit"]
    eligible = auto + audit
    wrong, values = _errors(auto)
    e_wrong, e_values = _errors(eligible)
    a_wrong, a_values = _errors(audit)
    lo, hi = interval(a_wrong, a_values)
    truth_eligible = e_wrong / e_values if e_values else None
    per_kind: dict[str, dict] = {}
    for j, x in zip(judged, routed):
        for o in j.outcomes:
            k = per_kind.setdefault(o.kind, {"threshold": policy.threshold(o.kind), "values": 0, "wrong": 0,
                                             "below_threshold": 0, "auto_values": 0, "auto_wrong": 0})
            k["values"] += 1
            k["wrong"] += not o.correct
            k["below_threshold"] += o.confidence < k["threshold"]
            if x.route == "auto":
                k["auto_values"] += 1
                k["auto_wrong"] += not o.correct
    for k in per_kind.values():
        k["error"] = _rate(k["wrong"], k["values"])
        k["auto_error"] = _rate(k["auto_wrong"], k["auto_values"])
    reasons = Counter(k for x in routed if x.route == "review" for k in {_reason_key(r) for r in x.reasons})
    return {
        "records": n,
        "auto_rate": round(len(auto) / n, 4) if n else 0.0,
        "review_rate": round(len(by_route["review"]) / n, 4) if n else 0.0,
        "audit_rate": round(len(audit) / n, 4) if n else 0.0,
        "auto_accept_rate": round(len(eligible) / n, 4) if n else 0.0,   # auto + audit: what passes the thresholds
        "auto_values": values, "auto_wrong": wrong, "auto_error": _rate(wrong, values),
        "eligible_error": _rate(e_wrong, e_values),
        "auto_event_type_error": _rate(sum(not j.event_type_ok for j in auto), len(auto)),
        "auto_missing_per_record": round(sum(j.missing for j in auto) / len(auto), 4) if auto else None,
        "auto_unmatched": sum(not j.matched for j in auto),
        "audit": {"records": len(audit), "values": a_values, "wrong": a_wrong, "estimate": _rate(a_wrong, a_values),
                  "interval": [round(lo, 5), round(hi, 5)], "truth": _rate(e_wrong, e_values),
                  "holds_truth": truth_eligible is not None and lo <= truth_eligible <= hi,
                  "simulated": _audit_simulation(eligible, policy.audit_rate, truth_eligible)},
        "per_kind": dict(sorted(per_kind.items())),
        "reasons": dict(reasons.most_common()),
        "ceiling": ceiling(judged, policy.error_target),
    }


def judged_images(out: Path, count: int, seed: int, engine: str, settings, progress=None) -> list[Judged]:
    """Held-out generated frames and scans, read by the OCR engine (cached), extracted and judged."""
    from digitize.samplegen import generate_dataset

    from .extract_image_eval import _ocr, pair_records, truth_records

    data = out / "images"
    stamp, want = data / "params.json", {"count": count, "seed": seed, "split": "heldout"}
    if not (stamp.exists() and json.loads(stamp.read_text()) == want):
        generate_dataset(data, count=count, seed=seed, split="heldout", kinds=("frame", "scan"))
        stamp.write_text(json.dumps(want))
    items = [json.loads(ln) for ln in (data / "truth.jsonl").read_text(encoding="utf-8").splitlines() if ln.strip()]
    files = [data / it["file"] for it in items]
    task = progress.add_task("eval routing (OCR)", total=len(files)) if progress else None
    pages = _ocr(files, out / "ocr_pages.jsonl", engine, settings, None,
                 (lambda: progress.advance(task)) if progress else (lambda: None))
    extractor = Extractor.load()
    judged: list[Judged] = []
    for it, f in zip(items, files):
        ps, _ = pages[str(f)]
        if not ps or not it["pages"]:
            continue
        page, truth_page = ps[0], it["pages"][0]
        pred = next(extractor.extract_texts([(page.text, page)]))
        truth = truth_records(it["layout"], truth_page["fields"], truth_page["text"])
        judged += judge_pairs(pair_records(it["layout"], truth, pred), str(f.name), page.sha256, page.text, it["layout"])
    return judged


def run_routing_eval(out: Path, count: int, seed: int, policy: RoutingPolicy, policy_file: str, noise: float = 0.3,
                     images: int = 0, engine: str = "ppocr", settings=None, progress=None) -> dict:
    """Generate `count` held-out documents, extract, judge, route, measure; writes `out/routing_eval.json`."""
    docs = generate(count, "heldout", seed=seed, noise=noise)
    task = progress.add_task("eval routing", total=len(docs)) if progress else None
    judged = judge_docs(Extractor.load(), docs, f"heldout:{seed}", (lambda: progress.advance(task)) if progress else None)
    report = {"split": "heldout", "documents": count, "seed": seed, "noise": noise, "policy": policy_file,
              "thresholds": policy.thresholds, "default_threshold": policy.default_threshold,
              "policy_audit_rate": policy.audit_rate, "target": policy.error_target, **evaluate(judged, policy)}
    if images:
        report["images"] = {"count": images, "engine": engine,
                            **evaluate(judged_images(out, images, seed, engine, settings, progress), policy)}
    out.mkdir(parents=True, exist_ok=True)
    (out / "routing_eval.json").write_text(json.dumps(report, indent=1) + "\n")
    return report
