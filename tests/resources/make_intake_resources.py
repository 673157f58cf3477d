"""Regenerate the small intake/image/PDF test files listed in README.md (deterministic).

Run from the repository root: `.venv/bin/python tests/resources/make_intake_resources.py`.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

HERE = Path(__file__).parent


def exif_rotated_jpeg() -> None:
    # Stored 60 wide x 40 high with a black block at the stored top-left; orientation 6 means a
    # viewer turns it 90 degrees clockwise, so upright it is 40 wide x 60 high, block at top-right.
    a = np.full((40, 60, 3), 255, np.uint8)
    a[0:10, 0:20] = 0
    im = Image.fromarray(a)
    exif = Image.Exif()
    exif[0x0112] = 6
    im.save(HERE / "exif_orientation6.jpg", quality=95, exif=exif)


def gray16_png() -> None:
    # Left half 0, right half 65535: scaled to 8 bits it must be 0 and 255.
    a = np.zeros((32, 64), np.uint16)
    a[:, 32:] = 65535
    a[:, 16:32] = 32896  # ~ 128 after scaling
    Image.fromarray(a).save(HERE / "gray16.png")


def multipage_tiff() -> None:
    pages = [
        Image.fromarray(np.full((30, 40), 200, np.uint8)),
        Image.fromarray(np.zeros((50, 20), np.uint8)).convert("1"),
        Image.fromarray(np.dstack([np.full((10, 10), c, np.uint8) for c in (255, 0, 0)])),
    ]
    pages[0].save(HERE / "three_pages.tif", save_all=True, append_images=pages[1:], compression="tiff_deflate")


def text_pdf() -> None:
    c = canvas.Canvas(str(HERE / "text_layer.pdf"), pagesize=letter, invariant=1)
    c.setFont("Helvetica", 14)
    c.drawString(72, 700, "DOCKET 8412CR001234 SUFFOLK SUPERIOR COURT")
    c.drawString(72, 680, "DISPOSITION GUILTY")
    c.drawString(400, 680, "SENTENCE 2 YRS HOC")
    c.drawString(72, 660, "c. 265, s. 13A assault and battery")
    c.showPage()
    c.save()


def scanned_pdf() -> None:
    # An image-only page, as a scanner writes it: the words are pixels, there is no text layer.
    from PIL import ImageDraw

    im = Image.new("L", (850, 1100), 255)
    ImageDraw.Draw(im).text((100, 100), "DOCKET 8412CR001234 SCANNED PAGE", fill=0)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    buf.seek(0)
    c = canvas.Canvas(str(HERE / "scanned.pdf"), pagesize=letter, invariant=1)
    c.drawImage(ImageReader(buf), 0, 0, width=letter[0], height=letter[1])
    c.showPage()
    c.save()


if __name__ == "__main__":
    exif_rotated_jpeg()
    gray16_png()
    multipage_tiff()
    text_pdf()
    scanned_pdf()
