"""A document to page text: PDF text layers where usable, cleanup and OCR for everything else.

Reading is split in two so it can fan out: `regions()` does the cheap part (intake, decoding,
text layers, fiche-sheet splitting) and yields the images still to read; `read_region()` cleans
and OCRs one of them and is what worker processes run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from models.page import FramePosition, Line, PageText, Word
from models.settings import Settings

from . import images, intake, pdf
from .cleanup import CleanupOptions, clean, deskew_sheet, split_sheet, to_gray
from .ocr import OcrEngine, OcrOptions
from .ocr.layout import group_lines
from .ocr.text import clean_word


class ReadOptions(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    cleanup: CleanupOptions = Field(default_factory=CleanupOptions)
    ocr: OcrOptions = Field(default_factory=OcrOptions)
    dpi: int = 300  # rendering resolution for PDF pages without a usable text layer
    debug_dir: Path | None = None  # where each step's image is written, for inspection


@dataclass
class Region:
    """One page or fiche frame still to be OCRed (picklable: it crosses to worker processes)."""

    image: np.ndarray  # 8-bit grey, the page or the frame's crop
    source: str
    sha256: str
    page: int
    frame: FramePosition | None = None


def regions(path: Path, settings: Settings, options: ReadOptions, source: str | None = None) -> Iterator[Region | PageText]:
    """Pages read from a text layer, and regions left to OCR, in document order.

    Raises a RejectedFileError before yielding anything when intake refuses the file."""
    checked = intake.check_file(Path(path), settings)
    meta = {"source": source if source is not None else str(path), "sha256": checked.sha256}
    if checked.kind == "pdf":
        yield from _pdf_regions(Path(path), settings, options, meta)
    else:
        for n, image in enumerate(images.load_image(Path(path), settings.max_pixels), start=1):
            yield from _image_regions(image, options, page=n, **meta)


def _pdf_regions(path: Path, settings: Settings, options: ReadOptions, meta: dict) -> Iterator[Region | PageText]:
    dpi, cap = options.dpi, settings.max_pixels
    for n in range(1, pdf.page_count(path) + 1):
        lines = pdf.text_layer(path, n, dpi, cap)
        if lines is not None:
            width, height = pdf.page_size_px(path, n, dpi, cap)
            yield PageText.from_lines(
                lines, page=n, width=width, height=height,
                engine="pdfplumber", model=f"pdfplumber {version('pdfplumber')} text layer", **meta,
            )
        else:
            yield from _image_regions(pdf.render_page(path, n, dpi, cap), options, page=n, **meta)


def _image_regions(image: np.ndarray, options: ReadOptions, **meta) -> Iterator[Region]:
    gray = to_gray(image)
    frames = None
    if options.cleanup.fiche:
        leveled = deskew_sheet(gray)
        frames = split_sheet(leveled)
        if frames is not None:
            gray = leveled  # frame boxes are in the leveled sheet's pixels
    if frames is None:
        yield Region(gray, **meta)
        return
    for f in frames:
        x0, y0, x1, y1 = f.box
        yield Region(np.ascontiguousarray(gray[y0:y1, x0:x1]), frame=FramePosition(row=f.row, col=f.col), **meta)


def read_region(region: Region, engine: OcrEngine, options: ReadOptions) -> PageText:
    """Clean one region, OCR it, and return its text with boxes in the region's own pixels."""
    cleanup = options.cleanup.model_copy(update={"text_height": engine.text_height})
    debug = None
    if options.debug_dir is not None:
        tag = f"p{region.page}" + (f"_r{region.frame.row}c{region.frame.col}" if region.frame else "")
        debug = options.debug_dir / region.sha256[:12] / tag
    cleaned, ctx = clean(region.image, cleanup, debug)
    words = []
    for w in engine.read_words(cleaned, options.ocr):
        text = clean_word(w.text)
        if text:
            words.append(w.model_copy(update={"text": text}))
    lines = [_to_original(line, ctx.to_original) for line in group_lines(words)]
    height, width = region.image.shape
    return PageText.from_lines(
        lines, source=region.source, sha256=region.sha256, page=region.page, frame=region.frame,
        negative=ctx.negative, width=width, height=height, engine=engine.name, model=engine.model_version(),
    )


class PageReader:
    """Reads documents one region after another with one loaded OCR engine."""

    def __init__(self, engine: OcrEngine, settings: Settings, options: ReadOptions | None = None):
        self.engine = engine
        self.settings = settings
        self.options = options or ReadOptions()

    def read_file(self, path: Path, source: str | None = None) -> Iterator[PageText]:
        for item in regions(path, self.settings, self.options, source):
            yield item if isinstance(item, PageText) else read_region(item, self.engine, self.options)

    def read_image(self, image: np.ndarray, *, source: str, sha256: str, page: int) -> Iterator[PageText]:
        for region in _image_regions(image, self.options, source=source, sha256=sha256, page=page):
            yield read_region(region, self.engine, self.options)


def _to_original(line: Line, to_original) -> Line:
    words = [Word(text=w.text, bbox=to_original(w.bbox), confidence=round(w.confidence, 4)) for w in line.words]
    return Line(text=line.text, bbox=to_original(line.bbox), confidence=round(line.confidence, 4), words=words)
