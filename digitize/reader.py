"""A document to page text: PDF text layers where usable, cleanup and OCR for everything else."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from models.page import FramePosition, Line, PageText, Word
from models.settings import Settings

from . import images, intake, pdf
from .cleanup import CleanupOptions, clean, split_sheet, to_gray
from .ocr import OcrEngine, OcrOptions
from .ocr.layout import group_lines
from .ocr.text import clean_word


class ReadOptions(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    cleanup: CleanupOptions = Field(default_factory=CleanupOptions)
    ocr: OcrOptions = Field(default_factory=OcrOptions)
    dpi: int = 300  # rendering resolution for PDF pages without a usable text layer
    debug_dir: Path | None = None  # where each step's image is written, for inspection


class PageReader:
    """Reads documents with one loaded OCR engine (loading it is the slow part)."""

    def __init__(self, engine: OcrEngine, settings: Settings, options: ReadOptions | None = None):
        self.engine = engine
        self.settings = settings
        options = options or ReadOptions()
        cleanup = options.cleanup.model_copy(update={"text_height": engine.text_height})
        self.options = options.model_copy(update={"cleanup": cleanup})

    def read_file(self, path: Path, source: str | None = None) -> Iterator[PageText]:
        """Every page (or fiche frame) of one file. Raises a RejectedFileError before the first page
        when intake refuses the file."""
        checked = intake.check_file(Path(path), self.settings)
        meta = {"source": source if source is not None else str(path), "sha256": checked.sha256}
        if checked.kind == "pdf":
            yield from self._read_pdf(Path(path), meta)
        else:
            for n, image in enumerate(images.load_image(Path(path), self.settings.max_pixels), start=1):
                yield from self.read_image(image, page=n, **meta)

    def _read_pdf(self, path: Path, meta: dict) -> Iterator[PageText]:
        dpi, cap = self.options.dpi, self.settings.max_pixels
        for n in range(1, pdf.page_count(path) + 1):
            lines = pdf.text_layer(path, n, dpi, cap)
            if lines is not None:
                width, height = pdf.page_size_px(path, n, dpi, cap)
                yield PageText.from_lines(
                    lines, page=n, width=width, height=height,
                    engine="pdfplumber", model=f"pdfplumber {version('pdfplumber')} text layer",
                    **meta,
                )
            else:
                yield from self.read_image(pdf.render_page(path, n, dpi, cap), page=n, **meta)

    def read_image(self, image: np.ndarray, *, source: str, sha256: str, page: int) -> Iterator[PageText]:
        gray = to_gray(image)
        frames = split_sheet(gray) if self.options.cleanup.fiche else None
        if frames is None:
            yield self._read_region(gray, source=source, sha256=sha256, page=page, frame=None)
            return
        for f in frames:
            x0, y0, x1, y1 = f.box
            yield self._read_region(
                gray[y0:y1, x0:x1], source=source, sha256=sha256, page=page,
                frame=FramePosition(row=f.row, col=f.col),
            )

    def _read_region(self, gray: np.ndarray, *, frame: FramePosition | None, **meta) -> PageText:
        debug = None
        if self.options.debug_dir is not None:
            tag = f"p{meta['page']}" + (f"_r{frame.row}c{frame.col}" if frame else "")
            debug = self.options.debug_dir / meta["sha256"][:12] / tag
        cleaned, ctx = clean(gray, self.options.cleanup, debug)
        words = []
        for w in self.engine.read_words(cleaned, self.options.ocr):
            text = clean_word(w.text)
            if text:
                words.append(w.model_copy(update={"text": text}))
        lines = [_to_original(line, ctx.to_original) for line in group_lines(words)]
        return PageText.from_lines(
            lines, frame=frame, negative=ctx.negative, width=gray.shape[1], height=gray.shape[0],
            engine=self.engine.name, model=self.engine.model_version(), **meta,
        )


def _to_original(line: Line, to_original) -> Line:
    words = [Word(text=w.text, bbox=to_original(w.bbox), confidence=round(w.confidence, 4)) for w in line.words]
    return Line(text=line.text, bbox=to_original(line.bbox), confidence=round(line.confidence, 4), words=words)
