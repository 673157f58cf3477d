"""Remove grain and speckle, only where the image is measurably noisy (it blurs thin type)."""

from __future__ import annotations

import cv2
import numpy as np

from .context import CleanupContext

NOISY = 6.0  # estimated sigma, grey levels


def noise_sigma(gray: np.ndarray) -> float:
    """Immerkær's fast noise estimate."""
    k = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], dtype=np.float32)
    conv = cv2.filter2D(gray.astype(np.float32), -1, k)
    h, w = gray.shape
    return float(np.sqrt(np.pi / 2) * np.abs(conv).sum() / (6 * (w - 2) * (h - 2)))


def denoise(image: np.ndarray, ctx: CleanupContext) -> np.ndarray:
    sigma = noise_sigma(image)
    if sigma < NOISY:
        return image
    image = cv2.medianBlur(image, 3)
    return cv2.fastNlMeansDenoising(image, None, h=min(2.0 * sigma, 30.0), templateWindowSize=7, searchWindowSize=15)
