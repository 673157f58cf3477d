"""A reviewer in real headless Chromium: logs in to Label Studio, opens a task, corrects a value,
submits; `review pull` returns the correction once."""

from __future__ import annotations

import json
from pathlib import Path

from review.ls_config import PROJECT_TITLE
from review.ls_sync import pull
from review.ls_tasks import push
from review.routing import record_key
from tests import browser
from tests.labelstudio import POLICY


def test_a_reviewer_corrects_a_value_in_the_browser_and_pull_returns_it(label_studio, review_records, tmp_path):
    ls, settings = label_studio, label_studio.settings
    push(review_records, settings, POLICY)  # idempotent: the tasks may be there already
    pull(settings, tmp_path / "before.jsonl")  # whatever was pending, so this test sees only its own
    record = next(r for r in reversed(review_records) if r["record"] == 9)  # a review copy no other test annotates
    key = record_key(record)
    with ls.client() as c:
        project = c.find_project(PROJECT_TITLE)["id"]
        [task] = [t for t in c.tasks(project) if t["data"]["key"] == key]
    new_dob = "1930-01-02"
    assert record["fields"]["dob"]["value"] != new_dob

    with browser.reviewer_page() as page:
        browser.log_in(page, settings.ls_url, settings.ls_user, settings.ls_password)
        browser.open_task(page, settings.ls_url, project, task["id"])
        assert browser.field_text(page, "Date of birth") == record["fields"]["dob"]["value"]  # pre-filled
        assert browser.field_text(page, "Name") == record["fields"]["name"]["value"]
        assert Path(record["source"]).stem not in page.content()  # the reviewer never sees the source
        browser.correct(page, "Date of birth", new_dob)
        assert browser.submit(page) == 201

    out = tmp_path / "verified.jsonl"
    res = pull(settings, out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert res.pulled == 1 and [record_key(r) for r in rows] == [key]
    [row] = rows
    assert row["fields"]["dob"]["value"] == new_dob and row["fields"]["dob"]["corrected"] is True
    # Values the reviewer left alone come back as the machine read them.
    assert {k: v for k, v in row["fields"].items() if k != "dob"} == {k: v for k, v in record["fields"].items() if k != "dob"}
    assert row["charges"] == record["charges"] and row["event_type"] == record["event_type"]
    assert row["verification"]["how"] == "reviewed" and row["verification"]["by"] == settings.ls_user
    assert pull(settings, tmp_path / "again.jsonl").pulled == 0
