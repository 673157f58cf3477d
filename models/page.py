"""Page text: what `digitize` hands to `extract` (DESIGN.md, "Contracts worth keeping stable")."""

from __future__ import annotations

from pydantic import BaseModel, Field

BBox = tuple[float, float, float, float]  # x0, y0, x1, y1 in the page image's pixels


class Word(BaseModel):
    text: str
    bbox: BBox
    confidence: float = Field(ge=0.0, le=1.0)


class Line(BaseModel):
    text: str
    bbox: BBox
    confidence: float = Field(ge=0.0, le=1.0)
    words: list[Word] = Field(default_factory=list)


class FramePosition(BaseModel):
    """Where a frame sat on a fiche sheet, 0-based."""

    row: int
    col: int


class PageText(BaseModel):
    """The text of one page or one fiche frame, with word boxes and confidences."""

    source: str
    sha256: str
    page: int = Field(ge=1)
    frame: FramePosition | None = None
    negative: bool = False
    width: int
    height: int
    text: str
    lines: list[Line]
    engine: str
    model: str

    @classmethod
    def from_lines(cls, lines: list[Line], **kw) -> "PageText":
        return cls(text="\n".join(line.text for line in lines), lines=lines, **kw)

    def cli_record(self) -> dict:
        """The exact object `crosstrack digitize --json` prints for this page."""
        return self.model_dump(mode="json")
