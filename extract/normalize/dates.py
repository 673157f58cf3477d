"""Dates as typed on Massachusetts records -> ISO `YYYY-MM-DD`.

Numeric forms are read month first (US); a four-digit first group is year-month-day. Two-digit
years take their century from context (see `_century`): a DOB makes the person 10-100 years old
at `before` (10-125 today when the record gives no date); an event date falls after `after` (the
DOB) and not after `before` (default today). With no deciding context the 1900s win, since the
archive is mostly 1950-1999.
"""

from __future__ import annotations

import datetime as dt
import re
from types import MappingProxyType

from rapidfuzz import fuzz, process

from .result import TO_DIGIT, TO_LETTER, Normalized, fail, good

_FULL = ("JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER",
         "OCTOBER", "NOVEMBER", "DECEMBER")
_MONTH = MappingProxyType({**{m: i for i, m in enumerate(_FULL, 1)},
                           **{m[:3]: i for i, m in enumerate(_FULL, 1)}, "SEPT": 9})
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# A digit position as OCR may have read it: O/o for 0, l/I/i/| for 1, S for 5, B for 8, Z for 2.
_DG = r"[0-9OolIi|SBZ]"
_NUMERIC = re.compile(
    rf"(?<![0-9A-Za-z])({_DG}{{1,4}})\s?([/\-.])\s?({_DG}{{1,2}})\s?([/\-.])\s?({_DG}{{2,4}})(?![0-9A-Za-z])")
_CLEAN = re.compile(r"\s*(\d{1,2})([/\-.])(\d{1,2})\2(\d\d|\d{4})\s*")
_SPACED = re.compile(r"\s*(\d{1,2})\s+(\d{1,2})\s+(\d\d|\d{4})\s*")
_COMPACT = re.compile(rf"(?<![0-9A-Za-z])({_DG}{{6}}|{_DG}{{8}})(?![0-9A-Za-z])")
# A month word ends in a letter (MAR14 is MAR + 14), or in one OCR'd digit (FE8, APRI1).
_WORD = r"([A-Za-z0-9]{2,9}[A-Za-z]|[A-Za-z]{2,8}[0-9])\.?"
_SEP = r"\s*[-\s.,/]?\s*"
_DAY_MON_YEAR = re.compile(rf"(?<![0-9A-Za-z])({_DG}{{1,2}})(?:ST|ND|RD|TH|st|nd|rd|th)?{_SEP}"
                           rf"(?:(?:DAY|day|Day)\s+(?:OF|of|Of)\s+)?{_WORD},?{_SEP}({_DG}{{2,4}})(?![0-9A-Za-z])")
_MON_DAY_YEAR = re.compile(rf"(?<![A-Za-z0-9]){_WORD}{_SEP}({_DG}{{1,2}})(?:ST|ND|RD|TH|st|nd|rd|th)?"
                           rf"\s*[-\s.,/]\s*({_DG}{{2,4}})(?![0-9A-Za-z])")
# `/` typed then read as `l`, `I` or `|` between digits: `03l14l52` (fallback only: `19l2` is 1912).
_LETTERS = re.compile(r"[A-Za-z]{2}|[A-Za-z]\d[A-Za-z]")
_SLASH_AS_ONE = re.compile(r"(?<=\d)[lI|](?=\d)")

_MON = (r"(?:JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?"
        r"|SEP(?:T(?:EMBER)?)?|[O0]CT(?:OBER)?|N[O0]V(?:EMBER)?|DEC(?:EMBER)?)\.?")
_FIND = re.compile(
    rf"""(?<![0-9A-Za-z/$])(?:
      {_DG}{{1,2}}\s?[/\-.]\s?{_DG}{{1,2}}\s?[/\-.]\s?{_DG}{{2,4}}
    | \d{{4}}-\d{{1,2}}-\d{{1,2}}
    | {_DG}{{1,2}}(?:ST|ND|RD|TH)?[\s\-]*{_MON}[\s\-,]*{_DG}{{2,4}}
    | {_MON}\s*{_DG}{{1,2}}(?:ST|ND|RD|TH)?,?[\s\-,]+{_DG}{{2,4}}
    )(?![0-9A-Za-z/])""", re.X | re.I)


def normalize_date(text: str, *, before: dt.date | None = None, after: dt.date | None = None,
                   role: str | None = None, era: int | None = None) -> Normalized[str]:
    """`03/14/52`, `14-MAR-52`, `MAR. l4, 1952`, `1952-03-14`, `031452` ... -> `1952-03-14`.

    `era`: a year the page prints in full (a register's `AUGUST 2000`); a two-digit year that
    context leaves to either century takes the one nearer it (`8-19-00` on that page is 2000)."""
    r = _normalize(text, before, after, role)
    if era is not None and r.ok and _ASSUMED in r.note:
        y, rest = int(r.value[:4]), r.value[4:]
        alt = y + 100
        if abs(alt - era) < abs(y - era) and alt <= era + 10 and _valid(alt, int(rest[1:3]), int(rest[4:6])) \
                and dt.date(alt, int(rest[1:3]), int(rest[4:6])) <= (before or dt.date.today()):
            r = good(f"{alt:04d}{rest}", r.certainty, r.note.replace(_ASSUMED, "century from the page"))
    return r


_ASSUMED = "century assumed 19xx"


def _normalize(text: str, before: dt.date | None, after: dt.date | None, role: str | None) -> Normalized[str]:
    if not text or not text.strip():
        return fail("empty")
    m = _CLEAN.fullmatch(text)
    if m:  # the common clean case, no search needed
        return _build(int(m[4]), len(m[4]), int(m[1]), int(m[3]), 1.0, "", role, before, after, True)
    r = _numeric(text, role, before, after)
    if r is None and _has_letters(text):
        r = _named(text, role, before, after)
    if r is None:
        m = _SPACED.fullmatch(text)
        if m:
            r = _build(int(m[3]), len(m[3]), int(m[1]), int(m[2]), 0.8, "no separators", role, before, after, True)
    if r is None:
        r = _compact(text, role, before, after)
    if r is None and _SLASH_AS_ONE.search(text):
        r = _numeric(_SLASH_AS_ONE.sub("/", text), role, before, after)
        if r is not None and r.ok:
            r = good(r.value, r.certainty * 0.8, _join(r.note, "slash read as 1"))
    return r if r is not None else fail("no date")


def find_dates(text: str) -> list[tuple[int, int]]:
    """Spans of substrings that read as a valid date (bare 6/8-digit runs are left out)."""
    out, pos = [], 0
    while (m := _FIND.search(text, pos)) is not None:
        s = m.group()
        if sum(c.isdigit() for c in s) >= 2 and _plausible_span(s) and normalize_date(s).ok:
            out.append(m.span())
            pos = m.end()
        else:
            pos = m.start() + 1  # a rejected reading may hide a date that starts inside it
    return out


_PARTS = re.compile(r"[A-Za-z0-9|]+")


def _plausible_span(s: str) -> bool:
    """Column gaps and lone letters are not parts of a date: `B.  12-19` is a label and a date."""
    if "   " in s:
        return False
    for part in _PARTS.findall(s):
        if not any(c.isdigit() for c in part) and part.upper().rstrip(".") not in _MONTH \
                and not re.fullmatch(r"(?:ST|ND|RD|TH|[O0]CT|N[O0]V)", part.upper()):
            # A number read with lookalikes still has a real digit (`l4`); a word has none.
            if len(part) < 3 or not process.extractOne(part.upper(), _FULL, scorer=fuzz.ratio, score_cutoff=70):
                return False
    return True


def _has_letters(text: str) -> bool:
    return _LETTERS.search(text) is not None


def _digits(s: str) -> tuple[int, int]:
    """Read an OCR'd number; return (value, repairs)."""
    fixed = s.translate(TO_DIGIT)
    return int(fixed), sum(a != b for a, b in zip(s, fixed))


def _numeric(text: str, role, before, after) -> Normalized[str] | None:
    first_fail = None
    for m in _NUMERIC.finditer(text):
        a, s1, b, s2, c = m.groups()
        if sum(ch.isdigit() for ch in a + b + c) < 2:
            continue
        (va, ra), (vb, rb), (vc, rc) = _digits(a), _digits(b), _digits(c)
        cert = 1.0 - 0.1 * (ra + rb + rc) - (0.05 if s1 != s2 else 0.0)
        note = "ocr repaired" if ra + rb + rc else ""
        if len(a) == 4:
            if len(c) > 2:
                continue
            r = _build(va, 4, vb, vc, cert, note, role, before, after, False)
        elif len(a) == 3 or len(c) == 3:
            continue
        else:
            r = _build(vc, len(c), va, vb, cert, note, role, before, after, True)
        if r.ok:
            return r
        first_fail = first_fail or r
    return first_fail


def _month(word: str) -> tuple[int, float]:
    """Month number and certainty for a possibly damaged month word; (0, 0) if none."""
    w = word.upper().translate(TO_LETTER)
    if w in _MONTH:
        return _MONTH[w], (1.0 if w == word.upper() else 0.9)
    if "1" in word:  # 1 may stand for L as well as I (JU1, APRI1)
        w2 = word.upper().replace("1", "L").translate(TO_LETTER)
        if w2 in _MONTH:
            return _MONTH[w2], 0.85
    if len(w) >= 4:
        if w[:3] in _MONTH and _FULL[_MONTH[w[:3]] - 1].startswith(w):
            return _MONTH[w[:3]], 0.95  # truncated: DECEM, JANU
        hit = process.extractOne(w, _FULL, scorer=fuzz.ratio, score_cutoff=75)
        if hit:
            return hit[2] + 1, 0.55 + 0.4 * (hit[1] - 75) / 25
    return 0, 0.0


def _named(text: str, role, before, after) -> Normalized[str] | None:
    first_fail = None
    for rx, dmy in ((_DAY_MON_YEAR, True), (_MON_DAY_YEAR, False)):
        for m in rx.finditer(text):
            day_s, word, year_s = (m[1], m[2], m[3]) if dmy else (m[2], m[1], m[3])
            if sum(ch.isalpha() for ch in word) < 2 or len(year_s) == 3 or not any(ch.isdigit() for ch in year_s):
                continue
            if dmy and m.end(1) == m.start(2) and len(day_s) == 1 and _month(day_s + word)[0]:
                continue  # `September`, `5eptember` are not day S/5 + month `eptember`
            mon, mc = _month(word)
            if not mon:
                continue
            (vd, rd), (vy, ry) = _digits(day_s), _digits(year_s)
            cert = mc - 0.1 * (rd + ry)
            note = _join("ocr repaired" if rd + ry else "", "month read fuzzily" if mc < 1 else "")
            r = _build(vy, len(year_s), mon, vd, cert, note, role, before, after, False)
            if r.ok:
                return r
            first_fail = first_fail or r
    return first_fail


def _compact(text: str, role, before, after) -> Normalized[str] | None:
    """`031452` / `03141952` / `19520314`: only when exactly one reading is a valid date."""
    nums = _COMPACT.findall(text)
    if len(nums) != 1 or sum(ch.isdigit() for ch in nums[0]) < 4:
        return None
    s = nums[0].translate(TO_DIGIT)
    rep = sum(a != b for a, b in zip(nums[0], s))
    if len(s) == 6:
        readings = [(int(s[4:]), 2, int(s[:2]), int(s[2:4])), (int(s[:2]), 2, int(s[2:4]), int(s[4:]))]
    else:
        readings = [(int(s[4:]), 4, int(s[:2]), int(s[2:4])), (int(s[:4]), 4, int(s[4:6]), int(s[6:]))]
    hits = {r.value: r for y, n, mo, d in readings
            if (r := _build(y, n, mo, d, 0.8 - 0.1 * rep, "compact digits", role, before, after, False)).ok}
    if len(hits) != 1:
        return fail("ambiguous compact date") if hits else None
    return next(iter(hits.values()))


def _valid(y: int, m: int, d: int) -> bool:
    if not (1 <= m <= 12 and 1 <= d <= _DAYS[m - 1]):
        return False
    return m != 2 or d < 29 or (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))


def _build(y: int, ylen: int, m: int, d: int, cert: float, note: str, role, before, after,
           may_swap: bool) -> Normalized[str]:
    if not (1 <= m <= 12) and may_swap and 1 <= d <= 12:
        m, d = d, m  # day-first (13/03/52): valid only one way round, so not ambiguous
        cert *= 0.6
        note = _join(note, "day/month swapped")
    if not _valid(2000 if ylen == 2 else y, m, d):
        return fail(f"invalid month/day {m}/{d}")
    if ylen == 2:
        if not (_valid(1900 + y, m, d) or _valid(2000 + y, m, d)):
            return fail("invalid date")  # Feb 29 of a year that is not leap in either century
        y, c, n = _century(y, m, d, role, before, after)
        cert *= c
        note = _join(note, n)
    else:
        if not 1850 <= y <= dt.date.today().year + 1:
            return fail(f"implausible year {y}")
        if not _valid(y, m, d):
            return fail("invalid date")
        c, n = _check(dt.date(y, m, d), role, before, after)
        cert *= c
        note = _join(note, n)
    return good(f"{y:04d}-{m:02d}-{d:02d}", cert, note)


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _century(yy: int, m: int, d: int, role, before, after) -> tuple[int, float, str]:
    """Pick 19yy or 20yy. Returns (year, certainty factor, note)."""
    today = dt.date.today()
    cands = [(1900 + yy, dt.date(1900 + yy, m, d) if _valid(1900 + yy, m, d) else None),
             (2000 + yy, dt.date(2000 + yy, m, d) if _valid(2000 + yy, m, d) else None)]
    cands = [(y, x) for y, x in cands if x is not None]  # Feb 29 exists in one century only
    if role == "dob":
        ref = before or today
        # Without the record's own date, today is the reference: someone on a record decades old
        # may be well over 100 now, and no one on it is a small child today.
        oldest = 100 if before else 125
        fits = [y for y, x in cands if 10 <= _age(x, ref) <= oldest]
        if len(fits) == 1:
            return fits[0], (1.0 if before else 0.9), ""
        if fits:   # 21 or 121 today: the living age wins
            return next(y for y, x in cands if _age(x, ref) <= 100), 0.8, "century ambiguous"
        past = [(max(10 - _age(x, ref), _age(x, ref) - oldest), y) for y, x in cands if x <= ref]
        return (min(past)[1] if past else cands[0][0]), 0.6, "implausible age"
    upper = before or today
    fits = [y for y, x in cands if x <= upper and (after is None or x > after)]
    if len(fits) == 1:
        return fits[0], 1.0, ""
    if fits:  # both centuries possible: the archive's era decides
        return fits[0], 0.9, _ASSUMED
    return cands[0][0], 0.3, "conflicts with context"


def _check(x: dt.date, role, before, after) -> tuple[float, str]:
    """Context check for a four-digit-year date: the value stands, certainty drops."""
    if role == "dob":
        if before and not 10 <= _age(x, before) <= 100:
            return 0.6, "age outside 10-100"
        return (0.5, "dob in the future") if x > dt.date.today() else (1.0, "")
    if x > (before or dt.date.today()):
        return 0.5, "date in the future"
    if after and x <= after:
        return 0.5, "before the date of birth"
    return 1.0, ""


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a and b else a or b
