"""The real OCR engines on generated frames: accuracy, boxes in the original's pixels, the contract."""

from __future__ import annotations

import numpy as np
import pytest

from digitize.evaluation import char_errors
from digitize.ocr import get_ocr_engine
from digitize.reader import PageReader, ReadOptions
from digitize.samplegen import make_frame
from models.errors import ConfigError


@pytest.fixture(scope="module")
def ppocr():
    return get_ocr_engine("ppocr")


@pytest.fixture(scope="module")
def tesseract():
    return get_ocr_engine("tesseract")


def read(engine, image, settings):
    return list(PageReader(engine, settings, ReadOptions()).read_image(image, source="x", sha256="0" * 64, page=1))


@pytest.mark.parametrize("degradations", [["negative", "skew", "noise"], ["fade", "vignette", "blur"]])
def test_ppocr_reads_a_degraded_frame(ppocr, settings, degradations):
    image, truth = make_frame(11, layout="court_docket", font="Courier Prime", degradations=degradations)
    [page] = read(ppocr, image, settings)
    edits, chars = char_errors(page.text, truth["pages"][0]["text"])
    assert edits / chars < 0.03
    assert page.negative == ("negative" in degradations)
    assert page.engine == "ppocr" and "PP-OCRv6" in page.model
    assert (page.width, page.height) == (image.shape[1], image.shape[0])


def test_word_boxes_sit_on_ink_in_the_original(ppocr, settings):
    image, truth = make_frame(12, layout="doc_commitment_card", font="Liberation Mono", degradations=["skew", "negative"])
    [page] = read(ppocr, image, settings)
    ink = image > np.median(image) + 40  # negative: ink is light
    words = [w for line in page.lines for w in line.words]
    assert len(words) > 20
    on_ink = 0
    for w in words:
        x0, y0, x1, y1 = (int(round(v)) for v in w.bbox)
        assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height
        on_ink += ink[y0:y1, x0:x1].mean() > 0.03
        assert 0 <= w.confidence <= 1
    assert on_ink >= 0.95 * len(words)
    # Lines are in reading order: top to bottom.
    tops = [line.bbox[1] for line in page.lines]
    assert tops == sorted(tops) or np.mean(np.diff(tops) >= -5) > 0.95


def test_tesseract_is_selectable_and_reads(tesseract, settings):
    image, truth = make_frame(11, layout="court_docket", font="Courier Prime", degradations=[])
    [page] = read(tesseract, image, settings)
    edits, chars = char_errors(page.text, truth["pages"][0]["text"])
    assert edits / chars < 0.1
    assert page.engine == "tesseract" and page.model.startswith("tesseract 5")


def test_unknown_engine_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown OCR engine 'abbyy'"):
        get_ocr_engine("abbyy")


def test_paddle_runtime_is_selectable_and_respaces_words(settings):
    image, truth = make_frame(11, layout="court_docket", font="Courier Prime", degradations=[])
    [page] = read(get_ocr_engine("paddle"), image, settings)
    edits, chars = char_errors(page.text, truth["pages"][0]["text"])
    assert edits / chars < 0.08
    assert page.engine == "paddle" and "PP-OCRv4" in page.model
    # The recogniser emits few spaces; words come back split from the character columns.
    words = [w.text for line in page.lines for w in line.words]
    assert "COMMONWEALTH" in words and "MASSACHUSETTS" in words
