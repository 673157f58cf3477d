"""digitize.intake / store / manifest / filetypes: every rejection rule, dedupe, idempotent batches."""

from __future__ import annotations

import json
import shutil
import struct
import zlib
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from digitize import filetypes, store
from digitize.intake import check_file, default_batch_id, expand_paths, ingest
from digitize.manifest import read_manifest
from models.errors import (
    CorruptImageError,
    CorruptPdfError,
    DecompressionBombError,
    EmptyFileError,
    EncryptedDocumentError,
    FileChangedError,
    FileTooLargeError,
    InvalidBatchIdError,
    ManifestError,
    MissingFileError,
    RejectedFileError,
    UnsupportedFileTypeError,
)
from models.provenance import Provenance
from models.settings import Settings

RESOURCES = Path(__file__).parent / "resources"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(home=tmp_path / "home", max_file_mb=5, max_pixels=50_000_000, ocr_engine="ppocr")


@pytest.fixture
def good_png(tmp_path) -> Path:
    path = tmp_path / "in" / "frame_0001.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.random.default_rng(3).integers(0, 256, (40, 60), dtype=np.uint8)).save(path)
    return path


def make_bomb_png(path: Path, side: int = 40000) -> Path:
    """A real 1-bit PNG of side x side zeros: ~200 KB on disk, 1.6e9 pixels decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(b"\x00" + bytes((side + 7) // 8)) for _ in range(side)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def _copy(src: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return dest


# -- file types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
        (b"II+\x00\x08\x00\x00\x00", "tiff"),  # BigTIFF
        (b"BM" + bytes(12) + (40).to_bytes(4, "little"), "bmp"),
        (b"GIF89a\x01\x00", "gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"\x00\x00\x00\x0cjP  \r\n\x87\n\x00", "jp2"),
        (b"P5\n10 10\n255\n", "pnm"),
        (b"%PDF-1.7\n", "pdf"),
        (b"junk" * 200 + b"%PDF-1.4\n", "pdf"),  # leading junk, as readers allow
        (b"BMW service records\n", None),
        (b"hello, this is text", None),
        (b"x" * 1100 + b"%PDF-1.4", None),  # header too far in
        (b"", None),
    ],
)
def test_sniff(head, kind):
    assert filetypes.sniff(head) == kind


def test_extension_mismatch():
    assert filetypes.extension_mismatch(Path("a.jpg"), "pdf")
    assert not filetypes.extension_mismatch(Path("a.JPEG"), "jpeg")
    assert not filetypes.extension_mismatch(Path("frame0001"), "tiff")


# -- check_file: every rejection rule -----------------------------------------------------------


def test_good_files_pass(settings, good_png):
    found = check_file(good_png, settings)
    assert (found.kind, found.pages, found.size) == ("png", 1, good_png.stat().st_size)
    assert found.sha256 == store.sha256_file(good_png) and not found.warnings
    assert check_file(RESOURCES / "three_pages.tif", settings).pages == 3
    assert check_file(RESOURCES / "text_layer.pdf", settings).pages == 1


def test_missing_file(settings, tmp_path):
    with pytest.raises(MissingFileError, match="does not exist"):
        check_file(tmp_path / "nope.png", settings)
    with pytest.raises(MissingFileError, match="folder"):
        check_file(tmp_path, settings)


def test_empty_file(settings, tmp_path):
    (tmp_path / "empty.tif").write_bytes(b"")
    with pytest.raises(EmptyFileError, match="0 bytes"):
        check_file(tmp_path / "empty.tif", settings)


def test_oversized_file(tmp_path):
    small = Settings(home=tmp_path, max_file_mb=0.001, max_pixels=10**8, ocr_engine="ppocr")
    big = tmp_path / "big.png"
    Image.fromarray(np.random.default_rng(4).integers(0, 256, (100, 100), dtype=np.uint8)).save(big)
    with pytest.raises(FileTooLargeError, match=r"over the limit of 0.001 MB \(CROSSTRACK_MAX_FILE_MB\)"):
        check_file(big, small)


def test_text_named_png_is_unsupported(settings, tmp_path):
    fake = tmp_path / "notes.png"
    fake.write_text("DOCKET 8412CR001234, typed up by hand\n")
    with pytest.raises(UnsupportedFileTypeError, match="PNG, JPEG, TIFF") as refused:
        check_file(fake, settings)
    assert "44 4f 43 4b" in str(refused.value) and "8412" not in str(refused.value)  # the magic, never the text


def test_truncated_png(settings, good_png, tmp_path):
    cut = tmp_path / "cut.png"
    cut.write_bytes(good_png.read_bytes()[:-200])
    with pytest.raises(CorruptImageError, match="truncated"):
        check_file(cut, settings)


def test_corrupt_jpeg(settings, tmp_path):
    jpg = tmp_path / "scan.jpg"
    Image.fromarray(np.random.default_rng(5).integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(jpg)
    data = jpg.read_bytes()
    jpg.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptImageError):
        check_file(jpg, settings)


def test_decompression_bomb(settings, tmp_path):
    bomb = make_bomb_png(tmp_path / "bomb.png")
    with pytest.raises(DecompressionBombError, match="40000x40000 = 1.6e9 pixels, over the limit of 5.0e7"):
        check_file(bomb, settings)


def test_encrypted_pdf(settings, tmp_path):
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(RESOURCES / "text_layer.pdf") as doc:
        doc.save(locked, encryption=pikepdf.Encryption(user="pw", owner="pw2", R=6))
    with pytest.raises(EncryptedDocumentError, match="unprotected copy"):
        check_file(locked, settings)


def test_truncated_pdf(settings, tmp_path):
    data = (RESOURCES / "text_layer.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptPdfError):
        check_file(tmp_path / "cut.pdf", settings)


def test_pdf_named_jpg_is_accepted_with_a_warning(settings, tmp_path):
    misnamed = _copy(RESOURCES / "text_layer.pdf", tmp_path / "page.jpg")
    found = check_file(misnamed, settings)
    assert found.kind == "pdf" and "'.jpg'" in found.warnings[0]


# -- the store ----------------------------------------------------------------------------------


def test_store_is_content_addressed_and_idempotent(tmp_path, good_png):
    sha = store.sha256_file(good_png)
    first = store.put(good_png, tmp_path / "store", "png")
    again = store.put(_copy(good_png, tmp_path / "other name.png"), tmp_path / "store", "png", sha)
    assert first.path == again.path == tmp_path / "store" / sha[:2] / f"{sha}.png"
    assert (first.existed, again.existed) == (False, True)
    assert first.path.read_bytes() == good_png.read_bytes()
    assert store.locate(tmp_path / "store", sha) == first.path
    leftovers = [p for p in (tmp_path / "store").rglob("*") if p.is_file() and p != first.path]
    assert leftovers == []  # no temp files left behind


def test_store_refuses_content_that_changed_since_intake(tmp_path, good_png):
    stale = "0" * 64
    with pytest.raises(FileChangedError):
        store.put(good_png, tmp_path / "store", "png", stale)
    assert not any(p.is_file() for p in (tmp_path / "store").rglob("*"))


def test_write_atomic_replaces_whole_file(tmp_path):
    target = tmp_path / "b" / "batch.json"
    store.write_atomic(target, b"one")
    store.write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["batch.json"]


# -- the manifest -------------------------------------------------------------------------------


def test_manifest_parsing(tmp_path, good_png):
    csv = tmp_path / "in" / "manifest.csv"
    csv.write_text(
        "\ufeffPath,Agency,county,reel,frame\n"
        "frame_0001.png,DOC,Suffolk,R-12,0001\n"
        f"{tmp_path / 'missing.tif'},Parole,,R-12,0002\n"
        "\n",
        encoding="utf-8",
    )
    rows = read_manifest(csv)
    assert list(rows) == [good_png.resolve(), (tmp_path / "missing.tif").resolve()]
    assert rows[good_png.resolve()] == Provenance(agency="DOC", county="Suffolk", reel="R-12", frame="0001")
    assert rows[(tmp_path / "missing.tif").resolve()].county is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("path,agency,colour\na.png,DOC,red\n", "unknown column.*'colour'"),
        ("agency,county\nDOC,Suffolk\n", "no 'path' column"),
        ("path,agency\n,DOC\n", "line 2: the path cell is empty"),
        ("path,agency\na.png,DOC\na.png,Parole\n", "line 3: .* listed again"),
        ("", "empty"),
    ],
)
def test_manifest_errors(tmp_path, text, message):
    csv = tmp_path / "m.csv"
    csv.write_text(text)
    with pytest.raises(ManifestError, match=message):
        read_manifest(csv)


# -- ingest -------------------------------------------------------------------------------------


def _mixed_folder(tmp_path: Path, good_png: Path) -> Path:
    folder = good_png.parent
    _copy(RESOURCES / "text_layer.pdf", folder / "docket.pdf")
    _copy(RESOURCES / "three_pages.tif", folder / "sub" / "pages.tif")
    (folder / "empty.png").write_bytes(b"")
    (folder / "readme.txt").write_text("not a scan")
    (folder / "cut.png").write_bytes(good_png.read_bytes()[:-300])
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # hidden: skipped
    (folder / ".cache").mkdir()
    (folder / ".cache" / "x.png").write_bytes(b"")
    return folder


def test_mixed_batch(settings, tmp_path, good_png):
    folder = _mixed_folder(tmp_path, good_png)
    batch = ingest([folder], settings, provenance=Provenance(agency="Probation", county="Essex"))
    by_name = {Path(e.path).name: e for e in batch.entries}
    assert list(by_name) == ["cut.png", "docket.pdf", "empty.png", "frame_0001.png", "readme.txt", "pages.tif"]
    assert {n for n, e in by_name.items() if e.status == "stored"} == {"docket.pdf", "frame_0001.png", "pages.tif"}
    assert by_name["empty.png"].error == "EmptyFileError" and "0 bytes" in by_name["empty.png"].reason
    assert by_name["readme.txt"].error == "UnsupportedFileTypeError"
    assert by_name["cut.png"].error == "CorruptImageError"
    tif = by_name["pages.tif"]
    assert tif.pages == 3 and tif.document_id == tif.sha256 and Path(tif.stored_path).exists()
    assert tif.provenance == Provenance(agency="Probation", county="Essex")
    saved = json.loads((settings.batches_dir / f"{batch.batch_id}.json").read_text())
    assert saved["batch_id"] == batch.batch_id and len(saved["entries"]) == 6
    assert len(batch.rejected) == 3


def test_same_file_twice_is_one_document(settings, tmp_path, good_png):
    twin = _copy(good_png, tmp_path / "elsewhere" / "copy.png")
    batch = ingest([good_png, twin, good_png.parent], settings)  # the same path twice is one entry
    first, second = batch.entries
    assert first.status == "stored" and second.status == "duplicate"
    assert second.duplicate_of == first.path and Path(second.path) == twin
    assert first.document_id == second.document_id
    assert batch.document_ids == [first.document_id]
    assert len([p for p in settings.store_dir.rglob("*") if p.is_file()]) == 1


def test_across_batches_and_resubmission_are_idempotent(settings, tmp_path, good_png):
    folder = _mixed_folder(tmp_path, good_png)
    one = ingest([folder], settings)
    stored_files = sorted(p for p in settings.store_dir.rglob("*") if p.is_file())
    again = ingest([folder], settings)
    assert again.batch_id == one.batch_id and again.created_at == one.created_at
    assert sorted(p for p in settings.store_dir.rglob("*") if p.is_file()) == stored_files
    assert all(e.already_stored for e in again.stored)
    assert [p.name for p in settings.batches_dir.iterdir()] == [f"{one.batch_id}.json"]
    # The same content in another batch is the same document, already in the store.
    other = ingest([_copy(good_png, tmp_path / "later" / "rescan.png")], settings)
    assert other.batch_id != one.batch_id
    assert other.entries[0].document_id in one.document_ids and other.entries[0].already_stored


def test_batch_id_depends_on_provenance(settings, good_png):
    a = ingest([good_png], settings, provenance=Provenance(reel="R-1"))
    b = ingest([good_png], settings, provenance=Provenance(reel="R-2"))
    assert a.batch_id != b.batch_id
    assert default_batch_id(a.entries, a.provenance) == a.batch_id


def test_ingest_with_manifest(settings, tmp_path, good_png):
    _copy(RESOURCES / "text_layer.pdf", good_png.parent / "docket.pdf")
    csv = good_png.parent / "manifest.csv"
    csv.write_text("path,reel,frame\nframe_0001.png,R-7,0001\nmissing.png,R-7,0002\n")
    batch = ingest([good_png.parent], settings, provenance=Provenance(agency="DOC", reel="R-0"), manifest=csv)
    by_name = {Path(e.path).name: e for e in batch.entries}
    assert "manifest.csv" not in by_name  # the manifest itself is not a document
    assert by_name["frame_0001.png"].provenance == Provenance(agency="DOC", reel="R-7", frame="0001")
    assert by_name["docket.pdf"].provenance == Provenance(agency="DOC", reel="R-0")
    assert by_name["missing.png"].error == "MissingFileError"
    assert "does not exist" in by_name["missing.png"].reason


def test_explicit_batch_id_is_checked(settings, good_png):
    assert ingest([good_png], settings, batch_id="reel-12_2024").batch_id == "reel-12_2024"
    with pytest.raises(InvalidBatchIdError):
        ingest([good_png], settings, batch_id="../escape")


def test_rejections_are_rejected_file_errors():
    for cls in (MissingFileError, EmptyFileError, FileTooLargeError, UnsupportedFileTypeError,
                CorruptImageError, DecompressionBombError, EncryptedDocumentError, CorruptPdfError):
        assert issubclass(cls, RejectedFileError)


def test_expand_paths_is_sorted_and_skips_hidden(tmp_path, good_png):
    folder = _mixed_folder(tmp_path, good_png)
    names = [p.relative_to(folder).as_posix() for p in expand_paths([folder])]
    assert names == ["cut.png", "docket.pdf", "empty.png", "frame_0001.png", "readme.txt", "sub/pages.tif"]
