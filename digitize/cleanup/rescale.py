"""Bring text to the size the detector and recogniser read best.

Low-resolution frames have glyphs too small for detection; big scans only cost time.
"""

from __future__ import annotations

import cv2
import numpy as np

from .context import CleanupContext
from .measure import glyph_height

MAX_UPSCALE = 3.0
MIN_SCALE = 0.5


def rescale(image: np.ndarray, ctx: CleanupContext) -> np.ndarray:
    h = glyph_height(image)
    lo, hi = ctx.options.text_height
    if h is None or lo <= h <= hi:
        return image
    scale = float(np.clip((lo if h < lo else hi) / h, MIN_SCALE, MAX_UPSCALE))
    interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    ctx.then(np.array([[scale, 0, 0], [0, scale, 0]]))
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=interp)
