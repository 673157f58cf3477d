"""The archivist's journey over real HTTP: upload a batch with a manifest, watch it run through
every stage in its own process under Prefect, see each rejected file and why, re-submit a
corrected file; size limits and manifests that try to reach outside the upload."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from models.db import engine_for
from models.schema import BatchDocument, Document, StageRun
from portal.routes_archive import safe_name
from tests.conftest import typed_page

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FRAME = SAMPLES / "frame" / "frame_00000.png"
PDF = SAMPLES / "pdf_text" / "pdf_text_00011.pdf"


def _wait(client, batch: str, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        b = client.get(f"/api/archive/batches/{batch}").json()
        if b["finished"]:
            return b
        assert time.monotonic() < deadline, f"batch still running: {b}"
        time.sleep(1)


def _png_bytes() -> bytes:
    """A small typed page: the corrected file (quick to read, so the re-run is short)."""
    buf = io.BytesIO()
    Image.fromarray(typed_page(lines=["CORRECTED NOTES"], width=700, height=160)).save(buf, format="PNG")
    return buf.getvalue()


MANIFEST = ("path,agency,county,series,reel\n"
            "frames/frame_00000.png,Trial Court,Bristol,Criminal Dockets,R184\n"
            "docket.pdf,,Essex,,\n"
            "never_uploaded.png,,,,\n")


@pytest.fixture(scope="module")
def first_batch(portal_server, prefect_api):
    c = portal_server.client("archivist")
    files = [("files", ("frames/frame_00000.png", FRAME.read_bytes(), "image/png")),
             ("files", ("docket.pdf", PDF.read_bytes(), "application/pdf")),
             ("files", ("empty.png", b"", "image/png")),
             ("files", ("notes.png", b"Docket notes typed as text, not an image\n" * 20, "image/png")),
             ("manifest", ("batch.csv", MANIFEST.encode(), "text/csv"))]
    r = c.post("/archive/upload", files=files, data={"batch": "box-12", "agency": "Commissioner Of Probation"})
    assert r.status_code == 303 and r.headers["location"] == "/archive/batches/box-12"
    running = c.post("/archive/batches/box-12/resubmit", headers={"accept": "application/json"})
    assert running.status_code == 409 and "running" in running.json()["detail"]
    return c, _wait(c, "box-12")


def test_a_batch_runs_every_stage_and_explains_each_rejected_file(portal_server, first_batch):
    c, b = first_batch
    assert b["run"] == "finished" and b["documents"] == 2 and b["files"] == 5
    assert b["done"] == {"digitize": 2, "extract": 2, "route": 2, "merge": 2}
    assert b["counts"]["extract"]["records"] >= 2 and b["failures"] == []
    why = {r["path"]: r["reason"] for r in b["rejected"]}
    assert set(why) == {"empty.png", "notes.png", "never_uploaded.png"}
    assert "empty (0 bytes)" in why["empty.png"]
    assert why["notes.png"].startswith("not an image or a PDF")  # typed by content, not by its name or MIME type
    assert "does not exist" in why["never_uploaded.png"] and str(portal_server.settings.home) not in why["never_uploaded.png"]
    page = c.get("/archive/batches/box-12").text
    for name in why:
        assert name in page
    assert 'data-finished="yes"' in page and "Finished." in page
    assert "box-12" in c.get("/archive").text


def test_provenance_comes_from_the_manifest_row_then_the_batch(portal_server, first_batch):
    with engine_for(portal_server.settings).connect() as conn:
        docs = {Path(p).name: d for p, d in conn.execute(
            select(BatchDocument.path, BatchDocument.provenance).where(BatchDocument.status == "stored"))}
        agencies = set(conn.execute(select(Document.agency)).scalars())
    assert docs["frames__frame_00000.png"] == {"agency": "Trial Court", "county": "Bristol",
                                               "series": "Criminal Dockets", "reel": "R184"}
    assert docs["docket.pdf"] == {"agency": "Commissioner Of Probation", "county": "Essex"}
    assert agencies <= {"Trial Court", "Commissioner Of Probation"} and agencies


def test_resubmitting_a_corrected_file_runs_only_it(portal_server, first_batch):
    c, _ = first_batch
    r = c.post("/archive/batches/box-12/resubmit", files=[("files", ("notes.png", _png_bytes(), "image/png"))])
    assert r.status_code == 303
    b = _wait(c, "box-12")
    assert b["documents"] == 3 and b["done"]["merge"] == 3
    assert {r["path"] for r in b["rejected"]} == {"empty.png", "never_uploaded.png"}
    with engine_for(portal_server.settings).connect() as conn:
        attempts = conn.execute(select(StageRun.attempts).where(StageRun.batch_id == "box-12")).scalars().all()
        kept = conn.execute(select(BatchDocument.provenance).where(BatchDocument.batch_id == "box-12",
                                                                   BatchDocument.path.endswith("/notes.png"))).scalar_one()
    assert len(attempts) == 12 and set(attempts) == {1}  # nothing of the first two documents was redone
    assert kept == {"agency": "Commissioner Of Probation"}  # the corrected file keeps the provenance it was sent with


def test_an_oversized_upload_is_refused_before_it_is_stored(portal_server):
    c = portal_server.client("archivist")
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * int(portal_server.settings.max_file_mb * 1_000_000)
    r = c.post("/archive/upload", files=[("files", ("huge.png", big, "image/png"))], data={"batch": "too-big"})
    assert r.status_code == 303
    b = c.get("/api/archive/batches/too-big").json()
    assert b["documents"] == 0 and b["run"] == "none"
    assert [r["path"] for r in b["rejected"]] == ["huge.png"] and "over the limit of 5 MB" in b["rejected"][0]["reason"]
    assert not list((portal_server.settings.home / "uploads" / "too-big").glob("huge*"))


def test_a_manifest_cannot_name_files_outside_the_upload(portal_server):
    c = portal_server.client("archivist")
    secret = portal_server.settings.home / "secret.png"
    secret.write_bytes(FRAME.read_bytes())
    manifest = f"path\n{secret}\n../../secret.png\n".encode()
    r = c.post("/archive/upload", files=[("manifest", ("m.csv", manifest, "text/csv"))], data={"batch": "escape"})
    assert r.status_code == 303
    b = c.get("/api/archive/batches/escape").json()
    assert b["documents"] == 0 and len(b["rejected"]) == 1 and "does not exist" in b["rejected"][0]["reason"]


def test_a_bad_manifest_is_refused_with_what_to_fix(portal_server):
    c = portal_server.client("archivist")
    r = c.post("/api/archive/batches/x", data={})
    assert r.status_code == 405
    r = c.post("/archive/upload", files=[("files", ("a.pdf", PDF.read_bytes(), "application/pdf")),
                                         ("manifest", ("m.csv", b"file,agency\na.pdf,X\n", "text/csv"))],
               data={"batch": "bad-manifest"}, headers={"accept": "application/json"})
    assert r.status_code == 400 and "path required" in r.json()["detail"]
    assert c.get("/api/archive/batches/no-such-batch").status_code == 404
    assert c.get("/api/archive/batches/..%2f..%2fetc").status_code == 404


def test_uploaded_names_become_one_harmless_path_component():
    assert safe_name("../../etc/passwd") == "etc__passwd"
    assert safe_name("C:\\scans\\reel 7\\frame 01.png") == "C__scans__reel_7__frame_01.png"
    assert safe_name("..") .startswith("file-") and "/" not in safe_name("a/../b")


def test_strangers_cannot_upload_and_other_bodies_are_small(portal_server):
    anon = portal_server.client()
    r = anon.post("/archive/upload", files=[("files", ("a.pdf", PDF.read_bytes(), "application/pdf"))], data={"batch": "anon"})
    assert r.status_code == 401
    assert not (portal_server.settings.home / "uploads" / "anon").exists()
    admin = portal_server.client("admin")
    r = admin.post("/admin/users", content=b"x" * 2_000_001, headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413
