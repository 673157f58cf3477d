"""A reviewer's annotation → the record as accepted, one outcome per value, and an NER training example.

Values travel as text in the form (`value_text`) and come back through `parse_value`: a date may
be typed as ISO or as the record prints it, a sentence as `type=hoc max=P2Y suspended` or as the
record words it (the extract normalizers read it). A value the reviewer changed gets confidence 1
and `"corrected": true`; its new value changes the record's content hash, so the merge keeps the
old version as history.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any

from extract.normalize.dates import normalize_date
from extract.normalize.sentences import normalize_sentence

from .ls_config import CHARGE_PARTS, CHARGES, ENTITIES, EVENT, FIELDS, MAX_CHARGES, control, entity_label
from .policy import field_kind

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SENTENCE_FLAGS = ("suspended", "concurrent", "from_and_after", "life")
_SENTENCE_EMPTY = normalize_sentence("").value  # every term, none set


class NotAReview(ValueError):
    """An annotation not made with the review form (no event type): it is not taken as a review."""


def value_paths(record: dict) -> list[str]:
    """Every value the record carries: `fields.dob`, `charges.0.statute`, ..."""
    paths = [f"fields.{k}" for k, v in (record.get("fields") or {}).items() if v is not None]
    for i, charge in enumerate(record.get("charges") or []):
        paths += [f"charges.{i}.{k}" for k, v in (charge or {}).items() if v is not None]
    return paths


def get_value(record: dict, path: str) -> dict | None:
    """The field object ({"value", "text", "confidence", ...}) at a value path, or None."""
    parts = path.split(".")
    if parts[0] == "fields":
        return (record.get("fields") or {}).get(parts[1])
    charges = record.get("charges") or []
    i = int(parts[1])
    return (charges[i] or {}).get(parts[2]) if i < len(charges) else None


def value_text(path: str, value: Any) -> str:
    """A value as the form shows it."""
    if value is None:
        return ""
    if path.endswith(".sentence") and isinstance(value, dict):
        terms = [f"type={value.get('type') or 'other'}"]
        terms += [f"{k}={value[k]}" for k in ("min", "max", "to_serve", "probation", "fine") if value.get(k) is not None]
        terms += [k for k in _SENTENCE_FLAGS if value.get(k)]
        return " ".join(terms)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def parse_value(path: str, text: str, machine: Any = None) -> Any:
    """The value a reviewer typed, normalized like the machine's; None when cleared."""
    text = (text or "").strip()
    if not text:
        return None
    name = path.rsplit(".", 1)[-1]
    if name == "dob" or name.endswith("_date"):
        if _ISO_DATE.fullmatch(text):
            return text
        r = normalize_date(text, role="dob" if name == "dob" else None)
        return r.value if r.ok else text
    if name == "sentence":
        return _sentence_terms(text) or normalize_sentence(text).value
    if isinstance(machine, (dict, list)):
        try:
            return json.loads(text)
        except ValueError:
            return text
    if isinstance(machine, (int, float)) and not isinstance(machine, bool):
        try:
            return type(machine)(text)
        except ValueError:
            return text
    return text


def _sentence_terms(text: str) -> dict | None:
    """`type=hoc max=P2Y to_serve=P6M suspended` → the sentence dict; None if the text is not in that form."""
    out = dict(_SENTENCE_EMPTY)
    for tok in text.split():
        key, eq, val = tok.partition("=")
        if not eq:
            if key not in _SENTENCE_FLAGS:
                return None
            out[key] = True
        elif key == "fine":
            try:
                out[key] = float(val) if "." in val else int(val)
            except ValueError:
                return None
        elif key in out and key not in _SENTENCE_FLAGS:
            out[key] = val
        else:
            return None
    return out


@dataclass
class Review:
    """A completed task read back: the record as accepted and what the reviewer changed."""

    record: dict                                        # the extract record as accepted (no verification yet)
    entities: list[list]                                # [[start, end, LABEL], ...], non-overlapping
    outcomes: list[dict] = field(default_factory=list)  # one per machine value the form showed
    changed: list[str] = field(default_factory=list)    # value paths (machine numbering) the reviewer changed


def span_id(path: str) -> str:
    """The id of a value's pre-marked span (region ids cannot hold dots)."""
    return "s_" + path.replace(".", "_")


def apply_review(record: dict, results: list[dict], key: str, how: str, at: str) -> Review:
    """The record with the reviewer's annotation (`results`, Label Studio's result list) applied."""
    by_control: dict[str, dict] = {}
    spans: list[dict] = []
    for r in results:
        if r.get("from_name") == ENTITIES and r.get("type") == "labels":
            spans.append(r)
        elif r.get("from_name"):
            by_control[r["from_name"]] = r.get("value") or {}
    if not (by_control.get(EVENT) or {}).get("choices"):
        raise NotAReview("the annotation has no event type: it was not made with the review form")
    out = copy.deepcopy(record)
    out["event_type"] = by_control[EVENT]["choices"][0]
    accepted: dict[str, dict | None] = {}  # value path (as the machine numbered it) -> field object or None

    def take(path: str) -> dict | None:
        accepted[path] = _accepted(record, path, by_control.get(control(path)), spans)
        return accepted[path]

    fields = out.setdefault("fields", {})
    for name in FIELDS:
        fv = take(f"fields.{name}")
        if fv is None:
            fields.pop(name, None)
        else:
            fields[name] = fv
    ticked = {int(c) for c in (by_control.get(CHARGES) or {}).get("choices", []) if str(c).isdigit()}
    old = record.get("charges") or []
    out["charges"] = [{part: take(f"charges.{slot - 1}.{part}") for part in CHARGE_PARTS}
                      for slot in sorted(t for t in ticked if 1 <= t <= MAX_CHARGES)]
    out["charges"] += copy.deepcopy(old[MAX_CHARGES:])  # charges beyond the form's slots stay as read
    out["charges"] = [c for c in out["charges"] if any(v is not None for v in c.values())]
    confidences = [fv["confidence"] for p in value_paths(out) if (fv := get_value(out, p))]
    out["confidence"] = round(min(confidences, default=0.0), 4)

    review = Review(out, entities=_entities(spans))
    for path in value_paths(record):
        if control(path) is None:
            continue  # not on the form: as read, and not an outcome
        before, after = get_value(record, path), accepted.get(path)
        correct = after is not None and after.get("value") == before.get("value")
        review.outcomes.append({"key": key, "field": path, "kind": field_kind(path), "confidence": before["confidence"],
                                "correct": correct, "how": how, "at": at})
    review.changed = sorted({o["field"] for o in review.outcomes if not o["correct"]}
                            | {p for p, fv in accepted.items() if fv and fv.get("corrected")})
    return review


def _accepted(record: dict, path: str, value: dict | None, spans: list[dict]) -> dict | None:
    """The field object the reviewer accepted at `path` (None: cleared or never there)."""
    before = get_value(record, path)
    if path.endswith(".disposition"):
        typed = (value or {}).get("choices") or []
        new = typed[0] if typed else None
    else:
        texts = [t for t in (value or {}).get("text", []) if t and t.strip()]
        new = parse_value(path, texts[-1], before["value"] if before else None) if texts else None
    if new is None:
        return None
    if before is not None and new == before.get("value"):
        fv = dict(before)
    else:
        fv = {**(before or {"text": value_text(path, new), "bbox": None, "span": None}),
              "value": new, "confidence": 1.0, "corrected": True}
    _respan(fv, path, spans)
    return fv


def _respan(fv: dict, path: str, spans: list[dict]) -> None:
    """Where the reviewer left the value's mark: its own region, else one of its label over the old span."""
    label = entity_label(path)
    if label is None or fv.get("span") is None:
        return
    old = fv["span"]
    own = [s for s in spans if s.get("id") == span_id(path)]
    near = [s for s in spans if label in s["value"].get("labels", [])
            and s["value"]["start"] < old[1] and old[0] < s["value"]["end"]]
    found = (own or near or [None])[0]
    fv["span"] = [found["value"]["start"], found["value"]["end"]] if found else None


def _entities(spans: list[dict]) -> list[list]:
    """The reviewer's marks as spaCy NER entities: sorted, overlaps dropped (the first one kept)."""
    out: list[list] = []
    for s in sorted(spans, key=lambda s: (s["value"]["start"], -s["value"]["end"])):
        v = s["value"]
        if not v.get("labels") or v["end"] <= v["start"]:
            continue
        if out and v["start"] < out[-1][1]:
            continue
        out.append([v["start"], v["end"], v["labels"][0]])
    return out
