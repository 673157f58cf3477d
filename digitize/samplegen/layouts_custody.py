"""Department of Correction, State Police and county House of Correction records."""

from __future__ import annotations

import datetime as dt
import random

from . import vocab
from .canvas import Page
from .content import fmt_height, make_charges, make_court, make_docket, make_person, rand_date
from .formkit import Style, cells, header, kv_rows, signature, table


def doc_commitment_card(page: Page, rng: random.Random, year: int) -> dict:
    st = Style.pick(rng)
    p = make_person(rng, year)
    court = make_court(rng, p.county, rng.choice(["SUPERIOR", "SUPERIOR", "DISTRICT"]))
    sentenced = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 1))
    admitted = sentenced + dt.timedelta(days=rng.randint(0, 10))
    charges = make_charges(rng, rng.randint(1, 3), year, "SUPERIOR", sentenced)
    for c in charges:  # a commitment card only exists for a committed sentence
        if c["disposition"] != "GUILTY" or "TO SERVE" not in c["sentence_text"] and "YRS" not in c["sentence_text"]:
            c["disposition"] = "GUILTY"
            lo = rng.choice([2, 3, 4, 5, 8])
            c["sentence_text"] = rng.choice([f"NOT LESS THAN {lo} NOR MORE THAN {lo + rng.choice([2, 3, 5])} YRS",
                                             f"{lo} TO {lo + 2} YRS", f"{rng.choice([10, 15, 20])} YRS INDET."])
    inst = rng.choice(vocab.DOC_INSTITUTIONS)
    released = admitted + dt.timedelta(days=rng.randint(300, 3000)) if rng.random() < 0.6 else None
    head = rng.choice([["DEPARTMENT OF CORRECTION", "COMMITMENT RECORD"],
                       ["COMMONWEALTH OF MASSACHUSETTS - DEPARTMENT OF CORRECTION"],
                       ["MASS. CORRECTIONAL INSTITUTION", "RECORD OF COMMITMENT"]])
    header(page, head, rng, big=1.05)
    no_p = page.text(page.right, p.commitment, align="right", strike=True, size=page.size * 1.2)
    nm = page.text(page.left, p.name(st.name_style), max_w=(page.right - page.left) * 0.7)
    page.newline(1.3)
    if rng.random() < 0.5:
        got = cells(page, st, [("Date of Birth", st.date(p.dob)), ("SID", p.sid), ("Race", p.race),
                               ("Institution", inst)], [1.3, 1.2, 0.6, 2.3])
        got.update(cells(page, st, [("Committed From", court["name"]), ("Docket", make_docket(rng, year, court)),
                                    ("Admitted", st.date(admitted))], [2.6, 1.6, 1.2]))
    else:
        got = kv_rows(page, st, [("DOB", st.date(p.dob)), ("SID", p.sid), ("Institution", inst),
                                 ("Race", vocab.RACE_WORDS[p.race]), ("Committed from", court["name"]),
                                 ("Admitted", st.date(admitted))], cols=2)
    offs = []
    rows = [[c["statute_as_printed"], c["description"], c["sentence_text"]] for c in charges]
    got_rows = table(page, st, ["STATUTE", "OFFENSE", "SENTENCE"], rows, [1.6, 2.6, 3.0], min_left=1)
    for c, r in zip(charges, got_rows):
        offs.append({**c, "statute_as_printed": r[0], "description_as_printed": r[1], "sentence_text": r[2]})
    page.newline(0.3)
    tail = [("Sentence Date", st.date(sentenced)),
            ("Parole Elig.", st.date(admitted + dt.timedelta(days=rng.randint(200, 1500))))]
    if released:
        tail.append((rng.choice(["Released", "Discharged", "Paroled"]), st.date(released)))
    got.update(kv_rows(page, st, tail, cols=3 if page.width > 500 else 2))
    stamp = ""
    if released and rng.random() < 0.5 and page.has_room(1.5):
        txt = rng.choice(["PAROLED", "DISCHARGED", "RELEASED"]) + " " + st.date(released)
        stamp = page.stamp(page.right - page.width_of(txt, page.size * 1.1) - page.size * 0.5, page.y, txt)
    return {"commitment": p.commitment if p.commitment in no_p else "", "name_as_printed": nm, **p.fields(),
            "institution": inst, "court": court["name"], "sentenced": sentenced.isoformat(),
            "admitted": admitted.isoformat(), "released": released.isoformat() if released else None,
            "labels": got, "charges": offs, "stamp": stamp}


FINGERS = ["R. THUMB", "R. INDEX", "R. MIDDLE", "R. RING", "R. LITTLE",
           "L. THUMB", "L. INDEX", "L. MIDDLE", "L. RING", "L. LITTLE"]


def arrest_card(page: Page, rng: random.Random, year: int) -> dict:
    st = Style.pick(rng)
    p = make_person(rng, year)
    arrested = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 28))
    agency = (f"{p.town} {rng.choice(vocab.POLICE_SUFFIX)}" if rng.random() < 0.7 else
              f"STATE POLICE - {rng.choice(vocab.STATE_POLICE_BARRACKS)}")
    charges = make_charges(rng, rng.randint(1, 4), year, "DISTRICT", arrested)
    header(page, [rng.choice(["MASSACHUSETTS STATE POLICE", "COMMONWEALTH OF MASSACHUSETTS",
                              "DEPARTMENT OF PUBLIC SAFETY"]),
                  rng.choice(["IDENTIFICATION SECTION", "BUREAU OF IDENTIFICATION", "STATE IDENTIFICATION SECTION"]),
                  rng.choice(["CRIMINAL - ARREST", "ARREST FINGERPRINT CARD", "RECORD OF ARREST"])], rng)
    kv = kv_rows(page, st, [("Name", p.name(st.name_style)), ("SID", p.sid)], cols=2)
    if p.aliases and page.has_room():
        kv.update(kv_rows(page, st, [("Aliases", "; ".join(p.aliases))], cols=1))
    hst = rng.randrange(4)
    phys = [("Sex", p.sex), ("Race", p.race), ("Hgt", fmt_height(p.height_in, hst)), ("Wgt", str(p.weight_lb)),
            ("Eyes", p.eyes), ("Hair", p.hair), ("DOB", st.date(p.dob))]
    if rng.random() < 0.5:
        got = cells(page, st, phys, [0.6, 0.6, 1.0, 0.8, 0.8, 0.8, 1.7])
    else:
        got = {h: r for (h, _), r in zip(phys, (table(page, st, [h for h, _ in phys], [[v for _, v in phys]],
                                                      [0.6, 0.6, 1.0, 0.8, 0.8, 0.8, 1.7], rules=False) or [[]])[0])}
    kv.update(got)
    kv.update(kv_rows(page, st, [("Date Arrested", st.date(arrested)), ("Agency", agency),
                                 ("Place of Birth", rng.choice(["BOSTON MA", "LOWELL MA", "SAN JUAN PR", "PRAIA CV", "PORT-AU-PRINCE HAITI", "PROVIDENCE RI", "NEW BEDFORD MA", "AZORES"])),
                                 ("Occupation", p.occupation)], cols=2))
    printed = []
    if page.has_room(2):
        page.text(page.left, st.label("Charge"))
        page.newline()
        for c in charges:
            if not page.has_room(1):
                break
            ln = page.text(page.left + page.char_w() * 2, f"{c['count']}. {c['description']} - {c['statute_as_printed']}")
            page.newline()
            printed.append({**c, "as_printed": ln, "disposition": None, "sentence_text": ""})
    # Ten rolled impressions along the bottom, as on the FBI/State Police card.
    box_h = min(page.height * 0.17, 110)
    if page.y + box_h + page.size <= page.bottom:
        w = (page.right - page.left) / 5
        rows = 2 if page.bottom - 2 * box_h - page.size > page.y else 1
        for r in range(rows):
            top = page.bottom - (rows - r) * box_h
            for i in range(5):
                x = page.left + i * w
                page.rect(x, top, x + w, top + box_h, 0.8)
                page.text(x + 3, FINGERS[r * 5 + i], y=top + page.size * 0.7, size=page.size * 0.6, max_w=w - 6)
                page.prints(x + w * 0.22, top + box_h * 0.22, x + w * 0.78, top + box_h * 0.95, rng.randrange(1 << 30))
    return {"name_as_printed": kv.get("Name", ""), **p.fields(), "aliases": p.aliases,
            "height_in": p.height_in, "weight_lb": p.weight_lb, "arrest_date": arrested.isoformat(),
            "agency": agency, "labels": kv, "charges": printed}


def hoc_booking(page: Page, rng: random.Random, year: int) -> dict:
    st = Style.pick(rng)
    p = make_person(rng, year)
    county = p.county
    booked = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 28))
    court = make_court(rng, county, rng.choice(["DISTRICT", "DISTRICT", "SUPERIOR"]))
    charges = make_charges(rng, rng.randint(1, 4), year, court["kind"], booked)
    booking = f"{year % 100:02d}-{rng.randint(1, 9999):05d}" if rng.random() < 0.6 else f"B{year % 100:02d}{rng.randint(1, 99999):05d}"
    sheriff = rng.choice([f"{county.upper()} COUNTY SHERIFF'S OFFICE", f"SHERIFF OF {county.upper()} COUNTY",
                          f"{county.upper()} COUNTY SHERIFF'S DEPARTMENT"])
    header(page, [sheriff, vocab.HOUSES_OF_CORRECTION[county],
                  rng.choice(["BOOKING SHEET", "INMATE BOOKING RECORD", "ADMISSION / BOOKING"])], rng)
    bk = page.text(page.left, f"{st.label('Booking No.')} {booking}")
    tm = f"{rng.randint(0, 23):02d}{rng.choice(['00', '15', '30', '45', '10', '50'])}"
    page.text(page.right, f"{st.date(booked)} {tm} HRS", align="right")
    page.newline(1.4)
    if st.boxed:
        top = page.y - page.size * 1.2
    kv = kv_rows(page, st, [("Name", p.name(st.name_style)), ("DOB", st.date(p.dob)),
                            ("Address", f"{p.street}, {p.town}"), ("SID", p.sid),
                            ("Sex/Race", f"{p.sex}/{p.race}"), ("Hgt/Wgt", f"{fmt_height(p.height_in, 0)}/{p.weight_lb}"),
                            ("Eyes/Hair", f"{p.eyes}/{p.hair}"), ("Scars/Marks", rng.choice(vocab.MARKS)),
                            ("Occupation", p.occupation), ("Emergency Contact", f"{rng.choice(vocab.FEMALE_FIRST)} {p.last} (MOTHER)")],
                 cols=rng.choice([1, 2]))
    if st.boxed:
        page.rect(page.left - 6, top, page.right + 6, page.y - page.line_h * 0.5, 0.9)
        page.newline(0.4)
    kv.update(kv_rows(page, st, [("Committing Court", court["name"]), ("Docket", make_docket(rng, year, court)),
                                 ("Mittimus", rng.choice(["SENTENCED", "AWAITING TRIAL", "HELD W/O BAIL", "BAIL $" + str(rng.choice([500, 1000, 5000]))]))],
                      cols=1))
    page.newline(0.4)
    rows = [[str(c["count"]), c["statute_as_printed"], c["description"], c["sentence_text"] or "-"] for c in charges]
    got = table(page, st, ["#", "G.L.", "CHARGE", "SENTENCE"], rows, [0.4, 1.7, 3.0, 3.3], min_left=2)
    printed = [{**c, "statute_as_printed": r[1], "description_as_printed": r[2], "sentence_text": r[3] if r[3] != "-" else ""}
               for c, r in zip(charges, got)]
    page.newline(0.4)
    rel = booked + dt.timedelta(days=rng.randint(30, 900))
    tail = kv_rows(page, st, [("Unit/Cell", f"{rng.choice('ABCDEFGH')}-{rng.randint(1, 3)}{rng.randint(1, 40):02d}"),
                              ("Est. Release", st.date(rel)),
                              ("Property", rng.choice(["1 WALLET, $12.40, 1 WATCH", "CLOTHING ONLY", "$3.15, KEYS, BELT", "NONE"]))],
                   cols=2)
    kv.update(tail)
    signature(page, st, rng.choice(["Booking Officer", "Receiving Officer", "Shift Commander"]))
    return {"booking_no": booking if booking in bk else "", "county": county, "facility": vocab.HOUSES_OF_CORRECTION[county],
            "booked": booked.isoformat(), "name_as_printed": kv.get("Name", ""), **p.fields(),
            "court": court["name"], "labels": kv, "charges": printed,
            "release_est": rel.isoformat() if tail.get("Est. Release") else None}
