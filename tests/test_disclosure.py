"""Small-cell suppression that holds across tables: the interval (LP) audit finds a cell that
per-table suppression gives away when two tables are put together; joint suppression closes it;
every table set the portal serves for a family of dimensions passes the audit, on a real
repository through the real portal; and charts draw a suppressed cell as a gap, never a zero,
with age bands in numeric order."""

from __future__ import annotations

import html
import itertools
import json
import re
from dataclasses import dataclass

import numpy as np
import pytest
from typer.testing import CliRunner

from models import privacy, views
from models import disclosure_audit as da
from models.disclosure_audit import audit_tables, protection_level
from portal import charts, queries

T = privacy.THRESHOLD
# A 3x3 table (A down, B across) whose cell (a0, b2) = 3. Suppressed on its own, the two-way
# table hides the margin A=a1 (13) as a complement; the one-way table by A, suppressed on its own,
# shows it. With it, row a1 = [0, 0, x] gives x = 13, and column b2 then gives (a0, b2) = 3.
CELLS = np.array([[26, 6, 3], [0, 0, 13], [4, 6, 16]])
A, B = ("a0", "a1", "a2"), ("b0", "b1", "b2")


@dataclass
class Table:
    dims: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    counts: np.ndarray
    mask: np.ndarray


def alone(cells: np.ndarray, dims: tuple[str, ...], labels: tuple) -> Table:
    t = privacy.with_margins(cells)
    return Table(dims, tuple(tuple(lab) + (privacy.ALL,) for lab in labels), t, privacy.suppress(t))


def jointly(cells: np.ndarray, dims: tuple[str, ...], labels: tuple, memo: dict) -> Table:
    t = privacy.with_margins(cells)
    return Table(dims, tuple(tuple(lab) + (privacy.ALL,) for lab in labels), t,
                 views.joint_mask(cells, dims, T, memo))


def test_per_table_suppression_leaks_a_cell_that_the_audit_recovers():
    ab, a, b = alone(CELLS, ("A", "B"), (A, B)), alone(CELLS.sum(1), ("A",), (A,)), alone(CELLS.sum(0), ("B",), (B,))
    assert ab.mask[0, 2] and ab.mask[1, -1] and not a.mask[1]  # hidden in one table, shown in the other
    for t in (ab, a, b):  # each table on its own protects every small cell
        assert audit_tables([t], T, exact=True).ok
    audit = audit_tables([ab, a, b], T, exact=True)
    leaked = {tuple(x.cell.values()): x for x in audit.exposed}
    assert ("a0", "b2") in leaked
    cell = leaked[("a0", "b2")]
    assert cell.value == 3 and cell.lo == cell.hi == 3 and cell.exact  # recovered exactly
    assert audit.tables == 3 and audit.primary >= 1 and audit.lps > 0


def test_joint_suppression_passes_the_audit_and_hides_the_leaked_value():
    memo: dict = {}
    ab = jointly(CELLS, ("A", "B"), (A, B), memo)
    a = jointly(CELLS.sum(1), ("A",), (A,), {})  # computed apart: the same mask all the same
    b = jointly(CELLS.sum(0), ("B",), (B,), {})
    assert (ab.mask[:, -1] == a.mask).all() and (ab.mask[-1, :] == b.mask).all()
    audit = audit_tables([ab, a, b], T, exact=True)
    assert audit.ok, [x.as_dict() for x in audit.exposed]
    p = protection_level(T)
    bound = next(x for x in audit.bounds if x.cell == {"A": "a0", "B": "b2"})
    assert bound.lo == 0 and (bound.hi is None or bound.hi >= 3 + p)
    # the margin a1 = 13 is a thin total (below 11 + p - 1): hidden in both tables, and the 13 inside it
    assert ab.mask[1, -1] and a.mask[1] and ab.mask[1, 2]
    # every small cell is still hidden, and no line has a lone hidden cell
    assert (ab.mask >= privacy.primary_mask(ab.counts)).all() and privacy.lone_suppressed_lines(ab.mask) == 0


def test_audit_flags_two_small_cells_that_only_hide_each_other():
    """[3, 2, 40, 50]: suppressing 3 and 2 leaves no lone cell, but their sum, 5, tells each is
    at most 5: below the upper protection level (3 + 4). Joint suppression adds the 40."""
    cells = np.array([3, 2, 40, 50])
    t = privacy.with_margins(cells)
    per_table = Table(("A",), (("a", "b", "c", "d", privacy.ALL),), t, privacy.suppress(t))
    assert per_table.mask.tolist() == [True, True, False, False, False]
    audit = audit_tables([per_table], T)
    assert {x.cell["A"]: (x.lo, x.hi) for x in audit.exposed} == {"a": (0, 5), "b": (0, 5)}
    fixed = Table(per_table.dims, per_table.labels, t, views.joint_mask(cells, ("A",), T, {}))
    assert fixed.mask.tolist() == [True, True, True, False, False]
    assert audit_tables([fixed], T).ok


def test_a_raised_threshold_hides_at_least_what_the_default_hides():
    rng = np.random.default_rng(5)
    cells = rng.integers(0, 60, (6, 5))
    memo: dict = {}
    default = views.joint_mask(cells, ("A", "B"), T, memo)
    raised = views.joint_mask(cells, ("A", "B"), 30, memo)
    assert (raised >= default).all() and raised.sum() > default.sum()


# ---------------------------------------------------------------- the portal's tables

@pytest.mark.parametrize("dims", [("year", "county"), ("race", "offence_category"), ("county", "age_band"),
                                  ("year", "county", "event_type"), ("age_band", "gender", "offence_category")])
def test_every_table_set_the_portal_serves_passes_the_audit(analyst_engine, dims):
    tables = queries.published_family(analyst_engine, dims)
    assert len(tables) == 2 ** len(dims) - 1
    audit = audit_tables(tables, T)
    assert audit.primary > 0  # there is something to protect
    assert audit.ok, [x.as_dict() for x in audit.exposed]


def test_served_trends_and_cohorts_agree_cell_for_cell(analyst_portal, analyst_engine):
    """Through the running portal: a margin is hidden in the two-way table exactly when the
    one-way table hides it, in either order of the dimensions, and a cohort (a filter) shows the
    same cells as the column of the two-way table it slices."""
    c = analyst_portal.client("analyst_public")
    try:
        by_year = {x["year"]: x for x in c.get("/api/public/trend", params={"by": "year"}).json()["cells"]}
        pair = c.get("/api/public/trend", params={"by": "year", "series": "county"}).json()["cells"]
        swapped = c.get("/api/public/trend", params={"by": "county", "series": "year"}).json()["cells"]
        suffolk = c.get("/api/public/trend", params={"by": "year", "county": "Suffolk"}).json()["cells"]
    finally:
        c.close()
    margin = {x["year"]: x for x in pair if x["county"] == privacy.ALL}
    assert margin.keys() == by_year.keys()
    assert all((margin[y]["n"], margin[y]["suppressed"]) == (by_year[y]["n"], by_year[y]["suppressed"]) for y in margin)
    assert {(x["year"], x["county"], x["n"]) for x in pair} == {(x["year"], x["county"], x["n"]) for x in swapped}
    column = {x["year"]: x["n"] for x in pair if x["county"] == "Suffolk"}
    assert {x["year"]: x["n"] for x in suffolk} == column
    assert any(x["suppressed"] for x in pair) and not any(x["n"] is not None and 0 < x["n"] < T for x in pair)


def test_views_audit_cli(analyst_portal):
    from flows.cli import app

    home = analyst_portal.settings.home
    result = CliRunner().invoke(app, ["views", "audit", "--database-url", f"sqlite:///{home / 'crosstrack.db'}",
                                      "--cohort", "year,county,event_type"], env={"CROSSTRACK_HOME": str(home)})
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["families"] == 78 + 1 and summary["tables"] == 78 * 3 + 7
    assert summary["exposed"] == 0 and summary["primary"] > 100 and summary["suppressed"] >= summary["primary"]


def _release_table(df, dims: tuple[str, ...], family: views.AggregateTable) -> Table:
    """The counts a release's rows give by `dims` (month read as its year), as a table with margins
    on the family's labels, every cell published: what an attacker adds to the family's tables."""
    cols = [df["event_month"].str[:4] if d == "year" else df[views.DIMENSIONS[d]] for d in dims]
    got = df.groupby(cols).size()
    labels = tuple(family.labels[family.dims.index(d)] for d in dims)
    cells = np.zeros([len(lab) - 1 for lab in labels], dtype=np.int64)
    for key, n in got.items():
        key = key if isinstance(key, tuple) else (key,)
        cells[tuple(lab.index(str(v)) for lab, v in zip(labels, key))] = n
    t = privacy.with_margins(cells)
    return Table(dims, labels, t, np.zeros(t.shape, bool))


def test_a_naive_k_anonymous_release_gives_hidden_cells_away(analyst_engine):
    """k-anonymity over the demographic quasi-identifiers leaves offence category and disposition
    at full detail: counting the released rows reads off cells the dispositions table hides."""
    naive, _ = privacy.k_anonymize(views.anonymized_frame(analyst_engine), privacy.QUASI_IDENTIFIERS, privacy.K)
    table = queries.published_family(analyst_engine, ("offence_category", "disposition"))[0]
    counted = naive.groupby(["offence_category", "disposition"]).size()
    p = protection_level(T)
    leaks = [(a, b, int(table.counts[i, j]), int(counted.get((a, b), 0)))
             for i, a in enumerate(table.labels[0][:-1]) for j, b in enumerate(table.labels[1][:-1])
             if table.mask[i, j] and 0 < table.counts[i, j] < T
             and counted.get((a, b), 0) > max(0, table.counts[i, j] - p)]  # a lower bound too high
    assert len(leaks) >= 5, leaks
    assert sum(true == seen for *_, true, seen in leaks) >= 5  # most of them exactly


@pytest.mark.parametrize("dims", [("offence_category", "disposition"), ("county", "sentence_type"),
                                  ("year", "county", "event_type")])
def test_the_released_dataset_narrows_no_hidden_cell(analyst_engine, dims):
    """The download, counted by every dimension it keeps, joins the family's tables in the audit:
    no suppressed cell's range narrows, and the cells it determines are all published already."""
    released, rep = queries.released_dataset(analyst_engine)
    assert rep.rows_suppressed == 0 and len(released) == rep.rows_in
    kept = tuple(d for d in dims if (views.DIMENSIONS[d] if d != "year" else "event_month") not in rep.coarsened
                 or (d == "year" and rep.levels["event_month"] < privacy.RELEASE_LEVELS["event_month"]))
    family = queries.published_family(analyst_engine, dims)
    for d in [d for d in views.DIMENSIONS if d != "year"]:  # whole columns kept or dropped, nothing between
        col = released[views.DIMENSIONS[d]]
        assert (col == privacy.ANY).all() or not (col == privacy.ANY).any()
    classes = released.groupby(list(queries.RELEASE_COLUMNS)).agg(n=("seq", "size"), people=("pseudonym", "nunique"))
    assert classes["n"].min() >= privacy.release_floor(T) and classes["people"].min() >= privacy.K
    extra = [_release_table(released, sub, family[0]) for r in range(len(kept), 0, -1)
             for sub in itertools.combinations(kept, r)]
    for t in extra:  # what the release determines is published, and equal, in the family's own table
        served = next(f for f in family if set(f.dims) == set(t.dims))
        order = [served.dims.index(d) for d in t.dims]
        assert (served.counts.transpose(order) == t.counts).all() and not served.mask.any()
    audit = audit_tables(family + extra, T)
    assert audit.primary > 0 and audit.ok, [x.as_dict() for x in audit.exposed]


# ---------------------------------------------------------------- charts

def _cells(xs, values, dim="year"):
    return [{dim: x, "n": v, "suppressed": v is None} for x, v in zip(xs, values)] + \
        [{dim: privacy.ALL, "n": sum(v or 0 for v in values), "suppressed": False}]


@pytest.mark.parametrize("dim", ["year", "county"])  # a line chart, a bar chart
def test_a_suppressed_cell_is_a_marked_gap_not_a_zero(dim):
    xs = ["1980", "1981", "1982", "1983"]
    svg = charts.trend_svg(_cells(xs, [40, None, 55, 61], dim), (dim,), "t")
    assert 'id="suppressed-1"' in svg
    assert not re.search(r'id="suppressed-[023]"', svg)
    shown = charts.trend_svg(_cells(xs, [40, 0, 55, 61], dim), (dim,), "t")  # a true zero is not marked
    assert "suppressed-" not in shown


def test_age_bands_sort_by_number():
    bands = ["55+", "10-17", "100+", "18-20", "<18", "21-24", "unknown", "35-44"]
    assert sorted(bands, key=lambda v: charts.sort_key("age_band", v)) == \
        ["<18", "10-17", "18-20", "21-24", "35-44", "55+", "100+", "unknown"]
    assert sorted(["10y+", "1-2y", "<6m", "6-12m", "life", "5-10y", "2-5y"],
                  key=lambda v: charts.sort_key("sentence_band", v)) == \
        ["<6m", "6-12m", "1-2y", "2-5y", "5-10y", "10y+", "life"]
    svg = charts.trend_svg(_cells(["18-20", "55+", "<18", "100+", "10-17"], [20, 30, 40, 12, 15], "age_band"),
                           ("age_band",), "t")
    ticks = [m for m in map(html.unescape, re.findall(r"<!-- (.*?) -->", svg))
             if m in ("<18", "10-17", "18-20", "55+", "100+")]
    assert ticks[:5] == ["<18", "10-17", "18-20", "55+", "100+"]


@pytest.mark.parametrize("shape,seed,frac", [((9, 7), 1, 0.15), ((7, 6, 5), 2, 0.3), ((6, 5, 4), 3, 0.3)])
def test_box_proofs_agree_with_the_lp(shape, seed, frac):
    """Every move a box proof (one box, or several together) claims, the exact LP confirms: the
    attacker's max reaches x + p, or the min reaches max(0, x - p). Hidden cells are drawn at
    random, margins included, so boxes with margin corners are tried too."""
    rng = np.random.default_rng(seed)
    table = privacy.with_margins(rng.poisson(12, shape))
    hidden = rng.random(table.shape) < frac
    hidden |= privacy.primary_mask(table)
    published = ~hidden
    p = protection_level(T)
    coords, lo, hi, _, exact, _, _ = da.audit_family(table, published, hidden, T, exact=True)
    assert all(exact)
    at = {c: (lo_, hi_) for c, lo_, hi_ in zip(coords, lo, hi)}
    targets = [c for c in coords if 1 <= table[c] < T]
    claims = 0
    for greedy in (False, True):
        up, down = da.box_proofs(table, published, targets, p, per_axis=8, greedy=greedy)
        for c, u, d in zip(targets, up, down):
            lo_, hi_ = at[c]
            x = int(table[c])
            if u:
                assert hi_ < 0 or hi_ >= x + p, (c, x, lo_, hi_)
            if d:
                assert lo_ <= max(0, x - p), (c, x, lo_, hi_)
            claims += int(u) + int(d)
    assert claims > len(targets) // 2  # the proofs do prove things here (one box, or several)
    narrow = [c for c in targets if 0 <= at[c][1] < table[c] + p or at[c][0] > max(0, table[c] - p)]
    assert narrow  # and some cells are not protected: a wrong proof would show


def test_a_table_whose_boxes_prove_every_cell_needs_no_lp():
    """All interior cells of a 3-way table hidden (each a primary 5 >= p), every margin shown:
    each cell sits in 2x2x2 boxes of hidden cells, so the audit proves all of them without one
    LP, and the exact LP agrees that nothing is exposed."""
    table = privacy.with_margins(np.full((6, 5, 4), 5))
    hidden = np.zeros(table.shape, bool)
    hidden[:-1, :-1, :-1] = True
    _, _, _, exposed, _, n, lps = da.audit_family(table, ~hidden, hidden, T)
    assert n == 6 * 5 * 4 and not exposed.any()
    assert lps == 0
    _, _, _, exposed_exact, _, _, lps_exact = da.audit_family(table, ~hidden, hidden, T, exact=True)
    assert not exposed_exact.any() and lps_exact >= 2 * 6 * 5 * 4


def test_a_box_whose_falling_corners_hold_too_little_proves_nothing():
    """[[3, 2], [2, 20]] all hidden, margins shown: raising the 3 by p = 4 would take 4 from each 2,
    which they do not hold, so no box may claim it (the LP caps it at 5); lowering it to 0 takes 3
    from the 20 and is a sound claim."""
    table = privacy.with_margins(np.array([[3, 2], [2, 20]]))
    hidden = np.zeros(table.shape, bool)
    hidden[:2, :2] = True
    p = protection_level(T)
    up, down = da.box_proofs(table, ~hidden, [(0, 0), (0, 1)], p, per_axis=8, greedy=True)
    assert list(up) == [False, False] and bool(down[0])
    _, _, _, exposed, _, _, _ = da.audit_family(table, ~hidden, hidden, T)
    assert exposed.any()
