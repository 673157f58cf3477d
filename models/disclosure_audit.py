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

To keep it fast, protection is first proven without LPs by boxes (tau-ARGUS's hypercube, used
here only as a proof, never instead of the audit: `box_proofs`, one box or several together),
then with witnesses: one LP that pushes the sum of every unproven primary cell up (or down),
each capped at its level, proves each cell that reaches its level at that point; witnesses are
tried first over a small LP (the unknowns near the cells left, the rest held at their true
values: a sub-polytope, so its points are proofs too), then over the full one; only cells no
witness proves get their own LP, whose optimum is then their exact bound. `exact=True` solves
two LPs for every suppressed cell (complements included) instead.

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
    def __init__(self, a_eq, b_eq, truth: np.ndarray, upper: float):
        self.a_eq = a_eq if a_eq.shape[0] else None
        self.b_eq = b_eq if a_eq.shape[0] else None
        self.truth = truth  # the unknown cells' true values (the auditor knows them)
        self.n, self.upper, self.calls = len(truth), upper, 0

    def point(self, c: np.ndarray) -> np.ndarray:
        """The minimizer of c·y over the published polytope (0 <= y <= upper)."""
        if self.n == 0:
            return np.zeros(0)
        self.calls += 1
        res = linprog(c, A_eq=self.a_eq, b_eq=self.b_eq, bounds=(0, self.upper), method="highs")
        if res.status != 0:
            raise RuntimeError(f"disclosure audit: the published values admit no table ({res.message})")
        return res.x


def _capped_point(solver: _Solver, r, const: np.ndarray, need: np.ndarray, sign: int) -> np.ndarray:
    """A witness point that serves many cells at once: it maximizes the sum of each cell's value
    capped at its level (sign -1; or minimizes it floored at its level, sign 1), so a cell that
    can rise without bound does not pull the point away from the others."""
    m, n = r.shape
    if n == 0:
        return np.zeros(0)
    solver.calls += 1
    eye = sparse.identity(m, format="csr")
    if sign < 0:  # z <= R y + c, z <= need: maximize sum z
        a_ub = sparse.hstack([-r, eye]).tocsr()
        b_ub, zb, cz = const, [(0, float(v)) for v in need], -np.ones(m)
    else:  # z >= R y + c, z >= need: minimize sum z
        a_ub = sparse.hstack([r, -eye]).tocsr()
        b_ub, zb, cz = -const, [(float(v), None) for v in need], np.ones(m)
    a_eq = None if solver.a_eq is None else sparse.hstack([solver.a_eq, sparse.csr_matrix((solver.a_eq.shape[0], m))])
    res = linprog(np.concatenate([np.zeros(n), cz]), A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=solver.b_eq,
                  bounds=[(0, solver.upper)] * n + zb, method="highs-ipm")
    if res.status != 0:
        raise RuntimeError(f"disclosure audit: the published values admit no table ({res.message})")
    return res.x[:n]


def box_proofs(values: np.ndarray, published: np.ndarray, targets: Sequence[tuple], p: int,
               per_axis: int = 6, greedy: bool = False,
               support: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per target position (interior or margin, in a table with margins): proven to move up by p,
    and down by min(x, p), without an LP. A box picks, per axis, a second coordinate beside the
    target's: two interior indexes (the axis *varies*), or an interior index and the margin (the
    axis is fixed; a margin target's axis must be). Adding +d at the interior corners with an even
    number of varying axes at their second coordinate and -d at the odd ones keeps every position
    that is not a box corner unchanged (each line crossing a varying axis gains and loses d), so
    when all 2^k corners are unpublished every published equality holds; what remains is
    non-negativity of the interior corners that go down, checked on the true values (the auditor
    knows them). Unknown cells rising by p stay below the LP's cap, so the LP would reach the same
    point: a proof here is a proof there. Tried per target: every combination of the `per_axis`
    biggest hidden second coordinates of each axis (a margin counts as biggest: it need not hold
    anything), all targets at once; `greedy`: for a target no single box proves, several boxes
    together (_greedy_boxes). `support`: extended with the flat positions of every box tried whose
    corners are all hidden (where the mass that widens these targets' ranges sits)."""
    k = values.ndim
    t = len(targets)
    up, down = np.zeros(t, bool), np.zeros(t, bool)
    if k == 0 or t == 0:
        return up, down
    margin = np.array(values.shape) - 1
    hidden = ~published
    c = np.array(targets, dtype=np.int64).reshape(t, k)
    x = values[tuple(c.T)].astype(np.int64)
    amt = {1: np.full(t, p), -1: np.minimum(x, p)}
    cands, valid = [], []
    for a in range(k):
        n = values.shape[a]
        line = np.repeat(c[:, None, :], n, axis=1)  # (t, n, k): the line through each target along a
        line[:, :, a] = np.arange(n)
        idx = tuple(line.reshape(-1, k).T)
        ok = hidden[idx].reshape(t, n)
        ok[np.arange(t), c[:, a]] = False
        ok[c[:, a] == margin[a], margin[a]] = False  # a margin target's axis is fixed at an interior index
        score = np.where(ok, values[idx].reshape(t, n).astype(float), -1.0)
        score[:, margin[a]] = np.where(ok[:, margin[a]], np.inf, -1.0)
        m = min(per_axis, n)
        top = np.argsort(-score, axis=1, kind="stable")[:, :m]
        cands.append(top)
        valid.append(np.take_along_axis(score, top, axis=1) >= 0)
    ok, corners = _box_corners(values, hidden, c, cands, valid)
    if support is not None:
        support.append(np.unique(np.concatenate([f[ok] for f, _ in corners[1]])))
    for direction, proven in ((1, up), (-1, down)):
        fits = ok.copy()
        for flat, falls in corners[direction]:  # a corner moving opposite to the target must hold the amount
            fits &= ~falls | (values.ravel()[flat] >= amt[direction][:, None])
        proven[:] = fits.any(axis=1)
        if greedy:
            for i in np.flatnonzero(~proven):
                proven[i] = _greedy_boxes(values.ravel(), ok[i], [(f[i], m[i]) for f, m in corners[direction]],
                                          int(amt[direction][i]))
    return up, down


def _box_corners(values: np.ndarray, hidden: np.ndarray, c: np.ndarray, cands: list[np.ndarray],
                 valid: list[np.ndarray]) -> tuple[np.ndarray, dict[int, list]]:
    """Every box from the candidates (t targets × boxes): whether all its corners are hidden, and
    per direction (+1 the target goes up, -1 down) and corner, the corner's flat index and whether
    it goes down (interior corners only: a margin is a sum and need hold nothing)."""
    k = values.ndim
    margin = np.array(values.shape) - 1
    grids = np.meshgrid(*[np.arange(cc.shape[1]) for cc in cands], indexing="ij")
    combo = [g.ravel() for g in grids]  # per axis: which candidate, for each box
    second = [cands[a][:, combo[a]] for a in range(k)]  # per axis: (t, boxes)
    first = [np.broadcast_to(c[:, a:a + 1], second[a].shape) for a in range(k)]
    ok = np.ones(second[0].shape, bool)
    for a in range(k):
        ok &= valid[a][:, combo[a]]
    varies = [(first[a] != margin[a]) & (second[a] != margin[a]) for a in range(k)]
    stride = np.cumprod((values.shape[1:] + (1,))[::-1])[::-1]  # C order
    flat_hidden = hidden.ravel()
    corners: dict[int, list] = {1: [], -1: []}
    for sub in itertools.product((False, True), repeat=k):  # each corner: which axes take the second coordinate
        pos = [second[a] if sub[a] else first[a] for a in range(k)]
        flat = sum(pos[a] * int(stride[a]) for a in range(k))
        ok &= flat_hidden[flat]
        interior = np.logical_and.reduce([pos[a] != margin[a] for a in range(k)])
        odd = np.logical_xor.reduce([varies[a] for a in range(k) if sub[a]]) if any(sub) else np.zeros_like(ok)
        for direction in (1, -1):  # +1: odd corners fall; -1: even ones
            corners[direction].append((flat, interior & (odd if direction > 0 else ~odd)))
    return ok, corners


def _greedy_boxes(flat_values: np.ndarray, ok: np.ndarray, corners: list[tuple[np.ndarray, np.ndarray]],
                  need: int, tries: int = 1000) -> bool:
    """Several boxes at once for one target: their moves add up (each keeps every published
    total), so the target moves by the sum of their amounts as long as no corner goes below 0.
    Biggest boxes first, each taking what its falling corners still hold after the ones before
    (a corner raised by one box is not counted as holding more: the safe side)."""
    flats = np.stack([f for f, _ in corners], axis=1)  # (boxes, corners)
    falls = np.stack([m for _, m in corners], axis=1)
    cap = np.where(falls, flat_values[flats], np.iinfo(np.int64).max).min(axis=1)
    order = [b for b in np.argsort(-cap, kind="stable")[:tries] if ok[b] and cap[b] > 0]
    left: dict[int, int] = {}
    got = 0
    for b in order:
        down = flats[b][falls[b]].tolist()
        d = min([need - got] + [left.get(f, int(flat_values[f])) for f in down])
        if d <= 0:
            continue
        for f in down:
            left[f] = left.get(f, int(flat_values[f])) - d
        got += d
        if got >= need:
            return True
    return False


def _bounds(solver: _Solver, r_t, const: np.ndarray, need_up: np.ndarray, need_lo: np.ndarray,
            exact: bool, max_lps: int | None = None, proven_up: np.ndarray | None = None,
            proven_lo: np.ndarray | None = None, witness_only: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each target's proven (or exact) highest and lowest value, and whether they are exact. Past
    `max_lps` LPs, a cell not yet proven keeps the value it has at the truth (so it reads exposed:
    the caller hides more, the safe side). `proven_up`/`proven_lo`: targets already proven to
    reach their level (box_proofs): they get that level and no LP. `witness_only`: no LP per cell
    (the cells witnesses leave keep their best value so far)."""
    t = r_t.shape[0]
    hi, lo = np.full(t, -np.inf), np.full(t, np.inf)
    exact_up, exact_lo = np.zeros(t, bool), np.zeros(t, bool)
    empty = np.asarray(r_t.getnnz(axis=1)).ravel() == 0
    hi[empty] = lo[empty] = const[empty]  # no unknown cell in it: pinned
    exact_up[empty] = exact_lo[empty] = True
    for sign, best, need, done, proven in ((-1, hi, need_up, exact_up, proven_up),
                                           (1, lo, need_lo, exact_lo, proven_lo)):
        skip = np.zeros(t, bool) if proven is None else proven & ~empty
        best[skip] = need[skip]
        pending = np.flatnonzero(~empty & ~skip)
        while pending.size and not exact and (max_lps is None or solver.calls < max_lps):  # witnesses
            y = _capped_point(solver, r_t[pending], const[pending], need[pending], sign)
            v = r_t[pending] @ y + const[pending]
            best[pending] = np.maximum(best[pending], v) if sign < 0 else np.minimum(best[pending], v)
            ok = v >= need[pending] - TOL if sign < 0 else v <= need[pending] + TOL
            if not ok.any():
                break
            pending = pending[~ok]
        for i in ([] if witness_only else pending):  # the rest: an LP each, their exact bound
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
    truth = values[tuple(slice(0, m - 1) for m in values.shape)][tuple(free_coords.T)].astype(float)
    solver = _Solver(a_eq, b_eq, truth, upper)
    x = values.ravel()[tpos].astype(float)
    coords = [tuple(int(c) for c in np.unravel_index(t, values.shape)) for t in tpos]
    proven_up = proven_lo = None
    local_calls = 0
    if not exact:
        proven_up, proven_lo = box_proofs(values, published, coords, p)
        rest = np.flatnonzero(~(proven_up & proven_lo))
        if rest.size:  # several boxes at once for the few left: still far cheaper than an LP
            up2, lo2 = box_proofs(values, published, [coords[i] for i in rest], p, per_axis=10, greedy=True)
            proven_up[rest] |= up2
            proven_lo[rest] |= lo2
            rest = np.flatnonzero(~(proven_up & proven_lo))
            if rest.size:
                support: list = []
                box_proofs(values, published, [coords[i] for i in rest], p, per_axis=16, support=support)
                local_calls = _local_witnesses(values, solver, a_eq, b_eq, r_t, const, free_coords,
                                               np.concatenate(support), x + p, np.maximum(0.0, x - p),
                                               proven_up, proven_lo, max_lps)
    hi, lo, ex = _bounds(solver, r_t, const, x + p, np.maximum(0.0, x - p), exact, max_lps, proven_up, proven_lo)
    hi_i = np.floor(hi + TOL).astype(np.int64)
    lo_i = np.ceil(lo - TOL).astype(np.int64)
    unbounded = hi_i >= upper - 1
    primary = primary_any.ravel()[tpos]
    exposed = primary & ((hi_i < x + p) | (lo_i > np.maximum(0, x - p)))
    hi_i[unbounded] = -1
    return coords, lo_i, hi_i, exposed, ex, n, solver.calls + local_calls


def _local_witnesses(values: np.ndarray, solver: _Solver, a_eq, b_eq: np.ndarray, r_t, const: np.ndarray,
                     free_coords: np.ndarray, support: np.ndarray, need_up: np.ndarray, need_lo: np.ndarray,
                     proven_up: np.ndarray, proven_lo: np.ndarray, max_lps: int | None) -> int:
    """Witnesses over a smaller LP: every unknown cell outside `support` held at its true value.
    That polytope lies inside the attacker's (the truth is in it), so a point of it that reaches
    a cell's level proves that cell; the few it cannot prove go on to the full LP. Marks what it
    proves in proven_up/proven_lo; returns its LP count."""
    n = len(free_coords)
    keep = np.isin(np.ravel_multi_index(tuple(free_coords.T), values.shape), support)
    if not keep.any() or keep.sum() > n // 2:
        return 0
    fixed = ~keep
    b_s = b_eq - a_eq[:, fixed] @ solver.truth[fixed]
    a_s = a_eq[:, keep].tocsr()
    rows = np.asarray(a_s.getnnz(axis=1)).ravel() > 0  # the others are sums of held cells: they hold
    local = _Solver(a_s[rows], b_s[rows], solver.truth[keep], solver.upper)
    r_s = r_t[:, keep].tocsr()
    c_s = const + r_t[:, fixed] @ solver.truth[fixed]
    hi, lo, _ = _bounds(local, r_s, c_s, need_up, need_lo, False, max_lps, proven_up, proven_lo, witness_only=True)
    proven_up |= hi >= need_up - TOL
    proven_lo |= lo <= need_lo + TOL
    return local.calls


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
