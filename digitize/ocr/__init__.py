"""OCR engines behind one interface, chosen by name (`ppocr`, `paddle`, `tesseract`)."""

from __future__ import annotations

from collections.abc import Callable

from models.errors import ConfigError

from .base import OcrEngine, OcrOptions


def _ppocr() -> OcrEngine:
    from .rapid import RapidOcrEngine

    return RapidOcrEngine()


def _paddle() -> OcrEngine:
    from .paddle import PaddleOcrEngine

    return PaddleOcrEngine()


def _tesseract() -> OcrEngine:
    from .tesseract import TesseractEngine

    return TesseractEngine()


# Imported lazily: loading one engine must not require the others' runtimes.
ENGINES: dict[str, Callable[[], OcrEngine]] = {
    "ppocr": _ppocr,
    "paddle": _paddle,
    "tesseract": _tesseract,
}


def get_ocr_engine(name: str) -> OcrEngine:
    try:
        factory = ENGINES[name]
    except KeyError:
        raise ConfigError(f"unknown OCR engine {name!r}: choose one of {', '.join(ENGINES)}") from None
    return factory()


__all__ = ["ENGINES", "OcrEngine", "OcrOptions", "get_ocr_engine"]
