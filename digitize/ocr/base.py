"""One small interface every OCR engine implements (OCRmyPDF's `OcrEngine` plugin idea)."""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np
from pydantic import BaseModel

from models.page import Word


def ocr_threads() -> int:
    """Threads an engine may use: all cores, unless set (worker processes set 1: one engine per
    core reads faster than one engine on all cores)."""
    return int(os.environ.get("CROSSTRACK_OCR_THREADS", "0")) or (os.cpu_count() or 1)


class OcrOptions(BaseModel):
    language: str = "eng"
    # Words below this confidence are dropped: recognisers hallucinate on specks and scratches.
    min_confidence: float = 0.3


class OcrEngine(Protocol):
    name: str
    # Cap height range (px) the engine reads best; cleanup's rescale step brings text into it.
    text_height: tuple[float, float]

    def model_version(self) -> str:
        """The engine's model name and version, recorded on every page it reads."""

    def read_words(self, image: np.ndarray, options: OcrOptions) -> list[Word]:
        """Words with boxes in `image`'s pixels (8-bit grayscale), confidences in [0, 1]."""
