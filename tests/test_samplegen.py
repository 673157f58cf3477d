"""Synthetic document generator: determinism, truth geometry, splits, sheets, PDFs, bad files."""

from __future__ import annotations

import io
import json
import re
import time

import numpy as np
import pikepdf
import pytest
from PIL import Image

from digitize.samplegen import (HELDOUT_FONTS, HELDOUT_LAYOUTS, LAYOUTS, TUNE_FONTS, TUNE_LAYOUTS,
                                generate_dataset, make_frame, make_pdf, make_sheet, write_bad_files)
from digitize.samplegen.offences import load_offences


def _check_lines(page: dict, W: float, H: float) -> None:
    assert page["text"] == "\n".join(ln["text"] for ln in page["lines"])
    for ln in page["lines"]:
        x0, y0, x1, y1 = ln["bbox"]
        assert 0 <= x0 < x1 <= W and 0 <= y0 < y1 <= H, ln
        assert ln["text"] == ln["text"].strip() and "  " not in ln["text"]


def test_frame_is_deterministic():
    a, ta = make_frame(11)
    b, tb = make_frame(11)
    assert np.array_equal(a, b)
    assert json.dumps(ta, sort_keys=True) == json.dumps(tb, sort_keys=True)
    c, _ = make_frame(12)
    assert c.shape != a.shape or not np.array_equal(a, c)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("kind", ["frame", "scan"])
def test_every_layout_renders_with_boxes_inside(layout, kind):
    img, truth = make_frame(3, layout=layout, kind=kind)
    H, W = img.shape
    assert img.dtype == np.uint8
    page = truth["pages"][0]
    assert truth["layout"] == layout and truth["kind"] == kind
    assert len(page["lines"]) >= 4
    assert (page["width"], page["height"]) == (W, H)
    _check_lines(page, W, H)
    assert page["fields"]["dob"] and re.fullmatch(r"\d{4}-\d\d-\d\d", page["fields"]["dob"])


@pytest.mark.parametrize("degr", [[], ["skew"], ["skew", "lowres"], ["negative", "skew"]])
def test_boxes_cover_the_ink(degr):
    # Every truth box holds visible text: contrast inside the box, measured against the page.
    img, truth = make_frame(5, layout="doc_commitment_card", font="Liberation Mono", degradations=degr)
    f = img.astype(np.float32)
    for ln in truth["pages"][0]["lines"]:
        x0, y0, x1, y1 = (int(round(v)) for v in ln["bbox"])
        patch = f[y0:y1 + 1, x0:x1 + 1]
        assert patch.size and patch.max() - patch.min() > 60, (ln, degr)
    assert truth["degradations"] == [d for d in truth["degradations"] if d in degr]


def test_skew_rotates_boxes_with_the_page():
    _, flat = make_frame(8, layout="court_docket", degradations=[])
    img, skew = make_frame(8, layout="court_docket", degradations=["skew"])
    # Same record, same text; the rotated page is larger and its boxes moved.
    assert [l["text"] for l in flat["pages"][0]["lines"]] == [l["text"] for l in skew["pages"][0]["lines"]]
    assert img.shape[0] * img.shape[1] > flat["pages"][0]["width"] * flat["pages"][0]["height"]


def test_lowres_keeps_text_legible():
    for s in range(6):
        _, t = make_frame(s, degradations=["lowres"])
        assert t["pages"][0]["cap_px"] >= 11.5


def test_negative_frames_are_dark_and_scans_are_light():
    for s in range(4):
        neg, t = make_frame(s, degradations=["negative", "noise"])
        assert t["negative"] and np.median(neg) < 90
        pos, t2 = make_frame(s, kind="scan", degradations=["negative"])  # no negatives on paper
        assert not t2["negative"] and np.median(pos) > 150


def test_sheet_grid_truth():
    rows, cols = 3, 5
    img, t = make_sheet(4, rows, cols, frame_size=(200, 150), blank_ratio=0.3, negative=True)
    a2, _ = make_sheet(4, rows, cols, frame_size=(200, 150), blank_ratio=0.3, negative=True)
    assert np.array_equal(img, a2)
    H, W = img.shape
    assert t["kind"] == "sheet" and t["grid"] == [rows, cols] and t["negative"]
    assert np.median(img) < 90  # negative fiche: dark film, light text
    pages = t["pages"]
    assert len(pages) == rows * cols
    assert {(p["frame"]["row"], p["frame"]["col"]) for p in pages} == {(r, c) for r in range(rows) for c in range(cols)}
    assert [p["page"] for p in pages] == list(range(1, rows * cols + 1))
    assert any(p["blank"] for p in pages) and any(not p["blank"] for p in pages)
    for p in pages:
        x0, y0, x1, y1 = p["frame_bbox"]
        assert 0 <= x0 < x1 <= W and 0 <= y0 < y1 <= H
        if p["blank"]:
            assert p["lines"] == [] and p["text"] == ""
            continue
        _check_lines(p, W, H)
        for ln in p["lines"]:  # every line sits inside its own frame
            b = ln["bbox"]
            assert b[0] >= x0 - 2 and b[1] >= y0 - 2 and b[2] <= x1 + 2 and b[3] <= y1 + 2
    assert t["header"]["text"]
    frames_top = min(p["frame_bbox"][1] for p in pages)
    assert all(ln["bbox"][3] <= frames_top for ln in t["header"]["lines"])  # title strip above the grid


def test_sheet_frames_in_reading_order_are_row_major():
    _, t = make_sheet(9, 2, 3, frame_size=(160, 120), blank_ratio=0.0, degradations=[])
    cells = [(p["frame"]["row"], p["frame"]["col"]) for p in t["pages"]]
    assert cells == sorted(cells)
    tops = [p["frame_bbox"][1] for p in t["pages"]]
    assert tops[0] == tops[1] == tops[2] < tops[3]


def test_pdf_text_layer_matches_truth():
    pdfplumber = pytest.importorskip("pdfplumber")
    data, t = make_pdf(2, "pdf_text")
    b2, _ = make_pdf(2, "pdf_text")
    assert data == b2
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == len(t["pages"])
        for page, pt in zip(pdf.pages, t["pages"]):
            assert pt["text_layer"] and pt["units"] == "pt"
            got = " ".join((page.extract_text() or "").split())
            assert got == " ".join(pt["text"].split())
            _check_lines(pt, page.width, page.height)


def test_pdf_scanned_and_mixed():
    pdfplumber = pytest.importorskip("pdfplumber")
    data, t = make_pdf(3, "pdf_scanned", pages=2)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2
        assert all(not (p.extract_text() or "").strip() for p in pdf.pages)
        assert all(len(p.images) == 1 for p in pdf.pages)
    for pt in t["pages"]:
        assert not pt["text_layer"] and pt["lines"]
        _check_lines(pt, pt["width"], pt["height"])
    data, t = make_pdf(4, "pdf_mixed", pages=3)
    kinds = [p["text_layer"] for p in t["pages"]]
    assert True in kinds and False in kinds
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page, pt in zip(pdf.pages, t["pages"]):
            assert bool((page.extract_text() or "").strip()) == pt["text_layer"]


def _records(path):
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]


def test_generate_dataset_tune_only(tmp_path):
    calls = []
    tp = generate_dataset(tmp_path, count=8, seed=1, split="tune", sheet_grid=(2, 3),
                          sheet_frame=(240, 180), progress=lambda i, n: calls.append((i, n)))
    recs = _records(tp)
    assert len(recs) == 8 and calls[-1] == (8, 8)
    assert {r["kind"] for r in recs} == {"frame", "scan", "sheet", "pdf_text", "pdf_scanned", "pdf_mixed"}
    for r in recs:
        assert (tmp_path / r["file"]).is_file()
        assert r["split"] == "tune"
        for p in r["pages"]:
            if not p["blank"]:
                assert (p.get("layout") or r["layout"]) in TUNE_LAYOUTS
                assert (p.get("font") or r["font"]) in TUNE_FONTS
    sheet = next(r for r in recs if r["kind"] == "sheet")
    assert sheet["grid"] == [2, 3] and len(sheet["pages"]) == 6


def test_generate_dataset_heldout_only(tmp_path):
    recs = _records(generate_dataset(tmp_path, count=6, seed=2, split="heldout",
                                     kinds=("frame", "scan", "pdf_text"), include_bad=True))
    good = [r for r in recs if r["kind"] != "bad"]
    assert len(good) == 6 and len(recs) == 14
    for r in good:
        assert r["split"] == "heldout"
        assert r["layout"] in HELDOUT_LAYOUTS or r["font"] in HELDOUT_FONTS


def test_dataset_is_deterministic(tmp_path):
    a = _records(generate_dataset(tmp_path / "a", count=3, seed=5, kinds=("frame", "scan", "pdf_text")))
    b = _records(generate_dataset(tmp_path / "b", count=3, seed=5, kinds=("frame", "scan", "pdf_text")))
    assert a == b
    for r in a:
        assert (tmp_path / "a" / r["file"]).read_bytes() == (tmp_path / "b" / r["file"]).read_bytes()


def test_bad_files_are_what_they_claim(tmp_path):
    recs = {r["file"].split("/")[-1]: r for r in write_bad_files(tmp_path / "bad")}
    path = lambda name: tmp_path / recs[name]["file"]  # noqa: E731
    assert {r["reason"] for r in recs.values()} == {"empty", "truncated", "corrupt", "encrypted", "wrong_type",
                                                    "decompression_bomb", "mislabeled"}
    assert path("empty.png").stat().st_size == 0
    with pytest.raises(Exception):
        with Image.open(path("truncated.png")) as im:
            im.load()
    with pytest.raises(Exception):
        with Image.open(path("corrupt.jpg")) as im:
            im.load()
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(path("encrypted.pdf"))
    with pikepdf.open(path("encrypted.pdf"), password=recs["encrypted.pdf"]["password"]) as pdf:
        assert pdf.is_encrypted and len(pdf.pages) == 1
    with pytest.raises(Exception):
        Image.open(path("not_an_image.png"))
    bomb = path("bomb.png").read_bytes()
    assert len(bomb) < 10_000 and bomb.startswith(b"\x89PNG")
    assert int.from_bytes(bomb[16:20], "big") * int.from_bytes(bomb[20:24], "big") >= 1e9
    with pytest.raises(Image.DecompressionBombError):
        Image.open(path("bomb.png"))
    trunc = path("truncated.pdf").read_bytes()
    assert trunc.startswith(b"%PDF") and b"%%EOF" not in trunc
    mis = path("mislabeled_pdf.jpg")
    assert mis.suffix == ".jpg" and mis.read_bytes().startswith(b"%PDF")
    with pikepdf.open(mis) as pdf:
        assert len(pdf.pages) == 1
    assert recs["mislabeled_pdf.jpg"]["expect"] == "accept"
    assert all(r["expect"] == "reject" for k, r in recs.items() if k != "mislabeled_pdf.jpg")


def test_sample_set(tmp_path):
    from digitize.samplegen import write_sample_set
    recs = _records(write_sample_set(tmp_path))
    good = [r for r in recs if r["kind"] != "bad"]
    assert {r["kind"] for r in good} == {"frame", "scan", "sheet", "pdf_text", "pdf_scanned", "pdf_mixed"}
    assert {r["layout"] for r in good} == set(LAYOUTS)
    assert {r["split"] for r in good} == {"tune", "heldout"} and any(r["negative"] for r in good)
    assert sum(1 for r in recs if r["kind"] == "bad") == 8
    manifest = (tmp_path / "manifest.csv").read_text().splitlines()
    assert manifest[0] == "path,agency,county,series,reel,fiche,frame,box,folder" and len(manifest) == len(good) + 1
    size = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert size < 6_000_000


def test_charges_come_from_the_offence_table():
    codes = {o.code for o in load_offences()}
    _, t = make_frame(21, layout="court_docket")
    charges = t["pages"][0]["fields"]["charges"]
    assert charges
    for c in charges:
        assert c["offence_code"] in codes
        assert c["disposition"] in {"GUILTY", "NOT GUILTY", "DISMISSED", "NOLLE PROSEQUI", "CWOF", "FILED"}
        assert re.fullmatch(r"\d+[A-Z]?/\d+[A-Z]?\d*", c["statute"])


def test_frame_generation_is_fast():
    make_frame(0)
    t0 = time.perf_counter()
    for s in range(6):
        make_frame(100 + s)
    assert (time.perf_counter() - t0) / 6 < 1.0
