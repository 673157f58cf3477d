"""Page text → record candidates: spaCy (tokenizer rules, rule entities, NER), segmentation,
assembly with normalizers, calibrated confidence."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import spacy

from extract.assemble import Assembled, Assembler, Value
from extract.confidence import ConfidenceModel
from extract.entities import Entity, reconcile
from extract.geometry import PageGeometry
from extract.nlp import rules as _rules  # noqa: F401  (registers the crosstrack_rules factory)
from extract.nlp.tokenizer import customize
from extract.offences import OffenceTable, load_offence_table
from extract.segment import segment
from models.page import PageText
from models.record import Charge, FieldValue, RecordCandidate

MODEL_DIR = Path(__file__).resolve().parent / "model"
NER_DIR = MODEL_DIR / "ner"
MODES = ("both", "rules", "ner")


def model_dir() -> Path:
    return Path(os.environ.get("CROSSTRACK_NER_MODEL", NER_DIR))


def calibration_path(ner_path: Path) -> Path:
    """The confidence model is fitted for one NER model and lives beside it."""
    return ner_path.parent / "calibration.json"


def load_nlp(mode: str = "both", path: Path | None = None) -> spacy.Language:
    """The pipeline for `mode`: "both" (rules + NER), "rules" or "ner"."""
    path = path or model_dir()
    if mode != "rules":
        if not (path / "meta.json").exists():
            from models.errors import MissingDependencyError
            raise MissingDependencyError(f"no NER model at {path}: run `crosstrack train ner` (make setup does)")
        nlp = spacy.load(path, exclude=[])
    else:
        nlp = customize(spacy.blank("en"))
    if mode != "ner":
        nlp.add_pipe("crosstrack_rules", last=True)
    return nlp


@dataclass
class Extracted:
    """One record as assembled, with each value's calibrated confidence."""

    assembled: Assembled
    confidence: dict[str, float]  # "fields.name", "charges.0.statute", ...
    record_confidence: float
    bbox: tuple[float, float, float, float] | None


class Extractor:
    def __init__(self, nlp: spacy.Language, table: OffenceTable, calibration: ConfidenceModel):
        self.nlp, self.table, self.calibration = nlp, table, calibration
        self.assembler = Assembler(table)

    @classmethod
    def load(cls, mode: str = "both", model: Path | None = None) -> "Extractor":
        path = model or model_dir()
        return cls(load_nlp(mode, path), load_offence_table(), ConfidenceModel.load(calibration_path(path)))

    def extract_texts(self, items: Iterable[tuple[str, PageText | None]], batch_size: int = 32) -> Iterator[list[Extracted]]:
        """For each (text, page or None) in order, its records."""
        geos = [PageGeometry.from_page(page) if page is not None else PageGeometry(text) for text, page in items]
        return (records for _, records in self._extract(geos, batch_size))

    def _extract(self, geos: list[PageGeometry], batch_size: int = 32) -> Iterator[tuple[PageGeometry, list[Extracted]]]:
        """A page's text is the one its geometry rebuilt from the word boxes (`PageGeometry.from_page`)."""
        for geo, doc in zip(geos, self.nlp.pipe((g.text for g in geos), batch_size=batch_size)):
            yield geo, self._records(doc, geo)

    def _records(self, doc, geo: PageGeometry) -> list[Extracted]:
        ents: list[Entity] = reconcile(doc)
        for e in ents:
            e.line = geo.line_of(e.start)
        upper = geo.text.upper()
        out = []
        for region in segment(ents, geo):
            rec = self.assembler.assemble(region, geo, upper)
            if not rec.fields and not rec.charges:
                continue
            if region.kind == "item" and not rec.charges and \
                    all(v.start < geo.line_starts[region.first_line] for v in rec.fields.values()):
                continue  # a list line that gave nothing of its own (a column header): not a record
            conf = {}
            for k, v in rec.fields.items():
                conf[f"fields.{k}"] = self.calibration.score(v.group, v.evidence)
            for i, c in enumerate(rec.charges):
                for k, v in c.items():
                    conf[f"charges.{i}.{k}"] = self.calibration.score(v.group, v.evidence)
            lines = [region.first_line, region.last_line] + [e.line for e in region.shared]
            out.append(Extracted(rec, conf, min(conf.values(), default=0.0),
                                 geo.lines_bbox(min(lines), max(lines)) if geo.has_boxes else None))
        return out

    def extract_pages(self, pages: Iterable[PageText]) -> Iterator[RecordCandidate]:
        pages = list(pages)
        for page, (geo, records) in zip(pages, self._extract([PageGeometry.from_page(p) for p in pages])):
            for r in records:
                yield to_candidate(r, page, geo)


def _fv(v: Value, conf: float, geo: PageGeometry) -> FieldValue:
    return FieldValue(value=v.value, text=v.text, confidence=round(conf, 4), bbox=geo.bbox(v.start, v.end))


def to_candidate(r: Extracted, page: PageText, geo: PageGeometry) -> RecordCandidate:
    a = r.assembled
    fields = {k: _fv(v, r.confidence[f"fields.{k}"], geo) for k, v in a.fields.items()}
    charges = [Charge(**{k: _fv(v, r.confidence[f"charges.{i}.{k}"], geo) for k, v in c.items()})
               for i, c in enumerate(a.charges)]
    return RecordCandidate(source=page.source, sha256=page.sha256, page=page.page, frame=page.frame,
                           bbox=r.bbox or (0.0, 0.0, float(page.width), float(page.height)),
                           event_type=a.event_type, confidence=round(r.record_confidence, 4),
                           fields=fields, charges=charges)
