"""How large the text detector's input should be, per image."""

from __future__ import annotations

import os

import numpy as np

from digitize.cleanup.measure import glyph_height

# Capitals this tall (px) in the detector's input: the DB detectors miss small labels when a
# big page is shrunk to a fixed size, and spend time for nothing on large type (measured, README).
DET_TEXT = float(os.environ.get("CROSSTRACK_DET_TEXT", "12"))
DET_MIN_SIDE, DET_MAX_SIDE = 640, 2400


def detector_side(image: np.ndarray) -> int:
    """The longest side to give the detector for this (cleaned, grey) image."""
    side = max(image.shape[:2])
    h = glyph_height(image) if image.ndim == 2 else None
    scale = DET_TEXT / h if h else 1280 / side
    return int(np.clip(side * scale, DET_MIN_SIDE, DET_MAX_SIDE))
