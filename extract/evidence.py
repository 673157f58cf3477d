"""What the confidence model knows about one extracted value, and the text measures behind it.

Beside NER/rule agreement, OCR confidence, normalizer certainty and validation, a value carries
where it came from (its own line or a list's header; for a date, which words gave its role and
whether they read two ways), how damaged its printed text looks (a text-only page has no word
confidences, so `DANIEL MONTE1RO` must show its damage some other way) and whether it is
plausible as a value of its kind (a given name we know, a citation whose offence matches the
words beside it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.normalize.names import given_names


@dataclass
class Evidence:
    agreement: str             # "both", "ner", "rules" or "conflict"
    ocr: float                 # the weakest OCR word confidence under the value (1.0 for plain text)
    certainty: float           # the normalizer's
    valid: bool
    exact: bool = False        # NER and rules read the very same characters
    source: str = "own"        # "own", "shared" (a list's header), or for dates extract.roles.ROLE_SOURCES
    ambiguous: bool = False    # the label reads two ways (`ARR`) and nothing decided it
    noise: float = 0.0         # share of the printed words that look OCR-damaged
    plausible: float = 1.0     # kind-specific: a known given name, a citation that agrees with its offence
    page_noise: float = 0.0    # share of the page's words that look damaged
    record_noise: float = 0.0  # the same over the record's own lines


# A digit between letters (MONTE1RO, C0NCORD); a lookalike letter between digits or date
# separators (1I/2/1961, 5/l9/61, 9003CR00O352); a case flip inside a word (GLOUcESTER, ApR); odd glyphs.
_DAMAGE = re.compile(r"(?<=[A-Za-z])[0-9|$](?=[A-Za-z])|(?<=[0-9/.\-])[OoQlIi|SsBZzGbgq](?=[0-9])|"
                     r"(?<=[0-9])[OoQlIi|SsBZzGbgq](?=[/.\-]?[0-9])|(?<!M)[a-z][A-Z]|[A-Z]{2}[a-z]|[|!\\{}\[\]<>~^]")


def text_noise(text: str) -> float:
    """Share of the printed words that look OCR-damaged."""
    words = text.split()
    return sum(1 for w in words if _DAMAGE.search(w)) / len(words) if words else 0.0


def name_plausibility(value: str) -> float:
    """1.0 when the given name is one we know, else 0.0 (`HEGARTY, ATONIO`: a letter OCR lost)."""
    given = value.split(",", 1)[1].split() if "," in value else []
    return 1.0 if given and given[0] in given_names() else 0.0
