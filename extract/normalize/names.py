"""Personal names -> `LAST[ SUFFIX], FIRST[ M]` in upper case.

`HALL, ARTHUR EDWARD`, `ARTHUR E. HALL`, `Hall Arthur E` all become `HALL, ARTHUR E`: one given
name, the first middle name cut to its initial, suffixes (JR SR II III IV) after the surname.
Surname particles stay as words (`DE LA CRUZ`, `ST. PIERRE`); MC/MAC join the next word
(`MC DONALD` -> `MCDONALD`), a lone O/D at the start of a surname takes an apostrophe.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from .result import Normalized, fail, good


def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    d = json.loads(Path(__file__).with_name("names_data.json").read_text())
    return frozenset(d["given"]), frozenset(d["surname_too"])


# NELSON, THOMAS: given names that are common surnames too (_BOTH) break ties in name order.
_GIVEN, _BOTH = _name_lists()


def given_names() -> frozenset[str]:
    """The given-name list (upper case), for finding unlabelled names in text."""
    return _GIVEN
_SUFFIX = MappingProxyType({"JR": "JR", "JNR": "JR", "SR": "SR", "SNR": "SR", "II": "II", "2ND": "II", "III": "III",
           "3RD": "III", "IV": "IV", "4TH": "IV"})
_PARTICLES = frozenset({"DE", "DA", "DI", "DO", "DOS", "DAS", "DEL", "DELLA", "DELLE", "DES", "DU",
                        "LA", "LE", "LO", "VAN", "VON", "DER", "DEN", "TER", "ST.", "SAN", "SANTA",
                        "BIN", "BEN", "AL", "EL", "ABU"})
_VOWELS = frozenset("AEIOUY")
_DIGIT_AS_LETTER = MappingProxyType({"0": "O", "5": "S", "8": "B", "6": "G", "4": "A", "7": "T", "2": "Z", "$": "S"})

_DIGIT_TABLE = str.maketrans(dict(_DIGIT_AS_LETTER))
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|\([^)]*\)?|\[[^\]]*\]?")
_LEAD = re.compile(r"^\s*(?:COMM(?:ONWEALTH|\.)?\s+)?(?:VS?\.?|VERSUS)\s+|^\s*(?:NAME|DEFT|DEFENDANT|"
                   r"SUBJECT|INMATE)\s*[:.\-]?\s+", re.I)
_TAIL = re.compile(r"\s*[,;]?\s*\b(?:A\s*/\s*K\s*/\s*A|A\.\s?K\.\s?A\.?|AKA|ALIAS|F/?K/?A)\b.*$", re.I)
_DEFT = re.compile(r"[,\s]*\b(?:DEFT|DEFENDANT)\b\.?", re.I)
_APOS = re.compile(r"[’‘`´]")
_HYPHEN = re.compile(r"\s*-\s*")
_ODSPACE = re.compile(r"(?<![A-Z])([OD])'\s+")
# A lower-case l inside a capitals word is an OCR'd I or L (ORTlZ); resolved like a 1 below.
_CAPS_L = re.compile(r"(?<=[A-Z])l(?=[A-Z])|(?<=[A-Z]{2})l\b|\bl(?=[A-Z]{2})")
_JUNK = re.compile(r"[^A-Z0-9|$'\-. ]")

Order = Literal["last_first", "first_last"]


def format_name(last: str, first: str, middle: str = "", suffix: str = "") -> str:
    """The canonical printed form, for writers of truth data."""
    sur = f"{last} {suffix}".strip().upper()
    giv = f"{first} {middle[:1]}".strip().upper()
    return f"{sur}, {giv}" if giv else sur


def normalize_name(text: str, order_hint: Order | None = None) -> Normalized[str]:
    if not text or not text.strip():
        return fail("empty")
    mixed = any(c.islower() for c in text)
    s = _QUOTED.sub(" ", _APOS.sub("'", _CAPS_L.sub("|", text)))
    s = _TAIL.sub("", _LEAD.sub("", s))
    s = _DEFT.sub(" ", s).upper()
    s = _ODSPACE.sub(r"\1'", _HYPHEN.sub("-", s))
    parts = [p.split() for p in re.split(r"\s*[,;]\s*", s)]
    parts = [[t for t in (_clean(w) for w in p) if t] for p in parts]
    parts = [p for p in parts if p]
    if len(parts) == 1 and len(parts[0]) >= 3 and parts[0][0].endswith(".") and parts[0][0] != "ST.":
        parts = [parts[0][:1], parts[0][1:]]  # `HALL. ARTHUR E`: the comma read as a period
    suffix, repairs = "", 0
    for p in parts:
        for i in range(len(p) - 1, -1, -1):
            key = p[i].rstrip(".")
            if key in _SUFFIX and (len(p) > 1 or len(parts) > 1) and not suffix:
                suffix = _SUFFIX[key]
                del p[i]
    fixed = []
    for p in parts:
        toks = []
        for t in p:
            t2, n = _repair(t)
            if t2 is None:
                repairs += 1  # a number where a name belongs (SID, age): dropped
                continue
            repairs += n
            toks.append(t2)
        if toks:
            fixed.append(_join_prefixes(toks))
    parts = fixed
    cert = 1.0
    note = ""
    if len(parts) >= 2:
        surname, given = parts[0], [t for p in parts[1:] for t in p]
    elif parts and len(parts[0]) >= 2:
        toks = parts[0]
        order, cert, note = (order_hint, 1.0, "") if order_hint else _guess_order(toks, mixed)
        surname, given = _split(toks, order)
    else:
        return fail("not a full name")
    given = [g.rstrip(".") for g in given if g.rstrip(".")]
    if not surname or not given:
        return fail("not a full name")
    first = given[0]
    middle = given[1][0] if len(given) > 1 else ""
    last = " ".join(surname).rstrip(".") if surname[-1] != "ST." else " ".join(surname)
    if not re.search(r"[A-Z]{2}", last) and len(last.replace(".", "")) < 2:
        return fail("surname is an initial")
    if repairs:
        cert -= 0.1 * repairs
        note = f"{note}; ocr repaired" if note else "ocr repaired"
    return good(format_name(last, first, middle, suffix), cert, note)


def _clean(w: str) -> str:
    w = _JUNK.sub("", w).strip("-'")
    if w in ("ST", "ST.", "STE", "STE."):
        return w if w.endswith(".") else w + "."
    if w.endswith(".") and len(w) > 2:  # `ST.` handled above; `E.` keeps its dot until the split
        w = w.rstrip(".")
    return w.replace(".", "") if len(w) > 2 else w


def _repair(t: str) -> tuple[str | None, int]:
    """Digits OCR put inside a name back to letters; None for a token that is a number."""
    digits = sum(c.isdigit() for c in t)
    if not digits and "|" not in t and "$" not in t:
        return t, 0
    if digits * 2 > len(t) and len(t) >= 2:
        return None, 0
    out = []
    for i, c in enumerate(t):
        if c in "1|":
            prev = t[i - 1] if i else ""
            out.append("L" if prev in _VOWELS else "I")  # HA1L -> HALL, W1LSON -> WILSON
        else:
            out.append(_DIGIT_AS_LETTER.get(c, c))
    r = "".join(out)
    if ("1" in t or "|" in t) and r not in _GIVEN:
        alt = t.replace("1", "I").replace("|", "I").translate(_DIGIT_TABLE)
        alt2 = t.replace("1", "L").replace("|", "L").translate(_DIGIT_TABLE)
        r = alt if alt in _GIVEN else alt2 if alt2 in _GIVEN else r
    return r, sum(a != b for a, b in zip(t, r))


def _join_prefixes(toks: list[str]) -> list[str]:
    """MC DONALD -> MCDONALD; ST. PIERRE stays two words; O BRIEN -> O'BRIEN at a surname start."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if t in ("MC", "MAC") and nxt and len(nxt) > 1:
            out.append(t + nxt)
            i += 2
            continue
        if t in ("O", "D") and i == 0 and len(nxt) > 1 and len(toks) > 2:
            out.append(f"{t}'{nxt}")
            i += 2
            continue
        out.append(t)
        i += 1
    return out


def _initial(t: str) -> bool:
    return len(t.rstrip(".")) == 1


def _guess_order(toks: list[str], mixed: bool) -> tuple[Order, float, str]:
    n = len(toks)
    if n >= 3 and _initial(toks[-1]) and not _initial(toks[1]):
        return "last_first", 0.9, ""          # HALL ARTHUR E
    if n >= 3 and any(_initial(t) for t in toks[1:-1]):
        return "first_last", 0.95, ""         # ARTHUR E. HALL
    if _initial(toks[0]):
        return "first_last", 0.9, ""          # J. EDGAR HOOVER
    fl_first = toks[0].rstrip(".") in _GIVEN
    lf_first = _split(toks, "last_first")[1][:1]
    lf_given = bool(lf_first) and lf_first[0].rstrip(".") in _GIVEN
    if fl_first and not lf_given:
        return "first_last", 0.8, "order from given names"
    if lf_given and not fl_first:
        return "last_first", 0.8, "order from given names"
    if fl_first and lf_given and n == 2:
        a, b = toks[0] in _BOTH, toks[1] in _BOTH
        if a != b:  # NELSON DAVID: the word that is also a surname is the surname
            return ("last_first" if a else "first_last"), 0.65, "order from surname-like given name"
    return "first_last", (0.6 if mixed else 0.5), "order guessed"


def _split(toks: list[str], order: Order) -> tuple[list[str], list[str]]:
    n = len(toks)
    if order == "last_first":
        i = 0
        while (i < n - 2 and toks[i] in _PARTICLES and toks[i + 1] not in _GIVEN) or (toks[i] == "ST." and i < n - 2):
            i += 1
        return toks[:i + 1], toks[i + 1:]
    j = n - 1
    while j - 1 >= 1 and toks[j - 1] in _PARTICLES:
        j -= 1
    return toks[j:], toks[:j]
