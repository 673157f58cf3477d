"""Event phrases -> event types, and date labels -> the record field the date fills.

`normalize_event_type`: the first event phrase in the text wins (`ARRESTED AND BOOKED` is an
arrest); longer phrases beat their words (`PAROLE REVOKED` over `PAROLE`, `DISCHARGED FROM
PROBATION` over `DISCHARGED`).
`date_role`: the last label phrase wins (the one nearest a date printed after its label);
projections (`EST. RELEASE`, `PAROLE ELIG.`, `NEXT REVIEW`) are role `projected`, never a
release date.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Literal

from .result import Normalized, canon, fail, find_phrases, good, words

EventType = Literal["arrest", "booking", "arraignment", "disposition", "sentencing", "admission",
                    "release", "parole_granted", "parole_denied", "parole_revoked", "parole_release",
                    "probation_start", "probation_violation", "probation_end", "warrant", "transfer",
                    "escape", "death", "other"]

_EVENT_FORMS = MappingProxyType({
    "arrest": ["ARRESTED", "ARREST", "ARR", "ARRST", "APPREHENDED", "TAKEN INTO CUSTODY"],
    "booking": ["BOOKED", "BOOKING", "BKD"],
    "arraignment": ["ARRAIGNED", "ARRAIGNMENT", "ARRGN", "ARRAIGN", "ARRN"],
    "disposition": ["DISPOSED", "DISPOSITION", "DISP", "DISPO", "FOUND GUILTY", "GUILTY",
                    "NOT GUILTY", "DISMISSED", "NOLLE PROS", "NOLLE PROSEQUI", "CWOF",
                    "CHANGE OF PLEA", "PLEA TENDERED", "TRIAL BY JURY", "JURY WAIVED TRIAL"],
    "sentencing": ["SENTENCED", "SENTENCE IMPOSED", "SENTENCING", "SENT"],
    "admission": ["COMMITTED", "ADMITTED", "RECEIVED", "ADMISSION", "ADM", "RECD", "COMMITMENT",
                  "RETURNED TO CUSTODY"],
    "release": ["RELEASED", "DISCHARGED", "EXPIRATION OF SENTENCE", "EOS", "WRAPPED UP",
                "RELEASE", "DISCH", "REL", "SENTENCE EXPIRED", "GOOD TIME RELEASE"],
    "parole_granted": ["PAROLE GRANTED", "GRANTED PAROLE", "RESERVE", "RESERVED",
                       "PAROLE VOTED", "POSITIVE VOTE", "GRANTED"],
    "parole_denied": ["PAROLE DENIED", "DENIED PAROLE", "DENIED", "DENY", "PAROLE REFUSED"],
    "parole_revoked": ["PAROLE REVOKED", "REVOKED", "PAROLE REVOCATION", "REVOCATION",
                       "PAROLE VIOLATION", "PAROLE VIOLATOR", "RETURNED AS PAROLE VIOLATOR"],
    "parole_release": ["PAROLED", "RELEASED ON PAROLE", "PAROLE RELEASE", "RELEASED TO PAROLE"],
    "probation_start": ["PLACED ON PROBATION", "PROBATION", "PROBATION STARTED", "PROB"],
    "probation_violation": ["PROBATION SURRENDER", "VIOLATION OF PROBATION", "VOP",
                            "PROBATION VIOLATION", "PROB VIOL", "PROB VIOLATION", "SURRENDERED",
                            "SURRENDER", "PROBATION REVOKED"],
    "probation_end": ["PROBATION TERMINATED", "PROB TERM", "PROBATION ENDED", "PROBATION EXPIRED",
                      "DISCHARGED FROM PROBATION", "PROBATION DISCHARGED", "PROB TERMINATED",
                      "TERMINATED", "PROB EXP", "PROBATION COMPLETED"],
    "warrant": ["WARRANT", "WARRANT ISSUED", "DEFAULT WARRANT", "CAPIAS", "WARRANT RECALLED",
                "WARR", "WAR", "DEFAULTED"],
    "transfer": ["TRANSFERRED", "TRANSFER", "XFER", "XFERRED", "TRANSF", "TRANS", "MOVED"],
    "escape": ["ESCAPED", "ESCAPE", "WALKAWAY", "AWOL", "ABSCONDED"],
    "death": ["DIED", "DECEASED", "DEATH", "DEAD"],
})

_ROLE_FORMS = MappingProxyType({
    "projected": ["EST RELEASE", "EST REL", "ESTIMATED RELEASE", "EST", "PROJECTED",
                  "PROJECTED RELEASE", "PAROLE ELIG", "PAROLE ELIGIBILITY", "PAROLE ELIGIBLE",
                  "ELIG", "PE", "PE DATE", "NEXT REVIEW", "REVIEW", "NEXT HEARING",
                  "GOOD TIME DATE", "GT DATE", "MAX DATE", "EXP DATE", "WRAP DATE",
                  "EXPIRATION DATE", "MIN EXP", "MAX EXP", "DUE", "MAX RELEASE", "MAX REL", "MIN RELEASE",
                  "GCD RELEASE", "GCD", "GOOD CONDUCT", "GOOD CONDUCT DISCHARGE", "EXP RELEASE",
                  "EXPECTED RELEASE", "TENTATIVE RELEASE", "WRAP UP", "DISCHARGE DATE PROJECTED"],
    "offense_date": ["OFFENSE", "OFFENCE", "OFF", "DATE OF OFFENSE", "OFF DATE", "INCIDENT",
                     "OFFENSE DATE", "OCCURRED", "DATE OF OFFENCE", "VIOL DATE", "DATE OF CRIME",
                     "CRIME DATE", "DATE OF VIOLATION", "VIOLATION DATE"],
    "arrest_date": ["ARRESTED", "ARREST", "DATE OF ARREST", "ARR", "ARR DATE", "ARREST DATE",
                    "DATE ARRESTED"],
    "arraignment_date": ["ARRAIGNED", "ARRAIGNMENT", "ARRGN", "ARRAIGN", "ARRN",
                         "ARRAIGNMENT DATE", "DATE OF ARRAIGNMENT"],
    "disposition_date": ["DISPOSED", "DISPOSITION", "DISP", "DISP DATE", "DISPO",
                         "DISPOSITION DATE", "DATE OF DISPOSITION", "DATE DISPOSED", "FINDING",
                         "VERDICT", "ADJUDICATION", "ADJUDICATED", "COURT ACTION"],
    "sentence_date": ["SENTENCED", "SENTENCE DATE", "DATE OF SENTENCE", "SENT DATE",
                      "DATE SENTENCED", "SENTENCE", "SENT"],
    "admission_date": ["ADMITTED", "ADM", "DATE ADMITTED", "RECEIVED", "COMMITTED",
                       "DATE COMMITTED", "COMMITMENT DATE", "ADMISSION", "ADMISSION DATE",
                       "RECD", "DATE RECEIVED", "ADM DATE", "DATE OF COMMITMENT"],
    "release_date": ["RELEASED", "REL", "DATE RELEASED", "DISCHARGED", "DISCH",
                     "RELEASE DATE", "DATE OF RELEASE", "DISCHARGE DATE", "PAROLED",
                     "DATE PAROLED", "RELEASE", "DISCHARGE", "ON PAROLE FROM", "AT LIBERTY",
                     "DATE OF PAROLE", "PAROLE DATE", "PAROLE EFFECTIVE",
                     # A sentence that ran out is a discharge, not a sentencing (`EXP. OF SENT.`).
                     "EXPIRATION OF SENTENCE", "EXPIRATION OF SENT", "EXP OF SENTENCE", "EXP OF SENT",
                     "SENTENCE EXPIRED", "EOS", "COMPLETION OF SENTENCE", "SENTENCE COMPLETED",
                     "SENTENCE SERVED"],
    "hearing_date": ["HEARING", "HEARING DATE", "DATE OF HEARING", "HEARD", "HRG", "HRG DATE"],
    "booking_date": ["BOOKED", "BOOKING DATE", "DATE BOOKED", "BOOKING", "BKD"],
    "dob": ["DOB", "D O B", "DATE OF BIRTH", "BORN", "BIRTH DATE", "BIRTHDATE", "BD", "BIRTH",
            "DT OF BIRTH", "BDATE"],
})


def _table(forms) -> MappingProxyType:
    return MappingProxyType({tuple(f.split()): code for code, fs in forms.items() for f in fs})


_EVENTS = _table(_EVENT_FORMS)
_ROLES = _table(_ROLE_FORMS)
_FILLER = frozenset({"DATE", "DT", "OF", "THE", "FROM", "TO", "ON", "AND", "DEFT", "WAS", "IN", "AT"})
_EV_VOCAB = frozenset(w for k in _EVENTS for w in k) | _FILLER
_ROLE_VOCAB = frozenset(w for k in _ROLES for w in k) | _FILLER
_EV_FUZZY = tuple(sorted(w for w in _EV_VOCAB if len(w) >= 5))
_ROLE_FUZZY = tuple(sorted(w for w in _ROLE_VOCAB if len(w) >= 5))
_EV_LONGEST = max(len(k) for k in _EVENTS)
_ROLE_LONGEST = max(len(k) for k in _ROLES)


def _scan(text: str, vocab, fuzzy, table, longest) -> tuple[list[tuple[int, int, str]], list[float]]:
    toks, certs = [], []
    for w in words(text):
        c, k = canon(w, vocab, fuzzy, 82)
        toks.append(c)
        certs.append(k)
    return find_phrases(toks, table, longest), certs


def normalize_event_type(text: str) -> Normalized[EventType]:
    if not text or not text.strip():
        return fail("empty")
    hits, certs = _scan(text, _EV_VOCAB, _EV_FUZZY, _EVENTS, _EV_LONGEST)
    if not hits:
        return good("other", 0.3, "no event words")
    pos, n, code = hits[0]
    c = min(certs[pos:pos + n])
    mixed = len({h[2] for h in hits}) > 1  # several event kinds named: the first is likelier
    return good(code, c * (0.9 if mixed else 1.0), "ocr repaired" if c < 1 else "")


def date_role(context: str) -> str | None:
    """The field a date fills, from the label words printed next to it; None if no label."""
    if not context or not context.strip():
        return None
    hits, _ = _scan(context, _ROLE_VOCAB, _ROLE_FUZZY, _ROLES, _ROLE_LONGEST)
    return hits[-1][2] if hits else None
