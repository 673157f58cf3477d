"""More train-only text layouts, for variety: DCJIS/BOP CORI printouts (one arraignment per block),
a clerk's docket book in prose, a sheriff's daily commitment log, a Parole Board certificate of
parole, a DOC inmate face sheet, a probation record of supervision, a State Police record of
arrests and prosecutions, a mittimus and a juvenile court docket.

Distractor people (judges, officers, attorneys, victims, contacts, board members) are printed
but never labelled PERSON. Date roles are documented in `extract.corpus.DATE_ROLES`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from .kit import (B, Style, _blank, _dur, doc_facility, docket_for, hoc_facility, jail_facility,
                  make_charge_specs, make_subject, other_name, pick_court, print_date, print_dispo,
                  print_offence, print_statute, prose_date, rand_date, vocab, STAT_STYLES, bare_cwof)
from .layouts_court import _case_list, _sig, _top
from .types import TruthRecord


def _ss(rng):
    return rng.randrange(-1, STAT_STYLES)


def _role(rng, st: Style, roles: list[str]) -> str:
    """A distractor person with a role word: `ATTY JOHN F. SMITH`, `Sgt. Kelly`."""
    r = rng.choice(roles)
    return st.val(r) + " " + other_name(rng, st.mixed)


def _block_items(b: B, st: Style, rng, items, per_line: int, indent: int = 0, width: int = 38) -> None:
    """`items` = (key, printed, label, options); `per_line` label/value pairs on a line."""
    for i in range(0, len(items), per_line):
        for j, (k, val, lab, opts) in enumerate(items[i:i + per_line]):
            b.pad(indent + j * width, 3)
            st.kv(b, k, val, lab, options=opts)
        b.nl()


# ------------------------------------------------------------------------------------------------
def cori_printout(rng: random.Random, year: int):
    """DCJIS / Board of Probation CORI printout: identity, then one arraignment per block with its
    own field order (docket first, offence before court, dates last ...)."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    b = B()
    b.t(st.val(rng.choice(["DEPARTMENT OF CRIMINAL JUSTICE INFORMATION SERVICES", "DCJIS - CORI REPORT",
                           "BOARD OF PROBATION - CRIMINAL RECORD", "COURT ACTIVITY RECORD INFORMATION (CARI)",
                           "MASSACHUSETTS BOARD OF PROBATION", "CRIMINAL OFFENDER RECORD - BOP PRINTOUT"]))).nl()
    if rng.random() < 0.6:
        b.t(st.val(rng.choice(["PRINTED ", "RUN DATE: ", "REQUEST DATE "])))
        b.v(st.date(dt.date(year + 1, rng.randint(1, 12), rng.randint(1, 28))), "DATE")
        b.t("   " + st.val(rng.choice(["REQUESTOR: ", "OPERATOR: ", "FOR: "])) + other_name(rng, st.mixed)).nl()
    name, nt = s.name(st.name_style, st.mixed)
    shared = {"name": nt, "dob": s.dob.isoformat()}
    pairs = [("name", name, "PERSON"), ("dob", st.date(s.dob), "DOB")]
    if rng.random() < 0.7:
        pairs.append(("pcf", s.p.pcf, "PCF"))
        shared["pcf"] = s.p.pcf
    if rng.random() < 0.5:
        pairs.append(("sid", s.p.sid, "SID"))
        shared["sid"] = s.p.sid
    rng.shuffle(pairs) if rng.random() < 0.4 else None
    st.kv_rows(b, pairs, rng.choice([1, 2, 3]), width=rng.choice([30, 36, 40]))
    if s.p.aliases and rng.random() < 0.5:
        b.t(st.lab("aka", ["AKA", "ALIASES", "ALSO KNOWN AS"]) + "; ".join(s.p.aliases)).nl()
    b.t(rng.choice(["-" * rng.randint(30, 70), "", "ARRAIGNMENTS", "COURT APPEARANCES:"])).nl()
    order = rng.choice([["docket", "court", "arr", "offense", "disp", "ddate", "sent"],
                        ["arr", "docket", "court", "offense", "disp", "sent", "ddate"],
                        ["court", "docket", "offense", "arr", "ddate", "disp", "sent"],
                        ["docket", "arr", "offense", "court", "disp", "ddate", "sent"]])
    per_line = rng.choice([1, 1, 2])
    sstyle = _ss(rng)
    recs = []
    for i, (d, court, dk, dk_n, ch) in enumerate(_case_list(rng, s, year, rng.randint(1, 5))):
        ln = b.ln
        disp = d + dt.timedelta(days=rng.randint(0, 300))
        f = dict(shared, docket=dk_n, court=court.canonical, arraignment_date=d.isoformat(),
                 disposition_date=disp.isoformat())
        sp, sn = print_statute(rng, ch.off, sstyle)
        off_txt = print_offence(rng, ch.off, st.mixed)
        if rng.random() < 0.5:
            b.t(rng.choice([f"{i + 1}.", f"#{i + 1}", f"ENTRY {i + 1}", f"({i + 1})"])).nl()
        items = {"docket": ("docket", dk, "DOCKET", ["DOCKET", "DKT", "DOCKET NO.", "CASE #"]),
                 "court": ("court", court.printed(rng, short=rng.random() < 0.4, mixed=st.mixed), "COURT", ["COURT", "CT", "COURT/DIV"]),
                 "arr": ("arraignment_date", st.date(d), "DATE", ["ARRAIGNMENT DATE", "ARR DT", "ARRAIGNED", "ARRGN"]),
                 "disp": ("disposition", print_dispo(rng, ch.dispo, st.mixed), "DISPOSITION", ["DISPOSITION", "DISP", "FINDING", "RESULT"]),
                 "ddate": ("disposition_date", st.date(disp), "DATE", ["DISPOSITION DATE", "DISP DT", "DISPOSED", "DISP. DATE"])}
        seq = []
        for k in order:
            if k == "offense":
                seq.append(("offense_stat", None, None, None))
            elif k == "sent":
                if ch.sentence_text:  # after a CWOF finding the term is sometimes printed bare (`6 MOS`)
                    txt = bare_cwof(ch.sentence_text) if ch.dispo == "CWOF" and rng.random() < 0.5 else ch.sentence_text
                    seq.append(("sentence", st.val(txt), "SENTENCE", ["SENTENCE", "SENT", "TERMS", "SENTENCE/TERMS"]))
            else:
                seq.append(items[k])
        row = []
        for it in seq:
            if it[0] == "offense_stat":
                if row:
                    _block_items(b, st, rng, row, per_line, 3)
                    row = []
                b.t("   ")
                st.kv(b, "offense", off_txt, "OFFENSE", options=["OFFENSE", "CHARGE", "OFFENSE DESC"])
                b.t(rng.choice(["  ", " ", " - "])).t(rng.choice(["", "(", ""]))
                opened = b.cur[-1] == "("
                b.v(sp, "STATUTE").t(")" if opened else "").nl()
            else:
                row.append(it)
        if row:
            _block_items(b, st, rng, row, per_line, 3)
        recs.append(TruthRecord(ln, b.ln, "disposition", f, [ch.truth(sn)]))
        if rng.random() < 0.4:
            b.nl()
    b.t(st.val(rng.choice(["*** END OF CORI ***", "THIS INFORMATION IS CONFIDENTIAL (M.G.L. c. 6 s. 172)",
                           "END OF RECORD", "NO OTHER ENTRIES"]))).nl()
    lines, spans = b.finish()
    return f"cori_printout/p{per_line}", lines, spans, recs


# ------------------------------------------------------------------------------------------------
def docket_book(rng: random.Random, year: int):
    """Clerk's docket book page in prose: `On 3/14/72 the defendant was arraigned ... pleads not
    guilty ... found GUILTY and sentenced to ...`."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    court = pick_court(rng, s.p.county, rng.choice(["DISTRICT", "DISTRICT", "SUPERIOR", "BMC"]))
    dk, dk_n = docket_for(rng, year, court)
    arr = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 11, 1))
    disp = arr + dt.timedelta(days=rng.randint(10, 300))
    charges = make_charge_specs(rng, rng.randint(1, 3), year, court.kind)
    ds = rng.choice([st.date_style, 0, 4, 12, 8])
    pd = (lambda x: prose_date(x, rng)) if rng.random() < 0.25 else (lambda x: print_date(x, ds))
    b = B()
    _top(b, rng)
    b.v(court.printed(rng, mixed=st.mixed), "COURT").nl()
    name, nt = s.name(st.name_style, st.mixed)
    f = {"name": nt, "court": court.canonical, "docket": dk_n, "arraignment_date": arr.isoformat(),
         "disposition_date": disp.isoformat()}
    if rng.random() < 0.5:
        b.t(st.val(rng.choice(["No. ", "Docket No. ", "CASE "]))).v(dk, "DOCKET").pad(30, 4)
        b.t(st.val("COMMONWEALTH vs. ")).v(name, "PERSON").nl()
    else:
        b.t(st.val(rng.choice(["COMMONWEALTH v. ", "COMMONWEALTH VS. ", "Com. v. "]))).v(name, "PERSON").nl()
        st.kv(b, "docket", dk, "DOCKET").nl()
    if rng.random() < 0.5:
        b.t(st.prose("Defendant born ")).v(st.date(s.dob), "DOB").t(st.prose(f", of {s.p.town}.")).nl()
        f["dob"] = s.dob.isoformat()
    b.nl()
    sstyle = _ss(rng)
    offs = [(c, *print_statute(rng, c.off, sstyle), print_offence(rng, c.off, st.mixed)) for c in charges]
    filed = arr - dt.timedelta(days=rng.randint(1, 5))
    b.v(pd(filed), "DATE").t(st.prose(rng.choice([" Complaint issued", " Complaint received and filed", " Indictment returned"]))).t(".").nl()
    b.t(st.prose("On ")).v(pd(arr), "DATE").t(st.prose(" the defendant was arraigned on a charge of ")).nl()
    for c, sp, sn, desc in offs:
        b.t("    ").v(desc, "OFFENSE").t(" (").v(sp, "STATUTE").t(")").nl()
    b.t(st.prose(rng.choice(["and pleads not guilty.", "and pleaded not guilty to all counts.", "- plea not guilty."]))).nl()
    b.t(st.prose(rng.choice([f"Attorney {other_name(rng, plain=True)} appointed.", f"Bail set at ${rng.choice([100, 500, 1000])}.",
                             f"Released on personal recognizance. Victim {other_name(rng, plain=True)} notified.",
                             f"Officer {other_name(rng, plain=True)} sworn."]))).nl()
    for k in range(rng.randint(0, 3)):
        cd = arr + dt.timedelta(days=rng.randint(2, max(3, (disp - arr).days - 1)))
        b.v(pd(cd), "DATE").t(st.prose(rng.choice([" Continued for trial.", " Motion to suppress heard and denied.",
                                                   " Pre-trial conference held.", " Defendant defaulted; warrant issued.",
                                                   " Default removed."]))).nl()
    b.t(st.prose("On ")).v(pd(disp), "DATE").t(st.prose(rng.choice([" after trial", " on change of plea", " after hearing", ""])))
    b.t(st.prose(" the court found as follows:")).nl()
    tcs = []
    for c, sp, sn, desc in offs:
        b.t("    " + st.prose(f"Count {c.count}: ")).v(print_dispo(rng, c.dispo, st.mixed), "DISPOSITION")
        if c.sentence_text:
            b.t(st.prose(rng.choice(["; sentenced to ", ". Sentence: ", " - "]))).v(st.val(c.sentence_text), "SENTENCE")
        b.t(".").nl()
        tcs.append(c.truth(sn))
    b.t(f"({rng.choice(vocab.JUDGES)})").nl()
    _sig(b, rng, rng.choice(["Clerk", "Asst. Clerk", "Clerk-Magistrate"]), st)
    lines, spans = b.finish()
    return "docket_book", lines, spans, [TruthRecord(0, len(lines), "disposition", f, tcs)]


# ------------------------------------------------------------------------------------------------
def commitment_log(rng: random.Random, year: int):
    """Sheriff's daily commitment log: several people, one line each, columns in varying orders,
    sometimes separated by single spaces only (OCR collapsed the spacing)."""
    st = Style.pick(rng)
    county = rng.choice(vocab.COUNTIES)
    fac = hoc_facility(rng, county) if rng.random() < 0.7 else jail_facility(rng, county)
    day = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 28))
    b = B()
    b.t(st.val(rng.choice([f"OFFICE OF THE SHERIFF - {county.upper()} COUNTY", f"{county.upper()} SHERIFF'S DEPT.",
                           f"SHERIFF OF {county.upper()} COUNTY"]))).nl()
    b.v(fac.printed(rng, st.mixed), "FACILITY").nl()
    b.t(st.val(rng.choice(["DAILY COMMITMENT LOG", "COMMITMENTS RECEIVED", "DAILY INTAKE LOG", "RECEIVING LOG"])) + "   ")
    st.kv(b, "logday", st.date(day), "DATE", options=["DATE", "LOG DATE", "FOR", "DAY OF"]).nl()
    cols = rng.choice([["bk", "name", "dob", "court", "off", "sent"], ["name", "bk", "court", "off", "sent"],
                       ["bk", "date", "name", "court", "off", "sent", "out"], ["date", "name", "dob", "bk", "off", "court"],
                       ["name", "dob", "off", "sent", "court", "bk"]])
    tight = rng.random() < 0.35
    heads = {"bk": rng.choice(["BK#", "BOOKING", "NO."]), "name": rng.choice(["NAME", "INMATE", "PRISONER"]),
             "dob": rng.choice(["DOB", "BORN", "D.O.B."]), "court": rng.choice(["COURT", "COMMITTING CT", "FROM"]),
             "off": rng.choice(["OFFENSE", "CHARGE"]), "sent": rng.choice(["SENTENCE", "TERM", "STATUS"]),
             "date": rng.choice(["REC'D", "DATE IN", "DATE"]), "out": rng.choice(["OUT", "REL.", "RELEASED"])}
    w = {"bk": 12, "name": 26, "dob": 11, "court": 18, "off": 30, "sent": 26, "date": 11, "out": 11}
    if rng.random() < 0.8:
        b.cells([(st.val(heads[k]), None) for k in cols], [w[k] for k in cols]).nl()
    ds = rng.choice([0, 3, 4, 12, st.date_style])
    ns = rng.choice([0, 2, 3, 4, 6, 7])
    recs = []
    for i in range(rng.randint(2, 10)):
        s = make_subject(rng, year)
        court = pick_court(rng, county, rng.choice(["DISTRICT", "DISTRICT", "SUPERIOR"]))
        ch = make_charge_specs(rng, 1, year, court.kind, committed=rng.random() < 0.7)[0]
        name, nt = s.name(ns, st.mixed)
        bk = f"{year % 100:02d}-{rng.randint(100, 99999):05d}" if rng.random() < 0.6 else f"{rng.randint(10000, 999999)}"
        d = day - dt.timedelta(days=rng.choice([0, 0, 0, 1]))
        f = {"name": nt, "facility": fac.canonical, "booking_no": bk, "court": court.canonical,
             "admission_date": (d if "date" in cols else day).isoformat()}
        ln = b.ln
        col = 0
        for k in cols:
            if tight:
                b.t(" " if b.curlen else "")
            else:
                b.pad(col, 2)
            col += w[k]
            if k == "bk":
                b.v(bk, "BOOKING_NO")
            elif k == "name":
                b.v(name, "PERSON")
            elif k == "dob":
                b.v(print_date(s.dob, ds), "DOB")
                f["dob"] = s.dob.isoformat()
            elif k == "court":
                b.v(court.printed(rng, short=True, mixed=st.mixed), "COURT")
            elif k == "off":
                b.v(print_offence(rng, ch.off, st.mixed), "OFFENSE")
            elif k == "sent":
                if ch.sentence_text:
                    b.v(st.val(ch.sentence_text), "SENTENCE")
                else:
                    b.t(st.val(rng.choice(["AWAITING TRIAL", "HELD", "BAIL"])))
            elif k == "date":
                b.v(print_date(d, ds), "DATE")
            elif k == "out":
                if rng.random() < 0.3:
                    rd = d + dt.timedelta(days=rng.randint(1, 60))
                    b.v(print_date(rd, ds), "DATE")
                    f["release_date"] = rd.isoformat()
                else:
                    b.t("-")
        b.nl()
        recs.append(TruthRecord(ln, ln + 1, "admission", f,
                                [ch.truth(None, dispo=False, sentence="sent" in cols)]))
    b.t(st.val(rng.choice(["OFFICER IN CHARGE ", "RECEIVING OFFICER ", "SHIFT SUPERVISOR "])) + rng.choice(["C.O. ", "SGT. ", "LT. "]) + other_name(rng, st.mixed)).nl()
    lines, spans = b.finish()
    return f"commitment_log/{'tight' if tight else 'cols'}", lines, spans, recs


# ------------------------------------------------------------------------------------------------
def parole_permit(rng: random.Random, year: int):
    """Parole Board certificate of parole / parole permit (a grant: `parole_granted`)."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    fac = doc_facility(rng, year)
    hearing = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 10, 1))
    paroled = hearing + dt.timedelta(days=rng.randint(10, 120))
    expires = paroled + dt.timedelta(days=rng.randint(300, 2500))
    court = pick_court(rng, s.p.county, "SUPERIOR")
    ch = make_charge_specs(rng, 1, year - rng.randint(1, 5), "SUPERIOR", committed=True)[0]
    name, nt = s.name(st.name_style, st.mixed)
    f = {"name": nt, "commitment_no": s.p.commitment, "facility": fac.canonical, "release_date": paroled.isoformat()}
    prose = rng.random() < 0.55
    b = B()
    b.t(rng.choice(["THE COMMONWEALTH OF MASSACHUSETTS", "COMMONWEALTH OF MASSACHUSETTS"])).nl()
    b.t(rng.choice(["PAROLE BOARD", "MASSACHUSETTS PAROLE BOARD", "BOARD OF PAROLE"])).nl()
    b.t(st.val(rng.choice(["CERTIFICATE OF PAROLE", "PAROLE PERMIT", "PERMIT TO BE AT LIBERTY", "PAROLE CERTIFICATE"]))).nl(2)
    sp, sn = print_statute(rng, ch.off, _ss(rng))
    tcs = []
    if prose:
        dfn = (lambda x: prose_date(x, rng)) if rng.random() < 0.5 else st.date
        b.t(st.prose("This is to certify that ")).v(name, "PERSON").t(st.prose(", No. ")).v(s.p.commitment, "COMMIT_NO")
        b.t(st.prose(", an inmate of")).nl()
        b.v(fac.printed(rng, st.mixed), "FACILITY").t(st.prose(", serving a sentence of ")).v(st.val(ch.sentence_text), "SENTENCE").nl()
        b.t(st.prose("imposed by the ")).v(court.printed(rng, mixed=st.mixed), "COURT").t(st.prose(" for ")).v(print_offence(rng, ch.off, st.mixed), "OFFENSE").nl()
        f["court"] = court.canonical
        if rng.random() < 0.6:
            b.t(st.prose("having been heard by the Board on ")).v(dfn(hearing), "DATE").t(",").nl()
            f["hearing_date"] = hearing.isoformat()
        b.t(st.prose(rng.choice(["is hereby GRANTED PAROLE and released on parole on ", "is PAROLED TO an approved home plan effective ",
                                 "is granted a permit to be at liberty on parole from "]))).v(dfn(paroled), "DATE").t(",").nl()
        b.t(st.prose("until ")).v(dfn(expires), "DATE").t(st.prose(", subject to the conditions below.")).nl()
        tcs.append(ch.truth(None, dispo=False))
    else:
        pairs = [("name", name, "PERSON"), ("commitment_no", s.p.commitment, "COMMIT_NO"),
                 ("facility", fac.printed(rng, st.mixed), "FACILITY"), ("release_date", st.date(paroled), "DATE"),
                 ("expires", st.date(expires), "DATE")]
        st._labs.setdefault("release_date", rng.choice(["DATE OF PAROLE", "EFFECTIVE DATE", "PAROLED ON", "RELEASE TO PAROLE"]))
        st._labs.setdefault("expires", rng.choice(["PAROLE EXPIRES", "MAX. DATE", "DISCHARGE DATE (MAX)", "EXPIRATION"]))
        st._labs.setdefault("facility", rng.choice(["PAROLED FROM", "INSTITUTION", "RELEASING INST."]))
        if rng.random() < 0.6:
            pairs.append(("hearing_date", st.date(hearing), "DATE"))
            st._labs.setdefault("hearing_date", rng.choice(["DATE OF VOTE", "HEARING DATE", "BOARD VOTE"]))
            f["hearing_date"] = hearing.isoformat()
        if rng.random() < 0.6:
            pairs.append(("sid", s.p.sid, "SID"))
            f["sid"] = s.p.sid
        if rng.random() < 0.5:
            pairs.append(("dob", st.date(s.dob), "DOB"))
            f["dob"] = s.dob.isoformat()
        st.kv_rows(b, pairs, rng.choice([1, 2]), width=44)
        st.kv(b, "offense", print_offence(rng, ch.off, st.mixed), "OFFENSE", options=["GOVERNING OFFENSE", "OFFENSE", "CRIME"]).t("  (").v(sp, "STATUTE").t(")").nl()
        st.kv(b, "sentence", st.val(ch.sentence_text), "SENTENCE").nl()
        b.t(st.val("DECISION") + st.sep + st.val(rng.choice(["PAROLE GRANTED", "GRANTED", "PAROLE TO APPROVED HOME PLAN"]))).nl()
        tcs.append(ch.truth(sn, dispo=False))
    b.t(st.val(rng.choice(["SPONSOR", "EMPLOYER", "RESIDENCE WITH"])) + st.sep + other_name(rng, st.mixed)).nl()
    b.t(st.val(rng.choice(["REPORT TO PAROLE OFFICER", "SUPERVISING P.O.", "FIELD PAROLE OFFICER"])) + st.sep + other_name(rng, st.mixed)).nl()
    b.t(st.val("CONDITIONS:")).nl()
    for i, c in enumerate(rng.sample(["NO ALCOHOL OR DRUGS", "MAINTAIN EMPLOYMENT", "NO CONTACT WITH VICTIM",
                                      "REPORT WEEKLY", "CURFEW 10 PM", "NOT LEAVE THE COMMONWEALTH"], rng.randint(2, 4)), 1):
        b.t(f"  {i}. " + st.val(c)).nl()
    b.t(rng.choice(["/s/ ", "", "By: "]) + other_name(rng, st.mixed) + ", " + st.val(rng.choice(["Chairman", "Board Member", "Executive Director"]))).nl()
    lines, spans = b.finish()
    return f"parole_permit/{'prose' if prose else 'form'}", lines, spans, [TruthRecord(0, len(lines), "parole_granted", f, tcs)]


# ------------------------------------------------------------------------------------------------
def inmate_face_sheet(rng: random.Random, year: int):
    """DOC inmate face sheet: multi-column key-value grid (labels inline or stacked over their
    values), distractor contacts, then the governing sentences."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    court = pick_court(rng, s.p.county, rng.choice(["SUPERIOR", "SUPERIOR", "DISTRICT"]))
    dk, dk_n = docket_for(rng, year, court)
    sent_d = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 1))
    adm = sent_d + dt.timedelta(days=rng.choice([0, 1, 2, 7]))
    fac = doc_facility(rng, year) if court.kind == "SUPERIOR" else hoc_facility(rng, court.county)
    charges = make_charge_specs(rng, rng.randint(1, 3), year, court.kind, committed=True)
    name, nt = s.name(st.name_style, st.mixed)
    f = {"name": nt, "commitment_no": s.p.commitment, "dob": s.dob.isoformat(), "facility": fac.canonical,
         "admission_date": adm.isoformat(), "court": court.canonical, "docket": dk_n}
    b = B()
    b.t(rng.choice(["DEPARTMENT OF CORRECTION", "MASSACHUSETTS DEPARTMENT OF CORRECTION", "D.O.C. CLASSIFICATION"])).nl()
    b.t(st.val(rng.choice(["INMATE FACE SHEET", "FACE SHEET", "ADMISSION SUMMARY", "INMATE PROFILE", "BASIC INFORMATION SHEET"]))).nl()
    pairs = [("name", name, "PERSON"), ("commitment_no", s.p.commitment, "COMMIT_NO"), ("dob", st.date(s.dob), "DOB"),
             ("facility", fac.printed(rng, st.mixed), "FACILITY"), ("admission_date", st.date(adm), "DATE"),
             ("sex", s.p.sex, None), ("race", s.p.race, None), ("court", court.printed(rng, mixed=st.mixed), "COURT"),
             ("docket", dk, "DOCKET")]
    if rng.random() < 0.7:
        pairs.append(("sid", s.p.sid, "SID"))
        f["sid"] = s.p.sid
    if rng.random() < 0.6:
        pairs.append(("sentence_date", st.date(sent_d), "DATE"))
        f["sentence_date"] = sent_d.isoformat()
    extra = [("hgt", f"{s.p.height_in // 12}'{s.p.height_in % 12}\"", None), ("wgt", str(s.p.weight_lb), None),
             ("pob", st.val(s.p.town), None), ("custody", st.val(rng.choice(["MEDIUM", "MAXIMUM", "MINIMUM", "PRE-RELEASE"])), None)]
    for k, opts in (("hgt", ["HGT", "HEIGHT"]), ("wgt", ["WGT", "WEIGHT"]), ("pob", ["POB", "BIRTHPLACE", "PLACE OF BIRTH"]),
                    ("custody", ["CUSTODY LEVEL", "CLASSIFICATION", "SECURITY"])):
        st._labs.setdefault(k, rng.choice(opts))
    pairs += rng.sample(extra, rng.randint(1, 4))
    if rng.random() < 0.5:
        rng.shuffle(pairs)
    st.kv_rows(b, pairs, rng.choice([2, 3, 3, 4]), width=rng.choice([26, 30, 34]))
    b.t(st.val(rng.choice(["EMERGENCY CONTACT", "NOTIFY", "NEXT OF KIN"])) + st.sep + other_name(rng, st.mixed) + " (" +
        st.val(rng.choice(["MOTHER", "WIFE", "SISTER", "FATHER", "AUNT"])) + ")").nl()
    if rng.random() < 0.5:
        b.t(st.val(rng.choice(["ATTORNEY", "COUNSEL OF RECORD"])) + st.sep + other_name(rng, st.mixed) + "   " +
            st.val(rng.choice(["CLASSIFICATION OFFICER", "CASE WORKER", "CPO"])) + st.sep + other_name(rng, st.mixed)).nl()
    b.nl()
    w = [rng.choice([22, 26]), rng.choice([34, 40]), 44]
    b.cells([(st.word("statute"), None), (st.word("offense"), None), (st.word("sentence"), None)], w).nl()
    sst = _ss(rng)
    tcs = []
    for c in charges:
        sp, sn = print_statute(rng, c.off, sst)
        b.cells([(sp, "STATUTE"), (print_offence(rng, c.off, st.mixed), "OFFENSE"), (st.val(c.sentence_text), "SENTENCE")], w).nl()
        tcs.append(c.truth(sn, dispo=False))
    tail = [("pe", st.date(adm + dt.timedelta(days=rng.randint(200, 1500))), "DATE"),
            ("gcd", st.date(adm + dt.timedelta(days=rng.randint(400, 3000))), "DATE")]
    st._labs.setdefault("pe", rng.choice(["PAROLE ELIG.", "PAROLE ELIGIBILITY", "P.E. DATE"]))
    st._labs.setdefault("gcd", rng.choice(["GCD RELEASE", "MAX RELEASE", "WRAP DATE", "MAX. EXP."]))
    st.kv_rows(b, tail, 2, width=34)
    if rng.random() < 0.5:
        b.t(st.val("PRINTED ")).v(st.date(adm + dt.timedelta(days=rng.randint(1, 90))), "DATE").nl()
    lines, spans = b.finish()
    return f"inmate_face_sheet/{'stacked' if st.stacked else 'inline'}", lines, spans, [TruthRecord(0, len(lines), "admission", f, tcs)]


# ------------------------------------------------------------------------------------------------
def probation_supervision(rng: random.Random, year: int):
    """Probation department record of supervision: the start of a probation term (`probation_start`)."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    court = pick_court(rng, s.p.county, rng.choice(["DISTRICT", "DISTRICT", "SUPERIOR", "BMC"]))
    dk, dk_n = docket_for(rng, year, court)
    arr = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 9, 1))
    start = arr + dt.timedelta(days=rng.randint(0, 200))
    ch = make_charge_specs(rng, 1, year, court.kind)[0]
    kind = rng.choice(["prob", "prob", "cwof", "susp"])
    n, u = rng.choice([(1, "Y"), (2, "Y"), (18, "M"), (12, "M"), (6, "M"), (3, "Y")])
    dtxt, iso = _dur(rng, n, u)
    if kind == "cwof":
        sent = _blank("cwof")
        sent["probation"] = iso
        ch.dispo, txt = "CWOF", rng.choice([f"CWOF {dtxt}", f"CONT W/O FINDING {dtxt}"])
    elif kind == "susp":
        m2, u2 = rng.choice([(6, "M"), (1, "Y"), (2, "Y")])
        d2, iso2 = _dur(rng, m2, u2)
        sent = _blank("hoc")
        sent.update(max=iso2, suspended=True, probation=iso)
        ch.dispo, txt = "GUILTY", rng.choice([f"{d2} HOC SUSP, PROB {dtxt}", f"{d2} H.O.C. SUSPENDED {dtxt}"])
    else:
        sent = _blank("probation")
        sent["probation"] = iso
        ch.dispo, txt = "GUILTY", rng.choice([f"PROBATION {dtxt}", f"PROB {dtxt}", f"{dtxt} PROBATION", f"PROB. {dtxt} SUPERVISED"])
    ch.sentence, ch.sentence_text = sent, txt
    name, nt = s.name(st.name_style, st.mixed)
    f = {"name": nt, "court": court.canonical, "docket": dk_n, "disposition_date": start.isoformat()}
    b = B()
    b.t(rng.choice(["MASSACHUSETTS PROBATION SERVICE", "PROBATION DEPARTMENT", "OFFICE OF THE COMMISSIONER OF PROBATION"])).nl()
    b.v(court.printed(rng, mixed=st.mixed), "COURT").nl()
    b.t(st.val(rng.choice(["RECORD OF SUPERVISION", "PROBATION INTAKE", "SUPERVISION RECORD", "CASE CARD - PROBATION"]))).nl()
    pairs = [("name", name, "PERSON"), ("docket", dk, "DOCKET"), ("start", st.date(start), "DATE")]
    st._labs.setdefault("start", rng.choice(["PLACED ON PROBATION", "START DATE", "SUPERVISION BEGAN", "PROBATION START", "DATE OF ORDER"]))
    if rng.random() < 0.7:
        pairs.append(("pcf", s.p.pcf, "PCF"))
        f["pcf"] = s.p.pcf
    if rng.random() < 0.7:
        pairs.append(("dob", st.date(s.dob), "DOB"))
        f["dob"] = s.dob.isoformat()
    if rng.random() < 0.5:
        pairs.append(("arraignment_date", st.date(arr), "DATE"))
        f["arraignment_date"] = arr.isoformat()
    pairs.append(("ends", st.date(start + dt.timedelta(days=365 * max(1, int(n)) if u == "Y" else 30 * int(n))), "DATE"))
    st._labs.setdefault("ends", rng.choice(["SUPERVISION ENDS", "TERMINATION DATE", "EXPIRES", "END OF TERM"]))
    if rng.random() < 0.4:
        rng.shuffle(pairs)
    st.kv_rows(b, pairs, rng.choice([1, 2]), width=40)
    sp, sn = print_statute(rng, ch.off, _ss(rng))
    st.kv(b, "offense", print_offence(rng, ch.off, st.mixed), "OFFENSE").t("  ").v(sp, "STATUTE").nl()
    st.kv(b, "disposition", print_dispo(rng, ch.dispo, st.mixed), "DISPOSITION").t("   ")
    st.kv(b, "sentence", st.val(bare_cwof(txt) if kind == "cwof" and rng.random() < 0.3 else txt), "SENTENCE",
          options=["TERMS", "SENTENCE", "ORDER"]).nl()
    b.t(st.val(rng.choice(["PROBATION OFFICER", "P.O. ASSIGNED", "SUPERVISING OFFICER"])) + st.sep + other_name(rng, st.mixed)).nl()
    b.t(st.val(rng.choice(["CONDITIONS", "SPECIAL CONDITIONS"])) + ": " + st.val(", ".join(rng.sample(
        ["REPORT MONTHLY", "RANDOM URINALYSIS", "STAY AWAY FROM VICTIM", "PAY $65 FEE", "RESTITUTION $250", "ANGER MANAGEMENT"], 2)))).nl()
    for _ in range(rng.randint(0, 3)):
        cd = start + dt.timedelta(days=rng.randint(10, 300))
        b.v(st.date(cd), "DATE").t("  " + st.val(rng.choice(["REPORTED IN PERSON", "HOME VISIT", "PHONE CONTACT", "FAILED TO REPORT"]))).nl()
    lines, spans = b.finish()
    return f"probation_supervision/{kind}", lines, spans, [TruthRecord(0, len(lines), "probation_start", f, [ch.truth(sn)])]


# ------------------------------------------------------------------------------------------------
def sp_rap_sheet(rng: random.Random, year: int):
    """State Police identification section record of arrests and prosecutions: identity, then one
    arrest per block (date of arrest, agency, charge, disposition with court and date)."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    b = B()
    b.t(rng.choice(["MASSACHUSETTS STATE POLICE", "DEPARTMENT OF PUBLIC SAFETY", "COMMONWEALTH OF MASSACHUSETTS"])).nl()
    b.t(st.val(rng.choice(["RECORD OF ARRESTS AND PROSECUTIONS", "IDENTIFICATION SECTION - CRIMINAL RECORD",
                           "RAP SHEET", "STATE IDENTIFICATION SECTION RECORD"]))).nl()
    name, nt = s.name(st.name_style, st.mixed)
    shared = {"name": nt, "sid": s.p.sid}
    pairs = [("sid", s.p.sid, "SID"), ("name", name, "PERSON")]
    if rng.random() < 0.8:
        pairs.append(("dob", st.date(s.dob), "DOB"))
        shared["dob"] = s.dob.isoformat()
    pairs.append(("sexrace", f"{s.p.sex}/{s.p.race}", None))
    st._labs.setdefault("sexrace", rng.choice(["SEX/RACE", "S/R", "SEX-RACE"]))
    st.kv_rows(b, pairs, rng.choice([1, 2, 4]), width=rng.choice([28, 34]))
    if s.p.aliases and rng.random() < 0.6:
        b.t(st.lab("aka", ["AKA", "ALIASES", "ALSO KNOWN AS"]) + "; ".join(s.p.aliases)).nl()
    b.t("-" * rng.randint(20, 70) if rng.random() < 0.6 else "").nl()
    sstyle = _ss(rng)
    recs = []
    arrest_first = rng.random() < 0.5
    for i, (d, court, dk, dk_n, ch) in enumerate(_case_list(rng, s, year, rng.randint(1, 5), weights=(80, 10, 10))):
        ln = b.ln
        arrest = d - dt.timedelta(days=rng.choice([0, 1, 1, 2, 3]))
        disp = d + dt.timedelta(days=rng.randint(0, 200))
        agency = (f"{rng.choice(vocab.TOWNS[court.county])} {rng.choice(vocab.POLICE_SUFFIX)}" if rng.random() < 0.7 else
                  f"MSP - {rng.choice(vocab.STATE_POLICE_BARRACKS)}")
        f = dict(shared, arrest_date=arrest.isoformat(), court=court.canonical, disposition_date=disp.isoformat())
        sp, sn = print_statute(rng, ch.off, sstyle)
        if arrest_first:
            st.kv(b, "arrest_date", st.date(arrest), "DATE", options=["DATE OF ARREST", "ARRESTED", "ARR. DATE", "DOA"])
            b.pad(34, 3).t(st.lab("agency", ["AGENCY", "CONTRIBUTOR", "ARRESTING AGENCY", "DEPT"]) + st.val(agency)).nl()
        else:
            b.t(st.val(agency)).pad(34, 3)
            st.kv(b, "arrest_date", st.date(arrest), "DATE", options=["DATE OF ARREST", "ARRESTED", "ARR. DATE", "DOA"]).nl()
        b.t("  ")
        st.kv(b, "offense", print_offence(rng, ch.off, st.mixed), "OFFENSE", options=["CHARGE", "OFFENSE", "CRIME"])
        b.t(" ").v(sp, "STATUTE").nl()
        b.t("  ")
        st.kv(b, "disposition", print_dispo(rng, ch.dispo, st.mixed), "DISPOSITION", options=["DISPOSITION", "DISP", "COURT ACTION"])
        b.t(rng.choice(["  ", " ", ", "])).v(court.printed(rng, short=rng.random() < 0.6, mixed=st.mixed), "COURT")
        b.t(rng.choice(["  ", " ", " ON "])).v(st.date(disp), "DATE").nl()
        show = bool(ch.sentence_text) and rng.random() < 0.7
        if show:
            b.t("  ")
            st.kv(b, "sentence", st.val(ch.sentence_text), "SENTENCE").nl()
        if rng.random() < 0.4:
            b.t("  " + st.val(rng.choice(["DOCKET ", "DKT "]))).v(dk, "DOCKET").nl()
            f["docket"] = dk_n
        recs.append(TruthRecord(ln, b.ln, "arrest", f, [ch.truth(sn, sentence=show)]))
        if rng.random() < 0.5:
            b.nl()
    b.t(st.val(rng.choice(["END OF RECORD", "THIS RECORD IS FURNISHED FOR OFFICIAL USE ONLY", "*** END ***"]))).nl()
    lines, spans = b.finish()
    return f"sp_rap_sheet/{'arrest_first' if arrest_first else 'agency_first'}", lines, spans, recs


# ------------------------------------------------------------------------------------------------
def mittimus(rng: random.Random, year: int):
    """Mittimus (order of commitment on sentence) in prose: a record that is only a sentencing."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    court = pick_court(rng, s.p.county, rng.choice(["SUPERIOR", "SUPERIOR", "DISTRICT", "BMC"]))
    dk, dk_n = docket_for(rng, year, court)
    sent_d = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 20))
    fac = doc_facility(rng, year) if court.kind == "SUPERIOR" else hoc_facility(rng, court.county)
    charges = make_charge_specs(rng, rng.randint(1, 2), year, court.kind, committed=True)
    name, nt = s.name(rng.choice([0, 1, 5, 8, st.name_style]), st.mixed)
    dfn = (lambda x: prose_date(x, rng)) if rng.random() < 0.5 else st.date
    f = {"name": nt, "court": court.canonical, "docket": dk_n, "facility": fac.canonical, "sentence_date": sent_d.isoformat()}
    b = B()
    b.t("COMMONWEALTH OF MASSACHUSETTS").nl()
    b.t(f"{court.county.upper()}, ss.").pad(40, 4).v(court.printed(rng, mixed=st.mixed), "COURT").nl()
    b.t(st.val(rng.choice(["MITTIMUS", "MITTIMUS - COMMITMENT ON SENTENCE", "ORDER OF COMMITMENT", "WARRANT OF COMMITMENT"]))).pad(44, 4)
    st.kv(b, "docket", dk, "DOCKET").nl(2)
    keeper = st.val(rng.choice(["To the Sheriff of our several counties", "To the Sheriffs of our several Counties and their Deputies",
                                "To any officer authorized to serve criminal process"]))
    b.t(keeper + st.prose(" and to the Superintendent / Keeper of ")).v(fac.printed(rng, st.mixed), "FACILITY").t(":").nl()
    b.t(st.prose("WHEREAS ")).v(name, "PERSON")
    if rng.random() < 0.5:
        b.t(st.prose(", born ")).v(st.date(s.dob), "DOB")
        f["dob"] = s.dob.isoformat()
    b.t(st.prose(", was convicted before the said court of")).nl()
    sst = _ss(rng)
    tcs = []
    for c in charges:
        sp, sn = print_statute(rng, c.off, sst)
        b.t("    ").v(print_offence(rng, c.off, st.mixed), "OFFENSE").t(st.prose(" in violation of ")).v(sp, "STATUTE").t(",").nl()
        b.t(st.prose("    and was on ")).v(dfn(sent_d), "DATE").t(st.prose(" sentenced to ")).v(st.val(c.sentence_text), "SENTENCE").t(";").nl()
        tcs.append(c.truth(sn, dispo=False))
    b.t(st.prose("WE COMMAND YOU to take the said defendant and convey him to the said institution, there to be")).nl()
    b.t(st.prose("kept according to said sentence.")).nl()
    b.t(st.prose("Witness, ") + rng.choice(vocab.JUDGES) + st.prose(", at ") + st.val(court.seat.title() if st.mixed else court.seat) + st.prose(", on "))
    b.v(dfn(sent_d + dt.timedelta(days=rng.choice([0, 0, 1]))), "DATE").t(".").nl()
    _sig(b, rng, rng.choice(["Clerk", "Asst. Clerk", "Clerk-Magistrate"]), st)
    if rng.random() < 0.5:
        b.t(st.val(rng.choice(["RETURN: ", "Received the within-named prisoner "]))).t(rng.choice(["C.O. ", "DEP. "]) + other_name(rng, st.mixed)).nl()
    lines, spans = b.finish()
    return "mittimus", lines, spans, [TruthRecord(0, len(lines), "sentencing", f, tcs)]


# ------------------------------------------------------------------------------------------------
def juvenile_docket(rng: random.Random, year: int):
    """Juvenile Court delinquency docket: child, parent (distractor), counts with findings."""
    st = Style.pick(rng)
    s = make_subject(rng, year)
    age = rng.randint(12, 16)
    s = dataclasses.replace(s, p=dataclasses.replace(s.p, dob=dt.date(year - age, rng.randint(1, 12), rng.randint(1, 28))))
    court = pick_court(rng, s.p.county, "JUVENILE")
    dk, dk_n = docket_for(rng, year, court)
    arr = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 11, 1))
    disp = arr + dt.timedelta(days=rng.randint(14, 200))
    charges = make_charge_specs(rng, rng.randint(1, 3), year, "DISTRICT")
    name, nt = s.name(st.name_style, st.mixed)
    f = {"name": nt, "court": court.canonical, "docket": dk_n, "dob": s.dob.isoformat(),
         "arraignment_date": arr.isoformat(), "disposition_date": disp.isoformat()}
    b = B()
    _top(b, rng, [rng.choice(["JUVENILE COURT DEPARTMENT", "JUVENILE SESSION"])] if rng.random() < 0.5 else [])
    b.v(court.printed(rng, mixed=st.mixed), "COURT").nl()
    b.t(st.val(rng.choice(["DELINQUENCY DOCKET", "JUVENILE DOCKET", "DOCKET - DELINQUENT CHILD", "CARE AND PROTECTION / DELINQUENCY"]))).pad(44, 4)
    st.kv(b, "docket", dk, "DOCKET").nl()
    b.t(st.val(rng.choice(["IN THE MATTER OF ", "COMMONWEALTH v. ", "RE: "]))).v(name, "PERSON").t(st.val(rng.choice([", a juvenile", "", " (JUVENILE)"]))).nl()
    pairs = [("dob", st.date(s.dob), "DOB"), ("parent", other_name(rng, st.mixed), None),
             ("arraignment_date", st.date(arr), "DATE"), ("attorney", other_name(rng, st.mixed), None)]
    st._labs.setdefault("parent", rng.choice(["PARENT/GUARDIAN", "MOTHER", "FATHER", "GUARDIAN"]))
    if rng.random() < 0.5:
        pairs.append(("town", st.val(s.p.town), None))
        st._labs.setdefault("town", rng.choice(["RESIDENCE", "TOWN", "ADDRESS"]))
    rng.shuffle(pairs) if rng.random() < 0.4 else None
    st.kv_rows(b, pairs, rng.choice([1, 2]), width=40)
    b.nl()
    sst = _ss(rng)
    tcs = []
    ds = rng.choice([st.date_style, 0, 3, 12])
    for c in charges:
        sp, sn = print_statute(rng, c.off, sst)
        b.t(f"{c.count}. ").v(print_offence(rng, c.off, st.mixed), "OFFENSE").t(" ").v(sp, "STATUTE").nl()
        b.t("    ")
        st.kv(b, "disposition", print_dispo(rng, c.dispo, st.mixed), "DISPOSITION", options=["FINDING", "ADJUDICATION", "DISPOSITION"])
        b.t("  ").v(print_date(disp, ds), "DATE")
        if c.sentence_text:
            b.t("  ").v(st.val(c.sentence_text), "SENTENCE")
        b.nl()
        tcs.append(c.truth(sn))
    if rng.random() < 0.6:
        b.nl()
        for _ in range(rng.randint(1, 3)):
            cd = arr + dt.timedelta(days=rng.randint(1, max(2, (disp - arr).days)))
            b.v(print_date(cd, ds), "DATE").t("  " + st.val(rng.choice(["CONTINUED - PRETRIAL", "DYS NOTIFIED", "PARENT PRESENT",
                                                                       "CLINIC EVALUATION ORDERED", "GAL APPOINTED"]))).nl()
    _sig(b, rng, rng.choice(["Clerk-Magistrate", "Asst. Clerk"]), st)
    lines, spans = b.finish()
    return "juvenile_docket", lines, spans, [TruthRecord(0, len(lines), "disposition", f, tcs)]
