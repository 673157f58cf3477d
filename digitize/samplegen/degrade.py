"""Film and scanner degradations, each recorded by name; geometry is tracked for the truth boxes.

Images are float32 in [0, 1] (1 = bright). Strengths are kept so a person can still read the text:
low resolution never takes the cap height under ~12 px, fading keeps a usable contrast, and the
more degradations an item gets, the milder each one is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

ALL = ["negative", "skew", "blur", "fade", "noise", "scratches", "vignette", "lowres", "jpeg", "dust"]
SCAN_ONLY = ["border"]  # dark scanner lid around the paper


@dataclass
class Geo:
    """Affine map from page coordinates to the current image's pixels."""
    M: np.ndarray = field(default_factory=lambda: np.eye(3))

    def then(self, A: np.ndarray) -> None:
        A3 = np.vstack([A, [0, 0, 1]]) if A.shape == (2, 3) else A
        self.M = A3 @ self.M

    def box(self, b, W: int, H: int) -> list[float]:
        x0, y0, x1, y1 = b
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64) @ self.M.T
        return [round(float(np.clip(pts[:, 0].min(), 0, W)), 1), round(float(np.clip(pts[:, 1].min(), 0, H)), 1),
                round(float(np.clip(pts[:, 0].max(), 0, W)), 1), round(float(np.clip(pts[:, 1].max(), 0, H)), 1)]

    def lines(self, lines: list[dict], W: int, H: int) -> list[dict]:
        return [{"text": ln["text"], "bbox": self.box(ln["bbox"], W, H)} for ln in lines]


@dataclass
class Ctx:
    rng: np.random.Generator
    geo: Geo
    cap_px: float      # body-text cap height in the current image
    fill: float        # value for areas uncovered by rotation
    strength: float    # 0..1, lower when many degradations stack
    film: bool         # film defects (vertical scratches along the transport) vs paper
    max_skew: float = 4.0  # degrees


def pick(rng: np.random.Generator, kind: str, *, negative_p: float = 0.65) -> list[str]:
    """A random, realistic subset for an item of `kind`; empty list means clean."""
    if rng.random() < 0.08:
        return []
    film = kind in ("frame", "sheet")
    pool = [d for d in ALL if d != "negative"]
    if not film:
        pool = [d for d in pool if d != "scratches" or rng.random() < 0.15]
    n = int(rng.integers(1, 5))
    chosen = list(rng.choice(pool, size=min(n, len(pool)), replace=False))
    if film and rng.random() < negative_p:
        chosen.append("negative")
    if not film and rng.random() < 0.6:
        chosen.append("border")
    return [d for d in ALL + SCAN_ONLY if d in chosen]  # canonical order


def apply(img: np.ndarray, names: list[str], ctx: Ctx) -> tuple[np.ndarray, list[str]]:
    """Apply the named degradations in a physically sensible order (geometry, then film, then sensor).

    Returns the image and the names actually applied (e.g. `lowres` is skipped when the text is
    already at the legibility floor).
    """
    order = ["blur", "fade", "negative", "vignette", "border", "skew", "scratches", "dust", "noise", "lowres", "jpeg"]
    n = len([x for x in names if x not in ("negative", "border")])
    ctx.strength = 1.0 / np.sqrt(max(1, n - 1))
    applied = []
    for name in order:
        if name in names:
            out = FUNCS[name](img, ctx)
            if out is not None:
                img = out
                applied.append(name)
    return np.clip(img, 0, 1).astype(np.float32), [n for n in ALL + SCAN_ONLY if n in applied]


def _blur(img, c: Ctx):
    sigma = c.rng.uniform(0.5, 1.0 + c.cap_px / 22 * c.strength)
    return cv2.GaussianBlur(img, (0, 0), sigma)


def _fade(img, c: Ctx):
    # Faded ink / weak exposure: compress range towards the background, keep >= ~40 % contrast.
    lo = c.rng.uniform(0.08, 0.22 + 0.1 * c.strength)
    hi = c.rng.uniform(max(0.8, lo + 0.55), 1.0)
    out = lo + img * (hi - lo)
    return out ** c.rng.uniform(0.85, 1.15)


def _negative(img, c: Ctx):
    c.fill = 1.0 - c.fill
    return 1.0 - img


def _vignette(img, c: Ctx):
    # Illumination varies slowly: compute it on a coarse grid and upsample (fast on big frames).
    H, W = img.shape
    h, w = max(2, H // 16), max(2, W // 16)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = w * c.rng.uniform(0.3, 0.7), h * c.rng.uniform(0.3, 0.7)
    r2 = ((xx - cx) / w) ** 2 + ((yy - cy) / h) ** 2
    a = c.rng.uniform(0.1, 0.3) * c.strength + 0.05
    gx, gy = c.rng.uniform(-0.15, 0.15, size=2)
    light = (1 - a * r2 * 2) * (1 + gx * (xx / w - 0.5) + gy * (yy / h - 0.5))
    return img * cv2.resize(light.astype(np.float32), (W, H), interpolation=cv2.INTER_LINEAR)


def _border(img, c: Ctx):
    # The scanner lid shows as a dark band on some sides of the paper.
    H, W = img.shape
    pads = [int(c.rng.integers(0, 2) * c.rng.uniform(0.01, 0.05) * s) for s in (H, H, W, W)]
    if not any(pads):
        pads[int(c.rng.integers(0, 4))] = int(0.03 * H)
    t, b, l, r = pads
    dark = float(c.rng.uniform(0.05, 0.25))
    out = np.full((H + t + b, W + l + r), dark, np.float32)
    out += c.rng.standard_normal(out.shape, dtype=np.float32) * 0.015
    out[t:t + H, l:l + W] = img
    c.geo.then(np.array([[1, 0, l], [0, 1, t]], dtype=np.float64))
    c.fill = dark
    return out


def _skew(img, c: Ctx):
    H, W = img.shape
    ang = float(c.rng.uniform(0.3, c.max_skew) * c.rng.choice([-1, 1]))
    A = cv2.getRotationMatrix2D((W / 2, H / 2), ang, 1.0)
    cos, sin = abs(A[0, 0]), abs(A[0, 1])
    nW, nH = int(np.ceil(H * sin + W * cos)), int(np.ceil(H * cos + W * sin))
    A[0, 2] += nW / 2 - W / 2
    A[1, 2] += nH / 2 - H / 2
    c.geo.then(A)
    return cv2.warpAffine(img, A, (nW, nH), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=float(c.fill))


def _scratches(img, c: Ctx):
    H, W = img.shape
    layer = np.zeros_like(img)
    for _ in range(int(c.rng.integers(1, 7))):
        bright = c.rng.random() < 0.65
        amp = c.rng.uniform(0.25, 0.6) * (1 if bright else -1)
        if c.film or c.rng.random() < 0.5:  # along the film transport: long, near vertical
            x0 = c.rng.uniform(0, W)
            x1 = x0 + c.rng.uniform(-0.03, 0.03) * W
            y0, y1 = c.rng.uniform(-0.1, 0.5) * H, c.rng.uniform(0.5, 1.1) * H
        else:
            x0, x1 = c.rng.uniform(0, W, size=2)
            y0, y1 = c.rng.uniform(0, H, size=2)
        cv2.line(layer, (int(x0), int(y0)), (int(x1), int(y1)), float(amp), int(c.rng.integers(1, 3)), cv2.LINE_AA)
    return img + cv2.GaussianBlur(layer, (0, 0), 0.6)


def _dust(img, c: Ctx):
    H, W = img.shape
    layer = np.zeros_like(img)
    n = int(c.rng.integers(15, 120) * (H * W / 2e6) ** 0.5) + 5
    for _ in range(n):
        x, y = int(c.rng.uniform(0, W)), int(c.rng.uniform(0, H))
        amp = float(c.rng.uniform(0.3, 0.8) * (-1 if c.rng.random() < 0.7 else 1))
        if c.rng.random() < 0.85:  # specks
            cv2.circle(layer, (x, y), int(c.rng.integers(1, max(2, int(c.cap_px / 8)) + 1)), amp, -1, cv2.LINE_AA)
        else:  # hairs / fibres
            pts = np.cumsum(c.rng.normal(0, c.cap_px * 0.6, size=(6, 2)), axis=0) + [x, y]
            cv2.polylines(layer, [pts.astype(np.int32)], False, amp * 0.7, 1, cv2.LINE_AA)
    return img + layer


def _noise(img, c: Ctx):
    H, W = img.shape
    sigma = c.rng.uniform(0.02, 0.04 + 0.04 * c.strength)
    grain = c.rng.standard_normal((H, W), dtype=np.float32)
    if c.film:  # film grain is clumpy, not per-pixel
        grain = cv2.GaussianBlur(grain, (0, 0), c.rng.uniform(0.6, 1.2)) * 1.8
    out = img + grain * sigma
    if c.rng.random() < 0.5:  # speckle: isolated salt and pepper
        m = c.rng.random((H, W), dtype=np.float32) < c.rng.uniform(0.0005, 0.003)
        out[m] = c.rng.choice([0.0, 1.0], size=int(m.sum()))
    return out


def _lowres(img, c: Ctx):
    f_min = min(1.0, 12.0 / max(c.cap_px, 1e-3))
    if f_min >= 0.92:
        return None
    f = float(c.rng.uniform(f_min, max(f_min, 0.8)))
    H, W = img.shape
    nW, nH = max(1, int(round(W * f))), max(1, int(round(H * f)))
    c.geo.then(np.array([[nW / W, 0, 0], [0, nH / H, 0]], dtype=np.float64))
    c.cap_px *= f
    return cv2.resize(img, (nW, nH), interpolation=cv2.INTER_AREA)


def _jpeg(img, c: Ctx):
    q = int(c.rng.integers(25, 65))
    ok, buf = cv2.imencode(".jpg", (np.clip(img, 0, 1) * 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, q])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE).astype(np.float32) / 255.0


FUNCS = {"blur": _blur, "fade": _fade, "negative": _negative, "vignette": _vignette, "border": _border,
         "skew": _skew, "scratches": _scratches, "dust": _dust, "noise": _noise, "lowres": _lowres,
         "jpeg": _jpeg}
