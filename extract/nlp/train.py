"""`crosstrack train ner`: generate the corpus, train the NER from spacy.blank("en") with
`ner.cfg`, then fit the confidence model on the dev split. Held-out layout families are never
used here (they are for `crosstrack eval extract`)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import spacy
from spacy.cli.train import train as spacy_train

from extract.confidence import ConfidenceModel
from extract.corpus import generate
from extract.corpus.spacy_docs import write_docbin
from extract.nlp.tokenizer import customize

CONFIG = Path(__file__).with_name("ner.cfg")


@dataclass
class TrainOptions:
    n_train: int = 3000
    n_dev: int = 400
    seed: int = 0
    max_steps: int = 3000
    noise: float = 0.35
    corrections: Path | None = None  # reviewers' corrections (extract/nlp/corrections.py) to train on too
    corrections_repeat: int = 5


def _corrections_score(model: Path, held_out) -> dict | None:
    if not held_out or not (model / "meta.json").exists():
        return None
    from .corrections import span_scores
    return span_scores(spacy.load(model), held_out)


def train_ner(out: Path, opts: TrainOptions, log: Callable[[str], None] = print) -> dict:
    """Train into `out` (a model folder) and write the confidence model beside it."""
    train_docs = generate(opts.n_train, "train", seed=opts.seed, noise=opts.noise)
    dev_docs = generate(opts.n_dev, "dev", seed=opts.seed + 1, noise=opts.noise)
    fixes, before = None, None
    if opts.corrections is not None:
        from .corrections import as_corpus_docs, read_corrections
        fixes = read_corrections(opts.corrections, {sp.label for d in train_docs for sp in d.spans})
        before = _corrections_score(out, fixes.held_out)  # the model being replaced, on examples it never saw
        train_docs += as_corpus_docs(fixes.train, opts.corrections_repeat)
        log(f"corrections: {len(fixes.train)} to train on (x{opts.corrections_repeat}), {len(fixes.held_out)} held out, "
            f"{fixes.skipped} unusable lines skipped")
    nlp = customize(spacy.blank("en"))
    with tempfile.TemporaryDirectory(prefix="crosstrack-ner-") as tmp:
        tmp = Path(tmp)
        write_docbin(train_docs, nlp, tmp / "train.spacy")
        write_docbin(dev_docs, nlp, tmp / "dev.spacy")
        log(f"corpus: {len(train_docs)} train, {len(dev_docs)} dev documents")
        spacy_train(CONFIG, tmp / "out", overrides={
            "paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy"),
            "training.max_steps": opts.max_steps, "system.seed": opts.seed})
        staged = out.with_name(out.name + ".new")
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(tmp / "out" / "model-best", staged)
    # Swap in whole: a crash never leaves half a model where the extractor looks.
    shutil.rmtree(out, ignore_errors=True)
    staged.rename(out)

    result = calibrate(out, dev_docs, log)
    if fixes is not None:
        result["corrections"] = {"trained_on": len(fixes.train), "held_out": len(fixes.held_out),
                                 "skipped": fixes.skipped, "held_out_before": before,
                                 "held_out_after": _corrections_score(out, fixes.held_out)}
    return result


def calibrate(out: Path, dev_docs, log: Callable[[str], None] = print) -> dict:
    """Fit the confidence model on dev documents with the model in `out` (uncalibrated evidence)."""
    from extract.evaluation import score_docs
    from extract.pipeline import Extractor, calibration_path

    extractor = Extractor.load("both", out)
    extractor.calibration = ConfidenceModel()
    score = score_docs(extractor, dev_docs)
    model = ConfidenceModel.fit(score.samples)
    model.save(calibration_path(out))
    total = score.total()
    log(f"dev field F1 {total.f1:.4f}; confidence model fitted on {len(score.samples)} values")
    return {"dev_f1": round(total.f1, 4), "calibration_samples": len(score.samples)}
