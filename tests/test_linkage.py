"""Person linkage (review/linkage.py) on noisy pairs, FEBRL figures, and `crosstrack link` on a
real SQLite repository."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid

import pandas as pd
import pytest
from sqlalchemy import func, insert, select
from typer.testing import CliRunner

from flows.cli import app
from flows.link_eval import bcubed_scores, evaluate, febrl_frame, pairwise_scores
from models.db import make_engine
from models.schema import Base, Document, Event, Extraction, Identity, Page, Person, Region
from models.merge import split_name
from review.linkage import LinkOptions, link

FIRST = ["JAMES", "JOHN", "ROBERT", "MICHAEL", "WILLIAM", "DAVID", "RICHARD", "JOSEPH", "THOMAS", "CHARLES",
         "MARY", "PATRICIA", "JENNIFER", "LINDA", "ELIZABETH", "BARBARA", "SUSAN", "JESSICA", "SARAH", "KAREN",
         "KEVIN", "BRIAN", "GEORGE", "EDWARD", "RONALD", "ANTHONY", "KENNETH", "STEVEN", "PAUL", "MARK"]
LAST = ["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ",
        "OBRIEN", "MURPHY", "SULLIVAN", "KELLY", "WALSH", "MCCARTHY", "DOHERTY", "NGUYEN", "PEREIRA", "SANTOS",
        "FITZGERALD", "DONOVAN", "CARDOSO", "KOWALSKI", "LEBLANC", "GALLAGHER", "RIVERA", "TRAN", "LOPEZ", "HALL",
        "CALLAHAN", "MORIARTY", "COSTA", "SILVA", "DUBOIS", "PELLETIER", "ROMANO", "RUSSO", "BERNSTEIN", "COHEN"]
RACES = ["WHITE", "BLACK", "ASIAN", "AMERICAN INDIAN"]


def _typo(rng: random.Random, s: str) -> str:
    i = rng.randrange(1, len(s))
    kind = rng.choice(["swap", "drop", "sub"])
    if kind == "swap" and i < len(s) - 1:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if kind == "drop":
        return s[:i] + s[i + 1:]
    return s[:i] + rng.choice("AEIOURSTLN") + s[i + 1:]


def noisy_people(n: int, seed: int, per_person: int = 3) -> tuple[pd.DataFrame, pd.Series]:
    """A small population: each person a few records, with typos, DOB transpositions and
    one-digit errors, and missing SIDs."""
    rng = random.Random(seed)
    rows, truth = [], []
    for p in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        dob = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 60 * 365))
        sid = f"{rng.randrange(10**7, 10**8)}"
        gender = "F" if FIRST.index(first) in range(10, 20) else "M"
        race, middle = rng.choice(RACES), rng.choice("ABCDEJKLMPRST")
        for _ in range(rng.randint(1, per_person)):
            f, la, d, s = first, last, dob.isoformat(), sid
            r = rng.random()
            if r < 0.15:
                f = _typo(rng, f)
            elif r < 0.3:
                la = _typo(rng, la)
            elif r < 0.38 and dob.day <= 12:
                d = dob.replace(month=dob.day, day=dob.month).isoformat()
            elif r < 0.45:
                d = d[:8] + f"{(dob.day % 9) + 10:02d}"
            if rng.random() < 0.3:
                s = None
            rows.append({"unique_id": len(rows), "first_name": f, "last_name": la, "dob": d, "sid": s,
                         "middle": middle if rng.random() < 0.7 else None, "gender": gender, "race": race})
            truth.append(p)
    return pd.DataFrame(rows), pd.Series(truth)


CASES = [  # (case, record a, record b, same person?)
    ("first-name typo", dict(first_name="JONATHAN", last_name="FITZGERALD", dob="1961-04-17", sid="31415926"),
     dict(first_name="JONATHON", last_name="FITZGERALD", dob="1961-04-17", sid="31415926"), True),
    ("nickname, SID missing", dict(first_name="WILLIAM", last_name="KOWALCZYK", dob="1958-11-02", sid="27182818",
                                   middle="T", gender="M", race="WHITE"),
     dict(first_name="BILL", last_name="KOWALCZYK", dob="1958-11-02", sid=None, middle="T", gender="M",
          race="WHITE"), True),
    ("DOB day/month transposed, SID missing", dict(first_name="MARGARET", last_name="ODONNELL", dob="1972-03-08",
                                                   sid=None, gender="F"),
     dict(first_name="MARGARET", last_name="ODONNELL", dob="1972-08-03", sid=None, gender="F"), True),
    ("surname OCR error and DOB digit", dict(first_name="TERESA", last_name="GALLAGHER", dob="1969-05-23",
                                             sid="16180339"),
     dict(first_name="TERESA", last_name="GA11AGHER", dob="1969-05-28", sid="16180339"), True),
    ("same common name, other DOB", dict(first_name="JOHN", last_name="SMITH", dob="1970-01-05", sid=None,
                                         gender="M", race="WHITE"),
     dict(first_name="JOHN", last_name="SMITH", dob="1983-07-22", sid=None, gender="M", race="WHITE"), False),
    ("another person's SID read in", dict(first_name="ANGELA", last_name="PEREIRA", dob="1980-02-14",
                                          sid="55500011", gender="F", race="WHITE"),
     dict(first_name="DESMOND", last_name="OKAFOR", dob="1949-10-30", sid="55500011", gender="M",
          race="BLACK"), False),
]


@pytest.fixture(scope="module")
def cases_linked():
    background, truth = noisy_people(400, seed=3)
    rows = background.to_dict("records")
    for k, (_, a, b, _) in enumerate(CASES):
        rows.append({"unique_id": f"case{k}a", **a})
        rows.append({"unique_id": f"case{k}b", **b})
    df = pd.DataFrame(rows)
    df["unique_id"] = df["unique_id"].astype(str)
    return link(df), pd.Series(truth.to_numpy(), index=background["unique_id"].astype(str))


@pytest.mark.parametrize("k", range(len(CASES)), ids=[c[0] for c in CASES])
def test_noisy_pairs_link_and_stay_apart(cases_linked, k):
    result, _ = cases_linked
    name, _, _, same = CASES[k]
    together = result.clusters[f"case{k}a"] == result.clusters[f"case{k}b"]
    assert together == same, name


def test_background_population_is_linked_well(cases_linked):
    result, truth = cases_linked
    pw = pairwise_scores(result.clusters.reindex(truth.index), truth)
    assert pw.precision >= 0.97 and pw.recall >= 0.95, pw


def test_identical_records_collapse_to_one_tuple():
    df = pd.DataFrame([{"unique_id": i, "first_name": "Ann", "last_name": "Lee ", "dob": "1970-01-02",
                        "sid": "123"} for i in range(5)] +
                      [{"unique_id": 9, "first_name": "ANN", "last_name": "LEE", "dob": "1970-01-02", "sid": "123"}])
    res = link(df)
    assert res.tuples == 1 and res.clusters.nunique() == 1 and set(res.clusters) == {0}


def test_metrics_on_a_hand_example():
    truth = pd.Series(["a", "a", "a", "b", "b", "c"])
    pred = pd.Series([1, 1, 2, 2, 2, 3])
    pw = pairwise_scores(pred, truth)  # predicted pairs: (0,1) (2,3) (2,4) (3,4); true: 3 + 1
    assert (pw.precision, pw.recall) == (0.5, 0.5)
    b3 = bcubed_scores(pred, truth)
    assert b3.precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3 + 1) / 6)
    assert b3.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1 + 1) / 6)


def test_split_name():
    assert split_name("O'BRIEN, JOHN P") == ("O'BRIEN", "JOHN", "P")
    assert split_name("SMITH") == ("SMITH", None, None)
    assert split_name("de la cruz jr., maria t.") == ("DE LA CRUZ", "MARIA", "T")
    assert split_name(None) == (None, None, None)


# Measured with `crosstrack link-eval --people 0 --febrl` (threshold 6): febrl1 pairwise F1
# 0.930, febrl3 0.979; the floors leave a 0.02 margin for sampling noise.
@pytest.mark.parametrize("name,floor", [("febrl1", 0.91), ("febrl3", 0.955)])
def test_febrl_pairwise_f1_floor(name, floor):
    df, truth = febrl_frame(name)
    report = evaluate(name, df, truth, LinkOptions())
    assert report["pairwise"]["f1"] >= floor, report
    assert report["pairwise"]["precision"] >= 0.99, report


def _repository(url: str, df: pd.DataFrame) -> None:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(Document), [{"id": 1, "sha256": "0" * 64, "source": "test"}])
        conn.execute(insert(Page), [{"id": 1, "document_id": 1, "page": 1}])
        n = len(df)
        conn.execute(insert(Region), [{"id": i + 1, "page_id": 1, "ordinal": i} for i in range(n)])
        conn.execute(insert(Extraction), [{"id": i + 1, "record_key": f"k{i}", "region_id": i + 1,
                                           "content_hash": "h", "event_type": "arrest", "confidence": 1.0,
                                           "fields": {}, "charges": []} for i in range(n)])
        rows = []
        for i, r in enumerate(df.to_dict("records")):
            name = f"{r['last_name']}, {r['first_name']}" + (f" {r['middle']}" if r.get("middle") else "")
            rows.append({"id": i + 1, "extraction_id": i + 1, "name": name, "last_name": r["last_name"],
                         "first_name": r["first_name"], "middle": r.get("middle"),
                         "dob": dt.date.fromisoformat(r["dob"]) if r["dob"] else None, "sid": r["sid"],
                         "gender": r.get("gender"), "race": r.get("race")})
        conn.execute(insert(Identity), rows)
        conn.execute(insert(Event), [{"id": i + 1, "extraction_id": i + 1, "identity_id": i + 1,
                                      "event_type": "arrest"} for i in range(n)])
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'repo.db'}"
    return request.getfixturevalue("pg_cluster").create_database(f"link_{uuid.uuid4().hex[:12]}")


def test_crosstrack_link_writes_people_and_is_idempotent(db_url, tmp_path, monkeypatch):
    df, truth = noisy_people(150, seed=11)
    url = db_url
    _repository(url, df)
    monkeypatch.setenv("CROSSTRACK_DATABASE_URL", url)
    monkeypatch.setenv("CROSSTRACK_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    first = runner.invoke(app, ["link"])
    assert first.exit_code == 0, first.output
    got = json.loads(first.stdout.strip().splitlines()[-1])
    assert got["identities"] == len(df) and got["changed"] == len(df)
    engine = make_engine(url)
    with engine.connect() as conn:
        ident = dict(conn.execute(select(Identity.id, Identity.person_id)).all())
        events = dict(conn.execute(select(Event.identity_id, Event.person_id)).all())
        people = conn.execute(select(func.count()).select_from(Person)).scalar_one()
    assert events == ident and None not in ident.values()
    assert people == got["people"] == len(set(ident.values()))
    pred = pd.Series([ident[i + 1] for i in range(len(df))])
    pw = pairwise_scores(pred, truth)
    assert pw.precision >= 0.97 and pw.recall >= 0.9, pw
    second = runner.invoke(app, ["link"])
    again = json.loads(second.stdout.strip().splitlines()[-1])
    assert second.exit_code == 0 and again["changed"] == 0 and again["people"] == got["people"]
    assert again["people_created"] == 0 and again["people_removed"] == 0
    with engine.connect() as conn:
        assert dict(conn.execute(select(Identity.id, Identity.person_id)).all()) == ident
    engine.dispose()


def test_crosstrack_link_on_a_database_without_tables_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSTRACK_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = CliRunner().invoke(app, ["link"])
    assert result.exit_code == 6 and "crosstrack db upgrade" in result.output
