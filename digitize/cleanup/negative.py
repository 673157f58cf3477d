"""Film negatives: detect (light text on a dark ground) and invert."""

from __future__ import annotations

import cv2
import numpy as np

from .context import CleanupContext


def is_negative(gray: np.ndarray) -> bool:
    """True when the minority (ink) pixels are lighter than the ground.

    Comparing the tails around the median, rather than the median to a fixed level, keeps
    faded positives (grey ground) and dense negatives apart.
    """
    h, w = gray.shape
    core = gray[h // 10 : h - h // 10, w // 10 : w - w // 10]
    small = cv2.resize(core, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA) if core.size > 4e6 else core
    p2, med, p98 = np.percentile(small, (2, 50, 98))
    return (p98 - med) > (med - p2)


def negative(image: np.ndarray, ctx: CleanupContext) -> np.ndarray:
    ctx.negative = is_negative(image)
    return cv2.bitwise_not(image) if ctx.negative else image
