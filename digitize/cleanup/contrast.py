"""Stretch grey levels so faded ink becomes dark and the ground white."""

from __future__ import annotations

import cv2
import numpy as np

from .context import CleanupContext
from .measure import ink_mask


def contrast(image: np.ndarray, ctx: CleanupContext) -> np.ndarray:
    ink = ink_mask(image) > 0
    if ink.sum() < 50:
        return image
    lo = float(np.percentile(image[ink], 10))
    hi = float(np.percentile(image[~ink], 60)) if (~ink).any() else 255.0
    if hi - lo < 10:
        return image
    lut = np.clip((np.arange(256) - lo) * 255.0 / (hi - lo), 0, 255).astype(np.uint8)
    return cv2.LUT(image, lut)
