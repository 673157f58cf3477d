"""The cleanup steps, in order. Each is `step(image, ctx) -> image` on 8-bit grey."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from .background import background
from .binarize import binarize
from .border import border
from .context import STEP_NAMES, CleanupContext, CleanupOptions
from .contrast import contrast
from .denoise import denoise
from .deskew import deskew
from .negative import negative
from .rescale import rescale

Step = Callable[[np.ndarray, CleanupContext], np.ndarray]

STEPS: list[tuple[str, Step]] = [
    ("negative", negative),
    ("border", border),
    ("rescale", rescale),
    ("deskew", deskew),
    ("background", background),
    ("denoise", denoise),
    ("contrast", contrast),
    ("binarize", binarize),
]
assert tuple(n for n, _ in STEPS) == STEP_NAMES


def to_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY if image.shape[2] == 3 else cv2.COLOR_BGRA2GRAY)
    return image


def clean(image: np.ndarray, options: CleanupOptions, debug_dir: Path | None = None) -> tuple[np.ndarray, CleanupContext]:
    gray = to_gray(image)
    ctx = CleanupContext(options=options, original_size=(gray.shape[1], gray.shape[0]), debug_dir=debug_dir)
    ctx.save("input", gray)
    for name, step in STEPS:
        if getattr(options, name):
            gray = step(gray, ctx)
            ctx.save(name, gray)
    return gray, ctx
