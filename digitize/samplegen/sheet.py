"""A whole microfiche sheet: a title strip and a grid of frames on film, usually negative."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw

from . import degrade, fonts, layouts, vocab
from .frame import page_truth, render_frame

SERIES = {
    "court_docket": "CRIMINAL DOCKETS", "doc_commitment_card": "COMMITMENT CARDS",
    "arrest_card": "ARREST FINGERPRINT CARDS", "hoc_booking": "H.O.C. BOOKING SHEETS",
    "parole_hearing": "PAROLE HEARING RECORDS", "probation_card": "PROBATION CENTRAL FILE",
}
AGENCY = {
    "court_docket": "TRIAL COURT", "doc_commitment_card": "DEPT. OF CORRECTION",
    "arrest_card": "STATE POLICE - I.D. SECTION", "hoc_booking": "SHERIFF'S DEPT.",
    "parole_hearing": "PAROLE BOARD", "probation_card": "COMMISSIONER OF PROBATION",
}


def make_sheet(rng_seed: int, rows: int = 5, cols: int = 12, frame_size: tuple[int, int] = (600, 450),
               blank_ratio: float = 0.15, *, split: str = "all", degradations: list[str] | None = None,
               negative: bool | None = None) -> tuple[np.ndarray, dict]:
    """Render a fiche sheet of rows x cols frames, each (w, h) px. Returns (uint8 image, truth).

    Truth pages are row-major, one per grid cell; blank cells have blank=True and no lines.
    """
    rng = np.random.default_rng(rng_seed)
    prng = random.Random(rng_seed)
    fw, fh = frame_size
    gx, gy = max(2, int(fw * rng.uniform(0.03, 0.08))), max(2, int(fh * rng.uniform(0.04, 0.1)))
    mx, my = gx * 2, gy * 2
    head_h = max(24, int(fh * rng.uniform(0.35, 0.6)))
    W = 2 * mx + cols * fw + (cols - 1) * gx
    H = head_h + 2 * my + rows * fh + (rows - 1) * gy
    series_layout, series_font = layouts.pick_layout_font(prng, split)
    same_font = prng.random() < 0.5  # computer-output fiche use one face throughout
    cap = float(np.clip(fh * rng.uniform(0.024, 0.03), 8, 22))

    names = degrade.pick(rng, "sheet", negative_p=0.8) if degradations is None else list(degradations)
    if negative is not None:
        names = [n for n in names if n != "negative"] + (["negative"] if negative else [])
    neg = "negative" in names
    # Final look: negatives are dark film with light text; gaps and empty frames are film base.
    base_final = rng.uniform(0.04, 0.18) if neg or rng.random() < 0.6 else rng.uniform(0.8, 0.92)
    base = float(1 - base_final if neg else base_final)  # in positive (paper-bright) terms
    sheet = np.full((H, W), base, np.float32)

    header_lines = _header(sheet, rng, prng, series_layout, head_h, mx, my, base)
    pages, split_any_heldout = [], layouts.item_split(series_layout, series_font) == "heldout"
    for r in range(rows):
        for c in range(cols):
            x0 = mx + c * (fw + gx)
            y0 = head_h + my + r * (fh + gy)
            cell_box = [x0, y0, x0 + fw, y0 + fh]
            n = len(pages) + 1
            if rng.random() < blank_ratio:
                # Unexposed film: a touch off the base so the frame edge is faintly visible.
                sheet[y0:y0 + fh, x0:x0 + fw] = base + rng.uniform(-0.03, 0.03)
                pages.append({"page": n, "frame": {"row": r, "col": c}, "blank": True, "text": "",
                              "lines": [], "fields": {}, "frame_bbox": cell_box})
                continue
            lay = series_layout if prng.random() < 0.85 else None
            fnt = series_font if same_font else None
            lay, fnt = layouts.pick_layout_font(prng, split, lay, fnt)
            split_any_heldout |= layouts.item_split(lay, fnt) == "heldout"
            size_pt = 11.0
            dpi = cap * 72.0 / (fonts.cap_ratio(fnt) * size_pt)
            page_pt = (fw * 0.94 * 72.0 / dpi, fh * 0.94 * 72.0 / dpi)
            page, fields = layouts.draw(lay, fnt, prng, page_pt=page_pt, size_pt=size_pt)
            cell, lines, cap_cell = render_frame(page, rng, (fw, fh), cap_px=cap)
            sheet[y0:y0 + fh, x0:x0 + fw] = cell
            for ln in lines:
                b = ln["bbox"]
                ln["bbox"] = [b[0] + x0, b[1] + y0, b[2] + x0, b[3] + y0]
            pt = page_truth(lines, fields, fw, fh, page=n, frame={"row": r, "col": c}, cap_px=cap_cell)
            pt.update({"layout": lay, "font": fnt, "frame_bbox": cell_box})
            pages.append(pt)

    geo = degrade.Geo()
    ctx = degrade.Ctx(rng=rng, geo=geo, cap_px=cap, fill=base, strength=1.0, film=True, max_skew=1.5)
    out, applied = degrade.apply(sheet, names, ctx)
    Hf, Wf = out.shape
    for p in pages:
        p["lines"] = geo.lines(p["lines"], Wf, Hf)
        p["frame_bbox"] = geo.box(p["frame_bbox"], Wf, Hf)
        p["width"], p["height"] = Wf, Hf  # boxes are in the sheet image's pixels
    truth = {"kind": "sheet", "layout": series_layout, "font": series_font,
             "split": "heldout" if split_any_heldout else "tune", "degradations": applied,
             "negative": "negative" in applied, "grid": [rows, cols],
             "header": {"text": "\n".join(l["text"] for l in header_lines), "lines": geo.lines(header_lines, Wf, Hf)},
             "frame_size": [fw, fh], "pages": pages}
    return (out * 255 + 0.5).astype(np.uint8), truth


def _header(sheet: np.ndarray, rng: np.random.Generator, prng: random.Random, layout: str,
            head_h: int, mx: int, my: int, base: float) -> list[dict]:
    """Eye-readable title strip: agency, series, range, fiche number."""
    county = prng.choice(vocab.COUNTIES).upper()
    y1, y2 = prng.randint(1952, 1995), 0
    y2 = y1 + prng.randint(0, 3)
    left = [f"{AGENCY[layout]} - {SERIES[layout]}", f"{county} {y1}-{y2}" if prng.random() < 0.6 else f"{y1}-{y2}"]
    right = f"FICHE {prng.randint(1, 400):04d}" if prng.random() < 0.6 else f"{prng.randint(1, 60)} OF {prng.randint(60, 99)}"
    H, W = sheet.shape
    strip = Image.new("L", (W, head_h + my), 0)
    d = ImageDraw.Draw(strip)
    font_name = prng.choice(["DejaVu Sans Mono", "Liberation Mono", "Nimbus Sans"])
    px = max(8.0, (head_h + my * 0.4) / 2.6)  # two lines and their descenders fit above the frames
    font = fonts.pil_font(font_name, px)
    while font.getlength(left[0]) > W * 0.7 and px > 6:
        px *= 0.9
        font = fonts.pil_font(font_name, px)
    line_gap = px * 1.25
    lines = []
    by = my * 0.6 + px * 0.95
    for i, t in enumerate(left):
        d.text((mx, by + i * line_gap), t, font=font, fill=255, anchor="ls")
        b = d.textbbox((mx, by + i * line_gap), t, font=font, anchor="ls")
        row_text, box = t, list(b)
        if i == 0:
            rb = d.textbbox((W - mx, by), right, font=font, anchor="rs")
            if rb[0] > b[2] + px:
                d.text((W - mx, by), right, font=font, fill=255, anchor="rs")
                row_text, box = f"{t} {right}", [b[0], min(b[1], rb[1]), rb[2], max(b[3], rb[3])]
        lines.append({"text": row_text, "bbox": [float(v) for v in box]})
    ink = np.asarray(strip, dtype=np.float32) / 255.0
    # Title ink is dark in positive terms, so light on a negative sheet.
    region = sheet[: head_h + my]
    region[:] = region * (1 - ink) + (1 - base) * 0.9 * ink + base * 0.1 * ink
    return lines
