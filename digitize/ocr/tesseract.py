"""Tesseract, the peer PP-OCR is measured against."""

from __future__ import annotations

import csv
import io
import os

import cv2
import numpy as np

from digitize._exec import tesseract as exe
from models.errors import OcrEngineError
from models.page import Word

from .base import OcrOptions


class TesseractEngine:
    name = "tesseract"
    # Measured: shrinking 300 dpi text costs Tesseract accuracy; only small text is enlarged.
    text_height = (12.0, 90.0)

    def __init__(self, psm: int | None = None):
        # Page segmentation mode; line order is rebuilt from the word boxes afterwards, as for
        # every engine. The default is the mode that measured best on our forms (README).
        self.psm = psm or int(os.environ.get("CROSSTRACK_TESSERACT_PSM", "6"))

    def model_version(self) -> str:
        return f"tesseract {exe.version()} (LSTM, eng traineddata, psm {self.psm})"

    def read_words(self, image: np.ndarray, options: OcrOptions) -> list[Word]:
        ok, png = cv2.imencode(".png", image)
        if not ok:
            raise OcrEngineError("could not encode the image for tesseract")
        tsv = exe.run_tsv(png.tobytes(), language=options.language, psm=self.psm)
        words: list[Word] = []
        for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
            text = (row.get("text") or "").strip()
            if row.get("level") != "5" or not text:
                continue
            conf = max(0.0, min(1.0, float(row["conf"]) / 100.0))
            if conf < options.min_confidence:
                continue
            x, y, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
            words.append(Word(text=text, bbox=(x, y, x + w, y + h), confidence=conf))
        return words
