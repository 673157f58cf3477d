"""The portal's OpenAPI schema fuzzed with schemathesis: every operation, signed in as an admin (who
reaches every route) over a repository with data, and anonymously; no answer may be a server error."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from portal import auth
from tests.portal import portal_settings, seed_users
from tests.portal_data import load_state

EXAMPLES = 10


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    """The app (served in-process through ASGI) and an admin session's cookie and CSRF token."""
    from portal.app import create_app

    root = tmp_path_factory.mktemp("fuzz")
    home = root / "home"
    load_state(home, root / "synth", people=120, seed=3)
    s = portal_settings(home)
    users = seed_users(s)
    app = create_app(s)
    token, user = auth.login(app.state.engine, *users["admin"], "fuzz")
    return app, {auth.SESSION_COOKIE: token}, {"X-CSRF-Token": user.csrf}


def _fuzz(app, examples: int, check_response=None, **kwargs) -> list[str]:
    """Every operation but sign-out (which would end the session mid-run; test_portal_auth covers
    it), `examples` generated requests each; the failures, one line per operation."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path="/logout")
    failures = []
    for result in schema.get_all_operations():
        op = result.ok()

        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case):
            response = case.call_and_validate(checks=[not_a_server_error], **kwargs)
            if check_response:
                check_response(case, response)
        try:
            run()
        except Exception as e:  # one operation's failure is reported with the others, not instead of them
            failures.append(f"{op.label}: {str(e)[:600]}")
    return failures


def test_no_operation_answers_with_a_server_error(fuzzed):
    app, cookies, headers = fuzzed
    failures = _fuzz(app, EXAMPLES, cookies=cookies, headers=headers)
    assert not failures, "\n".join(failures)


def test_anonymous_requests_get_no_server_error_and_no_data(fuzzed):
    def refused(case, response):
        if case.path.startswith(("/api/archive", "/api/admin", "/api/review", "/api/cleared", "/api/public", "/api/me")):
            assert response.status_code in (401, 403, 404, 405, 422), (case.path, response.status_code)

    failures = _fuzz(fuzzed[0], 5, refused)
    assert not failures, "\n".join(failures)


def test_the_schema_lists_every_router():
    from portal.app import ROUTERS

    paths = Path(__file__).resolve().parents[1] / "portal"
    assert all((paths / f"{name}.py").exists() for name in ROUTERS)
