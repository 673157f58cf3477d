"""A record's crop: its own strips cut from the page or frame image its boxes are in, nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import ImageFont

from digitize import pdf
from digitize.cleanup.negative import is_negative
from digitize.crops import GAP, GROUND, PAD, document_path, record_crops
from digitize.evaluation import char_errors
from digitize.ocr import get_ocr_engine
from digitize.reader import PageReader, ReadOptions, regions
from digitize.store import put, sha256_file
from models.errors import FileChangedError
from tests.conftest import FONT, LINES, typed_page

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def line_box(i: int, size: int = 30) -> tuple[float, float, float, float]:
    """The box typed_page() drew line i in."""
    x0, y0, x1, y1 = ImageFont.truetype(FONT, size).getbbox(LINES[i])
    top = 60 + i * int(size * 1.9)
    return (70 + x0, top + y0, 70 + x1, top + y1)


def cut(image: np.ndarray, box) -> np.ndarray:
    x0, y0, x1, y1 = box
    return image[int(y0) - PAD:int(np.ceil(y1)) + PAD, int(x0) - PAD:int(np.ceil(x1)) + PAD]


def record(path: Path, boxes, **kw) -> dict:
    return {"source": str(path), "sha256": sha256_file(path), "page": 1, "frame": None, "record": 0,
            "bbox": list(boxes[0]), "regions": [list(b) for b in boxes], **kw}


def test_strips_are_stacked_with_a_gap_and_nothing_between(tmp_path, settings):
    page = typed_page()
    path = tmp_path / "card.png"
    cv2.imwrite(str(path), page)
    boxes = [line_box(1), line_box(4)]  # the docket line and the disposition line; line 2 (the name) between
    [(rec, crop)] = list(record_crops(path, [record(path, boxes)], settings))
    a, b = cut(page, boxes[0]), cut(page, boxes[1])
    assert crop.shape == (a.shape[0] + GAP + b.shape[0], max(a.shape[1], b.shape[1]))
    assert np.array_equal(crop[:a.shape[0], :a.shape[1]], a)
    assert np.array_equal(crop[a.shape[0] + GAP:, :b.shape[1]], b)
    assert (crop[a.shape[0]:a.shape[0] + GAP] == GROUND).all()
    name = cut(page, line_box(2))
    assert not any(np.array_equal(crop[y:y + name.shape[0], :name.shape[1]], name)
                   for y in range(crop.shape[0] - name.shape[0] + 1))


def test_a_negative_is_shown_as_a_positive(tmp_path, settings):
    page = typed_page()
    path = tmp_path / "negative.png"
    cv2.imwrite(str(path), 255 - page)
    box = line_box(3)
    [(_, crop)] = list(record_crops(path, [record(path, [box])], settings))
    assert np.array_equal(crop, cut(page, box))


def test_a_text_layer_pdf_is_cut_at_the_dpi_its_boxes_are_in(tmp_path, settings):
    path = SAMPLES / "pdf_text" / "pdf_text_00011.pdf"
    dpi = ReadOptions().dpi
    lines = pdf.text_layer(path, 1, dpi, settings.max_pixels)
    chosen = [lines[3], lines[7]]
    rec = record(path, [ln.bbox for ln in chosen])
    [(_, crop)] = list(record_crops(path, [rec], settings))
    # Real OCR of the crop reads exactly the chosen lines: the boxes and the rendered pixels line up.
    [page] = PageReader(get_ocr_engine("tesseract"), settings).read_image(crop, source="crop", sha256="0" * 64, page=1)
    want = "\n".join(ln.text for ln in chosen)
    edits, chars = char_errors(page.text, want)
    assert edits / chars < 0.1, (page.text, want)


def test_a_fiche_frame_is_cut_from_the_frame_the_reader_yields(settings):
    path = SAMPLES / "sheet" / "sheet_00010.png"
    frames = [r for r in regions(path, settings, ReadOptions()) if r.frame is not None]
    assert len(frames) > 1
    frame = frames[1]
    h, w = frame.image.shape
    box = (w * 0.2, h * 0.3, w * 0.7, h * 0.4)
    rec = record(path, [box], frame={"row": frame.frame.row, "col": frame.frame.col})
    [(_, crop)] = list(record_crops(path, [rec], settings))
    expect = cut(frame.image, box)
    assert is_negative(frame.image)  # the sample sheet is film: the reviewer gets the positive
    assert np.array_equal(crop, 255 - expect)


def test_changed_bytes_are_refused(tmp_path, settings):
    path = tmp_path / "card.png"
    cv2.imwrite(str(path), typed_page())
    rec = record(path, [line_box(0)])
    cv2.imwrite(str(path), typed_page(lines=["SOMETHING ELSE"]))
    with pytest.raises(FileChangedError, match="not the one its records were read from"):
        list(record_crops(path, [rec], settings))


def test_the_document_is_found_in_the_store_before_its_source_path(tmp_path, settings):
    path = tmp_path / "card.png"
    cv2.imwrite(str(path), typed_page())
    rec = record(path, [line_box(0)])
    assert document_path(rec, settings) == path
    stored = put(path, settings.store_dir, "png", rec["sha256"]).path
    shutil.move(path, tmp_path / "moved.png")
    assert document_path(rec, settings) == stored
    assert document_path({**rec, "sha256": "f" * 64}, settings) is None
