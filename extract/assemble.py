"""A record region's entities → a record candidate: fields and charges, normalized, with evidence.

Each value keeps what the confidence model needs (`Evidence`): whether NER and rules agreed, how
sure OCR was, whether normalizing needed repairs, and whether validation passed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from extract.entities import Entity
from extract.counts import group_counts
from extract.evidence import Evidence, name_plausibility, text_noise
from extract.geometry import PageGeometry
from extract.normalize.dates import normalize_date
from extract.normalize.dispositions import normalize_disposition
from extract.normalize.events import date_role
from extract.normalize.identifiers import normalize_identifier
from extract.normalize.names import normalize_name
from extract.normalize.places import normalize_court, normalize_facility
from extract.normalize.sentences import normalize_sentence, sentence_in_range
from extract.normalize.statutes import parse_citation
from extract.offences import OffenceTable
from extract.page_context import PageContext
from extract.record_type import CASE_INDEX, COURT_EVENTS, FALLBACK_ROLE, event_type
from extract.roles import DateRole, column_title, context_before, foreign_label, id_kind, role_of_date
from extract.segment import Region

ID_FIELDS = {"SID": "sid", "DOCKET": "docket", "COMMIT_NO": "commitment_no",
             "BOOKING_NO": "booking_no", "PCF": "pcf"}


@dataclass
class Value:
    value: object
    text: str
    group: str  # confidence model group: identity, date, id, place, statute, offense, disposition, sentence
    evidence: Evidence
    start: int
    end: int


@dataclass
class Assembled:
    first_line: int
    last_line: int
    event_type: str
    fields: dict[str, Value] = field(default_factory=dict)
    charges: list[dict[str, Value]] = field(default_factory=list)


def _ev(ent: Entity, geo: PageGeometry, certainty: float, valid: bool, **more) -> Evidence:
    more.setdefault("source", "shared" if ent.shared else "own")
    return Evidence(ent.agreement, geo.ocr_confidence(ent.start, ent.end), certainty, valid, ent.exact,
                    noise=text_noise(ent.text), **more)


def _value(ent: Entity, geo: PageGeometry, value, group: str, certainty: float, valid: bool, **more) -> Value:
    return Value(value, ent.text, group, _ev(ent, geo, certainty, valid, **more), ent.start, ent.end)


def _date_value(ent: Entity, geo: PageGeometry, value, certainty: float, valid: bool, dr: DateRole) -> Value:
    return _value(ent, geo, value, "date", certainty, valid, source=dr.source, ambiguous=dr.ambiguous)


def _among_events(dob: Entity, ents: list[Entity], era: int | None) -> bool:
    """An unlabelled `DOB` within a few years of the record's event dates (or of the year the page
    prints) is one of them: no one is booked at four."""
    d = _iso(normalize_date(dob.text, era=era))
    if d is None:
        return False
    others = [x for e in ents if e is not dob and e.label == "DATE" and (x := _iso(normalize_date(e.text, era=era)))]
    if era is not None:
        others.append(dt.date(era, 6, 30))
    return any(abs((x - d).days) < 7 * 365 for x in others)


def _iso(r) -> dt.date | None:
    return dt.date.fromisoformat(r.value) if r.ok else None


class Assembler:
    def __init__(self, table: OffenceTable):
        self.table = table

    def assemble(self, region: Region, geo: PageGeometry, page_text_upper: str, page: PageContext | None = None) -> Assembled:
        ents = region.entities + region.shared
        rec = Assembled(region.first_line, region.last_line, "other")
        fields = rec.fields
        page = page or PageContext.of(geo.text)
        # Identity and identifiers: the first reading of each wins (headers come first).
        # A date the NER took for a birth date but whose label words say otherwise is an event date;
        # so is a list's header date that no birth label introduces (`PRISONER LOG  OCT 20 1964`),
        # and an unlabelled one that falls among the record's event dates (`5/26/56` in a May 1956 register).
        for e in ents:
            if e.label == "DOB":
                role = date_role(context_before(e, ents, geo))
                if role not in (None, "dob") or (role is None and (e.shared or _among_events(e, ents, page.era))):
                    e.label = "DATE"
        dob_ent = next((e for e in ents if e.label == "DOB"), None)
        self._name(ents, geo, fields)
        for e in ents:
            if e.label in ID_FIELDS and ID_FIELDS[e.label] not in fields:
                labelled = id_kind(e, ents, region, geo)
                name = labelled or _custody_number(e, page) or ID_FIELDS[e.label]
                if name == "none":
                    continue  # `Incident No.`, `CC No.`: a number of no field's kind
                if labelled is None and foreign_label(e, ents, geo) and not _distinctive(e.text):
                    continue  # `WARRANT NO. 78-9512`: a number the label says is of another kind
                r = normalize_identifier(e.text, name)
                if not r.ok and name == "docket" and re.search(r"-A?R$|^[A-Z]\d", e.text.strip()):
                    name = "booking_no"  # `64-691-AR` is an arrest/booking number, not a docket
                    r = normalize_identifier(e.text, name)
                if r.value is None or name in fields:
                    continue
                fields[name] = _value(e, geo, r.value, "id", r.certainty, r.ok)
            elif e.label == "COURT" and "court" not in fields:
                e, r = _place(e, normalize_court)
                if r.ok:
                    fields["court"] = _value(e, geo, r.value, "place", r.certainty, True)
        untyped = self._dates(region, ents, dob_ent, geo, fields, page)
        rec.charges = self._charges(region, geo, fields)
        self._facility(region, ents, geo, fields, "")
        rec.event_type = event_type(region, geo, fields, rec.charges, page_text_upper)
        if rec.event_type == "release":
            self._facility(region, ents, geo, fields, rec.event_type)
        if rec.event_type in COURT_EVENTS and "booking_no" in fields and "docket" not in fields:
            # A court record's case number, which the NER took for a booking number (`63137`).
            v = fields.pop("booking_no")
            r = normalize_identifier(v.text, "docket")
            ev = replace(v.evidence, certainty=r.certainty * 0.9, valid=r.ok)
            fields["docket"] = Value(r.value or v.value, v.text, "id", ev, v.start, v.end)
        if rec.event_type == "arrest" and "booking_date" in fields and "arrest_date" not in fields:
            fields["arrest_date"] = fields.pop("booking_date")  # a police booking log dates the arrest
        if rec.event_type in FALLBACK_ROLE:
            role = FALLBACK_ROLE[rec.event_type]
            if region.kind == "item" and rec.event_type == "disposition" and CASE_INDEX.search(page_text_upper[:300]):
                role = "arraignment_date"  # Probation/CORI listings key each case by its arraignment
            self._untyped_dates(region, untyped, geo, fields, role, page)
        # How damaged the page and the record's own lines look: a value OCR cut a letter from
        # looks clean itself, its neighbours show the damage.
        own = text_noise("\n".join(geo.line_text(i) for i in range(region.first_line, region.last_line + 1)))
        for v in [*fields.values(), *(v for c in rec.charges for v in c.values())]:
            v.evidence.page_noise, v.evidence.record_noise = page.noise, own
        return rec

    @staticmethod
    def _name(ents: list[Entity], geo: PageGeometry, fields: dict) -> None:
        """The record's subject: a name both readers agree on first, never one a role word
        introduces (the judge, the officer, the attorney)."""
        cands = []
        for e in ents:
            if e.label != "PERSON" or _ROLE_BEFORE.search(geo.text[max(0, e.start - 25):e.start].upper()):
                continue
            e = _with_suffix(_cut_at_label(e, geo.text[e.end:e.end + 4]), geo)
            if not e.text or set(re.findall(r"[A-Z]+", e.text.upper())) <= _NAME_LABEL_WORDS:
                continue  # a label the NER took for a name (`NAME OF PAROLEE`)
            r = normalize_name(e.text)
            if r.ok:
                cands.append((e.shared, e.agreement != "both", len(cands), e, r))  # an item's own name first
        if cands:
            *_, e, r = min(cands)  # the order index is unique: entities are never compared
            fields["name"] = _value(e, geo, r.value, "identity", r.certainty, True, plausible=name_plausibility(r.value))

    def _facility(self, region: Region, ents: list[Entity], geo: PageGeometry, fields: dict, event: str) -> None:
        """The record's institution. A movement log prints where a person went and where from: the
        `TO` column is the facility of an admission or transfer, `FROM` that of a release."""
        cands = []
        for e in ents:
            if e.label == "FACILITY" and not _inside_sentence(e, ents):
                e2, r = _place(e, normalize_facility)
                if r.ok:
                    cands.append((e2, r, column_title(e, region, geo)))
        if not cands:
            return
        want = "FROM" if event == "release" else "TO"
        titled = [c for c in cands if re.fullmatch(rf"\W*{want}\W*", c[2])]
        e, r, _ = titled[0] if titled else cands[0]
        fields["facility"] = _value(e, geo, r.value, "place", r.certainty, True)

    def _dates(self, region: Region, ents: list[Entity], dob_ent: Entity | None, geo: PageGeometry, fields: dict,
               page: PageContext) -> list[Entity]:
        """Fill the date fields whose role the label words tell; return the dates without a role."""
        events = [e for e in ents if e.label == "DATE"]
        seen = [d for e in events if (d := _iso(normalize_date(e.text, era=page.era))) is not None]
        first_event = min(seen, default=None)
        if dob_ent is not None:
            r = normalize_date(dob_ent.text, before=first_event, role="dob")
            if r.ok:
                fields["dob"] = _value(dob_ent, geo, r.value, "date", r.certainty, _plausible_dob(r.value, first_event),
                                       source="label")
        dob = dt.date.fromisoformat(fields["dob"].value) if "dob" in fields else None
        untyped: list[Entity] = []
        for e in events:
            dr = role_of_date(e, ents, region, geo, page.form)
            if dr.role == "dob" and "dob" not in fields:
                r = normalize_date(e.text, role="dob", before=first_event)
                if r.ok:
                    fields["dob"] = _date_value(e, geo, r.value, r.certainty, True, dr)
                continue
            if dr.role is None:
                untyped.append(e)
                continue
            if dr.role in {"projected", "dob"} or dr.role in fields:
                continue
            r = normalize_date(e.text, after=dob, role=dr.role, era=page.era)
            if r.ok:
                valid = dob is None or dt.date.fromisoformat(r.value) > dob
                fields[dr.role] = _date_value(e, geo, r.value, r.certainty, valid, dr)
        if "dob" not in fields and untyped:
            self._dob_from_untyped(untyped, geo, fields)
        # An item's own dates before the header's (the list's date is the fallback).
        own = set(range(region.first_line, region.last_line + 1))
        return sorted(untyped, key=lambda e: e.line not in own)

    @staticmethod
    def _dob_from_untyped(untyped: list[Entity], geo: PageGeometry, fields: dict) -> None:
        """An unlabelled date a dozen years or more before the record's other dates is a birth date
        (police blotters and jail registers print it bare in a column)."""
        dated = [(d, e) for e in untyped if (d := _iso(normalize_date(e.text, role="dob"))) is not None]
        if len(dated) < 2:
            return
        latest = max(d for d, _ in dated)
        d, e = min(dated, key=lambda x: x[0])
        if (latest - d).days > 12 * 365:
            fields["dob"] = _value(e, geo, d.isoformat(), "date", 0.7, True, source="record")
            untyped.remove(e)

    def _untyped_dates(self, region: Region, untyped: list[Entity], geo: PageGeometry, fields: dict, role: str,
                       page: PageContext) -> None:
        """A list item's bare date, or a card's only date, takes the role its record type implies."""
        if role in fields or not untyped:
            return
        if region.kind != "item" and (len(untyped) > 1 or any(k.endswith("_date") for k in fields)):
            return  # docket entries and the like: no one date is the record's
        dob = dt.date.fromisoformat(fields["dob"].value) if "dob" in fields else None
        if role == "admission_date" and region.kind == "item":
            # A register row's bare dates: whatever their order, the person came in before going out.
            own = [e for e in untyped if region.first_line <= e.line <= region.last_line]
            dated = [(_iso(normalize_date(e.text, era=page.era)), e) for e in own]
            if len(own) >= 2 and all(d for d, _ in dated):
                untyped = [e for _, e in sorted(dated, key=lambda x: x[0])] + [e for e in untyped if e not in own]
        for k, e in enumerate(untyped):  # the first that reads as a date (the NER sometimes takes a number for one)
            r = normalize_date(e.text, after=dob, role=role, era=page.era)
            if r.ok:
                fields[role] = _date_value(e, geo, r.value, r.certainty * 0.8, True, DateRole(role))
                if role == "admission_date" and region.kind == "item":
                    self._discharge(region, untyped[k + 1:], geo, fields, r.value, page)
                return

    @staticmethod
    def _discharge(region: Region, rest: list[Entity], geo: PageGeometry, fields: dict, admitted: str,
                   page: PageContext) -> None:
        """A register's row with a later bare date of its own: the date the person left."""
        if "release_date" in fields:
            return
        for e in rest:
            if region.first_line <= e.line <= region.last_line:
                r = normalize_date(e.text, role="release_date", era=page.era)
                if r.ok and r.value > admitted:
                    fields["release_date"] = _date_value(e, geo, r.value, r.certainty * 0.7, True, DateRole("release_date"))
                    return

    def _charges(self, region: Region, geo: PageGeometry, fields: dict) -> list[dict[str, Value]]:
        groups = group_counts(region, geo)
        year = None
        for k in ("disposition_date", "offense_date", "admission_date", "arrest_date"):
            if k in fields:
                year = int(fields[k].value[:4])
                break
        charges = ((self._charge(g, geo, year), g) for g in groups)
        return [c for c, g in charges if c and _credible(c, g)]

    def _charge(self, g: dict[str, Entity], geo: PageGeometry, year: int | None) -> dict[str, Value]:
        out: dict[str, Value] = {}
        desc_ent, stat_ent, dispo_ent = g.get("OFFENSE"), g.get("STATUTE"), g.get("DISPOSITION")
        if desc_ent is not None and dispo_ent is None:
            # Before the offence is looked up: `A&B / DISMISSED` names an A&B, not an assault.
            desc_ent, dispo_ent = _split_disposition(desc_ent)
        cite = parse_citation(stat_ent.text, known=self.table.has_statute) if stat_ent else None
        offence, score = None, 0.0
        if cite is not None:
            found = self.table.lookup(cite.canonical, year=year, description=desc_ent.text if desc_ent else None)
            if found:
                offence = found[0]
                score = 1.0
            out["statute"] = _value(stat_ent, geo, cite.canonical, "statute", 1.0, bool(found))
        if offence is None and desc_ent is not None:
            matches = self.table.match_description(desc_ent.text, year=year)
            if matches:
                offence, score = matches[0]
        if desc_ent is not None:
            value = offence.description if offence is not None and score >= 0.6 else desc_ent.text.upper()
            out["description"] = _value(desc_ent, geo, value, "offense", score, offence is not None)
        if offence is not None:
            src = stat_ent or desc_ent
            out["offense_code"] = _value(src, geo, offence.code, "offense", score, True)
        if dispo_ent is not None:
            r = normalize_disposition(dispo_ent.text)
            if r.ok and r.value != "other":
                out["disposition"] = _value(dispo_ent, geo, r.value, "disposition", r.certainty, True)
        if "SENTENCE" in g:
            r = normalize_sentence(g["SENTENCE"].text)
            r = _sentence_incontext_before(r, out.get("disposition"))
            if r.ok:
                valid = offence is None or sentence_in_range(r.value, offence.level)
                out["sentence"] = _value(g["SENTENCE"], geo, r.value, "sentence", r.certainty, valid)
        return out


_LABEL_IN_NAME = re.compile(r"\s+(?:PCF|SID|S\.I\.D\.|DOB|D\.O\.B\.|NO\.?|COMMITMENT|DATE|BOOKING|AGE|SEX|RACE|BORN)\b.*$", re.I)
_ROLE_BEFORE = re.compile(r"(?:JUDGE|JUSTICE|OFFICER|OFC\.?|PTL\.?|SGT\.?|LT\.?|DET\.?|TPR\.?|ATTY\.?|ATTORNEY|COUNSEL|"
                          r"OPERATOR|REQUEST(?:OR|ER)|PREPARED|EXAMINER|AGENT|"
                          r"CLERK|VICTIM|WITNESS|COMPLAINANT|SUPERINTENDENT|CONTACT|SPONSOR|MOTHER|FATHER|WIFE|"
                          r"HUSBAND|BY|SIGNED|MEMBERS?|CHAIR(?:MAN)?|P\.?O\.?|D\.A\.|A\.D\.A\.|DEF\. COUNSEL|"
                          r"O\.?I\.?C|SHIFT|CROSS REF|X-?REF|SEE ALSO|COMMANDER|SUPERVISOR|COMMISSIONER|WARDEN|SHERIFF|DEPUTY|KEEPER|ATTEST)\W{0,3}$")
_NAME_LABEL_WORDS = {"NAME", "OF", "THE", "PAROLEE", "DEFENDANT", "DEFT", "INMATE", "SUBJECT", "PRISONER",
                     "PROBATIONER", "OFFENDER", "LAST", "FIRST", "MIDDLE", "FULL", "TRUE", "PCF", "NUMBER", "NO",
                     "SID", "DOB", "FILE", "CENTRAL", "DATE", "BIRTH", "SEX", "RACE", "CASE", "DOCKET", "CF",
                     "PROB", "STATE", "ID", "IDENT", "COMMITMENT", "BOOKING", "GIVEN", "SURNAME"}


def _with_suffix(e: Entity, geo: PageGeometry) -> Entity:
    """`MELENDEZ, SAMUEL F. JR.`: a generational suffix the NER left outside the name is part of it."""
    m = re.match(r"[ ,]{0,2}(?:JR|SR|II|III|IV)\b\.?", geo.text[e.end:e.end + 8], re.I)
    if not m or re.search(r"\b(?:JR|SR|II|III|IV)\b", e.text, re.I):
        return e
    end = e.end + m.end()
    return Entity(e.start, end, e.label, geo.text[e.start:end], e.agreement, e.line, e.exact, e.shared)


def _cut_at_label(e: Entity, after: str) -> Entity:
    """`DEMARCO, TADEUSZ PCF 173822`, `MILLER, B. 03/02/74`: the NER ran a name on into a label."""
    lead = re.match(r"(?:(?:NAME|PAROLEE|DEFENDANT|DEFT|INMATE|SUBJECT|PRISONER|PROBATIONER)\W+)+", e.text, re.I)
    if lead and lead.end() < len(e.text):  # `PAROLEE - HARRIS,ERNEST`: a label run into the name
        e = Entity(e.start + lead.end(), e.end, e.label, e.text[lead.end():], e.agreement, e.line)
    m = _LABEL_IN_NAME.search(e.text)
    if m is None and re.match(r"\.?\s*\d", after):
        m = re.search(r",?\s+B\.?$", e.text)  # `B.` for born, right before the date
    if not m or m.start() == 0:
        return e
    return Entity(e.start, e.start + m.start(), e.label, e.text[:m.start()], e.agreement, e.line)


def _place(e: Entity, normalize) -> tuple[Entity, object]:
    """A court or facility name, dropping words the NER ran on with (`MCI NORFOLK ON 04/24/89`)."""
    # Prose runs on past the name: `LEE DISTRICT CT. FOR THE CRIME OF ...`.
    cut = re.search(r"\s+(?:FOR THE|ON|AND|WHO|WAS|IN THE MATTER)\s", e.text.upper())
    if cut:
        e = Entity(e.start, e.start + cut.start(), e.label, e.text[:cut.start()], e.agreement, e.line)
    words = e.text.split(" ")
    best = None
    for n in range(len(words), 0, -1):
        text = " ".join(words[:n]).rstrip(" ,.;")
        r = normalize(text)
        if r.ok and r.certainty >= 0.8:
            return Entity(e.start, e.start + len(text), e.label, text, e.agreement, e.line), r
        if best is None and r.ok:
            best = r
        if len(words) - n >= 6:
            break
    return e, best or normalize(e.text)


def _sentence_incontext_before(r, disposition: Value | None):
    """`CWOF, 6 MOS`: after a CWOF finding a bare term is the continuance; a place with no term
    (`COMMITTED TO MCI WALPOLE`) is not a sentence."""
    if not r.ok:
        return r
    v = dict(r.value)
    if disposition is not None and disposition.value == "cwof" and v["type"] == "other" and v["max"]:
        v.update(type="cwof", probation=v["max"], max=None, to_serve=None)
        return type(r)(v, True, r.certainty * 0.9, r.note)
    terms = ("min", "max", "to_serve", "probation", "fine")
    if v["type"] in ("hoc", "state_prison", "jail", "other") and not v["life"] and not any(v[k] for k in terms):
        return type(r)(v, False, 0.0, "no term")
    return r


def _credible(charge: dict[str, Value], group: dict[str, Entity]) -> bool:
    """A charge read from offence words alone must match the offence table well; prose the NER
    took for an offence (`TAKE SAID PAROLEE INTO CUSTODY`) does not."""
    if set(charge) & {"statute", "disposition", "sentence"}:
        return True
    desc = group.get("OFFENSE")
    score = charge["offense_code"].evidence.certainty if "offense_code" in charge else 0.0
    return desc is not None and (score >= 0.75 or desc.agreement == "both")


def _split_disposition(desc: Entity) -> tuple[Entity, Entity | None]:
    """`LARCENY FROM PERSON / CWOF`: an offence read together with its disposition."""
    m = re.search(r"\s*(?:/|-|,)\s*([A-Z][A-Z .'/]{0,30})$", desc.text)
    if m:
        r = normalize_disposition(m.group(1))
        if r.ok and r.value != "other" and r.certainty >= 0.8:
            cut = desc.start + m.start()
            return (Entity(desc.start, cut, "OFFENSE", desc.text[:m.start()], desc.agreement, desc.line),
                    Entity(desc.start + m.start(1), desc.end, "DISPOSITION", m.group(1), desc.agreement, desc.line))
    return desc, None


def _distinctive(text: str) -> bool:
    """A number whose shape alone names its kind: a docket's case type (`9403CR000444`), a DOC
    commitment's letter (`W12345`), a state identification number (`MA12345678`)."""
    t = text.strip().upper()
    return bool(re.search(r"\dCR|CR\d", t) or re.match(r"(?:[WFMC]-?|MA)\d", t))


def _custody_number(e: Entity, page: PageContext) -> str | None:
    """An unlabelled number on a jail's or house of correction's list is the person's booking
    number, unless it has a DOC commitment's letter (`W12345`) or a court docket's case type (`CR`)."""
    if not page.jail or e.label not in ("DOCKET", "COMMIT_NO"):
        return None
    t = e.text.upper()
    return None if re.match(r"[WFMC]-?\d", t) or re.search(r"\dCR|CR\d", t) else "booking_no"


def _inside_sentence(e: Entity, ents: list[Entity]) -> bool:
    return any(x.label == "SENTENCE" and x.start <= e.start and e.end <= x.end for x in ents)


def _plausible_dob(value: str, first_event: dt.date | None) -> bool:
    d = dt.date.fromisoformat(value)
    if first_event is None:
        return 1880 < d.year < dt.date.today().year
    age = (first_event - d).days / 365.25
    return 7 <= age <= 100
