"""What a record says happened (its event type), from the words of the form and its values."""

from __future__ import annotations

import re

from extract.geometry import PageGeometry
from extract.roles import masked
from extract.segment import Region


# What a record says happened, from the words on it: the earliest cue in the text wins, so a
# form's title ("REGISTER OF COMMITMENTS") outweighs a column header further down ("DISCHARGED").
_CUES: list[tuple[re.Pattern, str]] = [(re.compile(p), t) for p, t in [
    (r"PAROLE (?:IS )?REVOKED|\bREVOKED\b", "parole_revoked"),
    (r"PAROLE VIOLATION|VIOLATION HEARING|REVOCATION|WARRANT LODGED", "warrant"),
    (r"PAROLE (?:IS )?DENIED|DENIED PAROLE", "parole_denied"),
    (r"PAROLE (?:IS )?GRANTED|GRANTED PAROLE|CERTIFICATE OF PAROLE|PAROLE PERMIT|PAROLED TO", "parole_granted"),
    (r"PROBATION (?:VIOLATION|SURRENDER)|VIOLATION OF PROBATION|\bVOP\b", "probation_violation"),
    (r"RECORD OF SUPERVISION|PLACED ON PROBATION|PROBATION (?:START|INTAKE)", "probation_start"),
    (r"WARRANT", "warrant"),
    (r"TRANSFER", "transfer"),
    (r"DISCHARGE|RELEASE CERTIFICATE|CERTIFICATE OF RELEASE|NOTICE OF RELEASE|RELEASED ON|\bPAROLED\b", "release"),
    (r"MITTIMUS|ORDER OF COMMITMENT", "sentencing"),  # a court's order committing a sentenced person
    (r"(?<!COURT OF )COMMITMENT(?!\s*(?:NO\b|NUMBER|#))|COMMITTED(?!\s*(?:FROM|BY)\b)|ADMISSION|ADMITTED|RECEIVED AT|RECEIVING (?:LOG|BOOK|RECORD)|\bREGISTER\b", "admission"),
    (r"BOOKING|\bINTAKE\b", "booking"),
    (r"ARRAIGNMENT|\bCOMPLAINT\b|LOCK-?UP LIST", "arraignment"),
    (r"ARREST|FINGERPRINT|IDENTIFICATION SECTION|PRISONER LOG|BLOTTER|\bP\.D\.|POLICE DEP|RAP SHEET", "arrest"),
]]
# Movement-log abbreviations: only an item's own words, never a column header in the title.
_ITEM_CUES: list[tuple[re.Pattern, str]] = [(re.compile(p), t) for p, t in [
    (r"\bXFER|\bTRANS\.|\bTRANSF", "transfer"),
    (r"\bDISCH|\bREL(?:EASED|\.)?(?![A-Z])|\bPAROLED|\bPAROLE\b(?!\s*(?:VIOL|REVO|WARRANT|HEARING|BOARD))", "release"),
    (r"\bREC'?D\b|\bRECEIVED|\bRETURN(?:ED)?\b|\bRET\b|\bADM(?:ITTED|\.)|\bNEW COMMIT|\bCOMMIT\b", "admission"),
]] + _CUES
_PAROLE_DECISION = re.compile(r"(?:DECISION|ACTION|FINDING)[ \t]*[:\-.]?[ \t]*([A-Z][A-Z .,\-/']{2,40})")


def _first_cue(text: str, cues: list[tuple[re.Pattern, str]] = _CUES) -> str | None:
    best = None
    for rx, t in cues:
        m = rx.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), t)
    return best[1] if best else None


def _parole_decision(text: str) -> str | None:
    """The board's decision line (`DECISION: DENIED - REVIEW IN ONE YEAR`): its first verdict word."""
    for m in _PAROLE_DECISION.finditer(text):
        words = m.group(1)
        found = [(x.start(), t) for rx, t in ((r"REVOK", "parole_revoked"), (r"GRANT|PAROLE TO|RESERVE", "parole_granted"),
                                              (r"DEN|REVIEW|REJECT", "parole_denied")) if (x := re.search(rx, words))]
        if found:
            return min(found)[1]
    return None


CASE_INDEX = re.compile(r"PROBATION|CENTRAL FILE|\bCORI\b|COURT ACTIVITY")
COURT_EVENTS = {"disposition", "arraignment"}
FALLBACK_ROLE = {"disposition": "disposition_date", "admission": "admission_date", "release": "release_date",
                 "arrest": "arrest_date", "booking": "booking_date", "parole_granted": "hearing_date",
                 "parole_denied": "hearing_date", "parole_revoked": "hearing_date",
                 "probation_start": "disposition_date", "probation_violation": "hearing_date",
                 "transfer": "admission_date", "arraignment": "arraignment_date"}


def event_type(region: Region, geo: PageGeometry, fields: dict, charges: list[dict], page_upper: str) -> str:
    t = _event_type(region, geo, fields, charges, page_upper)
    if t == "arraignment" and any("disposition" in c for c in charges):
        return "disposition"  # an arraignment record that goes on to dispose of its counts
    return t


def _event_type(region: Region, geo: PageGeometry, fields: dict, charges: list[dict], page_upper: str) -> str:
    head = page_upper[:300]  # the title of the form says what kind of record it is
    if region.kind == "item" and region.header_line is not None:
        # A list's title is above its items: the first item's `COMMITTED` is its sentence's word.
        head = head[:geo.line_starts[region.header_line + 1]]
    if region.kind == "item":
        # The item's own words, its values blanked: `COMMITTED 1 YEAR HOC` is a sentence, not a cue.
        text = masked(geo.line_starts[region.first_line], geo.line_starts[region.last_line] + len(geo.line_text(region.last_line)),
                       region.entities, geo)
        t = _first_cue(text, _ITEM_CUES)
        if t:
            return t
    if "hearing_date" in fields or "PAROLE" in head:
        t = _parole_decision(page_upper)
        if t:
            return t
    t = _first_cue(head)
    if region.kind == "item" and t == "booking" and not re.search(r"BOOKING (?:LOG|LIST|SHEET)", head):
        # A jail's intake log lists the people it received (a `BOOKING` column is their number).
        return "admission"
    if t == "admission" and region.kind != "item" and re.search(r"BOOKING|\bINTAKE\b", head):
        return "booking"  # "ADMISSION / BOOKING" sheets are the booking record
    if t:
        return t
    # A court record whose counts are disposed is a disposition, sentences or not; a sentencing
    # is a record of sentences alone (a mittimus).
    if any("disposition" in c for c in charges):
        return "disposition"
    if "release_date" in fields and "admission_date" not in fields:
        return "release"
    if "admission_date" in fields or ("facility" in fields and "commitment_no" in fields):
        return "admission"
    if any("sentence" in c for c in charges):
        return "sentencing"
    if "arrest_date" in fields:
        return "arrest"
    if "arraignment_date" in fields:
        return "arraignment"
    return "other"
