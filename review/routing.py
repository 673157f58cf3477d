"""Route extract records: `review` when a field is below its kind's threshold or validation fails,
else `audit` for a keyed-hash sample at the policy's audit rate, else `auto`.

The audit draw hashes the record key with the policy's seed (HMAC-SHA256), so the same record
always routes the same way, re-runs included, and no one can steer which records get audited
without the seed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Iterable, Iterator, Literal

from extract.offences import OffenceTable

from .policy import RoutingPolicy, field_kind
from .validation import Validator

Route = Literal["auto", "review", "audit"]
AUDIT_REASON = "audit sample"


@dataclass(frozen=True)
class Routed:
    record: dict                  # the extract record as given
    route: Route
    reasons: tuple[str, ...]      # "low confidence: fields.dob", "statute not in offence table: charges.0.statute"; never values


def record_key(record: dict) -> str:
    """The record key of contract.md (models.verified.VerifiedRecord.key) from an extract record."""
    frame = record.get("frame")
    f = f"{frame['row']}.{frame['col']}" if frame else "-"
    return f"{record.get('sha256')}:{record.get('page')}:{f}:{record.get('record', 0)}"


def field_confidences(record: dict) -> Iterator[tuple[str, float]]:
    """(path, confidence) of every value the record carries: `fields.dob`, `charges.0.statute`."""
    for name, fv in sorted((record.get("fields") or {}).items()):
        if isinstance(fv, dict):
            yield f"fields.{name}", float(fv.get("confidence") or 0.0)
    for i, charge in enumerate(record.get("charges") or []):
        for part, fv in (charge or {}).items():
            if isinstance(fv, dict):
                yield f"charges.{i}.{part}", float(fv.get("confidence") or 0.0)


def audit_draw(key: str, seed: str) -> float:
    """A number in [0, 1) fixed by the record key and the seed."""
    digest = hmac.new(seed.encode(), key.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def low_confidence(record: dict, policy: RoutingPolicy) -> list[str]:
    return [f"low confidence: {path}" for path, conf in field_confidences(record)
            if conf < policy.threshold(field_kind(path))]


def route_record(record: dict, policy: RoutingPolicy, validator: Validator) -> Routed:
    reasons = low_confidence(record, policy) + validator(record)
    if not any(True for _ in field_confidences(record)):
        reasons.append("no fields")
    if reasons:
        return Routed(record, "review", tuple(reasons))
    if audit_draw(record_key(record), policy.audit_seed) < policy.audit_rate:
        return Routed(record, "audit", (AUDIT_REASON,))
    return Routed(record, "auto", ())


def route_records(records: Iterable[dict], policy: RoutingPolicy, table: OffenceTable | None = None,
                  today: dt.date | None = None) -> Iterator[Routed]:
    """Each record routed `auto`, `review` or `audit`, with its reasons, in order."""
    validator = Validator.build(table, today)
    for record in records:
        yield route_record(record, policy, validator)
