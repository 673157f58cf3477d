"""A portal with data for the analysts' tests: a synthetic state (300 people, seed 1) merged into
the repository and its views refreshed, as `crosstrack synth`, `merge` and `views refresh` do."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from models.settings import Settings
from tests.portal import PortalServer, portal_settings, running_portal

NAME, SID, DOCKET = "QUINCEY, ZEBEDIAH", "MA0424242", "2499CR004242"
BOX = (70.0, 166.0, 820.0, 212.0)  # the third typed line of tests.conftest.typed_page, in its pixels


def load_state(home: Path, work: Path, people: int = 300, seed: int = 1, url: str | None = None) -> dict:
    from flows.cli_repo import ensure_repository
    from models.db import make_engine
    from models.merge import merge_lines, numbered_lines
    from models.privacy import pseudonym_key
    from models.synth import write_state
    from models.views import refresh_views

    state = write_state(work, people, seed, workers=1)
    engine = make_engine(url or f"sqlite:///{home / 'crosstrack.db'}")
    ensure_repository(engine)
    merged = merge_lines(engine, numbered_lines(Path(state["verified"])))
    refreshed = refresh_views(engine, pseudonym_key(home))
    engine.dispose()
    return {"merged": merged.as_dict(), "views": refreshed.as_dict()}


@pytest.fixture(scope="session")
def analyst_portal(tmp_path_factory) -> Iterator[PortalServer]:
    """The real portal (uvicorn, an account per role) over a repository of about 11,000 events."""
    root = tmp_path_factory.mktemp("analyst-portal")
    home = root / "home"
    load_state(home, root / "synth")
    with running_portal(portal_settings(home)) as server:
        yield server


@pytest.fixture(scope="session")
def analyst_engine(analyst_portal):
    """The analyst portal's repository, for tests that look behind its pages."""
    from models.db import make_engine

    e = make_engine(f"sqlite:///{analyst_portal.settings.home / 'crosstrack.db'}")
    yield e
    e.dispose()


def merge_stored_page(settings: Settings, engine, work: Path) -> dict:
    """A real page image in the store and a verified record read from a box on it, merged: an
    event whose page region can be shown. Returns its event and person ids and the page."""
    import json

    import sqlalchemy as sa
    from PIL import Image

    from digitize import store
    from models.merge import merge_lines, numbered_lines
    from models.schema import Event
    from tests.conftest import typed_page

    page = typed_page()
    src = work / "page.png"
    Image.fromarray(page).save(src)
    stored = store.put(src, settings.store_dir, "png")
    src.unlink()  # only the store's copy is left, as after an upload
    value = lambda v, text=None: {"value": v, "text": text or v, "confidence": 0.97}  # noqa: E731
    record = {"source": "scans/B0042/F07/page-0001.png", "sha256": stored.sha256, "page": 1, "frame": None,
              "record": 0, "bbox": list(BOX), "event_type": "arraignment", "confidence": 0.97,
              "fields": {"name": value(NAME), "dob": value("1952-03-14", "03/14/52"), "sid": value(SID),
                         "docket": value(DOCKET), "arraignment_date": value("1984-06-01", "06/01/84")},
              "charges": [], "provenance": {"agency": "DISTRICT COURT DEPARTMENT", "county": "Suffolk",
                                            "series": "CRIMINAL DOCKETS", "box": "B0042", "folder": "F07"},
              "verification": {"by": "reviewer-7", "at": "2026-01-02T03:04:05+00:00", "how": "reviewed"}}
    path = work / "verified.jsonl"
    path.write_text(json.dumps(record) + "\n")
    counts = merge_lines(engine, numbered_lines(path))
    assert counts.inserted + counts.unchanged == 1, counts.as_dict()
    with engine.connect() as conn:
        event_id, person_id = conn.execute(sa.select(Event.id, Event.person_id).where(Event.docket == DOCKET)).one()
    return {"event_id": event_id, "person_id": person_id, "page": page}
