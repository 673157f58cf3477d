"""Plain data types of the synthetic text corpus (the lines OCR would output, with truth)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

LABELS = ("PERSON", "DOB", "DATE", "SID", "DOCKET", "COMMIT_NO", "BOOKING_NO", "PCF", "COURT",
          "FACILITY", "STATUTE", "OFFENSE", "DISPOSITION", "SENTENCE")

EVENT_TYPES = ("arrest", "booking", "arraignment", "disposition", "sentencing", "admission",
               "release", "parole_granted", "parole_denied", "parole_revoked", "probation_start",
               "probation_violation", "warrant", "transfer")

FIELD_KEYS = ("name", "dob", "sid", "docket", "court", "facility", "commitment_no", "booking_no",
              "pcf", "offense_date", "arrest_date", "arraignment_date", "disposition_date",
              "sentence_date", "admission_date", "release_date", "hearing_date", "booking_date")

DISPOSITIONS = ("guilty", "not_guilty", "dismissed", "nolle_prosequi", "cwof", "filed")
SENTENCE_TYPES = ("hoc", "state_prison", "jail", "probation", "cwof", "fine", "suspended",
                  "filed", "time_served", "other")
SENTENCE_KEYS = ("type", "min", "max", "to_serve", "probation", "suspended", "concurrent",
                 "from_and_after", "life", "fine")


@dataclass
class Span:
    start: int  # char offsets into CorpusDoc.text
    end: int
    label: str


@dataclass
class TruthCharge:
    description: str | None
    statute: str | None
    offense_code: str | None
    disposition: str | None
    sentence: dict | None


@dataclass
class TruthRecord:
    line_start: int  # the record region: lines [line_start, line_end)
    line_end: int
    event_type: str
    fields: dict[str, str]
    charges: list[TruthCharge] = field(default_factory=list)


@dataclass
class CorpusDoc:
    layout: str
    family: str
    split: str  # train | dev | heldout
    lines: list[str]
    spans: list[Span]
    records: list[TruthRecord]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "CorpusDoc":
        return cls(layout=d["layout"], family=d["family"], split=d["split"], lines=list(d["lines"]),
                   spans=[Span(**s) for s in d["spans"]],
                   records=[TruthRecord(line_start=r["line_start"], line_end=r["line_end"],
                                        event_type=r["event_type"], fields=dict(r["fields"]),
                                        charges=[TruthCharge(**c) for c in r["charges"]])
                            for r in d["records"]])
