"""The result every normalizer returns, and the OCR helpers they share.

`certainty` says how unambiguous the reading was: 1.0 a clean parse, lower for each OCR repair,
fuzzy match or guess, 0.0 a failure (then `value` is None, except for sentences, whose value is
always the full dict).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Normalized(Generic[T]):
    value: T | None
    ok: bool
    certainty: float
    note: str = ""


def good(value: T, certainty: float = 1.0, note: str = "") -> Normalized[T]:
    return Normalized(value, True, round(min(1.0, max(0.05, certainty)), 3), note)


def fail(note: str, value: T | None = None) -> Normalized[T]:
    return Normalized(value, False, 0.0, note)


# Typewriter glyphs OCR reads as letters where a digit belongs ...
TO_DIGIT = str.maketrans({"O": "0", "o": "0", "Q": "0", "D": "0", "l": "1", "I": "1", "i": "1",
                          "|": "1", "L": "1", "!": "1", "S": "5", "s": "5", "B": "8", "Z": "2",
                          "z": "2", "G": "6", "b": "6", "g": "9", "q": "9"})
DIGIT_LOOKALIKES = "OoQDlIi|L!SsBZzGbgq"
# ... and digits read where a letter belongs (1 is usually I; names try L too).
TO_LETTER = str.maketrans({"0": "O", "1": "I", "|": "I", "5": "S", "8": "B", "2": "Z", "6": "G",
                           "4": "A", "7": "T", "$": "S"})


# -- word-level helpers for the keyword normalizers (dispositions, events, places) ------------
_INNER_DOT = re.compile(r"(?<=[A-Z0-9])[.'’`](?=[A-Z0-9])|(?<=[A-Z])/(?=[A-Z])")
_TOKEN = re.compile(r"[A-Z0-9|$]+")
# A lower-case l inside a capitals word is an I or an L misread (GUlLTY); title case is left alone.
_CAPS_L = re.compile(r"(?<=[A-Z])l(?=[A-Z])|(?<=[A-Z]{2})l\b|\bl(?=[A-Z]{2})")


def words(text: str) -> list[str]:
    """Upper-case words with inner dots, apostrophes and slashes dropped: N.G. -> NG, W/O -> WO."""
    return _TOKEN.findall(_INNER_DOT.sub("", _CAPS_L.sub("|", text).upper()))


def canon(word: str, vocab: frozenset[str], fuzzy: tuple[str, ...], cutoff: int = 80) -> tuple[str, float]:
    """The vocabulary word an OCR'd word stands for, and how sure: digits read back as letters,
    then a fuzzy match for words of 4+ letters. Unknown words come back unchanged (certainty 1)."""
    if word in vocab:
        return word, 1.0
    if any(c.isdigit() or c in "|$" for c in word):
        for w in (word.translate(TO_LETTER), word.replace("1", "L").replace("|", "L").translate(TO_LETTER)):
            if w in vocab:
                return w, 0.9
        word = word.translate(TO_LETTER)
    if len(word) >= 4 and fuzzy:
        hit = process.extractOne(word, fuzzy, scorer=fuzz.ratio, score_cutoff=cutoff)
        if hit:
            return hit[0], 0.5 + 0.45 * (hit[1] - cutoff) / (100 - cutoff)
    return word, 1.0


def find_phrases(toks: list[str], table: dict[tuple[str, ...], str], longest: int) -> list[tuple[int, int, str]]:
    """(position, length, label) of each phrase of `table` in `toks`, longest match first at
    each position, left to right, without overlaps."""
    out, i, n = [], 0, len(toks)
    while i < n:
        for k in range(min(longest, n - i), 0, -1):
            label = table.get(tuple(toks[i:i + k]))
            if label is not None:
                out.append((i, k, label))
                i += k
                break
        else:
            i += 1
    return out
