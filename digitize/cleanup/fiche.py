"""Whole microfiche sheets: find the grid of frames and each frame's row and column.

Fiche frames sit on a regular grid (5x12, 7x14, ...), but the page exposed in each cell varies
in size and tone, and unexposed cells are plain film base. What every sheet has is periodic
structure: ink in the cells, empty bands of film base between them. The sheet is leveled by the
angle at which those bands line up; the pitch comes from the autocorrelation of the ink profile
along each axis, the phase from where the bands are emptiest, and both are refined by fitting a
line through the band positions. A cell is blank when it lacks the line-to-line swing of a page
of type that the sheet's other frames show.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .measure import glyph_height
from .negative import is_negative

WORK_SIDE = 2400  # analysis resolution: frames of a 7x14 sheet stay well over 100 px wide
GAP_RATIO = 0.15  # an empty band holds less than this share of the typical ink per line
MIN_COLS, MIN_ROWS = 3, 2
MAX_GLYPH = 0.036  # cap height / cell height above which the "grid" is a form's, not a sheet's (frames: <0.03)
MIN_ASPECT = 0.6  # cell width / height, and its inverse: fiche frames are near 4:3
# A cell is blank (unexposed film) with less line modulation than this share of the sheet's
# well-exposed frames' (its 90th percentile: most frames of a sheet hold pages).
BLANK_SHARE = 0.13
MAX_SKEW = 8.0  # degrees
PEAK_SHARE = 0.4  # autocorrelation peaks this close to the highest are the period or its multiples


@dataclass(frozen=True)
class SheetFrame:
    row: int
    col: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the sheet image's pixels


def _ink(gray: np.ndarray) -> np.ndarray:
    """Edge density: text and page edges, whatever the polarity or tone of the film."""
    g = cv2.GaussianBlur(gray, (3, 3), 0).astype(np.float32)
    mag = np.abs(cv2.Sobel(g, cv2.CV_32F, 1, 0)) + np.abs(cv2.Sobel(g, cv2.CV_32F, 0, 1))
    thresh = max(20.0, float(np.percentile(mag, 90)))
    edges = (mag > thresh).astype(np.uint8)
    # Scratches and page outlines are long straight lines, not content: they would make a
    # blank cell look exposed. Film grain is specks.
    long = int(0.05 * max(edges.shape))
    lines = cv2.HoughLinesP(edges * 255, 1, np.pi / 360, threshold=long, minLineLength=long, maxLineGap=2)
    for x0, y0, x1, y1 in ([] if lines is None else lines.reshape(-1, 4)):
        cv2.line(edges, (int(x0), int(y0)), (int(x1), int(y1)), 0, 7)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(edges, connectivity=8)
    drop = stats[:, cv2.CC_STAT_AREA] <= 3
    drop[0] = False
    return np.where(drop[labels], 0, edges).astype(np.float32)


def _profile(edges: np.ndarray, along: int) -> np.ndarray:
    """Ink per position along x (along=1) or y (along=0)."""
    prof = edges.mean(axis=1 - along)
    return cv2.GaussianBlur(prof.reshape(1, -1).astype(np.float32), (0, 0), 1.0).ravel()


def _grids(prof: np.ndarray, lo: float, hi: float, tone: np.ndarray, base: float) -> list[tuple[float, float]]:
    """(offset, pitch) of the empty bands along one axis, likeliest first: autocorrelation periods
    whose bands are really empty (text inside frames has periods of its own, without bands)."""
    p = prof - prof.mean()
    ac = np.correlate(p, p, mode="full")[len(p) - 1 :]
    if ac[0] <= 0:
        return []
    ac = ac / ac[0]
    lo, hi = int(max(3, lo)), int(min(len(p) * 0.6, hi))
    peaks = [i for i in range(lo, hi - 1) if ac[i] >= ac[i - 1] and ac[i] >= ac[i + 1] and ac[i] > 0.05]
    found = (_bands(prof, float(lag), tone, base) for lag in _periods(ac, peaks))
    return [b for b in found if b is not None]


def _periods(ac: np.ndarray, peaks: list[int]) -> list[int]:
    """Candidate pitches, likeliest first. The grid's period or one of its multiples has the
    highest peak (frames two apart may match better than neighbours); side lobes and in-frame
    line periods are far weaker. So: the shortest divisor of the highest peak that is a clear
    peak itself, then the other strong peaks, shortest first."""
    if not peaks:
        return []
    top = max(peaks, key=lambda i: ac[i])
    best = top
    for d in range(2, 6):
        near = [i for i in peaks if abs(i - top / d) <= 0.03 * top / d and ac[i] >= PEAK_SHARE * ac[top]]
        if near:
            best = max(near, key=lambda i: ac[i])
    strong = [i for i in peaks if ac[i] >= PEAK_SHARE * ac[top] and i != best]
    return [best] + strong


def _band_min(prof: np.ndarray, c: float, w: int) -> float:
    a, b = int(max(0, c - w)), int(min(len(prof), c + w + 1))
    return float(prof[a:b].min()) if b > a else float("inf")


def _bands(prof: np.ndarray, pitch: float, tone: np.ndarray | None = None, base: float = 0.0) -> tuple[float, float] | None:
    """Offset and refined pitch of the empty bands between cells, or None if there are none.

    A band may be only a few pixels of bare film between two page edges, so each predicted band
    is judged by the emptiest point near it, not by its mean."""
    n = len(prof)
    w = max(1, int(0.05 * pitch))

    def positions(o: float, p: float) -> np.ndarray:
        return o + p * np.arange(int((n - o) / p) + 1)

    scores = np.array([np.mean([_band_min(prof, c, w) for c in positions(o, pitch)]) for o in range(int(pitch))])
    best = np.flatnonzero(scores <= scores.min() + 1e-9)
    o = float(np.median(best))
    ks, xs = [], []
    for k, c in enumerate(positions(o, pitch)):
        a, b = int(max(0, c - 0.12 * pitch)), int(min(n, c + 0.12 * pitch + 1))
        if b - a >= 3:
            seg = prof[a:b]
            ks.append(k)
            xs.append(a + float(np.median(np.flatnonzero(seg <= seg.min() + 1e-6))))
    if len(ks) < 2:
        return None
    slope, icpt = np.polyfit(ks, xs, 1)
    typical = np.percentile(prof, 75)
    empty = [_band_min(prof, icpt + k * slope, w) < GAP_RATIO * typical for k in ks]
    if tone is not None:
        # A band is bare film: its tone is the film base's, unlike an empty stretch of a page.
        off = np.abs(tone - base)
        spread = float(np.percentile(off, 75))
        if spread > 20:
            empty = [e and _band_min(off, icpt + k * slope, w) < 0.35 * spread for e, k in zip(empty, ks)]
    if typical <= 0 or np.mean(empty) < 0.7:
        return None  # no consistent empty bands: not a grid of frames
    return float(icpt), float(slope)


def _cells(offset: float, pitch: float, n: int) -> list[tuple[float, float]]:
    """Cells that fit wholly inside [0, n] between consecutive bands."""
    k0 = int(np.ceil(-offset / pitch))
    out = []
    k = k0
    while offset + (k + 1) * pitch <= n + 0.1 * pitch:
        a = offset + k * pitch
        if a >= -0.1 * pitch:
            out.append((max(0.0, a), min(float(n), a + pitch)))
        k += 1
    return out


def _sheet_angle(small: np.ndarray) -> float:
    """Skew in degrees (positive: counter-clockwise rotation fixes it), from the sharpness of the
    row profile of the edge map. Text at sheet scale is a haze that noise swamps, but the film
    bands between rows run the sheet's whole width: sheared strip profiles line up only at the
    right angle. Shearing 1D profiles is far cheaper than rotating the image for each angle."""
    edges = _ink(small)
    h, w = edges.shape
    n = 24  # strips: each spans a few frames, so a band crosses it nearly level
    bounds = np.linspace(0, w, n + 1).astype(int)
    profs = np.stack([edges[:, a:b].mean(axis=1) for a, b in zip(bounds[:-1], bounds[1:])])
    centres = (bounds[:-1] + bounds[1:]) / 2 - w / 2
    pad = int(np.ceil(w * np.tan(np.radians(MAX_SKEW)) / 2)) + 1
    padded = np.pad(profs, ((0, 0), (pad, pad)))

    def sharpness(angle: float) -> float:
        shifts = np.rint(centres * np.tan(np.radians(angle))).astype(int)
        total = sum(np.roll(p, -s) for p, s in zip(padded, shifts))
        return float(np.var(total))

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.1)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.1, best + 0.1 + 1e-9, 0.02)
    return float(max(fine, key=sharpness))


def deskew_sheet(gray: np.ndarray) -> np.ndarray:
    """A sheet scanned askew has no straight bands: level it first (angles of a few degrees)."""
    scale = min(1.0, WORK_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    angle = _sheet_angle(small)
    if abs(angle) < 0.1:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def split_sheet(gray: np.ndarray) -> list[SheetFrame] | None:
    """The non-blank frames of a fiche sheet in row-major order, or None when the image is not a
    sheet. Boxes are in `gray`'s pixels: level a skewed sheet with deskew_sheet first."""
    h, w = gray.shape
    scale = min(1.0, WORK_SIDE / max(h, w))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    edges = _ink(small)
    grid = _find_grid(small, edges, _film_base(small))
    if grid is None:
        return None
    rows, cols = grid
    ink = np.array([[edges[_inner(*ys), _inner(*xs)].mean() for xs in cols] for ys in rows])
    typical = np.median(ink[ink > 0]) if (ink > 0).any() else 0
    if typical <= 0:
        return None
    if not _type_is_small(gray, rows, cols, ink, scale):
        return None
    lines = np.array([[_line_modulation(small[_inner(*ys), _inner(*xs)]) for xs in cols] for ys in rows])
    exposed = lines >= BLANK_SHARE * np.percentile(lines, 90)
    return [
        SheetFrame(r, c, (int(x0 / scale), int(y0 / scale), int(x1 / scale), int(y1 / scale)))
        for r, (y0, y1) in enumerate(rows)
        for c, (x0, x1) in enumerate(cols)
        if exposed[r, c]
    ] or None


def _line_modulation(cell: np.ndarray) -> float:
    """How strongly the cell's brightness rises and falls from line to line of text.

    Unexposed film is flat: its grain averages out along each row, vignetting is too slow to
    count, and scratches run along the film, down every row alike. A page's lines of type make
    the row means swing whatever its tone, contrast or polarity."""
    rows = cell.astype(np.float32).mean(axis=1).reshape(-1, 1)
    slow = cv2.GaussianBlur(rows, (1, 0), sigmaX=0, sigmaY=max(1.5, 0.025 * len(rows)))
    return float(np.std(rows - slow))


def _film_base(small: np.ndarray) -> float:
    """The film base's tone: the sheet's outer margin, below and beside the grid."""
    return float(np.median(np.concatenate([small[-3:].ravel(), small[:, :3].ravel(), small[:, -3:].ravel()])))


def _find_grid(small: np.ndarray, edges: np.ndarray, base: float):
    """Row and column cells (start, end) in `small`'s pixels, or None where there is no grid."""
    sh, sw = edges.shape
    for by in _grids(_profile(edges, 0), sh / 12, sh / 1.5, small.mean(axis=1), base):
        rows = _cells(*by, sh)
        if len(rows) < MIN_ROWS:
            continue
        # Columns from the rows' band only: the title strip above would fill the gaps between columns.
        band = slice(int(rows[0][0]), int(rows[-1][1]))
        for bx in _grids(_profile(edges[band], 1), sw / 30, sw / 1.8, small[band].mean(axis=0), base):
            # A frame holds a page, portrait or landscape: a cell flatter than that is a
            # sub-period of the real grid (empty lines at the same height in every frame).
            cols = _cells(*bx, sw)
            if MIN_ASPECT <= bx[1] / by[1] <= 1 / MIN_ASPECT and len(cols) >= MIN_COLS:
                return rows, cols
    return None


def _inner(a: float, b: float) -> slice:
    """The cell less its margins, where neighbours' edges fall."""
    m = 0.1 * (b - a)
    return slice(int(a + m), int(b - m))


def _type_is_small(gray: np.ndarray, rows, cols, ink: np.ndarray, scale: float) -> bool:
    """Frames hold whole pages, so their type is small next to the frame; a form's boxes or a
    table of large type can look like a grid, but its "cells" hold a few big letters. Measured at
    full resolution in the inkiest cells (on the reduced sheet the type is a blur)."""
    heights = []
    for flat in np.argsort(ink, axis=None)[::-1][:3]:
        r, c = np.unravel_index(flat, ink.shape)
        (y0, y1), (x0, x1) = rows[r], cols[c]
        cell = gray[int(y0 / scale) : int(y1 / scale), int(x0 / scale) : int(x1 / scale)]
        h = glyph_height(255 - cell if is_negative(cell) else cell)
        if h is not None:
            heights.append(h / cell.shape[0])
    return bool(heights) and float(np.median(heights)) <= MAX_GLYPH
