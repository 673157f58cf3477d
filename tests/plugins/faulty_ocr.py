"""An OCR engine that crashes on images of one width and reads nothing elsewhere."""

from __future__ import annotations

import numpy as np

from digitize.ocr import OcrOptions
from models.errors import OcrEngineError
from models.page import Word


class CrashOnWidth:
    name = "crash-on-width"
    text_height = (18.0, 48.0)

    def __init__(self, width: int):
        self.width = width

    def model_version(self) -> str:
        return "fault injection"

    def read_words(self, image: np.ndarray, options: OcrOptions) -> list[Word]:
        if abs(image.shape[1] - self.width) < 5:
            raise OcrEngineError("injected crash: the engine died on this page")
        return [Word(text="OK", bbox=(1, 1, 20, 10), confidence=0.9)]
