"""A device-independent page: layouts draw onto it in points, renderers replay it.

Layouts never see pixels. The same list of drawing operations becomes a raster (render.py) or a
PDF page with a real text layer (pdfs.py), so truth is computed once from the same segments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import fonts


@dataclass
class Seg:
    x: float
    y: float          # baseline, points from the top
    text: str
    size: float       # font size in points
    strike: bool = False  # typewriter overstrike (bold look)
    ink: float = 1.0      # relative darkness, stamps are lighter


@dataclass
class Page:
    width: float
    height: float
    font: str
    size: float = 12.0
    margin: float = 36.0
    leading: float = 1.45
    ops: list = field(default_factory=list)   # ("text", Seg) | ("line", x0,y0,x1,y1,w) | ("rect", ...) | ("prints", ...)
    y: float = 0.0

    def __post_init__(self) -> None:
        self.y = self.margin + self.size

    # -- geometry ---------------------------------------------------------------------------
    @property
    def line_h(self) -> float:
        return self.size * self.leading

    @property
    def left(self) -> float:
        return self.margin

    @property
    def right(self) -> float:
        return self.width - self.margin

    @property
    def bottom(self) -> float:
        return self.height - self.margin

    def char_w(self, size: float | None = None) -> float:
        return fonts.text_width(self.font, "0", size or self.size)

    def width_of(self, text: str, size: float | None = None) -> float:
        return fonts.text_width(self.font, text, size or self.size)

    def has_room(self, lines: float = 1) -> bool:
        return self.y + (lines - 1) * self.line_h <= self.bottom

    def newline(self, n: float = 1) -> None:
        self.y += n * self.line_h

    # -- drawing ----------------------------------------------------------------------------
    def fit(self, text: str, max_w: float | None, size: float | None = None) -> str:
        """Cut `text` so it fits `max_w` (typed fields ran out of space, so did real clerks)."""
        text = fonts.sanitize(self.font, text)
        while max_w is not None and text and self.width_of(text, size) > max_w:
            text = text[:-1]
        return text.rstrip()

    def text(self, x: float, text: str, *, y: float | None = None, size: float | None = None,
             max_w: float | None = None, align: str = "left", strike: bool = False,
             ink: float = 1.0) -> str:
        """Draw one segment on a baseline; returns the text as printed ("" if nothing fit)."""
        size = size or self.size
        y = self.y if y is None else y
        if y > self.height - self.margin * 0.5 or not text.strip():
            return ""
        limit = {"left": self.right - x, "right": x - self.left,
                 "center": 2 * min(x - self.left, self.right - x)}[align]
        max_w = limit if max_w is None else min(max_w, limit)
        printed = self.fit(text, max_w, size)
        if not printed:
            return ""
        w = self.width_of(printed, size)
        if align == "right":
            x -= w
        elif align == "center":
            x -= w / 2
        self.ops.append(("text", Seg(x, y, printed, size, strike, ink)))
        return printed

    def center(self, text: str, **kw) -> str:
        return self.text(self.width / 2, text, align="center", **kw)

    def kv(self, x: float, label: str, value: str, *, vx: float | None = None,
           max_w: float | None = None, underline: bool = False) -> str:
        """A form field: label, then value at `vx` (or right after the label)."""
        lab = self.text(x, label)
        vx = vx if vx is not None else x + self.width_of(lab + " ")
        val = self.text(vx, value, max_w=max_w)
        if underline:
            end = vx + (max_w if max_w else self.width_of(val) + self.char_w())
            self.line(vx - 2, self.y + self.size * 0.25, min(end, self.right), self.y + self.size * 0.25, 0.6)
        return val

    def line(self, x0: float, y0: float, x1: float, y1: float, w: float = 0.8) -> None:
        self.ops.append(("line", x0, y0, x1, y1, w))

    def rule(self, w: float = 0.8, dy: float = 0.45) -> None:
        """A horizontal rule between the current line and the next."""
        y = self.y + self.line_h * dy
        self.line(self.left, y, self.right, y, w)

    def rect(self, x0: float, y0: float, x1: float, y1: float, w: float = 0.8) -> None:
        self.ops.append(("rect", x0, y0, x1, y1, w))

    def prints(self, x0: float, y0: float, x1: float, y1: float, seed: int) -> None:
        """A fingerprint impression (raster only: a PDF text layer has no use for it)."""
        self.ops.append(("prints", x0, y0, x1, y1, seed))

    def stamp(self, x: float, y: float, text: str, size: float | None = None) -> str:
        """A rubber stamp: boxed, lighter ink, on its own baseline."""
        size = size or self.size * 1.1
        printed = self.text(x, text, y=y, size=size, ink=0.75, strike=True)
        if printed:
            w = self.width_of(printed, size)
            pad = size * 0.35
            self.rect(x - pad, y - size * 0.95 - pad * 0.3, x + w + pad, y + size * 0.25 + pad * 0.3, 1.4)
        return printed

    # -- truth ------------------------------------------------------------------------------
    def segments(self) -> list[Seg]:
        return [op[1] for op in self.ops if op[0] == "text"]


def group_lines(segs: list[Seg]) -> list[list[Seg]]:
    """Segments sharing a baseline form one visual line; lines top to bottom, segments left to right."""
    rows: dict[float, list[Seg]] = {}
    for s in segs:
        rows.setdefault(round(s.y, 2), []).append(s)
    return [sorted(rows[k], key=lambda s: s.x) for k in sorted(rows)]


def line_text(row: list[Seg]) -> str:
    """Truth text of a visual line: each segment's runs of spaces collapse, segments join by one space."""
    return " ".join(re.sub(r"\s+", " ", s.text.strip()) for s in row if s.text.strip())
