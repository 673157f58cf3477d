"""Crop dark scanner borders and film edges around the page."""

from __future__ import annotations

import cv2
import numpy as np

from .context import CleanupContext


def page_box(gray: np.ndarray) -> tuple[int, int, int, int] | None:
    """The light page's bounding box (x0, y0, x1, y1), or None when there is no dark border."""
    h, w = gray.shape
    scale = min(1.0, 800 / max(h, w))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    # A blur wider than strokes leaves paper vs. border, not ink vs. paper.
    k = max(5, int(min(small.shape) * 0.03) | 1)
    blur = cv2.medianBlur(small, min(k, 31) | 1)
    _, light = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(light, connectivity=4)
    if n < 2:
        return None
    i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh, area = stats[i]
    sh, sw = small.shape
    if bw * bh < 0.35 * sw * sh or (bw >= sw - 2 and bh >= sh - 2):
        return None
    # The border must really be dark, not a light margin Otsu split off from grey paper.
    inside = blur[labels == i].mean()
    outside_mask = np.ones_like(light, dtype=bool)
    outside_mask[y : y + bh, x : x + bw] = False
    if not outside_mask.any() or blur[outside_mask].mean() > inside - 40:
        return None
    inset = 2  # small-image pixels: stay inside the page, a sliver of dark border reads as ink
    return (
        int((x + inset) / scale),
        int((y + inset) / scale),
        int((x + bw - inset) / scale),
        int((y + bh - inset) / scale),
    )


def border(image: np.ndarray, ctx: CleanupContext) -> np.ndarray:
    box = page_box(image)
    if box is None:
        return image
    x0, y0, x1, y1 = box
    ctx.then(np.array([[1.0, 0, -x0], [0, 1.0, -y0]]))
    return image[y0:y1, x0:x1]
