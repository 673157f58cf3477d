"""PDF items: a real text layer (reportlab), image-only pages, or a mix of both.

PDF truth boxes are in PDF points from the page's top-left corner (multiply by dpi/72 for a
rendering at `dpi`); each page says so with "units": "pt".
"""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

from . import fonts, layouts
from .canvas import Page, group_lines, line_text
from .frame import make_frame

PDF_FONTS = [n for n, f in fonts.FONTS.items() if f.path.endswith(".ttf") or f.pdf_core]


def _rl_font(name: str) -> str:
    spec = fonts.FONTS[name]
    if spec.pdf_core:
        return spec.pdf_core  # metric twin among the base-14 fonts
    rl_name = "SG-" + name.replace(" ", "")
    if rl_name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(rl_name, spec.path))
    return rl_name


def _text_page(c: rl_canvas.Canvas, page: Page, fields: dict, n: int, rng: np.random.Generator) -> dict:
    H = page.height
    c.setPageSize((page.width, page.height))
    rl = _rl_font(page.font)
    ink = float(rng.uniform(0.0, 0.25))
    c.setStrokeGray(ink + 0.1)
    for op in page.ops:
        if op[0] == "line":
            _, x0, y0, x1, y1, w = op
            c.setLineWidth(w)
            c.line(x0, H - y0, x1, H - y1)
        elif op[0] == "rect":
            _, x0, y0, x1, y1, w = op
            c.setLineWidth(w)
            c.rect(x0, H - y1, x1 - x0, y1 - y0, stroke=1, fill=0)
        elif op[0] == "text":
            s = op[1]
            c.setFillGray(1 - (1 - ink) * s.ink)
            c.setFont(rl, s.size)
            c.drawString(s.x, H - s.y, s.text)
    c.showPage()
    lines = []
    for row in group_lines(page.segments()):
        boxes = []
        for s in row:
            b = fonts.ink_box(page.font, s.text, s.size)
            boxes.append((s.x + b[0], s.y + b[1], s.x + b[2], s.y + b[3]))
        lines.append({"text": line_text(row), "bbox": [round(min(b[0] for b in boxes), 2), round(min(b[1] for b in boxes), 2),
                                                      round(max(b[2] for b in boxes), 2), round(max(b[3] for b in boxes), 2)]})
    return {"page": n, "frame": None, "blank": False, "text_layer": True, "units": "pt",
            "width": page.width, "height": page.height, "text": "\n".join(l["text"] for l in lines),
            "lines": lines, "fields": fields, "layout": None, "font": page.font}


def _image_page(c: rl_canvas.Canvas, seed: int, n: int, layout: str, font: str, split: str,
                rng: np.random.Generator) -> tuple[dict, list[str]]:
    kind = "scan" if rng.random() < 0.7 else "frame"  # microfilm printed back to paper, then scanned
    img, truth = make_frame(seed, layout, font, kind=kind, split=split)
    dpi = float(rng.uniform(150, 300))
    k = 72.0 / dpi
    h, w = img.shape
    c.setPageSize((w * k, h * k))
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG", quality=85)  # scanners put JPEG in PDFs
    buf.seek(0)
    from reportlab.lib.utils import ImageReader
    c.drawImage(ImageReader(buf), 0, 0, width=w * k, height=h * k)
    c.showPage()
    p = truth["pages"][0]
    lines = [{"text": l["text"], "bbox": [round(v * k, 2) for v in l["bbox"]]} for l in p["lines"]]
    return ({"page": n, "frame": None, "blank": False, "text_layer": False, "units": "pt",
             "width": round(w * k, 2), "height": round(h * k, 2), "image_size": [w, h], "image_dpi": round(dpi, 2),
             "image_kind": kind, "negative": truth["negative"], "text": p["text"], "lines": lines,
             "fields": p["fields"], "layout": truth["layout"], "font": truth["font"]}, truth["degradations"])


def make_pdf(seed: int, kind: str = "pdf_text", *, split: str = "all", pages: int | None = None,
             layout: str | None = None, font: str | None = None) -> tuple[bytes, dict]:
    """A 1-3 page PDF of `kind` pdf_text | pdf_scanned | pdf_mixed. Returns (bytes, truth)."""
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    n = pages or prng.randint(2 if kind == "pdf_mixed" else 1, 3)
    if kind == "pdf_text":
        text_pages = [True] * n
    elif kind == "pdf_scanned":
        text_pages = [False] * n
    else:
        text_pages = [prng.random() < 0.5 for _ in range(n)]
        if n >= 2 and all(text_pages) or not any(text_pages):
            text_pages[prng.randrange(n)] = not text_pages[0]
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, invariant=1)  # invariant: no timestamps, so same seed, same bytes
    c.setTitle("")
    lay0, fnt0 = layouts.pick_layout_font(prng, split, layout, font)
    out_pages, degr, heldout = [], [], False
    for i, is_text in enumerate(text_pages, 1):
        # A batch PDF is mostly one record series; an explicit layout/font holds for every page.
        lay = lay0 if layout or prng.random() < 0.7 else None
        fnt = fnt0 if font or prng.random() < 0.7 else None
        if is_text:
            if fnt and fnt not in PDF_FONTS:
                fnt = None
            lay, fnt = _pick_pdf(prng, split, lay, fnt)
            page, fields = layouts.draw(lay, fnt, prng)
            pt = _text_page(c, page, fields, i, rng)
            pt["layout"] = lay
        else:
            lay, fnt = layouts.pick_layout_font(prng, split, lay, fnt)
            pt, d = _image_page(c, int(rng.integers(1 << 31)), i, lay, fnt, split, rng)
            degr += [x for x in d if x not in degr]
        heldout |= layouts.item_split(pt["layout"], pt["font"]) == "heldout"
        out_pages.append(pt)
    c.save()
    first = out_pages[0]
    truth = {"kind": kind, "layout": first["layout"], "font": first["font"],
             "split": "heldout" if heldout else "tune", "degradations": degr,
             "negative": any(p.get("negative", False) for p in out_pages), "grid": None, "pages": out_pages}
    return buf.getvalue(), truth


def _pick_pdf(prng: random.Random, split: str, lay: str | None, fnt: str | None) -> tuple[str, str]:
    for _ in range(50):
        l2, f2 = layouts.pick_layout_font(prng, split, lay, fnt)
        if f2 in PDF_FONTS:
            return l2, f2
        fnt = None
    return layouts.pick_layout_font(prng, split, lay, "Liberation Mono" if split != "heldout" else "IBM 3270")
