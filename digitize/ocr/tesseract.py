"""Tesseract, the peer PP-OCR is measured against."""

from __future__ import annotations

import csv
import io

import cv2
import numpy as np

from digitize._exec import tesseract as exe
from models.errors import OcrEngineError
from models.page import Word

from .base import OcrOptions


class TesseractEngine:
    name = "tesseract"

    # psm 11 ("sparse text") finds label/value pairs and table cells that psm 3 merges or drops;
    # line order is rebuilt from the boxes afterwards, as for every engine.
    psm = 11

    def model_version(self) -> str:
        return f"tesseract {exe.version()} (LSTM, eng traineddata)"

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
