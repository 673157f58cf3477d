"""The reviewer's queue (without Label Studio: what was pushed and what waits to be) and the
admin's audit-log browser and account pages, over real HTTP."""

from __future__ import annotations

import json

from models import audit
from models.db import engine_for
from review import ls_store
from tests.portal import log_in


def test_the_queue_lists_pushed_tasks_without_identifiers_and_counts_what_waits(portal_server):
    s = portal_server.settings
    c = portal_server.client("reviewer")
    before = c.get("/api/review/queue").json()  # batches other tests ran may have left records for review
    record = {"event_type": "sentencing", "fields": {"name": {"value": "DOE, JOHN"}, "dob": {"value": "1961-02-03"}}}
    for i in range(3):
        ls_store.save_pushed(s, f"{'a' * 64}:{i}:-:0", "review", ("low confidence: dob",), record)
    queue = s.results_dir / "review-queue" / f"{'b' * 64}.jsonl"
    queue.parent.mkdir(parents=True, exist_ok=True)
    queue.write_text("".join(json.dumps(record) + "\n" for _ in range(2)))
    q = c.get("/api/review/queue").json()
    assert q["label_studio"] is False and q["pushed"] == q["left"] == before["pushed"] + 3
    assert q["waiting_push"] == before["waiting_push"] + 2
    assert {t["event_type"] for t in q["tasks"]} == {"sentencing"}
    assert all(t["reasons"] == ["low confidence: dob"] for t in q["tasks"])
    page = c.get("/review").text
    assert "does not answer" in page and "crosstrack review push" in page and "low confidence: dob" in page
    assert "DOE" not in page and "1961" not in page and "DOE" not in json.dumps(q)


def _audit_rows(portal_server, n: int) -> None:
    with engine_for(portal_server.settings).begin() as conn:
        for i in range(n):
            audit.record(conn, "carol" if i % 2 else "dave", "analyst_cleared", "read" if i % 3 else "search",
                         f"person {i}", {"person": i})


def test_the_audit_log_filters_and_pages_newest_first(portal_server):
    _audit_rows(portal_server, 120)
    c = portal_server.client("admin")
    first = c.get("/api/admin/audit", params={"actor": "carol"}).json()
    assert first["total"] == 60 and len(first["entries"]) == 50
    assert all(e["actor"] == "carol" for e in first["entries"])
    ids = [e["id"] for e in first["entries"]]
    assert ids == sorted(ids, reverse=True)
    rest = c.get("/api/admin/audit", params={"actor": "carol", "before": first["next_before"]}).json()
    assert len(rest["entries"]) == 10 and rest["next_before"] is None
    assert not set(ids) & {e["id"] for e in rest["entries"]}
    both = c.get("/api/admin/audit", params={"actor": "dave", "action": "search"}).json()
    assert both["total"] == 20  # dave: even i; search: i divisible by 3 -> i divisible by 6 in 0..119
    assert c.get("/api/admin/audit", params={"target": "person 11"}).json()["total"] == 1 + 10  # 11, 110..119
    page = c.get("/admin/audit", params={"actor": "carol"})
    assert page.status_code == 200 and 'id="audit-total">60<' in page.text and "Older entries" in page.text
    assert c.get("/api/admin/audit", params={"since": "not-a-date"}).status_code == 422


def test_admins_add_and_disable_accounts_and_that_is_audited(portal_server):
    c = portal_server.client("admin")
    r = c.post("/admin/users", data={"name": "new-reviewer", "role": "reviewer", "password": "long enough pw"})
    assert r.status_code == 303
    fresh = portal_server.client()
    assert log_in(fresh, "new-reviewer", "long enough pw").headers["location"] == "/review"
    assert c.post("/admin/users/new-reviewer", data={"role": "reviewer", "active": "false"}).status_code == 303
    assert fresh.get("/api/me").status_code == 401
    log = c.get("/api/admin/audit", params={"target": "account new-reviewer"}).json()
    assert [e["action"] for e in log["entries"]] == ["user_change", "user_add"]
    assert c.post("/admin/users", data={"name": "sheriff-1", "role": "sheriff", "password": "long enough pw"},
                  headers={"accept": "application/json"}).status_code == 400
    assert "new-reviewer" in c.get("/admin/users").text
