"""The image of a record's own lines, cut from its page or fiche frame, for a reviewer.

A record's `regions` are strips of the page or frame image (a list item's strips never include the
items between its header and itself); they are cut out and stacked top to bottom with a small gap,
so a reviewer sees the record and nothing else of the document. Boxes are in the pixels of the
image `reader.regions` yields for the page or frame: a PDF page is rendered at the same dpi (the
text layer's boxes are in those pixels too), and a frame is cut from the leveled fiche sheet the
same way. A film negative is shown as a positive.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import cv2
import numpy as np

from models.errors import FileChangedError
from models.settings import Settings

from . import images, intake, pdf, store
from .cleanup import to_gray
from .cleanup.negative import is_negative
from .reader import ReadOptions, _image_regions

PAD = 6    # pixels kept around each strip
GAP = 14   # pixels between two strips
GROUND = 255
MAX_WIDTH = 2400  # wider crops are scaled down: a reviewer zooms in the browser anyway

Where = tuple[int, tuple[int, int] | None]  # page, (frame row, col) or None


def where(record: dict) -> Where:
    frame = record.get("frame")
    return int(record["page"]), ((int(frame["row"]), int(frame["col"])) if frame else None)


def strips(record: dict) -> list[tuple[float, float, float, float]]:
    """The record's strips; its bounding box when it has none."""
    boxes = record.get("regions") or ([record["bbox"]] if record.get("bbox") else [])
    return [tuple(map(float, b)) for b in boxes]


def document_path(record: dict, settings: Settings) -> Path | None:
    """The record's document: the stored copy of its bytes, else its source path."""
    found = store.locate(settings.store_dir, record["sha256"])
    if found is not None:
        return found
    source = Path(record.get("source") or "")
    return source if source.is_file() else None


def stack(image: np.ndarray, boxes: Iterable[tuple[float, float, float, float]]) -> np.ndarray:
    """The boxes of `image` cut out (with PAD around each) and stacked top to bottom, GAP apart."""
    h, w = image.shape[:2]
    cuts = []
    for x0, y0, x1, y1 in boxes:
        a, b = max(0, math.floor(x0) - PAD), min(w, math.ceil(x1) + PAD)
        c, d = max(0, math.floor(y0) - PAD), min(h, math.ceil(y1) + PAD)
        if b > a and d > c:
            cuts.append(image[c:d, a:b])
    if not cuts:
        raise ValueError("the record has no strip inside its page image")
    width = max(c.shape[1] for c in cuts)
    height = sum(c.shape[0] for c in cuts) + GAP * (len(cuts) - 1)
    out = np.full((height, width), GROUND, dtype=np.uint8)
    y = 0
    for c in cuts:
        out[y:y + c.shape[0], :c.shape[1]] = c
        y += c.shape[0] + GAP
    if width > MAX_WIDTH:
        out = cv2.resize(out, (MAX_WIDTH, round(height * MAX_WIDTH / width)), interpolation=cv2.INTER_AREA)
    return out


def record_crops(path: Path, records: list[dict], settings: Settings,
                 options: ReadOptions | None = None) -> Iterator[tuple[dict, np.ndarray]]:
    """(record, its crop) for records of the one document at `path`, page by page.

    Raises FileChangedError when the file's bytes are not the ones the records were read from."""
    options = options or ReadOptions()
    checked = intake.check_file(Path(path), settings)
    if {r["sha256"] for r in records} - {checked.sha256}:
        raise FileChangedError(f"document {checked.sha256[:12]} is not the one its records were read from: "
                               "extract it again")
    wanted: dict[Where, list[dict]] = defaultdict(list)
    for r in records:
        wanted[where(r)].append(r)
    for at, image in _images(Path(path), checked.kind, settings, options, set(wanted)):
        positive = cv2.bitwise_not(image) if is_negative(image) else image
        for r in wanted[at]:
            yield r, stack(positive, strips(r))


def _images(path: Path, kind: str, settings: Settings, options: ReadOptions,
            wanted: set[Where]) -> Iterator[tuple[Where, np.ndarray]]:
    """The page or frame images the wanted records sit on, in the pixels their boxes are in (as
    `reader.regions` makes them, but only the wanted pages are decoded or rendered)."""
    pages = {p for p, _ in wanted}
    if kind == "pdf":
        # Text-layer and scanned pages alike: the page rendered at `dpi` is the image the boxes are in.
        found = ((n, pdf.render_page(path, n, options.dpi, settings.max_pixels)) for n in sorted(pages))
    else:
        found = ((n, image) for n, image in enumerate(images.load_image(path, settings.max_pixels), start=1) if n in pages)
    for n, image in found:
        if (n, None) in wanted:
            yield (n, None), to_gray(image)
        if any(p == n and f is not None for p, f in wanted):  # a fiche sheet: its frames as the reader cuts them
            for region in _image_regions(image, options, source="", sha256="", page=n):
                at = (n, (region.frame.row, region.frame.col) if region.frame else None)
                if region.frame is not None and at in wanted:
                    yield at, region.image
