"""`crosstrack bench query`: p50/p95 latency of the standard aggregates and of a person's timeline
on a repository of N events, and the bulk filler that builds such a repository (SQLAlchemy Core
inserts straight into models/schema.py's tables: documents → pages → regions → extractions →
reviews, people, identities, events, charges)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import numpy as np
from sqlalchemy import Engine, func, insert, select

from models import views
from models.schema import Base, ChargeRow, Document, Event, Extraction, Identity, Page, Person, Region, Review
from models.verified import EVENT_DATE_FIELD

COUNTIES = ("Barnstable", "Berkshire", "Bristol", "Dukes", "Essex", "Franklin", "Hampden", "Hampshire", "Middlesex",
            "Nantucket", "Norfolk", "Plymouth", "Suffolk", "Worcester")
AGENCIES = ("Department of Correction", "Parole Board", "Office of the Commissioner of Probation",
            "State Police Identification Section", "DCJIS", "District Court", "Superior Court",
            "Boston Municipal Court", "Juvenile Court", "Suffolk County Sheriff's Department",
            "Middlesex County Sheriff's Office", "Worcester County Sheriff's Office", "Essex County Sheriff's Department",
            "Hampden County Sheriff's Department", "Plymouth County Sheriff's Department",
            "Bristol County Sheriff's Office", "Norfolk County Sheriff's Office")
EVENT_TYPES = tuple(EVENT_DATE_FIELD)
CATEGORIES = ("Other Assaults", "Larceny-Theft", "Drug Abuse Violations", "Burglary", "OUI", "Disorderly Conduct",
              "Aggravated Assault", "Robbery", "Fraud", "Weapons", "Motor Vehicle Theft", "Vandalism",
              "Sex Offenses", "Offenses Against Family and Children", "Forgery and Counterfeiting", "Arson",
              "Liquor Laws", "Murder and nonnegligent manslaughter", "All Other Offenses")
DISPOSITIONS = ("guilty", "not guilty", "dismissed", "nolle prosequi", "cwof", "filed")
SENTENCES = (("hoc", "P2Y", "P6M"), ("state_prison", "P5Y", "P3Y"), ("probation", None, None), ("fine", None, None),
             ("hoc", "P1Y", "P1Y"), ("jail", "P30D", "P30D"), (None, None, None))
RACES = ("White", "Black", "Asian", "American Indian", "Other", None)
SURNAMES = ("SULLIVAN", "MURPHY", "OBRIEN", "SILVA", "NGUYEN", "RODRIGUEZ", "SMITH", "JOHNSON", "WALSH", "KELLY",
            "SANTOS", "PEREIRA", "LEBLANC", "COSTA", "MCCARTHY", "DOYLE", "BROWN", "GARCIA", "LYNCH", "NOONAN")
GIVEN = ("JOHN", "MICHAEL", "JOSE", "MARY", "ANNA", "DAVID", "JAMES", "MARIA", "KEVIN", "LINDA", "PAUL", "ROSA")


def fill_repository(engine: Engine, events: int, seed: int = 0, per_person: float = 36.6,
                    progress: Callable[[int], None] | None = None, chunk: int = 20_000) -> int:
    """Insert `events` events (about `per_person` each, the state's ratio) with their provenance
    chain, identities, people and one or two charges each. Returns the number of people."""
    Base.metadata.create_all(engine)
    rng = np.random.default_rng(seed)
    n_people = max(1, round(events / per_person))
    # events per person: geometric-ish spread around the mean, summing exactly to `events`
    weights = rng.gamma(1.2, 1.0, n_people)
    per = np.floor(weights / weights.sum() * events).astype(int)
    np.add.at(per, rng.integers(0, n_people, events - per.sum()), 1)
    dob_days = rng.integers(dt.date(1930, 1, 1).toordinal(), dt.date(2002, 1, 1).toordinal(), n_people)
    with engine.begin() as conn:
        base = conn.execute(select(func.coalesce(func.max(Event.id), 0))).scalar()
        pbase = conn.execute(select(func.coalesce(func.max(Person.id), 0))).scalar()
        conn.execute(insert(Person), [{"id": pbase + i + 1, "sid": f"MA{7_000_000 + pbase + i:07d}"
                                       if rng.random() > 0.15 else None} for i in range(n_people)])
    person_of = np.repeat(np.arange(n_people), per)
    done = 0
    while done < events:
        n = min(chunk, events - done)
        ids = np.arange(base + done + 1, base + done + n + 1)
        who = person_of[done:done + n]
        dob = dob_days[who]
        # an event between the person's 16th and 62nd birthdays, and not after 2025
        start, end = dob + 16 * 365, np.minimum(dob + 62 * 365, dt.date(2025, 12, 31).toordinal())
        when = start + (rng.random(n) * (end - start)).astype(int)
        kinds, cats = rng.integers(0, len(EVENT_TYPES), n), rng.integers(0, len(CATEGORIES), n)
        agency, county = rng.integers(0, len(AGENCIES), n), rng.integers(0, len(COUNTIES), n)
        race, sent, disp = rng.integers(0, len(RACES), n), rng.integers(0, len(SENTENCES), n), rng.integers(0, 6, n)
        docs = sorted({int(i) // 1000 for i in ids})
        pages = sorted({int(i) // 10 for i in ids})
        with engine.begin() as conn:
            have = set(conn.execute(select(Document.id).where(Document.id.in_([d + 1 for d in docs]))).scalars())
            new_docs = [{"id": d + 1, "sha256": f"{d + 1:064x}", "source": f"bench/{d}.pdf"}
                        for d in docs if d + 1 not in have]
            if new_docs:
                conn.execute(insert(Document), new_docs)
            havep = set(conn.execute(select(Page.id).where(Page.id.in_([p + 1 for p in pages]))).scalars())
            new_pages = [{"id": p + 1, "document_id": p // 100 + 1, "page": p % 100 + 1, "frame_row": -1,
                          "frame_col": -1} for p in pages if p + 1 not in havep]
            if new_pages:
                conn.execute(insert(Page), new_pages)
            conn.execute(insert(Region), [{"id": int(i), "page_id": int(i) // 10 + 1, "ordinal": int(i) % 10}
                                          for i in ids])
            ext, rev, idn, evs, chs = [], [], [], [], []
            for j, i in enumerate(ids.tolist()):
                p = int(who[j])
                pid = pbase + p + 1
                last, first = SURNAMES[p % len(SURNAMES)], GIVEN[(p // 20) % len(GIVEN)]
                birth = dt.date.fromordinal(int(dob[j]))
                day = dt.date.fromordinal(int(when[j]))
                sid = f"MA{7_000_000 + pbase + p:07d}"
                docket = f"{day.year % 100:02d}{county[j] + 10:02d}CR{i % 1_000_000:06d}"
                etype = EVENT_TYPES[kinds[j]]
                fields = {"name": {"value": f"{last}, {first}"}, "dob": {"value": birth.isoformat()},
                          "sid": {"value": sid}, "docket": {"value": docket}}
                ext.append({"id": i, "record_key": f"{i:064x}:1:-:{i % 10}", "region_id": i, "content_hash": f"{i:064x}",
                            "event_type": etype, "confidence": 1.0, "fields": fields, "charges": [], "version": 1})
                rev.append({"id": i, "extraction_id": i, "by": "machine", "at": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
                            "how": "auto", "content_hash": f"{i:064x}"})
                idn.append({"id": i, "extraction_id": i, "person_id": pid, "name": f"{last}, {first}", "last_name": last,
                            "first_name": first, "middle": None, "dob": birth, "sid": sid if (i % 7) else None,
                            "pcf": None, "commitment_no": f"W{90000 + p}" if kinds[j] % 4 == 0 else None,
                            "gender": "M" if p % 5 else "F", "race": RACES[race[j]],
                            "ethnicity": "Hispanic" if p % 6 == 0 else "Not Hispanic"})
                evs.append({"id": i, "extraction_id": i, "review_id": i, "person_id": pid, "identity_id": i,
                            "event_type": etype, "event_date": day, "agency": AGENCIES[agency[j]],
                            "county": COUNTIES[county[j]], "court": None, "facility": None, "docket": docket})
                stype, smax, serve = SENTENCES[sent[j]]
                chs.append({"event_id": i, "ordinal": 0, "description": "CHARGE TEXT", "statute": "c. 265, § 13A",
                            "offense_code": "265/13A/B", "category": CATEGORIES[cats[j]],
                            "level": "felony" if cats[j] % 3 == 0 else "misdemeanor", "disposition": DISPOSITIONS[disp[j]],
                            "sentence_type": stype, "sentence_min": None, "sentence_max": smax, "to_serve": serve,
                            "probation": None, "fine": None, "suspended": False, "sentence": None})
                if i % 3 == 0:  # a second count: the lead charge (ordinal 0) is what anon_events counts
                    chs.append({**chs[-1], "ordinal": 1, "category": CATEGORIES[(cats[j] + 1) % len(CATEGORIES)]})
            for table, rows in ((Extraction, ext), (Review, rev), (Identity, idn), (Event, evs), (ChargeRow, chs)):
                conn.execute(insert(table), rows)
        done += n
        if progress:
            progress(done)
    return n_people


def _pct(xs: list[float]) -> dict:
    a = np.array(xs) * 1000
    return {"p50_ms": round(float(np.percentile(a, 50)), 2), "p95_ms": round(float(np.percentile(a, 95)), 2),
            "n": len(xs)}


def _timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def measure(engine: Engine, reps: int = 30, timelines: int = 200, seed: int = 0) -> dict:
    """Latencies of the standard aggregates as the portal serves them (portal.queries.trend through
    its TableCache: the first request of each computes its joint suppression, later ones are
    cached), of a two-filter cohort, and of person timelines."""
    from portal import queries

    rng = np.random.default_rng(seed)
    cache = queries.TableCache(size=len(views.STANDARD_AGGREGATES) + 2)
    first: dict[str, float] = {}
    per_agg: dict[str, list[float]] = {}
    for by in views.STANDARD_AGGREGATES:  # in order, so later tables reuse the masks of earlier ones
        first[",".join(by)] = _timed(lambda by=by: queries.trend(engine, by, cache=cache))
        per_agg[",".join(by)] = [_timed(lambda by=by: queries.trend(engine, by, cache=cache)) for _ in range(reps)]
    cohort = {"county": "Suffolk", "event_type": "admission"}  # a three-way table, grouped from anon_events
    cohort_first = _timed(lambda: queries.trend(engine, ("year",), cohort, cache=cache))
    cohort_cached = [_timed(lambda: queries.trend(engine, ("year",), cohort, cache=cache)) for _ in range(reps)]
    direct: dict[str, list[float]] = {}
    for by in views.STANDARD_AGGREGATES[:5]:  # the same counts grouped from anon_events, for comparison
        col = views.anon_events.c[views.DIMENSIONS[by[0]]]
        q = select(col, func.count()).group_by(col)
        with engine.connect() as conn:
            direct[by[0]] = [_timed(lambda: conn.execute(q).all()) for _ in range(3)]
    with engine.connect() as conn:
        max_person = conn.execute(select(func.max(Person.id))).scalar() or 1
        pseuds = conn.execute(select(views.anon_events.c.pseudonym).where(views.anon_events.c.seq == 0)
                              .limit(5000)).scalars().all()
    people = rng.integers(1, max_person + 1, timelines).tolist()
    restricted = [_timed(lambda p=p: views.timeline_person(engine, p, "bench", "analyst_cleared")) for p in people]
    picks = [pseuds[i] for i in rng.integers(0, len(pseuds), timelines)] if pseuds else []
    anonymized = [_timed(lambda s=s: views.timeline_anonymized(engine, s)) for s in picks]
    all_aggs = [x for xs in per_agg.values() for x in xs]
    return {"aggregates": _pct(all_aggs), "aggregates_by": {k: _pct(v) for k, v in per_agg.items()},
            "aggregates_first_ms": {k: round(v * 1000, 1) for k, v in first.items()},
            "aggregates_first_total_s": round(sum(first.values()), 2),
            "cohort_two_filters": {"first_ms": round(cohort_first * 1000, 1), "cached": _pct(cohort_cached)},
            "aggregates_direct_group_by": {k: _pct(v) for k, v in direct.items()},
            "timeline_restricted": _pct(restricted), "timeline_anonymized": _pct(anonymized) if anonymized else None}


def event_count(engine: Engine) -> int:
    Base.metadata.create_all(engine)
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Event)).scalar()


def views_built(engine: Engine) -> bool:
    views.create_views(engine)
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(views.agg_counts)).scalar() > 0
