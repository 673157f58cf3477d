"""`crosstrack bench extract`: records per second after OCR, in one process (spaCy's blis
kernels are single-threaded, so this is one core)."""

from __future__ import annotations

import time

from extract.corpus import generate
from extract.nlp.rules import find_rule_entities
from extract.pipeline import Extractor


def run_extract_bench(count: int, seed: int, modes: list[str]) -> dict:
    docs = generate(count, "dev", seed=seed, noise=0.3)
    texts = [(d.text, None) for d in docs]
    report = {"documents": len(docs), "tokens": sum(len(d.text.split()) for d in docs), "modes": {}}
    for mode in modes:
        ex = Extractor.load(mode)
        list(ex.extract_texts(texts[:20]))  # warm-up: lazy loads and caches
        t0 = time.perf_counter()
        records = sum(len(r) for r in ex.extract_texts(texts))
        dt = time.perf_counter() - t0
        report["modes"][mode] = {"records": records, "seconds": round(dt, 3),
                                 "records_per_s": round(records / dt, 1), "documents_per_s": round(len(docs) / dt, 1),
                                 "stages_s": _stages(ex, [t for t, _ in texts], dt)}
    return report


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _stages(ex: Extractor, texts: list[str], total: float) -> dict[str, float]:
    """Where the time goes: tokenizer, the trained NER (tok2vec + parser), the rules, and the rest
    (segmentation, normalizers, assembly, confidence)."""
    nlp = ex.nlp
    tok = _timed(lambda: [nlp.make_doc(t) for t in texts])
    trained = [p for p in nlp.pipe_names if p != "crosstrack_rules"]
    ner = 0.0
    if trained:
        with nlp.select_pipes(enable=trained):
            ner = _timed(lambda: list(nlp.pipe(texts, batch_size=32))) - tok
    rules = _timed(lambda: [find_rule_entities(t) for t in texts]) if "crosstrack_rules" in nlp.pipe_names else 0.0
    out = {"tokenizer": tok, "ner": ner, "rules": rules, "assembly": max(0.0, total - tok - ner - rules)}
    return {k: round(v, 3) for k, v in out.items()}
