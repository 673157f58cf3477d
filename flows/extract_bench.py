"""`crosstrack bench extract`: records per second after OCR, in one process (spaCy's blis
kernels are single-threaded, so this is one core)."""

from __future__ import annotations

import time

from extract.corpus import generate
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
                                 "records_per_s": round(records / dt, 1), "documents_per_s": round(len(docs) / dt, 1)}
    return report
