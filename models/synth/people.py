"""Synthetic people and the noisy ways records name them.

A `Person` is the truth (names, DOB, SID, demographics); `render_name` / `render_dob` / `render_sid`
give what one record says, with the errors real archives carry. Each applied error is reported by
a short tag so tests and the linkage evaluation can count them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from .names import (FEMALE_FIRST, MALE_FIRST, MIDDLE_INITIALS, NICKNAMES, SURNAMES_HEAD, tail_surnames,
                    zipf_cum_weights)


@dataclass(frozen=True, slots=True)
class NoiseRates:
    """How often each kind of error appears, per record (unless said otherwise). Defaults are meant
    to look like decades of mixed paper, fiche and electronic records after review."""

    nickname: float = 0.06           # JOHN recorded as JACK, WILLIAM as BILL (when the name has one)
    first_initial: float = 0.02      # J. instead of JOHN
    middle_missing: float = 0.15     # middle initial left off (people who have one)
    compound_split: float = 0.35     # DOS-SANTOS as DOS SANTOS, DOSSANTOS or DOS (compound surnames only)
    married_women: float = 0.30      # share of women whose surname changes by marriage mid-course
    married_maiden_still: float = 0.15  # after marriage, records that still use the maiden name
    typo: float = 0.025              # a dropped, doubled or transposed letter in the name
    ocr: float = 0.03                # OCR confusions (RN/M, CL/D, O/0, I/1 ...) on fiche records only
    dob_error: float = 0.03          # day/month swapped, one digit wrong, or year off by one
    dob_missing: float = 0.04        # DOB not on the record (courts and older records: see records.py)
    sid_typo: float = 0.004          # one digit of the SID wrong
    sid_missing_scale: float = 1.0   # scales the per-agency, per-era SID-missing shares (records.py)
    demographics_scale: float = 1.0  # scales the per-agency shares of records carrying demographics
    race_inconsistent: float = 0.06  # race recorded differently from the person's usual entry
    gender_error: float = 0.004      # the wrong sex on the record


GENDERS = ("M", "F")
RACES = ("WHITE", "BLACK", "ASIAN", "AMERICAN INDIAN", "OTHER")
_RACE_CUM = (62.0, 90.0, 95.5, 96.5, 100.0)
HISPANIC_SHARE = 0.22
_OCR = (("RN", "M"), ("M", "RN"), ("CL", "D"), ("O", "0"), ("I", "1"), ("S", "5"), ("E", "F"),
        ("B", "8"), ("LI", "U"), ("C", "G"), ("H", "N"))


@dataclass(frozen=True, slots=True)
class NameTables:
    surnames: tuple[str, ...]
    surname_cum: tuple[float, ...]
    male: tuple[str, ...]
    male_cum: tuple[float, ...]
    female: tuple[str, ...]
    female_cum: tuple[float, ...]
    middle_cum: tuple[float, ...]


@lru_cache(maxsize=1)
def name_tables() -> NameTables:
    """Head surnames carry ~55% of people (Zipf), the syllable tail the rest, thinly spread."""
    tail = tail_surnames()
    head_cum = zipf_cum_weights(len(SURNAMES_HEAD), s=1.0, shift=4.0)
    head_total = head_cum[-1]
    tail_cum = zipf_cum_weights(len(tail), s=0.6, shift=50.0)
    scale = head_total * (0.45 / 0.55) / tail_cum[-1]
    cum = list(head_cum) + [head_total + c * scale for c in tail_cum]
    return NameTables(tuple(SURNAMES_HEAD) + tail, tuple(cum),
                      tuple(MALE_FIRST), tuple(zipf_cum_weights(len(MALE_FIRST), 0.9, 6.0)),
                      tuple(FEMALE_FIRST), tuple(zipf_cum_weights(len(FEMALE_FIRST), 0.9, 6.0)),
                      tuple(zipf_cum_weights(len(MIDDLE_INITIALS), 0.7, 2.0)))


@dataclass(slots=True)
class Person:
    index: int
    person_id: str
    gender: str
    last: str
    first: str
    middle: str            # one letter, or ""
    dob: date
    race: str
    hispanic: bool
    sid: str
    pcf: str
    married_last: str = ""  # the married surname, from `married_on`
    married_on: int = 0     # date ordinal
    county: str = ""        # home county: most cases are heard there
    nicknames: tuple[str, ...] = field(default=())


def make_person(rng: random.Random, t: NameTables, index: int, dob: date, county: str, seed: int,
                rates: NoiseRates) -> Person:
    gender = "M" if rng.random() < 0.82 else "F"
    last = rng.choices(t.surnames, cum_weights=t.surname_cum)[0]
    if rng.random() < 0.03 and "-" not in last:  # a double surname (Hispanic, married, Haitian)
        last = f"{last}-{rng.choices(t.surnames, cum_weights=t.surname_cum)[0]}"
    if gender == "M":
        first = rng.choices(t.male, cum_weights=t.male_cum)[0]
    else:
        first = rng.choices(t.female, cum_weights=t.female_cum)[0]
    middle = rng.choices(MIDDLE_INITIALS, cum_weights=t.middle_cum)[0] if rng.random() < 0.8 else ""
    race = rng.choices(RACES, cum_weights=_RACE_CUM)[0]
    # SID and PCF: distinct per person by construction (an affine bijection of the index mod 10^7).
    off = (seed * 7_654_321) % 10_000_000
    sid = f"MA{(index * 7_919 + off) % 10_000_000:07d}"
    pcf = f"{(index * 4_099 + off * 3 + 1_000_003) % 10_000_000:07d}"
    return Person(index=index, person_id=f"P{index:07d}", gender=gender, last=last, first=first,
                  middle=middle, dob=dob, race=race, hispanic=rng.random() < HISPANIC_SHARE, sid=sid,
                  pcf=pcf, county=county, nicknames=NICKNAMES.get(first, ()))


def marry(rng: random.Random, t: NameTables, p: Person, on: int) -> None:
    p.married_last = rng.choices(t.surnames, cum_weights=t.surname_cum)[0]
    p.married_on = on


def _typo(rng: random.Random, s: str) -> str:
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s) - 1)
    k = rng.random()
    if k < 0.35:
        return s[:i] + s[i + 1:]                      # dropped
    if k < 0.65:
        return s[:i] + s[i] + s[i:]                   # doubled
    return s[:i - 1] + s[i] + s[i - 1] + s[i + 1:]    # transposed


def _ocr(rng: random.Random, s: str) -> str:
    hits = [(a, b) for a, b in _OCR if a in s]
    if not hits:
        return s
    a, b = rng.choice(hits)
    i = s.find(a)
    return s[:i] + b + s[i + len(a):]


def _split_compound(rng: random.Random, last: str) -> str:
    k = rng.random()
    if "-" in last:
        a, _, b = last.partition("-")
        return f"{a} {b}" if k < 0.4 else (a + b if k < 0.7 else a)
    if last.startswith("ST. "):
        return "ST " + last[4:] if k < 0.5 else "ST" + last[4:]
    if last.startswith(("O'", "D'")) or "'" in last:
        return last.replace("'", "") if k < 0.6 else last.replace("'", " ")
    if last.startswith("MC"):
        return "MC " + last[2:]
    if last.startswith("MAC"):
        return "MC" + last[3:]
    return last


def is_compound(last: str) -> bool:
    return "-" in last or "'" in last or last.startswith(("ST. ", "MC", "MAC", "VAN "))


def render_name(rng: random.Random, p: Person, day: int, r: NoiseRates, ocr_prone: bool,
                tags: list[str]) -> str:
    """The name as one record gives it, "LAST, FIRST M"; each error applied is added to `tags`."""
    last = p.last
    if p.married_on and day >= p.married_on and rng.random() >= r.married_maiden_still:
        last = p.married_last if rng.random() < 0.85 else f"{p.last}-{p.married_last}"
        tags.append("married")
    first = p.first
    x = rng.random()
    if p.nicknames and x < r.nickname:
        first = rng.choice(p.nicknames)
        tags.append("nickname")
    elif x > 1.0 - r.first_initial:
        first = first[0]
        tags.append("initial")
    middle = p.middle
    if middle and rng.random() < r.middle_missing:
        middle = ""
        tags.append("middle_missing")
    if rng.random() < r.compound_split and is_compound(last):
        split = _split_compound(rng, last)
        if split != last:
            last = split
            tags.append("compound")
    if rng.random() < r.typo:
        if rng.random() < 0.6:
            last = _typo(rng, last)
        else:
            first = _typo(rng, first)
        tags.append("typo")
    if ocr_prone and rng.random() < r.ocr:
        last = _ocr(rng, last)
        tags.append("ocr")
    return f"{last}, {first} {middle}" if middle else f"{last}, {first}"


def render_dob(rng: random.Random, dob: date, r: NoiseRates, missing: float, tags: list[str]) -> date | None:
    x = rng.random()
    if x < missing:
        tags.append("dob_missing")
        return None
    if x < missing + r.dob_error:
        tags.append("dob_error")
        k = rng.random()
        try:
            if k < 0.35 and dob.day <= 12 and dob.day != dob.month:
                return date(dob.year, dob.day, dob.month)
            if k < 0.6:
                return date(dob.year + rng.choice((-1, 1)), dob.month, dob.day)
            if k < 0.8:  # one digit of the day wrong
                return date(dob.year, dob.month, min(28, max(1, dob.day + rng.choice((-1, 1, 10, -10)))))
            return date(dob.year - dob.year % 10 + rng.randrange(10), dob.month, dob.day)  # last year digit
        except ValueError:
            return dob.replace(day=min(dob.day, 28), year=dob.year + 1)
    return dob


def render_sid(rng: random.Random, sid: str, r: NoiseRates, missing: float, tags: list[str]) -> str | None:
    x = rng.random()
    if x < missing:
        tags.append("sid_missing")
        return None
    if x < missing + r.sid_typo:
        tags.append("sid_typo")
        i = rng.randrange(2, len(sid))
        d = str((int(sid[i]) + rng.randrange(1, 10)) % 10)
        return sid[:i] + d + sid[i + 1:]
    return sid
