"""Corpus documents -> spaCy Docs with entity spans, and a DocBin writer for `spacy train`.

`nlp` is whatever pipeline the trainer uses (its tokenizer decides the tokens): pass
`spacy.blank("en")` or one with `extract.nlp.tokenizer.make_tokenizer(nlp)` installed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .types import CorpusDoc

log = logging.getLogger(__name__)


@dataclass
class AlignStats:
    spans: int = 0
    failed: int = 0
    shrunk: int = 0  # aligned only by dropping characters at an edge ("contract")
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # (layout, label, text)

    @property
    def fail_rate(self) -> float:
        return self.failed / self.spans if self.spans else 0.0


def to_spacy(docs: Iterable[CorpusDoc], nlp, stats: AlignStats | None = None, *, report: bool = True):
    """One spaCy Doc per corpus document with `doc.ents` set; spans that do not align to tokens
    are dropped and counted (in `stats`, and logged when `report`)."""
    from spacy.util import filter_spans

    stats = stats if stats is not None else AlignStats()
    out = []
    for cd in docs:
        text = cd.text
        doc = nlp.make_doc(text)
        ents = []
        for sp in cd.spans:
            stats.spans += 1
            span = doc.char_span(sp.start, sp.end, label=sp.label, alignment_mode="contract")
            if span is not None and (span.start_char != sp.start or span.end_char != sp.end):
                cut = text[sp.start:span.start_char] + text[span.end_char:sp.end]
                if any(ch.isalnum() for ch in cut):
                    span = None  # a glued label (`DOB:03/14/52`): a partial entity would mislead
            if span is None or not span.text.strip():
                stats.failed += 1
                if len(stats.examples) < 50:
                    stats.examples.append((cd.layout, sp.label, text[sp.start:sp.end]))
                continue
            if span.start_char != sp.start or span.end_char != sp.end:
                stats.shrunk += 1
            ents.append(span)
        doc.ents = filter_spans(ents)
        out.append(doc)
    if report:
        log.info("aligned %d spans: %d failed (%.2f%%), %d shrunk", stats.spans, stats.failed,
                 100 * stats.fail_rate, stats.shrunk)
    return out


def write_docbin(docs: Iterable[CorpusDoc], nlp, path: str | Path) -> AlignStats:
    from spacy.tokens import DocBin

    stats = AlignStats()
    db = DocBin(store_user_data=False)
    for d in to_spacy(docs, nlp, stats):
        db.add(d)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return stats
