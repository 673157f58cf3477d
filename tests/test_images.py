"""digitize.images: real files decoded to uint8 arrays; bombs and broken files refused."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitize.images import load_image, verify_image
from models.errors import CorruptImageError, DecompressionBombError

RESOURCES = Path(__file__).parent / "resources"
LIMIT = 50_000_000


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_bomb_png(path: Path, side: int = 40000) -> Path:
    """A real 1-bit PNG of side x side zeros: ~200 KB on disk, 1.6e9 pixels decoded."""
    row = b"\x00" + bytes((side + 7) // 8)
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b""))
    return path


def test_multipage_tiff_gives_one_array_per_page():
    pages = load_image(RESOURCES / "three_pages.tif", LIMIT)
    assert [p.shape for p in pages] == [(30, 40), (50, 20), (10, 10, 3)]
    assert all(p.dtype == np.uint8 for p in pages)
    assert pages[0].max() == 200
    assert pages[1].max() == 0  # 1-bit page: black stays 0
    assert pages[2][0, 0].tolist() == [0, 0, 255]  # pure red in BGR order
    assert verify_image(RESOURCES / "three_pages.tif", LIMIT) == 3


def test_16bit_png_is_scaled_to_8bit():
    (page,) = load_image(RESOURCES / "gray16.png", LIMIT)
    assert page.dtype == np.uint8 and page.shape == (32, 64)
    assert page[0, 0] == 0 and page[0, 63] == 255
    assert page[0, 20] == 128


def test_exif_orientation_is_applied():
    (page,) = load_image(RESOURCES / "exif_orientation6.jpg", LIMIT)
    # Stored 60x40 landscape with a black block top-left; orientation 6 turns it clockwise.
    assert page.shape == (60, 40, 3)
    assert page[2:8, 32:38].mean() < 40  # block now at top-right
    assert page[2:8, 2:8].mean() > 200


def test_alpha_is_flattened_on_white(tmp_path):
    a = np.zeros((10, 10, 4), np.uint8)
    a[:, :5] = (255, 0, 0, 255)  # opaque red
    path = tmp_path / "rgba.png"
    Image.fromarray(a, "RGBA").save(path)
    (page,) = load_image(path, LIMIT)
    assert page.shape == (10, 10, 3)
    assert page[0, 0].tolist() == [0, 0, 255]
    assert page[0, 9].tolist() == [255, 255, 255]  # transparent -> white, not black


def test_gray_with_alpha_stays_gray(tmp_path):
    a = np.zeros((4, 4, 2), np.uint8)
    a[..., 1] = 0  # fully transparent black
    path = tmp_path / "la.png"
    Image.fromarray(a, "LA").save(path)
    (page,) = load_image(path, LIMIT)
    assert page.shape == (4, 4) and (page == 255).all()


def test_palette_and_bilevel_images(tmp_path):
    gray = Image.fromarray(np.arange(64, dtype=np.uint8).reshape(8, 8) * 4).convert("P")
    gray.save(tmp_path / "p.gif")
    colour = Image.new("RGB", (8, 8), (0, 128, 255)).convert("P", palette=Image.Palette.ADAPTIVE)
    colour.save(tmp_path / "pc.png")
    Image.new("1", (9, 7), 1).save(tmp_path / "bw.bmp")
    (p,) = load_image(tmp_path / "p.gif", LIMIT)
    (pc,) = load_image(tmp_path / "pc.png", LIMIT)
    (bw,) = load_image(tmp_path / "bw.bmp", LIMIT)
    assert p.ndim == 2 and p.dtype == np.uint8
    assert pc.shape == (8, 8, 3) and pc[0, 0].tolist() == [255, 128, 0]
    assert bw.shape == (7, 9) and (bw == 255).all()


def test_decompression_bomb_is_refused_before_decoding(tmp_path):
    path = make_bomb_png(tmp_path / "bomb.png")
    assert path.stat().st_size < 300_000
    with pytest.raises(DecompressionBombError) as info:
        load_image(path, 300_000_000)
    message = str(info.value)
    assert "40000x40000" in message and "1.6e9" in message and "3.0e8" in message
    assert "CROSSTRACK_MAX_PIXELS" in message


def test_bomb_page_inside_a_tiff_is_found(tmp_path):
    small = Image.new("L", (10, 10))
    big = Image.new("L", (3000, 2000))
    small.save(tmp_path / "two.tif", save_all=True, append_images=[big], compression="tiff_deflate")
    with pytest.raises(DecompressionBombError, match="page 2 of 2 is 3000x2000"):
        load_image(tmp_path / "two.tif", 1_000_000)


def test_truncated_png_is_corrupt(tmp_path):
    rng = np.random.default_rng(1)
    good = tmp_path / "good.png"
    Image.fromarray(rng.integers(0, 256, (120, 160), dtype=np.uint8)).save(good)
    cut = tmp_path / "cut.png"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(CorruptImageError, match="truncated"):
        load_image(cut, LIMIT)


def test_corrupt_jpeg_is_corrupt(tmp_path):
    rng = np.random.default_rng(2)
    good = tmp_path / "good.jpg"
    Image.fromarray(rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)).save(good, quality=90)
    data = bytearray(good.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 200] = bytes(b ^ 0xFF for b in data[middle : middle + 200])
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(bytes(data))
    with pytest.raises(CorruptImageError, match="re-scan it"):
        verify_image(bad, LIMIT)


def test_garbage_after_a_valid_header_is_corrupt(tmp_path):
    bad = tmp_path / "header_only.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10)
    with pytest.raises(CorruptImageError):
        load_image(bad, LIMIT)
