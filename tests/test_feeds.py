"""Agency feeds (issue 9): each sample extract end to end on SQLite and PostgreSQL, every kind of
bad row quarantined with its reason, bad files refused while the rest go on, re-imports that
change nothing, a changed row versioned, a row missing from a full extract reported, feed and
scanned records of the same people linked, and the drop-folder flow."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from extract.feeds.mapping import known_mappings, load_mapping
from models.db import make_engine
from models.errors import ConfigError
from models.schema import EventHistory, FeedDelivery, FeedQuarantine

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "feeds"
FEEDS = ("doc-movements", "district-court-dispositions", "probation-supervision", "parole-hearings")


def crosstrack(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {"CROSSTRACK_HOME": str(home), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    return subprocess.run([sys.executable, "-m", "flows", *args], capture_output=True, text=True, env=env, timeout=600)


def extract_of(feed: str) -> Path:
    return next(p for p in (SAMPLES / feed).iterdir() if p.name != "expected.csv")


def expected(feed: str) -> dict[int, dict]:
    return {int(r["row"]): r for r in csv.DictReader((SAMPLES / feed / "expected.csv").open())}


def last_json(proc: subprocess.CompletedProcess) -> dict:
    return json.loads(proc.stdout.splitlines()[-1])


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'repo.db'}"
    return request.getfixturevalue("pg_cluster").create_database(f"feeds_{uuid.uuid4().hex[:12]}")


def test_the_sample_mappings_load_and_a_broken_one_says_why(tmp_path):
    assert {m.feed for m in known_mappings()} >= set(FEEDS)
    assert {m.format for m in known_mappings()} == {"csv", "excel", "fixed_width", "jsonl"}
    text_ = (ROOT / "feeds" / "district-court-dispositions.yaml").read_text()
    broken = tmp_path / "broken.yaml"
    broken.write_text(text_.replace("codes: disposition", "codes: dispo"))
    with pytest.raises(ConfigError, match="code tables used but not defined: dispo"):
        load_mapping(broken)
    broken.write_text(text_.replace("key: [CASE_NO, CHG_SEQ]", "key: [CASE_NO, CHG_SEQ]\nkeys: [X]"))
    with pytest.raises(ConfigError, match="keys: Extra inputs are not permitted"):
        load_mapping(broken)
    with pytest.raises(ConfigError, match="no feed mapping 'nope'.*doc-movements"):
        load_mapping("nope")


@pytest.mark.parametrize("feed", FEEDS)
def test_each_sample_feed_end_to_end_and_again(feed, db_url, tmp_path):
    exp = expected(feed)
    args = ("feed", "import", "-m", feed, str(extract_of(feed)), "--database-url", db_url)
    first = crosstrack(*args, home=tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    counts = last_json(first)
    assert counts["quarantined"] == len(exp) and counts["updated"] == counts["missing"] == 0
    assert counts["inserted"] == counts["rows"] - len(exp) > 10
    engine = make_engine(db_url)
    with engine.connect() as conn:
        q = {r.row: r for r in conn.execute(select(FeedQuarantine.__table__))}
        assert set(q) == set(exp)  # exactly the bad rows, each with its own reason
        for row, e in exp.items():
            assert e["reason_contains"] in q[row].reason, (e["kind"], q[row].reason)
        # what landed is verified by the feed, with its agency's provenance
        events = conn.execute(text(
            "SELECT e.agency, e.county, e.event_type, e.event_date, r.by, r.how FROM events e "
            "JOIN reviews r ON r.id = e.review_id")).all()
        assert len(events) == counts["inserted"]
        mapping = load_mapping(feed)
        assert {(a, b, h) for a, _, _, _, b, h in events} == {(mapping.agency, f"feed:{feed}", "feed")}
        assert all(c for _, c, _, _, _, _ in events) and all(d for _, _, _, d, _, _ in events)
        people = conn.execute(text("SELECT count(*) FROM people")).scalar_one()
        assert 0 < people <= counts["inserted"]
    # the report names rows, columns and reasons
    report = next((tmp_path / "feeds" / "reports").glob(f"{feed}-*.csv"))
    rows = list(csv.DictReader(report.open()))
    assert sorted(int(r["row"]) for r in rows if r["kind"] == "quarantined") == sorted(exp)
    again = crosstrack(*args, home=tmp_path)
    assert last_json(again) == {**counts, "inserted": 0, "unchanged": counts["inserted"]}
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(FeedQuarantine.__table__)).scalar_one() == len(exp)
        assert conn.execute(select(func.count()).select_from(FeedDelivery.__table__)).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == counts["inserted"]
    engine.dispose()


def test_reasons_and_logs_never_quote_identifying_values(tmp_path):
    feed = "district-court-dispositions"
    proc = crosstrack("feed", "import", "-m", feed, str(extract_of(feed)), home=tmp_path)
    rows = [r for r in csv.DictReader(extract_of(feed).open()) if r["DEF_DOB"] is not None]  # not the short row
    names = {v for r in rows for v in (r["DEF_LAST"], r["DEF_DOB"], r["CASE_NO"]) if len(v) > 3}
    shown = proc.stdout + proc.stderr + "".join(p.read_text() for p in (tmp_path / "feeds" / "reports").glob("*.csv"))
    assert "quarantined" in proc.stderr and not [n for n in names if n in shown]


def test_a_changed_row_is_versioned_and_a_row_missing_from_a_full_extract_is_reported(tmp_path):
    feed = "doc-movements"  # a full extract: every movement on file, each delivery
    db = f"sqlite:///{tmp_path / 'repo.db'}"
    lines = extract_of(feed).read_text(encoding="latin-1").splitlines()
    first = crosstrack("feed", "import", "-m", feed, str(extract_of(feed)), "--database-url", db, home=tmp_path)
    inserted = last_json(first)["inserted"]
    bad = {int(r) - 1 for r in expected(feed)}
    good = [n for n in range(len(lines)) if n not in bad]
    changed, dropped = good[3], good[7]
    # the facility of one movement corrected (INST: columns 82-85), another movement gone
    lines[changed] = lines[changed][:81] + ("MN  " if lines[changed][81:85] != "MN  " else "NG  ") + lines[changed][85:]
    later = tmp_path / "IMS_MOVES_later.txt"
    later.write_text("\n".join(line for n, line in enumerate(lines) if n != dropped) + "\n", encoding="latin-1")
    second = crosstrack("feed", "import", "-m", feed, str(later), "--database-url", db, home=tmp_path)
    counts = last_json(second)
    assert (counts["inserted"], counts["updated"], counts["missing"]) == (0, 1, 1)
    assert counts["unchanged"] == inserted - 2
    engine = make_engine(db)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == inserted  # nothing deleted
        hist = conn.execute(select(EventHistory.__table__)).all()
        assert len(hist) == 1 and hist[0].version == 1
        now = conn.execute(text("SELECT x.version, e.facility FROM extractions x JOIN events e ON e.extraction_id = x.id "
                                "WHERE x.id = :i"), {"i": hist[0].extraction_id}).one()
        assert now.version == 2 and now.facility in ("MCI NORFOLK", "NCCI GARDNER")
        assert hist[0].fields["facility"]["value"] != now.facility
    engine.dispose()
    report = next((tmp_path / "feeds" / "reports").glob("doc-movements-IMS_MOVES_later-*.csv"))
    missing = [r for r in csv.DictReader(report.open()) if r["kind"] == "missing"]
    assert len(missing) == 1 and "kept, not deleted" in missing[0]["reason"]


def test_bad_files_are_refused_with_why_and_the_rest_goes_on(tmp_path):
    feed = "district-court-dispositions"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    workbook = tmp_path / "book.csv"
    shutil.copy(extract_of("probation-supervision"), workbook)  # an .xlsx named .csv
    wrong = tmp_path / "other.csv"
    wrong.write_text("A,B,C\n1,2,3\n")
    good = extract_of(feed)
    proc = crosstrack("feed", "import", "-m", feed, str(empty), str(workbook), str(wrong), str(good), home=tmp_path)
    assert proc.returncode == 1
    counts = last_json(proc)
    assert counts["files"] == 4 and counts["rejected_files"] == 3 and counts["inserted"] > 10
    assert "empty.csv: the file is empty" in proc.stderr
    assert "book.csv: a binary file" in proc.stderr
    assert "the header lacks column(s)" in proc.stderr
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # what an encrypted workbook starts with
    proc = crosstrack("feed", "import", "-m", "probation-supervision", str(locked), home=tmp_path)
    assert proc.returncode == 1 and "an encrypted workbook" in proc.stderr


def test_feed_records_link_to_the_scanned_records_of_the_same_people():
    from flows.feed_linkage import run_feed_linkage

    report = run_feed_linkage(300, 7, lambda _: None)
    assert report["quarantined"] == 0  # the generator's extracts are valid through and through
    assert report["linked"]["feed_records"] > 500
    assert report["linked"]["cross_pairwise"]["f1"] >= 0.98
    assert report["merge_only"]["cross_pairwise"]["precision"] >= 0.99  # the deterministic merge never over-links


def test_the_drop_folder_flow_imports_new_files_once(prefect_api, tmp_path, monkeypatch):
    from flows.feed_flow import feed_drop_flow

    monkeypatch.setenv("CROSSTRACK_HOME", str(tmp_path / "home"))
    drop = tmp_path / "drop"
    for feed in ("parole-hearings", "doc-movements"):
        (drop / feed).mkdir(parents=True)
        shutil.copy(extract_of(feed), drop / feed)
    (drop / "no-such-feed").mkdir()
    first = feed_drop_flow(str(drop), settle_s=0)
    assert sorted(r["file"] for r in first["imported"]) == ["IMS_MOVES_sample.txt", "decisions_sample.jsonl"]
    assert all(r["inserted"] > 10 and r["error"] is None for r in first["imported"])
    assert first["unknown_folders"] == ["no-such-feed"]
    second = feed_drop_flow(str(drop), settle_s=0)
    assert second["imported"] == [] and second["skipped"] == 2
    shutil.copy(extract_of("district-court-dispositions"), drop / "doc-movements" / "late.csv")  # still arriving
    third = feed_drop_flow(str(drop), settle_s=3600)
    assert third["unsettled"] == 1 and third["imported"] == []


def test_feed_events_reach_both_views_with_their_provenance(tmp_path):
    """In the cleared timeline a feed event names its feed and event key (no page to show); in the
    anonymized view it is an event like any other, with nothing identifying."""
    from contextlib import closing

    from models.privacy import pseudonym_key
    from models.views import refresh_views
    from tests.portal import portal_settings, running_portal

    home = tmp_path / "home"
    for feed in ("doc-movements", "parole-hearings"):
        assert crosstrack("feed", "import", "-m", feed, str(extract_of(feed)), home=home).returncode == 0
    engine = make_engine(f"sqlite:///{home / 'crosstrack.db'}")
    refresh_views(engine, pseudonym_key(home))
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT person_id FROM events WHERE agency = 'PAROLE BOARD' "
                                "GROUP BY person_id ORDER BY count(*) DESC")).scalars().first()
        anon = conn.execute(text("SELECT * FROM anon_events WHERE agency IN ('PAROLE BOARD', 'DEPARTMENT OF CORRECTION')")).all()
        names = conn.execute(text("SELECT name, sid, commitment_no FROM identities")).all()
    engine.dispose()
    assert len(anon) == 22 + 21
    shown = json.dumps([dict(r._mapping) for r in anon], default=str)
    assert not [v for n in names for v in n if v and v in shown]
    with running_portal(portal_settings(home)) as server, closing(server.client("analyst_cleared")) as cleared:
        page = cleared.get(f"/cleared/person/{pid}")
        assert page.status_code == 200 and "agency feed parole-hearings" in page.text
        events = cleared.get(f"/api/cleared/person/{pid}").json()["events"]
        assert {e["provenance"]["verified_how"] for e in events} == {"feed"}


def test_reading_in_a_child_process_gives_what_reading_in_place_gives(tmp_path):
    from flows.cli_repo import ensure_repository
    from flows.feed_import import import_file

    feed = "probation-supervision"
    out = {}
    for workers in (1, 2):
        engine = make_engine(f"sqlite:///{tmp_path / f'w{workers}.db'}")
        ensure_repository(engine)
        res = import_file(engine, load_mapping(feed), extract_of(feed), report_dir=tmp_path / "r", workers=workers,
                          chunk_size=7)  # many chunks: the hand-over between the processes is exercised
        with engine.connect() as conn:
            hashes = sorted(conn.execute(text("SELECT record_key || content_hash FROM extractions")).scalars())
        out[workers] = (res.counts(), [(q.row, q.reason) for q in res.quarantine], hashes)
        engine.dispose()
    assert out[1] == out[2] and out[1][0]["inserted"] == 60


def test_a_failure_in_the_child_reaches_the_parent_and_an_early_stop_ends_the_child():
    import itertools
    import multiprocessing

    from models.prefetch import prefetched

    def failing():
        yield 1
        raise ValueError("row 2 broke the reader")

    got = []
    with pytest.raises(ValueError, match="row 2 broke the reader"):
        for x in prefetched(failing):
            got.append(x)
    assert got == [1]
    endless = prefetched(lambda: itertools.count())
    assert [next(endless) for _ in range(5)] == [0, 1, 2, 3, 4]
    endless.close()
    assert not multiprocessing.active_children()


def test_downgrading_below_the_feeds_migration_with_feed_events_is_refused(pg_cluster, tmp_path):
    from models import migrate

    url = pg_cluster.create_database(f"feeds_{uuid.uuid4().hex[:12]}")
    assert crosstrack("feed", "import", "-m", "parole-hearings", str(extract_of("parole-hearings")),
                      "--database-url", url, home=tmp_path).returncode == 0
    engine = make_engine(url)
    with pytest.raises(RuntimeError, match="agency feed events, whose 64-bit keys"):
        migrate.downgrade(engine, "0004")
    assert migrate.current(engine) == "0005"  # one transaction: nothing half done
    engine.dispose()


def test_a_value_too_long_for_its_column_quarantines_its_row(tmp_path):
    feed = "district-court-dispositions"
    rows = list(csv.reader(extract_of(feed).open()))
    header, good = rows[0], rows[1]
    long_name = dict(zip(header, good), DEF_LAST="X" * 70, CASE_NO=good[header.index("CASE_NO")][:-3] + "999")
    path = tmp_path / "long.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerows([header, good, [long_name[h] for h in header]])
    proc = crosstrack("feed", "import", "-m", feed, str(path), home=tmp_path)
    assert last_json(proc)["inserted"] == 1 and last_json(proc)["quarantined"] == 1
    assert "row 3: identities.last_name is longer than 60 characters" in proc.stderr
