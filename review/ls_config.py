"""The Label Studio labeling config: what a reviewer sees of one record and the controls they fix it with.

The reviewer sees the record's region (its strips cut from the page, nothing else of the document),
its text with the machine's entities pre-marked, and one control per normalized value pre-filled
with the machine's value: the event type and each charge's disposition as closed choices, every
other value as a one-line text box. Charges sit in slots (MAX_CHARGES); a slot shows while its box
in "charges on the record" is ticked, so a reviewer can drop a charge or add one the machine missed.
"""

from __future__ import annotations

import typing
import xml.etree.ElementTree as ET

from extract.normalize.dispositions import Disposition
from extract.normalize.events import EventType

PROJECT_TITLE = "crosstrack review"
MODEL_VERSION = "crosstrack"  # the predictions' version: the project pre-fills annotations from it
MAX_CHARGES = 6

# Record fields a reviewer can fix, in the form's order, with the title the form shows.
FIELDS: dict[str, str] = {
    "name": "Name", "dob": "Date of birth", "sid": "SID", "pcf": "PCF number", "docket": "Docket",
    "commitment_no": "Commitment number", "booking_no": "Booking number", "court": "Court",
    "facility": "Facility", "offense_date": "Offense date", "arrest_date": "Arrest date",
    "booking_date": "Booking date", "arraignment_date": "Arraignment date",
    "disposition_date": "Disposition date", "sentence_date": "Sentence date",
    "admission_date": "Admission date", "release_date": "Release date", "hearing_date": "Hearing date",
}
CHARGE_PARTS: dict[str, str] = {
    "description": "Offense", "statute": "Statute", "offense_code": "Offense code",
    "disposition": "Disposition", "sentence": "Sentence",
}
EVENT_TYPES: tuple[str, ...] = typing.get_args(EventType)
DISPOSITIONS: tuple[str, ...] = typing.get_args(Disposition)

# The NER's entity labels (spaCy), and the one each value's span is marked with.
ENTITY_LABELS = ("PERSON", "DOB", "DATE", "SID", "PCF", "DOCKET", "COMMIT_NO", "BOOKING_NO", "COURT",
                 "FACILITY", "STATUTE", "OFFENSE", "DISPOSITION", "SENTENCE")
_FIELD_LABELS = {"name": "PERSON", "dob": "DOB", "sid": "SID", "pcf": "PCF", "docket": "DOCKET",
                 "commitment_no": "COMMIT_NO", "booking_no": "BOOKING_NO", "court": "COURT", "facility": "FACILITY"}
_PART_LABELS = {"description": "OFFENSE", "statute": "STATUTE", "disposition": "DISPOSITION", "sentence": "SENTENCE"}
_COLORS = ("#ffd166", "#ef476f", "#06d6a0", "#118ab2", "#8ecae6", "#f4a261", "#a8dadc", "#e9c46a",
           "#90be6d", "#b5838d", "#f28482", "#84a59d", "#cdb4db", "#ffafcc")

ENTITIES, TEXT, IMAGE, EVENT, CHARGES = "entities", "text", "region", "event_type", "charges"


def entity_label(path: str) -> str | None:
    """The entity label of a value path (`fields.dob` -> DOB); None for values read from no span of their own."""
    parts = path.split(".")
    if parts[0] == "charges":
        return _PART_LABELS.get(parts[-1])
    name = parts[-1]
    return _FIELD_LABELS.get(name) or ("DATE" if name.endswith("_date") else None)


def control(path: str) -> str | None:
    """The control that holds a value path: `fields.dob` -> v_dob, `charges.0.statute` -> c1_statute."""
    parts = path.split(".")
    if parts[0] == "charges" and len(parts) == 3 and parts[2] in CHARGE_PARTS and int(parts[1]) < MAX_CHARGES:
        return f"c{int(parts[1]) + 1}_{parts[2]}"
    if parts[0] == "fields" and parts[1] in FIELDS:
        return f"v_{parts[1]}"
    return None


def is_choice(path: str) -> bool:
    return path.endswith(".disposition")


def label_config() -> str:
    """The project's labeling config (XML)."""
    root = ET.Element("View")
    _el(root, "Header", value="The record as scanned (only its own lines)", size="5")
    _el(root, "Image", name=IMAGE, value="$image", zoom="true", zoomControl="true", rotateControl="false")
    row = _el(root, "View", style="display: flex; gap: 24px; align-items: flex-start")
    left = _el(row, "View", style="flex: 1; min-width: 0")
    _el(left, "Header", value="Its text: mark what each value was read from", size="5")
    labels = _el(left, "Labels", name=ENTITIES, toName=TEXT, showInline="true")
    for label, color in zip(ENTITY_LABELS, _COLORS):
        _el(labels, "Label", value=label, background=color)
    _el(left, "Text", name=TEXT, value="$text", granularity="symbol")
    right = _el(row, "View", style="flex: 1; min-width: 0")
    _el(right, "Header", value="Values: fix a wrong one, clear one the record does not have", size="5")
    _el(right, "Header", value="Event type", size="6")
    events = _el(right, "Choices", name=EVENT, toName=TEXT, choice="single", layout="select", required="true")
    for e in EVENT_TYPES:
        _el(events, "Choice", value=e)
    grid = _el(right, "View", style="display: grid; grid-template-columns: 1fr 1fr; gap: 0 16px")
    for name, title in FIELDS.items():
        _text_box(grid, f"v_{name}", title)
    _el(right, "Header", value="Charges on the record", size="6")
    slots = _el(right, "Choices", name=CHARGES, toName=TEXT, choice="multiple", showInline="true")
    for i in range(1, MAX_CHARGES + 1):
        _el(slots, "Choice", value=str(i))
    for i in range(1, MAX_CHARGES + 1):
        block = _el(right, "View", visibleWhen="choice-selected", whenTagName=CHARGES, whenChoiceValue=str(i),
                    style="border-left: 3px solid #ccc; padding-left: 8px; margin: 8px 0")
        _el(block, "Header", value=f"Charge {i}", size="6")
        grid = _el(block, "View", style="display: grid; grid-template-columns: 1fr 1fr; gap: 0 16px")
        for part, title in CHARGE_PARTS.items():
            name = f"c{i}_{part}"
            if part == "disposition":
                cell = _el(grid, "View")
                _el(cell, "Header", value=title, size="6")
                choices = _el(cell, "Choices", name=name, toName=TEXT, choice="single", layout="select")
                for d in DISPOSITIONS:
                    _el(choices, "Choice", value=d)
            else:
                _text_box(grid, name, title)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode")


def _text_box(parent: ET.Element, name: str, title: str) -> None:
    cell = _el(parent, "View")
    _el(cell, "Header", value=title, size="6")
    _el(cell, "TextArea", name=name, toName=TEXT, rows="1", maxSubmissions="1", editable="true",
        showSubmitButton="false", placeholder=title)


def _el(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, attrs)
