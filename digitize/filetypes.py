"""What a file is, judged by its content (magic bytes), never by its name."""

from __future__ import annotations

from pathlib import Path

# Real PDF readers accept junk before the header (Acrobat: within the first 1024 bytes).
PDF_HEADER_WINDOW = 1024
HEAD_BYTES = PDF_HEADER_WINDOW + 8  # enough for every check below

IMAGE_KINDS = ("png", "jpeg", "tiff", "bmp", "gif", "webp", "jp2", "pnm")
KINDS = IMAGE_KINDS + ("pdf",)

# The extension each kind is stored under, and the names it is usually given.
STORE_EXT = {
    "png": "png", "jpeg": "jpg", "tiff": "tif", "bmp": "bmp", "gif": "gif",
    "webp": "webp", "jp2": "jp2", "pnm": "pnm", "pdf": "pdf",
}
EXTENSIONS = {
    "png": {".png"},
    "jpeg": {".jpg", ".jpeg", ".jpe", ".jfif"},
    "tiff": {".tif", ".tiff"},
    "bmp": {".bmp", ".dib"},
    "gif": {".gif"},
    "webp": {".webp"},
    "jp2": {".jp2", ".j2k", ".jpf", ".jpx", ".j2c", ".jpc"},
    "pnm": {".pnm", ".pbm", ".pgm", ".ppm", ".pam"},
    "pdf": {".pdf"},
}

_JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_J2K_CODESTREAM = b"\xff\x4f\xff\x51"  # SOC + SIZ markers
_BMP_DIB_SIZES = {12, 16, 40, 52, 56, 64, 108, 124}  # known BITMAPINFOHEADER variants


def sniff(head: bytes) -> str | None:
    """The kind of a file from its first bytes (HEAD_BYTES is enough), or None if unsupported."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):  # classic and BigTIFF
        return "tiff"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(_JP2_SIGNATURE) or head.startswith(_J2K_CODESTREAM):
        return "jp2"
    if _is_bmp(head):
        return "bmp"
    if _is_pnm(head):
        return "pnm"
    if b"%PDF-" in head[: PDF_HEADER_WINDOW + 5]:
        return "pdf"
    return None


def extension_mismatch(path: Path | str, kind: str) -> bool:
    """True when the file's name claims another type than its content (a warning, not a rejection).

    Files with no extension are not a mismatch: scanners often write bare frame numbers.
    """
    suffix = Path(path).suffix.lower()
    return bool(suffix) and suffix not in EXTENSIONS.get(kind, set())


def _is_bmp(head: bytes) -> bool:
    # "BM" alone is too weak (any text starting with "BM"), so check the DIB header size too.
    return head[:2] == b"BM" and len(head) >= 18 and int.from_bytes(head[14:18], "little") in _BMP_DIB_SIZES


def _is_pnm(head: bytes) -> bool:
    # P1..P6 (PBM/PGM/PPM, ASCII or raw) and P7 (PAM) followed by whitespace.
    return len(head) >= 3 and head[0:1] == b"P" and head[1:2] in b"1234567" and head[2:3] in b" \t\r\n"
