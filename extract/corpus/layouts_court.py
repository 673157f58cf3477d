"""Trial Court and Probation text layouts: dockets, complaints, indictments, probation and CORI
listings, violation notices, clerk's index cards and daily arraignment lists."""

from __future__ import annotations

import datetime as dt
import random

from .kit import (B, Style, make_charge_specs, make_subject, other_name, pick_court, print_dispo,
                  print_offence, print_statute, rand_date, print_date, docket_for, title, vocab,
                  STAT_STYLES, bare_cwof)
from .types import TruthCharge, TruthRecord

COMMON_TOP = ["COMMONWEALTH OF MASSACHUSETTS", "THE COMMONWEALTH OF MASSACHUSETTS", "THE TRIAL COURT",
              "TRIAL COURT OF MASSACHUSETTS"]


def _top(b: B, rng: random.Random, extra: list[str] = ()) -> None:
    lines = [rng.choice(COMMON_TOP)] if rng.random() < 0.8 else []
    for t in list(lines) + list(extra):
        b.t(" " * rng.choice([0, 0, 10, 20]) + t).nl()


def _sig(b: B, rng: random.Random, role: str, st: Style) -> None:
    if rng.random() < 0.3:
        b.nl()
    b.t(rng.choice(["______________________", "", "/s/ " + other_name(rng, st.mixed), "X__________"])).nl()
    b.t(st.val(role)).nl()


def _page_no(b: B, rng: random.Random) -> None:
    n = rng.randint(1, 4)
    b.t(rng.choice([f"PAGE {n} OF {n + rng.randint(0, 2)}", f"Page {n}", f"- {n} -", f"P. {n}"])).nl()


def _statute_style(rng: random.Random) -> int:
    return rng.randrange(-1, STAT_STYLES)


def _event_from_charges(charges) -> str:
    """A docket / complaint / indictment whose counts carry dispositions is a `disposition` record,
    sentences or not (`sentencing` is kept for records that are only a sentencing: a mittimus)."""
    return "disposition"


# ------------------------------------------------------------------------------------------------
def court_docket(rng: random.Random, year: int):
    """Trial Court criminal docket: counts with statute/offence/disposition/sentence, docket entries."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    court = pick_court(rng, s.p.county if rng.random() < 0.7 else None,
                       rng.choices(["DISTRICT", "SUPERIOR", "BMC", "JUVENILE"], weights=[55, 25, 12, 8])[0])
    dk, dk_n = docket_for(rng, year, court)
    arr = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 1))
    disp = arr + dt.timedelta(days=rng.randint(14, 240))
    charges = make_charge_specs(rng, rng.randint(1, 5), year, court.kind)
    sstyle = _statute_style(rng)
    v = rng.randrange(3)
    b = B()
    f: dict[str, str] = {}
    _top(b, rng)
    b.v(court.printed(rng, mixed=st.mixed), "COURT").nl()
    f["court"] = court.canonical
    title_ = rng.choice(["CRIMINAL DOCKET", "DOCKET ENTRIES", "CRIMINAL DOCKET SHEET", "CRIMINAL CASE RECORD", "DOCKET",
                         "DOCKET AND RECORD OF PROCEEDINGS", "CLERK'S DOCKET", "CRIMINAL CASE DOCKET", "RECORD OF CASE",
                         "CASE SUMMARY - CRIMINAL", "Criminal Docket"])
    b.t(st.val(title_))
    b.pad(44, 4)
    st.kv(b, "docket", dk, "DOCKET", options=["DOCKET NO.", "NO.", "DOCKET NUMBER", "CASE NO.", "DKT."]).nl()
    f["docket"] = dk_n
    name, nt = s.name(st.name_style, st.mixed)
    if rng.random() < 0.6:
        b.t(st.val(rng.choice(["COMMONWEALTH", "COMMONWEALTH OF MASSACHUSETTS"]))).nl()
        b.t("    " + rng.choice(["vs.", "VS.", "v.", "V."]) + " ").v(name, "PERSON").nl()
    else:
        st.kv(b, "name", name, "PERSON").nl()
    f["name"] = nt
    pairs = [("dob", st.date(s.dob), "DOB"), ("sid", s.p.sid, "SID"),
             ("address", st.val(f"{s.p.street}, {s.p.town}"), None),
             ("arraignment_date", st.date(arr), "DATE"),
             ("attorney", st.val(rng.choice(["PUB. DEF.", "CPCS", "PRIVATE", "WAIVED", "MASS. DEFENDERS"]) +
                                 (f" {other_name(rng)}" if rng.random() < 0.5 else "")), None),
             ("judge", st.val(rng.choice(vocab.JUDGES)), None)]
    f["dob"], f["sid"], f["arraignment_date"] = s.dob.isoformat(), s.p.sid, arr.isoformat()
    if rng.random() < 0.4:
        pairs.append(("pcf", s.p.pcf, "PCF"))
        f["pcf"] = s.p.pcf
    if v == 0:
        pairs.append(("disposition_date", st.date(disp), "DATE"))
        f["disposition_date"] = disp.isoformat()
    if rng.random() < 0.5:
        pairs.insert(rng.randrange(len(pairs)), ("bail", rng.choice(["$500", "$1,000 CASH", "PERSONAL", "$250 SURETY", "NONE"]), None))
        LBAIL = ["BAIL", "BAIL SET", "BAIL/RECOG."]
        st._labs.setdefault("bail", rng.choice(LBAIL))
    rng.shuffle(pairs) if rng.random() < 0.3 else None
    st.kv_rows(b, pairs, rng.choice([1, 2, 2, 3]), width=rng.choice([30, 36, 40]))
    b.nl()
    tcs: list[TruthCharge] = []
    if v == 0:
        heads = [st.word("ct", ["CT", "COUNT", "NO."]), st.word("statute"), st.word("offense"), st.word("disposition")]
        w = [6, rng.choice([22, 26]), rng.choice([40, 46]), 20]
        b.cells([(h, None) for h in heads], w).nl()
        for c in charges:
            sp, sn = print_statute(rng, c.off, sstyle)
            b.cells([(str(c.count), None), (sp, "STATUTE"), (print_offence(rng, c.off, st.mixed), "OFFENSE"),
                     (print_dispo(rng, c.dispo, st.mixed), "DISPOSITION")], w).nl()
            if c.sentence_text:
                b.pad(6).v(st.val(c.sentence_text), "SENTENCE").nl()
            tcs.append(c.truth(sn))
    elif v == 1:
        for c in charges:
            sp, sn = print_statute(rng, c.off, sstyle)
            b.t(st.val("COUNT") + f" {c.count}{rng.choice([':', '', '.'])} ").v(print_offence(rng, c.off, st.mixed), "OFFENSE")
            b.pad(60, 3).v(sp, "STATUTE").nl()
            b.t("    ")
            st.kv(b, "disposition", print_dispo(rng, c.dispo, st.mixed), "DISPOSITION")
            b.pad(44, 3).v(st.date(disp), "DATE").nl()
            if c.sentence_text:
                b.t("    ")
                st.kv(b, "sentence", st.val(c.sentence_text), "SENTENCE").nl()
            tcs.append(c.truth(sn))
        f["disposition_date"] = disp.isoformat()
    else:
        for c in charges:
            sp, sn = print_statute(rng, c.off, sstyle)
            b.t(f"{c.count}. ").v(sp, "STATUTE").t("  ").v(print_offence(rng, c.off, st.mixed), "OFFENSE").nl()
            b.t("   ").v(st.date(disp), "DATE").t(" ").v(print_dispo(rng, c.dispo, st.mixed), "DISPOSITION")
            if c.sentence_text:
                b.t(" - ").v(st.val(c.sentence_text), "SENTENCE")
            b.nl()
            tcs.append(c.truth(sn))
        f["disposition_date"] = disp.isoformat()
    if rng.random() < 0.8:
        b.nl()
        b.t(st.val(rng.choice(["DOCKET ENTRIES", "DATE    ENTRY", "PROCEEDINGS"]))).nl()
        steps = ["PRE-TRIAL CONF. CONT'D", "MOTION TO SUPPRESS DENIED", "DISCOVERY ORDERED",
                 "DEFT DEFAULTED. WARRANT ISSUED.", "WARRANT RECALLED. DEFT IN COURT.",
                 "CONTINUED BY AGREEMENT", "COUNSEL APPOINTED", "BAIL REVIEWED. BAIL REDUCED TO $500",
                 "MOTION FOR CONTINUANCE ALLOWED", "PROBATION SURRENDER NOTICE ISSUED",
                 f"HEARING BEFORE {rng.choice(vocab.JUDGES)}", "NOTICE OF APPEARANCE FILED"]
        ev = [(arr, rng.choice(["ARRAIGNED. PLEA NOT GUILTY ALL COUNTS.", "ARRAIGNED. RELEASED ON PERSONAL RECOG.",
                                f"ARRAIGNED. BAIL ${rng.choice([100, 500, 1000, 2500])}"]))]
        gap = max(2, (disp - arr).days)
        for o in sorted(rng.sample(range(1, gap), min(gap - 1, rng.randint(1, 6)))):
            ev.append((arr + dt.timedelta(days=o), rng.choice(steps)))
        ev.append((disp, rng.choice(["CHANGE OF PLEA. COLLOQUY.", "JURY WAIVED TRIAL.", "TRIAL BY JURY.",
                                     "PLEA TENDERED AND ACCEPTED.", "FINDINGS AND DISPOSITION AS ABOVE."])))
        for d, txt in ev:
            b.v(st.date(d), "DATE").pad(14, 3).t(st.val(txt)).nl()
    if rng.random() < 0.4:
        b.nl().t(rng.choice(["A TRUE COPY ATTEST", "CERTIFIED COPY", "RECEIVED "]))
        if b.cur and b.cur[-1].startswith("RECEIVED"):
            b.v(st.date(disp + dt.timedelta(days=rng.randint(1, 30))), "DATE")
        b.nl()
    _sig(b, rng, rng.choice(["Clerk-Magistrate", "Asst. Clerk", "Clerk of Courts"]), st)
    if rng.random() < 0.3:
        _page_no(b, rng)
    lines, spans = b.finish()
    rec = TruthRecord(0, len(lines), _event_from_charges(charges), f, tcs)
    return f"court_docket/v{v}", lines, spans, [rec]


# ------------------------------------------------------------------------------------------------
def dc_complaint(rng: random.Random, year: int):
    """District Court criminal complaint: defendant block, dates, counts in prose."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    court = pick_court(rng, s.p.county, rng.choice(["DISTRICT", "DISTRICT", "BMC"]))
    dk, dk_n = docket_for(rng, year, court)
    off_d = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 1))
    arrest = off_d + dt.timedelta(days=rng.choice([0, 0, 0, 1, 3, 12]))
    arr = arrest + dt.timedelta(days=rng.choice([1, 1, 2, 3, 7]))
    charges = make_charge_specs(rng, rng.randint(1, 4), year, court.kind, disposed=False)
    sstyle = _statute_style(rng)
    v = rng.randrange(3)
    b = B()
    f: dict[str, str] = {}
    _top(b, rng)
    b.t(st.val(rng.choice(["CRIMINAL COMPLAINT", "COMPLAINT", "APPLICATION FOR COMPLAINT - CRIMINAL"])))
    b.pad(40).t(st.val("NO. OF COUNTS") + f" {len(charges)}").nl()
    if rng.random() < 0.5:
        b.v(court.printed(rng, mixed=st.mixed), "COURT").pad(44, 4)
        st.kv(b, "docket", dk, "DOCKET").nl()
    else:
        st.kv(b, "docket", dk, "DOCKET").nl()
        b.t(st.val(rng.choice(["COURT DIVISION", "DIVISION", "COURT"])) + st.sep).v(court.printed(rng, mixed=st.mixed), "COURT").nl()
    f.update(court=court.canonical, docket=dk_n)
    name, nt = s.name(st.name_style, st.mixed)
    f["name"] = nt
    if v != 1:
        b.t(st.val(rng.choice(["DEFENDANT NAME & ADDRESS", "NAME AND ADDRESS OF DEFENDANT", "DEFENDANT"])))
        b.pad(44).t(st.word("dob")).nl()
        b.v(name, "PERSON").pad(44).v(st.date(s.dob), "DOB").nl()
        b.t(st.val(f"{s.p.street}, {s.p.town}, MA")).nl()
    else:
        st.kv(b, "name", name, "PERSON")
        b.pad(46, 3)
        st.kv(b, "dob", st.date(s.dob), "DOB").nl()
    f["dob"] = s.dob.isoformat()
    pairs = [("offense_date", st.date(off_d), "DATE"), ("arrest_date", st.date(arrest), "DATE")]
    f.update(offense_date=off_d.isoformat(), arrest_date=arrest.isoformat())
    dept = f"{rng.choice(vocab.TOWNS[s.p.county])} {rng.choice(vocab.POLICE_SUFFIX)}"
    pairs.append(("police", st.val(dept), None))
    st._labs.setdefault("police", rng.choice(["POLICE DEPT.", "POLICE DEPT", "AGENCY", "ARRESTING DEPT"]))
    if rng.random() < 0.6:
        pairs.append(("arraignment_date", st.date(arr), "DATE"))
        f["arraignment_date"] = arr.isoformat()
        st._labs.setdefault("arraignment_date", rng.choice(["ARRAIGNMENT DATE", "NEXT EVENT: ARRAIGNMENT", "ARRAIGNMENT", "DATE OF ARRAIGNMENT"]))
    if rng.random() < 0.5:
        pairs.append(("sid", s.p.sid, "SID"))
        f["sid"] = s.p.sid
    if rng.random() < 0.4:
        pairs.append(("incident", f"{year % 100:02d}-{rng.randint(100, 99999)}", None))
        st._labs.setdefault("incident", rng.choice(["INCIDENT NO.", "P.D. REPORT #", "CC NO."]))
    st.kv_rows(b, pairs, rng.choice([1, 2]), width=38)
    b.nl()
    tcs = []
    for c in charges:
        sp, sn = print_statute(rng, c.off, sstyle)
        desc = print_offence(rng, c.off, st.mixed)
        if v == 2 or rng.random() < 0.2:
            b.t(st.val("COUNT") + f" {c.count}").pad(12).v(desc, "OFFENSE").pad(62, 3).v(sp, "STATUTE").nl()
        else:
            b.t(st.val(f"COUNT {c.count}") + rng.choice([": ", "  ", " - "])).v(sp, "STATUTE").t(" ").v(desc, "OFFENSE").nl()
            town = title(s.p.town) if st.mixed else s.p.town
            b.t(st.prose("The undersigned complainant, on behalf of the Commonwealth, on oath complains")).nl()
            b.t(st.prose("that on the date(s) indicated above at ") + town + st.prose(" the defendant did commit the offense")).nl()
            b.t(st.prose("of ")).v(desc, "OFFENSE").t(st.prose(", in violation of ")).v(sp, "STATUTE")
            b.t(rng.choice([",", "", " ,"])).nl()
            b.t(st.prose(rng.choice(["against the peace of said Commonwealth and the form of the statute",
                                     "contrary to the form of the statute in such case made and provided"]))).nl()
        tcs.append(c.truth(sn))
    b.nl()
    b.t(st.val(rng.choice(["COMPLAINANT", "SIGNATURE OF COMPLAINANT", "OFFICER"])) + st.sep +
        rng.choice(["OFC. ", "SGT. ", "DET. ", "TPR. ", ""]) + other_name(rng, st.mixed)).nl()
    b.t(st.val(rng.choice(["SWORN TO BEFORE", "ISSUED", "DATE ISSUED"])) + st.sep).v(st.date(arrest + dt.timedelta(days=1)), "DATE").nl()
    _sig(b, rng, rng.choice(["Clerk-Magistrate", "Asst. Clerk-Magistrate"]), st)
    lines, spans = b.finish()
    return f"dc_complaint/v{v}", lines, spans, [TruthRecord(0, len(lines), "arraignment", f, tcs)]


# ------------------------------------------------------------------------------------------------
def superior_indictment(rng: random.Random, year: int):
    """Superior Court indictment summary / record of sentence, table or prose."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    court = pick_court(rng, s.p.county, "SUPERIOR")
    dk, dk_n = docket_for(rng, year, court)
    ret = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 10, 1))
    arr = ret + dt.timedelta(days=rng.randint(3, 40))
    verdict = arr + dt.timedelta(days=rng.randint(60, 400))
    sent_d = verdict + dt.timedelta(days=rng.choice([0, 0, 7, 14, 30]))
    charges = make_charge_specs(rng, rng.randint(1, 4), year, "SUPERIOR", guilty_bias=0.5)
    sstyle = _statute_style(rng)
    v = rng.randrange(2)
    b = B()
    f: dict[str, str] = {"court": court.canonical, "docket": dk_n}
    b.t("COMMONWEALTH OF MASSACHUSETTS").nl()
    if rng.random() < 0.5:
        b.t(f"{court.county.upper()}, ss.").pad(40).t(st.val("SUPERIOR COURT")).nl()
        b.v(court.printed(rng, mixed=st.mixed), "COURT").nl()
    else:
        b.v(court.printed(rng, mixed=st.mixed), "COURT").nl()
    b.t(st.val(rng.choice(["CRIMINAL ACTION NO.", "INDICTMENT NO.", "NO."])) + " ").v(dk, "DOCKET").nl()
    name, nt = s.name(st.name_style, st.mixed)
    f["name"] = nt
    b.t(st.val(rng.choice(["COMMONWEALTH v. ", "COMMONWEALTH vs. ", "COMMONWEALTH VS "]))).v(name, "PERSON").nl()
    b.t(st.val(rng.choice(["INDICTMENT SUMMARY", "RECORD OF SENTENCE", "SUMMARY OF INDICTMENTS AND DISPOSITIONS",
                           "CLERK'S RECORD OF INDICTMENTS", "DISPOSITION OF INDICTMENTS", "CRIMINAL DOCKET - INDICTMENTS"]))).nl()
    pairs = [("returned", st.date(ret), "DATE"), ("arraignment_date", st.date(arr), "DATE")]
    st._labs.setdefault("returned", rng.choice(["RETURNED", "INDICTMENT RETURNED", "DATE OF INDICTMENT"]))
    f["arraignment_date"] = arr.isoformat()
    if rng.random() < 0.6:
        pairs.append(("dob", st.date(s.dob), "DOB"))
        f["dob"] = s.dob.isoformat()
    if rng.random() < 0.4:
        pairs.append(("sid", s.p.sid, "SID"))
        f["sid"] = s.p.sid
    pairs.append(("attorney", other_name(rng, st.mixed), None))
    pairs.append(("prosecutor", other_name(rng, st.mixed), None))
    st._labs.setdefault("prosecutor", rng.choice(["FOR THE COMMONWEALTH", "PROSECUTOR", "A.D.A."]))
    st.kv_rows(b, pairs, rng.choice([1, 2]), width=40)
    b.nl()
    tcs = []
    if v == 0:
        w = [5, 38, 22, 16, 40]
        b.cells([("NO.", None), (st.word("offense"), None), (st.word("statute"), None), (st.word("disposition", ["VERDICT", "FINDING", "DISPOSITION"]), None), (st.word("sentence"), None)], w).nl()
        for c in charges:
            sp, sn = print_statute(rng, c.off, sstyle)
            cells = [(str(c.count), None), (print_offence(rng, c.off, st.mixed), "OFFENSE"), (sp, "STATUTE"),
                     (print_dispo(rng, c.dispo, st.mixed), "DISPOSITION")]
            if c.sentence_text:
                cells.append((st.val(c.sentence_text), "SENTENCE"))
            b.cells(cells, w).nl()
            tcs.append(c.truth(sn))
        b.nl()
        st.kv(b, "disposition_date", st.date(verdict), "DATE").pad(40, 3)
        f["disposition_date"] = verdict.isoformat()
        if any(c.sentence_text for c in charges):
            st.kv(b, "sentence_date", st.date(sent_d), "DATE")
            f["sentence_date"] = sent_d.isoformat()
        b.nl()
        b.t(st.val(rng.choice(["BEFORE", "JUSTICE", "PRESIDING"])) + st.sep + rng.choice(vocab.JUDGES)).nl()
    else:
        for c in charges:
            sp, sn = print_statute(rng, c.off, sstyle)
            d = print_dispo(rng, c.dispo, st.mixed)
            b.t(st.prose(f"Indictment {c.count}") + ": ").v(print_offence(rng, c.off, st.mixed), "OFFENSE").t(" (").v(sp, "STATUTE").t(")").nl()
            b.t("   " + st.prose(rng.choice(["On ", "Disposed "]))).v(st.date(verdict), "DATE").t(" - ").v(d, "DISPOSITION")
            if c.sentence_text:
                b.t(st.prose("; sentenced ")).v(st.date(sent_d), "DATE").t(st.prose(" to ")).v(st.val(c.sentence_text), "SENTENCE")
            b.nl()
            tcs.append(c.truth(sn))
        f["disposition_date"] = verdict.isoformat()
        if any(c.sentence_text for c in charges):
            f["sentence_date"] = sent_d.isoformat()
        b.nl()
        b.t(st.prose(f"{rng.choice(vocab.JUDGES)} presiding. Defendant represented by {other_name(rng, plain=True)}.")).nl()
    _sig(b, rng, rng.choice(["Clerk of Courts", "Asst. Clerk", "Deputy Asst. Clerk"]), st)
    lines, spans = b.finish()
    return f"superior_indictment/v{v}", lines, spans, [TruthRecord(0, len(lines), _event_from_charges(charges), f, tcs)]


# ------------------------------------------------------------------------------------------------
def _case_list(rng, s, year, n, kinds=("DISTRICT", "SUPERIOR", "BMC"), weights=(70, 15, 15)):
    d = rand_date(rng, dt.date(max(year - 10, s.dob.year + 16), 1, 1), dt.date(year, 1, 1))
    out = []
    for _ in range(n):
        court = pick_court(rng, s.p.county if rng.random() < 0.8 else None, rng.choices(list(kinds), weights=list(weights))[0])
        ch = make_charge_specs(rng, 1, d.year, court.kind)[0]
        dk, dk_n = docket_for(rng, d.year, court)
        out.append((d, court, dk, dk_n, ch))
        d = d + dt.timedelta(days=rng.randint(20, 500))
    return out


def probation_cf(rng: random.Random, year: int):
    """Office of the Commissioner of Probation central file: identity header, one case per line.

    Date column role, from its header: `DISP DATE`/`DISP.` -> disposition_date,
    `ARR DATE`/`ARRAIGNED` -> arraignment_date, bare `DATE` -> arraignment_date."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    b = B()
    b.t(rng.choice(["OFFICE OF THE COMMISSIONER OF PROBATION", "COMMISSIONER OF PROBATION",
                    "MASSACHUSETTS PROBATION SERVICE", "BOARD OF PROBATION"])).nl()
    b.t(rng.choice(["CENTRAL FILE", "CENTRAL FILE RECORD", "COURT ACTIVITY RECORD", "RECORD OF COURT APPEARANCES"])).nl()
    shared: dict[str, str] = {}
    name, nt = s.name(st.name_style, st.mixed)
    shared["name"] = nt
    if rng.random() < 0.5:
        b.v(name, "PERSON").pad(50, 4)
        st.kv(b, "pcf", s.p.pcf, "PCF", options=["PCF", "NO.", "PCF NO.", "C.F. NO."]).nl()
        shared["pcf"] = s.p.pcf
        pairs = [("dob", st.date(s.dob), "DOB"), ("sex", s.p.sex, None), ("race", s.p.race, None), ("sid", s.p.sid, "SID")]
    else:
        pairs = [("name", name, "PERSON"), ("pcf", s.p.pcf, "PCF"), ("dob", st.date(s.dob), "DOB"), ("sid", s.p.sid, "SID")]
        shared["pcf"] = s.p.pcf
    shared.update(dob=s.dob.isoformat(), sid=s.p.sid)
    st.kv_rows(b, pairs, rng.choice([2, 4]), width=rng.choice([20, 26]))
    if s.p.aliases and rng.random() < 0.6:
        b.t(st.lab("aka", ["AKA", "ALIAS", "A.K.A."]) + "; ".join(s.p.aliases)).nl()
    if rng.random() < 0.5:
        b.t("-" * rng.randint(40, 70)).nl()
    role, dhead = rng.choice([("disposition_date", "DISP DATE"), ("disposition_date", "DISP. DT"),
                              ("arraignment_date", "ARR DATE"), ("arraignment_date", "ARRAIGNED"),
                              ("arraignment_date", "DATE"), ("arraignment_date", "DATE"),
                              ("disposition_date", "DATE DISPOSED"), ("arraignment_date", "ARR. DT"),
                              ("disposition_date", "DISPOSED"), ("arraignment_date", "DATE ARR.")])
    compact = rng.random() < 0.4
    order = rng.choice([["date", "court", "docket", "offense", "disp"], ["date", "docket", "court", "offense", "disp"],
                        ["docket", "date", "court", "offense", "disp"]])
    heads = {"date": dhead, "court": rng.choice(["COURT", "CT", "COURT"]), "docket": rng.choice(["DOCKET", "DOCKET NO.", "DKT"]),
             "offense": rng.choice(["OFFENSE", "OFFENSE", "CHARGE"]), "disp": rng.choice(["DISP.", "DISPOSITION", "DISP"])}
    widths = {"date": 13, "court": 16, "docket": 16, "offense": 40 if compact else 32, "disp": 24}
    if rng.random() < 0.85:
        b.cells([(heads[k], None) for k in order], [widths[k] for k in order]).nl()
    sstyle = _statute_style(rng)
    ds = rng.choice([0, 3, 4, 7, 8, 12, 13, st.date_style])
    recs = []
    for d, court, dk, dk_n, ch in _case_list(rng, s, year, rng.randint(2, 12)):
        ln = b.ln
        cells, tc_stat = {}, None
        cells["date"] = (print_date_(d, ds), "DATE")
        cells["court"] = (court.printed(rng, short=rng.random() < 0.8, mixed=st.mixed), "COURT")
        cells["docket"] = (dk, "DOCKET")
        desc = print_offence(rng, ch.off, st.mixed)
        b_cells = [cells[k] for k in order[:3]]
        col = 0
        for (txt, lab), k in zip(b_cells, order[:3]):
            b.pad(col, 2).v(txt, lab)
            col += widths[k]
        b.pad(col, 2)
        if compact:
            sp, tc_stat = print_statute(rng, ch.off, sstyle)
            b.v(sp, "STATUTE").t(" ")
        b.v(desc, "OFFENSE")
        col += widths["offense"]
        b.pad(col, 2).v(print_dispo(rng, ch.dispo, st.mixed), "DISPOSITION")
        show_sent = bool(ch.sentence_text) and rng.random() < 0.5
        if show_sent:
            b.t(" ").v(st.val(bare_cwof(ch.sentence_text) if ch.dispo == "CWOF" else ch.sentence_text), "SENTENCE")
        b.nl()
        f = dict(shared, docket=dk_n, court=court.canonical)
        f[role] = d.isoformat()
        recs.append(TruthRecord(ln, ln + 1, "disposition", f, [ch.truth(tc_stat, sentence=show_sent)]))
    if rng.random() < 0.4:
        b.nl().t(rng.choice(["*** END OF RECORD ***", "NO FURTHER ENTRIES", "CONTINUED ON REVERSE"])).nl()
    lines, spans = b.finish()
    return f"probation_cf/{role}", lines, spans, recs


def print_date_(d, style):
    return print_date(d, style)


# ------------------------------------------------------------------------------------------------
def cori_summary(rng: random.Random, year: int):
    """CORI-style court activity summary: identity header, one multi-line block per case."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    b = B()
    b.t(st.val(rng.choice(["CRIMINAL OFFENDER RECORD INFORMATION", "COURT ACTIVITY RECORD INFORMATION",
                           "CRIMINAL HISTORY SYSTEMS BOARD - CORI", "CORI SUMMARY", "CRIMINAL RECORD SUMMARY",
                           "OFFICE OF PROBATION - RECORD CHECK", "BOARD OF PROBATION RECORD"]))).nl()
    if rng.random() < 0.5:
        b.t(st.val("REQUESTED BY: ") + other_name(rng, st.mixed) + "   " + st.val("DATE: ")).v(st.date(dt.date(year + 1, rng.randint(1, 12), rng.randint(1, 28))), "DATE").nl()
    name, nt = s.name(st.name_style, st.mixed)
    shared = {"name": nt, "dob": s.dob.isoformat()}
    pairs = [("name", name, "PERSON"), ("dob", st.date(s.dob), "DOB")]
    if rng.random() < 0.7:
        pairs.append(("pcf", s.p.pcf, "PCF"))
        shared["pcf"] = s.p.pcf
    if rng.random() < 0.7:
        pairs.append(("sid", s.p.sid, "SID"))
        shared["sid"] = s.p.sid
    st.kv_rows(b, pairs, rng.choice([1, 2]), width=40)
    b.t("=" * rng.randint(30, 70) if rng.random() < 0.5 else "").nl()
    sstyle = _statute_style(rng)
    recs = []
    for i, (d, court, dk, dk_n, ch) in enumerate(_case_list(rng, s, year, rng.randint(1, 6))):
        ln = b.ln
        disp = d + dt.timedelta(days=rng.randint(0, 300))
        f = dict(shared, docket=dk_n, court=court.canonical)
        b.t(f"{i + 1}) " if rng.random() < 0.5 else "")
        st.kv(b, "arraignment_date", st.date(d), "DATE", options=["ARRAIGNMENT", "ARR DATE", "ARRAIGNED", "ARR. DT"])
        b.pad(28, 3)
        st.kv(b, "court", court.printed(rng, short=rng.random() < 0.4, mixed=st.mixed), "COURT")
        b.pad(64, 3)
        st.kv(b, "docket", dk, "DOCKET").nl()
        f["arraignment_date"] = d.isoformat()
        sp, sn = print_statute(rng, ch.off, sstyle)
        b.t("    ")
        st.kv(b, "offense", print_offence(rng, ch.off, st.mixed), "OFFENSE")
        b.t("  ").v(sp, "STATUTE").nl()
        b.t("    ")
        st.kv(b, "disposition", print_dispo(rng, ch.dispo, st.mixed), "DISPOSITION")
        b.pad(44, 3)
        st.kv(b, "disposition_date", st.date(disp), "DATE").nl()
        f["disposition_date"] = disp.isoformat()
        if ch.sentence_text:
            b.t("    ")
            st.kv(b, "sentence", st.val(ch.sentence_text), "SENTENCE").nl()
        recs.append(TruthRecord(ln, b.ln, "disposition", f, [ch.truth(sn)]))
        if rng.random() < 0.5:
            b.nl()
    b.t(st.val(rng.choice(["THIS RECORD IS CONFIDENTIAL. UNAUTHORIZED DISSEMINATION PROHIBITED.",
                           "CORI - FOR OFFICIAL USE ONLY", "END OF RECORD"]))).nl()
    lines, spans = b.finish()
    return "cori_summary", lines, spans, recs


# ------------------------------------------------------------------------------------------------
def probation_violation(rng: random.Random, year: int):
    """Notice of probation violation / surrender hearing."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    court = pick_court(rng, s.p.county, rng.choice(["DISTRICT", "DISTRICT", "SUPERIOR", "BMC"]))
    dk, dk_n = docket_for(rng, year - 1, court)
    orig = rand_date(rng, dt.date(year - 2, 1, 1), dt.date(year - 1, 12, 1))
    hear = orig + dt.timedelta(days=rng.randint(120, 600))
    ch = make_charge_specs(rng, 1, year - 1, court.kind)[0]
    # A probation term: force a sentence with probation
    from .kit import _blank, _dur
    n, u = rng.choice([(1, "Y"), (2, "Y"), (18, "M"), (12, "M"), (6, "M")])
    dtxt, iso = _dur(rng, n, u)
    sent = _blank("probation")
    sent["probation"] = iso
    ch.dispo, ch.sentence, ch.sentence_text = "GUILTY", sent, rng.choice([f"PROBATION {dtxt}", f"PROB {dtxt}", f"{dtxt} PROBATION"])
    b = B()
    f = {"court": court.canonical, "docket": dk_n}
    _top(b, rng)
    b.v(court.printed(rng, mixed=st.mixed), "COURT").nl()
    b.t(st.val(rng.choice(["NOTICE OF PROBATION VIOLATION AND HEARING", "NOTICE OF SURRENDER",
                           "PROBATION VIOLATION NOTICE", "NOTICE OF PROBATION SURRENDER HEARING"]))).nl(2)
    name, nt = s.name(st.name_style, st.mixed)
    f.update(name=nt)
    pairs = [("name", name, "PERSON"), ("docket", dk, "DOCKET")]
    if rng.random() < 0.7:
        pairs.append(("dob", st.date(s.dob), "DOB"))
        f["dob"] = s.dob.isoformat()
    if rng.random() < 0.6:
        pairs.append(("pcf", s.p.pcf, "PCF"))
        f["pcf"] = s.p.pcf
    st._labs.setdefault("name", rng.choice(["PROBATIONER", "NAME", "DEFENDANT"]))
    st.kv_rows(b, pairs, rng.choice([1, 2]), width=40)
    sp, sn = print_statute(rng, ch.off, _statute_style(rng))
    v = rng.randrange(2)
    if v == 0:
        b.t(st.prose("You are hereby notified that you are alleged to have violated the conditions of")).nl()
        b.t(st.prose("probation imposed on ")).v(st.date(orig), "DATE").t(st.prose(" for ")).v(print_offence(rng, ch.off, st.mixed), "OFFENSE")
        b.t(" (").v(sp, "STATUTE").t(")").nl()
        b.t(st.val("Sentence: ")).v(st.val(ch.sentence_text), "SENTENCE").nl()
        b.t(st.prose("A hearing will be held on ")).v(st.date(hear), "DATE").t(st.prose(f" at {rng.choice(['9:00', '2:00', '9:30'])} in Courtroom {rng.randint(1, 12)}.")).nl()
        f["disposition_date"] = orig.isoformat()
        f["hearing_date"] = hear.isoformat()
    else:
        st.kv(b, "offense", print_offence(rng, ch.off, st.mixed), "OFFENSE").t("   ").v(sp, "STATUTE").nl()
        st.kv(b, "disposition_date", st.date(orig), "DATE", options=["ORIG. DISP. DATE", "DATE PLACED ON PROB.", "DISPOSITION DATE"]).nl()
        st.kv(b, "sentence", st.val(ch.sentence_text), "SENTENCE", options=["TERMS", "SENTENCE", "PROB. TERM"]).nl()
        st.kv(b, "hearing_date", st.date(hear), "DATE", options=["HEARING DATE", "SURRENDER HEARING", "DATE OF HEARING"]).nl()
        f["disposition_date"] = orig.isoformat()
        f["hearing_date"] = hear.isoformat()
    b.t(st.val(rng.choice(["ALLEGED VIOLATIONS:", "VIOLATIONS:", "Conditions violated:"]))).nl()
    for vtxt in rng.sample(["NEW ARREST", "FAILURE TO REPORT", "FAILURE TO PAY SUPERVISION FEE",
                            "POSITIVE DRUG SCREEN", "FAILURE TO ATTEND TREATMENT", "CURFEW VIOLATION"], rng.randint(1, 3)):
        b.t("  - " + st.val(vtxt)).nl()
    b.t(st.val("PROBATION OFFICER") + st.sep + other_name(rng, st.mixed) + "   " + rng.choice(["TEL. (617) 727-", "PHONE 508-"]) + f"{rng.randint(1000, 9999)}").nl()
    lines, spans = b.finish()
    tc = ch.truth(sn)
    tc.disposition = None  # the notice does not print the finding
    return f"probation_violation/v{v}", lines, spans, [TruthRecord(0, len(lines), "probation_violation", f, [tc])]


# ------------------------------------------------------------------------------------------------
def clerk_index_card(rng: random.Random, year: int):
    """Court clerk's index card (held out): terse typed lines, one case per line, court in header.

    Date role: the card's date is the disposition date (`DISP`, `DISPOSED`, or bare date after the
    disposition word)."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    court = pick_court(rng, s.p.county, rng.choice(["DISTRICT", "DISTRICT", "SUPERIOR", "BMC"]))
    b = B()
    name, nt = s.name(rng.choice([2, 3, 4, 7]), st.mixed)
    b.v(name, "PERSON").pad(44, 4)
    court_p = court.printed(rng, short=rng.random() < 0.5, mixed=st.mixed)
    b.v(court_p, "COURT").nl()
    shared = {"name": nt, "court": court.canonical}
    line2 = []
    if rng.random() < 0.8:
        b.t(rng.choice(["B. ", "DOB ", "b ", "BORN "])).v(st.date(s.dob), "DOB")
        shared["dob"] = s.dob.isoformat()
        line2.append(1)
    if rng.random() < 0.5:
        b.t("   " + rng.choice(["SID ", "ID# ", "S# "])).v(s.p.sid, "SID")
        shared["sid"] = s.p.sid
    if rng.random() < 0.35:
        b.t("   " + rng.choice(["PCF ", "P.C.F. ", "PROB# "])).v(s.p.pcf, "PCF")
        shared["pcf"] = s.p.pcf
    b.t("   " + st.val(f"{s.p.street} {s.p.town}") if rng.random() < 0.5 else "").nl()
    sstyle = rng.choice([2, 3, 9, 12, 8])
    recs = []
    d = rand_date(rng, dt.date(max(year - 6, s.dob.year + 16), 1, 1), dt.date(year, 6, 1))
    dstyle = rng.choice([0, 3, 4, 8, 12])
    for _ in range(rng.randint(1, 6)):
        ch = make_charge_specs(rng, 1, d.year, court.kind)[0]
        dk, dk_n = docket_for(rng, d.year, court)
        sp, sn = print_statute(rng, ch.off, sstyle)
        ln = b.ln
        b.v(dk, "DOCKET").t(rng.choice(["  ", " ", "   "])).v(sp, "STATUTE").t(" ").v(print_offence(rng, ch.off, st.mixed), "OFFENSE")
        b.t(rng.choice(["  ", " - ", " / "])).v(print_dispo(rng, ch.dispo), "DISPOSITION")
        show = bool(ch.sentence_text) and rng.random() < 0.7
        if show:
            b.t(rng.choice([" ", ", "])).v(bare_cwof(ch.sentence_text) if ch.dispo == "CWOF" else ch.sentence_text, "SENTENCE")
        b.t(rng.choice(["  ", " ", "  DISP "])).v(print_date_(d, dstyle), "DATE").nl()
        # a line that carries a disposition is a `disposition` record, sentence printed or not
        recs.append(TruthRecord(ln, ln + 1, _event_from_charges([ch]),
                                dict(shared, docket=dk_n, disposition_date=d.isoformat()), [ch.truth(sn, sentence=show)]))
        d = d + dt.timedelta(days=rng.randint(30, 400))
    if rng.random() < 0.5:
        b.t(rng.choice(["SEE ALSO CARD 2", "OVER", "CROSS REF. ", "XREF "]) + (rng.choice(s.p.aliases) if s.p.aliases else "")).nl()
    lines, spans = b.finish()
    return "clerk_index_card", lines, spans, recs


# ------------------------------------------------------------------------------------------------
def arraignment_list(rng: random.Random, year: int):
    """Court daily arraignment list (held out): one defendant per line; court and date in header.

    Date role: the session date in the header is each line's arraignment_date."""
    st = Style.pick(rng)
    court = pick_court(rng, None, rng.choice(["DISTRICT", "DISTRICT", "BMC"]))
    day = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 28))
    b = B()
    b.v(court.printed(rng, mixed=st.mixed), "COURT").nl()
    b.t(st.val(rng.choice(["ARRAIGNMENT LIST", "DAILY ARRAIGNMENT SESSION", "CRIMINAL SESSION - ARRAIGNMENTS", "LOCK-UP LIST"])))
    b.t("   " + st.val(rng.choice(["SESSION OF ", "FOR ", "DATE: ", ""]))).v(st.date(day), "DATE").nl()
    b.t(st.val(rng.choice(["COURTROOM ", "SESSION ", "ROOM "])) + str(rng.randint(1, 9)) + "   " + st.val("JUDGE ") + rng.choice(vocab.JUDGES)).nl()
    order = rng.choice([["no", "docket", "name", "offense", "atty", "bail"], ["no", "name", "docket", "offense", "bail", "atty"],
                        ["docket", "name", "dob", "offense", "bail"]])
    w = {"no": 4, "docket": 16, "name": 28, "offense": 36, "atty": 18, "bail": 12, "dob": 12}
    if rng.random() < 0.8:
        heads = {"no": "#", "docket": rng.choice(["DOCKET", "DKT NO."]), "name": rng.choice(["DEFENDANT", "NAME"]),
                 "offense": rng.choice(["CHARGE(S)", "OFFENSE", "CHARGE"]), "atty": rng.choice(["ATTY", "COUNSEL"]),
                 "bail": rng.choice(["BAIL", "BAIL/REL"]), "dob": rng.choice(["DOB", "D.O.B."])}
        b.cells([(st.val(heads[k]), None) for k in order], [w[k] for k in order]).nl()
    sstyle = rng.choice([2, 8, 12, 0, 6])
    ns = rng.choice([0, 2, 3, 4, 7])
    recs = []
    for i in range(rng.randint(3, 12)):
        s = make_subject(rng, year)
        name, nt = s.name(ns, st.mixed)
        dk, dk_n = docket_for(rng, year, court)
        ch = make_charge_specs(rng, 1, year, court.kind, disposed=False)[0]
        f = {"name": nt, "docket": dk_n, "court": court.canonical, "arraignment_date": day.isoformat()}
        ln = b.ln
        col = 0
        stat = None
        for k in order:
            b.pad(col, 2)
            if k == "no":
                b.t(f"{i + 1}.")
            elif k == "docket":
                b.v(dk, "DOCKET")
            elif k == "name":
                b.v(name, "PERSON")
            elif k == "dob":
                b.v(st.date(s.dob), "DOB")
                f["dob"] = s.dob.isoformat()
            elif k == "offense":
                if rng.random() < 0.3:
                    sp, stat = print_statute(rng, ch.off, sstyle)
                    b.v(sp, "STATUTE").t(" ")
                b.v(print_offence(rng, ch.off, st.mixed), "OFFENSE")
            elif k == "atty":
                b.t(rng.choice(["CPCS", "BAR ADV", "PRIV", "PD", rng.choice(vocab.SURNAMES)]))
            elif k == "bail":
                b.t(rng.choice(["PR", "$500", "$1000", "HELD", "$250", "$5000 C", "PERS. REC."]))
            col += w[k]
        b.nl()
        recs.append(TruthRecord(ln, ln + 1, "arraignment", f, [ch.truth(stat)]))
    if rng.random() < 0.5:
        b.t(rng.choice(["PRISONERS FROM LOCK-UP ABOVE THE LINE", "LIST PREPARED BY PROBATION DEPT.", "TOTAL: " + str(len(recs))])).nl()
    lines, spans = b.finish()
    return "arraignment_list", lines, spans, recs
