"""`crosstrack eval extract`: field precision/recall/F1 on held-out layout families, rules alone,
NER alone and both; the calibration of confidences (reliability table, ECE, chart)."""

from __future__ import annotations

import json
from pathlib import Path

from extract.corpus import generate
from extract.evaluation import reliability, score_docs
from extract.pipeline import Extractor

from .charts import grouped_bars, reliability_chart


def run_extract_eval(out: Path, count: int, seed: int, split: str, modes: list[str], noise: float, progress=None,
                     corrections: Path | None = None) -> dict:
    docs = generate(count, split, seed=seed, noise=noise)
    report: dict = {"split": split, "documents": len(docs), "seed": seed, "noise": noise, "modes": {}}
    if corrections is not None and corrections.exists():
        # The reviewers' own examples that training keeps out: where a retrain with corrections shows.
        import spacy

        from extract.nlp.corrections import read_corrections, span_scores
        from extract.pipeline import model_dir
        held_out = read_corrections(corrections).held_out
        report["corrections"] = span_scores(spacy.load(model_dir()), held_out) if held_out else {"examples": 0}
    task = progress.add_task("eval extract", total=len(modes)) if progress else None
    for mode in modes:
        score = score_docs(Extractor.load(mode), docs)
        rows, ece = reliability(score.calibration)
        report["modes"][mode] = {
            "overall": score.total().row(),
            "fields": {k: v.row() for k, v in sorted(score.per_field.items())},
            "layouts": {k: v.row() for k, v in sorted(score.per_layout.items())},
            "records": {"true": score.records_true, "predicted": score.records_pred, "matched": score.records_matched},
            "reliability": rows, "ece": ece,
            "accuracy_at_0.95": round(score.high_confidence(0.95), 4),
            "share_at_0.95": round(sum(c >= 0.95 for c, _ in score.calibration) / max(1, len(score.calibration)), 4),
        }
        if progress:
            progress.advance(task)
    out.mkdir(parents=True, exist_ok=True)
    fields = sorted(report["modes"][modes[0]]["fields"])
    charts = [grouped_bars(out / "extract_f1_fields.png", f"Field F1 on {split} layouts", fields,
                           {m: [report["modes"][m]["fields"].get(f, {}).get("f1", 0.0) for f in fields] for m in modes}, "F1", 0.95)]
    if "both" in report["modes"]:
        charts.append(reliability_chart(out / "extract_reliability.png", report["modes"]["both"]["reliability"],
                                        f"Confidence calibration (ECE {report['modes']['both']['ece']:.3f})"))
    report["charts"] = [str(c) for c in charts]
    (out / "extract_eval.json").write_text(json.dumps(report, indent=1) + "\n")
    return report
