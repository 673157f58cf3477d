"""Review against a real Label Studio server: push (routing, tasks, no duplicates, nothing of the
source in a task), pull by webhook and by polling, once each, and an updated annotation again."""

from __future__ import annotations

import copy
import datetime as dt
import json
import socket
import time
from collections import Counter
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest

from models.verified import VerifiedRecord
from review import ls_server
from review.ls_config import PROJECT_TITLE
from models.errors import PortTakenError
from review.ls_server import serve, stop_receiver
from review.ls_sync import pull
from review.ls_tasks import push
from review.routing import record_key, route_records
from tests.labelstudio import POLICY


def routes(records: list[dict]) -> dict[str, str]:
    return {record_key(r.record): r.route for r in route_records(records, POLICY)}


def task_by_key(ls, key: str) -> dict:
    with ls.client() as c:
        project = c.find_project(PROJECT_TITLE)["id"]
        [task] = [t for t in c.tasks(project) if t["data"]["key"] == key]
        return c.task(task["id"])


def reviewed(task: dict, changes: dict[str, str]) -> list[dict]:
    """What the form submits: the pre-filled prediction, with the reviewer's changes to text boxes."""
    result = copy.deepcopy(task["predictions"][0]["result"])
    for r in result:
        if r["from_name"] in changes:
            r["value"] = {"text": [changes[r["from_name"]]]}
            r["origin"] = "prediction-changed"
    return result


def pulled(ls, tmp_path: Path, name: str) -> tuple[dict, list[dict]]:
    out = tmp_path / name
    res = pull(ls.settings, out)
    return res.summary(), [json.loads(line) for line in out.read_text().splitlines()]


def lines(path: Path, key: str) -> list[dict]:
    return [row for row in map(json.loads, path.read_text().splitlines()) if row["key"] == key]


def wait_for_inbox(ls, timeout: float = 10.0) -> list[Path]:
    inbox = ls.settings.review_dir / "inbox"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(inbox.glob("*.json")) if inbox.is_dir() else []
        if found:
            return found
        time.sleep(0.1)
    return []


@pytest.fixture(scope="module")
def pushed(label_studio, review_records, policy_file, tmp_path_factory):
    """`crosstrack review push` of the records, run once as a real command."""
    folder = tmp_path_factory.mktemp("push")
    src, auto = folder / "records.jsonl", folder / "auto.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in review_records))
    run = label_studio.crosstrack("review", "push", str(src), "--auto-out", str(auto), "--policy", str(policy_file))
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1]), auto


def test_push_routes_records_and_creates_their_tasks(label_studio, review_records, pushed):
    summary, auto = pushed
    want = routes(review_records)
    n = Counter(want.values())
    assert n["review"] >= 4 and n["audit"] >= 1 and n["auto"] >= 1  # the records exercise every route
    assert summary == {"auto": n["auto"], "review": n["review"], "audit": n["audit"], "pushed": n["review"] + n["audit"]}
    autos = [json.loads(line) for line in auto.read_text().splitlines()]
    assert sorted(record_key(a) for a in autos) == sorted(k for k, r in want.items() if r == "auto")
    assert all(a["verification"]["how"] == "auto" and a["verification"]["by"] == "machine" for a in autos)
    with label_studio.client() as c:
        project = c.find_project(PROJECT_TITLE)["id"]
        tasks = list(c.tasks(project))
    assert sorted(t["data"]["key"] for t in tasks) == sorted(k for k, r in want.items() if r != "auto")


def test_a_task_holds_the_record_text_crop_and_machine_values_but_not_its_source(label_studio, review_records, pushed):
    record = review_records[0]
    task = task_by_key(label_studio, record_key(record))
    assert set(task["data"]) == {"image", "text", "key"}
    assert task["data"]["text"] == record["text"]
    dumped = json.dumps(task)
    assert Path(record["source"]).name not in dumped and Path(record["source"]).stem not in dumped
    result = {r["id"]: r for r in task["predictions"][0]["result"]}
    assert result["v_name"]["value"]["text"] == [record["fields"]["name"]["value"]]
    assert result["v_name"]["score"] == record["fields"]["name"]["confidence"]
    start, end = record["fields"]["name"]["span"]
    assert result["s_fields_name"]["value"] == {"start": start, "end": end, "text": record["text"][start:end],
                                               "labels": ["PERSON"]}
    assert result["event_type"]["value"]["choices"] == [record["event_type"]]
    assert result["charges"]["value"]["choices"] == [str(i + 1) for i in range(len(record["charges"]))]
    # The crop is served to a logged-in user only.
    url = label_studio.settings.ls_url + task["data"]["image"]
    got = httpx.get(url, headers={"Authorization": f"Token {label_studio.settings.ls_token}"})
    assert got.status_code == 200 and got.headers["content-type"] == "image/png"
    crop = cv2.imdecode(np.frombuffer(got.content, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert crop.shape[0] > 20 and crop.shape[1] > 100
    assert httpx.get(url).status_code in (401, 403)


def test_pushing_the_same_records_again_creates_no_duplicates(label_studio, review_records, pushed):
    res = push(review_records, label_studio.settings, POLICY)
    assert res.pushed == 0 and res.already == pushed[0]["pushed"]
    with label_studio.client() as c:
        assert len(list(c.tasks(c.find_project(PROJECT_TITLE)["id"]))) == pushed[0]["pushed"]


def test_a_record_whose_document_is_gone_is_not_pushed(label_studio, review_records, pushed):
    gone = {**review_records[0], "sha256": "f" * 64, "source": "/nowhere/gone.pdf"}
    res = push([gone], label_studio.settings, POLICY)
    assert (res.review, res.pushed, res.missing) == (1, 0, ["f" * 12])


def test_pull_by_webhook_applies_the_reviewers_correction(label_studio, review_records, pushed, tmp_path):
    record = review_records[0]
    key = record_key(record)
    task = task_by_key(label_studio, key)
    new_dob = "1931-02-03"
    assert record["fields"]["dob"]["value"] != new_dob
    with label_studio.client() as c:
        c.annotate(task["id"], reviewed(task, {"v_dob": new_dob}))
    assert wait_for_inbox(label_studio), "the webhook receiver spooled nothing"
    summary, rows = pulled(label_studio, tmp_path, "verified.jsonl")
    assert summary == {"pulled": 1, "from_webhook": 1, "from_polling": 0}
    [row] = rows
    assert record_key(row) == key and row["source"] == record["source"]
    assert row["fields"]["dob"]["value"] == new_dob and row["fields"]["dob"]["corrected"] is True
    assert row["fields"]["dob"]["confidence"] == 1.0
    assert {k: v for k, v in row["fields"].items() if k != "dob"} == {k: v for k, v in record["fields"].items() if k != "dob"}
    assert row["charges"] == record["charges"] and row["event_type"] == record["event_type"]
    v = row["verification"]
    assert v["how"] == "reviewed" and v["by"] == label_studio.settings.ls_user
    assert abs(dt.datetime.fromisoformat(v["at"]) - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5)
    # The merge sees a changed record: its content hash differs from the machine's.
    machine = VerifiedRecord.model_validate({**record, "verification": v})
    assert VerifiedRecord.model_validate(row).content_hash() != machine.content_hash()
    review = label_studio.settings.review_dir
    outcomes = lines(review / "outcomes.jsonl", key)
    assert {o["field"] for o in outcomes if not o["correct"]} == {"fields.dob"}
    assert len(outcomes) == sum(1 for _ in record["fields"]) + sum(1 for c in record["charges"] for p in c.values() if p)
    assert all(o["how"] == "reviewed" and o["at"] == v["at"] for o in outcomes)
    [corr] = lines(review / "corrections.jsonl", key)
    assert corr["text"] == record["text"]
    assert [record["fields"]["name"]["span"][0], record["fields"]["name"]["span"][1], "PERSON"] in corr["entities"]
    assert not (review / "inbox").exists() or not list((review / "inbox").glob("*.json"))


def test_a_second_pull_returns_nothing_new(label_studio, pushed, tmp_path):
    summary, rows = pulled(label_studio, tmp_path, "again.jsonl")
    assert summary == {"pulled": 0, "from_webhook": 0, "from_polling": 0} and rows == []


def test_pull_by_polling_when_the_webhook_receiver_is_down(label_studio, review_records, pushed, tmp_path):
    key = next(k for k, r in routes(review_records).items() if r == "audit")
    record = next(r for r in review_records if record_key(r) == key)
    task = task_by_key(label_studio, key)
    assert stop_receiver(label_studio.settings)
    try:
        with label_studio.client() as c:
            c.annotate(task["id"], reviewed(task, {}))  # the auditor accepts every value
        summary, rows = pulled(label_studio, tmp_path, "polled.jsonl")
    finally:
        again = serve(label_studio.settings)
    assert summary == {"pulled": 1, "from_webhook": 0, "from_polling": 1}
    [row] = rows
    assert record_key(row) == key and row["verification"]["how"] == "audited"
    assert row["fields"] == record["fields"] and row["charges"] == record["charges"]
    assert all(o["correct"] for o in lines(label_studio.settings.review_dir / "outcomes.jsonl", key))
    assert again.reused and ls_server.status(label_studio.settings)["webhook"]


def test_an_updated_annotation_comes_again_as_an_update(label_studio, review_records, pushed, tmp_path):
    key = record_key(review_records[1])
    task = task_by_key(label_studio, key)
    with label_studio.client() as c:
        ann = c.annotate(task["id"], reviewed(task, {"v_dob": "1931-02-04"}))
        first = pulled(label_studio, tmp_path, "first.jsonl")
        c.update_annotation(ann["id"], result=reviewed(task, {"v_dob": "1931-02-05", "v_name": "DOE, JANE"}))
    assert first[0]["pulled"] == 1 and first[1][0]["fields"]["dob"]["value"] == "1931-02-04"
    summary, rows = pulled(label_studio, tmp_path, "updated.jsonl")
    assert summary == {"pulled": 1, "from_webhook": 1, "from_polling": 0}
    [row] = rows
    assert record_key(row) == key
    assert row["fields"]["dob"]["value"] == "1931-02-05" and row["fields"]["name"]["value"] == "DOE, JANE"
    assert row["verification"]["at"] > first[1][0]["verification"]["at"]
    assert pulled(label_studio, tmp_path, "after.jsonl")[0]["pulled"] == 0


def test_serve_reuses_its_server_and_refuses_a_port_taken_by_another_program(label_studio, tmp_path):
    run = label_studio.crosstrack("review", "serve")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[-1])["reused"] is True
    assert label_studio.settings.ls_url in run.stderr and label_studio.settings.ls_user in run.stderr
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        elsewhere = label_studio.settings.model_copy(update={"home": tmp_path / "home", "ls_url": f"http://127.0.0.1:{port}"})
        with pytest.raises(PortTakenError, match=f"port {port} .* is taken by another program"):
            serve(elsewhere)


def test_run_pushes_review_tasks_and_sync_merges_what_reviewers_finished(label_studio, tmp_path):
    """The whole loop: `crosstrack run` merges the auto-accepted records and pushes the rest to
    Label Studio; reviewers finish them; `crosstrack run --sync` pulls and merges them."""
    import sqlite3

    from digitize.samplegen.dataset import make_item
    from review.policy import RoutingPolicy, save_policy

    import hashlib

    docs = tmp_path / "docs"
    made = make_item(docs, 0, "pdf_text", 77)  # a document of its own: its records are no other test's tasks
    sha = hashlib.sha256((docs / made["file"]).read_bytes()).hexdigest()
    strict = save_policy(RoutingPolicy(default_threshold=0.999, audit_rate=0.0, audit_seed="s"), tmp_path / "strict.toml")
    env = {"CROSSTRACK_REVIEW_POLICY": str(strict)}
    run = label_studio.crosstrack("run", str(docs), "--batch", "loop", extra_env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    s = json.loads(run.stdout.splitlines()[-1])
    assert s["review"] >= 1 and s["pushed"] == s["review"] + s["audit"] and s["merged"]["inserted"] == s["auto"]
    with label_studio.client() as c:
        project = c.find_project(PROJECT_TITLE)["id"]
        open_tasks = [c.task(t["id"]) for t in c.tasks(project) if t["data"]["key"].startswith(sha)]
        assert len(open_tasks) == s["pushed"] and not any(t.get("total_annotations") for t in open_tasks)
        for task in open_tasks:
            c.annotate(task["id"], reviewed(task, {}))  # the reviewer accepts the machine's values
    synced = label_studio.crosstrack("run", "--sync", extra_env=env)
    assert synced.returncode == 0, synced.stderr[-3000:]
    sync = json.loads(synced.stdout.splitlines()[-1])["sync"]
    assert sync["pulled"]["pulled"] == len(open_tasks) and sync["merged"]["inserted"] >= s["review"]
    with sqlite3.connect(label_studio.settings.home / "crosstrack.db") as db:
        hows = dict(db.execute("SELECT how, count(*) FROM reviews GROUP BY how").fetchall())
    assert hows.get("reviewed", 0) >= s["review"] and hows.get("auto", 0) == s["auto"]
    again = json.loads(label_studio.crosstrack("run", "--sync", extra_env=env).stdout.splitlines()[-1])["sync"]
    assert again["pulled"]["pulled"] == 0
