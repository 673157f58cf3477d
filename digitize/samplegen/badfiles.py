"""Files intake must handle: broken, hostile, encrypted or mislabeled inputs, with the verdict expected."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image

from .pdfs import make_pdf

PDF_PASSWORD = "crosstrack-user"


def _png(img: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    return buf.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(width: int = 40000, height: int = 40000) -> bytes:
    """A valid-looking PNG whose header claims width x height gray pixels (1.6 Gpx) but holds ~1 KB.

    The IDAT stream is a short deflate of a few rows; a decoder that trusts the header and
    allocates first is the risk being tested.
    """
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = zlib.compress(b"\x00" + b"\x00" * width, 9)  # one filtered row of zeros
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", raw) + _chunk(b"IEND", b"")


def write_bad_files(out: Path, seed: int = 0) -> list[dict]:
    """Write the bad set into `out`; returns truth records (file relative to out's parent)."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    small = (rng.random((120, 160)) * 255).astype(np.uint8)
    good_png = _png(small)
    jbuf = io.BytesIO()
    Image.fromarray(small).save(jbuf, format="JPEG", quality=80)
    pdf_bytes, _ = make_pdf(seed, "pdf_text", pages=1, layout="probation_card", font="Liberation Mono")

    enc = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        pdf.save(enc, encryption=pikepdf.Encryption(user=PDF_PASSWORD, owner=PDF_PASSWORD + "-owner", R=6))  # qpdf cannot give encrypted output a fixed id

    items = [
        ("empty.png", b"", "reject", "empty"),
        ("truncated.png", good_png[: len(good_png) // 2], "reject", "truncated"),
        ("corrupt.jpg", jbuf.getvalue()[:20] + bytes(rng.integers(0, 256, 4000, dtype=np.uint8)), "reject", "corrupt"),
        ("encrypted.pdf", enc.getvalue(), "reject", "encrypted"),
        ("not_an_image.png", b"Docket 8412CR001234\nthis is a text file, not a PNG\n", "reject", "wrong_type"),
        ("bomb.png", bomb_png(), "reject", "decompression_bomb"),
        ("truncated.pdf", pdf_bytes[: len(pdf_bytes) * 2 // 5], "reject", "truncated"),
        ("mislabeled_pdf.jpg", pdf_bytes, "accept", "mislabeled"),
    ]
    truths = []
    for name, data, expect, reason in items:
        (out / name).write_bytes(data)
        truths.append({"file": f"{out.name}/{name}", "kind": "bad", "layout": None, "font": None,
                       "split": None, "degradations": [], "negative": False, "grid": None, "pages": [],
                       "expect": expect, "reason": reason,
                       **({"password": PDF_PASSWORD} if reason == "encrypted" else {}),
                       **({"true_type": "pdf"} if reason == "mislabeled" else {})})
    return truths
