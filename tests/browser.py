"""A reviewer's browser for tests: Playwright driving Debian's headless Chromium (scripts/setup.sh
installs it; Playwright downloads no browser), with the steps a reviewer takes in Label Studio."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_MS = 60_000


@contextmanager
def reviewer_page(width: int = 1500, height: int = 1400) -> Iterator:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup` (it installs Debian's chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(TIMEOUT_MS)
            yield page
        finally:
            browser.close()


def log_in(page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/user/login/")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/user/login" not in u)


def open_task(page, url: str, project: int, task: int) -> None:
    page.goto(f"{url}/projects/{project}/data?task={task}")
    page.get_by_role("button", name="Submit").wait_for()


def field(page, title: str):
    """The form cell of a value: its title and its text box."""
    return page.locator(f"div:has(> h4:text-is('{title}'))")


def field_text(page, title: str) -> str:
    return field(page, title).get_by_test_id("htx-textbox-content").inner_text().strip()


def correct(page, title: str, value: str) -> None:
    """Edit a pre-filled value the way a reviewer does: the pencil, type, the tick."""
    cell = field(page, title)
    cell.get_by_role("button", name="Edit Region").click()
    box = cell.get_by_test_id("htx-textbox-input")
    box.fill(value)
    cell.get_by_role("button", name="Save").click()
    cell.get_by_test_id("htx-textbox-content").wait_for()


def submit(page) -> int:
    """Submit the annotation; the HTTP status Label Studio answered with."""
    with page.expect_response(lambda r: "/annotations" in r.url and r.request.method in ("POST", "PATCH")) as resp:
        page.get_by_role("button", name="Submit").click()
    return resp.value.status
