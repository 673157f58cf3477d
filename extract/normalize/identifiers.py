"""Record identifiers as printed: upper case, spaces removed, hyphens kept, OCR confusions repaired
where the kind's pattern demands a digit or a letter.

Shapes accepted (D = digit):
  docket         YY + 2-4 digit court code + case type (CR CV AC ...) + 1-7 digits (8412CR001234;
                 a zero-padded serial not six digits long, certainty 0.6);
                 county code + CR + YY or YYYY-NNNNN (Superior: SUCR1984-00123, FRCR91-2167);
                 YY-NNNN (older, certainty 0.7); bare 3-7 D (old serials, certainty 0.5)
  sid            MA + 6-8 D; 5-8 D; DD-DDDD(DD)
  commitment_no  W/F/M/C + 3-6 D, an optional hyphen after the letter (W12345, F1234; W not
                 followed by five digits, F by four or five, certainty 0.6);
                 bare 4-6 D (older, certainty 0.7)
  booking_no     YY-NNNNN; YY-NNN-AR (arrest numbers); one or two letters + 5-9 D (B8412345); 5-10 D
  pcf            5-8 D
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Literal

from .result import TO_DIGIT, Normalized, fail, good

Kind = Literal["sid", "docket", "commitment_no", "booking_no", "pcf"]

_D = "[0-9OoQDlIi|LSsBZzGb]"  # a digit, or a letter OCR reads for one
_CASE_TYPES = ("CR", "CV", "AC", "JV", "DL", "YO", "YC", "MV", "SC", "RO", "CI", "SP", "CW")
# Superior Court county codes (SU Suffolk, FR Franklin, HD Hampden, HS Hampshire ...) and the SJC's.
_SUPERIOR = tuple(c + "CR" for c in ("SU", "SJ", "BA", "BE", "BR", "DU", "ES", "FR", "HD", "HS",
                                     "MI", "NA", "NO", "PL", "WO"))
# Letters of a closed code list as OCR may read them (W typed, VV read).
_LETTER_OCR = MappingProxyType({"C": "[C(]", "R": "R", "V": "[VY]", "A": "[A4]", "J": "J", "D": "[D0O]",
                                "L": "[L1l|I]", "Y": "[YV]", "O": "[O0Q]", "M": "M", "S": "[S5$]",
                                "I": "[I1l|]", "P": "P", "W": "(?:W|VV)", "F": "[FE]", "B": "[B8]",
                                "E": "[EF]", "U": "[UV]", "H": "H", "N": "N"})


def _alt(words) -> str:
    return "(" + "|".join("".join(_LETTER_OCR.get(c, c) for c in w) for w in words) + ")"


def _shape(*parts) -> tuple[re.Pattern[str], tuple]:
    """Build a shape from parts: ('D', lo, hi) digits, ('-',) optional hyphen, ('=-',) required
    hyphen, ('W', words) one of a closed list of letter codes, ('A', lo, hi) free letters."""
    rx, kinds = [], []
    for p in parts:
        if p[0] == "D":
            rx.append(f"({_D}{{{p[1]},{p[2]}}}{'?' if len(p) > 3 else ''})")
        elif p[0] in ("-", "=-"):
            rx.append("(-?)" if p[0] == "-" else "(-)")
        elif p[0] == "W":
            rx.append(_alt(p[1]))
        else:
            rx.append(f"([A-Z]{{{p[1]},{p[2]}}})")
        kinds.append(p[1] if p[0] == "W" else p[0])
    return re.compile("".join(rx)), tuple(kinds)


# Per kind: (shape, certainty of a clean match), most specific first.
_SHAPES = MappingProxyType({
    "docket": (
        (_shape(("D", 2, 2), ("D", 2, 4, "lazy"), ("-",), ("W", _CASE_TYPES), ("-",), ("D", 1, 7)), 1.0),
        (_shape(("W", _SUPERIOR), ("-",), ("D", 4, 4), ("-",), ("D", 3, 6)), 1.0),
        (_shape(("W", _SUPERIOR), ("-",), ("D", 2, 2), ("-",), ("D", 3, 6)), 1.0),
        (_shape(("D", 2, 2), ("=-",), ("D", 2, 4), ("=-",), ("D", 4, 6)), 0.8),  # 88-04-004757: the case type left out
        (_shape(("D", 2, 2), ("=-",), ("D", 3, 6)), 0.7),
        (_shape(("D", 3, 7),), 0.5),
    ),
    "sid": (
        (_shape(("W", ("MA",)), ("-",), ("D", 6, 8)), 1.0),
        (_shape(("D", 2, 2), ("=-",), ("D", 4, 6)), 1.0),
        (_shape(("D", 5, 8),), 1.0),
    ),
    "commitment_no": (
        (_shape(("W", ("W", "F", "M", "C")), ("-",), ("D", 3, 6)), 1.0),
        (_shape(("D", 4, 6),), 0.7),
    ),
    "booking_no": (
        (_shape(("D", 2, 2), ("=-",), ("D", 3, 6)), 1.0),
        (_shape(("D", 2, 2), ("=-",), ("D", 3, 6), ("-",), ("W", ("AR",))), 1.0),
        (_shape(("A", 1, 2), ("-",), ("D", 5, 9)), 1.0),
        (_shape(("D", 5, 10),), 0.9),
    ),
    "pcf": (
        (_shape(("D", 5, 8),), 1.0),
        (_shape(("D", 2, 4), ("=-",), ("D", 3, 6)), 0.8),
    ),
})
_LABEL = re.compile(r"^(?:(?:DOCKET|CASE|SID|S\.I\.D\.|PCF|P\.C\.F\.|COMMITMENT|COMMIT|COMM|BOOKING|BOOK|"
                    r"NUMBER|NUM|NO|#)\b\.?\s*[:#.]?\s*)+")
_STRIP = re.compile(r"[\s.,;:_'\"]+")


def normalize_identifier(text: str, kind: Kind) -> Normalized[str]:
    if kind not in _SHAPES:
        raise ValueError(f"unknown identifier kind {kind!r}")
    if not text or not text.strip():
        return fail("empty")
    s = _LABEL.sub("", text.strip().upper()) if text[:1].isalpha() or text[:1] == "#" else text.strip().upper()
    s = _STRIP.sub("", s).strip("-")
    if not s:
        return fail("empty")
    best: tuple[int, str, float] | None = None
    for (rx, kinds), base in _SHAPES[kind]:
        m = rx.fullmatch(s)
        if not m:
            continue
        if not any(c.isdigit() for g, k in zip(m.groups(), kinds) if k == "D" for c in g):
            continue  # no real digit at all: a word (SOLID), not a number OCR damaged
        out, repairs = [], 0
        for g, k in zip(m.groups(), kinds):
            fixed = g if k in ("-", "=-", "A") else g.translate(TO_DIGIT) if k == "D" else _word(g, k)
            repairs += sum(a != b for a, b in zip(g, fixed)) + abs(len(g) - len(fixed))
            out.append(fixed)
        if best is None or repairs < best[0]:
            best = (repairs, "".join(out), base)
        if repairs == 0:
            break
    if best is None:
        return fail(f"not a {kind}")
    repairs, value, base = best
    if _odd_width(value, kind):
        base = min(base, 0.6)
    return good(value, base - 0.1 * repairs, "ocr repaired" if repairs else "")


_PADDED_DOCKET = re.compile(r"\d{4,6}-?[A-Z]{2}-?(0\d*)")
_COMMITMENT = re.compile(r"([WFMC])-?(\d+)")


def _odd_width(value: str, kind: str) -> bool:
    """A number of the usual form with a digit too many or too few, as when OCR drops one: MA
    dockets pad their serial to six digits (8412CR001234), DOC commitment numbers are W and five
    digits (W12345), F and four or five."""
    if kind == "docket" and (m := _PADDED_DOCKET.fullmatch(value)):
        return len(m.group(1)) != 6
    if kind == "commitment_no" and (m := _COMMITMENT.fullmatch(value)):
        return len(m.group(2)) not in ((5,) if m.group(1) == "W" else (4, 5))
    return False


def _word(g: str, words: tuple[str, ...]) -> str:
    """The code from the closed list that this OCR reading stands for."""
    for w in words:
        if re.fullmatch(_alt((w,)), g):
            return w
    return g
