"""Decode scanned images into arrays, refusing bombs and broken files before they cost anything.

What `load_image` returns, one array per page (every page of a multi-page TIFF, the first frame of
anything else, e.g. an animated GIF):
- uint8, C-contiguous;
- 2-D (H, W) grayscale when the source has no colour (1-bit, 8/16-bit gray, gray palettes),
  3-D (H, W, 3) in OpenCV's BGR order when it has;
- EXIF orientation applied (the array is upright as a viewer shows it);
- 16-bit and 32-bit samples scaled to 8 bits; transparency flattened onto white.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from models.errors import CorruptImageError, DecompressionBombError

ImageFile.LOAD_TRUNCATED_IMAGES = False  # Pillow's default, relied on: never decode half a page

_MULTIPAGE_FORMATS = {"TIFF"}  # other multi-frame formats (GIF, APNG, WebP, MPO) are animations or previews
_ORIENTATION_TAG = 0x0112
_SIXTEEN_BIT_MODES = {"I;16", "I;16L", "I;16B", "I;16N"}


def load_image(path: Path, max_pixels: int) -> list[np.ndarray]:
    """Every page of the image at `path` as uint8 arrays (see the module docstring)."""
    return [_to_array(frame) for frame in _decoded_frames(Path(path), max_pixels)]


def verify_image(path: Path, max_pixels: int) -> int:
    """Fully decode every page without converting it; the number of pages. Raises like load_image."""
    return sum(1 for _ in _decoded_frames(Path(path), max_pixels))


@contextmanager
def _own_pixel_limit() -> Iterator[None]:
    """crosstrack checks CROSSTRACK_MAX_PIXELS itself, on every page's header before decoding and
    with a message the archivist can act on; Pillow's own limit (~179M) would pre-empt it. Lifted
    only while crosstrack opens an image, so other users of Pillow keep theirs."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _decoded_frames(path: Path, max_pixels: int) -> Iterator[Image.Image]:
    try:
        with _own_pixel_limit(), Image.open(path) as im:
            pages = im.n_frames if im.format in _MULTIPAGE_FORMATS else 1
            for index in range(pages):
                if index:
                    im.seek(index)
                _check_pixels(im.size, max_pixels, index, pages)
                im.load()  # the full decode: truncation and bad data surface here
                yield im
    except (DecompressionBombError, CorruptImageError, MemoryError):
        raise
    except UnidentifiedImageError as e:
        raise CorruptImageError(
            f"the image cannot be decoded (its header is not a valid image header): {e}. "
            "Re-scan it or copy it again from the source"
        ) from e
    except Exception as e:  # decoders raise OSError, SyntaxError, ValueError, EOFError, zlib/struct errors
        raise CorruptImageError(
            f"the image is corrupt or truncated ({type(e).__name__}: {e}): "
            "re-scan it or copy it again from the source"
        ) from e


def _check_pixels(size: tuple[int, int], max_pixels: int, index: int, pages: int) -> None:
    width, height = size
    pixels = width * height
    if pixels > max_pixels:
        where = f"page {index + 1} of {pages} " if pages > 1 else ""
        raise DecompressionBombError(
            f"image {where}is {width}x{height} = {_sci(pixels)} pixels, over the limit of "
            f"{_sci(max_pixels)} (CROSSTRACK_MAX_PIXELS): check the file is a real scan, "
            "or raise the limit if it is"
        )
    if pixels == 0:
        raise CorruptImageError(f"the image is {width}x{height} pixels (empty): re-scan it")


def _sci(n: int) -> str:
    mantissa, exponent = f"{n:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _to_array(im: Image.Image) -> np.ndarray:
    try:
        orientation = im.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:  # a malformed EXIF block should not cost the scan itself
        orientation = 1
    if orientation in (2, 3, 4, 5, 6, 7, 8):
        im = ImageOps.exif_transpose(im)
    mode = im.mode
    if mode == "1":
        return np.asarray(im.convert("L"))
    if mode == "L" and "transparency" not in im.info:
        return np.ascontiguousarray(np.asarray(im))
    if mode in _SIXTEEN_BIT_MODES or mode in ("I", "F"):
        return _scale_to_8bit(np.asarray(im))
    if mode == "P" and "transparency" not in im.info:
        return _palette(im)
    if "A" in im.getbands() or "a" in im.getbands() or "transparency" in im.info:
        return _flatten_on_white(im)
    return _bgr(im.convert("RGB"))


def _scale_to_8bit(a: np.ndarray) -> np.ndarray:
    if a.dtype.kind == "f":
        a = np.nan_to_num(a.astype(np.float64))
        if a.min() >= 0 and a.max() <= 1:
            return np.rint(a * 255).astype(np.uint8)
        return _stretch(a)
    a = a.astype(np.int64)
    if a.min() >= 0 and a.max() <= 65535:  # 16-bit samples (also Pillow's "I" for 16-bit sources)
        return ((a * 255 + 32767) // 65535).astype(np.uint8)
    return _stretch(a.astype(np.float64))


def _stretch(a: np.ndarray) -> np.ndarray:
    lo, hi = float(a.min()), float(a.max())
    if hi <= lo:
        return np.zeros(a.shape, np.uint8)
    return np.rint((a - lo) * (255.0 / (hi - lo))).astype(np.uint8)


def _palette(im: Image.Image) -> np.ndarray:
    if _palette_is_gray(im):
        return np.asarray(im.convert("L"))
    return _bgr(im.convert("RGB"))


def _flatten_on_white(im: Image.Image) -> np.ndarray:
    gray = im.mode in ("LA", "La", "L") or (im.mode in ("P", "PA") and _palette_is_gray(im))
    rgba = im.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(white, rgba).convert("L" if gray else "RGB")
    return np.asarray(flat) if gray else _bgr(flat)


def _palette_is_gray(im: Image.Image) -> bool:
    p = im.getpalette() or []
    return all(r == g == b for r, g, b in zip(p[0::3], p[1::3], p[2::3]))


def _bgr(rgb: Image.Image) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1])
