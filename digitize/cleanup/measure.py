"""Measurements several steps share: ink mask and typical glyph height."""

from __future__ import annotations

import cv2
import numpy as np


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark-on-light ink as 255, found against the local background so fading doesn't matter."""
    bg = cv2.medianBlur(gray, 31) if min(gray.shape) > 31 else gray
    diff = cv2.subtract(bg, gray)
    _, mask = cv2.threshold(diff, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return mask


def glyph_height(gray: np.ndarray) -> float | None:
    """Typical cap height of glyph-sized connected components."""
    mask = ink_mask(gray)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n < 10:
        return None
    h = stats[1:, cv2.CC_STAT_HEIGHT].astype(float)
    w = stats[1:, cv2.CC_STAT_WIDTH].astype(float)
    area = stats[1:, cv2.CC_STAT_AREA].astype(float)
    # Glyphs: not specks, not rules or box lines, not blobs.
    keep = (h >= 5) & (h <= gray.shape[0] / 8) & (w <= 3 * h) & (w >= 0.15 * h) & (area >= 12)
    if keep.sum() < 10:
        return None
    # The 75th percentile: cap and ascender height on mixed case, cap height on upper case.
    return float(np.percentile(h[keep], 75))
