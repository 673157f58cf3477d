"""Verified records: what `review` (or an agency feed) hands to the merge (DESIGN.md, "Contracts").

A verified record is an extract record (`crosstrack extract --jsonl`) as accepted, plus who
accepted it, when and how, and the provenance of its document. Its key is its content address:
the document's sha256, the page, the frame on a fiche sheet, and the record's ordinal on that
page; re-merging the same key never adds a second event.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import to_json

from .page import BBox, FramePosition
from .provenance import Provenance
from .record import Charge, FieldValue

How = Literal["auto", "reviewed", "audited", "feed"]
# Demographic fields a record may carry (as recorded: the repository does not infer them).
DEMOGRAPHICS = ("gender", "race", "ethnicity")
# The date field that dates an event of each type; other types take the first date they carry.
EVENT_DATE_FIELD = {
    "arrest": "arrest_date", "booking": "booking_date", "arraignment": "arraignment_date",
    "disposition": "disposition_date", "sentencing": "sentence_date", "admission": "admission_date",
    "release": "release_date", "parole_granted": "hearing_date", "parole_denied": "hearing_date",
    "parole_revoked": "hearing_date", "parole_hearing": "hearing_date", "probation_start": "probation_date",
    "probation_violation": "violation_date", "offense": "offense_date",
}


class Verification(BaseModel):
    model_config = ConfigDict(extra="forbid")

    by: str = Field(min_length=1)  # "machine", a reviewer's id, "feed:<agency>"
    at: datetime
    how: How


class VerifiedRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")

    source: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    page: int = Field(ge=1)
    frame: FramePosition | None = None
    record: int = Field(0, ge=0)  # the record's ordinal on its page or frame
    bbox: BBox | None = None
    event_type: str = Field(min_length=1)
    confidence: float = Field(1.0, ge=0.0, le=1.0)
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    charges: list[Charge] = Field(default_factory=list)
    provenance: Provenance = Field(default_factory=Provenance)
    verification: Verification

    @property
    def key(self) -> str:
        """The content address: the same record of the same document always has this key."""
        f = f"{self.frame.row}.{self.frame.col}" if self.frame else "-"
        return f"{self.sha256}:{self.page}:{f}:{self.record}"

    def value(self, name: str) -> Any:
        fv = self.fields.get(name)
        return fv.value if fv is not None else None

    def event_date(self) -> str | None:
        """The ISO date that dates this record's event."""
        own = self.value(EVENT_DATE_FIELD.get(self.event_type, ""))
        if own:
            return str(own)
        for k in sorted(self.fields):
            if k.endswith("_date") and self.fields[k].value:
                return str(self.fields[k].value)
        return None

    def content_hash(self, dumped: dict | None = None) -> str:
        """What the record says (not who said it or when): a changed value changes this.
        `dumped`: this record's `model_dump(mode="json")` when the caller has one (it is faster)."""
        d = dumped or self.model_dump(mode="json", include={"fields", "charges"})
        return content_hash(self.event_type, self.bbox, d["fields"], d["charges"], self.provenance.model_dump())


def content_hash(event_type: str, bbox, fields: dict, charges: list, provenance: dict) -> str:
    """VerifiedRecord.content_hash over a record's dumped parts (`provenance`: every Provenance
    field, in order), for callers that hold the record as plain dicts (agency feeds)."""
    # Fields by name, so their order in the input does not count; pydantic-core's JSON is ~3x json.dumps.
    body = {"event_type": event_type, "bbox": bbox,
            "fields": {k: fields[k]["value"] for k in sorted(fields)},
            "charges": [{k: (v["value"] if v else None) for k, v in c.items()} for c in charges],
            "provenance": provenance}
    return hashlib.sha256(to_json(body)).hexdigest()
