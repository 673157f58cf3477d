"""An interval (linear programming) disclosure audit of published count tables.

The published tables of one *family* are sums over one finest cross-classification: every table
over a subset of the family's dimensions is a margin of the table over all of them (its
"interior" cells are the finest cells). An attacker who knows every published value, across all
the family's tables at once, and that counts are non-negative, can bound each suppressed cell:
its least and greatest value over that polytope, found here with scipy's linprog (HiGHS).

Protection rule (tau-ARGUS's upper and lower protection levels for the minimum-frequency rule,
with its safety range as a share of the threshold): a primary cell, a count x in 1..threshold-1,
is protected when the attacker's interval reaches at least p above it and p below it (or to 0),
p = ceil(threshold * SAFETY / 100): max >= x + p and min <= max(0, x - p). Bounds are compared as
integers (the LP's max floored, its min ceiled), since counts are whole. A cell pinned exactly,
or narrowed inside the small range (say [2, 6] for a 4), is exposed. Complements (suppressed
cells of threshold or more) need no protection of their own.

To keep it fast, protection is first proven with witnesses: one LP that pushes the sum of every
unproven primary cell up (or down) proves each cell that reaches its level at that point; only
cells no witness proves get their own LP, whose optimum is then their exact bound. `exact=True`
solves two LPs for every suppressed cell (complements included) instead.

Pure functions over numpy arrays; the tables' labels are only carried into the report.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

SAFETY = 30  # percent of the threshold: the protection level each side of a primary cell
ALL = "ALL"  # a margin's label (models.privacy.ALL; not imported, so privacy can import this module)
TOL = 1e-6


def protection_level(threshold: int, safety: int = SAFETY) -> int:
    return max(1, math.ceil(threshold * safety / 100))


class TableLike(Protocol):
    """A published table with margins (models.views.AggregateTable): each axis's labels end in ALL."""
    dims: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    counts: np.ndarray
    mask: np.ndarray


@dataclass
class CellBound:
    cell: dict[str, str]  # dimension → value (ALL for a margin)
    value: int
    lo: int
    hi: int | None  # None: unbounded above
    primary: bool
    exposed: bool
    exact: bool  # lo/hi are the attacker's true bounds (False: a witness proved the interval at least this wide)

    def as_dict(self) -> dict:
        return {"cell": self.cell, "value": self.value, "lo": self.lo, "hi": self.hi, "primary": self.primary,
                "exposed": self.exposed, "exact": self.exact}


@dataclass
class Audit:
    dims: tuple[str, ...]
    threshold: int
    protection: int
    tables: int = 0
    cells: int = 0        # distinct published positions (a margin served in two tables counts once)
    suppressed: int = 0   # distinct positions suppressed in at least one table
    primary: int = 0      # of them, counts in 1..threshold-1
    variables: int = 0    # unknown finest cells in the LPs
    lps: int = 0
    seconds: float = 0.0
    bounds: list[CellBound] = field(default_factory=list)

    @property
    def exposed(self) -> list[CellBound]:
        return [b for b in self.bounds if b.exposed]

    @property
    def ok(self) -> bool:
        return not self.exposed

    def as_dict(self) -> dict:
        return {"dims": list(self.dims), "threshold": self.threshold, "protection": self.protection,
                "tables": self.tables, "cells": self.cells, "suppressed": self.suppressed, "primary": self.primary,
                "variables": self.variables, "exposed": len(self.exposed), "lps": self.lps,
                "seconds": round(self.seconds, 3), "exposed_cells": [b.as_dict() for b in self.exposed[:20]]}


# ---------------------------------------------------------------- the linear system

def _system(values: np.ndarray, published: np.ndarray, targets: np.ndarray):
    """For a table with margins (`values`, index -1 on an axis = its margin): the unknown finest
    cells (interior and not published), the published equalities over them (A y = b), and each
    target position as a row over them plus a constant (its value = R y + c)."""
    k = values.ndim
    inner = tuple(slice(0, n - 1) for n in values.shape)
    free_coords = np.argwhere(~published[inner])  # (n_free, k)
    truth = values[inner][tuple(free_coords.T)].astype(float)
    n = len(free_coords)
    rows, cols = [], []
    for r in range(k + 1):  # each kind of position: the axes summed over (set to ALL)
        for summed in itertools.combinations(range(k), r):
            c = free_coords.copy()
            for a in summed:
                c[:, a] = values.shape[a] - 1
            rows.append(np.ravel_multi_index(tuple(c.T), values.shape) if n else np.zeros(0, dtype=np.int64))
            cols.append(np.arange(n))
    pos = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    col = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    touched, inv = np.unique(pos, return_inverse=True)
    m = sparse.csr_matrix((np.ones(len(pos)), (inv, col)), shape=(len(touched), n))
    pub_rows = np.flatnonzero(published.ravel()[touched])
    a_eq = m[pub_rows]
    b_eq = a_eq @ truth
    tpos = np.flatnonzero(targets.ravel())
    at = np.searchsorted(touched, tpos)
    hit = (at < len(touched)) & (touched[np.minimum(at, len(touched) - 1)] == tpos) if len(touched) else \
        np.zeros(len(tpos), bool)
    pick = sparse.csr_matrix((np.ones(hit.sum()), (np.flatnonzero(hit), at[hit])), shape=(len(tpos), len(touched)))
    r_t = (pick @ m).tocsr()
    const = values.ravel()[tpos].astype(float) - r_t @ truth
    return a_eq, b_eq, r_t, const, tpos, free_coords


class _Solver:
    def __init__(self, a_eq, b_eq, n: int, upper: float):
        self.a_eq = a_eq if a_eq.shape[0] else None
        self.b_eq = b_eq if a_eq.shape[0] else None
        self.n, self.upper, self.calls = n, upper, 0
        self.truth = np.zeros(n)

    def point(self, c: np.ndarray) -> np.ndarray:
        """The minimizer of c·y over the published polytope (0 <= y <= upper)."""
        if self.n == 0:
            return np.zeros(0)
        self.calls += 1
        res = linprog(c, A_eq=self.a_eq, b_eq=self.b_eq, bounds=(0, self.upper), method="highs")
        if res.status != 0:
            raise RuntimeError(f"disclosure audit: the published values admit no table ({res.message})")
        return res.x


def _bounds(solver: _Solver, r_t, const: np.ndarray, need_up: np.ndarray, need_lo: np.ndarray,
            exact: bool, max_lps: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each target's proven (or exact) highest and lowest value, and whether they are exact. Past
    `max_lps` LPs, a cell not yet proven keeps the value it has at the truth (so it reads exposed:
    the caller hides more, the safe side)."""
    t = r_t.shape[0]
    hi, lo = np.full(t, -np.inf), np.full(t, np.inf)
    exact_up, exact_lo = np.zeros(t, bool), np.zeros(t, bool)
    empty = np.asarray(r_t.getnnz(axis=1)).ravel() == 0
    hi[empty] = lo[empty] = const[empty]  # no unknown cell in it: pinned
    exact_up[empty] = exact_lo[empty] = True
    for sign, best, need, done in ((-1, hi, need_up, exact_up), (1, lo, need_lo, exact_lo)):
        pending = np.flatnonzero(~empty)
        while pending.size and not exact and (max_lps is None or solver.calls < max_lps):  # witnesses
            y = solver.point(sign * np.asarray(r_t[pending].sum(axis=0)).ravel())
            v = r_t[pending] @ y + const[pending]
            best[pending] = np.maximum(best[pending], v) if sign < 0 else np.minimum(best[pending], v)
            ok = v >= need[pending] - TOL if sign < 0 else v <= need[pending] + TOL
            if not ok.any():
                break
            pending = pending[~ok]
        for i in pending:  # the rest: an LP each, their exact bound
            if max_lps is not None and solver.calls >= max_lps:
                best[i] = const[i] + float((r_t[i] @ solver.truth)[0])
                continue
            y = solver.point(sign * r_t[i].toarray().ravel())
            best[i] = float((r_t[i] @ y)[0]) + const[i]
            done[i] = True
    return hi, lo, exact_up & exact_lo


def audit_family(values: np.ndarray, published: np.ndarray, suppressed: np.ndarray, threshold: int,
                 safety: int = SAFETY, exact: bool = False, only: np.ndarray | None = None,
                 max_lps: int | None = None) -> tuple[list[tuple], np.ndarray, np.ndarray,
                                                                     np.ndarray, np.ndarray, int, int]:
    """The core audit over one family's table with margins: `published` positions are known (shown
    in some table), `suppressed` ones hidden in some table. Returns each audited position (primary
    ones, or every suppressed one when exact), its integer bounds lo/hi (hi -1: unbounded), whether
    it is exposed, whether the bounds are exact, and the number of unknowns and of LPs solved."""
    p = protection_level(threshold, safety)
    primary_any = (values >= 1) & (values < threshold)
    # a position hidden in one table and shown in another is known: its equality pins it below
    targets = (primary_any | exact) & suppressed
    if only is not None:
        targets &= only
    a_eq, b_eq, r_t, const, tpos, free_coords = _system(values, published, targets)
    n = len(free_coords)
    upper = float(values.max(initial=0)) + threshold + p + 1  # above any level a witness must reach
    solver = _Solver(a_eq, b_eq, n, upper)
    solver.truth = values[tuple(slice(0, m - 1) for m in values.shape)][tuple(free_coords.T)].astype(float)
    x = values.ravel()[tpos].astype(float)
    hi, lo, ex = _bounds(solver, r_t, const, x + p, np.maximum(0.0, x - p), exact, max_lps)
    hi_i = np.floor(hi + TOL).astype(np.int64)
    lo_i = np.ceil(lo - TOL).astype(np.int64)
    unbounded = hi_i >= upper - 1
    primary = primary_any.ravel()[tpos]
    exposed = primary & ((hi_i < x + p) | (lo_i > np.maximum(0, x - p)))
    hi_i[unbounded] = -1
    coords = [tuple(int(c) for c in np.unravel_index(t, values.shape)) for t in tpos]
    return coords, lo_i, hi_i, exposed, ex, n, solver.calls


def exposed_positions(table: np.ndarray, mask: np.ndarray, threshold: int, safety: int = SAFETY,
                      only: list[tuple] | None = None, max_lps: int | None = None) -> list[tuple]:
    """The exposed primary positions of one family's table with margins and its suppression mask
    (every table over a subset of its dimensions being served as its margin, consistently).
    `only`: check just these positions (hiding more cells only widens every interval, so cells
    once proven protected stay so, and a re-check after more suppression needs only the rest)."""
    sel = None
    if only is not None:
        sel = np.zeros(table.shape, dtype=bool)
        for c in only:
            sel[c] = True
    coords, _, _, exposed, _, _, _ = audit_family(table, ~mask, mask, threshold, safety, only=sel, max_lps=max_lps)
    return [c for c, e in zip(coords, exposed) if e]


# ---------------------------------------------------------------- tables as served

def audit_tables(tables: Sequence[TableLike], threshold: int, safety: int = SAFETY, exact: bool = False) -> Audit:
    """Audit tables served separately, together: one of them must be over all their dimensions
    (its interior is the finest cross-classification); every other is placed as its margins by
    label. A position shown in one table and hidden in another counts as shown (it is)."""
    t0 = time.perf_counter()
    finest = max(tables, key=lambda t: len(t.dims))
    dims = tuple(finest.dims)
    if any(not set(t.dims) <= set(dims) for t in tables):
        raise ValueError("audit_tables: one table must span every dimension the others use")
    shape = finest.counts.shape
    published = np.zeros(shape, bool)
    suppressed = np.zeros(shape, bool)
    covered = np.zeros(shape, bool)
    for t in tables:
        idx = _embedding(t, finest)
        for pos in np.ndindex(*t.counts.shape):
            at = tuple(int(ix[p]) if ix is not None else -1 for ix, p in zip(idx, _expand(pos, t.dims, dims)))
            if any(a < -1 for a in at):
                continue  # a value the finest table lacks (a zero row): nothing to place
            if int(t.counts[pos]) != int(finest.counts[at]):
                raise ValueError(f"audit_tables: {t.dims} and {dims} disagree at {at}")
            covered[at] = True
            if t.mask[pos]:
                suppressed[at] = True
            else:
                published[at] = True
    coords, lo, hi, exposed, ex, n, calls = audit_family(finest.counts, published, suppressed, threshold, safety, exact)
    p = protection_level(threshold, safety)
    prim = (finest.counts >= 1) & (finest.counts < threshold)
    out = Audit(dims, threshold, p, tables=len(tables), cells=int((covered & published).sum()),
                suppressed=int((suppressed & ~published).sum()), primary=int((suppressed & prim).sum()),
                variables=n, lps=calls)
    for c, lo_, hi_, e, x in zip(coords, lo, hi, exposed, ex):
        out.bounds.append(CellBound({d: finest.labels[a][i] for a, (d, i) in enumerate(zip(dims, c))},
                                    int(finest.counts[c]), int(lo_), None if hi_ < 0 else int(hi_),
                                    bool(prim[c]), bool(e), bool(x)))
    out.seconds = time.perf_counter() - t0
    return out


def _expand(pos: tuple, dims: Sequence[str], all_dims: Sequence[str]) -> list[int | None]:
    """A table position as one index per family dimension (None: summed over, the margin)."""
    at = dict(zip(dims, pos))
    return [at.get(d) for d in all_dims]


def _embedding(t: TableLike, finest: TableLike) -> list[np.ndarray | None]:
    """Per family dimension: the table's axis index → the finest table's index (-2: absent)."""
    out: list[np.ndarray | None] = []
    for d, flabels in zip(finest.dims, finest.labels):
        if d not in t.dims:
            out.append(None)
            continue
        where = {v: i for i, v in enumerate(flabels)}
        labels = t.labels[t.dims.index(d)]
        out.append(np.array([where.get(v, -2) if v != ALL else len(flabels) - 1 for v in labels]))
    return out
