"""`crosstrack extract` and `crosstrack normalize-charges`: the command-line contract, end to end on
a real generated frame (samplegen draws it with its truth; the real OCR engine reads it).

OCR costs ~2 s a frame, so the commands run once per module: `digitize --json` on the frame,
`extract --from-pages` on that output, and `extract --jsonl` on the frame plus a bad file."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from digitize.samplegen.dataset import make_item
from extract.pipeline import model_dir
from flows.extract_image_eval import truth_records

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / ".venv" / "bin" / "crosstrack"
RECORD_KEYS = {"source", "sha256", "page", "frame", "record", "bbox", "regions", "text", "event_type", "confidence", "fields", "charges"}
VALUE_KEYS = {"value", "text", "confidence", "bbox", "span"}
CHARGE_PARTS = {"description", "statute", "offense_code", "disposition", "sentence"}

needs_model = pytest.mark.skipif(not (model_dir() / "meta.json").exists(),
                                 reason=f"`crosstrack extract` loads the trained NER model and there is none at {model_dir()} "
                                        "(run `crosstrack train ner`)")


def crosstrack(*args: str, home: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    exe = [str(CLI)] if CLI.exists() else ["python", "-m", "flows"]
    env = {**os.environ, "CROSSTRACK_HOME": str(home)}
    return subprocess.run([*exe, *args], input=stdin, capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)


def _lines(stdout: str) -> list[dict]:
    return [json.loads(ln) for ln in stdout.splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def frame(tmp_path_factory) -> dict:
    """One clean court-docket frame (a docket number, a name, a DOB, counts) and its truth."""
    out = tmp_path_factory.mktemp("frames")
    truth = make_item(out, 0, "frame", 20240, layout="court_docket", font="Courier Prime", degradations=[], fmt="png")
    page = truth["pages"][0]
    bad = out / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10)
    return {"path": out / truth["file"], "bad": bad, "truth": truth, "width": page["width"], "height": page["height"],
            "records": truth_records("court_docket", page["fields"], page["text"])}


@pytest.fixture(scope="module")
def runs(frame, tmp_path_factory) -> dict:
    if not (model_dir() / "meta.json").exists():
        pytest.skip(f"no trained NER model at {model_dir()}")
    home = tmp_path_factory.mktemp("home")
    pages = crosstrack("digitize", "--json", str(frame["path"]), home=home)
    pages_file = home / "pages.jsonl"
    pages_file.write_text(pages.stdout)
    direct = crosstrack("extract", "--jsonl", str(frame["path"]), str(frame["bad"]), home=home)
    from_pages = crosstrack("extract", "--jsonl", "--from-pages", str(pages_file), home=home)
    return {"pages": pages, "direct": direct, "from_pages": from_pages}


def _inside(bbox, w: int, h: int) -> bool:
    x0, y0, x1, y1 = bbox
    return -1 <= x0 <= x1 <= w + 1 and -1 <= y0 <= y1 <= h + 1


def _check_record(rec: dict, w: int, h: int) -> None:
    assert set(rec) == RECORD_KEYS, rec.keys()
    assert isinstance(rec["page"], int) and rec["page"] >= 1
    assert 0.0 <= rec["confidence"] <= 1.0
    assert _inside(rec["bbox"], w, h), rec["bbox"]
    assert rec["regions"] and all(_inside(b, w, h) for b in rec["regions"]), rec["regions"]
    assert isinstance(rec["event_type"], str) and rec["event_type"]
    for name, v in rec["fields"].items():
        assert set(v) == VALUE_KEYS, (name, v)
        assert 0.0 <= v["confidence"] <= 1.0, (name, v)
        assert isinstance(v["text"], str) and v["text"], (name, v)
        assert v["bbox"] is not None and _inside(v["bbox"], w, h), (name, v)
        assert rec["text"][slice(*v["span"])] == v["text"], (name, v)  # a reviewer's pre-marked span
    for c in rec["charges"]:
        assert set(c) == CHARGE_PARTS, c.keys()
        for part, v in c.items():
            if v is None:
                continue
            assert set(v) == VALUE_KEYS, (part, v)
            assert 0.0 <= v["confidence"] <= 1.0, (part, v)
            assert v["bbox"] is None or _inside(v["bbox"], w, h), (part, v)


@needs_model
def test_extract_prints_records_and_errors(runs, frame):
    proc = runs["direct"]
    assert proc.returncode == 1, proc.stderr[-2000:]  # a rejected file: exit status 1, the rest still printed
    lines = _lines(proc.stdout)  # every line is JSON
    errors = [ln for ln in lines if "error" in ln]
    records = [ln for ln in lines if "error" not in ln]
    assert len(errors) == 1 and set(errors[0]) == {"source", "error"}
    assert errors[0]["source"].endswith("bad.png") and errors[0]["error"]
    assert records, "no record from the good frame"
    for rec in records:
        assert rec["source"].endswith(frame["path"].name)
        _check_record(rec, frame["width"], frame["height"])


@needs_model
def test_extract_values_match_truth(runs, frame):
    records = [ln for ln in _lines(runs["direct"].stdout) if "error" not in ln]
    truth = frame["records"][0].fields
    assert len(records) == 1, [r["fields"].keys() for r in records]  # one docket → one record
    rec = records[0]
    got = {k: v["value"] for k, v in rec["fields"].items()}
    assert got.get("docket") == truth["docket"], (got, truth)
    assert got.get("name") == truth["name"] or got.get("dob") == truth["dob"], (got, truth)
    assert rec["event_type"] in ("disposition", "sentencing", "admission")  # see the report: a docket is typed "admission"
    assert len(rec["charges"]) == len(frame["records"][0].charges)
    statutes = {c["statute"]["value"] for c in rec["charges"] if c["statute"]}
    assert statutes & {c.statute for c in frame["records"][0].charges if c.statute}


@needs_model
def test_extract_from_pages_matches_direct(runs, frame):
    assert runs["pages"].returncode == 0, runs["pages"].stderr[-2000:]
    assert runs["from_pages"].returncode == 0, runs["from_pages"].stderr[-2000:]
    via_pages = _lines(runs["from_pages"].stdout)
    direct = [ln for ln in _lines(runs["direct"].stdout) if "error" not in ln]
    assert via_pages
    for rec in via_pages:
        _check_record(rec, frame["width"], frame["height"])
    # the same page text gives the same records
    strip = lambda recs: [(r["event_type"], {k: v["value"] for k, v in r["fields"].items()}) for r in recs]  # noqa: E731
    assert strip(via_pages) == strip(direct)


def test_extract_without_input_is_a_usage_error(tmp_path):
    proc = crosstrack("extract", "--jsonl", home=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""


def test_normalize_charges(tmp_path):
    stdin = "ASSAULT & BATTERY c265 §13A\nOUI LIQUOR 2ND OFFENSE C90 S24(1)(a)(1)\nA&B DANGEROUS WEAPON\n"
    proc = crosstrack("normalize-charges", "--jsonl", home=tmp_path, stdin=stdin)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = _lines(proc.stdout)
    assert [o["text"] for o in out] == stdin.splitlines()
    assert out[0]["statute"] == "265/13A" and out[0]["offense_code"].startswith("265/13A")
    assert out[1]["statute"] == "90/24(1)(a)(1)" and out[1]["offense_code"].startswith("90/24")
    # words only, no citation: the section is right; the subsection is the table's guess
    assert out[2]["statute"].split("(")[0] == "265/15A" and out[2]["offense_code"].startswith("265/15A")
    for o in out:
        assert {"statute", "offense_code", "description", "category", "level", "confidence"} <= set(o)
        assert 0.0 <= o["confidence"] <= 1.0
    assert out[2]["confidence"] < out[0]["confidence"]  # no citation: less sure
