"""One record as a microfiche frame or a paper scan, with its truth."""

from __future__ import annotations

import random

import cv2
import numpy as np

from . import degrade, layouts
from .canvas import Page
from .render import choose_dpi, render_page


def page_truth(lines: list[dict], fields: dict, W: int, H: int, *, page: int = 1,
               frame: dict | None = None, cap_px: float | None = None) -> dict:
    return {"page": page, "frame": frame, "blank": False, "width": W, "height": H,
            "text": "\n".join(ln["text"] for ln in lines), "lines": lines, "fields": fields,
            **({"cap_px": round(cap_px, 1)} if cap_px else {})}


def film_density(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Paper photographed onto film: white never reaches full density, black never fully clear."""
    f = img.astype(np.float32) / 255.0
    lo, hi = rng.uniform(0.03, 0.15), rng.uniform(0.82, 0.97)
    return lo + f * (hi - lo)


def paper(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Ink on paper: an off-white, blotchy, fibrous sheet multiplied under the ink."""
    H, W = img.shape
    tone = rng.uniform(0.82, 0.97)
    coarse = rng.normal(0, 1, (max(2, H // 300), max(2, W // 300))).astype(np.float32)
    blotch = cv2.resize(coarse, (W, H), interpolation=cv2.INTER_CUBIC) * rng.uniform(0.004, 0.018)
    fibre = cv2.GaussianBlur(rng.standard_normal((H, W), dtype=np.float32), (0, 0), 1.2) * rng.uniform(0.01, 0.03)
    ink = img.astype(np.float32) / 255.0
    return (tone + blotch + fibre) * (0.08 + 0.92 * ink)


def make_frame(seed: int, layout: str | None = None, font: str | None = None,
               degradations: list[str] | None = None, kind: str = "frame", *, split: str = "all",
               cap_px: float | None = None) -> tuple[np.ndarray, dict]:
    """Render one record as a `frame` (film) or `scan` (paper) image.

    `degradations=None` picks a random subset; `[]` is clean. Returns (uint8 gray image, truth).
    """
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    layout, font = layouts.pick_layout_font(prng, split, layout, font)
    page, fields = layouts.draw(layout, font, prng)
    cap = cap_px or float(rng.uniform(18, 26))
    img, lines = render_page(page, choose_dpi(page, cap), rng)
    names = degrade.pick(rng, kind) if degradations is None else list(degradations)
    if kind == "scan":
        names = [n for n in names if n != "negative"]
    out, geo, names = _compose(img, kind, rng, names, cap)
    H, W = out.shape
    truth = {"kind": kind, "layout": layout, "font": font, "split": layouts.item_split(layout, font),
             "degradations": names, "negative": "negative" in names, "grid": None,
             "pages": [page_truth(geo.lines(lines, W, H), fields, W, H, cap_px=cap * _scale(geo))]}
    return out, truth


def _scale(geo: degrade.Geo) -> float:
    return float(np.sqrt(abs(np.linalg.det(geo.M[:2, :2]))))


def _compose(img: np.ndarray, kind: str, rng: np.random.Generator, names: list[str],
             cap: float) -> tuple[np.ndarray, degrade.Geo, list[str]]:
    geo = degrade.Geo()
    if kind == "scan":
        f = paper(img, rng)
        fill = float(rng.uniform(0.05, 0.25))
    else:
        f = film_density(img, rng)
        # The frame shows the copy board around the document (dark, or washed out).
        fill = float(rng.uniform(0.02, 0.2) if rng.random() < 0.7 else rng.uniform(0.75, 0.9))
        H, W = f.shape
        t, b, l, r = (int(rng.uniform(0.02, 0.07) * s) for s in (H, H, W, W))
        framed = np.full((H + t + b, W + l + r), fill, np.float32)
        framed[t:t + H, l:l + W] = f
        f = framed
        geo.then(np.array([[1, 0, l], [0, 1, t]], dtype=np.float64))
    ctx = degrade.Ctx(rng=rng, geo=geo, cap_px=cap, fill=fill, strength=1.0, film=kind != "scan")
    out, applied = degrade.apply(f, names, ctx)
    return (out * 255 + 0.5).astype(np.uint8), geo, applied


def render_frame(page: Page, rng: np.random.Generator, size: tuple[int, int], *,
                 cap_px: float) -> tuple[np.ndarray, list[dict], float]:
    """Render `page` to fit a (w, h) frame cell on a sheet: film density, centred, uniform scale.

    Returns (float image of exactly `size`, truth lines in cell pixels, cap height in px).
    """
    w, h = size
    img, lines = render_page(page, choose_dpi(page, cap_px), rng, typewriter=False)
    f = film_density(img, rng)
    ph, pw = f.shape
    s = min(w * 0.94 / pw, h * 0.94 / ph)
    nw, nh = max(1, int(pw * s)), max(1, int(ph * s))
    small = cv2.resize(f, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    # Around the document the frame shows the copy board, a shade off the paper.
    cell = np.full((h, w), float(f.max() - rng.uniform(0.05, 0.2)), np.float32)
    ox, oy = (w - nw) // 2 + int(rng.integers(-2, 3)), (h - nh) // 2 + int(rng.integers(-2, 3))
    ox, oy = max(0, min(ox, w - nw)), max(0, min(oy, h - nh))
    cell[oy:oy + nh, ox:ox + nw] = small
    geo = degrade.Geo()
    geo.then(np.array([[nw / pw, 0, ox], [0, nh / ph, oy]], dtype=np.float64))
    return cell, geo.lines(lines, w, h), cap_px * s
