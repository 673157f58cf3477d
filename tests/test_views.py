"""The privacy rules of the views, on SQLite and on a real PostgreSQL 15: no identifier in public
exports, no small counts, complementary suppression that really protects (checked by linear
programming), k-anonymity, keyed pseudonyms, audited restricted reads, chronological timelines,
and PostgreSQL roles that keep the public role out of the restricted tables."""

from __future__ import annotations

import csv
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from scipy.optimize import linprog
from typer.testing import CliRunner

from flows.cli import app
from flows.query_bench import fill_repository
from models import privacy, views
from models.db import make_engine
from models.errors import ConfigError, NotClearedError, ViewError
from models.schema import AuditEntry, Event, Identity, Person

KEY = "test-key-a"


@dataclass
class Repo:
    url: str
    engine: sa.Engine
    home: Path

    def cli(self, *args: str, key: str = KEY):
        env = {"CROSSTRACK_HOME": str(self.home), "CROSSTRACK_PSEUDONYM_KEY": key}
        result = CliRunner().invoke(app, [*args, "--database-url", self.url], env=env)
        return result

    def last_json(self, result) -> dict:
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def repo(request, tmp_path_factory) -> Repo:
    root = tmp_path_factory.mktemp(f"views-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{root / 'repo.db'}"
    else:
        url = request.getfixturevalue("pg_cluster").create_database("views_test")
    engine = make_engine(url)
    # 4,000 events of about 330 people: enough for k=5 classes and for cells both sides of 11
    fill_repository(engine, 4000, seed=7, per_person=12)
    views.refresh_views(engine, KEY.encode())
    yield Repo(url, engine, root / "home")
    engine.dispose()


def identifiers(engine: sa.Engine) -> set[str]:
    """Every identifying string of the input: names, DOBs (ISO and US), SIDs, dockets, commitment numbers."""
    out: set[str] = set()
    with engine.connect() as conn:
        for name, last, dob, sid, commit in conn.execute(sa.select(Identity.name, Identity.last_name, Identity.dob,
                                                                   Identity.sid, Identity.commitment_no)):
            out |= {name, last, sid, commit}
            if dob:
                out |= {dob.isoformat(), dob.strftime("%m/%d/%Y")}
        out |= set(conn.execute(sa.select(Event.docket)).scalars())
        out |= set(conn.execute(sa.select(Person.sid)).scalars())
    return {s for s in out if s}


def leaked(text_: str, ids: set[str]) -> set[str]:
    """The identifiers that occur in the text: as a whole token, or (those with spaces or commas,
    i.e. full names) as a substring."""
    split = re.compile(r"[^0-9A-Za-z/-]+")
    tokens = set(split.split(text_))
    return {i for i in ids if (i in text_ if split.search(i) else i in tokens)}


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open()))


def test_public_exports_carry_no_identifier(repo, tmp_path):
    ids = identifiers(repo.engine)
    assert len(ids) > 500
    texts = []
    for args in (["--view", "anonymized"], ["--view", "aggregates", "--by", "year,county"],
                 ["--view", "aggregates", "--by", "age_band"], ["--view", "aggregates", "--by", "agency,event_type,race"]):
        out = tmp_path / f"{len(texts)}.csv"
        result = repo.cli("export", *args, "--out", str(out))
        repo.last_json(result)
        texts.append(out.read_text() + result.output)
    for t in texts:
        assert not leaked(t, ids)
    # the check itself sees identifiers where they are: the restricted export carries them
    out = tmp_path / "restricted.csv"
    repo.last_json(repo.cli("export", "--view", "restricted", "--out", str(out), "--role", "analyst_cleared",
                            "--actor", "tester"))
    assert len(leaked(out.read_text(), ids)) > 100


def recoverable(table: np.ndarray, mask: np.ndarray) -> list[tuple]:
    """Suppressed cells whose value the published cells pin down exactly: for each, the least and
    the greatest value it can take given every published row and column total (non-negative)."""
    sup = [tuple(c) for c in np.argwhere(mask)]
    col = {c: k for k, c in enumerate(sup)}
    eq, rhs = [], []
    for axis in range(table.ndim):
        for line in np.ndindex(*np.delete(table.shape, axis)):
            cells = [tuple(np.insert(np.array(line, dtype=int), axis, i)) for i in range(table.shape[axis])]
            row, b = np.zeros(len(sup)), 0.0
            for sign, c in [(1, c) for c in cells[:-1]] + [(-1, cells[-1])]:
                if c in col:
                    row[col[c]] += sign
                else:
                    b -= sign * table[c]
            if row.any():
                eq.append(row)
                rhs.append(b)
    pinned = []
    for k, c in enumerate(sup):
        obj = np.zeros(len(sup))
        obj[k] = 1
        lo = linprog(obj, A_eq=eq or None, b_eq=rhs or None, bounds=(0, None))
        hi = linprog(-obj, A_eq=eq or None, b_eq=rhs or None, bounds=(0, None))
        assert lo.status == 0
        if hi.status == 0 and -hi.fun - lo.fun < 0.5:
            pinned.append(c)
    return pinned


def table_from_csv(rows: list[dict], dims: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The published table (suppressed cells 0 in values, True in the mask), margins last."""
    axes = [sorted({r[d] for r in rows} - {privacy.ALL}) + [privacy.ALL] for d in dims]
    values = np.zeros([len(a) for a in axes], dtype=np.int64)
    mask = np.zeros_like(values, dtype=bool)
    for r in rows:
        idx = tuple(a.index(r[d]) for a, d in zip(axes, dims))
        assert (r["n"] == "") == (r["suppressed"] == "True")  # suppressed cells are blank and marked
        mask[idx] = r["n"] == ""
        values[idx] = int(r["n"] or 0)
    return values, mask


@pytest.mark.parametrize("by", ["year", "year,race", "agency,age_band", "agency,event_type,gender"])
def test_aggregates_suppress_small_cells_and_their_complements(repo, tmp_path, by):
    out = tmp_path / "agg.csv"
    summary = repo.last_json(repo.cli("export", "--view", "aggregates", "--by", by, "--out", str(out)))
    rows = read_csv(out)
    published = [int(r["n"]) for r in rows if r["n"] != ""]
    assert not [n for n in published if 1 <= n <= 10]
    dims = by.split(",")
    values, mask = table_from_csv(rows, dims)
    assert summary["suppressed"] == int(mask.sum())
    assert privacy.lone_suppressed_lines(mask) == 0  # never exactly one suppressed cell in a line with a total
    # against the true counts: every small cell is among the suppressed, and the published ones are right
    truth = views.aggregate(repo.engine, dims)
    assert (truth.mask >= privacy.primary_mask(truth.counts)).all()
    assert values[~mask].sum() == truth.counts[~truth.mask].sum()
    if len(dims) <= 2:
        assert truth.suppressed > 0
    if len(dims) <= 2 and truth.suppressed <= 150:  # two linear programs per suppressed cell
        assert recoverable(truth.counts, truth.mask) == []


def test_suppression_rules_on_known_tables():
    # 1-D: one small cell alone would be the total minus the rest; its smallest neighbour goes too
    t = privacy.with_margins(np.array([3, 40, 25, 90]))
    assert privacy.suppress(t).tolist() == [True, False, True, False, False]
    # a cell at the threshold is published; one below is not; zeros are not suppressed
    t = privacy.with_margins(np.array([11, 10, 0, 50]))
    m = privacy.suppress(t, threshold=11)
    assert m.tolist() == [True, True, False, False, False]
    # 2-D: each row and column with a suppressed cell holds two, and no cell is pinned
    cells = np.array([[20, 3, 30], [25, 40, 50], [60, 70, 80]])
    t = privacy.with_margins(cells)
    m = privacy.suppress(t)
    assert m[0, 1] and privacy.lone_suppressed_lines(m) == 0 and recoverable(t, m) == []
    # a table whose degree rule alone leaves a bridge (two suppressed blocks joined by one cell)
    rng = np.random.default_rng(3)
    for _ in range(25):
        cells = rng.integers(0, 40, (rng.integers(2, 7), rng.integers(2, 7)))
        cells[rng.random(cells.shape) < 0.3] = rng.integers(1, 11)
        t = privacy.with_margins(cells)
        m = privacy.suppress(t)
        assert privacy.lone_suppressed_lines(m) == 0 and recoverable(t, m) == []


def test_anonymized_export_is_k_anonymous(repo, tmp_path):
    out = tmp_path / "anon.csv"
    result = repo.cli("export", "--view", "anonymized", "--out", str(out), "--k", "5")
    summary = repo.last_json(result)
    report = summary["k_anonymity"]
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    qis = report["quasi_identifiers"]
    assert set(qis) == set(views.EXPORT_COLUMNS) - {"pseudonym", "seq"}  # every column the release shows
    assert df.groupby(qis)["pseudonym"].nunique().min() >= 5
    assert df.groupby(qis).size().min() >= report["min_events"] == privacy.release_floor() == 14
    assert "event_year" not in df.columns and {"name", "dob", "sid", "docket"}.isdisjoint(df.columns)
    # it said what it did: this repository cannot be released at full detail, and no row was dropped
    assert report["coarsened"] and report["rows_suppressed"] == 0
    assert "k-anonymity" in result.stderr and summary["rows"] == len(df) == report["rows_in"]
    raw = views.anonymized_frame(repo.engine)
    assert not privacy.is_k_anonymous(raw, list(qis), 5)
    assert not set(df["pseudonym"]) & set(raw["pseudonym"])  # re-keyed: no way into the public timeline


def test_k_anonymize_coarsens_then_suppresses():
    rows = [{"pseudonym": f"p{i}", "event_month": f"2001-{i % 12 + 1:02d}", "age_band": "25-29", "county": "Suffolk"}
            for i in range(40)]
    rows.append({"pseudonym": "lonely", "event_month": "1975-03", "age_band": "55+", "county": "Nantucket"})
    df = pd.DataFrame(rows)
    out, report = privacy.k_anonymize(df, ("event_month", "age_band", "county"), k=5, max_suppress=0.05)
    assert report.levels["event_month"] >= 1  # months alone hold 3-4 people each: coarsened
    assert report.rows_suppressed == 1 and "lonely" not in set(out["pseudonym"])
    assert privacy.is_k_anonymous(out, ["event_month", "age_band", "county"], 5)
    assert "1 of 41 rows suppressed" in report.describe()


def test_pseudonyms_stable_and_keyed(repo, tmp_path, monkeypatch):
    def pseudonyms() -> list[str]:
        with repo.engine.connect() as conn:
            return conn.execute(sa.select(views.anon_events.c.pseudonym).where(views.anon_events.c.seq == 0)
                                .order_by(views.anon_events.c.pseudonym)).scalars().all()
    first = pseudonyms()
    repo.last_json(repo.cli("views", "refresh"))
    assert pseudonyms() == first
    views.refresh_views(repo.engine, b"another key")
    other = pseudonyms()
    assert len(other) == len(first) and not set(other) & set(first)
    views.refresh_views(repo.engine, KEY.encode())
    assert pseudonyms() == first
    # the key is in neither the database nor any view row
    with repo.engine.connect() as conn:
        dump = "".join(str(r) for t in views.VIEW_TABLES for r in conn.execute(sa.select(t)))
    assert KEY not in dump
    # without the environment variable, a key file is made once, 0600, and reused
    monkeypatch.delenv(privacy.KEY_ENV, raising=False)
    k1 = privacy.pseudonym_key(tmp_path)
    assert stat.S_IMODE(os.stat(tmp_path / privacy.KEY_FILE).st_mode) == 0o600
    assert privacy.pseudonym_key(tmp_path) == k1 and len(k1) == 64


def audit_rows(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(AuditEntry).order_by(AuditEntry.id)).all()


def a_person(engine: sa.Engine) -> tuple[int, str, str]:
    with engine.connect() as conn:
        pid, sid = conn.execute(sa.select(Person.id, Person.sid).where(Person.sid.is_not(None))
                                .order_by(Person.id).limit(1)).one()
    return pid, sid, privacy.pseudonym(KEY.encode(), pid)


def test_restricted_reads_are_audited_and_refused_to_the_public(repo, tmp_path):
    pid, sid, _ = a_person(repo.engine)
    before = len(audit_rows(repo.engine))
    r = repo.cli("timeline", sid, "--role", "analyst_cleared", "--actor", "clerk-7")
    assert repo.last_json(r)["view"] == "restricted"
    rows = audit_rows(repo.engine)[before:]
    assert len(rows) == 1 and rows[0].actor == "clerk-7" and rows[0].role == "analyst_cleared"
    assert rows[0].action == "read" and rows[0].detail["people"] == [pid] and rows[0].at is not None
    assert sid not in json.dumps(rows[0].detail)  # the audit says who was read by id, not by identifier
    out = tmp_path / "r.csv"
    repo.last_json(repo.cli("export", "--view", "restricted", "--out", str(out), "--role", "analyst_cleared",
                            "--actor", "clerk-7"))
    assert audit_rows(repo.engine)[-1].action == "export"
    # a name shared by several people is refused, and the lookup (it read names) is still audited
    n = len(audit_rows(repo.engine))
    with pytest.raises(ViewError, match="people match"):
        views.timeline_restricted(repo.engine, "SULLIVAN", "clerk-7", "analyst_cleared")
    assert len(audit_rows(repo.engine)) == n + 1 and audit_rows(repo.engine)[-1].detail["matches"] > 1
    # the public role gets nothing and leaves nothing
    n = len(audit_rows(repo.engine))
    denied = repo.cli("export", "--view", "restricted", "--out", str(tmp_path / "no.csv"))
    assert denied.exit_code == NotClearedError.exit_code and not (tmp_path / "no.csv").exists()
    with pytest.raises(NotClearedError):
        views.timeline_restricted(repo.engine, sid, "someone", "analyst_public")
    assert len(audit_rows(repo.engine)) == n


def test_timelines_are_chronological(repo):
    pid, sid, pseud = a_person(repo.engine)
    with repo.engine.connect() as conn:
        n_events = conn.execute(sa.select(sa.func.count()).select_from(Event).where(Event.person_id == pid)).scalar()
    restricted = views.timeline_restricted(repo.engine, sid, "tester", "analyst_cleared")
    assert len({r["event_id"] for r in restricted}) == n_events > 1
    dates = [r["event_date"] for r in restricted]
    assert dates == sorted(dates) and all(r["sid"] in (sid, None) for r in restricted)
    # by name: LAST, FIRST matches the person (or asks for a SID when several people share it)
    with repo.engine.connect() as conn:
        last, first = conn.execute(sa.select(Identity.last_name, Identity.first_name)
                                   .where(Identity.person_id == pid).limit(1)).one()
    with repo.engine.begin() as conn:
        assert pid in views.resolve_people(conn, f"{last}, {first}")
    anon = views.timeline_anonymized(repo.engine, pseud)
    assert len(anon) == n_events and [a["seq"] for a in anon] == list(range(n_events))
    events_in_order = list(dict.fromkeys((r["event_id"], r["event_date"]) for r in restricted))
    assert [a["event_month"] for a in anon] == [privacy.month(d) for _, d in events_in_order]
    r = repo.cli("timeline", pseud, "--json")
    lines = r.stdout.strip().splitlines()
    assert json.loads(lines[-1]) == {"events": n_events, "view": "anonymized"}
    assert not leaked(r.stdout, identifiers(repo.engine))


def test_postgres_roles_keep_the_public_out(repo):
    if repo.engine.dialect.name != "postgresql":
        # SQLite has no roles (the portal's auth applies there): the command says so, and fails
        refused = repo.cli("roles", "apply")
        assert refused.exit_code == ConfigError.exit_code and "need PostgreSQL" in refused.output
        return
    readable = repo.last_json(repo.cli("roles", "apply"))["roles"]
    assert sorted(readable["crosstrack_public"]) == ["agg_counts", "anon_events"]
    assert {"events", "identities", "people", "audit_log", "restricted_events"} <= set(readable["crosstrack_cleared"])
    views.refresh_views(repo.engine, KEY.encode())  # a refresh keeps the grants (rows emptied, not tables dropped)
    public = make_engine(repo.url.replace("postgresql+psycopg://postgres@", "postgresql+psycopg://crosstrack_public@"))
    with public.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM anon_events")).scalar() == 4000
        assert conn.execute(sa.text("SELECT count(*) FROM agg_counts")).scalar() > 0
    for table in ("events", "identities", "people", "charges", "extractions", "audit_log", "restricted_events"):
        with public.connect() as conn, pytest.raises(sa.exc.ProgrammingError) as e:
            conn.execute(sa.text(f"SELECT * FROM {table} LIMIT 1"))
        assert e.value.orig.sqlstate == "42501"  # insufficient_privilege
    with public.begin() as conn, pytest.raises(sa.exc.ProgrammingError):
        conn.execute(sa.text("DELETE FROM anon_events"))
    public.dispose()
    cleared = make_engine(repo.url.replace("postgres@", "crosstrack_cleared@"))
    _, sid, _ = a_person(repo.engine)
    assert views.timeline_restricted(cleared, sid, "clerk", "analyst_cleared")  # reads, and writes its audit row
    with cleared.begin() as conn, pytest.raises(sa.exc.ProgrammingError):
        conn.execute(sa.text("DELETE FROM audit_log"))
    cleared.dispose()
