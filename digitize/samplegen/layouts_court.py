"""Trial Court, Probation and Parole Board records."""

from __future__ import annotations

import datetime as dt
import random

from . import vocab
from .canvas import Page
from .content import (dispo_word, make_charges, make_court, make_docket, make_person,
                      rand_date)
from .formkit import Style, header, kv_rows, signature, table, wrap


def court_docket(page: Page, rng: random.Random, year: int) -> dict:
    st = Style.pick(rng)
    p = make_person(rng, year)
    court = make_court(rng, p.county if rng.random() < 0.7 else None)
    docket = make_docket(rng, year, court)
    arraigned = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 1))
    charges = make_charges(rng, rng.randint(1, 5), year, court["kind"], arraigned)
    dispo_date = arraigned + dt.timedelta(days=rng.randint(14, 240))
    v = rng.randrange(3)

    top = ["COMMONWEALTH OF MASSACHUSETTS", "THE TRIAL COURT"] if rng.random() < 0.5 else ["COMMONWEALTH OF MASSACHUSETTS"]
    header(page, top, rng)
    court_p = page.center(court["name"], size=page.size * 1.1, strike=True) if rng.random() < 0.6 else page.text(page.left, court["name"], strike=True)
    page.newline(1.2)
    title = rng.choice(["CRIMINAL DOCKET", "DOCKET ENTRIES", "CRIMINAL DOCKET SHEET", "CRIMINAL CASE RECORD"])
    page.text(page.left, title)
    dock_lab = rng.choice(["DOCKET NO.", "NO.", "DOCKET NUMBER", "CASE NO."])
    docket_p = page.text(page.right, f"{dock_lab} {docket}", align="right",
                         max_w=(page.right - page.left) * 0.48).removeprefix(dock_lab).strip()
    page.newline(1.5)
    name = p.name(st.name_style)
    page.text(page.left, "COMMONWEALTH" if rng.random() < 0.5 else "COMMONWEALTH OF MASSACHUSETTS")
    page.newline()
    name_p = page.text(page.left + page.char_w() * 4, f"{rng.choice(['vs.', 'VS.', 'v.'])} {name}").split(" ", 1)[-1]
    page.newline(1.4)
    pairs = [("Date of Birth", st.date(p.dob)), ("SID", p.sid),
             ("Address", f"{p.street}, {p.town}"), ("Arraigned", st.date(arraigned)),
             ("Attorney", rng.choice(["PUB. DEF.", "CPCS", "PRIVATE", "WAIVED"]) + (f" {rng.choice(vocab.SURNAMES)}" if rng.random() < 0.5 else "")),
             ("Judge", rng.choice(vocab.JUDGES))]
    if rng.random() < 0.5:
        pairs.append(("PCF No.", p.pcf))
    kv = kv_rows(page, st, pairs, cols=rng.choice([1, 2, 2]))
    page.newline(0.6)

    printed = []
    if v == 0:  # one table row per count, sentence on the line below
        rows = [[str(c["count"]), c["statute_as_printed"], c["description"], dispo_word(rng.randrange(5), c["disposition"])] for c in charges]
        widths = [0.5, 2.2, 4.2, 2.1]
        table(page, st, ["CT", "STATUTE", "OFFENSE", "DISPOSITION"], [], widths, min_left=2)
        xs = _cols(page, widths)
        for c, r in zip(charges, rows):
            if not page.has_room(2):
                break
            cells = [page.text(x, t, max_w=w - page.char_w()) for t, (x, w) in zip(r, xs)]
            page.newline()
            sent = page.text(xs[1][0], c["sentence_text"]) if c["sentence_text"] else ""
            if sent:
                page.newline()
            printed.append(_charge(c, cells[1], cells[2], cells[3], sent))
    else:
        for c in charges:
            if not page.has_room(3):
                break
            if v == 1:
                lab = "COUNT" if st.upper_labels else "Count"
                line1 = page.text(page.left, f"{lab} {c['count']}{':' if st.colon else ''} {c['description']}",
                                  max_w=(page.right - page.left) * 0.62)
                desc_p = line1.split(" ", 2)[-1] if line1 else ""
                stat_p = page.text(page.right, c["statute_as_printed"], align="right", max_w=(page.right - page.left) * 0.36)
                page.newline()
                ind = page.left + page.char_w() * 4
                d = dispo_word(rng.randrange(5), c["disposition"])
                dp = page.text(ind, f"{st.label('Disposition')} {d}", max_w=(page.right - ind) * 0.55)
                dp = dp.split(" ", 1)[-1] if " " in dp else ""
                page.text(ind + (page.right - ind) * 0.6, f"{st.date(dispo_date)}")
                page.newline()
                sent = ""
                if c["sentence_text"] and page.has_room():
                    sent = page.text(ind, f"{st.label('Sentence')} {c['sentence_text']}")
                    sent = sent.split(" ", 1)[-1] if " " in sent else ""
                    page.newline()
                printed.append(_charge(c, stat_p, desc_p, dp, sent))
            else:
                line1 = page.text(page.left, f"{c['count']}. {c['statute_as_printed']}  {c['description']}")
                rest = line1.split(" ", 1)[-1] if line1 else ""
                stat_p = c["statute_as_printed"] if rest.startswith(c["statute_as_printed"]) else ""
                desc_p = rest[len(c["statute_as_printed"]):].strip()
                page.newline()
                d = dispo_word(rng.randrange(5), c["disposition"])
                ln = page.text(page.left + page.char_w() * 3, f"{st.date(dispo_date)} {d}" + (f" - {c['sentence_text']}" if c["sentence_text"] else ""))
                page.newline()
                body = ln.split(" ", 1)[-1] if ln else ""
                dp = d if body.startswith(d) else ""
                sent = body.split(" - ", 1)[1] if " - " in body else ""
                printed.append(_charge(c, stat_p, desc_p, dp, sent))
            if st.ruled:
                page.rule(0.4, -0.2)
            page.newline(0.3)

    entries = []
    if page.has_room(4):
        page.newline(0.5)
        page.text(page.left, "DOCKET ENTRIES" if st.upper_labels else "Docket Entries", strike=True)
        page.newline()
        steps = ["PRE-TRIAL CONF. CONT'D", "MOTION TO SUPPRESS DENIED", "DISCOVERY ORDERED",
                 "DEFT DEFAULTED. WARRANT ISSUED.", "WARRANT RECALLED. DEFT IN COURT.",
                 "CONTINUED BY AGREEMENT", "COUNSEL APPOINTED", "BAIL REVIEWED. BAIL REDUCED TO $500",
                 "MOTION FOR CONTINUANCE ALLOWED", "PROBATION SURRENDER NOTICE ISSUED"]
        events = [(arraigned, f"ARRAIGNED. PLEA NOT GUILTY ALL COUNTS. BAIL ${rng.choice([100, 500, 1000, 2500, 5000])}" if rng.random() < 0.6 else "ARRAIGNED. RELEASED ON PERSONAL RECOG.")]
        span = max(1, (dispo_date - arraigned).days)
        for off in sorted(rng.sample(range(1, span), min(span - 1, rng.randint(1, 7)))):
            events.append((arraigned + dt.timedelta(days=off), rng.choice(steps)))
        events.append((dispo_date, rng.choice(["CHANGE OF PLEA. COLLOQUY.", "JURY WAIVED TRIAL.", "TRIAL BY JURY.", "PLEA TENDERED AND ACCEPTED."])))
        dw = max(page.width_of(st.date(d)) for d, _ in events) + page.char_w() * 2
        for d, txt in events:
            if not page.has_room(2):
                break
            page.text(page.left, st.date(d))
            ev_p = page.text(page.left + dw, txt)
            entries.append({"date": d.isoformat(), "text": ev_p})
            page.newline()
    stamp = ""
    if rng.random() < 0.5 and page.has_room(3):
        page.newline(0.8)
        stamp = page.stamp(page.left + (page.right - page.left) * rng.uniform(0.05, 0.45),
                           page.y, rng.choice(["A TRUE COPY ATTEST", "CERTIFIED COPY", f"RECEIVED {st.date(dispo_date)}"]))
        page.newline(1.2)
    signature(page, st, rng.choice(["Clerk-Magistrate", "Asst. Clerk", "Clerk of Courts"]))
    return {"court": court["name"] if court_p else "", "court_kind": court["kind"], "county": court["county"],
            "docket": docket if docket in docket_p else "", "name_as_printed": name_p, **p.fields(),
            "arraigned": arraigned.isoformat(), "disposition_date": dispo_date.isoformat(),
            "labels": kv, "charges": printed, "docket_entries": entries, "stamp": stamp}


def _cols(page: Page, widths: list[float]) -> list[tuple[float, float]]:
    total, x, out = sum(widths), page.left, []
    for w in widths:
        w = w / total * (page.right - page.left)
        out.append((x, w))
        x += w
    return out


def _charge(c: dict, stat_p: str, desc_p: str, dispo_p: str, sent_p: str) -> dict:
    return {**c, "statute_as_printed": stat_p, "description_as_printed": desc_p,
            "disposition_as_printed": dispo_p, "sentence_text": sent_p}


COURT_ABBR = {"DISTRICT": "DC", "SUPERIOR": "SUP", "BMC": "BMC", "JUVENILE": "JUV"}


def probation_card(page: Page, rng: random.Random, year: int) -> dict:
    st = Style.pick(rng)
    p = make_person(rng, year)
    header(page, [rng.choice(["OFFICE OF THE COMMISSIONER OF PROBATION", "COMMISSIONER OF PROBATION",
                              "MASSACHUSETTS PROBATION SERVICE"]),
                  rng.choice(["CENTRAL FILE", "CENTRAL FILE RECORD", "COURT ACTIVITY RECORD"])], rng, big=1.0)
    pcf_p = page.text(page.right, f"PCF {p.pcf}" if rng.random() < 0.5 else f"NO. {p.pcf}", align="right")
    name_p = page.text(page.left, p.name(st.name_style), max_w=(page.right - page.left) * 0.6)
    page.newline()
    kv = kv_rows(page, st, [("DOB", st.date(p.dob)), ("Sex", p.sex), ("Race", p.race),
                            ("SID", p.sid)], cols=4 if page.width > 450 else 2)
    if p.aliases and page.has_room():
        page.text(page.left, f"{st.label('AKA')} " + "; ".join(p.aliases))
        page.newline()
    if rng.random() < 0.5:
        page.rule(0.8, -0.8)
        page.newline(0.3)
    cases = []
    d = rand_date(rng, dt.date(max(year - 8, p.dob.year + 16), 1, 1), dt.date(year, 1, 1))
    for _ in range(rng.randint(3, 12)):
        court = make_court(rng, p.county if rng.random() < 0.8 else None,
                           rng.choices(["DISTRICT", "SUPERIOR", "BMC"], weights=[70, 15, 15])[0])
        seat = court["name"].split(" DISTRICT")[0].split(" DIVISION")[0].replace("DISTRICT COURT OF ", "")
        seat = seat.replace("BOSTON MUNICIPAL COURT - ", "BMC ").replace("BOSTON MUNICIPAL COURT", "BMC CENT")
        abbr = seat if court["kind"] == "BMC" else f"{seat[:8].strip()} {COURT_ABBR[court['kind']]}"
        if court["kind"] == "SUPERIOR":
            abbr = f"{court['county'][:4].upper()} SUP"
        ch = make_charges(rng, 1, d.year, court["kind"], d)[0]
        dk = make_docket(rng, d.year, court)
        cases.append((d, abbr, dk, ch))
        d = d + dt.timedelta(days=rng.randint(20, 500))
        if d.year > year + 1:
            break
    compact = rng.random() < 0.5
    rows = [[st.date(d), ab, dk, ch["description"] if not compact else f"{ch['statute_as_printed']} {ch['description']}",
             dispo_word(rng.randrange(5), ch["disposition"]) + (f" {ch['sentence_text']}" if ch["sentence_text"] and rng.random() < 0.5 else "")]
            for d, ab, dk, ch in cases]
    got = table(page, st, ["DATE", "COURT", "DOCKET", "OFFENSE", "DISP."], rows, [1.3, 1.5, 1.7, 3.0, 2.2])
    printed = []
    for (d, ab, dk, ch), r in zip(cases, got):
        printed.append({"date": d.isoformat(), "court_as_printed": r[1], "docket": dk if r[2] == dk else "",
                        "offence_as_printed": r[3], "disposition_as_printed": r[4],
                        "statute": ch["statute"], "offence_code": ch["offence_code"],
                        "description": ch["description"], "disposition": ch["disposition"]})
    return {"pcf": p.pcf if p.pcf in pcf_p else "", "name_as_printed": name_p, **p.fields(),
            "aliases": p.aliases, "labels": kv, "cases": printed}


def parole_hearing(page: Page, rng: random.Random, year: int) -> dict:
    st = Style.pick(rng)
    p = make_person(rng, year)
    hearing = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 28))
    inst = rng.choice(vocab.DOC_INSTITUTIONS)
    htype = rng.choice(["INITIAL", "REVIEW", "REVOCATION", "LIFE SENTENCE", "INITIAL"])
    decision = rng.choices(["PAROLE GRANTED", "PAROLE DENIED", "REVIEW IN 1 YR", "REVIEW IN 2 YRS",
                            "PAROLE REVOKED", "RESERVE TO"], weights=[35, 25, 15, 8, 7, 10])[0]
    if decision == "RESERVE TO":
        decision = f"RESERVE TO {rng.choice(['L.R.', 'HALFWAY HOUSE', 'FROM AND AFTER'])}"
    header(page, ["COMMONWEALTH OF MASSACHUSETTS", rng.choice(["PAROLE BOARD", "MASSACHUSETTS PAROLE BOARD", "EXECUTIVE OFFICE OF PUBLIC SAFETY - PAROLE BOARD"]),
                  rng.choice(["RECORD OF HEARING", "RECORD OF DECISION", "HEARING SUMMARY AND DECISION"])], rng)
    court = make_court(rng, p.county, "SUPERIOR")
    charges = make_charges(rng, rng.randint(1, 3), year - rng.randint(1, 6), "SUPERIOR", hearing)
    kv = kv_rows(page, st, [("Name", p.name(st.name_style)), ("Commitment No.", p.commitment),
                            ("Institution", inst), ("Hearing Date", st.date(hearing)),
                            ("Type of Hearing", htype), ("Date of Birth", st.date(p.dob)),
                            ("Committing Court", court["name"]), ("SID", p.sid)],
                 cols=rng.choice([1, 2]))
    page.newline(0.5)
    offs = []
    if page.has_room(3):
        page.text(page.left, st.label("Offense(s)"))
        page.newline()
        for c in charges:
            if not page.has_room(2):
                break
            ln = page.text(page.left + page.char_w() * 3, f"{c['description']} ({c['statute_as_printed']})")
            page.newline()
            offs.append({**c, "as_printed": ln})
    sent = rng.choice([f"NOT LESS THAN {a} NOR MORE THAN {a + rng.choice([2, 3, 5])} YRS" for a in (3, 4, 5, 7)] +
                      ["LIFE", f"{rng.choice([2, 2.5, 3])} YRS HOC", "15 TO 20 YRS MCI CEDAR JUNCTION"])
    sent_p = ""
    if page.has_room():
        sent_p = page.text(page.left, f"{st.label('Governing Sentence')} {sent}")
        page.newline()
    page.newline(0.5)
    narrative = rng.choice([
        f"The inmate appeared before the Board and was interviewed at length concerning the {charges[0]['description'].lower()} offense and institutional adjustment.",
        f"Subject has completed programs at {inst.title()} and has {rng.choice(['no', 'one', 'two'])} disciplinary reports since last hearing.",
        f"Hearing held at {inst}. Subject represented by counsel. Victim input received and considered by the Board.",
    ])
    narr = wrap(page, narrative if rng.random() < 0.6 else narrative.upper(), max_lines=4)
    page.newline(0.4)
    dec_p = ""
    if page.has_room():
        dec_p = page.text(page.left, f"{st.label('Decision')} {decision}", strike=True).split(" ", 1)[-1]
        page.newline()
    conds = []
    if decision.startswith("PAROLE GRANTED") and page.has_room(2):
        page.text(page.left, st.label("Special Conditions"))
        page.newline()
        pool = ["NO ALCOHOL OR DRUGS, RANDOM TESTING", "MUST HAVE EMPLOYMENT OR BE IN SCHOOL",
                "NO CONTACT WITH VICTIM OR FAMILY", "REPORT TO P.O. WEEKLY", "CURFEW 10 PM - 6 AM",
                "ATTEND AA/NA 3X WEEKLY", "RESIDE AT APPROVED ADDRESS", "MENTAL HEALTH COUNSELING",
                "NO FIREARMS", "GPS MONITORING"]
        for i, c in enumerate(rng.sample(pool, rng.randint(2, 5)), 1):
            if not page.has_room():
                break
            conds.append(page.text(page.left + page.char_w() * 3, f"{i}. {c}").split(" ", 1)[-1])
            page.newline()
    review = None
    if decision.startswith("REVIEW") and page.has_room():
        review = hearing.replace(year=hearing.year + (2 if "2" in decision else 1)) if not (hearing.month == 2 and hearing.day == 29) else hearing + dt.timedelta(days=365)
        page.text(page.left, f"{st.label('Next Review')} {st.date(review)}")
        page.newline()
    votes = ""
    if page.has_room(2):
        page.newline(0.5)
        n = rng.choice([3, 5, 7])
        yes = rng.randint(n // 2 + 1, n)
        votes = page.text(page.left, f"{st.label('Vote')} {yes}-{n - yes}")
        page.newline()
    signature(page, st, rng.choice(["Chairman", "For the Board", "Executive Director"]))
    return {"name_as_printed": kv.get("Name", ""), **p.fields(), "commitment": p.commitment if kv.get("Commitment No.") == p.commitment else "",
            "institution": inst, "hearing_date": hearing.isoformat(), "hearing_type": htype,
            "decision": decision if dec_p == decision else dec_p, "conditions": conds,
            "review_date": review.isoformat() if review else None, "offences": offs,
            "sentence_as_printed": sent_p, "narrative": narr, "vote": votes, "labels": kv}
