"""Shared fixtures: typed text drawn with a real font, so cleanup and OCR see real glyphs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from models.settings import Settings

FONT = "/usr/share/fonts/opentype/courier-prime/Courier Prime.otf"
LINES = [
    "COMMONWEALTH OF MASSACHUSETTS",
    "DOCKET NO. 8412CR001234",
    "DEFT: O'BRIEN, JOHN P.   DOB: 03/14/52",
    "C. 265 S. 13A ASSAULT AND BATTERY",
    "GUILTY 2 YRS HOC, 6 MOS TO SERVE, BAL SUSP",
    "NOT LESS THAN 3 NOR MORE THAN 5 YRS",
]


def typed_page(size: int = 30, lines: list[str] = LINES, width: int = 1400, height: int = 700) -> np.ndarray:
    img = Image.new("L", (width, height), 235)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, size)
    for i, line in enumerate(lines):
        d.text((70, 60 + i * int(size * 1.9)), line, font=font, fill=25)
    return np.array(img)


@pytest.fixture
def page() -> np.ndarray:
    return typed_page()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch) -> Settings:
    monkeypatch.setenv("CROSSTRACK_HOME", str(tmp_path / "home"))
    return Settings.from_env()


from tests.postgres import pg_cluster  # noqa: E402,F401  (the session's throwaway PostgreSQL)
from tests.labelstudio import label_studio, policy_file, review_records  # noqa: E402,F401  (a real Label Studio server)
from tests.portal import portal_server  # noqa: E402,F401  (the portal on a free port, an account per role)
from tests.prefect_harness import prefect_api  # noqa: E402,F401  (a temporary Prefect server)
from tests.portal_data import analyst_engine, analyst_portal  # noqa: E402,F401  (a portal over a small synthetic repository, and its database)
