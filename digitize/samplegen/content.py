"""Record content: people, identifiers, dates, charges, dispositions, sentences.

Everything here is plain data (ISO dates, canonical statutes); how it is printed is decided by
the layouts with the formatting helpers at the bottom, so truth fields stay normalized.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from . import vocab
from .offences import Offence, format_statute, pick_offence

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]


@dataclass
class Person:
    first: str
    middle: str
    last: str
    sex: str
    dob: dt.date
    race: str
    height_in: int
    weight_lb: int
    eyes: str
    hair: str
    sid: str
    pcf: str
    commitment: str
    aliases: list[str] = field(default_factory=list)
    town: str = ""
    county: str = ""
    street: str = ""
    occupation: str = ""

    def name(self, style: int) -> str:
        mi = f"{self.middle}." if self.middle else ""
        return [
            f"{self.last}, {self.first} {mi}".strip(),
            f"{self.first} {mi} {self.last}".replace("  ", " "),
            f"{self.last} {self.first} {self.middle}".strip(),
            f"{self.last}, {self.first}",
        ][style % 4]

    def fields(self) -> dict:
        return {"name": {"first": self.first, "middle": self.middle, "last": self.last},
                "dob": self.dob.isoformat(), "sex": self.sex, "race": self.race, "sid": self.sid}


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def make_person(rng: random.Random, year: int) -> Person:
    sex = "M" if rng.random() < 0.85 else "F"
    first = rng.choice(vocab.MALE_FIRST if sex == "M" else vocab.FEMALE_FIRST)
    last = rng.choice(vocab.SURNAMES)
    middle = rng.choice(vocab.MIDDLE_INITIALS) if rng.random() < 0.75 else ""
    age = rng.randint(17, 58)
    dob = rand_date(rng, dt.date(year - age - 1, 1, 1), dt.date(year - age, 12, 31))
    county = rng.choice(vocab.COUNTIES)
    aliases = []
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        aliases.append(rng.choice([
            f"{last}, {rng.choice(vocab.MALE_FIRST if sex == 'M' else vocab.FEMALE_FIRST)}",
            f"{rng.choice(vocab.SURNAMES)}, {first}",
            f'"{rng.choice(["SLIM", "RED", "BUDDY", "SONNY", "JUNIOR", "TOMMY", "CHICO", "BIG MIKE", "KID"])}"',
        ]))
    sid_style = rng.random()
    sid = (f"MA{rng.randint(0, 99999999):08d}" if sid_style < 0.4 else
           f"{rng.randint(100000, 999999)}" if sid_style < 0.8 else f"{rng.randint(10, 99)}-{rng.randint(10000, 99999)}")
    commitment = (f"W{rng.randint(10000, 99999)}" if sex == "M" else f"F{rng.randint(1000, 9999)}")
    return Person(
        first=first, middle=middle, last=last, sex=sex, dob=dob,
        race=rng.choices(vocab.RACES, weights=[55, 25, 14, 4, 1, 1])[0],
        height_in=rng.randint(60, 76) if sex == "M" else rng.randint(58, 70),
        weight_lb=rng.randint(125, 260) if sex == "M" else rng.randint(100, 210),
        eyes=rng.choice(vocab.EYES), hair=rng.choice(vocab.HAIR), sid=sid,
        pcf=f"{rng.randint(100000, 1999999)}", commitment=commitment, aliases=aliases,
        town=rng.choice(vocab.TOWNS[county]), county=county,
        street=f"{rng.randint(1, 480)} {rng.choice(vocab.STREETS)}",
        occupation=rng.choice(vocab.OCCUPATIONS),
    )


# -- courts ------------------------------------------------------------------------------------
def make_court(rng: random.Random, county: str | None = None, kind: str | None = None) -> dict:
    county = county or rng.choice(vocab.COUNTIES)
    kind = kind or rng.choices(["DISTRICT", "SUPERIOR", "BMC", "JUVENILE"], weights=[55, 25, 12, 8])[0]
    if kind == "BMC":
        county = "Suffolk"
        div = rng.choice(vocab.BMC_DIVISIONS)
        name = "BOSTON MUNICIPAL COURT" + ("" if div == "CENTRAL" else f" - {div} DIVISION")
    elif kind == "SUPERIOR":
        name = f"{county.upper()} SUPERIOR COURT"
    elif kind == "JUVENILE":
        name = f"{county.upper()} JUVENILE COURT"
    else:
        town = rng.choice(vocab.TOWNS[county])
        name = rng.choice([f"{town} DISTRICT COURT", f"DISTRICT COURT OF {town}",
                           f"{town} DIVISION, DISTRICT COURT DEPT."])
    code = rng.choice(vocab.COURT_CODES[kind])
    return {"name": name, "kind": kind, "county": county, "code": code}


def make_docket(rng: random.Random, year: int, court: dict) -> str:
    code = court["code"] if court["code"].isdigit() else "26"
    return f"{year % 100:02d}{code}CR{rng.randint(1, 9999 if court['kind'] != 'SUPERIOR' else 2999):06d}"


# -- charges -----------------------------------------------------------------------------------
DISPOSITIONS = ["GUILTY", "NOT GUILTY", "DISMISSED", "NOLLE PROSEQUI", "CWOF", "FILED"]
_DISPO_W = [45, 8, 15, 8, 16, 8]


def sentence_text(rng: random.Random, dispo: str, off: Offence, count_no: int, court_kind: str,
                  on: dt.date) -> str:
    if dispo == "CWOF":
        m = rng.choice([3, 6, 6, 9, 12, 18])
        return rng.choice([f"CWOF {m} MOS", f"CONT W/O FINDING {m} MOS", f"CWOF TO {fmt_date(on + dt.timedelta(days=30 * m), 0)}",
                           f"CWOF {m} MOS, $50 VWF"])
    if dispo == "FILED":
        return rng.choice(["FILED W/ DEFT'S CONSENT", "PLACED ON FILE", ""])
    if dispo == "DISMISSED":
        return rng.choice(["", "REQ. OF COMM.", "LACK OF PROS.", "WANT OF PROSECUTION"])
    if dispo != "GUILTY":
        return ""
    felony = off.fm == "F"
    opts = []
    if felony and court_kind == "SUPERIOR":
        lo = rng.choice([2, 3, 3, 4, 5, 7, 8, 10])
        hi = lo + rng.choice([1, 2, 3, 5, 7])
        inst = rng.choice(["MCI CEDAR JUNCTION", "MCI WALPOLE", "MCI CONCORD", "MCI NORFOLK", "STATE PRISON"])
        opts += [f"NOT LESS THAN {lo} NOR MORE THAN {hi} YRS {inst}",
                 f"{lo} TO {hi} YRS {inst}", f"{lo}-{hi} YRS STATE PRISON",
                 f"MCI CONCORD {rng.choice([5, 10, 15, 20])} YRS (INDET.)"]
    y = rng.choice([1, 2, 2, 2.5, 3])
    serve = rng.choice([30, 60, 90, 6, 9, 12])
    unit = "DAYS" if serve >= 30 else "MOS"
    ys = f"{y:g} YR{'S' if y != 1 else ''}"
    opts += [f"{ys} HOC, {serve} {unit} TO SERVE, BAL SUSP",
             f"{ys} HOC SUSP, PROB {rng.choice([1, 2, 3])} YRS",
             rng.choice(["30 DAYS", "60 DAYS", "90 DAYS", "6 MOS", "12 MOS", "18 MOS"]) + " HOC",
             f"PROB {rng.choice([6, 12, 18, 24])} MOS",
             f"FINE ${rng.choice([25, 50, 100, 200, 250, 500])}",
             f"${rng.choice([50, 100, 300])} FINE + COSTS",
             f"{ys} HOC, SUSP {rng.choice([1, 2])} YRS"]
    s = rng.choice(opts)
    if count_no > 1 and rng.random() < 0.3:
        s += rng.choice([f" CONC W/ CT {count_no - 1}", f" FROM AND AFTER CT {count_no - 1}", " CONC."])
    return s


def make_charges(rng: random.Random, n: int, year: int, court_kind: str, on: dt.date) -> list[dict]:
    out = []
    style = rng.randrange(9) if rng.random() < 0.8 else None  # a clerk usually keeps one citation style
    for i in range(1, n + 1):
        off = pick_offence(rng, year)
        dispo = rng.choices(DISPOSITIONS, weights=_DISPO_W)[0]
        out.append({
            "count": i,
            "statute_as_printed": format_statute(off, rng, style),
            "statute": off.statute,
            "offence_code": off.code,
            "description": off.description,
            "fm": off.fm,
            "disposition": dispo,
            "sentence_text": sentence_text(rng, dispo, off, i, court_kind, on),
        })
    return out


def dispo_word(rng_choice: int, dispo: str) -> str:
    """Dispositions as clerks wrote them."""
    variants = {
        "GUILTY": ["GUILTY", "GUILTY", "G", "FOUND GUILTY", "PLEA GUILTY"],
        "NOT GUILTY": ["NOT GUILTY", "NOT GUILTY", "NG", "NOT GUILTY", "N.G."],
        "DISMISSED": ["DISMISSED", "DISMISSED", "DISM", "DISMISSED", "DISM."],
        "NOLLE PROSEQUI": ["NOLLE PROSEQUI", "NOLLE PROS", "NOL PROS", "NOLLE PROS.", "NOLLE PROSEQUI"],
        "CWOF": ["CWOF", "CWOF", "CWOF", "CONT W/O FINDING", "CWOF"],
        "FILED": ["FILED", "FILED", "FILED", "PLACED ON FILE", "FILED"],
    }
    return variants[dispo][rng_choice % 5]


# -- dates -------------------------------------------------------------------------------------
def fmt_date(d: dt.date, style: int) -> str:
    """The date styles found in MA records (style picked once per document by the layout)."""
    m = d.month
    return [
        f"{m:02d}/{d.day:02d}/{d.year % 100:02d}",
        f"{d.day} {MONTHS[m - 1]} {d.year}",
        f"{MONTHS[m - 1]}. {d.day}, {d.year}",
        f"{m}/{d.day}/{d.year}",
        f"{m}-{d.day}-{d.year % 100:02d}",
        f"{d.day:02d}-{MONTHS[m - 1]}-{d.year % 100:02d}",
        f"{MONTHS_LONG[m - 1]} {d.day}, {d.year}",
        f"{m:02d}/{d.day:02d}/{d.year}",
    ][style % 8]


def fmt_height(inches: int, style: int) -> str:
    return [f"{inches // 12}'{inches % 12}\"", f"{inches // 12}-{inches % 12:02d}",
            f"{inches // 12} FT {inches % 12} IN", f"{inches // 12}{inches % 12:02d}"][style % 4]
