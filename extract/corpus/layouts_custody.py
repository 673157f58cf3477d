"""Custody and release text layouts: DOC commitment cards and movement histories, HOC booking
sheets, State Police arrest cards, sheriffs' jail registers, Parole Board decisions and warrants,
discharge certificates and police arrest logs."""

from __future__ import annotations

import datetime as dt
import random

from .kit import (B, Style, doc_facility, hoc_facility, jail_facility, make_charge_specs,
                  make_subject, other_name, pick_court, print_date, print_offence,
                  print_statute, prose_date, rand_date, docket_for, vocab, STAT_STYLES)
from . import kit as _kit
from .types import TruthRecord


def K_VARIETY() -> bool:
    return _kit.VARIETY


def _sstyle(rng):
    return rng.randrange(-1, STAT_STYLES)


# ------------------------------------------------------------------------------------------------
def doc_commitment_card(rng: random.Random, year: int):
    """DOC commitment card (index card): number, identity, institution, court, charges, dates."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    court = pick_court(rng, s.p.county, rng.choice(["SUPERIOR", "SUPERIOR", "SUPERIOR", "DISTRICT"]))
    dk, dk_n = docket_for(rng, year, court)
    sent_d = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 1))
    adm = sent_d + dt.timedelta(days=rng.choice([0, 0, 1, 2, 5, 10]))
    fac = doc_facility(rng, year) if court.kind == "SUPERIOR" else hoc_facility(rng, court.county)
    charges = make_charge_specs(rng, rng.randint(1, 3), year, court.kind, committed=True)
    rel = adm + dt.timedelta(days=rng.randint(300, 3000)) if rng.random() < 0.5 else None
    b = B()
    f = {"commitment_no": s.p.commitment, "court": court.canonical, "docket": dk_n,
         "facility": fac.canonical, "admission_date": adm.isoformat()}
    head = rng.choice([["DEPARTMENT OF CORRECTION", "COMMITMENT RECORD"], ["COMMONWEALTH OF MASSACHUSETTS - DEPARTMENT OF CORRECTION"],
                       ["MASS. CORRECTIONAL INSTITUTION", "RECORD OF COMMITMENT"], ["D.O.C.  INMATE CARD"], []])
    v = rng.randrange(2)
    name, nt = s.name(st.name_style, st.mixed)
    f["name"] = nt
    if v == 0:
        for h in head:
            b.t(h).nl()
        b.v(name, "PERSON").pad(50, 4)
        if rng.random() < 0.5:
            b.v(s.p.commitment, "COMMIT_NO").nl()
        else:
            st.kv(b, "commitment_no", s.p.commitment, "COMMIT_NO").nl()
    else:
        b.v(s.p.commitment, "COMMIT_NO").pad(30, 4).t(head[0] if head else "").nl()
        st.kv(b, "name", name, "PERSON").nl()
    pairs = [("dob", st.date(s.dob), "DOB"), ("sid", s.p.sid, "SID"), ("race", rng.choice([s.p.race, vocab.RACE_WORDS[s.p.race]]), None),
             ("facility", fac.printed(rng, st.mixed), "FACILITY"), ("court", court.printed(rng, mixed=st.mixed), "COURT"),
             ("docket", dk, "DOCKET"), ("admission_date", st.date(adm), "DATE")]
    f.update(dob=s.dob.isoformat(), sid=s.p.sid)
    st.kv_rows(b, pairs, rng.choice([2, 2, 3, 1]), width=rng.choice([34, 40]))
    sst = _sstyle(rng)
    w = [rng.choice([20, 24]), rng.choice([36, 42]), 44]
    b.cells([(st.word("statute"), None), (st.word("offense"), None), (st.word("sentence"), None)], w).nl()
    tcs = []
    for c in charges:
        sp, sn = print_statute(rng, c.off, sst)
        b.cells([(sp, "STATUTE"), (print_offence(rng, c.off, st.mixed), "OFFENSE"), (st.val(c.sentence_text), "SENTENCE")], w).nl()
        tcs.append(c.truth(sn, dispo=False))
    tail = [("sentence_date", st.date(sent_d), "DATE"),
            ("parole_elig", st.date(adm + dt.timedelta(days=rng.randint(200, 1500))), "DATE")]
    st._labs.setdefault("parole_elig", rng.choice(["PAROLE ELIG.", "P.E. DATE", "PAROLE ELIGIBILITY", "ELIG. DATE"]))
    f["sentence_date"] = sent_d.isoformat()
    if rel:
        tail.append(("release_date", st.date(rel), "DATE"))
        st._labs.setdefault("release_date", rng.choice(["RELEASED", "DISCHARGED", "PAROLED", "DATE RELEASED", "REL. DATE"]))
        f["release_date"] = rel.isoformat()
    st.kv_rows(b, tail, rng.choice([2, 3]), width=30)
    if rel and rng.random() < 0.4:
        b.t(rng.choice(["PAROLED ", "DISCHARGED ", "RELEASED "])).v(st.date(rel), "DATE").nl()
    lines, spans = b.finish()
    return f"doc_commitment_card/v{v}", lines, spans, [TruthRecord(0, len(lines), "admission", f, tcs)]


# ------------------------------------------------------------------------------------------------
def doc_movement(rng: random.Random, year: int):
    """DOC inmate movement history: identity header, one movement per line.

    Roles: ADMITTED/RECEIVED/RETURNED -> admission (admission_date, facility = receiving);
    TRANSFER -> transfer (admission_date = received at the new facility, facility = receiving);
    PAROLED/DISCHARGED/RELEASED -> release (release_date, facility = releasing)."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    b = B()
    b.t(rng.choice(["DEPARTMENT OF CORRECTION", "MASSACHUSETTS DEPARTMENT OF CORRECTION", "D.O.C. RECORDS DIV."])).nl()
    b.t(st.val(rng.choice(["INMATE MOVEMENT HISTORY", "MOVEMENT RECORD", "TRANSFER HISTORY", "INSTITUTIONAL MOVEMENTS"]))).nl()
    name, nt = s.name(st.name_style, st.mixed)
    shared = {"name": nt, "commitment_no": s.p.commitment}
    pairs = [("name", name, "PERSON"), ("commitment_no", s.p.commitment, "COMMIT_NO")]
    if rng.random() < 0.7:
        pairs.append(("dob", st.date(s.dob), "DOB"))
        shared["dob"] = s.dob.isoformat()
    if rng.random() < 0.5:
        pairs.append(("sid", s.p.sid, "SID"))
        shared["sid"] = s.p.sid
    st.kv_rows(b, pairs, rng.choice([2, 4, 1]), width=rng.choice([28, 36]))
    court = pick_court(rng, s.p.county, "SUPERIOR")
    words = {"adm": rng.choice(["ADMITTED", "ADM", "RECEIVED", "NEW COMMIT"]), "tr": rng.choice(["TRANSFER", "TRANS", "XFER", "TRANSFERRED"]),
             "par": rng.choice(["PAROLED", "PAROLE", "REL TO PAROLE"]), "ret": rng.choice(["RETURNED", "RET. PV", "RETURN - PAROLE VIOL."]),
             "dis": rng.choice(["DISCHARGED", "DISCH", "RELEASED", "EXP. OF SENT."])}
    order = rng.choice([["date", "act", "from", "to"], ["date", "act", "to", "from"], ["act", "date", "from", "to"]])
    w = {"date": 13, "act": 22, "from": 28, "to": 28}
    if rng.random() < 0.8:
        b.cells([(st.val({"date": rng.choice(["DATE", "EFF. DATE", "DATE"]), "act": rng.choice(["MOVEMENT", "ACTION", "TYPE"]),
                          "from": "FROM", "to": "TO"}[k]), None) for k in order], [w[k] for k in order]).nl()
    d = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 1))
    cur = doc_facility(rng, year)
    recs = []
    seq = ["adm"] + [rng.choice(["tr", "tr", "tr", "par"]) for _ in range(rng.randint(1, 6))]
    state = "in"
    for mv in seq:
        if state == "out" and mv != "adm":
            mv = "ret"
        elif state == "in" and mv == "adm" and recs:
            mv = "tr"
        cells = {"date": (st.date(d), "DATE"), "act": (st.val(words[mv]), None)}
        f = dict(shared)
        if mv in ("adm", "ret"):
            cells["from"] = (court.printed(rng, short=rng.random() < 0.5, mixed=st.mixed), "COURT") if mv == "adm" else (st.val("PAROLE"), None)
            if mv == "adm":
                f["court"] = court.canonical
            cells["to"] = (cur.printed(rng, st.mixed), "FACILITY")
            f.update(facility=cur.canonical, admission_date=d.isoformat())
            ev, state = "admission", "in"
        elif mv == "tr":
            new = doc_facility(rng, year)
            while new.canonical == cur.canonical:
                new = doc_facility(rng, year)
            cells["from"] = (cur.printed(rng, st.mixed), "FACILITY")
            cells["to"] = (new.printed(rng, st.mixed), "FACILITY")
            cur = new
            f.update(facility=cur.canonical, admission_date=d.isoformat())
            ev = "transfer"
        else:
            cells["from"] = (cur.printed(rng, st.mixed), "FACILITY")
            cells["to"] = (st.val(rng.choice(["PAROLE", "STREET", "COMMUNITY", "-"])), None)
            f.update(facility=cur.canonical, release_date=d.isoformat())
            ev, state = "release", "out"
        ln = b.ln
        b.cells([cells[k] for k in order], [w[k] for k in order]).nl()
        recs.append(TruthRecord(ln, ln + 1, ev, f, []))
        d = d + dt.timedelta(days=rng.randint(20, 700))
    if state == "in" and rng.random() < 0.5:
        ln = b.ln
        cells = {"date": (st.date(d), "DATE"), "act": (st.val(words["dis"]), None), "from": (cur.printed(rng, st.mixed), "FACILITY"), "to": ("", None)}
        b.cells([cells[k] for k in order], [w[k] for k in order]).nl()
        recs.append(TruthRecord(ln, ln + 1, "release", dict(shared, facility=cur.canonical, release_date=d.isoformat()), []))
    if rng.random() < 0.4:
        b.t(rng.choice(["PAGE 1 OF 1", "** END OF MOVEMENTS **", "PRINTED BY RECORDS DIV."])).nl()
    lines, spans = b.finish()
    return "doc_movement", lines, spans, recs


# ------------------------------------------------------------------------------------------------
def hoc_booking(rng: random.Random, year: int):
    """County House of Correction booking sheet."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    county = s.p.county
    booked = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 28))
    court = pick_court(rng, county, rng.choice(["DISTRICT", "DISTRICT", "SUPERIOR"]))
    dk, dk_n = docket_for(rng, year, court)
    charges = make_charge_specs(rng, rng.randint(1, 4), year, court.kind, guilty_bias=0.5)
    bk = f"{year % 100:02d}-{rng.randint(1, 9999):05d}" if rng.random() < 0.6 else f"B{year % 100:02d}{rng.randint(1, 99999):05d}"
    fac = hoc_facility(rng, county) if rng.random() < 0.8 else jail_facility(rng, county)
    b = B()
    f = {"booking_no": bk, "booking_date": booked.isoformat(), "facility": fac.canonical, "court": court.canonical, "docket": dk_n}
    b.t(rng.choice([f"{county.upper()} COUNTY SHERIFF'S OFFICE", f"SHERIFF OF {county.upper()} COUNTY",
                    f"{county.upper()} COUNTY SHERIFF'S DEPARTMENT"])).nl()
    b.v(fac.printed(rng), "FACILITY").nl()
    b.t(st.val(rng.choice(["BOOKING SHEET", "INMATE BOOKING RECORD", "ADMISSION / BOOKING", "INTAKE"]))).nl()
    st.kv(b, "booking_no", bk, "BOOKING_NO")
    b.pad(40, 4)
    tm = f"{rng.randint(0, 23):02d}{rng.choice(['00', '15', '30', '45', '10', '50'])}"
    if rng.random() < 0.5:
        b.v(st.date(booked), "DATE").t(f" {tm} HRS").nl()
    else:
        st.kv(b, "booking_date", st.date(booked), "DATE").t(f"  {rng.choice(['TIME', 'HRS'])} {tm}").nl()
    name, nt = s.name(st.name_style, st.mixed)
    f.update(name=nt, dob=s.dob.isoformat())
    pairs = [("name", name, "PERSON"), ("dob", st.date(s.dob), "DOB"), ("address", st.val(f"{s.p.street}, {s.p.town}"), None)]
    if rng.random() < 0.7:
        pairs.append(("sid", s.p.sid, "SID"))
        f["sid"] = s.p.sid
    pairs += [("sexrace", f"{s.p.sex}/{s.p.race}", None), ("marks", rng.choice(vocab.MARKS), None),
              ("occ", st.val(s.p.occupation), None),
              ("contact", f"{other_name(rng, st.mixed)} ({rng.choice(['MOTHER', 'WIFE', 'SISTER', 'FRIEND', 'BROTHER'])}) {rng.choice(['617', '508', '413'])}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}", None)]
    for k, opts in (("sexrace", ["SEX/RACE", "S/R"]), ("marks", ["SCARS/MARKS", "S/M/T", "MARKS"]), ("occ", ["OCCUPATION", "OCC."]),
                    ("contact", ["EMERGENCY CONTACT", "NOTIFY IN EMERGENCY", "NEXT OF KIN"])):
        st._labs.setdefault(k, rng.choice(opts))
    if rng.random() < 0.3:
        rng.shuffle(pairs)
    st.kv_rows(b, pairs, rng.choice([1, 2]), width=44)
    st.kv(b, "court", court.printed(rng, mixed=st.mixed), "COURT").nl()
    st.kv(b, "docket", dk, "DOCKET").pad(40, 3).t(st.val(rng.choice(["MITTIMUS: SENTENCED", "AWAITING TRIAL", "HELD W/O BAIL", "BAIL $500"]))).nl()
    w = [4, rng.choice([20, 24]), 40, 40]
    b.cells([("#", None), (st.word("statute", ["G.L.", "STATUTE", "CH/SEC"]), None), (st.word("offense", ["CHARGE", "OFFENSE"]), None), (st.word("sentence"), None)], w).nl()
    sst = _sstyle(rng)
    tcs = []
    for c in charges:
        sp, sn = print_statute(rng, c.off, sst)
        cells = [(str(c.count), None), (sp, "STATUTE"), (print_offence(rng, c.off, st.mixed), "OFFENSE")]
        cells.append((st.val(c.sentence_text), "SENTENCE") if c.sentence_text else ("-", None))
        b.cells(cells, w).nl()
        tcs.append(c.truth(sn, dispo=False))
    b.t(st.val("UNIT/CELL") + st.sep + f"{rng.choice('ABCDEFGH')}-{rng.randint(1, 3)}{rng.randint(1, 40):02d}   " + st.val("EST. RELEASE") + st.sep)
    b.v(st.date(booked + dt.timedelta(days=rng.randint(30, 900))), "DATE").nl()
    b.t(st.val("PROPERTY") + st.sep + rng.choice(["1 WALLET, $12.40, 1 WATCH", "CLOTHING ONLY", "$3.15, KEYS, BELT", "NONE"])).nl()
    b.t(st.val(rng.choice(["BOOKING OFFICER", "RECEIVING OFFICER", "SHIFT COMMANDER"])) + st.sep + rng.choice(["C.O. ", "SGT. ", "LT. "]) + other_name(rng, st.mixed)).nl()
    lines, spans = b.finish()
    return "hoc_booking", lines, spans, [TruthRecord(0, len(lines), "booking", f, tcs)]


# ------------------------------------------------------------------------------------------------
FINGERS = ["1. R. THUMB", "2. R. INDEX", "3. R. MIDDLE", "4. R. RING", "5. R. LITTLE"]


def arrest_card(rng: random.Random, year: int):
    """State Police identification section arrest / fingerprint card."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    arrested = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 28))
    agency = (f"{s.p.town} {rng.choice(vocab.POLICE_SUFFIX)}" if rng.random() < 0.7 else
              f"STATE POLICE - {rng.choice(vocab.STATE_POLICE_BARRACKS)}")
    charges = make_charge_specs(rng, rng.randint(1, 4), year, "DISTRICT", disposed=False)
    b = B()
    for t in [rng.choice(["MASSACHUSETTS STATE POLICE", "COMMONWEALTH OF MASSACHUSETTS", "DEPARTMENT OF PUBLIC SAFETY"]),
              rng.choice(["IDENTIFICATION SECTION", "BUREAU OF IDENTIFICATION", "STATE IDENTIFICATION SECTION"]),
              rng.choice(["CRIMINAL - ARREST", "ARREST FINGERPRINT CARD", "RECORD OF ARREST"])]:
        b.t(t).nl()
    name, nt = s.name(st.name_style, st.mixed)
    f = {"name": nt, "sid": s.p.sid, "dob": s.dob.isoformat(), "arrest_date": arrested.isoformat()}
    st.kv_rows(b, [("name", name, "PERSON"), ("sid", s.p.sid, "SID")], 2, width=44)
    if s.p.aliases and rng.random() < 0.7:
        b.t(st.lab("aka", ["ALIASES", "AKA", "ALSO KNOWN AS"]) + "; ".join(s.p.aliases)).nl()
    from digitize.samplegen.content import fmt_height
    phys = [("SEX", s.p.sex, None), ("RACE", s.p.race, None), ("HGT", fmt_height(s.p.height_in, rng.randrange(4)), None),
            ("WGT", str(s.p.weight_lb), None), ("EYES", s.p.eyes, None), ("HAIR", s.p.hair, None), ("DOB", st.date(s.dob), "DOB")]
    if rng.random() < 0.5:
        rng.shuffle(phys)
    w = [max(len(p[0]), len(p[1])) + 3 for p in phys]
    b.cells([(st.val(h) if h != "DOB" else st.word("dob"), None) for h, _, _ in phys], w).nl()
    b.cells([(v, l) for _, v, l in phys], w).nl()
    pairs = [("arrest_date", st.date(arrested), "DATE"), ("agency", st.val(agency), None),
             ("pob", rng.choice(["BOSTON MA", "LOWELL MA", "SAN JUAN PR", "PRAIA CV", "PORT-AU-PRINCE HAITI", "PROVIDENCE RI", "AZORES"]), None),
             ("occ", st.val(s.p.occupation), None)]
    for k, opts in (("agency", ["AGENCY", "ARRESTING AGENCY", "CONTRIBUTOR", "DEPT."]), ("pob", ["PLACE OF BIRTH", "POB", "BIRTHPLACE"]),
                    ("occ", ["OCCUPATION", "OCC."])):
        st._labs.setdefault(k, rng.choice(opts))
    st.kv_rows(b, pairs, 2, width=40)
    b.t(st.val(rng.choice(["CHARGE", "CHARGES", "OFFENSE(S)"])) + rng.choice([":", ""])).nl()
    sst = _sstyle(rng)
    tcs = []
    for c in charges:
        sp, sn = print_statute(rng, c.off, sst)
        if rng.random() < 0.5:
            b.t(f"  {c.count}. ").v(print_offence(rng, c.off, st.mixed), "OFFENSE").t(" - ").v(sp, "STATUTE").nl()
        else:
            b.t(f"  {c.count}) ").v(sp, "STATUTE").t("  ").v(print_offence(rng, c.off, st.mixed), "OFFENSE").nl()
        tcs.append(c.truth(sn))
    b.t(st.val(rng.choice(["ARRESTING OFFICER", "OFFICER", "TAKEN BY"])) + st.sep + rng.choice(["TPR. ", "OFC. ", "DET. ", "SGT. "]) + other_name(rng, st.mixed)).nl()
    if rng.random() < 0.7:
        b.t("    ".join(FINGERS)).nl()
        b.t("    ".join(f.replace("R.", "L.").replace("1.", "6.").replace("2.", "7.").replace("3.", "8.").replace("4.", "9.").replace("5.", "10.") for f in FINGERS)).nl()
    lines, spans = b.finish()
    return "arrest_card", lines, spans, [TruthRecord(0, len(lines), "arrest", f, tcs)]


# ------------------------------------------------------------------------------------------------
def jail_register(rng: random.Random, year: int):
    """Sheriff's jail / HOC register page: one commitment per line, each a different person.

    Date roles: `DATE COMMITTED`/`REC'D`/bare `DATE` column -> admission_date;
    `DISCHARGED`/`DATE DISCH.` column -> release_date."""
    st = Style.pick(rng)
    county = rng.choice(vocab.COUNTIES)
    fac = hoc_facility(rng, county) if rng.random() < 0.6 else jail_facility(rng, county)
    month = rng.randint(1, 12)
    b = B()
    b.v(fac.printed(rng, st.mixed), "FACILITY").nl()
    b.t(st.val(rng.choice(["REGISTER OF PRISONERS", "COMMITMENT REGISTER", "DAILY REGISTER", "RECORD OF COMMITMENTS"])))
    b.t("   " + st.val(rng.choice(["MONTH OF ", "FOR ", ""])))
    b.t(f"{['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'][month - 1]} {year}").nl()
    cols = rng.choice([["no", "date", "name", "age", "res", "off", "court", "sent", "disch"],
                       ["no", "name", "date", "off", "court", "sent", "disch"],
                       ["date", "no", "name", "off", "sent", "court"],
                       ["no", "date", "name", "off", "court", "disch"]]
                      + ([["name", "no", "off", "court", "date", "sent", "disch"], ["disch", "date", "no", "name", "off", "sent", "court"],
                          ["no", "name", "age", "off", "sent", "court", "date"]] if K_VARIETY() else []))
    heads = {"no": rng.choice(["NO.", "#", "BK NO."]), "date": rng.choice(["DATE COMMITTED", "REC'D", "DATE", "DATE REC."]),
             "name": rng.choice(["NAME", "NAME OF PRISONER", "PRISONER"]), "age": "AGE", "res": rng.choice(["RESIDENCE", "RES."]),
             "off": rng.choice(["OFFENSE", "CRIME", "CHARGE"]), "court": rng.choice(["BY WHAT COURT", "COURT", "COMMITTED BY"]),
             "sent": rng.choice(["SENTENCE", "TERM"]), "disch": rng.choice(["DISCHARGED", "DATE DISCH.", "REL."])}
    w = {"no": 8, "date": 11, "name": 26, "age": 5, "res": 14, "off": 30, "court": 16, "sent": 28, "disch": 11}
    if rng.random() < 0.85:
        b.cells([(st.val(heads[k]), None) for k in cols], [w[k] for k in cols]).nl()
    ds = rng.choice([0, 3, 4, 12, 8, st.date_style])
    ns = rng.choice([0, 2, 3, 4, 7])
    recs = []
    base_no = rng.randint(1, 9000) if not K_VARIETY() else rng.randint(10000, 89000)
    for i in range(rng.randint(3, 14)):
        s = make_subject(rng, year)
        d = dt.date(year, month, rng.randint(1, 28))
        court = pick_court(rng, county, rng.choice(["DISTRICT", "DISTRICT", "DISTRICT", "SUPERIOR"]))
        ch = make_charge_specs(rng, 1, year, court.kind, committed=True)[0]
        name, nt = s.name(ns, st.mixed)
        f = {"name": nt, "facility": fac.canonical, "admission_date": d.isoformat(), "court": court.canonical}
        ln = b.ln
        col = 0
        for k in cols:
            b.pad(col, 2)
            if k == "no":
                no = f"{base_no + i}"
                b.v(no, "BOOKING_NO")
                f["booking_no"] = no
            elif k == "date":
                b.v(print_date(d, ds), "DATE")
            elif k == "name":
                b.v(name, "PERSON")
            elif k == "age":
                b.t(str(year - s.dob.year))
            elif k == "res":
                b.t(st.val(s.p.town[:12]))
            elif k == "off":
                b.v(print_offence(rng, ch.off, st.mixed), "OFFENSE")
            elif k == "court":
                b.v(court.printed(rng, short=True, mixed=st.mixed), "COURT")
            elif k == "sent":
                b.v(st.val(ch.sentence_text), "SENTENCE")
            elif k == "disch":
                if rng.random() < 0.6:
                    rd = d + dt.timedelta(days=rng.randint(10, 700))
                    b.v(print_date(rd, ds), "DATE")
                    f["release_date"] = rd.isoformat()
            col += w[k]
        b.nl()
        recs.append(TruthRecord(ln, ln + 1, "admission", f, [ch.truth(None, dispo=False, sentence="sent" in cols)]))
    if rng.random() < 0.5:
        b.t(rng.choice(["TOTAL COMMITTED THIS PAGE: ", "CARRIED FORWARD "]) + str(len(recs))).nl()
    lines, spans = b.finish()
    return "jail_register", lines, spans, recs


# ------------------------------------------------------------------------------------------------
def parole_hearing(rng: random.Random, year: int):
    """Parole Board record of hearing and decision: fields, offences, narrative, decision."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    hearing = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 28))
    fac = doc_facility(rng, year)
    decision = rng.choices(["granted", "denied", "review", "revoked", "reserve"], weights=[35, 25, 15, 8, 10])[0]
    court = pick_court(rng, s.p.county, "SUPERIOR")
    charges = make_charge_specs(rng, rng.randint(1, 3), year - rng.randint(1, 6), "SUPERIOR", committed=True)
    b = B()
    b.t("COMMONWEALTH OF MASSACHUSETTS").nl()
    b.t(rng.choice(["PAROLE BOARD", "MASSACHUSETTS PAROLE BOARD", "EXECUTIVE OFFICE OF PUBLIC SAFETY - PAROLE BOARD"])).nl()
    b.t(st.val(rng.choice(["RECORD OF HEARING", "RECORD OF DECISION", "HEARING SUMMARY AND DECISION"]))).nl()
    name, nt = s.name(st.name_style, st.mixed)
    f = {"name": nt, "commitment_no": s.p.commitment, "facility": fac.canonical, "hearing_date": hearing.isoformat(),
         "court": court.canonical}
    htype = "REVOCATION" if decision == "revoked" else rng.choice(["INITIAL", "REVIEW", "LIFE SENTENCE", "INITIAL"])
    pairs = [("name", name, "PERSON"), ("commitment_no", s.p.commitment, "COMMIT_NO"), ("facility", fac.printed(rng, st.mixed), "FACILITY"),
             ("hearing_date", st.date(hearing), "DATE"), ("htype", st.val(htype), None), ("court", court.printed(rng, mixed=st.mixed), "COURT")]
    st._labs.setdefault("htype", rng.choice(["TYPE OF HEARING", "HEARING TYPE", "TYPE"]))
    st._labs.setdefault("court", rng.choice(["COMMITTING COURT", "COURT", "SENTENCING COURT"]))
    if rng.random() < 0.7:
        pairs.append(("dob", st.date(s.dob), "DOB"))
        f["dob"] = s.dob.isoformat()
    if rng.random() < 0.6:
        pairs.append(("sid", s.p.sid, "SID"))
        f["sid"] = s.p.sid
    st.kv_rows(b, pairs, rng.choice([1, 2]), width=44)
    b.nl()
    b.t(st.val(rng.choice(["OFFENSE(S)", "OFFENSES", "GOVERNING OFFENSE(S)"])) + (":" if rng.random() < 0.6 else "")).nl()
    sst = _sstyle(rng)
    tcs = []
    for c in charges:
        sp, sn = print_statute(rng, c.off, sst)
        b.t("   ").v(print_offence(rng, c.off, st.mixed), "OFFENSE").t(" (").v(sp, "STATUTE").t(")")
        if rng.random() < 0.7:
            b.t(" - ").v(st.val(c.sentence_text), "SENTENCE")
            tcs.append(c.truth(sn, dispo=False))
        else:
            tcs.append(c.truth(sn, dispo=False, sentence=False))
        b.nl()
    narr = rng.choice([
        "The inmate appeared before the Board and was interviewed at length concerning the offense and institutional adjustment.",
        f"Subject has completed programs and has {rng.choice(['no', 'one', 'two'])} disciplinary reports since last hearing.",
        f"Hearing held at the institution. Subject represented by {other_name(rng, plain=True)}. Victim input received and considered by the Board.",
        f"Parole officer {other_name(rng, plain=True)} reported on community plan. Subject's mother {other_name(rng, plain=True)} spoke in support.",
    ])
    for i in range(0, len(narr), 80):
        b.t(st.val(narr[i:i + 80]) if not st.mixed else narr[i:i + 80]).nl()
    word = {"granted": rng.choice(["PAROLE GRANTED", "GRANTED", "PAROLE GRANTED TO APPROVED HOME PLAN"]),
            "denied": rng.choice(["PAROLE DENIED", "DENIED", "DENIED - REVIEW IN ONE YEAR"]),
            "review": rng.choice(["REVIEW IN 1 YR", "REVIEW IN 2 YRS", "PAROLE DENIED, REVIEW IN 2 YRS"]),
            "revoked": rng.choice(["PAROLE REVOKED", "REVOKED", "PAROLE REVOKED - REPAROLE DENIED"]),
            "reserve": rng.choice(["RESERVE TO L.R.", "RESERVE TO HALFWAY HOUSE", "RESERVE 6 MOS", "RESERVE"])}[decision]
    # Convention: REVIEW / DENIED -> parole_denied; GRANTED / PAROLE TO / RESERVE (a grant with a
    # later release date, as the MA Parole Board uses it) -> parole_granted.
    ev = {"granted": "parole_granted", "denied": "parole_denied", "review": "parole_denied", "revoked": "parole_revoked",
          "reserve": "parole_granted"}[decision]
    b.t(st.val(rng.choice(["DECISION", "BOARD DECISION", "VOTE/DECISION"])) + st.sep + st.val(word)).nl()
    if decision == "review":
        b.t(st.val("NEXT REVIEW") + st.sep).v(st.date(hearing + dt.timedelta(days=365)), "DATE").nl()
    n = rng.choice([3, 5, 7])
    b.t(st.val("VOTE") + st.sep + f"{rng.randint(n // 2 + 1, n)}-{rng.randint(0, n // 2)}").nl()
    if ev == "parole_granted" and rng.random() < 0.7:
        b.t(st.val("SPECIAL CONDITIONS") + ":").nl()
        pool = ["NO ALCOHOL OR DRUGS, RANDOM TESTING", "MUST HAVE EMPLOYMENT OR BE IN SCHOOL", "NO CONTACT WITH VICTIM OR FAMILY",
                "REPORT TO P.O. WEEKLY", "CURFEW 10 PM - 6 AM", "ATTEND AA/NA 3X WEEKLY", "RESIDE AT APPROVED ADDRESS"]
        for i, c in enumerate(rng.sample(pool, rng.randint(1, 4)), 1):
            b.t(f"   {i}. " + st.val(c)).nl()
    b.t(rng.choice(["______________________", "/s/ " + other_name(rng)])).nl()
    b.t(st.val(rng.choice(["Chairman", "For the Board", "Executive Director"]))).nl()
    lines, spans = b.finish()
    return f"parole_hearing/{decision}", lines, spans, [TruthRecord(0, len(lines), ev, f, tcs)]


# ------------------------------------------------------------------------------------------------
def parole_warrant(rng: random.Random, year: int):
    """Parole violation warrant / preliminary revocation notice (held out).

    Dates: `DATE PAROLED`/`RELEASED ON PAROLE` -> release_date; `PRELIMINARY HEARING` -> hearing_date;
    the warrant's own issue date is a DATE with no field."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    fac = doc_facility(rng, year)
    paroled = rand_date(rng, dt.date(year - 2, 1, 1), dt.date(year, 6, 1))
    issued = paroled + dt.timedelta(days=rng.randint(40, 500))
    hear = issued + dt.timedelta(days=rng.randint(5, 30))
    v = rng.choice(["warrant", "revocation"])
    b = B()
    b.t(rng.choice(["THE COMMONWEALTH OF MASSACHUSETTS", "COMMONWEALTH OF MASSACHUSETTS"])).nl()
    b.t(rng.choice(["MASSACHUSETTS PAROLE BOARD", "PAROLE BOARD - WARRANT UNIT", "DEPT. OF CORRECTION - PAROLE BOARD"])).nl()
    name, nt = s.name(st.name_style, st.mixed)
    f = {"name": nt, "commitment_no": s.p.commitment, "facility": fac.canonical, "release_date": paroled.isoformat()}
    if v == "warrant":
        b.t(st.val(rng.choice(["WARRANT FOR TEMPORARY CUSTODY", "PAROLE VIOLATION WARRANT", "WARRANT - RETURN OF PAROLE VIOLATOR"]))).nl()
        b.t(st.val(rng.choice(["WARRANT NO. ", "WNT # "])) + f"{issued.year % 100:02d}-{rng.randint(100, 9999)}").pad(44, 4)
        b.t(st.val(rng.choice(["ISSUED ", "DATE OF ISSUE: "]))).v(st.date(issued), "DATE").nl()
        b.t(st.prose("TO ANY OFFICER AUTHORIZED TO SERVE CRIMINAL PROCESS:")).nl()
        b.t(st.prose("WHEREAS ")).v(name, "PERSON").t(st.prose(", No. ")).v(s.p.commitment, "COMMIT_NO").t(st.prose(", was released on parole from ")).nl()
        b.v(fac.printed(rng, st.mixed), "FACILITY").t(st.prose(" on ")).v(st.date(paroled), "DATE")
        b.t(st.prose(" and has violated the conditions of said parole,")).nl()
        b.t(st.prose("You are commanded to take said parolee into custody and return the parolee to a correctional institution.")).nl()
        for k, val, lab, key in (("sid", s.p.sid, "SID", "sid"), ("dob", st.date(s.dob), "DOB", "dob")):
            if rng.random() < 0.7:
                st.kv(b, k, val, lab).t("   ")
                f[key] = s.p.sid if key == "sid" else s.dob.isoformat()
        b.nl()
        ev = "warrant"
    else:
        b.t(st.val(rng.choice(["NOTICE OF PRELIMINARY PAROLE VIOLATION HEARING", "PAROLE REVOCATION - NOTICE OF HEARING"]))).nl(2)
        pairs = [("parolee", name, "PERSON"), ("commitment_no", s.p.commitment, "COMMIT_NO"),
                 ("paroled", st.date(paroled), "DATE"), ("from", fac.printed(rng, st.mixed), "FACILITY"),
                 ("prelim", st.date(hear), "DATE")]
        for k, opts in (("parolee", ["PAROLEE", "NAME OF PAROLEE", "PAROLEE NAME"]), ("paroled", ["DATE PAROLED", "RELEASED ON PAROLE", "PAROLE DATE"]),
                        ("from", ["PAROLED FROM", "RELEASING INSTITUTION", "FROM INST."]), ("prelim", ["PRELIMINARY HEARING", "PRELIM. HRG. DATE", "HEARING SCHEDULED"])):
            st._labs.setdefault(k, rng.choice(opts))
        if rng.random() < 0.6:
            pairs.append(("sid", s.p.sid, "SID"))
            f["sid"] = s.p.sid
        st.kv_rows(b, pairs, rng.choice([1, 2]), width=46)
        f["hearing_date"] = hear.isoformat()
        b.t(st.val("WARRANT LODGED ")).v(st.date(issued), "DATE").t(st.val(". PAROLE SUSPENDED PENDING HEARING.")).nl()
        ev = "parole_revoked" if rng.random() < 0.5 else "warrant"
        if ev == "parole_revoked":
            b.t(st.val("FINDING: VIOLATION FOUND. PAROLE REVOKED.")).nl()
    b.t(st.val("ALLEGED VIOLATIONS: ") + st.val(", ".join(rng.sample(["NEW ARREST", "FAILURE TO REPORT", "CHANGE OF RESIDENCE W/O PERMISSION",
                                                                       "USE OF DRUGS", "CURFEW", "CONTACT WITH VICTIM"], 2)))).nl()
    b.t(st.val("PAROLE OFFICER ") + other_name(rng, st.mixed) + "   " + st.val("REGION ") + str(rng.randint(1, 9))).nl()
    lines, spans = b.finish()
    return f"parole_warrant/{v}", lines, spans, [TruthRecord(0, len(lines), ev, f, [])]


# ------------------------------------------------------------------------------------------------
def release_certificate(rng: random.Random, year: int):
    """Release / discharge certificate in prose (held out)."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    court = pick_court(rng, s.p.county, rng.choice(["SUPERIOR", "SUPERIOR", "DISTRICT"]))
    fac = doc_facility(rng, year) if court.kind == "SUPERIOR" else hoc_facility(rng, court.county)
    adm = rand_date(rng, dt.date(year - 6, 1, 1), dt.date(year - 1, 1, 1))
    rel = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 28))
    ch = make_charge_specs(rng, 1, adm.year, court.kind, committed=True)[0]
    name, nt = s.name(rng.choice([1, 5, 8, 0]), st.mixed)
    prose = rng.random() < 0.5
    d = (lambda x: prose_date(x, rng)) if prose else st.date
    f = {"name": nt, "commitment_no": s.p.commitment, "facility": fac.canonical, "admission_date": adm.isoformat(),
         "release_date": rel.isoformat(), "court": court.canonical}
    b = B()
    b.t(rng.choice(["COMMONWEALTH OF MASSACHUSETTS", "THE COMMONWEALTH OF MASSACHUSETTS"])).nl()
    b.t(st.val(rng.choice(["CERTIFICATE OF DISCHARGE", "CERTIFICATE OF RELEASE", "DISCHARGE CERTIFICATE", "NOTICE OF RELEASE"]))).nl(2)
    b.t(st.prose("This is to certify that ")).v(name, "PERSON").t(st.prose(", No. ")).v(s.p.commitment, "COMMIT_NO").t(",").nl()
    b.t(st.prose("who was committed to ")).v(fac.printed(rng, st.mixed), "FACILITY").t(st.prose(" on ")).v(d(adm), "DATE").nl()
    b.t(st.prose("by the ")).v(court.printed(rng, mixed=st.mixed), "COURT").t(st.prose(" for the crime of ")).v(print_offence(rng, ch.off, st.mixed), "OFFENSE").nl()
    sp, sn = print_statute(rng, ch.off, _sstyle(rng))
    b.t("(").v(sp, "STATUTE").t(st.prose(") and sentenced to ")).v(st.val(ch.sentence_text), "SENTENCE").t(",").nl()
    reason = rng.choice(["by reason of the expiration of sentence", "having earned good conduct deductions",
                         "upon completion of sentence", "on parole", "by order of the court"])
    b.t(st.prose("was DISCHARGED " + reason + " on ") if "parole" not in reason else st.prose("was RELEASED " + reason + " on ")).v(d(rel), "DATE").t(".").nl(2)
    if rng.random() < 0.5:
        b.t(st.prose("Date of birth: ")).v(st.date(s.dob), "DOB").nl()
        f["dob"] = s.dob.isoformat()
    b.t(st.prose(rng.choice(["Superintendent", "Records Officer", "Commissioner of Correction", "Master"])) + st.sep + other_name(rng, st.mixed)).nl()
    b.t(rng.choice(["SEAL", "[SEAL]", "L.S.", ""])).nl()
    lines, spans = b.finish()
    return f"release_certificate/{'prose' if prose else 'plain'}", lines, spans, [
        TruthRecord(0, len(lines), "release", f, [ch.truth(sn, dispo=False)])]


# ------------------------------------------------------------------------------------------------
def police_blotter(rng: random.Random, year: int):
    """Police department arrest log (held out): one arrest per line, the day in the header.

    Date role: the header day is each line's arrest_date."""
    st = Style.pick(rng)
    county = rng.choice(vocab.COUNTIES)
    town = rng.choice(vocab.TOWNS[county])
    day = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 28))
    b = B()
    b.t(st.val(f"{town} {rng.choice(vocab.POLICE_SUFFIX)}")).nl()
    b.t(st.val(rng.choice(["ARREST LOG", "DAILY LOG - ARRESTS", "BOOKING LOG", "PRISONER LOG"])) + "   ").v(st.date(day), "DATE").nl()
    ds = rng.choice([0, 3, 4, 12])
    recs = []
    for i in range(rng.randint(2, 10)):
        s = make_subject(rng, year)
        name, nt = s.name(rng.choice([0, 2, 4, 1]), st.mixed)
        ch = make_charge_specs(rng, 1, year, "DISTRICT", disposed=False)[0]
        tm = f"{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}"
        ln = b.ln
        f = {"name": nt, "arrest_date": day.isoformat()}
        b.t(tm + "  ")
        if rng.random() < 0.5:
            bk = f"{year % 100:02d}-{rng.randint(1, 999):03d}-AR"
            b.v(bk, "BOOKING_NO").t("  ")
            f["booking_no"] = bk
        b.v(name, "PERSON").t(rng.choice(["  ", ", "]))
        if rng.random() < 0.5:
            b.t(rng.choice(["DOB ", "DOB ", "B. ", "", "B/"] if rng.random() < 0.1 else ["DOB ", "B. ", ""])).v(print_date(s.dob, ds), "DOB").t("  ")
            f["dob"] = s.dob.isoformat()
        else:
            b.t(f"AGE {year - s.dob.year}  ")
        b.t(st.val(f"{s.p.street}") + "  ")
        b.v(print_offence(rng, ch.off, st.mixed), "OFFENSE")
        b.t("  " + rng.choice(["OFC.", "PTL.", "SGT."]) + " " + rng.choice(vocab.SURNAMES)).nl()
        recs.append(TruthRecord(ln, ln + 1, "arrest", f, [ch.truth(None)]))
    b.t(rng.choice(["DESK OFFICER: ", "O.I.C. ", "SHIFT: "]) + other_name(rng, st.mixed)).nl()
    lines, spans = b.finish()
    return "police_blotter", lines, spans, recs
