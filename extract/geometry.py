"""Where a character span of the page text sits on the page, and how sure OCR was of it.

The page text is its lines joined by "\\n"; each word is found again in its line's text so an
entity's characters map back to word boxes (for the reviewer's crop) and word confidences.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from models.page import BBox, PageText


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    bbox: BBox
    confidence: float


class PageGeometry:
    @classmethod
    def from_page(cls, page: PageText) -> "PageGeometry":
        """The page's text rebuilt from its word boxes, a wide gap between words (a column or a
        label/value gap) kept as two spaces: OCR joins a visual line with single spaces, and the
        extractor reads columns the way a typed form sets them apart."""
        lines = []
        for line in page.lines:
            ws = sorted(line.words, key=lambda w: w.bbox[0])
            if not ws:
                lines.append(line.text)
                continue
            char_w = sorted((w.bbox[2] - w.bbox[0]) / max(1, len(w.text)) for w in ws)[len(ws) // 2]
            out = ws[0].text
            for a, b in zip(ws, ws[1:]):
                out += ("  " if b.bbox[0] - a.bbox[2] > 1.8 * char_w else " ") + b.text
            lines.append(out)
        words_page = page.model_copy(update={"lines": [ln.model_copy(update={"text": t, "words": sorted(ln.words, key=lambda w: w.bbox[0])})
                                                      for ln, t in zip(page.lines, lines)]})
        return cls("\n".join(lines), words_page)

    def __init__(self, text: str, page: PageText | None = None):
        self.text = text
        self.line_starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.words: list[_Word] = []
        self.line_boxes: list[BBox | None] = [None] * len(self.line_starts)
        self.line_conf: list[float] = [1.0] * len(self.line_starts)
        if page is not None:
            self._index(page)

    def _index(self, page: PageText) -> None:
        for i, line in enumerate(page.lines[: len(self.line_starts)]):
            base, pos = self.line_starts[i], 0
            self.line_boxes[i], self.line_conf[i] = line.bbox, line.confidence
            for w in line.words:
                at = line.text.find(w.text, pos)
                if at < 0:
                    continue
                self.words.append(_Word(base + at, base + at + len(w.text), w.bbox, w.confidence))
                pos = at + len(w.text)
            if not line.words:  # a text-layer line without word boxes: the line is the word
                self.words.append(_Word(base, base + len(line.text), line.bbox, line.confidence))

    @property
    def has_boxes(self) -> bool:
        return bool(self.words)

    def line_of(self, pos: int) -> int:
        return bisect_right(self.line_starts, pos) - 1

    def line_text(self, i: int) -> str:
        end = self.line_starts[i + 1] - 1 if i + 1 < len(self.line_starts) else len(self.text)
        return self.text[self.line_starts[i]:end]

    def _words(self, start: int, end: int) -> list[_Word]:
        return [w for w in self.words if w.start < end and w.end > start]

    def bbox(self, start: int, end: int) -> BBox | None:
        ws = self._words(start, end)
        if not ws:
            return None
        return (min(w.bbox[0] for w in ws), min(w.bbox[1] for w in ws),
                max(w.bbox[2] for w in ws), max(w.bbox[3] for w in ws))

    def lines_bbox(self, first: int, last: int) -> BBox | None:
        boxes = [b for b in self.line_boxes[first:last + 1] if b is not None]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def ocr_confidence(self, start: int, end: int) -> float:
        """The weakest word's confidence: one misread word spoils the value."""
        ws = self._words(start, end)
        if ws:
            return min(w.confidence for w in ws)
        return self.line_conf[self.line_of(start)]

    def column(self, start: int, end: int) -> tuple[float, float]:
        """Horizontal extent: pixels when the page has boxes, else character columns."""
        b = self.bbox(start, end)
        if b is not None:
            return b[0], b[2]
        ls = self.line_starts[self.line_of(start)]
        return float(start - ls), float(end - ls)
