"""Rasterize a Page: typewriter-ish text, rules, boxes, fingerprints; truth lines in pixels."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from . import fonts
from .canvas import Page, group_lines, line_text


def choose_dpi(page: Page, cap_px: float) -> float:
    """Resolution at which the body text's cap height is `cap_px` pixels."""
    return cap_px * 72.0 / (fonts.cap_ratio(page.font) * page.size)


def render_page(page: Page, dpi: float, rng: np.random.Generator, *,
                typewriter: bool | None = None) -> tuple[np.ndarray, list[dict]]:
    """Paper-white page with dark ink. Returns (uint8 HxW image, [{"text", "bbox"}] in pixels)."""
    k = dpi / 72.0
    W, H = int(round(page.width * k)), int(round(page.height * k))
    img = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(img)
    base_ink = int(rng.integers(0, 70))
    mono = fonts.FONTS[page.font].mono
    # Typewriters strike each key separately: small vertical wobble and uneven ink per letter.
    typewriter = (mono and rng.random() < 0.6) if typewriter is None else typewriter
    wobble = rng.uniform(0.2, 0.9) * k / 3.0 if typewriter else 0.0
    boxes: dict[int, tuple[float, float, float, float]] = {}
    for op in page.ops:
        kind = op[0]
        if kind == "line":
            _, x0, y0, x1, y1, w = op
            d.line([(x0 * k, y0 * k), (x1 * k, y1 * k)], fill=base_ink + 30, width=max(1, int(round(w * k))))
        elif kind == "rect":
            _, x0, y0, x1, y1, w = op
            d.rectangle([x0 * k, y0 * k, x1 * k, y1 * k], outline=base_ink + 30, width=max(1, int(round(w * k))))
        elif kind == "prints":
            _, x0, y0, x1, y1, seed = op
            _fingerprint(img, (int(x0 * k), int(y0 * k), int(x1 * k), int(y1 * k)), seed)
    for op in page.ops:
        if op[0] != "text":
            continue
        s = op[1]
        font = fonts.pil_font(page.font, s.size * k)
        x, y = s.x * k, s.y * k
        ink = int(255 - (255 - base_ink) * s.ink)
        offsets = [(0.0, 0.0)] + ([(max(1.0, k * 0.25), 0.0)] if s.strike else [])
        for dx, dy in offsets:
            if typewriter:
                for i, ch in enumerate(s.text):
                    if ch == " ":
                        continue
                    cx = x + font.getlength(s.text[:i])
                    jy = float(rng.normal(0, wobble))
                    c = int(np.clip(ink + rng.normal(0, 18), 0, 200))
                    d.text((cx + dx, y + dy + jy), ch, font=font, fill=c, anchor="ls")
            else:
                d.text((x + dx, y + dy), s.text, font=font, fill=ink, anchor="ls")
        b = d.textbbox((x, y), s.text, font=font, anchor="ls")
        pad = 1 + (2 * wobble if typewriter else 0) + (offsets[-1][0] if s.strike else 0)
        boxes[id(s)] = (b[0] - 1, b[1] - pad, b[2] + pad, b[3] + pad)
    lines = []
    for row in group_lines(page.segments()):
        bb = [boxes[id(s)] for s in row]
        box = [max(0.0, min(b[0] for b in bb)), max(0.0, min(b[1] for b in bb)),
               min(float(W), max(b[2] for b in bb)), min(float(H), max(b[3] for b in bb))]
        lines.append({"text": line_text(row), "bbox": [round(v, 1) for v in box]})
    return np.asarray(img, dtype=np.uint8).copy(), lines


def _fingerprint(img: Image.Image, box: tuple[int, int, int, int], seed: int) -> None:
    """A rolled impression: ridges as a warped sinusoid of an elliptical field, soft-edged."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if w < 8 or h < 8:
        return
    r = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = w * r.uniform(0.4, 0.6), h * r.uniform(0.35, 0.55)
    nx, ny = (xx - cx) / (w / 2), (yy - cy) / (h / 2)
    warp = 0.12 * np.sin(nx * r.uniform(2, 4) + r.uniform(0, 6)) * np.cos(ny * r.uniform(2, 4) + r.uniform(0, 6))
    # Loop/whorl-like: concentric around a core that bends downward, plus arches lower down.
    field = np.sqrt((nx * r.uniform(0.8, 1.3)) ** 2 + (ny + r.uniform(0.2, 0.5) * nx ** 2) ** 2) + warp
    field = field + np.clip(ny, 0, None) * r.uniform(0.2, 0.6)
    n_ridges = min(r.uniform(12, 18), min(w, h) / 6)  # keep ridges at least ~3 px apart
    ridges = np.sin(2 * np.pi * field * n_ridges)
    # Uneven pressure: blotchy ink coverage from upsampled coarse noise.
    coarse = r.uniform(0.4, 1.0, size=(6, 6)).astype(np.float32)
    press = np.asarray(Image.fromarray((coarse * 255).astype(np.uint8)).resize((w, h), Image.BILINEAR), dtype=np.float32) / 255
    mask = np.clip((1.0 - (nx ** 2 + ny ** 2)) * 3, 0, 1) * press * r.uniform(0.6, 0.9)
    patch = 255 - (ridges > r.uniform(-0.1, 0.3)) * mask * 255
    cur = np.asarray(img.crop(box), dtype=np.float32)
    img.paste(Image.fromarray(np.minimum(cur, patch).astype(np.uint8)), box[:2])
