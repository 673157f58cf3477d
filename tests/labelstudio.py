"""A real Label Studio server for the review tests, started once per session (`review serve`, from
.venv-ls) on free ports with its data in a temporary folder, stopped at the end; and the records
the tests push to it: real extract records of a sample PDF, with sure copies for the auto and
audit routes."""

from __future__ import annotations

import copy
import os
import secrets
import shutil
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from digitize.reader import ReadOptions, regions
from models.settings import Settings
from review.corrections import get_value, value_paths
from review.ls_client import Client
from review.ls_server import LS_VENV, Server, serve, stop
from review.policy import RoutingPolicy, save_policy

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "pdf_text" / "pdf_text_00011.pdf"
POLICY = RoutingPolicy(default_threshold=0.9, audit_rate=0.5, audit_seed="b")


@dataclass
class LabelStudio:
    settings: Settings
    server: Server
    start_s: float

    def env(self) -> dict[str, str]:
        """The environment a `crosstrack` process needs to use this server and data directory."""
        s = self.settings
        return {**os.environ, "CROSSTRACK_HOME": str(s.home), "CROSSTRACK_LS_URL": s.ls_url,
                "CROSSTRACK_LS_TOKEN": s.ls_token, "CROSSTRACK_LS_PASSWORD": s.ls_password,
                "CROSSTRACK_LS_WEBHOOK_PORT": str(s.ls_webhook_port)}

    def client(self) -> Client:
        return Client(self.settings.ls_url, self.settings.ls_token)

    def crosstrack(self, *args: str, extra_env: dict[str, str] | None = None):
        import subprocess
        return subprocess.run([sys.executable, "-m", "flows", *args], capture_output=True, text=True,
                              env={**self.env(), **(extra_env or {})}, timeout=300,
                              cwd=Path(__file__).resolve().parent.parent)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    if not (LS_VENV / "bin" / "label-studio").exists():
        pytest.fail(f"Label Studio is not installed at {LS_VENV}: run `make setup`")
    home = tmp_path_factory.mktemp("ls-home")
    settings = Settings.from_env().model_copy(update={
        "home": home, "ls_url": f"http://127.0.0.1:{free_port()}", "ls_token": secrets.token_hex(20),
        "ls_password": secrets.token_urlsafe(12), "ls_webhook_port": free_port()})
    began = time.monotonic()
    server = serve(settings)
    yield LabelStudio(settings, server, time.monotonic() - began)
    stop(settings)


@pytest.fixture(scope="session")
def review_records(tmp_path_factory) -> list[dict]:
    """The sample PDF's records as `crosstrack extract` makes them (its source a temporary copy):
    the records themselves and a copy of each (ordinal 9) route to review; three copies of each
    with every value sure (ordinals 1-3) route to auto or the audit sample."""
    from extract.pipeline import Extractor

    folder = tmp_path_factory.mktemp("docs")
    path = folder / "court-record.pdf"
    shutil.copy(SAMPLE, path)
    settings = Settings.from_env()
    pages = list(regions(path, settings, ReadOptions()))
    records = [r.cli_record() for r in Extractor.load().extract_pages(pages)]
    assert len(records) >= 2 and all(r["regions"] and r["text"] for r in records)
    for r in records:  # the machine unsure of one value, whatever the extractor's confidences are today
        get_value(r, next(iter(value_paths(r))))["confidence"] = 0.5
    out = list(records)
    for r in records:
        out.append({**copy.deepcopy(r), "record": 9})
        for n in (1, 2, 3):
            sure = {**copy.deepcopy(r), "record": n, "confidence": 0.99}
            for p in value_paths(sure):
                get_value(sure, p)["confidence"] = 0.99
            out.append(sure)
    return out


@pytest.fixture(scope="session")
def policy_file(tmp_path_factory) -> Path:
    return save_policy(POLICY, tmp_path_factory.mktemp("policy") / "policy.toml")
