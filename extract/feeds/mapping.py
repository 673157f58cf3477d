"""An agency extract's declarative mapping (a YAML file under `feeds/`), loaded into pydantic.

A mapping says how to read the file (format, encoding, columns), which columns identify the event
(its key: the same key in a later delivery is the same event), and how each column becomes a field
of a verified record: its type, its date formats, the code table that turns the agency's codes into
the repository's vocabularies. Unknown keys are refused, so a typo in a mapping fails at load.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from models.errors import ConfigError

FEEDS_DIR = Path(__file__).resolve().parents[2] / "feeds"
Format = Literal["csv", "excel", "fixed_width", "jsonl"]
ValueType = Literal["text", "date", "code", "id", "int", "number", "months", "statute", "offence_code", "flag"]
# Fields whose values identify a person: never quoted in a quarantine reason or a log line.
IDENTIFYING = frozenset({"name", "dob", "sid", "pcf", "commitment_no", "docket", "booking_no"})
EVENT_TYPES = frozenset({"arrest", "booking", "arraignment", "disposition", "sentencing", "admission", "release",
                         "parole_hearing", "parole_granted", "parole_denied", "parole_revoked", "probation_start",
                         "probation_violation", "probation_end", "risk_assessment", "offense"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Value(_Strict):
    """Where one value comes from: a column (or a constant), what type it must be, how it is coded."""

    column: str | None = None
    value: str | None = None            # a constant, for every row
    type: ValueType = "text"
    codes: str | None = None            # a code table of the mapping: the agency's code -> ours
    formats: tuple[str, ...] = ()       # strptime formats of a date, tried in order
    pattern: str | None = None          # a regex an identifier must match (whole value)
    required: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> "Value":
        if (self.column is None) == (self.value is None):
            raise ValueError("give exactly one of `column` and `value`")
        if self.type == "date" and self.column is not None and not self.formats:
            raise ValueError("a date needs `formats`")
        if self.type == "code" and not self.codes:
            raise ValueError("a code needs `codes` (the name of a code table)")
        return self


class NameParts(_Strict):
    """A person's name from separate columns (or one `column` already written LAST, FIRST M)."""

    last: str | None = None
    first: str | None = None
    middle: str | None = None
    suffix: str | None = None
    column: str | None = None
    required: bool = True

    @model_validator(mode="after")
    def _complete(self) -> "NameParts":
        if self.column is None and not (self.last and self.first):
            raise ValueError("give `column`, or `last` and `first`")
        return self


class Sentence(_Strict):
    """A sentence from columns: terms in months (or ISO 8601 durations), a fine, flags."""

    type: Value
    min: Value | None = None
    max: Value | None = None
    to_serve: Value | None = None
    probation: Value | None = None
    fine: Value | None = None
    suspended: Value | None = None
    life: Value | None = None


class ChargeMap(_Strict):
    offense_code: Value | None = None
    statute: Value | None = None
    description: Value | None = None
    disposition: Value | None = None
    sentence: Sentence | None = None


class FixedColumn(_Strict):
    column: str
    start: int = Field(ge=1)   # 1-based, as record layouts print them
    width: int = Field(ge=1)


class CsvOptions(_Strict):
    delimiter: str = ","
    quotechar: str = '"'


class ExcelOptions(_Strict):
    sheet: str | None = None   # the first sheet when not given
    header_row: int = Field(1, ge=1)


class FeedMapping(_Strict):
    feed: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")
    agency: str
    series: str
    version: int = Field(ge=1)
    description: str = ""
    format: Format
    encoding: str = "utf-8"
    full_extract: bool = False      # each delivery is everything the agency holds: report what is missing
    csv: CsvOptions = CsvOptions()
    excel: ExcelOptions = ExcelOptions()
    fixed_width: tuple[FixedColumn, ...] = ()
    key: tuple[str, ...] = Field(min_length=1)
    event_type: Value
    event_date: Value                # becomes the event type's own date field (arrest_date, ...)
    name: NameParts
    fields: dict[str, Value] = Field(default_factory=dict)
    charge: ChargeMap | None = None
    county: Value | None = None
    codes: dict[str, dict[str, str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> "FeedMapping":
        tables = [v.codes for v in self.values() if v.codes]
        missing = sorted({t for t in tables if t not in self.codes})
        if missing:
            raise ValueError(f"code tables used but not defined: {', '.join(missing)}")
        if self.event_date.type != "date":
            raise ValueError("event_date must be of type date")
        if self.format == "fixed_width" and not self.fixed_width:
            raise ValueError("a fixed_width feed needs its `fixed_width` column layout")
        if self.event_type.value is not None and self.event_type.value not in EVENT_TYPES:
            raise ValueError(f"event_type {self.event_type.value!r} is not one of the repository's event types")
        if self.event_type.codes:
            bad = sorted(set(self.codes[self.event_type.codes].values()) - EVENT_TYPES)
            if bad:
                raise ValueError(f"code table {self.event_type.codes!r} maps to unknown event types: {', '.join(bad)}")
        unknown = sorted(set(self.key) - set(self.columns()))
        if unknown:
            raise ValueError(f"key columns not mapped or laid out: {', '.join(unknown)}")
        return self

    def values(self) -> list[Value]:
        out = [self.event_type, self.event_date, *self.fields.values(), *([self.county] if self.county else [])]
        if self.charge:
            c = self.charge
            out += [v for v in (c.offense_code, c.statute, c.description, c.disposition) if v]
            if c.sentence:
                out += [v for v in c.sentence.__dict__.values() if v]
        return out

    def columns(self) -> list[str]:
        """Every source column the mapping reads (the key's columns included)."""
        named = [v.column for v in self.values() if v.column]
        n = self.name
        named += [c for c in (n.last, n.first, n.middle, n.suffix, n.column) if c]
        if self.fixed_width:
            named += [c.column for c in self.fixed_width]
        return list(dict.fromkeys([*named, *self.key]))

    @property
    def sha256(self) -> str:
        """The feed's content address: its events are records of one 'document', whatever file
        brought them, so a re-delivered row is the same record."""
        return hashlib.sha256(f"crosstrack-feed:{self.feed}".encode()).hexdigest()

    @property
    def verified_by(self) -> str:
        return f"feed:{self.feed}"


def load_mapping(where: str | Path) -> FeedMapping:
    """A mapping from a YAML path, or by its name under `feeds/` (`doc-movements`)."""
    path = Path(where)
    if not path.suffix and not path.exists():
        path = FEEDS_DIR / f"{where}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in FEEDS_DIR.glob("*.yaml")))
        raise ConfigError(f"no feed mapping {str(where)!r}: give a YAML file or one of: {known}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return FeedMapping.model_validate(data)
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML: {e}") from None
    except ValidationError as e:
        where_ = "; ".join(f"{'.'.join(map(str, err['loc'])) or 'mapping'}: {err['msg']}" for err in e.errors()[:5])
        raise ConfigError(f"{path}: not a valid feed mapping: {where_}") from None


def known_mappings() -> list[FeedMapping]:
    return [load_mapping(p) for p in sorted(FEEDS_DIR.glob("*.yaml"))]
