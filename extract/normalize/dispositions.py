"""Disposition words as clerks wrote them -> one code.

Codes: guilty not_guilty dismissed nolle_prosequi cwof filed responsible not_responsible
continued default other. The first disposition phrase in the text wins (`GUILTY - 2 YRS HOC`,
`FILED W/ DEFT'S CONSENT`); abbreviations (`G`, `GF`, `NG`, `NP`, `DSM`) only count as whole words.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Literal

from .result import Normalized, canon, fail, find_phrases, good, words

Disposition = Literal["guilty", "not_guilty", "dismissed", "nolle_prosequi", "cwof", "filed",
                      "responsible", "not_responsible", "continued", "default", "other"]

_FORMS = MappingProxyType({
    "not_guilty": ["NOT GUILTY", "NG", "NOT GLTY", "NOT G", "FOUND NOT GUILTY", "ACQUITTED", "NGRI",
                   "NOT GUILTY BY REASON OF INSANITY", "ACQUITTAL", "JUDGMENT OF ACQUITTAL"],
    "guilty": ["GUILTY", "G", "GLTY", "GTY", "FOUND GUILTY", "PLEA GUILTY", "PLED GUILTY",
               "PLEADED GUILTY", "PLEA OF GUILTY", "GUILTY PLEA", "CONVICTED", "PLEA G", "GF",
               "GUILTY FINDING", "FINDING OF GUILTY", "FINDING GUILTY", "GUILTY FINDING ENTERED"],
    "dismissed": ["DISMISSED", "DISM", "DISMD", "DISMISSAL", "DISMISS", "DIS", "DSM", "DSMD", "DISMSD"],
    "nolle_prosequi": ["NOLLE PROSEQUI", "NOLLE PROS", "NOL PROS", "NOLPROS", "NOLLE", "NOLLED",
                       "NP", "NOLLE PROSSED", "NOL PROSSED", "NOL"],
    "cwof": ["CWOF", "CONT WO FINDING", "CONTINUED WITHOUT A FINDING", "CONTINUED WITHOUT FINDING",
             "CONT WITHOUT FINDING", "CONTD WO FINDING", "CONTINUED WO FINDING", "C W O F"],
    "filed": ["FILED", "PLACED ON FILE", "PLACED ON FILED", "ON FILE", "FILE"],
    "not_responsible": ["NOT RESPONSIBLE", "NR", "FOUND NOT RESPONSIBLE"],
    "responsible": ["RESPONSIBLE", "FOUND RESPONSIBLE", "RESP"],
    "continued": ["CONTINUED", "CONT", "CONTD", "CONTINUANCE"],
    "default": ["DEFAULT", "DEFAULTED", "DEFLT"],
})
_PHRASES = MappingProxyType({tuple(f.split()): code for code, forms in _FORMS.items() for f in forms})
_LONGEST = max(len(k) for k in _PHRASES)
_VOCAB = frozenset(w for k in _PHRASES for w in k) | {"WITH", "DEFTS", "CONSENT", "DEFT", "FINDING"}
_FUZZY = tuple(sorted(w for w in _VOCAB if len(w) >= 4))
# Short forms where one OCR slip makes another word: less sure than a spelled-out word.
_SHORT = MappingProxyType({"G": 0.85, "GF": 0.85, "NG": 0.9, "NP": 0.9, "NR": 0.85, "DIS": 0.8, "DSM": 0.85,
          "NOL": 0.85, "FILE": 0.9,
          "CONT": 0.85, "ON FILE": 0.9})


def normalize_disposition(text: str) -> Normalized[Disposition]:
    if not text or not text.strip():
        return fail("empty")
    toks, certs = [], []
    for w in words(text):
        c, k = canon(w, _VOCAB, _FUZZY)
        toks.append(c)
        certs.append(k)
    hits = find_phrases(toks, _PHRASES, _LONGEST)
    if not hits:
        return good("other", 0.3, "no disposition words") if toks else fail("no words")
    pos, n, code = hits[0]
    cert = min(certs[pos:pos + n]) * _SHORT.get(" ".join(toks[pos:pos + n]), 1.0)
    if pos > 2:
        cert *= 0.9  # the disposition word sits deep inside other text
    return good(code, cert, "ocr repaired" if min(certs[pos:pos + n]) < 1 else "")
