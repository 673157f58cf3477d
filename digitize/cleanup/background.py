"""Even out illumination (vignetting, fading, stains) by dividing by the estimated background."""

from __future__ import annotations

import cv2
import numpy as np

from .context import CleanupContext


def estimate_background(gray: np.ndarray) -> np.ndarray:
    # Closing removes dark strokes thinner than the kernel; working at 1/4 scale keeps it cheap.
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, k)
    bg = cv2.medianBlur(bg, 9)
    return cv2.resize(bg, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)


def background(image: np.ndarray, ctx: CleanupContext) -> np.ndarray:
    bg = estimate_background(image).astype(np.float32)
    out = image.astype(np.float32) / np.maximum(bg, 1.0) * 255.0
    return np.clip(out, 0, 255).astype(np.uint8)
