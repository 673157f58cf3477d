"""Deskew by the angle whose horizontal ink profile is sharpest (the projection-profile method)."""

from __future__ import annotations

import cv2
import numpy as np

from .context import CleanupContext
from .measure import ink_mask

MAX_ANGLE = 8.0


def _sharpness(mask: np.ndarray, angle: float) -> float:
    h, w = mask.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rot = cv2.warpAffine(mask, m, (w, h), flags=cv2.INTER_NEAREST)
    profile = rot.sum(axis=1, dtype=np.float64)
    return float(np.sum(np.diff(profile) ** 2))


def estimate_angle(gray: np.ndarray) -> float:
    """Skew in degrees (positive: counter-clockwise rotation fixes it)."""
    scale = min(1.0, 1000 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    mask = ink_mask(small)
    if mask.mean() < 0.5:  # nearly blank
        return 0.0
    coarse = np.arange(-MAX_ANGLE, MAX_ANGLE + 1e-9, 0.5)
    best = max(coarse, key=lambda a: _sharpness(mask, a))
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.1)
    return float(max(fine, key=lambda a: _sharpness(mask, a)))


def deskew(image: np.ndarray, ctx: CleanupContext) -> np.ndarray:
    angle = estimate_angle(image)
    if abs(angle) < 0.15:
        return image
    h, w = image.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    ctx.then(m)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
