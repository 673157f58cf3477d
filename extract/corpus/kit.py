"""Building blocks for the text layouts: a line builder that records spans as it writes, a
per-document style (label words, separators, case, date and name styles), and printers for
people, dates, courts, facilities, statutes, offences, dispositions and sentences.

Every printer returns the printed text together with its normalized truth, so truth never comes
from parsing text.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

from digitize.samplegen import vocab
from digitize.samplegen.content import (MONTHS, MONTHS_LONG, Person, dispo_word, fmt_date,
                                        make_court, make_docket, make_person, rand_date)
from digitize.samplegen.offences import Offence, format_statute, pick_offence

from .types import Span, TruthCharge

__all__ = ["B", "Style", "Subject", "make_subject", "rand_date", "make_docket", "pick_offence",
           "Offence", "Court", "pick_court", "Facility", "canonical_facility", "doc_facility", "hoc_facility",
           "jail_facility", "ChargeSpec", "make_charge_specs", "print_statute", "print_offence",
           "print_dispo", "print_date", "prose_date", "title", "docket_for", "vocab"]


# -- train-family variety -------------------------------------------------------------------------
# Set by `extract.corpus.make_doc` while a TRAIN family is built: label synonyms, sentence kinds,
# forms and truth fixes below only apply then, so held-out families keep printing exactly the text
# they always did. (Held-out TRUTH follows the same normalized conventions as train: facility truth
# comes from `canonical_facility` in both, without touching what is printed or the random stream.)
VARIETY = False


# -- the line builder ----------------------------------------------------------------------------
class B:
    """Writes lines left to right; a value written with a label becomes a Span."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cur: list[str] = []
        self.curlen = 0
        self.base = 0  # offset of the current line's first char in the joined text
        self.spans: list[Span] = []

    @property
    def ln(self) -> int:
        """Index of the line being written."""
        return len(self.lines)

    def t(self, s: str) -> "B":
        if s:
            self.cur.append(s)
            self.curlen += len(s)
        return self

    def v(self, s: str, label: str | None) -> "B":
        if s and label:
            st = self.base + self.curlen
            self.spans.append(Span(st, st + len(s), label))
        return self.t(s)

    def pad(self, col: int, min_gap: int = 2) -> "B":
        """Pad with spaces to column `col` (at least `min_gap` spaces when already past it)."""
        if self.curlen == 0 and col == 0:
            return self
        n = col - self.curlen
        return self.t(" " * max(n, min_gap if self.curlen else 0))

    def nl(self, k: int = 1) -> "B":
        for _ in range(k):
            line = "".join(self.cur).rstrip()  # trailing spaces are not OCR output
            self.lines.append(line)
            self.base += len(line) + 1
            self.cur, self.curlen = [], 0
        return self

    def cells(self, cells: list[tuple[str, str | None]], widths: list[int], indent: int = 0) -> "B":
        """One row of left-aligned columns (OCR joins a row's words with runs of spaces)."""
        col = indent
        for (txt, lab), w in zip(cells, widths):
            self.pad(col, 2)
            self.v(txt, lab) if lab else self.t(txt)
            col += w
        return self

    def finish(self) -> tuple[list[str], list[Span]]:
        if self.cur:
            self.nl()
        return self.lines, self.spans


# -- style ----------------------------------------------------------------------------------------
LABELS = {
    "name": ["NAME", "DEFENDANT", "DEFT", "SUBJECT", "NAME OF DEFENDANT", "NAME"],
    "dob": ["DOB", "D.O.B.", "DATE OF BIRTH", "BORN", "BIRTH DATE", "B.D.", "BIRTHDATE", "DOB", "DOB"],
    "sid": ["SID", "S.I.D.", "SID NO.", "STATE ID NO.", "STATE I.D.", "SID NUMBER", "SID", "S.I.D. NO."],
    "pcf": ["PCF", "PCF NO.", "P.C.F.", "CENTRAL FILE NO.", "PROB. C.F. NO.", "CF NO.", "PCF #"],
    "docket": ["DOCKET", "DOCKET NO.", "DKT", "DKT NO.", "CASE NO.", "DOCKET NUMBER", "DOCKET #", "NO."],
    "court": ["COURT", "COMMITTING COURT", "COMMITTED FROM", "BY COURT", "COURT", "SENTENCING COURT"],
    "facility": ["INSTITUTION", "INST.", "FACILITY", "LOCATION", "COMMITTED TO", "INSTITUTION"],
    "commitment_no": ["COMMITMENT NO.", "COMMIT #", "CMT NO.", "INMATE NO.", "DOC NO.",
                      "COMMITMENT NUMBER", "MCI NO.", "COMMITMENT #"],
    "booking_no": ["BOOKING NO.", "BOOKING #", "BKG NO.", "BOOK NO.", "JAIL NO.", "BOOKING NUMBER"],
    "offense_date": ["OFFENSE DATE", "DATE OF OFFENSE", "OFF. DATE", "OFF DT", "DATE OF OFFENCE",
                     "OFFENSE DT", "DATE OF OFF."],
    "arrest_date": ["DATE ARRESTED", "ARREST DATE", "ARRESTED", "DATE OF ARREST", "ARREST DT"],
    "arraignment_date": ["ARRAIGNED", "ARRAIGNMENT DATE", "DATE ARRAIGNED", "ARRGN DATE",
                         "ARRAIGNMENT", "ARRN. DATE"],
    "disposition_date": ["DISP. DATE", "DISPOSITION DATE", "DATE OF DISPOSITION", "DISPOSED",
                         "DISP DT", "DISPOSED ON", "DATE DISPOSED"],
    "sentence_date": ["SENTENCE DATE", "DATE SENTENCED", "SENTENCED", "SENT. DATE",
                      "DATE OF SENTENCE", "SENT DT", "SENTENCED ON"],
    "admission_date": ["ADMITTED", "DATE ADMITTED", "ADM. DATE", "DATE OF ADMISSION", "RECEIVED",
                       "DATE REC'D", "ADM DT", "DATE COMMITTED"],
    "release_date": ["RELEASED", "RELEASE DATE", "DATE RELEASED", "DISCHARGED", "DATE OF DISCHARGE",
                     "REL. DATE", "DATE OF RELEASE"],
    "hearing_date": ["HEARING DATE", "DATE OF HEARING", "HEARD", "HRG DATE", "HEARING HELD", "HRG. DT"],
    "booking_date": ["BOOKING DATE", "DATE BOOKED", "BOOKED", "DATE/TIME BOOKED", "BKG DATE"],
    "sex": ["SEX", "SEX", "S"], "race": ["RACE", "RACE", "R"],
    "address": ["ADDRESS", "ADDR", "RESIDENCE", "LAST KNOWN ADDRESS", "RES."],
    "attorney": ["ATTORNEY", "ATTY", "COUNSEL", "DEF. COUNSEL", "ATTY FOR DEFT"],
    "judge": ["JUDGE", "JUSTICE", "PRESIDING", "BEFORE", "JUDGE"],
    "sentence": ["SENTENCE", "SENT.", "SENTENCE IMPOSED", "SENTENCE", "SENT"],
    "disposition": ["DISPOSITION", "DISP.", "DISP", "FINDING", "DISPOSITION"],
    "offense": ["OFFENSE", "CHARGE", "OFFENCE", "CRIME", "OFFENSE CHARGED"],
    "statute": ["STATUTE", "G.L.", "CH/SEC", "M.G.L.", "STATUTE"],
}

# Extra label words used by train families only (VARIETY).
MORE_LABELS = {
    "name": ["NAME (LAST, FIRST, MI)", "FULL NAME", "INMATE", "OFFENDER", "NAME OF PRISONER", "SURNAME, GIVEN NAME",
             "PERSON", "ACCUSED", "PROBATIONER", "Name"],
    "dob": ["Birth", "BORN", "DATE BORN", "DOB(MM/DD/YY)", "D/O/B", "DATE OF BIRTH", "BIRTH", "D.O.B", "Born on",
            "DOB (M/D/Y)", "BDATE"],
    "sid": ["STATE ID", "S.I.D. #", "MSP ID NO.", "SID#", "IDENT NO.", "STATE BUREAU NO.", "SBI NO."],
    "pcf": ["PROBATION CF", "P.C.F. NO.", "PCF NUMBER", "CENTRAL FILE #", "PROB. NO."],
    "docket": ["CRIMINAL NO.", "DOCKET NO", "CASE #", "DKT#", "INDICTMENT NO.", "COMPLAINT NO.", "Docket"],
    "court": ["CT.", "COURT OF COMMITMENT", "FROM COURT", "TRIAL COURT", "COURT DEPT.", "Court"],
    "facility": ["INSTITUTION NAME", "HOUSED AT", "CURRENT LOCATION", "PLACE OF CONFINEMENT", "INST", "Facility"],
    "commitment_no": ["COMMITMENT", "INMATE #", "COMM. NO.", "DOC #", "W NO.", "INMATE NUMBER", "Commitment No."],
    "booking_no": ["BOOKING", "BK#", "BOOKING ID", "INTAKE NO.", "JAIL #", "Booking No."],
    "offense_date": ["DATE OF VIOLATION", "OFFENSE OCCURRED", "DATE OF CRIME", "INCIDENT DATE"],
    "arrest_date": ["ARR. DATE", "DATE OF ARR.", "ARRESTED ON", "DT ARRESTED", "Arrest Date"],
    "arraignment_date": ["ARRAIGNMENT DT", "ARR. DT", "DATE OF ARRAIGNMENT", "ARRAIGNED ON", "Arraigned"],
    "disposition_date": ["DISPOSITION DT", "DATE OF DISP.", "DISP. DT", "DECIDED", "Disposed"],
    "sentence_date": ["SENTENCE IMPOSED", "DT SENTENCED", "DATE OF SENT.", "Sentenced"],
    "admission_date": ["ADMISSION DATE", "DATE RECEIVED", "RECEIVED ON", "COMMITTED ON", "INTAKE DATE", "Admitted"],
    "release_date": ["DISCHARGE DATE", "DATE OUT", "RELEASED ON", "DATE OF PAROLE", "Released"],
    "hearing_date": ["HEARING HELD ON", "DATE HEARD", "HRG.", "Hearing Date"],
    "booking_date": ["DATE OF BOOKING", "BOOKED ON", "INTAKE DATE", "Booking Date"],
    "sentence": ["SENTENCE/TERM", "TERM", "TERM IMPOSED", "DISPOSITION/SENTENCE", "Sentence"],
    "disposition": ["FINDING/DISP.", "RESULT", "OUTCOME", "VERDICT", "Disposition"],
    "offense": ["OFFENSE DESCRIPTION", "CHARGE DESCRIPTION", "CRIME CHARGED", "NATURE OF OFFENSE", "Offense"],
    "statute": ["M.G.L. CH./SEC.", "G.L. CITE", "CHAPTER/SECTION", "STATUTE CITE", "Statute"],
}

SMALL = {"of", "and", "to", "the", "w/", "for", "in", "on", "at", "by", "or", "with", "from"}
KEEP = {"SID", "DOB", "PCF", "AKA", "MCI", "HOC", "CWOF", "BMC", "DC", "OUI", "II", "III", "IV",
        "JR", "SR", "MA", "G.L.", "M.G.L.", "H.O.C.", "C.C.", "D.O.B.", "S.I.D.", "P.C.F.", "CR",
        "A&B", "A&B/DW", "NG", "MV", "P.D."}


def title(s: str) -> str:
    """Mixed-case typing: words capitalized, small words lower, codes and acronyms kept."""
    out = []
    for i, w in enumerate(s.split(" ")):
        bare = w.strip(",;:()#")
        if i and w.lower() in SMALL:
            out.append(w.lower())
        elif bare in KEEP or any(ch.isdigit() for ch in w) or re.fullmatch(r"([A-Z]\.)+[A-Z]?\.?", bare):
            out.append(w)
        else:
            out.append(re.sub(r"[A-Za-z]+", lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), w)
                       .replace("Mc", "Mc").replace("'S", "'s"))
    return " ".join(out)


@dataclass
class Style:
    rng: random.Random
    upper: bool          # labels upper case
    mixed: bool          # values typed in mixed case
    sep: str             # between label and value
    date_style: int
    name_style: int
    glue: float          # chance a label is glued to its value (DOB:03/14/52, SID#123456)
    stacked: bool        # label line then value line
    _labs: dict = None  # type: ignore[assignment]

    @classmethod
    def pick(cls, rng: random.Random, *, date_styles: list[int] | None = None) -> "Style":
        if VARIETY:
            return cls(rng=rng, upper=rng.random() < 0.6, mixed=rng.random() < 0.25,
                       sep=rng.choices([": ", ":  ", " ", "  ", " - ", ". ", ":", "    ", " : ", "#: "],
                                       weights=[34, 8, 16, 12, 8, 4, 5, 6, 4, 1])[0],
                       date_style=rng.choice(date_styles) if date_styles else rng.randrange(DATE_STYLES),
                       name_style=rng.randrange(NAME_STYLES), glue=0.04 if rng.random() < 0.3 else 0.0,
                       stacked=rng.random() < 0.35, _labs={})
        return cls(rng=rng, upper=rng.random() < 0.72, mixed=rng.random() < 0.15,
                   sep=rng.choices([": ", ":  ", " ", "  ", " - ", ". ", ":\t"],
                                   weights=[40, 8, 12, 12, 8, 5, 0])[0],
                   date_style=rng.choice(date_styles) if date_styles else rng.randrange(DATE_STYLES),
                   name_style=rng.randrange(NAME_STYLES), glue=0.03 if rng.random() < 0.25 else 0.0,
                   stacked=rng.random() < 0.3, _labs={})

    def word(self, key: str, options: list[str] | None = None) -> str:
        """The label word this document uses for `key` (chosen once per document)."""
        if key not in self._labs:
            pool = options or LABELS[key]
            if VARIETY and key in MORE_LABELS and self.rng.random() < 0.4:
                pool = MORE_LABELS[key]
            self._labs[key] = self.rng.choice(pool)
        w = self._labs[key]
        if any(c.islower() for c in w):
            return w
        return w if self.upper else title(w)

    def joint(self, w: str) -> str:
        """The separator after label word `w` (no `..` or `.:` pile-ups)."""
        if self.sep == ":" and not w.endswith((".", "#", ":")):
            return ": "
        if self.sep == "#: " and not w.endswith(("#", ".")):
            return ": "
        if w.endswith((".", "#", ":")) and self.sep.strip() in (".", ":", "#:"):
            return " "
        return self.sep

    def lab(self, key: str, options: list[str] | None = None) -> str:
        w = self.word(key, options)
        return w + self.joint(w)

    def val(self, s: str) -> str:
        return title(s) if self.mixed else s

    def date(self, d: dt.date) -> str:
        return print_date(d, self.date_style)

    def prose(self, s: str) -> str:
        """Running text, written in sentence case: upper case on all-caps documents."""
        return s if self.mixed else s.upper()

    def kv(self, b: B, key: str, value: str, label: str | None, *, options: list[str] | None = None) -> B:
        """`LABEL: value`, sometimes glued (`SID#123456`, `DOB:03/14/52`)."""
        w = self.word(key, options)
        if self.glue and self.rng.random() < self.glue:
            glue = "#" if key in ("sid", "booking_no", "commitment_no", "pcf") and not w.endswith("#") else ""
            glue = glue or (":" if not w.endswith((".", "#")) else "")
            b.t(w + glue)
        else:
            b.t(w + self.joint(w))
        return b.v(value, label)

    def kv_rows(self, b: B, pairs: list[tuple[str, str, str | None]], cols: int, *, width: int = 34,
                indent: int = 0) -> None:
        """Label/value pairs, `cols` per line: inline `LABEL: value` or stacked label row / value row."""
        for i in range(0, len(pairs), cols):
            row = pairs[i:i + cols]
            if self.stacked and cols > 1:
                for j, (k, _v, _l) in enumerate(row):
                    b.pad(indent + j * width, 2)
                    b.t(self.word(k))
                b.nl()
                for j, (_k, v, l) in enumerate(row):
                    b.pad(indent + j * width, 2)
                    b.v(v, l)
                b.nl()
            else:
                for j, (k, v, l) in enumerate(row):
                    b.pad(indent + j * width, 3)
                    self.kv(b, k, v, l)
                b.nl()


# -- people ---------------------------------------------------------------------------------------
NAME_STYLES = 9


@dataclass
class Subject:
    p: Person
    suffix: str

    @property
    def dob(self) -> dt.date:
        return self.p.dob

    def name(self, style: int, mixed: bool = False) -> tuple[str, str]:
        """(printed, truth `LAST[ SUF], FIRST[ M]`)."""
        p, suf = self.p, self.suffix
        last, first, mi = p.last, p.first, p.middle
        style %= NAME_STYLES
        if style in (3, 5):
            mi = ""
        dot = f"{mi}." if mi else ""
        sfx = f" {suf}" if suf else ""
        sfxd = f" {suf}." if suf in ("JR", "SR") else sfx
        printed = [
            lambda: f"{last}, {first} {dot}".strip() + (sfxd if suf else ""),
            lambda: f"{first} {dot} {last}".replace("  ", " ") + (("," if suf in ("JR", "SR") and style % 2 else "") + sfxd if suf else ""),
            lambda: f"{last}{sfx} {first} {mi}".strip(),
            lambda: f"{last}{sfx}, {first}",
            lambda: f"{last}{sfx}, {first} {mi}".strip(),
            lambda: f"{first} {last}{sfxd}",
            lambda: f"{last},{first} {dot}".strip() + (sfxd if suf else ""),
            lambda: f"{last}{sfx}, {first} {dot}".strip(),
            lambda: f"{first} {mi} {last}{sfx}".replace("  ", " "),
        ][style]()
        truth = f"{last}{sfx}, {first}" + (f" {mi}" if mi else "")
        return (title(printed) if mixed else printed), truth


def make_subject(rng: random.Random, year: int) -> Subject:
    p = make_person(rng, year)
    suffix = rng.choices(["", "JR", "SR", "II", "III"], weights=[88, 6, 2, 2, 2])[0] if p.sex == "M" else ""
    return Subject(p, suffix)


def other_name(rng: random.Random, mixed: bool = False, plain: bool = False) -> str:
    """A non-subject person (officer, attorney, contact): printed only, never labelled."""
    first = rng.choice(vocab.MALE_FIRST + vocab.FEMALE_FIRST)
    last = rng.choice(vocab.SURNAMES)
    s = rng.choice([f"{first[0]}. {last}", f"{first} {last}", f"{first} {rng.choice(vocab.MIDDLE_INITIALS)}. {last}"]
                   + ([] if plain else [f"{last}, {first[0]}."]))
    return title(s) if mixed else s


# -- dates ----------------------------------------------------------------------------------------
DATE_STYLES = 14
_ORD = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


def print_date(d: dt.date, style: int) -> str:
    style %= DATE_STYLES
    if style < 8:
        return fmt_date(d, style)
    m = d.month
    return [
        f"{m}.{d.day}.{d.year % 100:02d}",
        f"{d.isoformat()}",
        f"{d.day} {MONTHS[m - 1]} {d.year % 100:02d}",
        f"{MONTHS[m - 1]} {d.day} {d.year}",
        f"{m}/{d.day}/{d.year % 100:02d}",
        f"{d.day:02d}{MONTHS[m - 1]}{d.year % 100:02d}",
    ][style - 8]


def prose_date(d: dt.date, rng: random.Random) -> str:
    day = f"{d.day}{_ORD.get(d.day, 'th')}"
    return rng.choice([f"the {day} day of {MONTHS_LONG[d.month - 1]}, {d.year}",
                       f"{MONTHS_LONG[d.month - 1]} {d.day}, {d.year}",
                       f"{day} {MONTHS_LONG[d.month - 1]} {d.year}"])


# -- courts ---------------------------------------------------------------------------------------
@dataclass
class Court:
    canonical: str
    kind: str     # DISTRICT | SUPERIOR | BMC | JUVENILE
    county: str
    seat: str     # town for district, division for BMC, county for the rest
    code: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "code": self.code}

    def printed(self, rng: random.Random, *, short: bool = False, mixed: bool = False) -> str:
        out = self._printed(rng, short=short, mixed=mixed)
        if VARIETY and short and self.county in ("Hampden", "Hampshire") and self.kind in ("SUPERIOR", "JUVENILE"):
            c = self.county.upper()  # HAMP SUP is either county: print the whole name
            out = f"{c} SUP CT" if self.kind == "SUPERIOR" else f"{c} JUV CT"
            out = title(out) if mixed else out
        return out

    def _printed(self, rng: random.Random, *, short: bool = False, mixed: bool = False) -> str:
        k, s, c = self.kind, self.seat, self.county.upper()
        if k == "DISTRICT":
            opts = ([f"{s[:8].strip()} DC", f"{s} DC", f"{s} DIST CT", f"{s} D.C."] if short else
                    [f"{s} DISTRICT COURT", f"DISTRICT COURT OF {s}", f"{s} DIVISION, DISTRICT COURT DEPT.",
                     f"{s} DISTRICT COURT", f"{s} DIST. CT.", f"{s} DISTRICT CT."])
        elif k == "SUPERIOR":
            opts = ([f"{c[:4]} SUP", f"{c} SUP", f"{c} SUP CT", f"{c[:4]} SUP CT"] if short else
                    [f"{c} SUPERIOR COURT", f"SUPERIOR COURT, {c} COUNTY", f"{c} SUPERIOR COURT",
                     f"SUPERIOR COURT DEPT., {c} COUNTY", f"{c} SUP. CT."])
        elif k == "JUVENILE":
            opts = ([f"{c[:4]} JUV", f"{c} JUV CT"] if short else
                    [f"{c} JUVENILE COURT", f"JUVENILE COURT, {c} COUNTY", f"{c} COUNTY JUVENILE COURT"])
        else:
            if s == "CENTRAL":
                opts = ["BMC CENT", "BMC CENTRAL", "BMC"] if short else ["BOSTON MUNICIPAL COURT", "BOSTON MUNICIPAL COURT", "BOSTON MUN. CT."]
            else:
                opts = ([f"BMC {s[:8].strip()}", f"BMC-{s}", f"BMC {s}"] if short else
                        [f"BOSTON MUNICIPAL COURT - {s} DIVISION", f"BMC - {s} DIVISION",
                         f"BOSTON MUNICIPAL COURT, {s} DIV."])
        out = rng.choice(opts)
        return title(out) if mixed else out


def pick_court(rng: random.Random, county: str | None = None, kind: str | None = None) -> Court:
    c = make_court(rng, county, kind)
    name, kind, county = c["name"], c["kind"], c["county"]
    if kind == "DISTRICT":
        seat = name.replace("DISTRICT COURT OF ", "").split(" DISTRICT COURT")[0].split(" DIVISION,")[0]
        canonical = f"{seat} DISTRICT COURT"
    elif kind == "BMC":
        seat = name.split(" - ")[1].removesuffix(" DIVISION") if " - " in name else "CENTRAL"
        canonical = name
    else:
        seat = county.upper()
        canonical = name
    return Court(canonical, kind, county, seat, c["code"])


def docket_for(rng: random.Random, year: int, court: Court) -> tuple[str, str]:
    """(printed docket, normalized). Mostly yy+code+CR+serial; older and superior styles too."""
    r = rng.random()
    if year < 1978 and r < 0.5:
        s = f"{rng.randint(100, 99999)}" if rng.random() < 0.5 else f"{year % 100:02d}-{rng.randint(1, 9999)}"
        if VARIETY and "-" not in s:
            s = f"{year % 100:02d}-{rng.randint(100, 99999)}"
    elif court.kind == "SUPERIOR" and r < 0.3:
        s = rng.choice([f"{year % 100:02d}-{rng.randint(1, 2999)}", f"SUCR{year}-{rng.randint(1, 12999):05d}",
                        f"{court.county[:2].upper()}CR{year % 100:02d}-{rng.randint(1, 2999):04d}"])
        if VARIETY and s[2:4] == "CR":  # county-prefixed numbers: no docket shape the normalizer knows
            s = f"SUCR{year}-{rng.randint(1, 12999):05d}"
    else:
        s = make_docket(rng, year, court.as_dict())
        if rng.random() < 0.1:
            s = f"{s[:4]} {s[4:6]} {s[6:]}" if rng.random() < 0.5 else f"{s[:2]}-{s[2:4]}-{s[6:]}"
            if VARIETY and s.count("-") == 2:  # `72-02-001090` drops the case type: print it whole
                s = f"{s[:2]}{s[3:5]}CR{s[6:]}" if rng.random() < 0.5 else f"{s[:2]}{s[3:5]} CR {s[6:]}"
    return s, s.upper().replace(" ", "")


# -- facilities -----------------------------------------------------------------------------------
@dataclass
class Facility:
    canonical: str
    forms: list[str]

    def printed(self, rng: random.Random, mixed: bool = False) -> str:
        s = rng.choice(self.forms)
        return title(s) if mixed else s


_DOC_FORMS = {
    "MCI CEDAR JUNCTION": ["M.C.I. CEDAR JUNCTION", "MCI-CEDAR JUNCTION", "MCI CEDAR JCT."],
    "MCI WALPOLE": ["M.C.I. WALPOLE", "MCI-WALPOLE", "MASS. CORR. INST. WALPOLE"],
    "MCI CONCORD": ["M.C.I. CONCORD", "MCI-CONCORD", "MASS. CORR. INST. CONCORD", "MCI - CONCORD"],
    "MCI NORFOLK": ["M.C.I. NORFOLK", "MCI-NORFOLK", "MASS. CORR. INST. NORFOLK"],
    "MCI FRAMINGHAM": ["M.C.I. FRAMINGHAM", "MCI-FRAMINGHAM", "MCI FRAM."],
    "MCI BRIDGEWATER": ["M.C.I. BRIDGEWATER", "MCI-BRIDGEWATER"],
}


_CANON_FIX = {"MASS. TREATMENT CENTER": "MASSACHUSETTS TREATMENT CENTER"}
_UNREADABLE_FORMS = {"MCI CEDAR JCT.", "MCI FRAM."}  # abbreviations normalize_facility cannot resolve


def canonical_facility(name: str) -> str:
    """The facility truth convention: the canonical name `extract.normalize.places.normalize_facility`
    gives (`SOUZA-BARANOWSKI C.C.` -> `SOUZA-BARANOWSKI CORRECTIONAL CENTER`). Every family, train
    and held-out, takes its facility truth from here."""
    c = _CANON_FIX.get(name, name)
    return f"{c[:-5]} CORRECTIONAL CENTER" if c.endswith(" C.C.") else c


def _fixed(f: Facility, rng: random.Random) -> Facility:
    """VARIETY: the canonical name the normalizer gives, plus a few more printed forms."""
    c = canonical_facility(f.canonical)
    forms = [x for x in f.forms if x not in _UNREADABLE_FORMS and not re.fullmatch(r"[A-Z]{4} HOC", x)]
    if f.canonical.endswith(" C.C."):
        base = f.canonical[:-5]
        forms = [f"{base} C.C.", f"{base} CORR. CTR.", f"{base} CORRECTIONAL CENTER", f"{base} C.C."]
    elif c.startswith("MCI "):
        forms += [f"MCI {c[4:]}", f"M.C.I.-{c[4:]}", f"MCI at {c[4:].title()}".upper()]
    elif c.endswith(" HOC"):
        county = c[:-4]
        forms += [f"H.O.C. {county} COUNTY", f"{county} COUNTY CORRECTIONAL FACILITY", f"{county} CO. HOUSE OF CORRECTION"]
    return Facility(c, forms)


def doc_facility(rng: random.Random, year: int | None = None) -> Facility:
    if VARIETY:
        return _fixed(_doc_facility(rng, year), rng)
    return _canonical_only(_doc_facility(rng, year))


def _canonical_only(f: Facility) -> Facility:
    """Held-out families: the printed forms exactly as before, the truth in the canonical form."""
    return Facility(canonical_facility(f.canonical), f.forms)


def _doc_facility(rng: random.Random, year: int | None = None) -> Facility:
    pool = list(vocab.DOC_INSTITUTIONS)
    if year is not None and year < 1985:
        pool = [x for x in pool if x.startswith("MCI") and "SHIRLEY" not in x and "GARDNER" not in x] + ["STATE PRISON"]
    c = rng.choice(pool)
    if c == "STATE PRISON":
        return Facility(c, ["STATE PRISON", "MASS. STATE PRISON", "STATE PRISON", "STATE PRISON CHARLESTOWN"])
    return Facility(c, [c, c] + _DOC_FORMS.get(c, []))


def hoc_facility(rng: random.Random, county: str) -> Facility:
    f = _hoc_facility(rng, county)
    return _fixed(f, rng) if VARIETY else _canonical_only(f)


def _hoc_facility(rng: random.Random, county: str) -> Facility:
    c = county.upper()
    forms = [vocab.HOUSES_OF_CORRECTION[county], f"{c} COUNTY H.O.C.", f"HOUSE OF CORRECTION - {c} CO.",
             f"{c} HOC", f"{c} COUNTY HOUSE OF CORRECTION", f"{c[:4]} HOC", f"{c} CO. H.O.C."]
    if "JAIL" in forms[0] and "H.O.C." not in forms[0]:
        forms[0] = f"{c} COUNTY H.O.C."
    return Facility(f"{c} HOC", forms)


def jail_facility(rng: random.Random, county: str) -> Facility:
    c = county.upper()
    forms = [f"{c} COUNTY JAIL", f"JAIL - {c} CO.", f"{c} JAIL", f"COUNTY JAIL AT {c}"]
    if county == "Suffolk":
        forms += ["CHARLES STREET JAIL", "CHARLES ST. JAIL"]
    return Facility(f"{c} JAIL", forms)


# -- statutes, offences ---------------------------------------------------------------------------
_STAT = [
    ("c. {c}, § {s}{u}", True), ("G.L. c.{c} s.{s}{u}", True), ("{c}/{s}", False), ("C{c} S{s}", False),
    ("M.G.L. c. {c} § {s}{u}", True), ("CH {c} SEC {s}{u}", True), ("c{c} §{s}{u}", True),
    ("G.L. c. {c}, s. {s}", False), ("{c}-{s}", False), ("C{c}S{s}", False), ("CH. {c} S. {s}{u}", True),
    ("c. {c} s. {s}{u}", True), ("{c}/{s}{u}", True), ("GL {c} {s}", False), ("c.{c} §{s}{u}", True),
    ("MGL C{c} S{s}{u}", True),
]
STAT_STYLES = len(_STAT)


def print_statute(rng: random.Random, off: Offence, style: int, mixed: bool = False) -> tuple[str, str]:
    """(printed citation, canonical `chapter/section[(sub)...]`)."""
    if VARIETY and style == 13 and rng.random() < 0.9:
        style = 7
    fmt, can_sub = _STAT[style % len(_STAT)]
    sub = off.subsection if (can_sub and off.subsection and off.subsection.isascii()
                             and rng.random() < 0.5) else ""
    if style == -1:  # the samplegen printer, for variety (subsection detected from its output)
        s = format_statute(off, rng)
        sub = off.subsection if off.subsection and s.endswith(off.subsection) else ""
        return s, f"{off.chapter.upper()}/{off.section}{sub.lower()}"
    s = fmt.format(c=off.chapter, s=off.section, u=sub)
    return s, f"{off.chapter.upper()}/{off.section}{sub.lower()}"


_SYN = [
    (r"^A&B$", ["ASSAULT AND BATTERY", "ASSAULT & BATTERY", "A & B", "A&B"]),
    (r"^A&B WITH DANGEROUS WEAPON$", ["A&B D/W", "A&B DANG. WEAPON", "ASSAULT & BATTERY D/W",
                                     "A&B W/DANGEROUS WEAPON"]),
    (r"^ASSAULT WITH DANGEROUS WEAPON$", ["ADW", "ASSLT D/W", "ASSAULT D/W"]),
    (r"^LARCENY OVER \$250$", ["LARC OVER $250", "LARCENY > $250"]),
    (r"^LARCENY \$250 OR UNDER$", ["LARC UNDER $250", "LARCENY UNDER $250"]),
    (r"^B&E NIGHTTIME FOR FELONY$", ["B&E NT FEL", "B+E NIGHT FEL."]),
]


def print_offence(rng: random.Random, off: Offence, mixed: bool = False) -> str:
    d = off.description.replace("’", "'")
    for pat, alts in _SYN:
        if re.match(pat, d) and rng.random() < 0.35:
            d = rng.choice(alts)
            break
    return title(d) if mixed else d


# -- dispositions ---------------------------------------------------------------------------------
DISPO_CANON = {"GUILTY": "guilty", "NOT GUILTY": "not_guilty", "DISMISSED": "dismissed",
               "NOLLE PROSEQUI": "nolle_prosequi", "CWOF": "cwof", "FILED": "filed"}
_DISPO_MORE = {
    "GUILTY": ["GUILTY", "GLTY", "FOUND GUILTY", "PLEA GUILTY", "GUILTY FINDING", "G", "GUILTY PLEA"],
    "NOT GUILTY": ["NOT GUILTY", "N/G", "NG", "NOT GUILTY BY JURY", "FOUND NOT GUILTY"],
    "DISMISSED": ["DISMISSED", "DISM", "DISM.", "DISMISSED W/O PREJ.", "DSM"],
    "NOLLE PROSEQUI": ["NOLLE PROS", "NOL PROS", "NOLLE PROSEQUI", "NOLLE PROS.", "NOL-PROS"],
    "CWOF": ["CWOF", "C.W.O.F.", "CONT W/O FINDING", "CONTINUED WITHOUT A FINDING", "CWOF"],
    "FILED": ["FILED", "PLACED ON FILE", "FILED W/ CONSENT", "FILED"],
}


def print_dispo(rng: random.Random, dispo: str, mixed: bool = False) -> str:
    w = dispo_word(rng.randrange(5), dispo) if rng.random() < 0.5 else rng.choice(_DISPO_MORE[dispo])
    if VARIETY and w == "DSM":  # not a dismissal abbreviation the normalizer knows
        w = rng.choice(["DISM", "DISMISSED", "DISM'D"])
    return title(w) if mixed else w


# -- sentences ------------------------------------------------------------------------------------
def _blank(kind: str) -> dict:
    return {"type": kind, "min": None, "max": None, "to_serve": None, "probation": None,
            "suspended": False, "concurrent": False, "from_and_after": False, "life": False, "fine": None}


def _dur(rng: random.Random, n: float, unit: str) -> tuple[str, str]:
    """(printed duration, ISO 8601)."""
    if unit == "Y":
        whole, half = int(n), (n - int(n)) >= 0.5
        iso = f"P{whole}Y6M" if half and whole else ("P6M" if half else f"P{whole}Y")
        num = (f"{n:g}" if rng.random() < 0.7 else f"{whole} 1/2") if half else f"{whole}"
        word = rng.choice(["YRS", "YEARS", "YRS.", "YR"] if n != 1 else ["YR", "YEAR", "YR."])
        if n != 1 and word == "YR":
            word = "YRS"
        return f"{num} {word}", iso
    if unit == "M":
        word = rng.choice(["MOS", "MONTHS", "MOS.", "MO"] if n != 1 else ["MO", "MONTH"])
        return f"{int(n)} {word}", f"P{int(n)}M"
    word = rng.choice(["DAYS", "DAYS", "DYS", "DAYS"])
    return f"{int(n)} {word}", f"P{int(n)}D"


def _term(rng: random.Random, long: bool = False) -> tuple[float, str]:
    if long:
        return rng.choice([(1, "Y"), (2, "Y"), (2, "Y"), (2.5, "Y"), (3, "Y"), (18, "M"), (1.5, "Y")])
    return rng.choice([(30, "D"), (60, "D"), (90, "D"), (6, "M"), (3, "M"), (9, "M"), (12, "M"),
                       (18, "M"), (1, "Y"), (2, "Y")])


def bare_cwof(text: str) -> str:
    """A CWOF term without its CWOF words (printed after a CWOF disposition: `CWOF  6 MOS`)."""
    for p in ("CONTINUED W/O FINDING ", "CONT W/O FINDING ", "CWOF "):
        if text.startswith(p):
            return text[len(p):]
    return text


def make_sentence(rng: random.Random, dispo: str, off: Offence, court_kind: str, count_no: int,
                  *, committed: bool = False) -> tuple[dict | None, str]:
    """Structured terms first, then one phrasing of them. (None, "") when nothing is printed."""
    if dispo == "CWOF":
        n, u = rng.choice([(3, "M"), (6, "M"), (6, "M"), (9, "M"), (12, "M"), (1, "Y"), (18, "M")])
        d, iso = _dur(rng, n, u)
        s = _blank("cwof")
        s["probation"] = iso
        txt = rng.choice([f"CWOF {d}", f"CONT W/O FINDING {d}", f"CWOF {d}", f"CONTINUED W/O FINDING {d}"])
        if rng.random() < 0.15:
            txt += ", $50 VWF"
        return s, txt
    if VARIETY and dispo == "FILED" and rng.random() < 0.4:
        s = _blank("filed")
        return s, rng.choice(["FILED", "PLACED ON FILE", "FILED W/ DEFT'S CONSENT", "FILED WITH CONSENT", "ON FILE"])
    if dispo != "GUILTY":
        return None, ""
    felony = off.fm == "F"
    kinds = ["hoc", "hoc_split", "hoc_susp", "probation", "fine", "jail", "time_served"]
    weights = [14, 12, 12, 12, 9, 2, 2]
    if VARIETY:
        kinds, weights = kinds + ["suspended"], [12, 10, 9, 11, 11, 6, 5, 7]
    if committed:
        kinds, weights = ["hoc", "hoc_split"], [1, 1]
        if VARIETY:
            kinds, weights = ["hoc", "hoc_split", "jail"], [10, 10, 2]
    if (felony and court_kind == "SUPERIOR") or committed and court_kind == "SUPERIOR":
        kinds, weights = kinds + ["sp", "sp_indet", "life"], weights + [40, 8, 3 if VARIETY else 1]
        if committed:
            kinds, weights = ["sp", "sp_indet", "hoc_split", "life"], [50, 10, 8, 4 if VARIETY else 1]
    k = rng.choices(kinds, weights=weights)[0]
    if k == "suspended":  # a suspended term with no institution named
        n, u = _term(rng, long=rng.random() < 0.5)
        d, iso = _dur(rng, n, u)
        s = _blank("suspended")
        s["max"], s["suspended"] = iso, True
        txt = rng.choice([f"{d} SUSPENDED", f"{d} SUSP.", f"SUSPENDED SENTENCE {d}", f"{d} SUSP"])
        if rng.random() < 0.5:
            pn, pu = rng.choice([(1, "Y"), (2, "Y"), (18, "M"), (6, "M")])
            dp, isop = _dur(rng, pn, pu)
            s["probation"] = isop
            txt += rng.choice([f", PROB {dp}", f", {dp} PROBATION", f", PROBATION {dp}"])
    elif k == "hoc":
        n, u = _term(rng)
        d, iso = _dur(rng, n, u)
        s = _blank("hoc")
        s["max"] = s["to_serve"] = iso
        fac = rng.choice(["HOC", "H.O.C.", "HOUSE OF CORRECTION", "HOC", "H/C"] if not VARIETY else
                         ["HOC", "H.O.C.", "HOUSE OF CORRECTION", "HOC", "H.O.C", "HOUSE OF CORR."])
        txt = rng.choice([f"{d} {fac}", f"{fac} {d}", f"COMMITTED {d} {fac}", f"{d} {fac} COMMITTED"])
    elif k == "jail":
        n, u = rng.choice([(10, "D"), (30, "D"), (60, "D"), (3, "M")] + ([(5, "D"), (6, "M"), (90, "D")] if VARIETY else []))
        d, iso = _dur(rng, n, u)
        s = _blank("jail")
        s["max"] = s["to_serve"] = iso
        txt = rng.choice([f"{d} JAIL", f"{d} COUNTY JAIL", f"JAIL {d}"] + ([f"COMMITTED TO JAIL {d}", f"{d} IN JAIL"] if VARIETY else []))
    elif k == "hoc_split":
        y, yu = _term(rng, long=True)
        d, iso = _dur(rng, y, yu)
        sv, su = rng.choice([(30, "D"), (60, "D"), (90, "D"), (6, "M"), (9, "M"), (4, "M")])
        ds, isos = _dur(rng, sv, su)
        s = _blank("hoc")
        s["max"], s["to_serve"], s["suspended"] = iso, isos, True
        txt = rng.choice([f"{d} HOC, {ds} TO SERVE, BAL SUSP", f"{d} H.O.C. {ds} TO SERVE BALANCE SUSPENDED",
                          f"{d} HOC; {ds} TO SERVE, BAL. SUSP.", f"HOC {d}, SERVE {ds}, BAL SUSP"])
        if rng.random() < 0.3:
            pn, pu = rng.choice([(1, "Y"), (2, "Y"), (3, "Y")])
            dp, isop = _dur(rng, pn, pu)
            s["probation"] = isop
            txt += rng.choice([f" {dp}", f", PROB {dp}"]) if "SUSP" in txt[-6:] else f", PROB {dp}"
    elif k == "hoc_susp":
        y, yu = _term(rng, long=True)
        d, iso = _dur(rng, y, yu)
        pn, pu = rng.choice([(1, "Y"), (2, "Y"), (3, "Y"), (18, "M")])
        dp, isop = _dur(rng, pn, pu)
        s = _blank("hoc")
        s["max"], s["suspended"], s["probation"] = iso, True, isop
        txt = rng.choice([f"{d} HOC SUSP, PROB {dp}", f"{d} HOC, SUSP {dp}", f"{d} HOC SUSPENDED {dp}",
                          f"{d} H.O.C. SUSP. {dp} PROB.", f"{d} HOC SUSP {dp}"])
    elif k == "probation":
        n, u = rng.choice([(6, "M"), (12, "M"), (18, "M"), (24, "M"), (1, "Y"), (2, "Y"), (3, "Y")])
        d, iso = _dur(rng, n, u)
        s = _blank("probation")
        s["probation"] = iso
        txt = rng.choice([f"PROB {d}", f"PROBATION {d}", f"PROB. {d}", f"{d} PROBATION", f"PROB {d} SUPERVISED"])
    elif k == "fine":
        amt = rng.choice([25, 50, 100, 150, 200, 250, 300, 500, 1000])
        s = _blank("fine")
        s["fine"] = amt
        txt = rng.choice([f"FINE ${amt}", f"${amt} FINE", f"FINED ${amt}", f"${amt} FINE + COSTS",
                          f"FINE ${amt}.00", f"FINE ${amt} & COSTS"])
        if VARIETY and rng.random() < 0.2:
            txt = rng.choice([f"FINED ${amt}.00", f"FINE OF ${amt}", f"${amt}.00 FINE"])
    elif k == "time_served":
        s = _blank("time_served")
        txt = rng.choice(["TIME SERVED", "DEEMED SERVED", "CREDIT TIME SERVED", "TIME SERVED"]
                         + (["SENTENCE DEEMED SERVED", "TIME SERVED - RELEASED", "T/S"] if VARIETY else []))
    elif k == "life":
        s = _blank("state_prison")
        s["life"] = True
        txt = rng.choice(["LIFE", "LIFE MCI CEDAR JUNCTION", "LIFE IMPRISONMENT", "LIFE - STATE PRISON"]
                         + (["LIFE MCI WALPOLE", "NATURAL LIFE", "LIFE SENTENCE", "STATE PRISON FOR LIFE"] if VARIETY else []))
    elif k == "sp_indet":
        n = rng.choice([5, 10, 15, 20])
        s = _blank("state_prison")
        s["max"] = f"P{n}Y"
        txt = rng.choice([f"MCI CONCORD {n} YRS (INDET.)", f"{n} YRS (INDET.)", f"{n} YRS INDET. MCI CONCORD",
                          f"INDETERMINATE {n} YRS CONCORD"])
    else:  # state prison range
        lo = rng.choice([2, 3, 3, 4, 5, 6, 7, 8, 10, 12, 15])
        hi = lo + rng.choice([1, 2, 2, 3, 5, 7])
        s = _blank("state_prison")
        s["min"], s["max"] = f"P{lo}Y", f"P{hi}Y"
        inst = rng.choice(["MCI CEDAR JUNCTION", "MCI WALPOLE", "MCI CONCORD", "MCI NORFOLK",
                           "STATE PRISON", "", "", "S.P."])
        y = rng.choice(["YRS", "YEARS", "YRS."])
        txt = rng.choice([f"NOT LESS THAN {lo} NOR MORE THAN {hi} {y} {inst}", f"NLT {lo} NMT {hi} {y} {inst}",
                          f"{lo} TO {hi} {y} {inst}", f"{lo}-{hi} {y} {inst}", f"{inst} {lo} TO {hi} {y}",
                          f"NOT LESS THAN {lo} YRS NOR MORE THAN {hi} YRS {inst}"]).strip().replace("  ", " ")
    if count_no > 1 and rng.random() < 0.3 and k not in ("fine", "time_served"):
        if rng.random() < 0.55:
            s["concurrent"] = True
            txt += rng.choice([f" CONC W/ CT {count_no - 1}", " CONC.", " CONCURRENT", f", CONC. W/CT {count_no - 1}",
                               " CONC W/ CT 1"])
        else:
            s["from_and_after"] = True
            txt += rng.choice([f" FROM AND AFTER CT {count_no - 1}", f" F&A CT {count_no - 1}", " FROM & AFTER",
                               " FROM AND AFTER CT 1"])
    return s, txt


# -- charges --------------------------------------------------------------------------------------
@dataclass
class ChargeSpec:
    count: int
    off: Offence
    dispo: str | None         # GUILTY ... as in samplegen, or None (not yet disposed)
    sentence: dict | None
    sentence_text: str

    def truth(self, statute: str | None, *, dispo: bool = True, sentence: bool = True,
              description: bool = True) -> TruthCharge:
        # A form that prints no findings still names one when its sentence is a CWOF or a filing
        # (`CONT W/O FINDING 6 MOS.`, `PLACED ON FILE`): the disposition is on the page (train only).
        legible = VARIETY and sentence and self.dispo in ("CWOF", "FILED") and bool(self.sentence_text)
        return TruthCharge(description=self.off.description if description else None,
                           statute=statute, offense_code=self.off.code,
                           disposition=DISPO_CANON[self.dispo] if ((dispo or legible) and self.dispo) else None,
                           sentence=self.sentence if (sentence and self.sentence_text) else None)


_DISPO_W = {"GUILTY": 45, "NOT GUILTY": 8, "DISMISSED": 15, "NOLLE PROSEQUI": 8, "CWOF": 16, "FILED": 8}


def make_charge_specs(rng: random.Random, n: int, year: int, court_kind: str, *, disposed: bool = True,
                      committed: bool = False, guilty_bias: float = 0.0) -> list[ChargeSpec]:
    out = []
    for i in range(1, n + 1):
        off = pick_offence(rng, year)
        if not disposed:
            out.append(ChargeSpec(i, off, None, None, ""))
            continue
        if committed or rng.random() < guilty_bias:
            dispo = "GUILTY"
        else:
            dispo = rng.choices(list(_DISPO_W), weights=list(_DISPO_W.values()))[0]
        sent, txt = make_sentence(rng, dispo, off, court_kind, i, committed=committed)
        out.append(ChargeSpec(i, off, dispo, sent, txt))
    return out
