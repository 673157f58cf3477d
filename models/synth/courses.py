"""Life courses: a person's cases from arrest to release, parole and probation, as dated events.

A course is a run of cases. Each case is an arrest and booking, an arraignment in the court the
person's age, the county and the charges call for, a disposition, and for those found guilty a
sentence that plays out: state prison with parole hearings, grants and revocations; a House of
Correction term; probation with violations. The next arrest comes after release, with gaps that
shrink for people with many cases. Days are date ordinals (ints) throughout, for speed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date

from . import places as P
from .offences import Offence, OffenceTable

START = date(1950, 1, 1).toordinal()
END = date(2025, 6, 30).toordinal()
YEAR = 365.25


@dataclass(frozen=True, slots=True)
class CourseShape:
    """The shape of careers: calibrated so the state averages ~36.7 events per person."""

    cases_mu: float = 2.31       # log-normal number of cases: median e^mu (about 36.6 records a person: the state's 17.3 M / 472,000)
    cases_sigma: float = 1.45     # heavy tail: a few people with dozens of cases
    max_cases: int = 120
    gap_days: float = 700.0       # mean days from one case's end to the next arrest
    superior_share: float = 0.14  # share of felony cases indicted in the Superior Court


@dataclass(slots=True)
class ChargeOutcome:
    offence: Offence
    disposition: str | None = None
    sentence: dict | None = None
    sentence_text: str = ""


@dataclass(slots=True)
class Case:
    no: int
    county: str
    agency: str        # the Trial Court department
    court: str
    docket: str
    arrest_day: int
    charges: list[ChargeOutcome] = field(default_factory=list)
    rendered: dict[int, list[dict]] = field(default_factory=dict)  # charges as records print them


@dataclass(slots=True)
class Event:
    kind: str
    day: int
    agency: str
    county: str
    case: Case | None
    facility: str | None = None
    commitment_no: str | None = None
    related_day: int | None = None   # the admission day on a release, the arrest day on a booking


@dataclass(slots=True)
class Counters:
    """Serial numbers (dockets per printed prefix, commitments) for one chunk of people. Chunks
    interleave: chunk c of n hands out c, c+n, c+2n ... so chunks are independent yet never collide."""

    stride: int = 1
    offset: int = 0
    dockets: dict[str, int] = field(default_factory=dict)  # per printed prefix (year, court code)
    commitments: dict[str, int] = field(default_factory=dict)

    def docket_serial(self, prefix: str) -> int:
        n = self.dockets.get(prefix, 0)
        self.dockets[prefix] = n + 1
        return n * self.stride + self.offset + 1

    def commitment(self, letter: str) -> str:
        n = self.commitments.get(letter, 0)
        self.commitments[letter] = n + 1
        return f"{letter}{10000 + n * self.stride + self.offset}"


_DISPOSITIONS = ("guilty", "cwof", "dismissed", "nolle_prosequi", "not_guilty", "filed")
_DISPO_CUM = {"district": (45, 62, 82, 85, 90, 100), "superior": (62, 62, 70, 88, 96, 100),
              "juvenile": (40, 70, 88, 91, 95, 100)}


def _iso(months: int = 0, days: int = 0) -> str:
    if days:
        return f"P{days}D"
    y, m = divmod(months, 12)
    return "P" + (f"{y}Y" if y else "") + (f"{m}M" if m else "") if months else "P0D"


def _say(months: int) -> str:
    y, m = divmod(months, 12)
    if not m:
        return f"{y} YR" + ("S" if y > 1 else "")
    return f"{y} YRS {m} MOS" if y else f"{m} MOS"


def _sentence(rng: random.Random, kind: str, o: Offence, disposition: str) -> tuple[dict, str, int, int]:
    """A sentence for one charge: (value, text, days to serve now, days of probation)."""
    s = {"type": "probation", "min": None, "max": None, "to_serve": None, "probation": None,
         "suspended": False, "concurrent": False, "from_and_after": False, "fine": None, "life": False}
    if disposition == "cwof":
        m = rng.choice((6, 6, 9, 12, 12, 18))
        s.update(type="cwof", probation=_iso(m))
        return s, f"CWOF {_say(m)}", 0, int(m * 30.4)
    x = rng.random()
    if kind == "superior" and o.level == "felony" and x < 0.6:
        if o.statute == "265/1" and x < 0.4:
            s.update(type="state_prison", life=True, max="P99Y")
            return s, "LIFE MCI", 0, 0
        lo = rng.choice((2, 2, 3, 3, 4, 5, 6, 8, 10, 12, 15))
        hi = lo + rng.choice((1, 1, 2, 2, 3, 5))
        s.update(type="state_prison", min=_iso(lo * 12), max=_iso(hi * 12))
        return s, f"NOT LESS THAN {lo} NOR MORE THAN {hi} YRS STATE PRISON", int(lo * YEAR), 0
    if kind == "juvenile":
        m = rng.choice((6, 12, 12, 18, 24))
        s.update(probation=_iso(m))
        return s, f"PROBATION {_say(m)}", 0, int(m * 30.4)
    if x < 0.22:  # committed HOC term, served in full
        m = rng.choice((1, 2, 3, 3, 6, 6, 6, 9, 12, 12, 18, 24, 30))
        s.update(type="hoc", max=_iso(m), to_serve=_iso(m))
        return s, f"{_say(m)} HOC", int(m * 30.4), 0
    if x < 0.32:  # split: some to serve, balance suspended with probation
        m = rng.choice((12, 18, 24, 30))
        t = rng.choice((3, 6, 6, 9, 12))
        p = rng.choice((12, 24))
        s.update(type="hoc", max=_iso(m), to_serve=_iso(t), probation=_iso(p), suspended=True)
        return s, f"{_say(m)} HOC, {_say(t)} TO SERVE, BAL SUSP {_say(p)}", int(t * 30.4), int(p * 30.4)
    if x < 0.47:  # suspended HOC term with probation
        m = rng.choice((3, 6, 6, 12, 12, 18, 24))
        p = rng.choice((6, 12, 12, 24))
        s.update(type="suspended", max=_iso(m), probation=_iso(p), suspended=True)
        return s, f"{_say(m)} HOC SUSP {_say(p)}", 0, int(p * 30.4)
    if x < 0.82:
        m = rng.choice((6, 6, 12, 12, 12, 18, 24, 36))
        s.update(probation=_iso(m))
        return s, f"PROBATION {_say(m)}", 0, int(m * 30.4)
    fine = rng.choice((50, 100, 100, 150, 250, 250, 500, 1000))
    s.update(type="fine", fine=fine)
    return s, f"FINE ${fine}", 0, 0


@dataclass(frozen=True, slots=True)
class Tables:
    offences: OffenceTable
    county_cum: tuple[float, ...]
    shape: CourseShape


def make_tables(offences: OffenceTable, shape: CourseShape) -> Tables:
    cum, t = [], 0.0
    for w in P.COUNTY_WEIGHTS.values():
        t += w
        cum.append(t)
    return Tables(offences, tuple(cum), shape)


def _court(rng: random.Random, county: str, year: int, age: float, felony: bool,
           shape: CourseShape) -> tuple[str, str, str]:
    """(kind, agency, court name) for a case."""
    juvenile_age = 18 if year >= 2013 else 17
    if age < juvenile_age:
        if year >= P.JUVENILE_COURT_FROM:
            return "juvenile", P.JUVENILE, f"{county.upper()} JUVENILE COURT"
        seat = rng.choice(P.DISTRICT_SEATS[county])
        return "juvenile", P.DISTRICT, f"{seat} DISTRICT COURT"
    if felony and rng.random() < shape.superior_share:
        return "superior", P.SUPERIOR, f"{county.upper()} SUPERIOR COURT"
    if county == "Suffolk" and rng.random() < 0.8:
        seat = rng.choice(P.BOSTON_SEATS)
        if seat == "CENTRAL":
            return "district", P.BMC, "BOSTON MUNICIPAL COURT"
        if year >= P.BMC_DIVISIONS_FROM:
            return "district", P.BMC, f"BMC {seat}"
        return "district", P.DISTRICT, f"{seat} DISTRICT COURT"
    return "district", P.DISTRICT, f"{rng.choice(P.DISTRICT_SEATS[county])} DISTRICT COURT"


def _docket(kind: str, county: str, court: str, year: int, counters: Counters) -> str:
    if kind == "superior":
        prefix = f"{P.SUPERIOR_CODES[county]}CR{year}-"
        return f"{prefix}{counters.docket_serial(prefix):05d}"
    code = 10 + (sum(map(ord, court)) % 89)  # a stable two-digit court code (courts may share one)
    prefix = f"{year % 100:02d}{code:02d}{'JV' if kind == 'juvenile' else 'CR'}"
    # serials count per printed prefix: two courts with one code never hand out the same docket
    return f"{prefix}{counters.docket_serial(prefix):06d}"


def number_of_cases(rng: random.Random, shape: CourseShape) -> int:
    return max(1, min(shape.max_cases, int(math.exp(rng.gauss(shape.cases_mu, shape.cases_sigma)) + 0.5)))


def first_arrest(rng: random.Random) -> tuple[int, float]:
    """(day of first arrest, age then): more people in later decades, most first arrested young."""
    year = 1950 + int(75 * math.sqrt(rng.random()) ** 0.8)
    day = date(min(year, 2024), 1, 1).toordinal() + rng.randrange(365)
    age = 14.0 + min(55.0, rng.gammavariate(1.5, 6.5))
    return day, age


def life_course(rng: random.Random, t: Tables, home: str, dob_day: int, first_day: int, gender: str,
                counters: Counters) -> list[Event]:
    """Every event of one person's course, in no particular order (records sort them out)."""
    shape = t.shape
    events: list[Event] = []
    day = first_day
    n_cases = number_of_cases(rng, shape)
    probation_until = 0
    for no in range(n_cases):
        if day > END or (day - dob_day) / YEAR > 78:
            break
        year = date.fromordinal(day).year
        age = (day - dob_day) / YEAR
        county = home if rng.random() < 0.8 else rng.choices(P.COUNTIES, cum_weights=t.county_cum)[0]
        pool, cum = t.offences.pool(year)
        n_ch = 1
        while n_ch < 6 and rng.random() < 0.42:
            n_ch += 1
        offences = rng.choices(pool, cum_weights=cum, k=n_ch)
        felony = any(o.level == "felony" for o in offences)
        kind, court_agency, court = _court(rng, county, year, age, felony, shape)
        case = Case(no, county, court_agency, court, _docket(kind, county, court, year, counters), day,
                    [ChargeOutcome(o) for o in offences])
        sheriff = P.SHERIFFS.get(county)
        if day < probation_until and rng.random() < 0.6:  # a new arrest while on probation
            events.append(Event("probation_violation", day + rng.randrange(7, 60), P.PROBATION, county, case))
        if rng.random() < 0.9:
            events.append(Event("arrest", day, P.DCJIS, county, case))
        booked = day + (rng.random() < 0.3)
        if rng.random() < 0.8:
            events.append(Event("booking", booked, P.STATE_POLICE, county, case, related_day=day))
        arraigned = booked + (rng.randrange(0, 4) if kind != "superior" else rng.randrange(30, 200))
        events.append(Event("arraignment", arraigned, court_agency, county, case))
        disposed = arraigned + int(rng.gammavariate(2.0, 60 if kind != "superior" else 180)) + 1
        if kind != "juvenile" and sheriff and rng.random() < (0.35 if kind == "superior" else 0.07):
            held_until = min(disposed, arraigned + rng.randrange(3, 400))
            events.append(Event("admission", arraigned, sheriff, county, case, P.jail_name(county)))
            events.append(Event("release", held_until, sheriff, county, case, P.jail_name(county),
                                related_day=arraigned))
        cum_d = _DISPO_CUM[kind]
        lead = rng.choices(_DISPOSITIONS, cum_weights=cum_d)[0]
        if lead == "cwof" and (year < 1972 or kind == "superior"):
            lead = "guilty"
        for i, ch in enumerate(case.charges):
            ch.disposition = lead if i == 0 or rng.random() < 0.5 else rng.choice(("dismissed", "filed", lead))
        events.append(Event("disposition", disposed, court_agency, county, case))
        free_day = disposed
        sentenced = [ch for ch in case.charges if ch.disposition in ("guilty", "cwof")]
        if sentenced:
            when = disposed + (rng.randrange(0, 60) if kind == "superior" else 0)
            serve, prob = 0, 0
            for i, ch in enumerate(sentenced):
                ch.sentence, ch.sentence_text, s_days, p_days = _sentence(rng, kind, ch.offence, ch.disposition)
                if i and ch.sentence["type"] in ("hoc", "state_prison"):
                    if rng.random() < 0.8:
                        ch.sentence["concurrent"] = True
                    else:
                        ch.sentence["from_and_after"] = True
                        serve += s_days
                serve, prob = max(serve, s_days), max(prob, p_days)
            events.append(Event("sentencing", when, court_agency, county, case))
            main = max(sentenced, key=lambda c: (c.sentence["type"] == "state_prison", c.sentence["life"]))
            if main.sentence["type"] == "state_prison":
                free_day = _prison(rng, events, case, when, serve, main.sentence["life"], gender, counters)
            elif serve:
                free_day = when + max(1, int(serve * rng.uniform(0.55, 0.95)))
                if sheriff:
                    events.append(Event("admission", when, sheriff, county, case, P.hoc_name(county)))
                    events.append(Event("release", free_day, sheriff, county, case, P.hoc_name(county),
                                        related_day=when))
            if prob:
                start = free_day if serve else when
                probation_until = start + prob
                events.append(Event("probation_start", start, P.PROBATION, county, case))
                if rng.random() < 0.3:
                    v = start + rng.randrange(30, max(31, prob))
                    events.append(Event("probation_violation", v, P.PROBATION, county, case))
                    if main.sentence["suspended"] and rng.random() < 0.5 and sheriff:
                        back = v + rng.randrange(7, 45)
                        free_day = back + rng.randrange(30, 365)
                        events.append(Event("admission", back, sheriff, county, case, P.hoc_name(county)))
                        events.append(Event("release", free_day, sheriff, county, case, P.hoc_name(county),
                                            related_day=back))
        # Careers speed up: the more cases so far, the sooner the next one.
        gap = rng.expovariate(1.0 / (shape.gap_days / (1.0 + 0.04 * no)))
        day = free_day + 14 + int(gap)
    return [e for e in events if e.day <= END]


def _prison(rng: random.Random, events: list[Event], case: Case, when: int, min_days: int, life: bool,
            gender: str, counters: Counters) -> int:
    """A state-prison commitment: admission, parole hearings until granted, release, maybe a
    revocation and return. Returns the day the person is out for good."""
    year = date.fromordinal(when).year
    facs = P.doc_facilities(year, women=gender == "F") or P.doc_facilities(year, women=False)
    fac = rng.choice(facs)
    cno = counters.commitment("F" if gender == "F" else "W")
    events.append(Event("admission", when, P.DOC, fac.county, case, fac.name, cno))
    eligible = when + (int(15 * YEAR) if life else int(min_days * rng.uniform(0.66, 1.0)))
    hearing = eligible
    granted = False
    for _ in range(6):
        if rng.random() < 0.5:
            events.append(Event("parole_hearing", hearing, P.PAROLE, fac.county, case, fac.name, cno))
        if rng.random() < (0.3 if life else 0.55):
            events.append(Event("parole_granted", hearing + rng.randrange(0, 21), P.PAROLE, fac.county, case,
                                fac.name, cno))
            granted = True
            break
        events.append(Event("parole_denied", hearing + rng.randrange(0, 21), P.PAROLE, fac.county, case,
                            fac.name, cno))
        hearing += int(YEAR * rng.choice((1, 1, 2, 3)))
    out = hearing + rng.randrange(30, 120) if granted else hearing + rng.randrange(0, 365)
    events.append(Event("release", out, P.DOC, fac.county, case, fac.name, cno, related_day=when))
    if granted and rng.random() < 0.25:
        revoked = out + rng.randrange(60, 900)
        events.append(Event("parole_revoked", revoked, P.PAROLE, fac.county, case, fac.name, cno))
        events.append(Event("admission", revoked, P.DOC, fac.county, case, fac.name, cno))
        out = revoked + rng.randrange(90, 720)
        events.append(Event("release", out, P.DOC, fac.county, case, fac.name, cno, related_day=revoked))
    return out
