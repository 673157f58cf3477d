"""Synthetic text corpus for training and evaluating record extraction.

Each document is the lines OCR would output for one page of a Massachusetts criminal-justice
record, with entity spans (for the NER) and the normalized truth records (for extraction).
Layout families are split: train families give `train` and `dev` documents (different seeds),
held-out families (layouts never trained on) give `heldout` documents.

    from extract.corpus import generate
    docs = generate(1000, "train", seed=0, noise=0.3)
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Callable, Iterable

from . import layouts_court as C
from . import layouts_custody as K
from .noise import add_noise
from .types import LABELS, CorpusDoc, Span, TruthCharge, TruthRecord

# family -> (builder, split)
_REGISTRY: dict[str, tuple[Callable, str]] = {
    "court_docket": (C.court_docket, "train"),
    "dc_complaint": (C.dc_complaint, "train"),
    "superior_indictment": (C.superior_indictment, "train"),
    "probation_cf": (C.probation_cf, "train"),
    "cori_summary": (C.cori_summary, "train"),
    "probation_violation": (C.probation_violation, "train"),
    "doc_commitment_card": (K.doc_commitment_card, "train"),
    "doc_movement": (K.doc_movement, "train"),
    "hoc_booking": (K.hoc_booking, "train"),
    "arrest_card": (K.arrest_card, "train"),
    "jail_register": (K.jail_register, "train"),
    "parole_hearing": (K.parole_hearing, "train"),
    "clerk_index_card": (C.clerk_index_card, "heldout"),
    "arraignment_list": (C.arraignment_list, "heldout"),
    "parole_warrant": (K.parole_warrant, "heldout"),
    "release_certificate": (K.release_certificate, "heldout"),
    "police_blotter": (K.police_blotter, "heldout"),
}

FAMILIES: dict[str, str] = {k: v[1] for k, v in _REGISTRY.items()}

# How each family's dates map to truth fields (every date is a DATE span; only these become fields).
DATE_ROLES: dict[str, str] = {
    "court_docket": "ARRAIGNED/ARRGN DATE kv -> arraignment_date; DISP. DATE kv or the date printed with each "
                    "count's disposition -> disposition_date; docket-entry and stamp dates: no field",
    "dc_complaint": "OFFENSE DATE -> offense_date; ARRESTED -> arrest_date; ARRAIGNMENT (DATE) -> "
                    "arraignment_date; ISSUED/SWORN date: no field",
    "superior_indictment": "ARRAIGNED -> arraignment_date; RETURNED/DATE OF INDICTMENT: no field; DISP. DATE or "
                           "'On/Disposed <date>' -> disposition_date; SENTENCED / 'sentenced <date>' -> sentence_date",
    "probation_cf": "date column: DISP DATE/DISP. DT -> disposition_date; ARR DATE/ARRAIGNED and bare DATE -> "
                    "arraignment_date",
    "cori_summary": "ARRAIGNMENT/ARR DATE -> arraignment_date; DISPOSED/DISP. DATE -> disposition_date; "
                    "request date: no field",
    "probation_violation": "date probation was imposed -> disposition_date; hearing -> hearing_date",
    "doc_commitment_card": "ADMITTED/DATE COMMITTED -> admission_date; SENTENCE DATE -> sentence_date; "
                           "RELEASED/DISCHARGED/PAROLED -> release_date; PAROLE ELIG.: no field",
    "doc_movement": "line date: ADMITTED/RETURNED and TRANSFER -> admission_date (facility = receiving); "
                    "PAROLED/DISCHARGED -> release_date (facility = releasing)",
    "hoc_booking": "date beside the booking number (labelled or not) -> booking_date; EST. RELEASE: no field",
    "arrest_card": "DATE ARRESTED -> arrest_date",
    "jail_register": "DATE COMMITTED/REC'D/bare DATE column -> admission_date; DISCHARGED/REL. column -> "
                     "release_date",
    "parole_hearing": "HEARING DATE -> hearing_date; NEXT REVIEW: no field",
    "clerk_index_card": "the date at the end of each case line -> disposition_date",
    "arraignment_list": "the session date in the header -> every line's arraignment_date",
    "parole_warrant": "DATE PAROLED/released on parole on -> release_date; PRELIMINARY HEARING -> "
                      "hearing_date; warrant issue/lodged date: no field",
    "release_certificate": "committed ... on -> admission_date; discharged/released ... on -> release_date",
    "police_blotter": "the log day in the header -> every line's arrest_date",
}
SPLITS = ("train", "dev", "heldout")
YEARS = (1955, 2000)


def families_for(split: str) -> list[str]:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    want = "heldout" if split == "heldout" else "train"
    return [f for f, s in FAMILIES.items() if s == want]


def make_doc(family: str, split: str, rng: random.Random) -> CorpusDoc:
    builder, _ = _REGISTRY[family]
    year = rng.randint(*YEARS)
    layout, lines, spans, records = builder(rng, year)
    spans = sorted(spans, key=lambda s: s.start)
    return CorpusDoc(layout=layout, family=family, split=split, lines=lines, spans=spans, records=records)


def generate(n: int, split: str, seed: int = 0, noise: float = 0.3,
             families: Iterable[str] | None = None) -> list[CorpusDoc]:
    """`n` documents of `split`, deterministic given `seed`; `noise` of them get OCR noise.

    Families rotate so every family of the split appears once n reaches their number; train and
    dev draw from the same families with independent random streams."""
    fams = list(families) if families is not None else families_for(split)
    order = random.Random(f"order:{split}:{seed}")
    fams = order.sample(fams, len(fams))
    out = []
    for i in range(n):
        rng = random.Random(f"{split}:{seed}:{i}")
        doc = make_doc(fams[i % len(fams)], split, rng)
        nrng = random.Random(f"noise:{split}:{seed}:{i}")
        if nrng.random() < noise:
            doc = add_noise(doc, nrng)
        out.append(doc)
    return out


def to_jsonl(docs: Iterable[CorpusDoc], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
    return path


def from_jsonl(path: str | Path) -> list[CorpusDoc]:
    with Path(path).open(encoding="utf-8") as fh:
        return [CorpusDoc.from_dict(json.loads(ln)) for ln in fh if ln.strip()]


__all__ = ["generate", "FAMILIES", "DATE_ROLES", "SPLITS", "LABELS", "families_for", "to_jsonl", "from_jsonl",
           "CorpusDoc", "Span", "TruthCharge", "TruthRecord", "add_noise"]
