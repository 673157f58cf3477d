"""Sentence text -> a fixed dict: type, min/max/to_serve/probation durations, flags, fine.

Durations are ISO 8601 (`iso_duration`): months stay months (18 MOS -> P18M), fractional years
become years + months (2 1/2 YRS -> P2Y6M), weeks become days (x7), days stay days.
A committed determinate term (HOC, jail, or no institution named) with nothing suspended is
served in full, so `to_serve` = `max`; state-prison ranges, indeterminate and life terms leave
`to_serve` null.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from .result import TO_DIGIT, TO_LETTER, Normalized, fail, good

TYPES = ("hoc", "state_prison", "jail", "probation", "cwof", "fine", "suspended", "filed",
         "time_served", "other")
_WORDNUM = MappingProxyType({"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5, "SIX": 6, "SEVEN": 7, "EIGHT": 8,
            "NINE": 9, "TEN": 10, "ELEVEN": 11, "TWELVE": 12, "FIFTEEN": 15, "EIGHTEEN": 18,
            "TWENTY": 20, "THIRTY": 30, "SIXTY": 60, "NINETY": 90})
_NUM = r"(\d+(?:\.\d+)?(?:\s+(?:AND\s+)?1/2)?|1/2|" + "|".join(_WORDNUM) + ")"
_UNIT = r"(Y(?:EA)?RS?\b\.?|Y[S5]\b\.?|M(?:O(?:NTH)?|THS?|NTHS?)S?\b\.?|D(?:AY|Y)S?\b\.?|W(?:EE)?KS?\b\.?)"
_DUR = re.compile(rf"(?<![A-Z0-9/.]){_NUM}\s*-?\s*{_UNIT}(?:\s+(?:AND\s+)?(\d+)\s*(M(?:O(?:NTH)?|THS?)S?\b\.?|D(?:AY|Y)S?\b\.?))?")
_OPTU = rf"\s*{_UNIT}?"
_RANGES = (
    re.compile(rf"(?<![A-Z])N(?:OT)?\.?\s*L(?:ESS)?\.?\s*T(?:HAN)?\.?\s*{_NUM}{_OPTU}\s*,?\s*(?:AND\s+|&\s*)?"
               rf"N(?:OR|OT)?\.?\s*M(?:ORE)?\.?\s*T(?:HAN)?\.?\s*{_NUM}{_OPTU}"),
    re.compile(rf"(?<![A-Z])MIN(?:IMUM)?\.?\s*{_NUM}{_OPTU}\s*[,/]?\s*MAX(?:IMUM)?\.?\s*{_NUM}{_OPTU}"),
    re.compile(rf"(?<![A-Z0-9/.]){_NUM}{_OPTU}\s*(?:TO|-|–)\s*{_NUM}\s*{_UNIT}"),
)
_NMT = re.compile(rf"(?<![A-Z])N(?:OT)?\.?\s*M(?:ORE)?\.?\s*T(?:HAN)?\.?\s*{_NUM}{_OPTU}")

_CAPS_L = re.compile(r"(?<=[A-Z])l(?=[A-Z])|(?<=[A-Z]{2})l\b|\bl(?=[A-Z]{2})")  # FlNE: l for I
_MONEY = re.compile(r"\$\s*((?=[0-9OIlLS|]*[0-9])[0-9OIlLS|]+(?:,[0-9]{3})*(?:\.[0-9]{2})?)")  # $3O0, $S0
_OCR_WORD = re.compile(r"(?<![A-Z0-9$])[A-Z][A-Z]*[0-9][A-Z0-9]*")   # H0C, PR0B, YR5, MC1
_OCR_NUM = re.compile(r"(?<![A-Z0-9$.,/])([0-9OIL|S]{1,3})(?=\s*(?:YRS?|YEARS?|MOS?|MONTHS?|DAYS?)\b)")
_LICENSE = re.compile(rf"(?:LIC(?:ENSE)?\.?|LOSS\s+OF\s+(?:LICENSE|LIC\.?))\s*(?:SUSP\w*\.?|REVOKED|REV\.?)?\s*(?:FOR\s+)?{_NUM}\s*{_UNIT}")

_LIFE = re.compile(r"(?<![A-Z])LIFE(?![A-Z])")
_SP = re.compile(r"\bM\.?C\.?I\b|STATE\s+PRISON|CEDAR\s+JUNCTION|WALPOLE|\bCONCORD\b|\bNORFOLK\b(?!\s+(?:COUNTY|H))|"
                 r"\bREFORMATORY\b|\bINDET|\bD\.?O\.?C\b|\bS\.P\.")
_INDET = re.compile(r"\bINDET")
# H/C and H.C. are clerks' short forms of house of correction; HOUSE OF CORR. a truncated one.
_HOC = re.compile(r"\bH\.?\s?O\.?\s?C\b|\bH\s?[/.]\s?C\b|HOUSE\s+[O0]F\s+CORR")
_JAIL = re.compile(r"\bJAIL\b")
_CWOF = re.compile(r"\bC\.?\s?W\.?\s?O\.?\s?F\b|CONT(?:INUED|'?D)?\.?\s*W(?:/|ITH)?\s*O(?:UT)?\.?\s*(?:A\s+)?FINDING")
_FILED = re.compile(r"\bFILED\b|PLACED\s+ON\s+FILE|\bON\s+FILE\b")
_SERVED = re.compile(r"TIME\s+SERVED|DEEMED\s+SERVED|\bT/S\b")  # not after CREDIT (FOR): see _time_served
_PROB = re.compile(r"\bPROB(?:ATION)?\b")
_SUSP = re.compile(r"\bSUSP(?:ENDED|END)?\b")
_CONC = re.compile(r"\bCONC(?:URRENT(?:LY)?)?\b|\bC/C\b")
_FA = re.compile(r"FROM\s*(?:AND|&)\s*AFTER|\bF\s*&\s*A\b|\bF/A\b|\bCONSEC(?:UTIVE(?:LY)?)?\b")
_FINE = re.compile(r"FINE[DS]?\s*(?:OF\s*)?[$S]\s*(\d[\d,]*(?:\.\d\d)?)|FINE[DS]?\s*(?:OF\s*)?(\d[\d,]*(?:\.\d\d)?)\s*(?:DOLLARS|\$)?"
                   r"|\$\s*(\d[\d,]*(?:\.\d\d)?)\s*(?:DOLLARS?\s*)?FINE")
_BEFORE_PROB = re.compile(r"(?:PROB(?:ATION)?\.?|SUSP(?:ENDED|END)?\.?|C\.?W\.?O\.?F\.?|FINDING)\s*(?:FOR\s+|OF\s+|TO\s+)?$")
_AFTER_PROB = re.compile(r"^\s*(?:OF\s+)?PROB")
_TO_SERVE = re.compile(r"^\s*(?:TO\s+)?(?:BE\s+)?SERVE")
_BEFORE_SERVE = re.compile(r"(?:SERVE|SERVING)\s*$")
_CREDIT = re.compile(r"(?:CREDIT|JTC|J\.T\.C\.?)\s*(?:FOR\s+)?$")

_KNOWN = frozenset("""
YR YRS YEAR YEARS MO MOS MONTH MONTHS MTHS DAY DAYS DYS WK WKS WEEK WEEKS TO SERVE SERVED BE BAL BALANCE
SUSP SUSPENDED PROB PROBATION HOC H O C MCI M I STATE PRISON CEDAR JUNCTION WALPOLE CONCORD NORFOLK
FRAMINGHAM BRIDGEWATER SHIRLEY GARDNER PLYMOUTH INDET INDETERMINATE NOT LESS THAN NOR MORE NLT NMT
MIN MAX MINIMUM MAXIMUM CONC CONCURRENT CONCURRENTLY W WITH CT CTS COUNT COUNTS FROM AND AFTER F A
CONSEC CONSECUTIVE FINE FINED COSTS COST PLUS CWOF CONT CONTINUED WITHOUT FINDING FILED PLACED ON FILE
LIFE JAIL HOUSE OF CORRECTION COMMITTED COMMITMENT COMM VWF FEE FEES RESTITUTION REST DEFT DEFTS S
CONSENT TIME DEEMED CREDIT THE FOR AT IN PAROLE ELIGIBILITY SENTENCE SPLIT COUNTY DOC SP DOLLARS
BARNSTABLE BERKSHIRE BRISTOL DUKES ESSEX FRANKLIN HAMPDEN HAMPSHIRE MIDDLESEX NANTUCKET SUFFOLK
WORCESTER REFORMATORY LICENSE LIC LOSS OF T GUILTY AS ORDERED OR CORR SENT SENTENCED JTC
""".split()) | frozenset(_WORDNUM)


def iso_duration(amount: float, unit: str) -> str:
    """`iso_duration(2.5, "Y")` -> `P2Y6M`; unit is Y, M, W or D."""
    y = m = d = 0
    if unit == "Y":
        y = int(amount)
        m = round((amount - y) * 12)
    elif unit == "M":
        m = int(amount)
        d = round((amount - m) * 30)
    else:
        d = round(amount * (7 if unit == "W" else 1))
    return _fmt(y, m, d)


def normalize_sentence(text: str) -> Normalized[dict]:
    out = {"type": "other", "min": None, "max": None, "to_serve": None, "probation": None,
           "suspended": False, "concurrent": False, "from_and_after": False, "fine": None, "life": False}
    if not text or not text.strip():
        return fail("empty", out)
    s, repairs = _prepare(text)
    s = _LICENSE.sub(" ", s)  # an OUI licence loss is not a custody or probation term
    used: list[tuple[int, int]] = []
    rng = None
    for rx in _RANGES:
        m = rx.search(s)
        if m:
            lo_n, lo_u, hi_n, hi_u = m.groups()
            hi_unit = _unit(hi_u) if hi_u else "Y"
            out["min"] = _to_iso(lo_n, _unit(lo_u) if lo_u else hi_unit)
            out["max"] = _to_iso(hi_n, hi_unit)
            if not hi_u:
                repairs += 1  # units assumed years
            used.append(m.span())
            rng = m
            break
    term = None
    if rng is None and (m := _NMT.search(s)):
        out["max"] = _to_iso(m[1], _unit(m[2]) if m[2] else "Y")
        used.append(m.span())
        term = m
    for m in _DUR.finditer(s):
        if any(a <= m.start() < b for a, b in used):
            continue
        iso = _dur_iso(m)
        before, after = s[max(0, m.start() - 30):m.start()], s[m.end():m.end() + 20]
        if _TO_SERVE.match(after) or _BEFORE_SERVE.search(before):
            out["to_serve"] = iso
        elif _CREDIT.search(before):
            continue
        elif _BEFORE_PROB.search(before) or _AFTER_PROB.match(after):
            out["probation"] = iso
        elif term is None and out["max"] is None:
            term = m
            out["max"] = iso
    out["life"] = bool(_LIFE.search(s))
    out["suspended"] = bool(_SUSP.search(s))
    out["concurrent"] = bool(_CONC.search(s))
    out["from_and_after"] = bool(_FA.search(s))
    if (f := _FINE.search(s)):
        out["fine"] = _money(next(g for g in f.groups() if g))
    cwof = bool(_CWOF.search(s))
    out["type"] = _type(s, out, rng is not None, cwof, term is not None)
    if (term is not None and not out["suspended"] and out["to_serve"] is None
            and out["type"] in ("hoc", "jail", "other")):
        out["to_serve"] = out["max"]  # nothing suspended: the committed term is served in full
    has_any = (out["max"] or out["probation"] or out["fine"] is not None or out["life"]
               or out["type"] != "other" or out["to_serve"])
    if not has_any:
        return fail("no sentence terms", out)
    unknown = sum(1 for w in re.findall(r"[A-Z]{2,}", s) if w not in _KNOWN)
    cert = 1.0 - 0.1 * repairs - min(0.3, 0.05 * unknown) - (0.3 if out["type"] == "other" else 0.0)
    notes = [n for n, c in (("ocr repaired", repairs), (f"{unknown} unknown words", unknown)) if c]
    return good(out, cert, "; ".join(notes))


def _prepare(text: str) -> tuple[str, int]:
    s = " ".join(_CAPS_L.sub("I", text).upper().replace("½", " 1/2").split())
    repairs = len(_CAPS_L.findall(text))

    def word(m: re.Match) -> str:
        nonlocal repairs
        w = m.group()
        if sum(c.isalpha() for c in w) < 2:
            return w
        repairs += sum(c.isdigit() for c in w)
        return w.translate(TO_LETTER)

    def num(m: re.Match) -> str:
        nonlocal repairs
        w = m.group(1)
        if not any(c.isdigit() for c in w) and len(w) > 1:
            return w
        fixed = w.translate(str.maketrans("OIL|S", "01115"))
        repairs += sum(a != b for a, b in zip(w, fixed))
        return fixed

    def money(m: re.Match) -> str:
        nonlocal repairs
        fixed = m.group(1).translate(TO_DIGIT)
        repairs += sum(a != b for a, b in zip(m.group(1), fixed))
        return "$" + fixed

    def place(m: re.Match) -> str:
        nonlocal repairs
        repairs += 1
        return _PLACE_FIXES[next(k for k, g in enumerate(m.groups()) if g is not None)]

    s = _MONEY.sub(money, s)
    s = _OCR_WORD.sub(word, s)
    s = _OCR_NUM.sub(num, s)
    s = _PLACE_OCR.sub(place, s)
    return s, repairs


# Institution words as OCR damages them (H read as N, a letter lost, a space lost or a dot read as
# a comma): `NOC`, `H.O,C`, `HOUSF OF`, `HOUSEOF CORR`, `JAl`, `JAL`, `PRlSON`, `(INET.)`.
_PLACE_OCR = re.compile(r"(?<![A-Z])(N\.?O\.?C|H\.O,C|H,O\.C|\.O\.C|H\.O\.?(?=\s|,|$)|HO(?=,))(?![A-Z])|"
                        r"(?<![A-Z])(HOUS[EF]\s*OF|HOUSF|NOUSE\s*OF|HOUSEOF)(?=\s*(?:CORR|C))|"
                        r"(?<![A-Z])(JA(?:L|I[1|I]|[1|]L))(?![A-Z])|"
                        r"(?<![A-Z])(PR[1|L]SON|PRIS0N)(?![A-Z])|"
                        r"(?<![A-Z])(INET|IN0ET|INOET|NDET)(?=[\s.)]|$)")
_PLACE_FIXES = ("HOC", "HOUSE OF", "JAIL", "PRISON", "INDET")


def _type(s: str, out: dict, ranged: bool, cwof: bool, term: bool) -> str:
    if out["life"] or ranged or _SP.search(s):
        return "state_prison"
    if _time_served(s):
        return "time_served"  # 30 DAYS DEEMED SERVED: the printed term is max, nothing left to serve
    if _HOC.search(s):
        return "hoc"
    if _JAIL.search(s):
        return "jail"
    if cwof:
        return "cwof"
    if term and out["suspended"]:
        return "suspended"
    if term:
        return "other"
    if out["probation"] or _PROB.search(s):
        return "probation"
    if out["fine"] is not None:
        return "fine"
    if _FILED.search(s):
        return "filed"
    return "other"


def _time_served(s: str) -> bool:
    """TIME SERVED / DEEMED SERVED as the sentence, not `CREDIT FOR TIME SERVED` on a term."""
    return any(not _CREDIT.search(s[:m.start()]) for m in _SERVED.finditer(s))


def _unit(u: str) -> str:
    c = u[0]
    return "M" if c == "M" else c


def _number(n: str) -> float:
    if n in _WORDNUM:
        return float(_WORDNUM[n])
    if n == "1/2":
        return 0.5
    if "1/2" in n:
        return float(n.split()[0]) + 0.5
    return float(n)


def _to_iso(n: str, unit: str) -> str:
    return iso_duration(_number(n), unit)


def _dur_iso(m: re.Match) -> str:
    y, mo, d = _parts(iso_duration(_number(m[1]), _unit(m[2])))
    if m[3]:
        y2, mo2, d2 = _parts(iso_duration(float(m[3]), _unit(m[4])))
        y, mo, d = y + y2, mo + mo2, d + d2
    return _fmt(y, mo, d)


_ISO = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?")


def _parts(iso: str) -> tuple[int, int, int]:
    m = _ISO.fullmatch(iso)
    return (int(m[1] or 0), int(m[2] or 0), int(m[3] or 0)) if m else (0, 0, 0)


def _fmt(y: int, m: int, d: int) -> str:
    s = "P" + (f"{y}Y" if y else "") + (f"{m}M" if m else "") + (f"{d}D" if d else "")
    return s if s != "P" else "P0D"


def _money(s: str) -> float | int:
    v = float(s.replace(",", ""))
    return int(v) if v.is_integer() else v


def duration_days(iso: str | None) -> float:
    """Approximate length in days (365.25 a year, 30.44 a month), for plausibility checks."""
    if not iso:
        return 0.0
    y, m, d = _parts(iso)
    return y * 365.25 + m * 30.44 + d


_MISDEMEANOR = frozenset({"m", "misdemeanor", "misdemeanour", "misd"})


def sentence_in_range(value: dict, level: str | None) -> bool:
    """Plausibility of a normalized sentence for an offence level (felony / misdemeanor)."""
    if not value:
        return False
    lvl = (level or "").strip().lower()
    mx, mn, serve, prob = (duration_days(value.get(k)) for k in ("max", "min", "to_serve", "probation"))
    if lvl in _MISDEMEANOR and (value.get("type") == "state_prison" or value.get("life")):
        return False  # a misdemeanour is punishable in a House of Correction at most
    if value.get("type") in ("hoc", "jail") and mx > duration_days("P2Y6M") + 1:
        return False  # a House of Correction term cannot exceed 2 1/2 years
    if value.get("type") == "state_prison" and (mx and mx > 60 * 365.25 or mn and mn < 365):
        return False
    if mn and mx and mn > mx or serve and mx and serve > mx + 1:
        return False
    if prob > 5 * 365.25 + 1:
        return False
    fine = value.get("fine")
    return fine is None or 0 < fine <= 100_000
