"""Sauvola-style local thresholding; off by default (it costs PP-OCR accuracy, see README)."""

from __future__ import annotations

import cv2
import numpy as np

from .context import CleanupContext


def binarize(image: np.ndarray, ctx: CleanupContext) -> np.ndarray:
    block = max(15, (min(image.shape) // 40) | 1)
    return cv2.adaptiveThreshold(image, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15)
