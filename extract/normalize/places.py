"""Court and facility names -> canonical upper-case names.

Courts: `<SEAT> DISTRICT COURT`, `BOSTON MUNICIPAL COURT` / `BOSTON MUNICIPAL COURT - <DIV>
DIVISION`, `<COUNTY> SUPERIOR COURT`, `<COUNTY> JUVENILE COURT`, `<COUNTY> PROBATE AND FAMILY
COURT`. Truncated and OCR-damaged seats are matched to the gazetteer (places_data.json); a
"district court" of a town with no court stays `<TOWN> DISTRICT COURT` at lower certainty.
Facilities: DOC institutions by name (MCI WALPOLE is kept: it is the pre-1985 name of Cedar
Junction, and the record's name is the fact; `MCI FRAM.`, `MCI-CJ` resolve only after MCI),
`<COUNTY> HOC`, `<COUNTY> JAIL` (also from short county names: `MIDD HOC`; `HAMP` is Hampden at
low certainty), `STATE PRISON`.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType

from rapidfuzz import fuzz, process

from .result import TO_LETTER, Normalized, canon, fail, find_phrases, good, words

def _gazetteer():
    d = json.loads(Path(__file__).with_name("places_data.json").read_text())
    seats = {s: c for c, ss in d["district_courts"].items() for s in ss}
    seats |= {s: "SUFFOLK" for s in d["boston_district_courts"]}
    towns = {t: c for c, ts in d["towns"].items() for t in ts} | seats
    abbrev = {a: c for a, c in d["county_abbreviations"].items() if not a.startswith("_")}
    return (tuple(d["counties"]), MappingProxyType(seats), MappingProxyType(towns),
            tuple(d["bmc_divisions"]), MappingProxyType(d["hoc_places"]), MappingProxyType(abbrev),
            frozenset(d["ambiguous_county_abbreviations"]))


(COUNTIES, _SEAT_COUNTY, _TOWN_COUNTY, _BMC, _HOC_PLACES, _COUNTY_ABBREV,
 _AMBIGUOUS_ABBREV) = _gazetteer()
_SEATS = tuple(_SEAT_COUNTY)
_TOWNS = tuple(t for t in _TOWN_COUNTY if t not in _SEAT_COUNTY)

_KIND_WORDS = MappingProxyType({
    "DISTRICT": "district", "DIST": "district", "DC": "district", "DISTRICTCT": "district",
    "SUPERIOR": "superior", "SUP": "superior", "SUPER": "superior", "SUPR": "superior",
    "SUPCT": "superior", "JUVENILE": "juvenile", "JUV": "juvenile", "BMC": "bmc",
    "MUNICIPAL": "bmc", "MUN": "bmc", "MUNI": "bmc", "PROBATE": "probate", "HOUSING": "housing",
})
_FILLER = frozenset("COURT CT CRT CTS OF THE DIVISION DIV DEPT DEPARTMENT COUNTY CTY CO SS AT FOR "
                    "SESSION CRIMINAL TRIAL COMMONWEALTH MASSACHUSETTS MASS MA AND FAMILY IN".split())
_COURT_VOCAB = frozenset(_KIND_WORDS) | _FILLER | frozenset(COUNTIES)
_COURT_FUZZY = ("DISTRICT", "SUPERIOR", "JUVENILE", "MUNICIPAL", "DIVISION", "DEPARTMENT", "COUNTY",
                "PROBATE", "COURT", "HOUSING", "SESSION", "CRIMINAL")


def normalize_court(text: str) -> Normalized[str]:
    if not text or not text.strip():
        return fail("empty")
    kind, place, cert = None, [], 1.0
    for w in words(text):
        c, k = canon(w, _COURT_VOCAB, _COURT_FUZZY)
        if c in _KIND_WORDS:
            kind = kind or _KIND_WORDS[c]
            cert = min(cert, k)
        elif c not in _FILLER:
            place.append(w.translate(TO_LETTER))
            cert -= 0.1 * sum(a != b for a, b in zip(w, place[-1]))
    if kind == "bmc" or (kind is None and place[:1] == ["BMC"]):
        place = [p for p in place if p not in ("BOSTON", "BMC", "CENT", "CTRL")]
        if not place:
            return good("BOSTON MUNICIPAL COURT", cert)
        div, c = _match(" ".join(place), _BMC)
        if not div:
            return fail("unknown BMC division")
        return good("BOSTON MUNICIPAL COURT" if div == "CENTRAL" else
                    f"BOSTON MUNICIPAL COURT - {div} DIVISION", cert * c)
    p = " ".join(place)
    if not p:
        return fail("no place named")
    if kind in ("superior", "juvenile", "probate"):
        county, c, note = _county(p)
        if not county:
            return fail(f"unknown county {p!r}")
        suffix = {"superior": "SUPERIOR COURT", "juvenile": "JUVENILE COURT",
                  "probate": "PROBATE AND FAMILY COURT"}[kind]
        return good(f"{county} {suffix}", cert * c, note)
    if kind == "housing":
        town, c = _match(p, _SEATS + _TOWNS)
        return good(f"{town or p} HOUSING COURT", cert * (c if town else 0.4))
    seat, c = _match(p, _SEATS)
    if seat:
        return good(f"{seat} DISTRICT COURT", cert * c * (1.0 if kind else 0.5),
                    "" if kind else "court kind assumed")
    town, c = _match(p, _TOWNS)
    if town and kind:
        return good(f"{town} DISTRICT COURT", cert * c * 0.7, "no district court sits there")
    if kind == "district":
        return good(f"{p} DISTRICT COURT", cert * 0.3, "unknown place")
    return fail("not a court")


def _match(p: str, names: tuple[str, ...]) -> tuple[str | None, float]:
    """Gazetteer name for a possibly truncated or OCR-damaged place, and certainty."""
    if p in names:
        return p, 1.0
    if len(p) >= 3:
        pre = [n for n in names if n.startswith(p)]
        if len(pre) == 1:
            return pre[0], 0.85             # truncated: DARTMOUT, NEW BEDF
        if pre:
            return pre[0], 0.4              # HAMP: Hampden or Hampshire
    hit = process.extractOne(p, names, scorer=fuzz.ratio, score_cutoff=80)
    if hit:
        return hit[0], 0.5 + 0.4 * (hit[1] - 80) / 20
    if len(p) >= 4:  # truncated and damaged: compare with each name cut to the same length
        best = max(((fuzz.ratio(p, n[:len(p)]), n) for n in names), default=(0, None))
        if best[0] >= 85:
            return best[1], 0.5
    return None, 0.0


def _county(p: str) -> tuple[str | None, float, str]:
    county, c = _match(p, COUNTIES)
    if county:
        return county, c, "" if c > 0.5 else "county ambiguous"
    town, c = _match(p, _SEATS + _TOWNS)
    if town:
        return _TOWN_COUNTY[town], c * 0.7, "county from town"
    return None, 0.0, ""


# -- facilities ------------------------------------------------------------------------------
_DOC_FORMS = MappingProxyType({
    "MCI CEDAR JUNCTION": ["CEDAR JUNCTION", "MCICJ", "CEDAR JCT", "CEDAR JCTN", "CEDAR JCN", "CEDAR JUNC",
                           "CEDAR JUNCT", "CEDAR"],
    "MCI WALPOLE": ["WALPOLE"],
    "MCI CONCORD": ["CONCORD"],
    "MCI NORFOLK": ["NORFOLK"],
    "MCI FRAMINGHAM": ["FRAMINGHAM"],
    "MCI BRIDGEWATER": ["BRIDGEWATER"],
    "BRIDGEWATER STATE HOSPITAL": ["BRIDGEWATER STATE HOSPITAL", "BSH", "STATE HOSPITAL"],
    "MCI SHIRLEY": ["SHIRLEY"],
    "MCI PLYMOUTH": ["PLYMOUTH"],
    "MCI LANCASTER": ["LANCASTER"],
    "MCI GARDNER": ["GARDNER"],
    "NCCI GARDNER": ["NCCI", "NCCI GARDNER", "NORTH CENTRAL", "NORTH CENTRAL CORRECTIONAL"],
    "MCI WARWICK": ["WARWICK"],
    "SOUZA-BARANOWSKI CORRECTIONAL CENTER": ["SOUZA BARANOWSKI", "SBCC", "SOUZA", "BARANOWSKI"],
    "OLD COLONY CORRECTIONAL CENTER": ["OLD COLONY", "OCCC"],
    "MASSACHUSETTS TREATMENT CENTER": ["TREATMENT CENTER", "TREATMENT", "MTC"],
    "BOSTON PRE-RELEASE CENTER": ["BOSTON PRE RELEASE", "PRE RELEASE", "BPRC"],
    "SOUTH MIDDLESEX CORRECTIONAL CENTER": ["SOUTH MIDDLESEX", "SMCC"],
    "NORTHEASTERN CORRECTIONAL CENTER": ["NORTHEASTERN", "NECC"],
    "BAY STATE CORRECTIONAL CENTER": ["BAY STATE", "BSCC"],
    "PONDVILLE CORRECTIONAL CENTER": ["PONDVILLE"],
    "MASSACHUSETTS REFORMATORY": ["REFORMATORY"],
    "CHARLESTOWN STATE PRISON": ["CHARLESTOWN STATE PRISON", "CHARLESTOWN"],
    "STATE PRISON": ["STATE PRISON"],
    "MASSACHUSETTS ALCOHOL AND SUBSTANCE ABUSE CENTER": ["MASAC"],
    "LEMUEL SHATTUCK HOSPITAL CORRECTIONAL UNIT": ["SHATTUCK"],
})
_DOC = MappingProxyType({tuple(a.split()): c for c, al in _DOC_FORMS.items() for a in al})
_DOC_LONGEST = max(len(k) for k in _DOC)
# Short forms that only name an institution after MCI (MCI-CJ); `CJ` alone is too weak.
_DOC_AFTER_MCI = MappingProxyType(dict(_DOC) | {("CJ",): "MCI CEDAR JUNCTION", ("C", "J"): "MCI CEDAR JUNCTION"})
# One-word names a truncated word after MCI may stand for: MCI FRAM. -> MCI FRAMINGHAM.
_DOC_ONE_WORD = tuple((k[0], c) for k, c in _DOC.items() if len(k) == 1 and len(k[0]) >= 5)
_HOC_TABLE = MappingProxyType({tuple(p.split()): c for p, c in _HOC_PLACES.items()}
                              | {(a,): c for a, c in _COUNTY_ABBREV.items()} | {(c,): c for c in COUNTIES})
_CORRECTION = frozenset("CORRECTION CORR CORREC CORRN CORRECTIONS".split())
_FAC_VOCAB = (frozenset(w for k in _DOC for w in k) | frozenset(w for k in _HOC_TABLE for w in k)
              | _CORRECTION | frozenset("HOC HC HOUSE CORRECTIONAL JAIL COUNTY CF FACILITY MCI CJ JCT".split()))
_FAC_FUZZY = tuple(sorted(w for w in _FAC_VOCAB if len(w) >= 5 and w not in _COUNTY_ABBREV))
_FAC_FILLER = frozenset("MCI M C I CC CORRECTIONAL CENTER CTR INSTITUTION INST MASS MASSACHUSETTS AT THE".split())


def normalize_facility(text: str) -> Normalized[str]:
    if not text or not text.strip():
        return fail("empty")
    toks, certs = [], []
    for w in words(text):
        c, k = canon(w, _FAC_VOCAB, _FAC_FUZZY)
        toks.append(c)
        certs.append(k)
    cert = min(certs, default=1.0)
    note = "ocr repaired" if cert < 1 else ""
    s = set(toks)
    hoc = ("HOC" in s or "HC" in s or ("HOUSE" in s and not s.isdisjoint(_CORRECTION))
           or ("COUNTY" in s and ("CF" in s or "FACILITY" in s)))
    if hoc or "JAIL" in s:
        hits = find_phrases(toks, _HOC_TABLE, 2)
        if not hits:
            return fail("county not named")
        # A county's own name first, then a place or short form, an ambiguous short form (HAMP) last.
        pos, _, county = min(hits, key=lambda h: (0 if (h[2],) == tuple(toks[h[0]:h[0] + 1]) else
                                                  2 if toks[h[0]] in _AMBIGUOUS_ABBREV else 1, h[0]))
        if toks[pos] in _AMBIGUOUS_ABBREV:
            cert, note = cert * 0.4, "county ambiguous"
        return good(f"{county} {'HOC' if hoc else 'JAIL'}", cert, note)
    mci = "MCI" in s or "MCICJ" in s
    toks = [t for t in toks if t not in _FAC_FILLER]
    hits = find_phrases(toks, _DOC_AFTER_MCI if mci else _DOC, _DOC_LONGEST)
    if not hits:
        name = _truncated(toks) if mci else None
        if name is None:
            return fail("unknown facility")
        return good(name, cert * 0.85, "truncated name")
    name = max(hits, key=lambda h: h[1])[2]  # the most specific phrase: BRIDGEWATER STATE HOSPITAL
    return good(name, cert * (1.0 if len(hits) == 1 else 0.9), note)


def _truncated(toks: list[str]) -> str | None:
    """The one institution a cut-off word after MCI names (FRAM, NORF, CONC), or None."""
    for t in toks:
        if len(t) >= 3:
            names = {c for w, c in _DOC_ONE_WORD if w.startswith(t)}
            if len(names) == 1:
                return names.pop()
    return None
