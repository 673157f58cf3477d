"""The repository core on SQLite and on a real PostgreSQL 15: migrations, the idempotent merge
with provenance, deterministic people, rejects with reasons, and a crash mid-merge."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text
from typer.testing import CliRunner

from flows.cli import app
from models import migrate
from models.db import make_engine
from models.schema import Base, ChargeRow, Event, EventHistory, Extraction, Identity, Person, Review

TABLES = {t.name for t in Base.metadata.sorted_tables}


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'repo.db'}"
    return request.getfixturevalue("pg_cluster").create_database(f"repo_{uuid.uuid4().hex[:12]}")


def sha(n: int) -> str:
    return hashlib.sha256(f"doc-{n}".encode()).hexdigest()


def fv(value) -> dict:
    return {"value": value, "text": str(value), "confidence": 0.9}


def record(doc: int = 1, page: int = 1, ordinal: int = 0, *, name="SULLIVAN, JOHN P", dob="1961-04-02",
           sid: str | None = "MA1234567", event_type="disposition", date="1988-06-01", **extra) -> dict:
    fields = {"name": fv(name), "dob": fv(dob), "docket": fv("8812CR000123"), "court": fv("Suffolk Superior Court"),
              f"{event_type}_date": fv(date), "gender": fv("M")}
    if sid:
        fields["sid"] = fv(sid)
    rec = {"source": f"reel-7/doc-{doc}.pdf", "sha256": sha(doc), "page": page, "record": ordinal,
           "bbox": [10.0, 20.0, 300.0, 120.0], "event_type": event_type, "confidence": 0.93, "fields": fields,
           "charges": [{"description": fv("A&B"), "statute": fv("265/13A"), "offense_code": fv("265/13A/B"),
                        "disposition": fv("guilty"),
                        "sentence": fv({"type": "hoc", "min": None, "max": "P2Y", "to_serve": "P6M",
                                        "probation": None, "suspended": True, "concurrent": False,
                                        "from_and_after": False, "fine": 250, "life": False})}],
           "provenance": {"agency": "Trial Court", "county": "Suffolk", "reel": "7"},
           "verification": {"by": "reviewer-3", "at": "2026-03-01T12:00:00+00:00", "how": "reviewed"}}
    rec.update(extra)
    return rec


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def merge(path: Path, url: str, *extra: str) -> tuple[dict, object]:
    result = CliRunner().invoke(app, ["merge", str(path), "--database-url", url, *extra])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout.strip().splitlines()[-1]), result


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        out = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in sorted(TABLES)}
    engine.dispose()
    return out


def test_migrations_up_down_up(db_url):
    engine = make_engine(db_url)
    runner = CliRunner()
    up = runner.invoke(app, ["db", "upgrade", "--database-url", db_url])
    assert up.exit_code == 0, up.output
    assert json.loads(up.stdout.splitlines()[-1]) == {"revision": "0005", "offences_loaded": 5222}
    assert TABLES <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:  # the migration builds exactly the schema module's tables and indexes
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert conn.execute(text("SELECT count(DISTINCT code) FROM offences")).scalar_one() > 3000
    again = runner.invoke(app, ["db", "upgrade", "--database-url", db_url])
    assert json.loads(again.stdout.splitlines()[-1])["offences_loaded"] == 0  # idempotent
    down = runner.invoke(app, ["db", "downgrade", "--revision", "base", "--database-url", db_url])
    assert down.exit_code == 0, down.output
    assert json.loads(down.stdout.splitlines()[-1]) == {"revision": None}
    assert not TABLES & set(inspect(engine).get_table_names())
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head() == "0005"
    assert TABLES <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_merge_counts_and_idempotent_rerun(db_url, tmp_path):
    rows = [record(1, 1, 0), record(1, 1, 1, name="SILVA, MARIA", dob="1970-01-02", sid="MA7654321"),
            record(2, 3, 0, event_type="admission", date="1989-01-15")]
    path = write_jsonl(tmp_path / "v.jsonl", rows)
    first, _ = merge(path, db_url)
    assert first == {"inserted": 3, "updated": 0, "unchanged": 0, "rejected": 0, "people": 2}
    before = counts(db_url)
    assert before["events"] == before["extractions"] == before["reviews"] == before["identities"] == 3
    assert before["documents"] == 2 and before["pages"] == 2 and before["regions"] == 3 and before["charges"] == 3
    second, _ = merge(path, db_url)
    assert second == {"inserted": 0, "updated": 0, "unchanged": 3, "rejected": 0, "people": 2}
    assert counts(db_url) == before  # not one new row, no new review


def test_changed_record_is_updated_with_history(db_url, tmp_path):
    merge(write_jsonl(tmp_path / "a.jsonl", [record(1), record(2)]), db_url)
    before = counts(db_url)
    changed = record(1, date="1988-07-15")
    changed["fields"]["docket"] = fv("8812CR000999")
    changed["charges"][0]["disposition"] = fv("not guilty")
    out, _ = merge(write_jsonl(tmp_path / "b.jsonl", [changed, record(2)]), db_url)
    assert out == {"inserted": 0, "updated": 1, "unchanged": 1, "rejected": 0, "people": 1}
    after = counts(db_url)
    assert after["extraction_history"] == 1 and after["reviews"] == before["reviews"] + 1
    assert {k: v for k, v in after.items() if k not in ("extraction_history", "reviews")} == \
           {k: v for k, v in before.items() if k not in ("extraction_history", "reviews")}
    engine = make_engine(db_url)
    with engine.connect() as conn:
        key = f"{sha(1)}:1:-:0"
        ext = conn.execute(select(Extraction).where(Extraction.record_key == key)).one()
        assert ext.version == 2
        hist = conn.execute(select(EventHistory)).one()
        assert hist.extraction_id == ext.id and hist.version == 1 and hist.fields["docket"]["value"] == "8812CR000123"
        ev = conn.execute(select(Event).where(Event.extraction_id == ext.id)).one()
        assert (str(ev.event_date), ev.docket) == ("1988-07-15", "8812CR000999")
        assert conn.execute(select(Review.id).where(Review.extraction_id == ext.id)).all()[-1].id == ev.review_id
        assert conn.execute(select(ChargeRow.disposition).where(ChargeRow.event_id == ev.id)).scalar_one() == "not guilty"
    engine.dispose()
    again, _ = merge(tmp_path / "b.jsonl", db_url)
    assert again["unchanged"] == 2 and counts(db_url) == after


def test_bad_lines_are_rejected_with_reasons(db_url, tmp_path):
    no_verification = record(3)
    del no_verification["verification"]
    rows = [record(1), "{not json", no_verification, record(4, sha256="XYZ"), record(5, date="1988-02-30"),
            record(6, sid="S" * 30), record(2)]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    out, result = merge(path, db_url)
    assert result.exit_code == 1
    assert out == {"inserted": 2, "updated": 0, "unchanged": 0, "rejected": 5, "people": 1}
    rejects = [json.loads(line) for line in (tmp_path / "in.rejects.jsonl").read_text().splitlines()]
    reasons = {r["line"]: r["reason"] for r in rejects}
    assert sorted(reasons) == [2, 3, 4, 5, 6]
    assert "not JSON" in reasons[2]
    assert "verification" in reasons[3] and "required" in reasons[3]
    assert reasons[4].startswith("sha256")
    assert reasons[5] == "disposition_date: impossible date (no such day)"
    assert "sid" in reasons[6] and "20 characters" in reasons[6]
    assert rejects[0]["text"] == "{not json"
    for line in (2, 3, 4, 5, 6):
        assert f"line {line}:" in result.stderr
    assert "SULLIVAN" not in result.stderr  # reasons only: the records' identifiers stay out of the log
    assert counts(db_url)["events"] == 2


def test_provenance_leads_back_to_document_page_region_review(db_url, tmp_path):
    rec = record(9, page=4, ordinal=2, frame={"row": 1, "col": 3})
    merge(write_jsonl(tmp_path / "p.jsonl", [rec]), db_url)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT d.sha256, d.agency, d.county, d.reel, p.page, p.frame_row, p.frame_col, r.ordinal, "
            "r.x0, r.y0, r.x1, r.y1, x.record_key, v.by, v.how, e.agency, e.county, e.court "
            "FROM events e JOIN extractions x ON x.id = e.extraction_id JOIN reviews v ON v.id = e.review_id "
            "JOIN regions r ON r.id = x.region_id JOIN pages p ON p.id = r.page_id "
            "JOIN documents d ON d.id = p.document_id")).one()
        assert tuple(row) == (sha(9), "Trial Court", "Suffolk", "7", 4, 1, 3, 2, 10.0, 20.0, 300.0, 120.0,
                              f"{sha(9)}:4:1.3:2", "reviewer-3", "reviewed", "Trial Court", "Suffolk",
                              "Suffolk Superior Court")
        ident = conn.execute(select(Identity)).one()
        assert (ident.last_name, ident.first_name, ident.middle, str(ident.dob), ident.sid, ident.gender) == \
               ("SULLIVAN", "JOHN", "P", "1961-04-02", "MA1234567", "M")
        charge = conn.execute(select(ChargeRow)).one()
        assert (charge.offense_code, charge.category, charge.level, charge.sentence_type, charge.sentence_max,
                charge.to_serve, charge.fine, charge.suspended) == \
               ("265/13A/B", "Assault", "misdemeanor", "hoc", "P2Y", "P6M", 250.0, True)
    engine.dispose()


def test_people_are_assigned_deterministically(db_url, tmp_path):
    rows = [record(1, sid="MA1111111", name="SULLIVAN, JOHN P"),
            record(2, sid="MA1111111", name="SULIVAN, JON"),                     # same SID: same person
            record(3, sid=None, name="MURPHY, ANNE", dob="1970-05-05"),
            record(4, sid=None, name="MURPHY, ANNE T", dob="1970-05-05"),         # same name + DOB: same person
            record(5, sid=None, name="MURPHY, ANNE", dob="1971-05-05"),           # other DOB: another person
            record(6, sid="MA2222222", name="MURPHY, ANNE", dob="1970-05-05")]    # another SID: another person
    first, _ = merge(write_jsonl(tmp_path / "a.jsonl", rows[:3]), db_url)
    out, _ = merge(write_jsonl(tmp_path / "b.jsonl", rows[3:] + [record(7, sid=None, name="SULLIVAN, JOHN",
                                                                        dob="1961-04-02")]), db_url)
    assert (first["people"], out["people"]) == (2, 4)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        person = dict(conn.execute(select(Identity.extraction_id, Identity.person_id)).all())
        by_doc = {d: person[conn.execute(select(Extraction.id).where(Extraction.record_key == f"{sha(d)}:1:-:0"))
                            .scalar_one()] for d in range(1, 8)}
        assert by_doc[1] == by_doc[2] == by_doc[7]
        assert by_doc[3] == by_doc[4]
        assert len({by_doc[1], by_doc[3], by_doc[5], by_doc[6]}) == 4
        assert conn.execute(select(Person.sid).where(Person.id == by_doc[6])).scalar_one() == "MA2222222"
        assert conn.execute(select(func.count()).select_from(Event)
                            .where(Event.person_id == Identity.person_id, Event.identity_id == Identity.id)
                            ).scalar_one() == 7
    engine.dispose()


def _events(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute("SELECT count(*), count(DISTINCT extraction_id) FROM events").fetchone()


def test_crash_mid_merge_then_rerun_completes_without_duplicates(tmp_path):
    total, chunk = 6000, 300
    rows = [record(n // 10, page=n % 10 + 1, sid=f"MA{n % 400:07d}") for n in range(total)]
    path = write_jsonl(tmp_path / "big.jsonl", rows)
    db = tmp_path / "repo.db"
    url = f"sqlite:///{db}"
    migrate.upgrade(make_engine(url))  # so the poll below reads a schema while the merge runs
    cmd = [sys.executable, "-m", "flows", "merge", str(path), "--database-url", url, "--chunk-size", str(chunk)]
    env = {**os.environ, "CROSSTRACK_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 120
    while _events(db)[0] == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done, distinct = _events(db)
    assert 0 < done < total, "the kill must land mid-merge"
    assert done == distinct and done % chunk == 0  # whole chunks only: the one in flight left nothing
    rerun = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    out = json.loads(rerun.stdout.strip().splitlines()[-1])
    assert out == {"inserted": total - done, "updated": 0, "unchanged": done, "rejected": 0, "people": 400}
    assert _events(db) == (total, total)
    with sqlite3.connect(db) as conn:
        for table in ("extractions", "reviews", "identities", "regions", "charges"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == total, table


def test_bench_load_reports_both_sides_and_leaves_the_database_empty(db_url):
    """`bench load` merges synthetic records, writes the same rows raw into constrained copies of
    the tables, and hands a given database back as empty as it found it."""
    from flows.load_bench import run_load_bench

    seen = []
    report = run_load_bench(400, 3, db_url if db_url.startswith("postgresql") else None, seen.append)
    assert report["events"] == report["records"] == 400 and report["rejected"] == 0
    assert sum(seen) == 400 and report["people"] > 0
    assert report["raw_method"] == ("COPY" if report["database"] == "postgresql" else "executemany")
    assert 7 <= report["raw_rows_per_event"] <= 10  # documents … charges: every row the merge wrote
    assert report["ratio"] == pytest.approx(report["raw_s"] / report["merge_s"], rel=0.2)  # both rounded
    if db_url.startswith("postgresql"):
        assert inspect(make_engine(db_url)).get_table_names() == []
