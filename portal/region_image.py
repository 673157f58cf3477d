"""The image of the page region an event was read from, cut by digitize.crops from the stored
document, as PNG bytes."""

from __future__ import annotations

import cv2

from digitize import crops
from models.errors import CrosstrackError
from models.settings import Settings

from .queries import RegionRef


class RegionUnavailable(CrosstrackError):
    """Why a region's image cannot be shown (no box recorded, the document not in the store)."""


def region_png(ref: RegionRef, settings: Settings) -> bytes:
    record = ref.as_record()
    if ref.bbox is None:
        raise RegionUnavailable("no region box was recorded for this event: open the whole page from its document")
    path = crops.document_path(record, settings)
    if path is None:
        raise RegionUnavailable(f"document {ref.sha256[:12]} is not in the store: upload it again")
    for _, image in crops.record_crops(path, [record], settings):
        ok, buf = cv2.imencode(".png", image)
        if ok:
            return buf.tobytes()
    raise RegionUnavailable(f"page {ref.page} of document {ref.sha256[:12]} could not be read")
