"""What cleanup steps share: options, the geometry so far, and where debug images go.

Plain data, so it pickles for Dask workers. `matrix` maps the original image's pixels to the
current image's, so word boxes found on the cleaned image go back to the original's pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from pydantic import BaseModel

from models.page import BBox

STEP_NAMES = ("negative", "border", "rescale", "deskew", "background", "denoise", "contrast", "binarize")


class CleanupOptions(BaseModel):
    """Which steps run. Binarize is off: measured, it costs PP-OCR accuracy (README)."""

    negative: bool = True
    border: bool = True
    rescale: bool = True
    deskew: bool = True
    background: bool = True
    denoise: bool = True
    contrast: bool = True
    binarize: bool = False
    fiche: bool = True  # split whole fiche sheets into frames
    # Cap height (px) the OCR engine reads best; text outside the range is scaled to the nearer end.
    text_height: tuple[float, float] = (26.0, 40.0)

    @classmethod
    def without(cls, *names: str) -> "CleanupOptions":
        unknown = set(names) - set(cls.model_fields)
        if unknown:
            raise ValueError(f"unknown cleanup step(s): {', '.join(sorted(unknown))}")
        return cls(**{n: False for n in names})


@dataclass
class CleanupContext:
    options: CleanupOptions
    original_size: tuple[int, int]  # width, height
    debug_dir: Path | None = None
    matrix: np.ndarray = field(default_factory=lambda: np.eye(3))
    negative: bool = False
    _n: int = 0

    def then(self, m: np.ndarray) -> None:
        """Record a geometric step (2x3 affine or 3x3) applied after everything so far."""
        m3 = np.vstack([m, [0, 0, 1]]) if m.shape == (2, 3) else m
        self.matrix = m3 @ self.matrix

    def to_original(self, bbox: BBox) -> BBox:
        inv = np.linalg.inv(self.matrix)
        x0, y0, x1, y1 = bbox
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], dtype=float).T
        xs, ys, _ = inv @ pts
        w, h = self.original_size
        return (
            round(float(np.clip(xs.min(), 0, w)), 1),
            round(float(np.clip(ys.min(), 0, h)), 1),
            round(float(np.clip(xs.max(), 0, w)), 1),
            round(float(np.clip(ys.max(), 0, h)), 1),
        )

    def save(self, name: str, image: np.ndarray) -> None:
        if self.debug_dir is not None:
            self._n += 1
            self.debug_dir.mkdir(parents=True, exist_ok=True)
            cv2.imwrite(str(self.debug_dir / f"{self._n:02d}_{name}.png"), image)
