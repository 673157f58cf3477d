"""Record candidates: what `extract` hands to `review` (DESIGN.md, "Contracts worth keeping stable").

Every field carries its normalized value, the text as read, a confidence in [0, 1] and the box
of the words it was read from (in the page image's pixels).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from .page import BBox, FramePosition

# The field names the command line contract names; a record may carry others.
FIELD_NAMES = ("name", "dob", "sid", "docket", "court", "facility", "commitment_no",
               "offense_date", "disposition_date", "admission_date", "release_date",
               "hearing_date")
CHARGE_PARTS = ("description", "statute", "offense_code", "disposition", "sentence")


class FieldValue(BaseModel):
    value: Any
    text: str
    confidence: float = Field(ge=0.0, le=1.0)
    bbox: BBox | None = None
    span: tuple[int, int] | None = None  # where `text` sits in the record's text (RecordCandidate.text)


class Charge(BaseModel):
    """One count: each part as read and normalized; a part the record does not print is None."""

    description: FieldValue | None = None
    statute: FieldValue | None = None
    offense_code: FieldValue | None = None
    disposition: FieldValue | None = None
    sentence: FieldValue | None = None

    def cli_record(self) -> dict:
        return {k: (v.model_dump(mode="json") if v else None) for k, v in self}


class RecordCandidate(BaseModel):
    """One record found on a page or frame."""

    source: str
    sha256: str
    page: int = Field(ge=1)
    frame: FramePosition | None = None
    record: int = Field(0, ge=0)  # its ordinal on the page or frame: with sha256, page and frame, its key
    bbox: BBox
    regions: list[BBox] = Field(default_factory=list)  # its own lines' strips: what a reviewer is shown
    text: str | None = None  # its own lines' text, header lines first
    event_type: str
    confidence: float = Field(ge=0.0, le=1.0)
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    charges: list[Charge] = Field(default_factory=list)
    layout: str | None = None  # what the segmenter took the page for (card, docket, list, ...)

    def cli_record(self) -> dict:
        """The exact object `crosstrack extract --jsonl` prints for this record."""
        return {
            "source": self.source, "sha256": self.sha256, "page": self.page,
            "frame": self.frame.model_dump() if self.frame else None, "record": self.record,
            "bbox": list(self.bbox), "regions": [list(b) for b in self.regions], "text": self.text,
            "event_type": self.event_type,
            "confidence": round(self.confidence, 4),
            "fields": {k: v.model_dump(mode="json") for k, v in self.fields.items()},
            "charges": [c.cli_record() for c in self.charges],
        }
