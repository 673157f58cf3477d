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
from extract.page_context import PageContext
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
    lines: list[int]  # the record's own lines: its item's lines and the header lines its values came from


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
        page = PageContext.of(geo.text)
        out = []
        for region in segment(ents, geo):
            rec = self.assembler.assemble(region, geo, upper, page)
            if not rec.fields and not rec.charges:
                continue
            if region.kind == "item" and not rec.charges and \
                    all(v.start < geo.line_starts[region.first_line] for v in rec.fields.values()):
                continue  # a list line that gave nothing of its own (a column header): not a record
            conf = {}
            for k, v in rec.fields.items():
                conf[f"fields.{k}"] = self.calibration.score(k, v.group, v.evidence)
            for i, c in enumerate(rec.charges):
                for k, v in c.items():
                    conf[f"charges.{i}.{k}"] = self.calibration.score(k, v.group, v.evidence)
            lines = [region.first_line, region.last_line] + [e.line for e in region.shared]
            own = set(range(region.first_line, region.last_line + 1))
            own.update(geo.line_of(v.start) for v in _values(rec))
            out.append(Extracted(rec, conf, min(conf.values(), default=0.0),
                                 geo.lines_bbox(min(lines), max(lines)) if geo.has_boxes else None, sorted(own)))
        return out

    def extract_pages(self, pages: Iterable[PageText]) -> Iterator[RecordCandidate]:
        pages = list(pages)
        for page, (geo, records) in zip(pages, self._extract([PageGeometry.from_page(p) for p in pages])):
            for ordinal, r in enumerate(records):
                yield to_candidate(r, page, geo, ordinal)


def _values(rec: Assembled) -> Iterator[Value]:
    yield from rec.fields.values()
    for c in rec.charges:
        yield from c.values()


class _RecordText:
    """The record's own lines as one text (what a reviewer is shown), and page offsets mapped into it."""

    def __init__(self, geo: PageGeometry, lines: list[int]):
        self.geo, self.base, parts, at = geo, {}, [], 0
        for i in lines:
            self.base[i] = at
            parts.append(geo.line_text(i))
            at += len(parts[-1]) + 1
        self.text = "\n".join(parts)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        first, last = self.geo.line_of(start), self.geo.line_of(max(start, end - 1))
        if first not in self.base or last not in self.base:
            return None
        starts = self.geo.line_starts
        return self.base[first] + start - starts[first], self.base[last] + end - starts[last]


def _strips(geo: PageGeometry, lines: list[int]) -> list:
    """One box per run of consecutive lines: a list item and its header, never the items between."""
    runs: list[list[int]] = []
    for i in lines:
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return [b for a, z in runs if (b := geo.lines_bbox(a, z)) is not None]


def _fv(v: Value, conf: float, geo: PageGeometry, text: _RecordText) -> FieldValue:
    return FieldValue(value=v.value, text=v.text, confidence=round(conf, 4), bbox=geo.bbox(v.start, v.end),
                      span=text.span(v.start, v.end))


def to_candidate(r: Extracted, page: PageText, geo: PageGeometry, ordinal: int = 0) -> RecordCandidate:
    a, text = r.assembled, _RecordText(geo, r.lines)
    fields = {k: _fv(v, r.confidence[f"fields.{k}"], geo, text) for k, v in a.fields.items()}
    charges = [Charge(**{k: _fv(v, r.confidence[f"charges.{i}.{k}"], geo, text) for k, v in c.items()})
               for i, c in enumerate(a.charges)]
    return RecordCandidate(source=page.source, sha256=page.sha256, page=page.page, frame=page.frame, record=ordinal,
                           bbox=r.bbox or (0.0, 0.0, float(page.width), float(page.height)),
                           regions=_strips(geo, r.lines) if geo.has_boxes else [], text=text.text,
                           event_type=a.event_type, confidence=round(r.record_confidence, 4),
                           fields=fields, charges=charges)
