"""The portal's main journeys in real headless Chromium (Playwright driving Debian's chromium):
a public analyst opens a trend chart and downloads a dataset; a cleared analyst opens a timeline
and the admin's audit log shows it; a public analyst is refused a restricted page; an archivist uploads a batch and sees it finish
with its one bad file explained.

Set CROSSTRACK_SCREENSHOTS=docs/screenshots to keep screenshots of the main pages for the README."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from digitize.crops import PAD
from models import privacy, views
from models.db import make_engine
from models.schema import Event, Identity
from tests.browser import CHROMIUM, TIMEOUT_MS
from tests.portal_data import BOX, DOCKET, merge_stored_page

TEXT_PDF = Path(__file__).resolve().parents[1] / "samples" / "pdf_text" / "pdf_text_00011.pdf"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup` (it installs Debian's chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("CROSSTRACK_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def signed_in(browser, server, role: str):
    """A fresh browser context signed in through the sign-in form as the account of `role`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    name, password = server.users[role]
    page.goto(f"{server.url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/login" not in u)
    return context, page


def test_public_analyst_opens_a_trend_chart_and_downloads_a_dataset(browser, analyst_portal, shots, tmp_path):
    context, page = signed_in(browser, analyst_portal, "analyst_public")
    try:
        assert page.url.endswith("/public")
        page.select_option("#by", "year")
        page.select_option("#series", "event_type")
        page.select_option("#filter-county", "Middlesex")
        page.click("form.cohort button[type=submit]")
        page.wait_for_url(lambda u: "series=event_type" in u and "county=Middlesex" in u)
        chart = page.locator("#trend-chart")
        page.wait_for_function("document.getElementById('trend-chart').complete")
        assert chart.evaluate("img => img.naturalWidth") > 300  # the SVG loaded and was drawn
        assert page.locator("#chart-title").inner_text() == "Events by year and event type (county = Middlesex)"
        hidden = page.locator("#trend-table td.hidden").count()
        shown = [int(t.replace(",", "")) for t in page.locator("#trend-table td.num").all_inner_texts()]
        assert hidden > 0 and shown and all(n == 0 or n >= privacy.THRESHOLD for n in shown)
        page.screenshot(path=str(shots / "trends.png"), full_page=False)

        page.click("nav >> text=Reports")
        page.click("text=Dispositions by offence category")
        page.wait_for_selector("#report")
        page.screenshot(path=str(shots / "report.png"), full_page=False)
        page.go_back()
        with page.expect_download() as info:
            page.click("#dataset-download")
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        assert saved.name == f"anonymized-k{privacy.K}.csv"
        df = pd.read_csv(io.StringIO(saved.read_text()), dtype=str, keep_default_na=False)
        assert len(df) > 10_000 and list(df.columns) == views.EXPORT_COLUMNS
        assert privacy.is_k_anonymous(df, list(privacy.QUASI_IDENTIFIERS), privacy.K, "pseudonym")

        page.goto(f"{analyst_portal.url}/public/timeline")
        page.locator("p.muted a").first.click()
        page.wait_for_selector("#timeline")
        assert page.locator("#timeline tr").count() > 2
        page.screenshot(path=str(shots / "public-timeline.png"), full_page=False)
    finally:
        context.close()


def test_cleared_analyst_opens_a_timeline_and_the_audit_log_shows_it(browser, analyst_portal, shots, tmp_path):
    engine = make_engine(f"sqlite:///{analyst_portal.settings.home / 'crosstrack.db'}")
    stored = merge_stored_page(analyst_portal.settings, engine, tmp_path)
    with engine.connect() as conn:  # someone with many events, and a SID they were read under
        pid, n = conn.execute(sa.select(Event.person_id, sa.func.count()).where(Event.person_id.is_not(None))
                              .group_by(Event.person_id).order_by(sa.func.count().desc())).first()
        sid = conn.execute(sa.select(Identity.sid).where(Identity.person_id == pid, Identity.sid.is_not(None))).scalar()
    engine.dispose()
    context, page = signed_in(browser, analyst_portal, "analyst_cleared")
    try:
        page.fill("#q", sid)
        page.click("main button[type=submit]")
        page.wait_for_selector("#people")
        page.screenshot(path=str(shots / "search.png"), full_page=False)
        page.click(f"a[href='/cleared/person/{pid}']")
        page.wait_for_selector("#timeline")
        assert page.locator("#timeline tr.event").count() == n
        dates = [d for d in page.locator("#timeline tr.event td:first-child").all_inner_texts() if d != "unknown"]
        assert dates == sorted(dates)
        # an event read from a stored page: its provenance goes down to the image of the region
        page.goto(f"{analyst_portal.url}/cleared")
        page.fill("#q", DOCKET)
        page.click("main button[type=submit]")
        page.click(f"a[href='/cleared/person/{stored['person_id']}']")
        event = page.locator(f"#event-{stored['event_id']}")
        event.locator("summary").click()
        image = event.locator("img.region")
        image.wait_for()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        x0, y0, x1, y1 = BOX
        assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [x1 - x0 + 2 * PAD, y1 - y0 + 2 * PAD]
        page.screenshot(path=str(shots / "cleared-timeline.png"), full_page=False)
    finally:
        context.close()
    context, page = signed_in(browser, analyst_portal, "admin")
    try:
        page.goto(f"{analyst_portal.url}/admin/audit?actor=analyst_cleared1")
        rows = page.locator("#audit tbody tr").all_inner_texts()
        timeline = [r for r in rows if "timeline" in r and f"[{pid}]" in r]
        assert [r for r in rows if "region_image" in r and str(stored["event_id"]) in r]
        search = [r for r in rows if "search" in r and '"lookup":"sid"' in r.replace(" ", "")]
        assert timeline and search, rows[:5]
        assert "analyst_cleared" in timeline[0]
        page.screenshot(path=str(shots / "audit-log.png"), full_page=False)
    finally:
        context.close()


def test_public_analyst_is_refused_a_restricted_page(browser, analyst_portal, shots):
    context, page = signed_in(browser, analyst_portal, "analyst_public")
    try:
        assert "Search people" not in page.locator("header nav").inner_text()  # not offered
        for path in ("/cleared", "/cleared/person/1", "/admin/audit"):
            response = page.goto(f"{analyst_portal.url}{path}")
            assert response.status == 403, path
            assert page.locator("h1").inner_text() == "Not allowed"
        assert "may not open this" in page.locator("p.error").inner_text()
        page.goto(f"{analyst_portal.url}/cleared")
        page.screenshot(path=str(shots / "refused.png"), full_page=False)
    finally:
        context.close()


def test_archivist_uploads_a_batch_and_sees_it_finish_with_the_bad_file_explained(browser, analyst_portal, shots,
                                                                                  prefect_api):
    context, page = signed_in(browser, analyst_portal, "archivist")
    try:
        assert page.url.endswith("/archive")
        page.set_input_files("#upload input[name=files]", [
            {"name": "docket.pdf", "mimeType": "application/pdf", "buffer": TEXT_PDF.read_bytes()},
            {"name": "notes.png", "mimeType": "image/png", "buffer": b"Docket notes typed as text, not an image\n" * 20}])
        page.fill("#upload input[name=agency]", "Trial Court")
        page.fill("#upload input[name=county]", "Essex")
        page.fill("#upload input[name=batch]", "browser-box-1")
        page.click("#upload button[type=submit]")
        page.wait_for_url(lambda u: u.endswith("/archive/batches/browser-box-1"))
        # the page refreshes itself every 2 s until the run is over
        page.wait_for_selector("#run-state[data-finished=yes]", timeout=300_000)
        assert page.locator("#run-state").get_attribute("data-state") == "finished"
        assert "Finished." in page.locator("#run-state").inner_text()
        done = page.locator("#stages tr[data-stage=merge] td.num").inner_text()
        assert done.replace(" ", "") == "1/1"
        (rejected,) = page.locator("#rejected tbody tr").all()
        cells = rejected.locator("td").all_inner_texts()
        assert cells[0] == "notes.png" and cells[1].startswith("not an image or a PDF")
        page.screenshot(path=str(shots / "batch.png"), full_page=True)
    finally:
        context.close()
