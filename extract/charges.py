"""One charge as a record prints it (`A&B DW c265 §15A`) to statute, offence code and level.

The citation decides the statute when it parses and the table knows it; the words then pick
the offence code among that statute's variants. With no usable citation the words alone decide,
at a lower confidence.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from extract.offences import Offence, OffenceTable, load_offence_table, normalize_wording, similarity
from extract.normalize.statutes import find_citations

# Confidence that statute and offence code are both right (see normalize_charge).
_CITED_BASE = 0.55         # citation in the table; the wording's agreement adds up to +0.42
_CITED_NO_WORDS = 0.5      # citation alone: the code is a guess among the statute's variants
_CITED_UNKNOWN = 0.35      # citation parses but the table lacks it: statute maybe, no code
_WORDS_ONLY = 0.75         # description match scaled by its score
_MIN_WORDS_SCORE = 0.6     # below this a description match is noise
_STRONG_WORDS = 0.9        # a description this close outweighs a citation the table lacks
_NOTHING = 0.05

# Words around a citation that say nothing about the offence.
_FILLER = re.compile(r"\b(?:IN\s+)?VIOL(?:ATION)?\s+OF\b|\bM\.?\s?G\.?\s?L\.?\b|\bG\.?\s?L\.?\b|[,;:()\[\]]", re.I)


class ChargeNorm(BaseModel):
    text: str
    statute: str | None = None
    offense_code: str | None = None
    description: str | None = None
    category: str | None = None
    level: str | None = None
    confidence: float = Field(ge=0.0, le=1.0)

    def cli_record(self) -> dict:
        """The object `crosstrack normalize-charges --jsonl` prints for this charge."""
        out = self.model_dump(mode="json")
        out["confidence"] = round(self.confidence, 4)
        return out


def _words_without_citations(text: str, spans: list[tuple[int, int]]) -> str:
    kept, pos = [], 0
    for start, end in spans:
        kept.append(text[pos:start])
        pos = end
    kept.append(text[pos:])
    return " ".join(_FILLER.sub(" ", " ".join(kept)).split())


def _result(text: str, statute: str | None, off: Offence | None, confidence: float) -> ChargeNorm:
    return ChargeNorm(text=text, statute=statute, offense_code=off.code if off else None,
                      description=off.description if off else None, category=off.category if off else None,
                      level=off.level if off else None, confidence=round(max(0.0, min(1.0, confidence)), 4))


def normalize_charge(text: str, table: OffenceTable | None = None, year: int | None = None) -> ChargeNorm:
    """Statute, offence code, description, category and level of one charge, with a confidence."""
    table = table or load_offence_table()
    cites = find_citations(text, known=table.has_statute)
    words = _words_without_citations(text, [(c.start, c.end) for c in cites])
    if cites:
        cite = cites[0]
        variants = table.lookup(cite.canonical, year, words or None)
        if variants:
            best = variants[0]
            if not normalize_wording(words):
                in_force = [o for o in variants if o.in_force(year)] or variants
                return _result(text, cite.canonical, best, _CITED_NO_WORDS + 0.4 / len(in_force))
            agree = similarity(normalize_wording(words), normalize_wording(best.description))
            return _result(text, cite.canonical, best, _CITED_BASE + 0.42 * agree)
        matches = table.match_description(words, year) if words else []
        if matches and matches[0][1] >= _STRONG_WORDS:
            # The table has no such section but knows these words well: likely a misread citation.
            off, score = matches[0]
            return _result(text, off.statute, off, _CITED_UNKNOWN + 0.2 * score)
        return _result(text, cite.canonical, None, _CITED_UNKNOWN)
    matches = table.match_description(words, year) if words else []
    if matches and matches[0][1] >= _MIN_WORDS_SCORE:
        off, score = matches[0]
        runner_up = next((s for o, s in matches[1:] if o.statute.split("(")[0] != off.statute.split("(")[0]), 0.0)
        # A near tie with another statute halves what the words can claim.
        margin = min(1.0, (score - runner_up) / 0.05) if score > runner_up else 0.0
        return _result(text, off.statute, off, _WORDS_ONLY * score * (0.5 + 0.5 * margin))
    return _result(text, None, None, _NOTHING if words else 0.0)
