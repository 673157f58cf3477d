"""The kind of form a page is, from its title words: a court's or probation's record, a police
one, or a custody one (prison, jail, parole). Some label words read differently on each (`ARR DATE`: arraignment on a CORI or a
probation record, arrest on a rap sheet)."""

from __future__ import annotations

import re

_KINDS: list[tuple[re.Pattern, str]] = [(re.compile(p), k) for p, k in [
    (r"POLICE|IDENTIFICATION (?:SECTION|BUREAU)|BUREAU OF IDENTIFICATION|RAP SHEET|RECORD OF ARRESTS?|"
     r"ARRESTS AND PROSECUTIONS|BLOTTER|\bP\.D\.", "police"),
    (r"PROBATION|\bCORI\b|CRIMINAL OFFENDER RECORD|CRIMINAL HISTORY|CRIMINAL JUSTICE INFORMATION|COURT ACTIVITY|"
     r"COURT APPEARANCES|CENTRAL FILE|TRIAL COURT|\bDOCKET\b|CLERK|COMPLAINT|INDICTMENT|MITTIMUS", "court"),
    # A custody form names the court that committed the person: its own title words come first.
    (r"CORRECTION|SHERIFF|\bJAIL\b|H\.O\.C\.|\bHOC\b|PAROLE BOARD|\bM\.?C\.?I\b|INSTITUTION", "custody"),
    (r"(?:DISTRICT|SUPERIOR|MUNICIPAL|JUVENILE) COURT", "court"),
]]
_DIGIT_AS_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "6": "G", "2": "Z"})
TITLE_LINES = 3  # the form's title: its first lines that hold words


def title(page_upper: str) -> str:
    return "\n".join([ln for ln in page_upper.split("\n") if re.search(r"[A-Z]{2}", ln)][:TITLE_LINES])


def form_kind(page_upper: str) -> str | None:
    """"court", "police", "custody" or None, from the earliest kind word in the page's title lines."""
    head = title(page_upper).translate(_DIGIT_AS_LETTER)  # `BOARD OF PRO8ATION`
    found = [(m.start(), k) for rx, k in _KINDS if (m := rx.search(head))]
    return min(found)[1] if found else None
