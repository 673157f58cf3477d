"""The pipeline's flows run for real under Prefect (a temporary Prefect server for the module):
a mixed batch with bad files end to end, re-runs that redo nothing, the OCR cache, retries, a
failing engine, `crosstrack status`, and a batch killed with kill -9 and run again."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from digitize.samplegen.dataset import make_item
from models.errors import OcrEngineError
from models.page import Word

ROOT = Path(__file__).resolve().parents[1]
FRAMES = (("court_docket", 31), ("doc_commitment_card", 32), ("probation_card", 33), ("court_docket", 34))


def _frames(out: Path, which=FRAMES) -> list[dict]:
    return [make_item(out, i, "frame", seed, layout=layout, font="Courier Prime", degradations=[], fmt="png")
            for i, (layout, seed) in enumerate(which)]


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory) -> Path:
    """Four typed frames, a PDF with a text layer, and two files intake must refuse."""
    out = tmp_path_factory.mktemp("batch")
    _frames(out)
    pdf = make_item(out, 9, "pdf_text", 35)
    (out / "pdf_pages.txt").write_text(str(len(pdf["pages"])))  # not a document: intake refuses it too
    (out / "bad").mkdir()
    (out / "bad" / "empty.png").write_bytes(b"")
    (out / "bad" / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"not a jpeg" * 50)
    return out


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSTRACK_HOME", str(tmp_path / "home"))
    from models.settings import Settings
    return Settings.from_env()


def _run(settings, paths, batch, engine="ppocr", workers=2, review=False) -> dict:
    from flows.cli_run import ingest_batch, run_batch, task_runner
    ingest_batch(settings, paths, None, batch)
    seen = []
    status = run_batch(settings, batch, engine, review, task_runner(False, None, workers), seen.append)
    status["progress"] = seen
    return status


def _events(settings) -> int:
    from models.db import engine_for
    from models.schema import Event
    with engine_for(settings).connect() as conn:
        return conn.execute(select(func.count()).select_from(Event)).scalar_one()


def test_mixed_batch_end_to_end_then_nothing_redone(prefect_api, batch_dir, home):
    s = _run(home, [batch_dir], "mixed")
    assert s["files"] == 8 and s["documents"] == 5
    assert sorted(Path(r["path"]).name for r in s["rejected"]) == ["corrupt.jpg", "empty.png", "pdf_pages.txt"]
    assert all(r["reason"] for r in s["rejected"]) and "empty" in json.dumps(s["rejected"])
    assert s["failures"] == [], s["failures"]
    assert s["done"] == {"digitize": 5, "extract": 5, "route": 5, "merge": 5}
    assert s["ocr"] == {"read": 4}  # four frames OCR'd; the PDF's text layer needs none
    c = s["counts"]
    assert c["digitize"]["pages"] == 4 + int((batch_dir / "pdf_pages.txt").read_text())
    assert c["digitize"]["frames"] == 0 and c["extract"]["records"] >= 4
    assert c["route"]["auto"] + c["route"]["review"] + c["route"]["audit"] == c["extract"]["records"]
    assert c["merge"]["inserted"] == c["route"]["auto"] == _events(home)
    assert s["progress"] and all(p.get("merge", 0) <= 5 for p in s["progress"])  # what the progress bars were shown
    queued = sum(len(p.read_text().splitlines()) for p in (home.results_dir / "review-queue").glob("*.jsonl"))
    assert queued == c["route"]["review"] + c["route"]["audit"]

    again = _run(home, [batch_dir], "mixed")
    assert again["ocr"] == {} and again["done"] == s["done"] and again["counts"] == s["counts"]
    assert _events(home) == c["merge"]["inserted"]


def test_resubmitted_documents_come_from_the_ocr_cache(prefect_api, tmp_path, home):
    docs = tmp_path / "docs"
    _frames(docs, [(layout, seed + 100) for layout, seed in FRAMES[:3]])
    first = _run(home, [docs], "first")
    second = _run(home, [docs], "second")  # the same files under another batch id: its stages are new
    assert first["ocr"] == {"read": 3} and second["ocr"] == {"cached": 3}
    assert second["counts"]["merge"]["inserted"] == 0  # every record already in the repository
    assert second["counts"]["merge"]["unchanged"] == first["counts"]["merge"]["inserted"]


class _Flaky:
    """Fails the first read of every image, then reads one word: a transient fault."""
    name, text_height = "flaky", (18.0, 48.0)

    def __init__(self):
        self.calls: dict[int, int] = {}

    def model_version(self) -> str:
        return "fault injection"

    def read_words(self, image, options):
        n = self.calls[image.shape[1]] = self.calls.get(image.shape[1], 0) + 1
        if n == 1:
            raise OSError("injected: the engine's worker went away")
        return [Word(text="OK", bbox=(1, 1, 20, 10), confidence=0.9)]


def test_transient_ocr_failures_are_retried_and_a_dead_engine_fails_only_its_document(prefect_api, tmp_path, home, monkeypatch):
    from digitize import ocr
    from flows import stages

    frames = tmp_path / "frames"
    truths = _frames(frames, FRAMES[:2])
    flaky = _Flaky()
    monkeypatch.setitem(ocr.ENGINES, "flaky", lambda: flaky)
    stages.ocr_engine.cache_clear()
    s = _run(home, [frames], "flaky", engine="flaky")
    assert s["done"]["digitize"] == 2 and s["ocr"] == {"read": 2}
    assert sorted(flaky.calls.values()) == [2, 2]  # each frame failed once, then was read

    # An engine dead for good: its document fails after the retries; a PDF's text layer needs no OCR and goes on.
    make_item(frames, 5, "pdf_text", 36)
    monkeypatch.setitem(ocr.ENGINES, "dead", _Dead)
    stages.ocr_engine.cache_clear()
    s = _run(home, [frames], "dead", engine="dead")
    assert s["done"] == {"digitize": 1, "extract": 1, "route": 1, "merge": 1}
    assert len(s["failures"]) == 2 and {f["stage"] for f in s["failures"]} == {"digitize"}
    assert all("engine died" in f["error"] for f in s["failures"])
    assert {Path(f["path"]).name for f in s["failures"]} == {Path(t["file"]).name for t in truths}
    stages.ocr_engine.cache_clear()


class _Dead(_Flaky):
    def read_words(self, image, options):
        raise OcrEngineError("injected: the engine died on this page")


def _cli(*args, home: Path, api: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "CROSSTRACK_HOME": str(home), "PREFECT_API_URL": api}
    return subprocess.Popen([sys.executable, "-m", "flows", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, **kw)


def _state(home: Path) -> tuple[list, int]:
    with sqlite3.connect(home / "crosstrack.db") as db:
        keys = sorted(db.execute("SELECT record_key, content_hash FROM extractions").fetchall())
        return keys, db.execute("SELECT count(*) FROM events").fetchone()[0]


def test_kill_9_mid_batch_then_rerun_processes_every_document_once(prefect_api, tmp_path):
    docs = tmp_path / "docs"
    _frames(docs, [(layout, 40 + i) for i, layout in enumerate(["court_docket", "probation_card", "doc_commitment_card",
                                                                 "court_docket", "probation_card", "court_docket"])])
    args = ("run", str(docs), "--no-review", "--batch", "k9", "--workers", "1")
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    proc = _cli(*args, home=killed, api=prefect_api)
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline:  # kill once some documents are merged and others are not
        time.sleep(0.5)
        try:
            with sqlite3.connect(killed / "crosstrack.db") as db:
                merged = db.execute("SELECT count(*) FROM stage_runs WHERE stage = 'merge'").fetchone()[0]
        except sqlite3.Error:
            continue
        if merged >= 2:
            break
    assert proc.poll() is None, "the batch finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert merged < 6
    rerun = _cli(*args, home=killed, api=prefect_api)
    out, errs = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, errs[-3000:]
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["done"] == {"digitize": 6, "extract": 6, "route": 6, "merge": 6}

    reference = _cli(*args, home=clean, api=prefect_api)
    out, errs = reference.communicate(timeout=600)
    assert reference.returncode == 0, errs[-3000:]
    assert _state(killed) == _state(clean)  # the same records, each once, with the same content
    assert _state(clean)[1] == json.loads(out.strip().splitlines()[-1])["merged"]["inserted"]

    status = subprocess.run([sys.executable, "-m", "flows", "status", "k9"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "CROSSTRACK_HOME": str(killed)}, timeout=120)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout.strip().splitlines()[-1])["done"]["merge"] == 6


def test_ocr_fans_out_over_a_local_dask_cluster(prefect_api, tmp_path, home):
    from flows import stages
    from flows.cli_run import ingest_batch, run_batch, task_runner

    docs = tmp_path / "docs"
    _frames(docs, [(layout, seed + 200) for layout, seed in FRAMES[:2]])
    ingest_batch(home, [docs], None, "dask")
    stages.ocr_engine.cache_clear()
    s = run_batch(home, "dask", "ppocr", False, task_runner(True, None, 2))
    assert s["ocr"] == {"read": 2} and s["done"] == {"digitize": 2, "extract": 2, "route": 2, "merge": 2}
    assert stages.ocr_engine.cache_info().currsize == 0  # no engine was loaded here: the workers read the frames


def test_prefect_yaml_deploys_and_a_worker_runs_a_batch(prefect_api, tmp_path):
    """`prefect deploy --all` takes prefect.yaml as it is, and a process worker runs the run-batch
    deployment on a PDF with a text layer (no OCR) into the repository."""
    docs = tmp_path / "drop"
    make_item(docs, 0, "pdf_text", 37)
    home = tmp_path / "home"
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "CROSSTRACK_REPO": str(ROOT), "CROSSTRACK_HOME": str(home)}
    prefect = [str(Path(sys.executable).with_name("prefect"))]

    def run(*args, timeout=300):
        p = subprocess.run([*prefect, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        assert p.returncode == 0, (args, p.stdout[-2000:], p.stderr[-2000:])
        return p.stdout

    run("work-pool", "create", "crosstrack", "--type", "process", "--overwrite")
    run("--no-prompt", "deploy", "--all")
    listed = run("deployment", "ls")
    assert "crosstrack-sync-reviews/sync" in listed and "crosstrack-run/run-batch" in listed
    feed_drop = run("deployment", "inspect", "crosstrack-feed-drop/feed-drop")  # too long a name for `ls`'s column
    assert "feed_drop_flow" in feed_drop and "300" in feed_drop  # its entrypoint and its 5-minute schedule
    run("deployment", "run", "crosstrack-run/run-batch", "--param", f"paths={json.dumps([str(docs)])}",
        "--param", "review=false", "--param", "batch=drop")
    run("worker", "start", "--pool", "crosstrack", "--run-once", timeout=600)
    with sqlite3.connect(home / "crosstrack.db") as db:
        stages = dict(db.execute("SELECT stage, status FROM stage_runs WHERE batch_id = 'drop'").fetchall())
    assert stages == {"digitize": "done", "extract": "done", "route": "done", "merge": "done"}
