"""Text clean-up shared by all engines: NFKC and the typewriter O/0, l/1 confusions.

PP-OCR's models are trained on a Chinese alphabet: they emit full-width punctuation (NFKC
folds it) and read a round O as 0 inside words. Only characters whose neighbours settle the
question are changed: a 0 between letters is an O, an O between digits is a 0.
"""

from __future__ import annotations

import re
import unicodedata

_LETTER_ZERO = re.compile(r"(?<=[A-Za-z])0(?=[A-Za-z])")
_DIGIT_LETTER = re.compile(r"(?<=\d)[OoQD](?=\d)|(?<=\d)[Il|](?=\d)")
# A word of letters whose only digits are zeros ("0F", "0'BRIEN", "C0URT") is a word.
_WORDLIKE = re.compile(r"^[A-Za-z0'&-]*[A-Za-z][A-Za-z0'&-]*[.,:;]?$")
# A number, date or time whose only letters are O and l/I ("l952", "O3/14/52") is a number.
_NUMBERLIKE = re.compile(r"^[\dOolI]*\d[\dOolI]*([/.:-][\dOolI]+)*[.,;]?$")
_TO_DIGITS = str.maketrans("OolI", "0011")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-"})


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.split())


def fix_confusions(word: str) -> str:
    """Resolve O/0 and l/1 inside one word where its neighbours make the reading certain."""
    if not (any(c.isdigit() for c in word) and any(c.isalpha() for c in word)):
        return word
    if _WORDLIKE.match(word):
        return word.replace("0", "O")
    if _NUMBERLIKE.match(word) and sum(c.isdigit() for c in word) >= 2:
        return word.translate(_TO_DIGITS)
    word = _LETTER_ZERO.sub("O", word)
    word = _DIGIT_LETTER.sub(lambda m: "0" if m.group() in "OoQD" else "1", word)
    return word


# Scripts no Massachusetts record is typed in: the Chinese-alphabet recogniser reads specks and
# fingerprint ridges as CJK characters.
_FOREIGN = re.compile(r"[\u0370-\u1dff\u1f00-\u1fff\u2e80-\u9fff\ua000-\ud7ff\uf900-\ufaff]")


def clean_word(text: str) -> str:
    """The word as the page has it, or "" for a word in a script the records are not written in."""
    words = [w for w in normalize(text).split() if not _FOREIGN.search(w)]
    return " ".join(fix_confusions(w) for w in words)
