"""PDFs: open and count pages, render pages (pypdfium2), read a usable text layer (pdfplumber).

Coordinates: every box is in the pixels of the page as `render_page` draws it at the same `dpi`
and `max_pixels` (top-left origin, page rotation and crop box applied), so text-layer words line
up with the rendered image the OCR and reviewers see.

When a text layer is unusable `text_layer` returns None and the page goes to OCR instead:
- fewer than MIN_CHARS visible characters (a blank or image-only page);
- a scan with a stamp: images cover at least half the page and there are fewer than
  STAMP_MAX_CHARS characters (a Bates number or a header over a scanned image);
- more than GARBAGE_MAX of the characters are garbage: `(cid:N)` glyphs without a Unicode
  mapping, U+FFFD, private-use or control characters;
- mostly invisible text (render mode 3), i.e. an earlier OCR layer of unknown quality, unless at
  least HIDDEN_OCR_MIN_PLAUSIBLE of its words look like words;
- mostly sideways (non-upright) text, or a rotated page with a crop box, where boxes could not be
  placed reliably.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFPasswordIncorrect

from models.errors import CorruptPdfError, EmptyPdfError, EncryptedDocumentError
from models.page import Line, Word

POINTS_PER_INCH = 72.0
EOF_WINDOW = 1024  # Acrobat requires %%EOF within the last 1024 bytes; without it the file was cut short
MIN_CHARS = 16
STAMP_MAX_CHARS = 200
STAMP_MIN_IMAGE_COVER = 0.5
GARBAGE_MAX = 0.2
HIDDEN_OCR_MIN_PLAUSIBLE = 0.9
LINE_GAP_EM = 2.5  # a horizontal gap wider than this many line heights starts a new line (a column)

log = logging.getLogger(__name__)
_CID = re.compile(r"\(cid:\d+\)")
# PDFium is not thread-safe: one document operation at a time per process.
_PDFIUM_LOCK = threading.RLock()
_PLUMBER_LOCK = threading.Lock()
_PLUMBER_CACHE: dict[str, tuple[tuple, pdfplumber.PDF]] = {}  # at most one open document


def page_count(path: Path) -> int:
    """Open the PDF and count its pages; raises EncryptedDocumentError, CorruptPdfError, EmptyPdfError."""
    _check_not_truncated(Path(path))
    with _document(path) as doc:
        count = len(doc)
        if count == 0:
            raise EmptyPdfError()
        for i in range(count):  # reads each page's size without rendering: catches a broken page tree
            try:
                doc.get_page_size(i)
            except pdfium.PdfiumError as e:
                raise CorruptPdfError(f"page {i + 1} of {count} cannot be read ({e}): {CorruptPdfError.message}") from e
        return count


def effective_dpi(path: Path, page_no: int, dpi: float, max_pixels: int | None = None) -> float:
    """`dpi`, lowered if needed so the rendered page stays within `max_pixels`."""
    width, height = _page_size_pt(path, page_no)
    return _capped_dpi(width, height, dpi, max_pixels)


def page_size_px(path: Path, page_no: int, dpi: float, max_pixels: int | None = None) -> tuple[int, int]:
    """(width, height) of the page as `render_page` draws it."""
    width, height = _page_size_pt(path, page_no)
    scale = _capped_dpi(width, height, dpi, max_pixels) / POINTS_PER_INCH
    return math.ceil(width * scale), math.ceil(height * scale)  # pypdfium2 rounds up the same way


def render_page(path: Path, page_no: int, dpi: float, max_pixels: int | None = None) -> np.ndarray:
    """The page as a grayscale uint8 array (H, W) at `dpi` (lowered to fit `max_pixels`)."""
    with _document(path) as doc:
        page = _page(doc, page_no)
        width, height = page.get_size()
        scale = _capped_dpi(width, height, dpi, max_pixels) / POINTS_PER_INCH
        try:
            bitmap = page.render(scale=scale, grayscale=True, draw_annots=True)
        except pdfium.PdfiumError as e:
            raise CorruptPdfError(f"page {page_no} cannot be rendered ({e}): {CorruptPdfError.message}") from e
        array = bitmap.to_numpy()
        return np.ascontiguousarray(array.reshape(array.shape[0], array.shape[1]))


def text_layer(path: Path, page_no: int, dpi: float, max_pixels: int | None = None) -> list[Line] | None:
    """The page's own text as lines of words in reading order, boxes in pixels at `dpi`; None if unusable."""
    with _document(path) as doc:
        page = _page(doc, page_no)
        width_pt, height_pt = page.get_size()
        hidden = _hidden_text_share(page)
    scale = _capped_dpi(width_pt, height_pt, dpi, max_pixels) / POINTS_PER_INCH
    words = _plumber_words(Path(path), page_no, width_pt, height_pt)
    if words is None or not _usable(words, hidden):
        return None
    size = (math.ceil(width_pt * scale), math.ceil(height_pt * scale))
    return _lines([_word(w, scale, size) for w in words["words"]])


# -- opening -----------------------------------------------------------------------------------


def _check_not_truncated(path: Path) -> None:
    with open(path, "rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - EOF_WINDOW))
        tail = f.read()
    if b"%%EOF" not in tail:
        raise CorruptPdfError(
            f"the PDF has no end-of-file marker (%%EOF) in its last {EOF_WINDOW} bytes, so it was cut "
            "short (an interrupted copy or download): copy it again or re-export it from the source system"
        )


@contextmanager
def _document(path: Path) -> Iterator[pdfium.PdfDocument]:
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as e:
            if getattr(e, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
                raise EncryptedDocumentError() from e
            if _has_no_pages(path):
                raise EmptyPdfError() from e
            raise CorruptPdfError(f"the PDF cannot be opened ({e}): {CorruptPdfError.message}") from e
        try:
            yield doc
        finally:
            doc.close()


def _has_no_pages(path: Path) -> bool:
    """PDFium refuses a PDF whose page tree is empty as a "format error"; qpdf tells the two apart."""
    try:
        with pikepdf.open(path) as doc:
            return len(doc.pages) == 0
    except Exception:  # qpdf cannot read it either: it is corrupt, which the caller reports
        return False


def _page(doc: pdfium.PdfDocument, page_no: int) -> pdfium.PdfPage:
    if not 1 <= page_no <= len(doc):
        raise ValueError(f"page {page_no} does not exist: the PDF has {len(doc)} pages (numbered from 1)")
    try:
        return doc[page_no - 1]
    except pdfium.PdfiumError as e:
        raise CorruptPdfError(f"page {page_no} cannot be loaded ({e}): {CorruptPdfError.message}") from e


def _page_size_pt(path: Path, page_no: int) -> tuple[float, float]:
    with _document(path) as doc:
        return tuple(_page(doc, page_no).get_size())


def _capped_dpi(width_pt: float, height_pt: float, dpi: float, max_pixels: int | None) -> float:
    # pypdfium2 sizes bitmaps with ceil(); shaving 1e-9 keeps 792 pt x 150/72 at 1650 px, not 1651.
    scale = dpi / POINTS_PER_INCH * (1 - 1e-9)
    if max_pixels and math.ceil(width_pt * scale) * math.ceil(height_pt * scale) > max_pixels:
        scale = math.sqrt(max_pixels / (width_pt * height_pt))
        while math.ceil(width_pt * scale) * math.ceil(height_pt * scale) > max_pixels:
            scale *= 0.999  # ceil() can add a pixel per side
    return scale * POINTS_PER_INCH


# -- the text layer -----------------------------------------------------------------------------


def _hidden_text_share(page: pdfium.PdfPage) -> float:
    """Share of text objects drawn invisibly (render mode 3), as OCR tools lay text under a scan."""
    total = hidden = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
        total += 1
        hidden += pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
    return hidden / total if total else 0.0


def _plumber_words(path: Path, page_no: int, width_pt: float, height_pt: float) -> dict | None:
    try:
        with _PLUMBER_LOCK:
            page = _plumber_document(path).pages[page_no - 1]
            try:
                if page.rotation and page.cropbox != page.mediabox:
                    return None  # pdfplumber only approximates crop boxes on rotated pages
                x0, top = page.cropbox[0], page.cropbox[1]
                if abs(page.cropbox[2] - x0 - width_pt) > 1 or abs(page.cropbox[3] - top - height_pt) > 1:
                    return None  # pdfplumber and PDFium disagree on the page's size: boxes would not line up
                words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
                image_area = sum(_clipped_area(im, page.cropbox) for im in page.images)
                chars = page.chars
                upright = sum(1 for c in chars if c.get("upright", True))
            finally:
                page.close()  # drops the page's parsed objects; the document stays open for the next page
    except PDFPasswordIncorrect as e:
        raise EncryptedDocumentError() from e
    except Exception as e:  # pdfminer rejects some files PDFium reads; the page is OCRed from its render instead
        log.warning("%s page %d: text layer unreadable (%s: %s); the page will be OCRed", path, page_no, type(e).__name__, e)
        return None
    for w in words:
        w["x0"], w["x1"], w["top"], w["bottom"] = w["x0"] - x0, w["x1"] - x0, w["top"] - top, w["bottom"] - top
    return {
        "words": words,
        "image_cover": image_area / (width_pt * height_pt),
        "upright": upright / len(chars) if chars else 1.0,
    }


def _plumber_document(path: Path) -> pdfplumber.PDF:
    """The open pdfplumber document for `path`, kept between calls: pdfminer walks the whole page
    tree to list pages, so reopening it for every page would make a long PDF quadratic."""
    stat = Path(path).stat()
    key = (str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)
    cached = _PLUMBER_CACHE.get("doc")
    if cached and cached[0] == key:
        return cached[1]
    if cached:
        cached[1].close()
        _PLUMBER_CACHE.clear()
    doc = pdfplumber.open(path)
    _PLUMBER_CACHE["doc"] = (key, doc)
    return doc


def _clipped_area(obj: dict, box: tuple) -> float:
    w = min(obj["x1"], box[2]) - max(obj["x0"], box[0])
    h = min(obj["bottom"], box[3]) - max(obj["top"], box[1])
    return max(w, 0) * max(h, 0)


def _usable(found: dict, hidden_share: float) -> bool:
    text = "".join(w["text"] for w in found["words"])
    unmapped = len(_CID.findall(text))  # each (cid:N) is one glyph the PDF gives no text for
    rest = _CID.sub("", text)
    bad = unmapped + sum(1 for ch in rest if _is_garbage(ch))
    visible = len(rest) + unmapped - bad
    if visible < MIN_CHARS:
        return False
    if found["image_cover"] >= STAMP_MIN_IMAGE_COVER and visible < STAMP_MAX_CHARS:
        return False
    if bad / (visible + bad) > GARBAGE_MAX:
        return False
    if found["upright"] < 0.5:
        return False
    if hidden_share > 0.5:
        return _plausible_share(found["words"]) >= HIDDEN_OCR_MIN_PLAUSIBLE
    return True


def _is_garbage(ch: str) -> bool:
    code = ord(ch)
    return ch == "\ufffd" or 0xE000 <= code <= 0xF8FF or (not ch.isprintable())


def _plausible_share(words: list[dict]) -> float:
    """Share of words that look like words (mostly letters and digits), as bad OCR's rarely do."""
    def plausible(text: str) -> bool:
        alnum = sum(ch.isalnum() for ch in text)
        return alnum >= 1 and alnum / len(text) >= 0.6 and len(text) <= 40
    return sum(plausible(w["text"]) for w in words) / len(words)


def _word(w: dict, scale: float, size: tuple[int, int]) -> Word:
    width, height = size
    clamp = lambda v, hi: min(max(v * scale, 0.0), float(hi))  # noqa: E731
    bbox = (clamp(w["x0"], width), clamp(w["top"], height), clamp(w["x1"], width), clamp(w["bottom"], height))
    return Word(text=w["text"], bbox=bbox, confidence=1.0)


def _lines(words: list[Word]) -> list[Line]:
    """Group words into lines: rows by vertical overlap, split at wide gaps; top to bottom, left to right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.bbox[1], w.bbox[0])):
        cy, h = (word.bbox[1] + word.bbox[3]) / 2, word.bbox[3] - word.bbox[1]
        for row in reversed(rows[-3:]):  # only recent rows can share a baseline with this word
            ry = sum((w.bbox[1] + w.bbox[3]) / 2 for w in row) / len(row)
            rh = max(w.bbox[3] - w.bbox[1] for w in row)
            if abs(cy - ry) <= 0.5 * max(h, rh):
                row.append(word)
                break
        else:
            rows.append([word])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda w: w.bbox[0])
        height = max(w.bbox[3] - w.bbox[1] for w in row)
        current = [row[0]]
        for word in row[1:]:
            if word.bbox[0] - current[-1].bbox[2] > LINE_GAP_EM * height:
                lines.append(_line(current))
                current = []
            current.append(word)
        lines.append(_line(current))
    return lines  # rows were opened top to bottom, and each row's lines run left to right


def _line(words: list[Word]) -> Line:
    bbox = (
        min(w.bbox[0] for w in words), min(w.bbox[1] for w in words),
        max(w.bbox[2] for w in words), max(w.bbox[3] for w in words),
    )
    return Line(text=" ".join(w.text for w in words), bbox=bbox, confidence=1.0, words=words)
