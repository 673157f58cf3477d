"""Synthetic text corpus for training and evaluating record extraction.

Each document is the lines OCR would output for one page of a Massachusetts criminal-justice
record, with entity spans (for the NER) and the normalized truth records (for extraction).
Layout families are split: train families give `train` and `dev` documents (different seeds),
held-out families (layouts never trained on) give `heldout` documents. Train families are built
with `kit.VARIETY` on (more label synonyms, separators, sentence kinds, and truth forms aligned with
`extract.normalize`); held-out families print exactly the text they always did (the text
fingerprint in tests/test_corpus.py locks it), while their truth follows the same normalized
conventions as train (canonical facility names, event types below).

Event-type conventions (every train family follows them):
  court docket / complaint / indictment / CORI / rap block whose counts carry dispositions
      -> `disposition` (even when sentences are printed); a complaint without dispositions ->
      `arraignment`; `sentencing` only for a record that is only a sentencing (a mittimus);
  parole hearing: REVIEW / DENIED -> `parole_denied`; GRANTED / PAROLE TO / RESERVE (a grant with a
      later release date) and a parole permit -> `parole_granted`; REVOKED -> `parole_revoked`;
  DOC commitment card, inmate face sheet, jail register / commitment log line -> `admission`;
  HOC booking sheet -> `booking`; arrest card / State Police rap-sheet arrest block -> `arrest`;
  probation record of supervision -> `probation_start`; violation notice -> `probation_violation`.
Held-out families follow the same conventions (`clerk_index_card` lines -> `disposition`,
`parole_warrant` -> `warrant` or, when the notice prints PAROLE REVOKED, `parole_revoked`).

Disposition truth: a form that prints no findings (a booking sheet, a register, a face sheet) has
none, except where its sentence column is itself a finding (`CONT W/O FINDING 6 MOS.`, `PLACED ON
FILE`): then the charge's disposition (`cwof`, `filed`) is on the page and in the truth (train
families only; `kit.ChargeSpec.truth`).

Sentence truth dicts use SENTENCE_KEYS (type, min, max, to_serve, probation, suspended,
concurrent, from_and_after, life, fine); durations ISO 8601 with months kept as months.

    from extract.corpus import generate
    docs = generate(1000, "train", seed=0, noise=0.3)
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Callable, Iterable

from . import kit as _kit
from . import layouts_court as C
from . import layouts_custody as K
from . import layouts_more as M
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
    "cori_printout": (M.cori_printout, "train"),
    "docket_book": (M.docket_book, "train"),
    "commitment_log": (M.commitment_log, "train"),
    "parole_permit": (M.parole_permit, "train"),
    "inmate_face_sheet": (M.inmate_face_sheet, "train"),
    "probation_supervision": (M.probation_supervision, "train"),
    "sp_rap_sheet": (M.sp_rap_sheet, "train"),
    "mittimus": (M.mittimus, "train"),
    "juvenile_docket": (M.juvenile_docket, "train"),
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
    "cori_printout": "per block: ARRAIGNMENT DATE/ARR DT -> arraignment_date; DISPOSITION DATE/DISP DT -> "
                     "disposition_date; OFFENSE DATE -> offense_date; print/request date in the header: no field",
    "docket_book": "prose: 'arraigned' date -> arraignment_date; the date the finding is entered -> disposition_date; "
                   "complaint/indictment 'filed/returned' date and continuance dates: no field",
    "commitment_log": "header day (LOG DATE/DATE) -> every line's admission_date unless the line has its own "
                      "DATE/REC'D column (then that); OUT/REL. column -> release_date",
    "parole_permit": "'released on parole'/EFFECTIVE/DATE OF PAROLE -> release_date; date of the Board's vote / "
                     "HEARING -> hearing_date; PAROLE EXPIRES / MAX. DATE and certificate issue date: no field",
    "inmate_face_sheet": "ADMITTED/DATE RECEIVED -> admission_date; SENTENCE DATE/SENTENCED -> sentence_date; "
                         "PAROLE ELIG., GCD/MAX RELEASE and PRINTED dates: no field",
    "probation_supervision": "the date supervision began (PLACED ON PROBATION / START) -> disposition_date; "
                             "ARRAIGNED -> arraignment_date; SUPERVISION ENDS / TERMINATION / contact dates: no field",
    "sp_rap_sheet": "per arrest block: DATE OF ARREST/ARRESTED -> arrest_date; the disposition's date -> "
                    "disposition_date; record printed date: no field",
    "mittimus": "'sentenced on'/DATE OF SENTENCE -> sentence_date; date the mittimus issued/attest: no field",
    "juvenile_docket": "ARRAIGNED/ARRAIGNMENT -> arraignment_date; ADJUDICATION/DISP. date -> disposition_date; "
                       "docket-entry dates: no field",
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
    builder, fsplit = _REGISTRY[family]
    year = rng.randint(*YEARS)
    _kit.VARIETY = fsplit == "train"  # train-only variety (held-out families stay as they were)
    try:
        layout, lines, spans, records = builder(rng, year)
    finally:
        _kit.VARIETY = False
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
