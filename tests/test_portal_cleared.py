"""The cleared analysts' pages and API on the real portal: search by name, SID and docket, a
person's chronological timeline with provenance, the image of the page region an event was read
from (cut from a real stored page), and an audit row for every one of those reads."""

from __future__ import annotations

import json
from contextlib import closing

import cv2
import numpy as np
import pytest
import sqlalchemy as sa

from digitize import store
from digitize.crops import PAD
from models.schema import AuditEntry, Event, Identity
from tests.portal_data import BOX, DOCKET, NAME, SID, merge_stored_page



@pytest.fixture(scope="module")
def cleared(analyst_portal):
    c = analyst_portal.client("analyst_cleared")
    yield c
    c.close()


@pytest.fixture(scope="module")
def stored_event(analyst_portal, analyst_engine, tmp_path_factory) -> dict:
    return merge_stored_page(analyst_portal.settings, analyst_engine, tmp_path_factory.mktemp("region"))


def audit_rows(analyst_engine, since: int) -> list[AuditEntry]:
    with analyst_engine.connect() as conn:
        return list(conn.execute(sa.select(AuditEntry).where(AuditEntry.id > since).order_by(AuditEntry.id)))


def last_audit_id(analyst_engine) -> int:
    with analyst_engine.connect() as conn:
        return conn.execute(sa.select(sa.func.coalesce(sa.func.max(AuditEntry.id), 0))).scalar()


@pytest.mark.parametrize("q, kind", [(SID, "sid"), ("Quincey, Zebediah", "name"), (DOCKET, "docket")])
def test_search_by_sid_name_docket_is_audited(cleared, analyst_engine, stored_event, q, kind):
    before = last_audit_id(analyst_engine)
    body = cleared.get("/api/cleared/search", params={"q": q}).json()
    assert body["lookup"] == kind
    assert [p["person_id"] for p in body["people"]] == [stored_event["person_id"]]
    assert body["people"][0]["names"] == [NAME] and body["people"][0]["sids"] == [SID]
    (row,) = audit_rows(analyst_engine, before)
    assert (row.actor, row.role, row.action, row.target) == ("analyst_cleared1", "analyst_cleared", "read", "search")
    assert row.detail == {"lookup": kind, "matches": 1, "people": [stored_event["person_id"]]}
    assert "QUINCEY" not in json.dumps(row.detail)  # the audit log does not copy identifiers around
    page = cleared.get("/cleared", params={"q": q})
    assert f'href="/cleared/person/{stored_event["person_id"]}"' in page.text and NAME in page.text


def test_search_of_the_synthetic_state_finds_everyone_of_a_name(cleared, analyst_engine):
    with analyst_engine.connect() as conn:
        last, first, n = conn.execute(
            sa.select(Identity.last_name, Identity.first_name, sa.func.count(sa.distinct(Identity.person_id)))
            .where(Identity.person_id.is_not(None), Identity.first_name.is_not(None))
            .group_by(Identity.last_name, Identity.first_name).order_by(sa.func.count(sa.distinct(Identity.person_id)).desc())
        ).first()
    body = cleared.get("/api/cleared/search", params={"q": f"{last}, {first}"}).json()
    assert len(body["people"]) >= n >= 1
    assert cleared.get("/cleared", params={"q": "NOBODY-AT-ALL, X"}).text.count("nobody matches") == 1


def test_timeline_is_chronological_with_provenance_and_audited(cleared, analyst_engine):
    with analyst_engine.connect() as conn:
        pid, n = conn.execute(sa.select(Event.person_id, sa.func.count()).where(Event.person_id.is_not(None))
                              .group_by(Event.person_id).order_by(sa.func.count().desc())).first()
    before = last_audit_id(analyst_engine)
    body = cleared.get(f"/api/cleared/person/{pid}").json()
    events = body["events"]
    assert len({e["event_id"] for e in events}) == n
    dates = [e["event_date"] for e in events if e["event_date"]]
    assert dates == sorted(dates)
    for e in events:
        assert e["person_id"] == pid and len(e["document_sha256"]) == 64
        assert e["provenance"]["source"] and e["provenance"]["verified_how"] in ("auto", "reviewed", "audited")
    (row,) = audit_rows(analyst_engine, before)
    assert (row.action, row.target, row.detail["people"]) == ("read", "timeline", [pid])
    page = cleared.get(f"/cleared/person/{pid}")
    assert page.status_code == 200 and page.text.count('class="event"') == n
    assert cleared.get("/api/cleared/person/987654321").status_code == 404


def test_region_image_is_the_stored_page_cut_at_the_box(cleared, analyst_engine, stored_event):
    before = last_audit_id(analyst_engine)
    r = cleared.get(f"/api/cleared/region/{stored_event['event_id']}.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    crop = cv2.imdecode(np.frombuffer(r.content, np.uint8), cv2.IMREAD_GRAYSCALE)
    x0, y0, x1, y1 = (int(v) for v in BOX)
    expected = stored_event["page"][y0 - PAD:y1 + PAD, x0 - PAD:x1 + PAD]
    assert crop.shape == expected.shape and np.array_equal(crop, expected)
    assert (crop < 100).mean() > 0.01  # the typed line's ink is in it
    (row,) = audit_rows(analyst_engine, before)
    assert (row.target, row.detail) == ("region_image", {"event": stored_event["event_id"]})
    page = cleared.get(f"/cleared/person/{stored_event['person_id']}")
    assert f'src="/api/cleared/region/{stored_event["event_id"]}.png"' in page.text
    assert "B0042" in page.text and "reviewed by reviewer-7" in page.text


def test_region_image_refused_when_it_cannot_be_shown(cleared, analyst_engine, stored_event, analyst_portal):
    with analyst_engine.connect() as conn:  # a synthetic record: no box was recorded
        synthetic = conn.execute(sa.select(Event.id).where(Event.docket.is_not(None)).limit(1)).scalar()
    r = cleared.get(f"/api/cleared/region/{synthetic}.png")
    assert r.status_code == 404 and "no region box" in r.json()["detail"]
    stored = store.locate(analyst_portal.settings.store_dir, cleared.get(
        f"/api/cleared/person/{stored_event['person_id']}").json()["events"][0]["document_sha256"])
    moved = stored.parent.parent / "moved-away"
    stored.rename(moved)
    try:
        r = cleared.get(f"/api/cleared/region/{stored_event['event_id']}.png")
        assert r.status_code == 404 and "not in the store" in r.json()["detail"]
    finally:
        moved.rename(stored)
    assert cleared.get("/api/cleared/region/987654321.png").status_code == 404


def test_admin_may_read_restricted_and_reviewer_may_not(analyst_portal, stored_event):
    with closing(analyst_portal.client("admin")) as admin:
        assert admin.get(f"/api/cleared/person/{stored_event['person_id']}").status_code == 200
    with closing(analyst_portal.client("reviewer")) as reviewer:
        assert reviewer.get(f"/api/cleared/person/{stored_event['person_id']}").status_code == 403
        assert reviewer.get("/cleared").status_code == 403
