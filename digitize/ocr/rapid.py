"""PP-OCR (PaddleOCR's det+rec models) run on onnxruntime through RapidOCR, offline.

The models ship inside the `rapidocr` wheel; nothing is downloaded.
"""

from __future__ import annotations

from importlib.metadata import version

import cv2
import numpy as np

from models.errors import MissingDependencyError, OcrEngineError
from models.page import Word

from .base import OcrOptions, ocr_threads
from .sizing import detector_side


class RapidOcrEngine:
    name = "ppocr"
    text_height = (18.0, 48.0)

    def __init__(self) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError as e:  # pragma: no cover - the wheel is a hard dependency
            raise MissingDependencyError("rapidocr is not installed: run `make setup`") from e
        self._ocr = RapidOCR(
            params={
                "Global.log_level": "warning",
                # Forms are upright after deskew; the 180° classifier only costs time.
                "Global.use_cls": False,
                # Recognition crops come from the image as given (cleanup sized its text);
                # detection runs on a copy scaled per image, see read_words.
                "Global.max_side_len": 100_000,
                "Det.limit_type": "max",
                "Det.limit_side_len": 1280,
                "EngineConfig.onnxruntime.intra_op_num_threads": ocr_threads(),
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        self._model = f"PP-OCRv6 small det+rec (rapidocr {version('rapidocr')}, onnxruntime {version('onnxruntime')})"

    def model_version(self) -> str:
        return self._model

    def read_words(self, image: np.ndarray, options: OcrOptions) -> list[Word]:
        rgb = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB) if image.ndim == 2 else image
        self._ocr._load_det_model().limit_side_len = detector_side(image)
        try:
            out = self._ocr(rgb, return_word_box=True)
        except Exception as e:  # onnxruntime raises plain RuntimeErrors
            raise OcrEngineError(f"PP-OCR failed on a {image.shape[1]}x{image.shape[0]} image: {e}") from e
        words: list[Word] = []
        for line in out.word_results or ():
            for text, score, quad in line:
                if not text.strip() or score < options.min_confidence:
                    continue
                xs = [p[0] for p in quad]
                ys = [p[1] for p in quad]
                words.append(
                    Word(text=text, bbox=(min(xs), min(ys), max(xs), max(ys)), confidence=float(score))
                )
        return words
