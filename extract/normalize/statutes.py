"""Massachusetts General Laws citations, in whatever form a record prints them, to `chapter/section`.

`C265 S13A`, `c. 265, § 13A`, `G.L. c.90 s.24(1)(a)(1)`, `GL 265 15A`, `265/13A`, `266-30` and OCR-damaged
readings (`c265 $13A`, `C265 5 l3A`, `c2 65 S13A`: `O`/`0`, `l`/`I`/`1`, `§` read as `S`, `$`, `5`
or `8`, spaces lost or added) all become one canonical form, `90/24(1)(a)(1)`: chapter and
section letters upper case, subsection letters lower case.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_CHAPTER = 282      # the General Laws run to chapter 282
MAX_SECTION = 410      # the longest chapters stop near §410 (c110A §409)
MIN_BARE_CHAPTER = 13  # a bare `3/14` or `12-25` is far likelier a date or range than a citation

# Digits OCR reads as letters. Trailing `O`/`I` are left to _readings: 90 §7O and 265 §13I exist.
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_CH = r"[0-9OoIl|]{1,3}"                               # checked for a real digit afterwards
_CH_SPACED = r"[0-9OoIl|](?:\s?[0-9OoIl|]){1,2}"       # `c2 65`: OCR split the number
# A section starts with a digit or a 1-look-alike (`§lOI` is 101); it never starts with 0.
_SEC = r"(?:[OoIl|]*[0-9])+[ol|]*|[Il|][OoIl|]{0,2}(?=[A-Z]{0,2}(?![A-Za-z]))"
# 94C, 90B; S is the section mark (`C265S13A`), and a mark may follow with no space (`c94CS32A`).
_CH_LETTER = (r"[A-RT-Za-rt-z](?![A-Za-z0-9])|[A-RT-Za-rt-z](?=[Ss]\.?\s?[0-9OIl|]|[58][0-9OIl|])"
              r"|\s[A-RT-Z](?=\s{0,2}(?:§|\$|[Ss](?![A-Za-z])|[Ss]\.|[58](?=[0-9OIl|]))\s?[0-9OIl|])")
# `13 A` (a space inside the section) but not a trailing felony marker (`c264 §2 F`, `c90 §8 M-`)
# nor the next section mark.
_SEC_LETTERS = r"[A-Za-z]{1,4}(?![A-Za-z])|\s[A-EG-RT-Z](?=$|[\s(,.;)])|\sF(?=\()"
_HALF = r"(?:½|\s?1/2(?![0-9/])|\s½)"
_SUB = r"\(\s?(?:[0-9A-Za-z|]{1,4}(?:½|\s?cent|¢)?|½)\s?\)"
_SUBS = rf"(?:\s?{_SUB})*"
_SECTION_MARK = r"§§?|\$|(?i:sec(?:tion)?s?\.?|ss?\.?)"


def _marked(chapter: str) -> re.Pattern:
    """Chapter mark, chapter, section (mark): `G.L. c. 90, § 24(1)(a)(1)`, `CH. 266 SEC. 30`."""
    return re.compile(
        rf"""
        (?P<prefix>(?i:(?:m\.?\s?)?g\.?\s?l\.?)\s*,?\s*)?   # G.L. / M.G.L. / MGL
        (?P<cm>(?i:c(?:\s?h(?:ap(?:ter)?)?)?)(?:\s?\.)?)\s*  # c, c., ch, Ch ., chap, chapter
        (?P<ch>{chapter})(?P<chl>{_CH_LETTER})?
        (?P<sep>\s*[,.]?\s*)
        (?P<mark>{_SECTION_MARK}|[58](?=\s)|/)?\s*
        (?P<sec>{_SEC})(?P<secl>{_SEC_LETTERS})?(?P<half>{_HALF})?
        (?P<dec>\.[0-9]{{1,2}}(?![0-9]))?
        (?P<subs>{_SUBS})""",
        re.VERBOSE,
    )


_MARKED = _marked(_CH)
_MARKED_SPACED = _marked(_CH_SPACED)
# `c948303J`, `c9 4 569`: when the greedy 3-digit chapter fails, a shorter one may be right.
_MARKED_SHORTER = {
    _MARKED: (_marked(r"[0-9OoIl|]{2}"), _marked(r"[0-9OoIl|]")),
    _MARKED_SPACED: (_marked(r"[0-9OoIl|]\s?[0-9OoIl|]"),),
}

# No chapter mark, but a section mark: `265 § 15A(b)`, `94C SEC 32A`.
_BARE_MARKED = re.compile(
    rf"""(?<![A-Za-z0-9$#.,/\-])
    (?P<ch>[1-9][0-9]{{0,2}})(?P<chl>[A-Z])?\s*
    (?P<mark>§§?|(?i:sec(?:tion)?\.?))\s*
    (?P<sec>{_SEC})(?P<secl>{_SEC_LETTERS})?(?P<half>{_HALF})?(?P<dec>)
    (?P<subs>{_SUBS})""",
    re.VERBOSE,
)

# Neither mark: `265/13A`, `266-30`, also an offence code's head (`265/13A/B`). Strictest form.
_BARE = re.compile(
    rf"""(?<![A-Za-z0-9$#.,:/\-])
    (?P<ch>[1-9][0-9]{{0,2}})(?P<chl>[A-Z])?
    (?P<mark>[/-])
    (?P<sec>[1-9][0-9]{{0,2}})(?P<secl>[A-Z]{{1,3}}(?![A-Za-z]))?(?P<half>)(?P<dec>)
    (?P<subs>{_SUBS})
    (?![0-9]|[/-][0-9])                                    # not a date 3/14/52 or phone 555-1234
    (?!\s*(?i:yrs?|years?|mos?|months?|days?|dys|hrs?|hours?|wks?|weeks?|%|x\b|lbs?|oz|[ap]\.?m\b))""",
    re.VERBOSE,
)

# A G.L. marker, then chapter and section with no c/§ marks: `GL 265 15A`, `MGL 90 24`,
# `G.L. 265/13A`. Plain number pairs stay rejected: only the marker makes this a citation.
_GL_BARE = re.compile(
    rf"""(?<![A-Za-z0-9])(?i:(?:m\.?\s?)?g\.?\s?l)(?![A-Za-z0-9])\.?\s*,?\s*
    (?P<ch>[1-9][0-9Oo]{{0,2}})(?P<chl>[A-RT-Z](?![A-Za-z0-9]))?
    (?P<mark>\s*(?:[,/-]|§§?|\$|(?i:sec(?:tion)?\.?|s\.?))\s*|\s+)
    (?P<sec>{_SEC})(?P<secl>{_SEC_LETTERS})?(?P<half>{_HALF})?(?P<dec>)
    (?P<subs>{_SUBS})
    (?![0-9]|[/-][0-9])
    (?!\s*(?i:yrs?|years?|mos?|months?|days?|dys|hrs?|hours?|wks?|weeks?|%|x\b|lbs?|oz|[ap]\.?m\b))""",
    re.VERBOSE,
)

# `c266 §33(2) & §30(1)`: a further section of the same chapter.
_MORE = re.compile(
    rf"""\s*(?:&|and|AND|or|OR|,)\s*(?:§§?|(?i:sec\.?|s\.))\s*
    (?P<sec>{_SEC})(?P<secl>[A-Za-z]{{1,3}}(?![A-Za-z]))?(?P<half>{_HALF})?(?P<subs>{_SUBS})""",
    re.VERBOSE,
)

_SUB_ONE = re.compile(_SUB)
# `c266 §12 7`: the rest of a section OCR split off; joined only when the table knows the result.
_SPLIT_REST = re.compile(rf"\s(?P<sec>[0-9OoIl|]{{1,2}})(?P<secl>[A-Z]{{0,2}})(?![A-Za-z0-9])(?P<subs>{_SUBS})")


@dataclass(frozen=True)
class Citation:
    chapter: str
    section: str
    subsections: tuple[str, ...]
    start: int
    end: int

    @property
    def statute(self) -> str:
        """Chapter/section only, e.g. `90/24`."""
        return f"{self.chapter}/{self.section}"

    @property
    def canonical(self) -> str:
        """Chapter/section with subsections, e.g. `90/24(1)(a)(1)`."""
        return self.statute + "".join(f"({s})" for s in self.subsections)


def _digits(raw: str) -> str:
    return re.sub(r"\s", "", raw).translate(_OCR_DIGITS)


def _subsections(raw: str) -> tuple[str, ...]:
    out = []
    for m in _SUB_ONE.finditer(raw):
        s = re.sub(r"\s?(?:cent|¢)$", "½", m.group(0)[1:-1].strip())  # tables OCR'd ½ as "cent"
        out.append("1" if s in {"l", "|"} else s.lower())             # (1)(a)(l): a misread 1
    return tuple(out)


def _with_letters(digits: str, letters: str) -> list[str]:
    """`1O`, `6OO`, `1OJ`: each leading O/I may be a misread 0/1 or a real section letter
    (90 §7O, 265 §13I); `known` decides, else the likelier reading comes first."""
    letters = letters.strip()
    literal = digits + letters.upper()
    misread = []
    i = 0
    while i < len(letters) and letters[i] in "OI":
        i += 1
        misread.insert(0, digits + letters[:i].translate(_OCR_DIGITS) + letters[i:].upper())
    # Sections ending in 0 are common and in a letter O rare; letter I sections (13I, 24I, 9I)
    # are common enough that the printed letter is the likelier reading.
    return misread + [literal] if letters[:1] == "O" else [literal] + misread


def _plausible(chapter: str, section: str) -> bool:
    ch, sec = re.match(r"[0-9]+", chapter), re.match(r"[0-9]+", section)
    if not ch or not sec or ch.group(0)[0] == "0" or sec.group(0)[0] == "0":
        return False
    return int(ch.group(0)) <= MAX_CHAPTER and int(sec.group(0)) <= MAX_SECTION


def _readings(m: re.Match, strip_mark: bool) -> list[tuple[str, str]]:
    """The chapter/section readings of one match, likeliest first (OCR leaves some ambiguous)."""
    ch, chl, secl = m.group("ch"), m.group("chl") or "", m.group("secl") or ""
    if not chl and len(ch) > 1 and ch[-1] in "OI":
        ch, chl = ch[:-1], ch[-1]  # `c21O`, `c21I`: a chapter letter, or a misread 210/211
    chapters = _with_letters(_digits(ch), chl)
    sections = _with_letters(_digits(m.group("sec")), secl)
    if secl[:1].isspace():
        sections.append(_digits(m.group("sec")))  # `c265 §40 N`: the N may be the next word
    if strip_mark:
        # No section mark before a 5 or 8: most likely a § the OCR read as a digit.
        sections = [s[1:] for s in sections] + sections
    return [(c, s) for c in chapters for s in sections if _plausible(c, s)]


def _acceptable(m: re.Match, text: str) -> bool:
    """Whether a match is strong enough to call a citation, beyond what its pattern checks."""
    groups = m.groupdict()
    mark, sec = groups["mark"], groups["sec"]
    if "cm" not in groups:  # bare forms
        return not (mark in {"/", "-"} and not groups["chl"] and int(groups["ch"]) < MIN_BARE_CHAPTER)
    if not re.search(r"[0-9]", groups["ch"]) and groups["ch"][:1] not in "Il|":
        return False  # `cIII` may be 111; `COIL` is no chapter
    explicit = bool(mark) and mark != "/" and mark.strip() not in {"5", "8"}
    before = text[m.start() - 1] if m.start() > 0 else " "
    glued = groups["cm"] == "c" and (before.isupper() or before.isdigit() and explicit)
    if before.isalnum() and not (groups["prefix"] and not before.isdigit() or explicit and before.isalpha() or glued):
        # `INJURYc265 513K`, `$250c266 s37B` lost a space (the case change shows it);
        # `ABC12 5` and a docket's `8412CR0` are no citations.
        return False
    # Without a mark only `c265 513A` (a § read as 5 or 8) counts; `C 5 12` on its own is too weak.
    return bool(mark) or (sec[:1] in "58" and (len(sec) > 1 or (groups["secl"] or "")[:1] in {"O", "I"}))


def _from_match(m: re.Match, text: str, known: Callable[[str], bool] | None) -> Citation | None:
    cit = _citation(m, text, known)
    if cit is None:
        for shorter in _MARKED_SHORTER.get(m.re, ()):
            if (again := shorter.match(text, m.start())) and (cit := _citation(again, text, known)):
                break
    return cit


def _citation(m: re.Match, text: str, known: Callable[[str], bool] | None) -> Citation | None:
    if not _acceptable(m, text):
        return None
    sec, letters = m.group("sec"), m.group("secl") or ""
    readings = _readings(m, not m.group("mark") and sec[:1] in "58" and (len(sec) > 1 or letters[:1] in {"O", "I"}))
    if not readings:
        return None
    chapter, section = next((r for r in readings if known and known(f"{r[0]}/{r[1]}")), readings[0])
    end, subs = m.end(), m.group("subs") or ""
    if known and not known(f"{chapter}/{section}") and not (subs or m.group("half") or m.group("dec")):
        rest = _SPLIT_REST.match(text, end)
        joined = rest and next((r for r in readings if r[1].isdigit() and known(
            f"{r[0]}/{r[1]}{_digits(rest['sec'])}{rest['secl']}")), None)
        if joined:
            chapter, section = joined[0], f"{joined[1]}{_digits(rest['sec'])}{rest['secl']}"
            end, subs = rest.end(), rest["subs"]
    section += ("½" if m.group("half") else "") + (m.group("dec") or "")
    return Citation(chapter, section, _subsections(subs), m.start(), end)


def find_citations(text: str, known: Callable[[str], bool] | None = None) -> list[Citation]:
    """Every citation in `text`, in order, with its character span.

    `known`, when given, says whether a `chapter/section` exists (e.g. the offence table); it only
    settles readings OCR leaves ambiguous (`§1O` is 10 or 1O; `c265 513A` is §13A or §513A).
    """
    found: list[Citation] = []
    # Strictest first; a looser pattern only reads what no stricter one did.
    for pattern in (_MARKED, _MARKED_SPACED, _GL_BARE, _BARE_MARKED, _BARE):
        for m in pattern.finditer(text):
            if any(c.start < m.end() and m.start() < c.end for c in found):
                continue
            cit = _from_match(m, text, known)
            # A real digit somewhere: lookalikes alone spell words (`DECISION` is not c.1 §10N).
            if cit is not None and any(ch.isdigit() for ch in text[cit.start:cit.end]) and not _date_like(text, cit):
                found.append(cit)
                found.extend(_continuations(text, cit))
    return sorted(found, key=lambda c: c.start)


def _date_like(text: str, cit: Citation) -> bool:
    """`D.C. 5/28/69`: a month and day with a year after them are a date, not c. 5 § 28."""
    if "/" not in text[cit.start:cit.end] or not re.match(r"/(?:\d{2}|\d{4})(?!\d)", text[cit.end:]):
        return False
    return cit.chapter.isdigit() and cit.section.isdigit() and 1 <= int(cit.chapter) <= 12 and 1 <= int(cit.section) <= 31


def _continuations(text: str, first: Citation) -> list[Citation]:
    out = []
    pos = first.end
    while (m := _MORE.match(text, pos)) is not None:
        section = _digits(m.group("sec")) + (m.group("secl") or "").upper() + ("½" if m.group("half") else "")
        if not _plausible(first.chapter, section):
            break
        out.append(Citation(first.chapter, section, _subsections(m.group("subs") or ""), m.start("sec"), m.end()))
        pos = m.end()
    return out


def parse_citation(text: str, known: Callable[[str], bool] | None = None) -> Citation | None:
    """The first citation in `text` (records print the governing section first), or None."""
    found = find_citations(text, known)
    return found[0] if found else None
