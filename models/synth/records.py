"""Events rendered as verified-record dicts (models.verified.VerifiedRecord), noise and all, then
placed on documents: court cases on their docket sheet (several records on one page), older cards
on microfiche sheets (frames of many people), parole decisions and HOC commitments on list pages.

Plain dicts on purpose: this runs 17 million times for the full state, and json.dumps of a plain
dict is many times faster than building and dumping pydantic models (tests validate a sample).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from . import places as P
from .courses import Case, Event
from .people import NoiseRates, Person, render_dob, render_name, render_sid

_EPOCH_2024 = int(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp())
_TWO_YEARS = 2 * 365 * 86400
FICHE_FRAMES = (7, 14)          # rows x cols of a fiche sheet
LIST_ROWS, LIST_PAGES = 30, 20  # rows per list page, pages per list document
_COURTS = frozenset({P.DISTRICT, P.SUPERIOR, P.BMC, P.JUVENILE})
_SHERIFFS = frozenset(P.SHERIFFS.values())
_AGENCY_SLUG = {a: "".join(w[0] for w in a.replace("'", "").split()).lower() for a in P.AGENCIES}
_DATE_FIELD = {"arrest": "arrest_date", "booking": "booking_date", "arraignment": "arraignment_date",
               "disposition": "disposition_date", "sentencing": "sentence_date", "admission": "admission_date",
               "release": "release_date", "parole_hearing": "hearing_date", "parole_granted": "hearing_date",
               "parole_denied": "hearing_date", "parole_revoked": "hearing_date",
               "probation_start": "probation_date", "probation_violation": "violation_date"}
_DISPO_TEXT = {"guilty": "GUILTY", "not_guilty": "NOT GUILTY", "dismissed": "DISMISSED",
               "nolle_prosequi": "NOLLE PROS", "cwof": "CWOF", "filed": "FILED"}
_REVIEWERS = tuple(f"reviewer-{i:02d}" for i in range(1, 25))
_CONF = tuple(round(0.86 + i * 0.0065, 3) for i in range(20))


_KIND = {**{a: "court" for a in _COURTS}, **{a: "sheriff" for a in _SHERIFFS}, P.DOC: "doc", P.PAROLE: "parole",
         P.PROBATION: "probation", P.STATE_POLICE: "police", P.DCJIS: "dcjis"}
_SERIES = P.SERIES


# Per agency kind: SID missing (before 1990, from 1990), DOB extra missing, and the shares of records
# carrying gender, race, ethnicity. Courts rarely print the SID; custody and fingerprint cards do.
_SID_MISSING = {"court": (0.85, 0.6), "probation": (0.35, 0.15), "doc": (0.1, 0.02), "sheriff": (0.3, 0.1),
                "police": (0.03, 0.02), "dcjis": (0.08, 0.04), "parole": (0.15, 0.05)}
_DOB_EXTRA = {"court": 0.12, "probation": 0.02, "doc": 0.0, "sheriff": 0.02, "police": 0.0, "dcjis": 0.01,
              "parole": 0.03}
_DEMOGRAPHICS = {"court": (0.3, 0.1, 0.05), "probation": (0.6, 0.4, 0.2), "doc": (0.95, 0.85, 0.6),
                 "sheriff": (0.95, 0.85, 0.6), "police": (0.95, 0.85, 0.6), "dcjis": (0.9, 0.7, 0.5),
                 "parole": (0.5, 0.3, 0.1)}


def _fv(value, text: str, conf: float) -> dict:
    return {"value": value, "text": text, "confidence": conf, "bbox": None}


@dataclass(slots=True)
class Placed:
    """A rendered record waiting for its place on a document (filled in by `place`)."""

    medium: str        # docket | fiche | list | pdf
    group: tuple       # what shares a document (docket, card, list) before it is laid out
    day: int
    record: dict
    person_id: str
    tags: tuple[str, ...]


def _charges(case: Case, event: str, conf: float) -> list[dict]:
    """A case's charges as one stage of it prints them; the same dicts serve every record of that
    stage (json writes shared dicts out in full), so a case's charges are built a few times, not per record."""
    stage = 2 if event in ("sentencing", "admission", "probation_start") else 1 if event == "disposition" else 0
    cache = case.rendered
    if stage in cache:
        return cache[stage]
    out = []
    for ch in case.charges:
        o = ch.offence
        c = {"description": _fv(o.description, o.description, conf), "statute": _fv(o.statute, o.citation, conf),
             "offense_code": _fv(o.code, o.code, conf), "disposition": None, "sentence": None}
        if event in ("disposition", "sentencing", "admission", "probation_start") and ch.disposition:
            c["disposition"] = _fv(ch.disposition, _DISPO_TEXT[ch.disposition], conf)
        if event in ("sentencing", "admission", "probation_start") and ch.sentence:
            c["sentence"] = _fv(ch.sentence, ch.sentence_text, conf)
        out.append(c)
    cache[stage] = out
    return out


# Newer events of four agencies reach the repository as their systems' extracts (feeds/), not as
# scans: from `RenderContext.feeds_from` on, these events are rendered for the feed named here.
FEED_EVENTS = {(P.DOC, "admission"): "doc-movements", (P.DOC, "release"): "doc-movements",
               (P.DISTRICT, "disposition"): "district-court-dispositions",
               (P.PROBATION, "probation_start"): "probation-supervision",
               (P.PROBATION, "probation_violation"): "probation-supervision",
               **{(P.PAROLE, k): "parole-hearings" for k in ("parole_hearing", "parole_granted", "parole_denied",
                                                              "parole_revoked")}}


@dataclass(slots=True)
class RenderContext:
    """What rendering needs besides the event: the noise rates, a cache of dates as printed, and
    the year from which agency systems deliver extracts (None: everything is scanned)."""

    rates: NoiseRates
    days: dict[int, tuple[str, str, str, int]] = field(default_factory=dict)
    feeds_from: int | None = None

    def day(self, ordinal: int) -> tuple[str, str, str, int]:
        """(ISO, old-style text 3/4/62, newer text 03/04/1962, year) of a date ordinal."""
        v = self.days.get(ordinal)
        if v is None:
            d = date.fromordinal(ordinal)
            v = (d.isoformat(), f"{d.month}/{d.day}/{d.year % 100:02d}", f"{d.month:02d}/{d.day:02d}/{d.year}",
                 d.year)
            self.days[ordinal] = v
        return v


def render(rng: random.Random, p: Person, e: Event, ctx: RenderContext) -> Placed:
    r = ctx.rates
    rnd = rng.random
    iso, old_text, new_text, year = ctx.day(e.day)
    kind = _KIND[e.agency]
    old = year < 1990
    feed = FEED_EVENTS.get((e.agency, e.kind)) if ctx.feeds_from is not None and year >= ctx.feeds_from else None
    # Older custody, fingerprint and probation cards survive on microfiche; court dockets on paper
    # or PDF; the parole board and sheriffs kept lists.
    if feed:
        medium = "feed"
    elif kind == "parole" or kind == "sheriff":
        medium = "list"
    elif kind == "court":
        medium = "docket"
    elif year < 1995 and kind in ("doc", "police", "probation"):
        medium = "fiche"
    else:
        medium = "pdf"
    how_x = rnd()
    if how_x < 0.72:
        by, how, conf = "machine", "auto", _CONF[int(rnd() * 20)]
    else:
        by, how, conf = _REVIEWERS[int(rnd() * 24)], "reviewed" if how_x < 0.95 else "audited", 1.0
    verification = {"by": by, "at": datetime.fromtimestamp(_EPOCH_2024 + int(rnd() * _TWO_YEARS),
                                                           timezone.utc).isoformat(), "how": how}
    tags: list[str] = []
    name = render_name(rng, p, e.day, r, medium == "fiche", tags)
    fields = {"name": {"value": name, "text": name, "confidence": conf, "bbox": None}}
    # An agency system cannot save a person without a date of birth.
    dob_missing = 0.0 if feed else r.dob_missing + _DOB_EXTRA[kind] + (0.05 if year < 1970 else 0.0)
    dob = render_dob(rng, p.dob, r, dob_missing, tags)
    if dob is not None:
        d_iso, d_old, d_new, _ = ctx.day(dob.toordinal())
        fields["dob"] = {"value": d_iso, "text": d_old if old else d_new, "confidence": conf, "bbox": None}
    lo, hi = _SID_MISSING[kind]
    miss = min(1.0, (lo if old else hi) * r.sid_missing_scale + (0.3 if year < 1965 else 0.0))
    sid = render_sid(rng, p.sid, r, miss, tags)
    if sid is not None:
        fields["sid"] = _fv(sid, sid if rnd() < 0.7 else f"{sid[:2]} {sid[2:]}", conf)
    fields[_DATE_FIELD[e.kind]] = {"value": iso, "text": old_text if old else new_text, "confidence": conf,
                                   "bbox": None}
    case = e.case
    if kind == "court" or (case is not None and kind in ("probation", "sheriff", "doc") and rnd() < 0.7):
        fields["docket"] = _fv(case.docket, case.docket, conf)
        fields["court"] = _fv(case.court, case.court, conf)
    if kind == "probation":
        fields["pcf"] = _fv(p.pcf, p.pcf, conf)
    if feed:
        verification = {"by": f"feed:{feed}", "at": verification["at"], "how": "feed"}
    if e.facility:
        fields["facility"] = _fv(e.facility, e.facility, conf)
    if e.commitment_no:
        fields["commitment_no"] = _fv(e.commitment_no, e.commitment_no, conf)
    if e.related_day:
        r_iso, r_old, r_new, _ = ctx.day(e.related_day)
        fields["arrest_date" if e.kind == "booking" else "admission_date"] = _fv(r_iso, r_old if old else r_new, conf)
    g, rc, et = _DEMOGRAPHICS[kind]
    s = r.demographics_scale
    if rnd() < g * s:
        gender = p.gender
        if rnd() < r.gender_error:
            gender = "F" if gender == "M" else "M"
            tags.append("gender_error")
        fields["gender"] = _fv(gender, gender if old else ("MALE" if gender == "M" else "FEMALE"), conf)
    if rnd() < rc * s:
        race = p.race
        if p.hispanic and year < 1980 and rnd() < 0.5:
            race = "HISPANIC"  # before ethnicity had its own box, clerks wrote it as race
        if rnd() < r.race_inconsistent:
            race = "OTHER" if race != "OTHER" else "WHITE"
            tags.append("race_inconsistent")
        fields["race"] = _fv(race, race[0] if old else race, conf)
    if year >= 1980 and rnd() < et * s:
        eth = "HISPANIC" if p.hispanic else "NOT HISPANIC"
        fields["ethnicity"] = _fv(eth, eth, conf)
    charges = _charges(case, e.kind, conf) if case is not None and e.kind != "release" else []
    record = {"source": "", "sha256": "", "page": 1, "frame": None, "record": 0, "bbox": None,
              "event_type": e.kind, "confidence": conf, "fields": fields, "charges": charges,
              "provenance": {"agency": e.agency, "county": e.county, "series": _SERIES[e.agency]},
              "verification": verification}
    if medium == "feed":
        record["source"] = f"feed:{feed}"
        group = (feed,)
    elif medium == "docket":
        group = (p.index, "docket", case.no)
    elif medium == "fiche":
        # A DOC card holds one commitment's admission and release; other cards one event.
        card = e.commitment_no if kind == "doc" and e.commitment_no else f"{case.no if case else 0}:{e.kind}"
        group = (e.agency, year // 10, p.index, card)
    elif medium == "list":
        group = (e.agency, year, e.kind in ("admission", "release"))
    else:
        group = (p.index, e.agency, case.no if case else 0, e.commitment_no or "")
    return Placed(medium, group, e.day, record, p.person_id, tuple(tags))


def _sha(seed: int, *parts) -> str:
    return hashlib.sha256(("crosstrack-synth:" + ":".join(map(str, (seed, *parts)))).encode()).hexdigest()


def place(placed: list[Placed], seed: int, chunk: int) -> list[Placed]:
    """Give each record of a chunk of people its document, page, frame and ordinal; returns them
    in document order. Fiche sheets and lists mix people, but only within the chunk (bounded memory)."""
    placed.sort(key=lambda x: (x.medium, x.group, x.day))
    by_medium: dict[str, list[Placed]] = {}
    for x in placed:
        by_medium.setdefault(x.medium, []).append(x)
    rows, cols = FICHE_FRAMES
    for medium, items in by_medium.items():
        if medium == "feed":
            continue  # rows of an extract (flows/feed_synth.py writes them), not pages of a document
        if medium in ("docket", "pdf"):
            last, ordinal, sha = None, 0, ""
            for x in items:
                if x.group != last:
                    last, ordinal = x.group, 0
                    sha = _sha(seed, medium, *x.group)
                rec = x.record
                rec["sha256"], rec["record"] = sha, ordinal
                prov = rec["provenance"]
                prov["box"], prov["folder"] = f"B{x.group[0] % 997 + 1:04d}", f"F{x.group[0] % 41 + 1:02d}"
                rec["source"] = f"{_AGENCY_SLUG[prov['agency']]}/{sha[:16]}.pdf"
                ordinal += 1
        elif medium == "fiche":
            # Cards of one agency and decade fill sheets frame by frame; a card's records share a frame.
            last_sheet, card_no, last_card, ordinal, sha = None, -1, None, 0, ""
            for x in items:
                sheet_key = x.group[:2]
                if sheet_key != last_sheet:
                    last_sheet, card_no, last_card = sheet_key, -1, None
                if x.group != last_card:
                    last_card, ordinal = x.group, 0
                    card_no += 1
                sheet, pos = divmod(card_no, rows * cols)
                rec = x.record
                if ordinal == 0:
                    sha = _sha(seed, "fiche", chunk, *sheet_key, sheet)
                rec["sha256"], rec["record"] = sha, ordinal
                rec["frame"] = {"row": pos // cols, "col": pos % cols}
                prov = rec["provenance"]
                prov["reel"] = f"R{chunk:04d}-{x.group[1] % 1000:03d}"
                prov["fiche"] = f"{sheet + 1:03d}"
                prov["frame"] = f"{pos // cols + 1}{chr(65 + pos % cols)}"
                rec["source"] = f"{_AGENCY_SLUG[prov['agency']]}/{sha[:16]}.tif"
                ordinal += 1
        else:  # list pages, in date order
            items.sort(key=lambda x: (x.group, x.day))
            last, i, sha = None, 0, ""
            for x in items:
                if x.group != last:
                    last, i = x.group, 0
                doc, row = divmod(i, LIST_ROWS * LIST_PAGES)
                page, line = divmod(row, LIST_ROWS)
                if line == 0 or i == 0:
                    sha = _sha(seed, "list", chunk, *x.group, doc)
                rec = x.record
                rec["sha256"], rec["page"], rec["record"] = sha, page + 1, line
                rec["provenance"]["box"] = f"L{chunk:04d}"
                rec["source"] = f"{_AGENCY_SLUG[rec['provenance']['agency']]}/{sha[:16]}.pdf"
                i += 1
    return placed


def key(rec: dict) -> str:
    """VerifiedRecord.key, computed on the dict."""
    f = rec["frame"]
    where = f"{f['row']}.{f['col']}" if f else "-"
    return f"{rec['sha256']}:{rec['page']}:{where}:{rec['record']}"
