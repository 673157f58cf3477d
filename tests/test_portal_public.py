"""The public analysts' pages and API on the real portal over a synthetic repository: counts that
match the repository, no small cell anywhere, cohorts, charts, reports as CSV and PDF, a dataset
that is k-anonymous and free of identifiers, pseudonymous timelines; and a public account that
reaches no restricted route, nor (SQLite's authorizer proves it) any table but the public two."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing

import pandas as pd
import pytest
import sqlalchemy as sa

from models import privacy, views
from models.db import make_engine
from models.schema import Event, Identity
from portal import queries

T = privacy.THRESHOLD


@pytest.fixture(scope="module")
def public(analyst_portal):
    c = analyst_portal.client("analyst_public")
    yield c
    c.close()


def direct_counts(analyst_engine, col: str, where: dict | None = None) -> dict:
    """Counts grouped straight from anon_events: what the served cells must equal."""
    a = views.anon_events.c
    q = sa.select(a[col], sa.func.count()).group_by(a[col])
    for k, v in (where or {}).items():
        q = q.where(a[views.DIMENSIONS[k]] == v)
    with analyst_engine.connect() as conn:
        return dict(conn.execute(q).all())


def assert_no_small_cell(values) -> None:
    shown = [v for v in values if v is not None]
    assert shown, "nothing was shown at all"
    assert all(v == 0 or v >= T for v in shown), sorted(v for v in shown if 0 < v < T)


def test_trend_by_year_matches_repository_and_suppresses(public, analyst_engine):
    r = public.get("/api/public/trend", params={"by": "year"})
    assert r.status_code == 200, r.text
    body = r.json()
    truth = direct_counts(analyst_engine, "event_year")
    cells = {c["year"]: c for c in body["cells"]}
    assert cells[privacy.ALL]["n"] == sum(truth.values()) > 10_000
    for year, n in truth.items():
        c = cells[year]
        assert c["suppressed"] == (c["n"] is None)
        if 0 < n < T:
            assert c["suppressed"], year
        if not c["suppressed"]:
            assert c["n"] == n
    assert body["suppressed"] >= sum(1 for n in truth.values() if 0 < n < T) > 0
    assert_no_small_cell(c["n"] for c in body["cells"])


@pytest.mark.parametrize("params", [
    {"by": "year", "county": "Suffolk"},                                   # one filter: read from agg_counts pairs
    {"by": "year", "county": "Suffolk", "event_type": "arraignment"},     # two: grouped from anon_events
    {"by": "age_band", "series": "gender", "offence_category": "Drugs"},  # two dimensions in a cohort
])
def test_cohort_counts_match_and_stay_suppressed(public, analyst_engine, params):
    body = public.get("/api/public/trend", params=params).json()
    filters = {k: v for k, v in params.items() if k not in ("by", "series")}
    assert body["filters"] == filters
    assert_no_small_cell(c["n"] for c in body["cells"])
    if "series" not in params:
        truth = direct_counts(analyst_engine, views.DIMENSIONS[params["by"]], filters)
        served = {c[params["by"]]: c["n"] for c in body["cells"] if not c["suppressed"]}
        assert served.pop(privacy.ALL) == sum(truth.values())
        assert served and all(truth.get(k, 0) == n for k, n in served.items())
    # complementary suppression: no row or column of the served table has exactly one hidden cell
    table = queries.trend(analyst_engine, [params["by"]] + ([params["series"]] if "series" in params else []), filters).table
    assert privacy.lone_suppressed_lines(table.mask) == 0


def test_threshold_can_be_raised_not_lowered(public):
    assert public.get("/api/public/trend", params={"by": "county", "threshold": 3}).status_code == 422
    strict = public.get("/api/public/trend", params={"by": "county", "threshold": 200}).json()
    assert all(c["n"] is None or c["n"] == 0 or c["n"] >= 200 for c in strict["cells"])
    assert public.get("/api/public/trend", params={"by": "name"}).status_code == 422
    r = public.get("/api/public/trend", params={"by": "year", "series": "county", "county": "Suffolk"})
    assert r.status_code == 400 and "both counted by and filtered on" in r.json()["detail"]


def test_only_tables_the_audit_covers_are_served(public, analyst_engine):
    """Two filters and a series would slice a four-way table, too big for the LP rounds: refused,
    here and for an aggregate export, while two filters on a one-dimension count are served."""
    r = public.get("/api/public/trend", params={"by": "year", "series": "gender", "county": "Suffolk",
                                                "event_type": "admission"})
    assert r.status_code == 400 and "count by one dimension" in r.json()["detail"]
    ok = public.get("/api/public/trend", params={"by": "year", "county": "Suffolk", "event_type": "admission"})
    assert ok.status_code == 200 and ok.json()["cells"]
    with pytest.raises(views.ViewError, match="at most 3 dimensions"):
        views.aggregate(analyst_engine, ("year", "county", "event_type", "gender"))


def test_trend_page_chart_and_csv(public):
    page = public.get("/public", params={"by": "year", "series": "event_type", "county": "Middlesex"})
    assert page.status_code == 200
    assert 'id="trend-chart"' in page.text and "Events by year and event type (county = Middlesex)" in page.text
    svg = public.get("/api/public/chart.svg", params={"by": "year", "series": "event_type", "county": "Middlesex"})
    assert svg.headers["content-type"].startswith("image/svg+xml") and svg.text.lstrip().startswith("<?xml")
    assert "arraignment" in svg.text  # the legend names the series
    rows = list(csv.DictReader(io.StringIO(public.get("/api/public/trend.csv", params={"by": "county"}).text)))
    assert {r["county"] for r in rows} >= {"Suffolk", "Middlesex", privacy.ALL}
    assert all(r["n"] == "" if r["suppressed"] == "True" else int(r["n"]) == 0 or int(r["n"]) >= T for r in rows)


def test_standard_reports_as_page_csv_and_pdf(public, analyst_engine):
    listing = public.get("/api/public/reports").json()
    assert {r["name"] for r in listing} == set(queries.REPORTS)
    rep = public.get("/api/public/reports/admissions-releases").json()
    assert rep["columns"] == ["admission", "release", privacy.ALL]
    total = rep["rows"][-1]
    truth = direct_counts(analyst_engine, "event_type")
    assert (total["admission"], total["release"]) == (truth["admission"], truth["release"])
    for name in queries.REPORTS:
        body = public.get(f"/api/public/reports/{name}").json()
        assert_no_small_cell(r[c] for r in body["rows"] for c in body["columns"])
        text = public.get(f"/api/public/reports/{name}", params={"format": "csv"}).text
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == len(body["rows"])
        assert_no_small_cell(int(r[c]) if r[c] else None for r in rows for c in body["columns"])
        pdf = public.get(f"/api/public/reports/{name}", params={"format": "pdf"})
        assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        import pdfplumber
        with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
            words = "\n".join(pg.extract_text() for pg in doc.pages)
        assert queries.REPORTS[name].title in words
        assert f"{body['rows'][-1][privacy.ALL]:,}" in words  # the grand total, as printed
    page = public.get("/public/reports/dispositions")
    assert page.status_code == 200 and "Dispositions by offence category" in page.text


def test_dataset_is_k_anonymous_and_has_no_identifiers(public, analyst_engine):
    r = public.get("/api/public/dataset.csv")
    assert r.status_code == 200
    df = pd.read_csv(io.StringIO(r.text), dtype=str, keep_default_na=False)
    assert list(df.columns) == views.EXPORT_COLUMNS  # no event_year (it would undo the month coarsening)
    assert privacy.is_k_anonymous(df, list(privacy.QUASI_IDENTIFIERS), privacy.K, "pseudonym")
    report = json.loads(r.headers["x-k-anonymity"])
    assert report["k"] == privacy.K and len(df) == report["rows_in"] - report["rows_suppressed"]
    with analyst_engine.connect() as conn:
        names = set(conn.execute(sa.select(Identity.last_name).where(Identity.last_name.is_not(None))).scalars())
        dockets = set(conn.execute(sa.select(Event.docket).where(Event.docket.is_not(None))).scalars())
        sids = set(conn.execute(sa.select(Identity.sid).where(Identity.sid.is_not(None))).scalars())
    text = r.text
    assert not [s for s in dockets | sids if s in text]
    cells = set(df.to_numpy().ravel())
    assert not names & cells
    assert public.get("/api/public/dataset.csv", params={"k": 2}).status_code == 422


def test_pseudonymous_timeline(public, analyst_engine):
    with analyst_engine.connect() as conn:
        pseud, n = conn.execute(sa.select(views.anon_events.c.pseudonym, sa.func.count())
                                .group_by(views.anon_events.c.pseudonym).order_by(sa.func.count().desc())).first()
    body = public.get(f"/api/public/timeline/{pseud}").json()
    assert len(body["events"]) == n and [e["seq"] for e in body["events"]] == list(range(n))
    months = [e["event_month"] for e in body["events"] if e["event_month"] != privacy.UNKNOWN]
    assert months == sorted(months)
    assert set(body["events"][0]) == set(views.ANON_COLUMNS)
    page = public.get("/public/timeline", params={"pseudonym": pseud})
    assert page.text.count("<tr>") == n + 1
    assert public.get("/api/public/timeline/" + "0" * 20).status_code == 404
    assert public.get("/api/public/timeline/not-a-pseudonym").status_code == 400


def _restricted_routes(app) -> list[str]:
    paths = [p for p in app.openapi()["paths"] if p.startswith(("/cleared", "/api/cleared"))]
    assert len(paths) >= 5
    return [p.replace("{person_id}", "1").replace("{event_id}", "1") for p in paths]


def test_public_user_is_refused_every_restricted_route(analyst_portal, public):
    for path in _restricted_routes(analyst_portal.app):
        r = public.get(path, params={"q": "MA7654321"})
        assert r.status_code == 403, (path, r.status_code)
        assert "MA7654321" not in r.text
    with closing(analyst_portal.client()) as anonymous:
        for path in _restricted_routes(analyst_portal.app):
            r = anonymous.get(path, params={"q": "MA7654321"})
            assert r.status_code == (401 if path.startswith("/api/") else 303), path
        assert anonymous.get("/api/public/trend").status_code == 401
    for role in ("archivist", "reviewer"):
        with closing(analyst_portal.client(role)) as c:
            assert c.get("/api/public/trend").status_code == 403


def test_public_routes_read_only_the_public_tables(analyst_portal, public):
    """Serve the public routes through a connection on which SQLite itself refuses every read of a
    table but anon_events and agg_counts: they all still answer."""
    db = analyst_portal.settings.home / "crosstrack.db"

    def guarded() -> sqlite3.Connection:
        conn = sqlite3.connect(db, check_same_thread=False)

        def authorizer(action, table, *_):
            if action == sqlite3.SQLITE_READ and table not in views.PUBLIC_TABLES and not table.startswith("sqlite_"):
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK
        conn.set_authorizer(authorizer)
        return conn

    analyst_engine = sa.create_engine("sqlite://", creator=guarded)
    with analyst_engine.connect() as conn, pytest.raises(sa.exc.DatabaseError, match="prohibited"):
        conn.execute(sa.select(Identity.name)).all()
    state = analyst_portal.app.state
    before = getattr(state, "public_engine", None)
    state.public_engine = analyst_engine
    try:
        pseud = public.get("/public/timeline").text.split("pseudonym=")[1][:20]
        for path, params in [("/api/public/trend", {"by": "year", "series": "county"}),
                             ("/api/public/trend", {"by": "year", "county": "Suffolk", "gender": "F"}),
                             ("/api/public/chart.svg", {"by": "county"}), ("/api/public/dimensions", {}),
                             ("/api/public/reports/dispositions", {"format": "pdf"}), ("/api/public/dataset.csv", {}),
                             (f"/api/public/timeline/{pseud}", {}), ("/public", {"by": "agency"}),
                             ("/public/reports/sentence-lengths", {}), ("/public/timeline", {"pseudonym": pseud})]:
            r = public.get(path, params=params)
            assert r.status_code == 200, (path, r.text[:300])
    finally:
        if before is None:
            del state.public_engine
        else:
            state.public_engine = before
        analyst_engine.dispose()


def test_bench_portal_quick_run(tmp_path):
    """`crosstrack bench portal --events 3000`: builds, serves, measures, loads; no error."""
    from flows.portal_bench import AGGREGATES, bench_dir, build_repository, run_portal_bench
    from tests.portal import portal_settings

    result = run_portal_bench(portal_settings(tmp_path / "home"), 3000, seed=2, reps=5, concurrency=4, seconds=2)
    assert 2000 < result["events"] < 4000 and result["build"]["reused"] is False
    lat, load = result["latency"], result["load"]
    assert lat["aggregates"]["n"] == 5 * len(AGGREGATES) and 0 < lat["aggregates"]["p50_ms"] <= lat["aggregates"]["p95_ms"]
    assert lat["timeline_cleared"]["n"] == 5 and lat["timeline_public"]["n"] == 5
    assert load["errors"] == 0 and load["requests"] > 10 and set(load["statuses"]) == {"200"}
    assert build_repository(bench_dir(portal_settings(tmp_path / "home"), 3000), 3000, seed=2)["reused"] is True


def test_a_cohort_shows_nothing_its_bigger_table_hides(public):
    """A cohort is a slice of the table over its dimensions and filters: every cell it shows is shown
    there too, so a complement hidden in one cannot be read off the other."""
    cohort = public.get("/api/public/trend", params={"by": "year", "county": "Suffolk"}).json()["cells"]
    pair = public.get("/api/public/trend", params={"by": "year", "series": "county"}).json()["cells"]
    column = {c["year"]: (c["n"], c["suppressed"]) for c in pair if c["county"] == "Suffolk"}
    assert {c["year"]: (c["n"], c["suppressed"]) for c in cohort} == column
    assert any(s for _, s in column.values())


def test_table_cache_serves_cohorts_until_the_views_are_refreshed(tmp_path):
    from flows.query_bench import fill_repository

    analyst_engine = make_engine(f"sqlite:///{tmp_path / 'repo.db'}")
    fill_repository(analyst_engine, 3000, seed=4, per_person=10)
    views.refresh_views(analyst_engine, b"key")
    cache = queries.TableCache(size=2)
    one = queries.trend(analyst_engine, ["year"], {"county": "Suffolk", "gender": "F"}, cache=cache)
    same = queries.trend(analyst_engine, ["year"], {"county": "Essex", "gender": "M"}, cache=cache)
    assert len(cache.tables) == 1 and one.table.counts.base is same.table.counts.base  # slices of one table
    fill_repository(analyst_engine, 500, seed=5, per_person=10)
    views.refresh_views(analyst_engine, b"key")
    after = queries.trend(analyst_engine, ["year"], {"county": "Suffolk", "gender": "F"}, cache=cache)
    assert len(cache.tables) == 2
    assert after.table.counts[-1] == direct_counts(analyst_engine, "county", {"gender": "F"})["Suffolk"]
    assert after.table.counts[-1] > one.table.counts[-1]
    analyst_engine.dispose()


def test_on_postgresql_the_public_pages_read_as_crosstrack_public(pg_cluster, tmp_path):
    """With CROSSTRACK_PUBLIC_DATABASE_URL naming the crosstrack_public role, the public pages and
    API answer from the anonymized tables, and their connection cannot read a restricted table."""
    import sqlalchemy.exc
    from sqlalchemy import text

    from models import pg_roles
    from tests.portal import portal_settings, running_portal
    from tests.portal_data import load_state

    url = pg_cluster.create_database("portal_public")
    load_state(tmp_path / "home", tmp_path / "synth", people=80, url=url)
    owner = make_engine(url)
    pg_roles.apply_roles(owner)
    owner.dispose()
    public_url = pg_cluster.url("portal_public", user=pg_roles.PUBLIC)
    settings = portal_settings(tmp_path / "home", database_url=url, public_database_url=public_url)
    with running_portal(settings) as server:
        c = server.client("analyst_public")
        for path in ("/api/public/trend?by=year", "/api/public/reports/admissions-releases", "/public"):
            assert c.get(path).status_code == 200, path
        cells = c.get("/api/public/trend?by=event_type").json()["cells"]
        assert cells and all(cell["n"] is None or cell["n"] >= T for cell in cells)
        owner = make_engine(url)
        with owner.connect() as conn:  # the portal's pool holds the public role's connection open
            users = conn.execute(text("SELECT usename FROM pg_stat_activity WHERE datname = 'portal_public'")).scalars().all()
        owner.dispose()
        assert pg_roles.PUBLIC in users
    public = make_engine(public_url)
    with public.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM anon_events")).scalar_one() > 0
    with pytest.raises(sqlalchemy.exc.ProgrammingError, match="permission denied"), public.connect() as conn:
        conn.execute(text("SELECT count(*) FROM events"))
    public.dispose()
