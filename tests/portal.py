"""The portal for tests: the real app under uvicorn on a free port, with a temporary data
directory and one account per role; and an HTTP client signed in as one of them."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from models.settings import Settings

ROLES = ("archivist", "reviewer", "analyst_public", "analyst_cleared", "admin")
PASSWORD = "correct horse {role} staple"  # each account's password, by its role


@dataclass
class PortalServer:
    url: str
    settings: Settings
    users: dict[str, tuple[str, str]] = field(default_factory=dict)  # role -> (name, password)
    app: object = None

    def client(self, role: str | None = None) -> httpx.Client:
        """An HTTP client of the portal, signed in as the account of `role` (None: anonymous)."""
        c = httpx.Client(base_url=self.url, follow_redirects=False, timeout=60)
        if role is not None:
            log_in(c, *self.users[role])
        return c


def portal_settings(home: Path, **overrides) -> Settings:
    """Settings for a test portal: SQLite in `home`, and no Label Studio (a port nothing listens on)."""
    values = dict(home=home, max_file_mb=5, max_pixels=50_000_000, ocr_engine="ppocr", database_url=None,
                  ls_url=f"http://127.0.0.1:{free_port()}", ls_token=None)
    return Settings(**(values | overrides))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed_users(settings: Settings) -> dict[str, tuple[str, str]]:
    from flows.cli_repo import ensure_repository
    from models.db import engine_for
    from portal.auth import add_user

    engine = engine_for(settings)
    ensure_repository(engine)
    users = {}
    for role in ROLES:
        name, password = f"{role}1", PASSWORD.format(role=role)
        add_user(engine, name, role, password)
        users[role] = (name, password)
    return users


@contextmanager
def running_portal(settings: Settings, seed: bool = True) -> Iterator[PortalServer]:
    """uvicorn serving create_app(settings) in a thread, on a socket bound before it starts."""
    import uvicorn

    from portal.app import create_app

    users = seed_users(settings) if seed else {}
    app = create_app(settings)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the portal did not start")
        time.sleep(0.05)
    try:
        yield PortalServer(f"http://127.0.0.1:{port}", settings, users, app)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def log_in(client: httpx.Client, name: str, password: str) -> httpx.Response:
    """Sign in through the form, as a browser does; the client keeps the session cookie and sends
    the session's CSRF token as a header on unsafe requests from then on."""
    page = client.get("/login")
    token = _hidden(page.text, "csrf_token")
    r = client.post("/login", data={"name": name, "password": password, "csrf_token": token})
    if r.status_code == 303:
        client.headers["X-CSRF-Token"] = client.get("/api/me").json()["csrf_token"]
    return r


def _hidden(html: str, name: str) -> str:
    import re

    m = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert m, f"no hidden field {name} in the page"
    return m.group(1)


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory) -> Iterator[PortalServer]:
    """The portal on a free port with a fresh data directory and an account per role
    (`server.users[role]` is (name, password)); `server.client(role)` signs in."""
    with running_portal(portal_settings(tmp_path_factory.mktemp("portal") / "home")) as server:
        yield server


