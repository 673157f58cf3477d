"""The command line contract, run as a real process on the committed sample set."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
KEYS = {"source", "sha256", "page", "frame", "negative", "width", "height", "text", "lines", "engine", "model"}


def crosstrack(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {"CROSSTRACK_HOME": str(home), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    return subprocess.run([sys.executable, "-m", "flows", *args], capture_output=True, text=True, env=env, timeout=600)


def truth() -> dict[str, dict]:
    return {t["file"]: t for t in map(json.loads, (SAMPLES / "truth.jsonl").read_text().splitlines())}


@pytest.fixture(scope="module")
def mixed_batch(tmp_path_factory):
    good = ["frame/frame_00001.png", "pdf_text/pdf_text_00011.pdf", "sheet/sheet_00010.png", "bad/mislabeled_pdf.jpg"]
    bad = ["bad/empty.png", "bad/truncated.png", "bad/corrupt.jpg", "bad/encrypted.pdf", "bad/not_an_image.png",
           "bad/bomb.png", "bad/truncated.pdf", "bad/missing.png"]
    files = [str(SAMPLES / f) for f in good[:2] + bad[:4] + good[2:] + bad[4:]]
    proc = crosstrack("digitize", "--json", *files, home=tmp_path_factory.mktemp("home"))
    return proc, [json.loads(line) for line in proc.stdout.splitlines()]


def test_bad_files_are_rejected_with_reasons_and_the_rest_read(mixed_batch):
    proc, rows = mixed_batch
    assert proc.returncode == 1
    errors = {Path(r["source"]).name: r["error"] for r in rows if "error" in r}
    assert set(errors) == {"empty.png", "truncated.png", "corrupt.jpg", "encrypted.pdf", "not_an_image.png",
                           "bomb.png", "truncated.pdf", "missing.png"}
    assert "empty" in errors["empty.png"]
    assert "encrypted" in errors["encrypted.pdf"] and "password" in errors["encrypted.pdf"]
    assert "pixels" in errors["bomb.png"] and "CROSSTRACK_MAX_PIXELS" in errors["bomb.png"]
    assert "not an image or a PDF" in errors["not_an_image.png"]
    assert "does not exist" in errors["missing.png"]
    for r in rows:
        if "error" in r:
            assert set(r) == {"source", "error"}
        else:
            assert set(r) == KEYS
    read = {Path(r["source"]).name for r in rows if "error" not in r}
    assert read == {"frame_00001.png", "pdf_text_00011.pdf", "sheet_00010.png", "mislabeled_pdf.jpg"}


def test_output_keeps_input_order(mixed_batch):
    _, rows = mixed_batch
    order = list(dict.fromkeys(Path(r["source"]).name for r in rows))
    assert order == ["frame_00001.png", "pdf_text_00011.pdf", "empty.png", "truncated.png", "corrupt.jpg",
                     "encrypted.pdf", "sheet_00010.png", "mislabeled_pdf.jpg", "not_an_image.png", "bomb.png",
                     "truncated.pdf", "missing.png"]


def test_text_layer_pages_come_from_pdfplumber(mixed_batch):
    _, rows = mixed_batch
    pages = [r for r in rows if r["source"].endswith("pdf_text_00011.pdf")]
    expected = truth()["pdf_text/pdf_text_00011.pdf"]["pages"]
    assert [p["page"] for p in pages] == [p["page"] for p in expected]
    for got, want in zip(pages, expected):
        assert got["engine"] == "pdfplumber" and got["frame"] is None
        assert got["text"].split() == want["text"].split()


def test_negative_frame_is_read(mixed_batch):
    from digitize.evaluation import char_errors

    _, rows = mixed_batch
    [page] = [r for r in rows if r["source"].endswith("frame_00001.png")]
    want = truth()["frame/frame_00001.png"]
    assert page["negative"] is True and page["engine"] == "ppocr"
    edits, chars = char_errors(page["text"], want["pages"][0]["text"])
    assert edits / chars < 0.05
    word = page["lines"][0]["words"][0]
    assert set(word) == {"text", "bbox", "confidence"} and len(word["bbox"]) == 4


def test_sheet_frames_carry_their_grid_positions(mixed_batch):
    _, rows = mixed_batch
    frames = [r for r in rows if r["source"].endswith("sheet_00010.png")]
    want = [p for p in truth()["sheet/sheet_00010.png"]["pages"] if not p["blank"]]
    assert [(f["frame"]["row"], f["frame"]["col"]) for f in frames] == [(p["frame"]["row"], p["frame"]["col"]) for p in want]
    assert all(f["page"] == 1 for f in frames)


def test_ingest_is_idempotent(tmp_path):
    args = ("ingest", str(SAMPLES / "bad"), "--manifest", str(SAMPLES / "manifest.csv"))
    first, second = crosstrack(*args, home=tmp_path), crosstrack(*args, home=tmp_path)
    assert first.returncode == second.returncode == 1  # the bad files are rejected
    a, b = json.loads(first.stdout.splitlines()[-1]), json.loads(second.stdout.splitlines()[-1])
    assert a == b
    assert a["rejected"] == 7 and a["stored"] == 15
    stored = list((tmp_path / "store").rglob("*.*"))
    assert len(stored) == a["documents"] == 15
    assert "encrypted" in first.stderr


def test_unknown_cleanup_step_is_a_usage_error(tmp_path):
    proc = crosstrack("digitize", "--skip", "sharpen", str(SAMPLES / "frame/frame_00000.png"), home=tmp_path)
    assert proc.returncode == 2 and "unknown cleanup step" in proc.stderr


def test_demo_runs_the_sample_batch_end_to_end_and_a_rerun_redoes_nothing(tmp_path):
    first = crosstrack("demo", "--samples", str(SAMPLES), "--no-review", home=tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    s = json.loads(first.stdout.splitlines()[-1])
    assert s["documents"] == 15 and len(s["rejected"]) == 7 and s["failed"] == []
    assert s["done"] == {"digitize": 15, "extract": 15, "route": 15, "merge": 15}
    assert s["frames"] >= 9 and s["records"] >= 10 and s["ocr"]["read"] >= 20
    assert s["auto"] + s["review"] + s["audit"] == s["records"] and s["merged"]["inserted"] == s["auto"]
    assert "encrypted" in json.dumps(s["rejected"])
    pages = [json.loads(line) for p in (tmp_path / "results" / "pages").glob("*.jsonl") for line in p.read_text().splitlines()]
    assert len(pages) == s["pages"]
    listed = [r for r in pages if "/bad/" not in r["source"]]  # bad/ is not in the manifest
    assert listed and all(r["provenance"].get("agency") and r["provenance"].get("county") for r in listed)
    assert s["feeds"]["files"] == 4 and s["feeds"]["inserted"] > 100 and s["feeds"]["quarantined"] == 36
    second = json.loads(crosstrack("demo", "--samples", str(SAMPLES), "--no-review", home=tmp_path).stdout.splitlines()[-1])
    same = lambda d: {k: v for k, v in d.items() if k not in ("ocr", "feeds")}  # noqa: E731
    assert second["ocr"] == {} and same(second) == same(s)
    assert second["feeds"] == {**s["feeds"], "inserted": 0, "unchanged": s["feeds"]["inserted"]}

