"""The privacy rules of the public views (DESIGN.md, "Privacy rules"), as pure functions.

- pseudonyms: keyed HMAC-SHA256 of the person id; the key comes from the environment or a key file
  in the data directory and is never stored in the database;
- generalization: age at event in bands, dates to months, and the coarser levels k-anonymity uses;
- small-cell suppression with complementary suppression for tables with margins;
- k-anonymity over quasi-identifiers: coarsen, then suppress rows, and say what was done;
- a row-level release beside the tables (table_safe_release) that tells nothing they hide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

KEY_ENV = "CROSSTRACK_PSEUDONYM_KEY"
KEY_FILE = "pseudonym.key"
THRESHOLD = 11  # cells with 1..THRESHOLD-1 are suppressed
K = 5
AUDIT_LPS = 40  # linear programs per round of joint suppression's audit (serving time)
ALL = "ALL"  # the label of a margin (total) in an aggregate table
ANY = "*"    # a value generalized away entirely
UNKNOWN = "unknown"

# ---------------------------------------------------------------- pseudonyms


def pseudonym_key(home: Path) -> bytes:
    """The HMAC key: CROSSTRACK_PSEUDONYM_KEY, else `home/pseudonym.key` (created 0600 on first use)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode()
    path = home / KEY_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    try:  # O_EXCL: two processes creating it at once agree on the first one's key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


def pseudonym(key: bytes, person_id: int) -> str:
    """A stable pseudonymous person key: 80 bits of HMAC-SHA256, hex (no collisions at state scale)."""
    return hmac.new(key, f"person:{person_id}".encode(), hashlib.sha256).hexdigest()[:20]


# ---------------------------------------------------------------- generalization

AGE_BANDS = ((0, 17, "<18"), (18, 20, "18-20"), (21, 24, "21-24"), (25, 29, "25-29"), (30, 34, "30-34"),
             (35, 44, "35-44"), (45, 54, "45-54"), (55, 200, "55+"))
# Each level merges whole bands of the level below, so coarsening never splits a class.
AGE_LEVELS = (
    {b: b for _, _, b in AGE_BANDS},
    {"<18": "<18", "18-20": "18-24", "21-24": "18-24", "25-29": "25-34", "30-34": "25-34", "35-44": "35-54",
     "45-54": "35-54", "55+": "55+"},
    {"<18": "<25", "18-20": "<25", "21-24": "<25", "25-29": "25-54", "30-34": "25-54", "35-44": "25-54",
     "45-54": "25-54", "55+": "55+"},
)
# Massachusetts counties to the regions of the state's regional planning.
REGIONS = {"Berkshire": "Western", "Franklin": "Western", "Hampden": "Western", "Hampshire": "Western",
           "Worcester": "Central", "Essex": "Northeast", "Middlesex": "Northeast", "Suffolk": "Metro Boston",
           "Norfolk": "Metro Boston", "Bristol": "Southeast", "Plymouth": "Southeast", "Barnstable": "Cape and Islands",
           "Dukes": "Cape and Islands", "Nantucket": "Cape and Islands"}
# Agencies to their kind, by the words their names carry (first match wins).
AGENCY_KINDS = (("parole", "parole"), ("probation", "probation"), ("sheriff", "sheriff"), ("house of correction", "sheriff"),
                ("correction", "corrections"), ("court", "court"), ("police", "police"), ("dcjis", "records"))


def age_band(dob: dt.date | None, on: dt.date | None) -> str:
    if dob is None or on is None:
        return UNKNOWN
    age = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    if age < 0:
        return UNKNOWN
    return next(b for lo, hi, b in AGE_BANDS if lo <= age <= hi)


def month(d: dt.date | None) -> str:
    return f"{d.year:04d}-{d.month:02d}" if d else UNKNOWN


def coarsen_month(m: str, level: int) -> str:
    """`YYYY-MM` at level 0 month, 1 quarter, 2 year, 3 decade, 4 nothing."""
    if m == UNKNOWN or level == 0:
        return m
    y, mo = m[:4], int(m[5:7])
    return (f"{y}-Q{(mo - 1) // 3 + 1}", y, f"{y[:3]}0s", ANY)[min(level, 4) - 1]


def coarsen_age(band: str, level: int) -> str:
    if band == UNKNOWN:
        return band
    return AGE_LEVELS[level][band] if level < len(AGE_LEVELS) else ANY


def coarsen_county(county: str, level: int) -> str:
    if level == 0 or county == UNKNOWN:
        return county
    return REGIONS.get(county, "Other") if level == 1 else ANY


def agency_kind(agency: str) -> str:
    low = agency.lower()
    return next((kind for word, kind in AGENCY_KINDS if word in low), "other")


def coarsen_agency(agency: str, level: int) -> str:
    if level == 0 or agency == UNKNOWN:
        return agency
    return agency_kind(agency) if level == 1 else ANY


def coarsen_plain(value: str, level: int) -> str:
    return value if level == 0 or value == UNKNOWN else ANY


# quasi-identifier → (how to coarsen one value to a level, the number of levels above the raw value)
HIERARCHIES = {
    "event_month": (coarsen_month, 4), "age_band": (coarsen_age, 3), "county": (coarsen_county, 2),
    "agency": (coarsen_agency, 2), "gender": (coarsen_plain, 1), "race": (coarsen_plain, 1),
    "ethnicity": (coarsen_plain, 1),
}
QUASI_IDENTIFIERS = ("event_month", "age_band", "gender", "race", "ethnicity", "county", "agency")

_DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?$")
SENTENCE_BANDS = ((0, "<6m"), (6, "6-12m"), (12, "1-2y"), (24, "2-5y"), (60, "5-10y"), (120, "10y+"))


def sentence_band(iso: str | None, life: bool = False) -> str:
    """An ISO 8601 duration (`P2Y6M`) to a coarse length band; `none` when there is no term."""
    if life:
        return "life"
    m = _DURATION.match(iso or "")
    if not iso or not m:
        return "none"
    y, mo, w, d = (float(g or 0) for g in m.groups())
    months = y * 12 + mo + (w * 7 + d) / 30.44
    return [b for lo, b in SENTENCE_BANDS if months >= lo][-1]


# ---------------------------------------------------------------- small-cell suppression


def primary_mask(counts: np.ndarray, threshold: int = THRESHOLD) -> np.ndarray:
    return (counts > 0) & (counts < threshold)


def thin_mask(counts: np.ndarray, threshold: int = THRESHOLD) -> np.ndarray:
    """Totals too thin to publish: counts in threshold..threshold+p-2 (p the audit's protection
    level). A published total caps every cell summed into it, so a small cell x inside a total
    below x + p loses its upper protection whatever else is hidden (a line [0, 3, 9 | 12]: the 9
    is at most 12). Small cells are below the threshold, so a total of threshold+p-1 or more
    never caps one; a thinner total might, in some finer table served now or later, and which
    finer tables is unknown when a small table is computed. Hiding every such count wherever it
    appears decides it from the count alone, the same in every table that shows the cell, so the
    small tables need nothing from the big ones. These cells need no protection of their own."""
    from .disclosure_audit import protection_level

    return (counts >= threshold) & (counts <= threshold + protection_level(threshold) - 2)


def with_margins(cells: np.ndarray) -> np.ndarray:
    """An n-D table of counts with its totals: index -1 on an axis is that axis's margin."""
    out = cells.astype(np.int64)
    for axis in range(cells.ndim):
        out = np.concatenate([out, out.sum(axis=axis, keepdims=True)], axis=axis)
    return out


def suppress(table: np.ndarray, threshold: int = THRESHOLD) -> np.ndarray:
    """The cells of a table with margins (`with_margins`) to suppress: every count in 1..threshold-1,
    margins included, and then complementary cells until no line (a row, a column, ... with its
    total) has exactly one suppressed entry, so none can be recovered by subtraction. Each
    complement is the line's smallest unsuppressed count, a non-zero one if it has any. In two
    dimensions that is not quite enough (a suppressed cell that joins two otherwise separate groups
    of suppressed cells is still determined by sums of lines), so those are closed as well."""
    mask = primary_mask(table, threshold)
    # ordering key: zeros last (suppressing a structural zero protects little), then by size
    cost = np.where(table > 0, table, np.iinfo(np.int64).max // 2).astype(np.int64)
    _close_lines(mask, cost)
    if table.ndim == 2:
        while _close_bridge(mask, cost):
            pass
    return mask


def _suppression_graph(mask: np.ndarray, skip: int | None = None) -> tuple[int, np.ndarray]:
    """Rows and columns as nodes, suppressed cells as edges; its connected components."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    r, c = np.nonzero(mask)
    if skip is not None:
        r, c = np.delete(r, skip), np.delete(c, skip)
    n = mask.shape[0] + mask.shape[1]
    graph = coo_matrix((np.ones(len(r)), (r, c + mask.shape[0])), shape=(n, n))
    return connected_components(graph, directed=False)


def _bridges(mask: np.ndarray) -> list[int]:
    """Indexes (into np.argwhere(mask)) of the suppression graph's bridges: Tarjan's low-link
    search, iterative, O(rows + columns + suppressed cells)."""
    rows = mask.shape[0]
    r, c = np.nonzero(mask)
    adj: list[list[tuple[int, int]]] = [[] for _ in range(rows + mask.shape[1])]
    for e, (i, j) in enumerate(zip(r.tolist(), c.tolist())):
        adj[i].append((rows + j, e))
        adj[rows + j].append((i, e))
    disc, low, clock, out = [-1] * len(adj), [0] * len(adj), 0, []
    for root in range(len(adj)):
        if disc[root] != -1 or not adj[root]:
            continue
        disc[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, iter(adj[root]))]
        while stack:
            v, via, edges = stack[-1]
            for w, e in edges:
                if e == via:
                    continue
                if disc[w] == -1:
                    disc[w] = low[w] = clock
                    clock += 1
                    stack.append((w, e, iter(adj[w])))
                    break
                low[v] = min(low[v], disc[w])
            else:
                stack.pop()
                if stack:
                    u = stack[-1][0]
                    low[u] = min(low[u], low[v])
                    if low[v] > disc[u]:
                        out.append(via)
    return out


def _close_bridge(mask: np.ndarray, cost: np.ndarray) -> bool:
    """A suppressed cell is exactly determined by the published lines iff it is a bridge of the
    suppression graph (it lies on no cycle). Close one bridge by suppressing the cheapest cell that
    joins its two sides; True when one was closed."""
    bridges = _bridges(mask)
    if not bridges:
        return False
    rows = mask.shape[0]
    e = bridges[0]
    i, j = np.argwhere(mask)[e]
    _, labels = _suppression_graph(mask, skip=e)
    r_in_b = labels[:rows] == labels[rows + j]
    c_in_a = labels[rows:] == labels[i]
    choice = np.where(np.outer(r_in_b, c_in_a) & ~mask, cost, np.iinfo(np.int64).max)
    pick = np.unravel_index(int(choice.argmin()), mask.shape)
    if choice[pick] == np.iinfo(np.int64).max:
        return False  # cannot happen when every line holds 0 or >= 2 suppressed cells
    mask[pick] = True
    return True


def _close_lines(mask: np.ndarray, cost: np.ndarray) -> None:
    """Suppress complements until no line has exactly one suppressed entry."""
    changed = True
    while changed:
        changed = False
        for axis in range(mask.ndim):
            lone = mask.sum(axis=axis) == 1
            for idx in map(tuple, np.argwhere(lone)):
                sl = list(idx)
                sl.insert(axis, slice(None))
                line_mask, line_cost = mask[tuple(sl)], cost[tuple(sl)]
                if line_mask.sum() != 1:  # an earlier fix in this pass already filled it
                    continue
                free = np.where(line_mask, np.iinfo(np.int64).max, line_cost)
                if free.min() == np.iinfo(np.int64).max:
                    continue  # a line of one cell: its total equals it and is suppressed with it
                pick = list(idx)
                pick.insert(axis, int(free.argmin()))
                mask[tuple(pick)] = True
                changed = True


def suppress_joint(cells: np.ndarray, threshold: int, margin_mask: Callable[[tuple[int, ...]], np.ndarray],
                   floor: np.ndarray | None = None, audit: bool = True, max_rounds: int = 30) -> np.ndarray:
    """The suppression mask of `with_margins(cells)` when every table over a subset of its axes is
    served too, each with its own mask: `margin_mask(axes)` gives that mask (with its margins, in
    the axes' order), computed the same way, so a margin is hidden here exactly when it is hidden
    there (a cell shown in one table and hidden in another is simply shown). Only interior cells
    are added here: primaries, thin totals (`thin_mask`: what lets the small tables be computed
    without the big ones), complements until no line has a lone suppressed entry, bridges
    (2-D), and then, until the interval audit (models.disclosure_audit) finds no primary cell
    whose feasible range over all these tables together is too narrow, the cheapest unsuppressed
    cell near each exposed one. `floor`: cells that must be hidden anyway (a table at a raised
    threshold hides at least what the default one does, so the two together tell nothing more)."""
    from .disclosure_audit import exposed_positions

    table = with_margins(cells)
    k = cells.ndim
    mask = np.zeros(table.shape, dtype=bool)
    if k == 1:
        mask |= primary_mask(table, threshold) | thin_mask(table, threshold)
    else:
        for r in range(1, k):
            for axes in itertools.combinations(range(k), r):
                mask[tuple(slice(None) if a in axes else -1 for a in range(k))] |= margin_mask(axes)
        mask[tuple(slice(0, n) for n in cells.shape)] |= primary_mask(cells, threshold) | thin_mask(cells, threshold)
    if floor is not None:
        mask |= floor
    interior = np.zeros(table.shape, dtype=bool)
    interior[tuple(slice(0, n) for n in cells.shape)] = True
    big = np.iinfo(np.int64).max
    cost = np.where(table > 0, table, big // 2).astype(np.int64)
    cost[~interior] = big  # margins are other tables' cells: never chosen here
    _close(mask, cost)
    exposed: list[tuple] | None = None
    for _ in range(max_rounds if audit else 0):
        # after the first round only the cells still exposed; LPs capped per round (a cell left
        # unproven counts as exposed, so the cap costs extra suppression, never protection)
        exposed = exposed_positions(table, mask, threshold, only=exposed, max_lps=AUDIT_LPS)
        if not exposed:
            break
        added = [c for p in exposed for c in _cheapest_near(p, mask, cost)]
        if not added:
            break  # nothing left to hide nearby: the audit will report it
        for c in added:
            mask[c] = True
        _close(mask, cost)
    return mask


def _close(mask: np.ndarray, cost: np.ndarray) -> None:
    _close_lines(mask, cost)
    if mask.ndim == 2:
        while _close_bridge(mask, cost):
            _close_lines(mask, cost)


def _cheapest_near(pos: tuple, mask: np.ndarray, cost: np.ndarray) -> list[tuple]:
    """Cells to hide for an exposed position. For an interior cell, the cheapest unsuppressed one
    on each line through it (which line binds is unknown, and a round per line is slow); for a
    margin, the cheapest among the interior cells summed into it. When those lines hold nothing
    to hide, the search spreads along the lines through the suppressed cells reached so far
    (where the mass that would widen the range has to come from), and takes the cheapest there."""
    inner = tuple(slice(0, n - 1) for n in mask.shape)
    top = np.iinfo(np.int64).max
    free = ~mask[inner]
    cost_in = cost[inner]

    def cheapest(where: np.ndarray) -> tuple | None:
        choice = np.where(where & free, cost_in, top)
        pick = np.unravel_index(int(choice.argmin()), choice.shape)
        return tuple(int(i) for i in pick) if choice[pick] < top else None

    region = np.zeros(free.shape, dtype=bool)
    region[tuple(slice(None) if p == n - 1 else p for p, n in zip(pos, mask.shape))] = True
    if region.sum() == 1:
        picks = []
        for a in range(region.ndim):
            line = np.zeros_like(region)
            line[tuple(slice(None) if b == a else pos[b] for b in range(region.ndim))] = True
            picks.append(cheapest(line))
        found = [p for p in picks if p is not None]
        if found:
            return found
    elif (pick := cheapest(region)) is not None:
        return [pick]
    for _ in range(2 * region.ndim + 2):
        lines = region.copy()
        for a in range(region.ndim):
            lines |= region.any(axis=a, keepdims=True)
        if (pick := cheapest(lines)) is not None:
            return [pick]
        region = lines
    return []


def lone_suppressed_lines(mask: np.ndarray) -> int:
    """Lines with exactly one suppressed entry (0 when complementary suppression holds)."""
    return int(sum((mask.sum(axis=a) == 1).sum() for a in range(mask.ndim)))


# ---------------------------------------------------------------- k-anonymity


@dataclass
class KAnonReport:
    k: int
    quasi_identifiers: tuple[str, ...]
    levels: dict[str, int] = field(default_factory=dict)  # QI → generalization level applied
    rows_in: int = 0
    rows_suppressed: int = 0
    smallest_class: int = 0  # distinct people in the smallest released class
    min_events: int = 0  # events a class must hold as well (table_safe_release), 0: no such rule

    @property
    def coarsened(self) -> dict[str, int]:
        return {q: lvl for q, lvl in self.levels.items() if lvl}

    def describe(self) -> str:
        parts = [f"{q} coarsened to level {lvl}" for q, lvl in self.coarsened.items()]
        if self.rows_suppressed:
            parts.append(f"{self.rows_suppressed} of {self.rows_in} rows suppressed")
        done = "; ".join(parts) if parts else "nothing to do"
        events = f" and {self.min_events} events" if self.min_events else ""
        return (f"k-anonymity (k={self.k} distinct people{events} per class) over "
                f"{', '.join(self.quasi_identifiers)}: {done}")

    def as_dict(self) -> dict:
        return {"k": self.k, "quasi_identifiers": list(self.quasi_identifiers), "coarsened": self.coarsened,
                "rows_in": self.rows_in, "rows_suppressed": self.rows_suppressed, "smallest_class": self.smallest_class,
                "min_events": self.min_events}


def class_sizes(df: pd.DataFrame, qis: list[str], person: str | None) -> pd.Series:
    """Each row's equivalence-class size: distinct people when `person` is given, else rows."""
    codes = [pd.factorize(df[q], use_na_sentinel=False)[0] for q in qis]
    who = pd.factorize(df[person], use_na_sentinel=False)[0] if person else None
    return pd.Series(_sizes(codes, who), index=df.index)


def _sizes(codes: list[np.ndarray], who: np.ndarray | None) -> np.ndarray:
    """Class sizes from integer-coded QI columns (and person codes): numpy only, so the greedy
    search below can afford to try every QI at every step."""
    key = np.zeros(len(codes[0]) if codes else 0, dtype=np.int64)
    for c in codes:  # mixed radix, re-densified each step so it cannot overflow
        key = np.unique(key * (int(c.max(initial=0)) + 1) + c, return_inverse=True)[1].astype(np.int64)
    if who is None:
        return np.bincount(key)[key]
    width = int(who.max(initial=0)) + 1
    pairs = np.unique(key * width + who)  # each (class, person) once
    return np.bincount(pairs // width, minlength=int(key.max(initial=0)) + 1)[key]


def is_k_anonymous(df: pd.DataFrame, qis: list[str], k: int = K, person: str | None = "pseudonym") -> bool:
    return df.empty or int(class_sizes(df, qis, person).min()) >= k


class _Coded:
    """A QI column factorized once; each generalization level is a lookup on its codes."""

    def __init__(self, values: pd.Series, q: str):
        self.codes, self.uniques = pd.factorize(values.astype(str), use_na_sentinel=False)
        self.fn = HIERARCHIES[q][0]

    def values_at(self, level: int) -> np.ndarray:
        return np.array([self.fn(u, level) for u in self.uniques], dtype=object)

    def codes_at(self, level: int) -> np.ndarray:
        if level == 0:
            return self.codes
        return pd.factorize(self.values_at(level))[0][self.codes]


def k_anonymize(df: pd.DataFrame, qis: tuple[str, ...] = QUASI_IDENTIFIERS, k: int = K,
                person: str | None = "pseudonym", max_suppress: float = 0.02) -> tuple[pd.DataFrame, KAnonReport]:
    """Make `df` k-anonymous over `qis`: a class (rows sharing their QI values) must hold at least k
    distinct people. Greedy full-domain generalization: while more than `max_suppress` of the rows
    sit in small classes, raise the one QI whose next level leaves the fewest such rows; then drop
    the rows still in small classes. Returns the released rows and what was done."""
    qis = tuple(q for q in qis if q in df.columns)
    report = KAnonReport(k=k, quasi_identifiers=qis, levels={q: 0 for q in qis}, rows_in=len(df))
    if df.empty or not qis:
        return df, report
    coded = {q: _Coded(df[q], q) for q in qis}
    who = pd.factorize(df[person], use_na_sentinel=False)[0] if person else None

    def sizes(levels: dict[str, int]) -> np.ndarray:
        return _sizes([coded[q].codes_at(levels[q]) for q in qis], who)

    bad = int((sizes(report.levels) < k).sum())
    while bad > max_suppress * len(df):
        options = [q for q in qis if report.levels[q] < HIERARCHIES[q][1]]
        if not options:
            break
        trials = {q: int((sizes({**report.levels, q: report.levels[q] + 1}) < k).sum()) for q in options}
        best = min(options, key=lambda q: (trials[q], report.levels[q]))
        report.levels[best] += 1
        bad = trials[best]
    final = sizes(report.levels)
    keep = final >= k
    out = df[keep].copy()
    for q in qis:
        if report.levels[q]:
            out[q] = coded[q].values_at(report.levels[q])[coded[q].codes[keep]]
    report.rows_suppressed = int((~keep).sum())
    report.smallest_class = int(final[keep].min()) if keep.any() else 0
    return out, report


# ---------------------------------------------------------------- a row-level release beside the tables

# A released column's levels: the aggregates' own detail, or nothing (event_month may keep its
# quarter or year first, both finer than the aggregates' year). No level merges values the
# aggregates count apart (no region, agency kind, age range or decade): such a level would publish
# new totals (a region = the sum of its counties) that the tables' suppression never accounted for.
RELEASE_LEVELS = {"event_month": 3}


def release_value(column: str, value: str, level: int) -> str:
    if level == 0:
        return value
    if column == "event_month" and level < RELEASE_LEVELS[column]:
        return coarsen_month(value, level)
    return ANY


def release_floor(threshold: int = THRESHOLD) -> int:
    """The fewest events a released class may hold: the smallest total the tables publish
    (threshold + p - 1, see thin_mask)."""
    from .disclosure_audit import protection_level

    return threshold + protection_level(threshold) - 1


def table_safe_release(df: pd.DataFrame, columns: tuple[str, ...], k: int = K, threshold: int = THRESHOLD,
                       person: str = "pseudonym") -> tuple[pd.DataFrame, KAnonReport]:
    """Rows released beside the suppressed tables, telling nothing about any cell the tables hide.

    Counting a release's rows gives counts of the tables' cells: a k-anonymous release at month,
    county and agency detail gives every suppressed cell exactly (or, with rows dropped, a lower
    bound, and through a published total an upper bound on its neighbour). Statistical agencies
    release microdata beside tables as a coarser product whose every figure the tables could have
    published; so here every released column is a quasi-identifier, a class (rows equal in every
    released column) must hold at least `release_floor(threshold)` events and k distinct people,
    and classes are made big enough only by dropping a column's detail entirely (RELEASE_LEVELS),
    never by dropping rows. Then the release is exactly the table over its kept columns, every
    cell 0 or a total the tables would publish, so no total within it is thin and nothing in it is
    suppressed; against any published family it shares only the table over their common
    dimensions, which has no small cell either, and any table the family allows extends to one
    consistent with the release (join the two within each common cell), so the release narrows no
    suppressed cell's range. Greedy: while a class is too small, drop (or coarsen) the column that
    leaves the fewest rows in small classes. `person` values are replaced by fresh random tokens,
    so a released row cannot be followed to the public timeline (which shows full detail)."""
    cols = tuple(c for c in columns if c in df.columns and c != person)
    floor = release_floor(threshold)
    report = KAnonReport(k=k, quasi_identifiers=cols, levels={c: 0 for c in cols}, rows_in=len(df))
    if df.empty:
        return df, report
    uniques, codes = {}, {}
    for c in cols:
        codes[c], uniques[c] = pd.factorize(df[c].astype(str), use_na_sentinel=False)
    who = pd.factorize(df[person], use_na_sentinel=False)[0]

    def at(c: str, level: int) -> np.ndarray:
        if level == 0:
            return codes[c]
        return pd.factorize(np.array([release_value(c, u, level) for u in uniques[c]], dtype=object))[0][codes[c]]

    def bad(levels: dict[str, int]) -> int:
        keys = [at(c, levels[c]) for c in cols]
        rows, people = _sizes(keys, None), _sizes(keys, who)
        return int(((rows < floor) | (people < k)).sum())

    left = bad(report.levels)
    while left:
        options = [c for c in cols if report.levels[c] < RELEASE_LEVELS.get(c, 1)]
        if not options:
            break
        trials = {c: bad({**report.levels, c: report.levels[c] + 1}) for c in options}
        best = min(options, key=lambda c: (trials[c], report.levels[c]))
        report.levels[best] += 1
        left = trials[best]
    if left:  # every column dropped and still too few events or people: nothing can go out
        return df.iloc[:0], report
    out = df.copy()
    for c in cols:
        if report.levels[c]:
            out[c] = np.array([release_value(c, u, report.levels[c]) for u in uniques[c]], dtype=object)[codes[c]]
    tokens = np.array([secrets.token_hex(10) for _ in range(int(who.max()) + 1)], dtype=object)
    out[person] = tokens[who]
    sort = [person] + (["seq"] if "seq" in out.columns else [])
    out = out.sort_values(sort, kind="stable").reset_index(drop=True)
    keys = [at(c, report.levels[c]) for c in cols]
    report.smallest_class = int(_sizes(keys, who).min())
    report.min_events = floor
    return out, report
