"""Entities of a page: the NER's and the rules', reconciled into one list with their agreement."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from extract.nlp.rules import rule_spans

# Labels whose shape rules are exact (a date is a date): on a conflict the rule's span wins.
SHAPE_LABELS = {"DATE", "DOB", "STATUTE", "DOCKET", "SID", "PCF", "COMMIT_NO", "BOOKING_NO"}
# Labels whose rule boundaries are better than the NER's when both read the same thing.
RULE_BOUNDS = SHAPE_LABELS | {"FACILITY"}
# Names of places, whose words either reader may cut short: the union of both readings (the
# assembler trims words a place name ran on with).
NAME_BOUNDS = {"FACILITY"}


@dataclass
class Entity:
    start: int
    end: int
    label: str
    text: str
    agreement: str  # "both", "ner", "rules" or "conflict" (the other side read another label)
    line: int = 0
    exact: bool = False  # NER and rules read the very same characters
    shared: bool = False  # printed in a list's header, inherited by every item under it


def _overlap(a0: int, a1: int, b0: int, b1: int) -> float:
    inter = min(a1, b1) - max(a0, b0)
    return inter / max(1, min(a1 - a0, b1 - b0)) if inter > 0 else 0.0


def reconcile(doc: Doc) -> list[Entity]:
    text = doc.text  # Doc.text is rebuilt from the tokens on every access
    ner = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    rules = [(s.start_char, s.end_char, s.label_) for s in rule_spans(doc)]
    out: list[Entity] = []
    used_rules: set[int] = set()
    for s, e, lab in ner:
        inside = [r for r in rules if s <= r[0] and r[1] <= e]
        if len(inside) >= 2 and any(r[2] in SHAPE_LABELS and r[2] != lab for r in inside):
            continue  # the NER ran two values together (`FILED 12/19/75`): the rules split them
        match = [(i, r) for i, r in enumerate(rules) if _overlap(s, e, r[0], r[1]) > 0.5]
        same = [(i, r) for i, r in match if r[2] == lab or {r[2], lab} == {"DATE", "DOB"}]
        if same:
            i, r = same[0]
            used_rules.add(i)
            # Exact shapes: take the rule's boundaries (the NER sometimes trims a trailing token).
            s2, e2 = (r[0], r[1]) if lab in RULE_BOUNDS else (s, e)
            if lab in NAME_BOUNDS:  # `CHARLES STREET JAIL`: a rule shape may hold only the name's tail
                s2, e2 = min(s, r[0]), max(e, r[1])
            out.append(Entity(s2, e2, lab, text[s2:e2], "both", exact=(s, e) == (r[0], r[1])))
        elif match:
            i, r = match[0]
            used_rules.add(i)
            if r[2] in SHAPE_LABELS and lab not in {"PERSON"}:
                out.append(Entity(r[0], r[1], r[2], text[r[0]:r[1]], "conflict"))
            else:
                out.append(Entity(s, e, lab, text[s:e], "conflict"))
        else:
            out.append(Entity(s, e, lab, text[s:e], "ner"))
    for i, (s, e, lab) in enumerate(rules):
        if i in used_rules or any(_overlap(s, e, x.start, x.end) > 0 for x in out):
            continue
        out.append(Entity(s, e, lab, text[s:e], "rules"))
    out.sort(key=lambda x: x.start)
    for x in out:
        if x.label in ID_LABELS:
            _extend_id(x, text)
    return out


ID_LABELS = {"DOCKET", "SID", "PCF", "COMMIT_NO", "BOOKING_NO"}


def _extend_id(x: Entity, text: str) -> None:
    """An identifier runs to the next space: the tokenizer splits `64-691-AR` before its suffix."""
    end = x.end
    while end < len(text) and (text[end].isalnum() or text[end] == "-" and end + 1 < len(text) and text[end + 1].isalnum()):
        end += 1
    if end != x.end:
        x.end, x.text = end, text[x.start:end]
