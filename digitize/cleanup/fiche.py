"""Whole microfiche sheets: find the frames on the film base and their grid positions.

A sheet is a grid of equal rectangles (5x12, 7x14, ...) that differ in tone from the film base
between them. Frames are found as equal-sized rectangular blobs of one tone; their row and
column come from the grid's pitch, measured from the frames found, so an unexposed (blank)
frame leaves its position empty without shifting the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MIN_FRAMES = 4


@dataclass(frozen=True)
class SheetFrame:
    row: int
    col: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the sheet image's pixels


def _candidates(mask: np.ndarray) -> np.ndarray:
    """Rectangular, equal-sized blobs of `mask`: rows of (x, y, w, h)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
    if n < MIN_FRAMES + 1:
        return np.empty((0, 4), int)
    st = stats[1:]
    x, y, w, h, area = (st[:, i] for i in range(5))
    sh, sw = mask.shape
    rect = (area >= 0.85 * w * h) & (w * h >= 0.002 * sh * sw) & (w * h <= 0.25 * sh * sw)
    rect &= (x > 0) | (w < sw - 1)
    if rect.sum() < MIN_FRAMES:
        return np.empty((0, 4), int)
    boxes = st[rect, :4]
    mw, mh = np.median(boxes[:, 2]), np.median(boxes[:, 3])
    same = (np.abs(boxes[:, 2] - mw) <= 0.12 * mw) & (np.abs(boxes[:, 3] - mh) <= 0.12 * mh)
    return boxes[same]


def _axis_index(centers: np.ndarray, size: float, start: float) -> np.ndarray | None:
    """Grid index of each center along one axis, from the pitch between distinct positions."""
    uniq = np.sort(centers)
    groups = [[uniq[0]]]
    for c in uniq[1:]:
        if c - groups[-1][-1] < 0.5 * size:
            groups[-1].append(c)
        else:
            groups.append([c])
    pos = np.array([np.mean(g) for g in groups])
    if len(pos) == 1:
        pitch = None
    else:
        d = np.diff(pos)
        base = d.min()
        pitch = float(np.median(d / np.maximum(1, np.round(d / base))))
        if pitch < size:  # frames can't overlap
            return None
    first = pos[0] - size / 2
    lead = 0 if pitch is None else int(np.floor((first - start) / pitch + 0.15))
    if pitch is None:
        return np.zeros(len(centers), int) + lead
    return np.round((centers - pos[0]) / pitch).astype(int) + max(0, lead)


def split_sheet(gray: np.ndarray) -> list[SheetFrame] | None:
    """The frames of a fiche sheet in row-major order, or None when the image is not a sheet."""
    h, w = gray.shape
    scale = min(1.0, 2000 / max(h, w))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    k = max(5, int(min(small.shape) / 120) | 1)
    blur = cv2.medianBlur(small, k)
    _, light = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    best = np.empty((0, 4), int)
    for mask in (light, cv2.bitwise_not(light)):
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        found = _candidates(mask)
        if len(found) > len(best):
            best = found
    if len(best) < MIN_FRAMES:
        return None
    bw, bh = float(np.median(best[:, 2])), float(np.median(best[:, 3]))
    cx = best[:, 0] + best[:, 2] / 2
    cy = best[:, 1] + best[:, 3] / 2
    # Rows start below any title strip: the lowest wide blob above the first frame.
    top = _title_bottom(blur, best)
    cols = _axis_index(cx, bw, 0.0)
    rows = _axis_index(cy, bh, top)
    if cols is None or rows is None or (cols.max() == 0 and rows.max() == 0):
        return None
    frames = []
    for (x, y, fw, fh), r, c in zip(best, rows, cols):
        inset = 0.01
        x0, y0 = (x + inset * fw) / scale, (y + inset * fh) / scale
        x1, y1 = (x + (1 - inset) * fw) / scale, (y + (1 - inset) * fh) / scale
        frames.append(SheetFrame(int(r), int(c), (int(x0), int(y0), int(x1), int(y1))))
    frames.sort(key=lambda f: (f.row, f.col))
    if len({(f.row, f.col) for f in frames}) != len(frames):
        return None  # not a consistent grid
    return frames


def _title_bottom(blur: np.ndarray, frames: np.ndarray) -> float:
    first_top = frames[:, 1].min()
    if first_top < 0.5 * np.median(frames[:, 3]):
        return 0.0
    strip = blur[: int(first_top)]
    # The film base tone is the margin just above the first row; anything else above is title.
    base = float(np.median(blur[max(0, int(first_top) - 3) : int(first_top)]))
    differs = np.abs(strip.astype(float) - base).mean(axis=1) > 25
    idx = np.nonzero(differs)[0]
    return float(idx.max() + 1) if idx.size else 0.0
