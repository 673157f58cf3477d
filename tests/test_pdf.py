"""digitize.pdf: page counts, rendering, text layers aligned with the rendered pixels."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from digitize import pdf
from models.errors import CorruptPdfError, EmptyPdfError, EncryptedDocumentError

RESOURCES = Path(__file__).parent / "resources"
TEXT_PDF = RESOURCES / "text_layer.pdf"
SCANNED_PDF = RESOURCES / "scanned.pdf"


def _word(lines, text):
    return next(w for line in lines for w in line.words if w.text == text)


def _dark_box(image: np.ndarray, bbox, margin: int = 4):
    """Bounding box of the dark pixels near `bbox` in the rendered image."""
    x0, y0, x1, y1 = (int(round(v)) for v in bbox)
    region = image[max(y0 - margin, 0) : y1 + margin, max(x0 - margin, 0) : x1 + margin]
    ys, xs = np.nonzero(region < 128)
    ox, oy = max(x0 - margin, 0), max(y0 - margin, 0)
    return xs.min() + ox, ys.min() + oy, xs.max() + ox, ys.max() + oy


def _assert_aligned(image, word, slack=1.5):
    """The word's ink lies inside its box and fills most of its width (glyph side bearings aside)."""
    x0, y0, x1, y1 = word.bbox
    dx0, dy0, dx1, dy1 = _dark_box(image, word.bbox)
    inside = x0 - slack <= dx0 and dx1 <= x1 + slack and y0 - slack <= dy0 and dy1 <= y1 + slack
    assert inside, (word, (dx0, dy0, dx1, dy1))
    assert dx1 - dx0 >= 0.85 * (x1 - x0) and dy1 - dy0 >= 0.5 * (y1 - y0), (word, (dx0, dy0, dx1, dy1))


def test_page_count_and_size():
    assert pdf.page_count(TEXT_PDF) == 1
    assert pdf.page_size_px(TEXT_PDF, 1, 72) == (612, 792)
    assert pdf.page_size_px(TEXT_PDF, 1, 150) == (1275, 1650)  # 11 in x 150 dpi, no float rounding up
    image = pdf.render_page(TEXT_PDF, 1, 150)
    assert image.dtype == np.uint8 and image.shape == (1650, 1275)
    assert image.shape[::-1] == pdf.page_size_px(TEXT_PDF, 1, 150)


@pytest.mark.parametrize("dpi", [100, 200])
def test_text_layer_boxes_match_rendered_pixels(dpi):
    lines = pdf.text_layer(TEXT_PDF, 1, dpi)
    image = pdf.render_page(TEXT_PDF, 1, dpi)
    assert [line.text for line in lines] == [
        "DOCKET 8412CR001234 SUFFOLK SUPERIOR COURT",
        "DISPOSITION GUILTY",  # the far-right field on the same row is its own line, after this one
        "SENTENCE 2 YRS HOC",
        "c. 265, s. 13A assault and battery",
    ]
    for text in ("DOCKET", "8412CR001234", "GUILTY", "SENTENCE", "battery"):
        _assert_aligned(image, _word(lines, text))
    assert all(w.confidence == 1.0 for line in lines for w in line.words)


def test_scanned_pdf_has_no_text_layer():
    assert pdf.page_count(SCANNED_PDF) == 1
    assert pdf.text_layer(SCANNED_PDF, 1, 150) is None
    image = pdf.render_page(SCANNED_PDF, 1, 100)
    assert (image < 128).any()  # the scanned words are there as pixels


def test_render_is_capped_by_max_pixels_and_boxes_follow():
    cap = 500_000
    image = pdf.render_page(TEXT_PDF, 1, 300, max_pixels=cap)
    assert image.size <= cap
    assert image.shape[::-1] == pdf.page_size_px(TEXT_PDF, 1, 300, max_pixels=cap)
    assert pdf.effective_dpi(TEXT_PDF, 1, 300, max_pixels=cap) < 300
    lines = pdf.text_layer(TEXT_PDF, 1, 300, max_pixels=cap)
    _assert_aligned(image, _word(lines, "8412CR001234"))


def test_crop_box_offsets_are_applied(tmp_path):
    cropped = tmp_path / "cropped.pdf"
    with pikepdf.open(TEXT_PDF) as doc:
        doc.pages[0].CropBox = [50, 100, 560, 750]
        doc.save(cropped)
    image = pdf.render_page(cropped, 1, 150)
    assert image.shape == (1355, 1063)
    _assert_aligned(image, _word(pdf.text_layer(cropped, 1, 150), "DOCKET"))


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_rotated_pages_align(tmp_path, rotate):
    # Content drawn turned the other way, so the page reads upright once /Rotate is applied.
    path = tmp_path / f"rot{rotate}.pdf"
    c = canvas.Canvas(str(path), pagesize=letter)
    c.translate(*{90: (100, 100), 180: (500, 700), 270: (500, 700)}[rotate])
    c.rotate(rotate)
    c.setFont("Helvetica", 14)
    for i in range(3):
        c.drawString(0, -20 * i, f"LINE {i} DOCKET 8412CR00123{i}")
    c.showPage()
    c.save()
    with pikepdf.open(path, allow_overwriting_input=True) as doc:
        doc.pages[0].Rotate = rotate
        doc.save(path)
    image = pdf.render_page(path, 1, 100)
    assert image.shape == ((850, 1100) if rotate in (90, 270) else (1100, 850))
    lines = pdf.text_layer(path, 1, 100)
    assert [line.text for line in lines] == [f"LINE {i} DOCKET 8412CR00123{i}" for i in range(3)]
    _assert_aligned(image, _word(lines, "8412CR001231"))


def _scan_with_hidden_text(path: Path, words: list[str]) -> Path:
    im = Image.new("L", (850, 1100), 255)
    ImageDraw.Draw(im).text((100, 100), "whatever the scan shows", fill=0)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    buf.seek(0)
    c = canvas.Canvas(str(path), pagesize=letter)
    c.drawImage(ImageReader(buf), 0, 0, width=letter[0], height=letter[1])
    for i, line in enumerate(words):
        t = c.beginText(72, 700 - 14 * i)
        t.setTextRenderMode(3)  # invisible, as OCR tools place text under a scan
        t.setFont("Helvetica", 12)
        t.textLine(line)
        c.drawText(t)
    c.showPage()
    c.save()
    return path


def test_hidden_text_of_a_bad_ocr_is_unusable(tmp_path):
    junk = [";;:.~ |l1 ,,'' ~~ .:|:;", "'' ,, ;: ~.~ |||| :.:", "^~ ,., ;;' |:. ~~~ ''"] * 30
    path = _scan_with_hidden_text(tmp_path / "bad_ocr.pdf", junk)
    assert pdf.text_layer(path, 1, 100) is None


def test_hidden_text_of_a_good_ocr_is_kept(tmp_path):
    good = [f"COMMONWEALTH V JOHN DOE DOCKET 8412CR00{i:04d} DISPOSITION GUILTY" for i in range(10)]
    path = _scan_with_hidden_text(tmp_path / "good_ocr.pdf", good)
    lines = pdf.text_layer(path, 1, 100)
    assert lines is not None and lines[0].text == good[0]


def test_a_stamp_over_a_scan_is_not_a_text_layer(tmp_path):
    path = _scan_with_hidden_text(tmp_path / "stamp.pdf", [])
    c = canvas.Canvas(str(tmp_path / "stamped.pdf"), pagesize=letter)
    c.drawImage(ImageReader(Image.new("L", (85, 110), 255)), 0, 0, width=letter[0], height=letter[1])
    c.setFont("Helvetica", 10)
    c.drawString(500, 20, "BATES 000123 PAGE 4")
    c.showPage()
    c.save()
    assert pdf.text_layer(tmp_path / "stamped.pdf", 1, 100) is None
    assert pdf.text_layer(path, 1, 100) is None


def test_garbage_text_heuristics():
    def found(text):
        words = [{"text": t, "x0": 0, "x1": 1, "top": 0, "bottom": 1} for t in text.split()]
        return {"words": words, "image_cover": 0.0, "upright": 1.0}

    assert pdf._usable(found("COMMONWEALTH V DOE DOCKET 8412CR001234"), hidden_share=0.0)
    assert not pdf._usable(found("(cid:12)(cid:7)(cid:9) (cid:3)(cid:44) DOCKET"), hidden_share=0.0)
    assert not pdf._usable(found("\ue001\ue002\ue003\ue004 \ufffd\ufffd ABCDEFGHIJ"), hidden_share=0.0)
    assert not pdf._usable(found("too short"), hidden_share=0.0)


def test_encrypted_pdf_is_refused(tmp_path):
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(TEXT_PDF) as doc:
        doc.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret2", R=6))
    with pytest.raises(EncryptedDocumentError, match="password"):
        pdf.page_count(locked)


def test_owner_password_only_pdf_opens(tmp_path):
    # Readers open these without asking anything: not "encrypted" for an archivist.
    restricted = tmp_path / "restricted.pdf"
    with pikepdf.open(TEXT_PDF) as doc:
        doc.save(restricted, encryption=pikepdf.Encryption(user="", owner="owner", R=4))
    assert pdf.page_count(restricted) == 1
    assert pdf.text_layer(restricted, 1, 100)[0].words[0].text == "DOCKET"


def test_truncated_pdf_is_corrupt(tmp_path):
    data = TEXT_PDF.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(CorruptPdfError, match="cut\\s+short"):
        pdf.page_count(cut)


def test_garbage_pdf_is_corrupt(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100 + b"\n%%EOF\n")
    with pytest.raises(CorruptPdfError):
        pdf.page_count(bad)


def test_pdf_without_pages_is_refused(tmp_path):
    empty = tmp_path / "empty.pdf"
    pikepdf.new().save(empty)
    with pytest.raises(EmptyPdfError):
        pdf.page_count(empty)


def test_leading_junk_before_header_is_accepted(tmp_path):
    padded = tmp_path / "padded.pdf"
    padded.write_bytes(b"X" * 100 + TEXT_PDF.read_bytes())
    assert pdf.page_count(padded) == 1


def test_page_out_of_range():
    with pytest.raises(ValueError, match="has 1 pages"):
        pdf.render_page(TEXT_PDF, 2, 72)
