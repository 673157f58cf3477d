"""The font pool, its tune/held-out split, and metrics shared by the raster and PDF renderers."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import ImageFont


@dataclass(frozen=True)
class FontSpec:
    name: str
    path: str
    split: str        # "tune" or "heldout"
    mono: bool
    pdf_core: str | None = None  # reportlab cannot embed CFF .otf: its metric-identical core font


FONTS: dict[str, FontSpec] = {f.name: f for f in [
    FontSpec("Courier Prime", "/usr/share/fonts/opentype/courier-prime/Courier Prime.otf", "tune", True),
    FontSpec("Liberation Mono", "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf", "tune", True),
    FontSpec("DejaVu Sans Mono", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", "tune", True),
    FontSpec("Liberation Serif", "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", "tune", False),
    FontSpec("FreeMono", "/usr/share/fonts/truetype/freefont/FreeMono.ttf", "tune", True),
    FontSpec("GNU Typewriter", "/usr/share/fonts/truetype/gnutypewriter/GNUTypewriter.ttf", "heldout", True),
    FontSpec("CMU Typewriter Text", "/usr/share/fonts/truetype/cmu/cmuntt.ttf", "heldout", True),
    FontSpec("Nimbus Mono PS", "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf", "heldout", True, "Courier"),
    FontSpec("IBM 3270", "/usr/share/fonts/truetype/3270/3270-Regular.ttf", "heldout", True),
    FontSpec("Nimbus Sans", "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf", "heldout", False, "Helvetica"),
]}

TUNE_FONTS = [n for n, f in FONTS.items() if f.split == "tune"]
HELDOUT_FONTS = [n for n, f in FONTS.items() if f.split == "heldout"]
_REF_PX = 100  # metrics are taken at this size and scaled linearly

# What a typist would have typed for a key the typeface lacks.
_SUBSTITUTES = {"§": "S", "&": "+", "’": "'", "½": "1/2", "—": "-", "–": "-"}


def available(name: str) -> bool:
    return Path(FONTS[name].path).exists()


@functools.lru_cache(maxsize=256)
def pil_font(name: str, px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONTS[name].path, size=max(1.0, round(px * 4) / 4))


@functools.lru_cache(maxsize=64)
def cap_ratio(name: str) -> float:
    """Cap height of 'H' per unit of font size (it differs a lot between faces)."""
    b = pil_font(name, _REF_PX).getbbox("H")
    return (b[3] - b[1]) / _REF_PX


@functools.lru_cache(maxsize=4096)
def _has_glyph(name: str, ch: str) -> bool:
    f = pil_font(name, 40)
    missing = f.getmask("\U0010fffd")
    m = f.getmask(ch)
    if m.size != missing.size:
        return True
    return not np.array_equal(np.asarray(m), np.asarray(missing))


def sanitize(name: str, text: str) -> str:
    """Replace characters the face cannot draw, so the truth matches what is visible."""
    out = []
    for ch in text:
        if ch == " " or _has_glyph(name, ch):
            out.append(ch)
        else:
            sub = _SUBSTITUTES.get(ch, "")
            out.append("".join(c for c in sub if _has_glyph(name, c)))
    return "".join(out)


def text_width(name: str, text: str, size: float) -> float:
    """Advance width of `text` at font size `size` (any unit: the result is in that unit)."""
    return pil_font(name, _REF_PX).getlength(text) * size / _REF_PX


def ink_box(name: str, text: str, size: float) -> tuple[float, float, float, float]:
    """Ink box relative to the baseline origin, in the unit of `size`."""
    b = pil_font(name, _REF_PX).getbbox(text, anchor="ls")
    k = size / _REF_PX
    return (b[0] * k, b[1] * k, b[2] * k, b[3] * k)
