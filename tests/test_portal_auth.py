"""Portal accounts and sessions over real HTTP: argon2 hashes, sign-in, roles, CSRF, rate limiting,
sign-out, and `crosstrack portal user add`."""

from __future__ import annotations

import importlib
import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from models.db import engine_for
from models.schema import PortalSession, PortalUser
from portal import auth
from tests.portal import log_in


def test_passwords_are_stored_as_argon2id_hashes_only(portal_server):
    name, password = portal_server.users["archivist"]
    with engine_for(portal_server.settings).connect() as conn:
        stored = conn.execute(select(PortalUser.password_hash).where(PortalUser.name == name)).scalar_one()
    assert stored.startswith("$argon2id$") and password not in stored


def test_sign_in_lands_on_the_role_home_with_an_httponly_session_cookie(portal_server):
    c = portal_server.client()
    r = log_in(c, *portal_server.users["archivist"])
    assert r.status_code == 303 and r.headers["location"] == "/archive"
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith(auth.SESSION_COOKIE))
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert c.get("/api/me").json()["role"] == "archivist"
    # the cookie's token is not what the database holds: only its sha256
    token = c.cookies[auth.SESSION_COOKIE]
    with engine_for(portal_server.settings).connect() as conn:
        hashes = conn.execute(select(PortalSession.token_hash)).scalars().all()
    assert token not in hashes and auth._token_hash(token) in hashes


def test_a_wrong_password_or_unknown_name_is_refused_the_same_way(portal_server):
    name, _ = portal_server.users["reviewer"]
    for who, pw in ((name, "not the password"), ("nobody-here", "not the password")):
        r = log_in(portal_server.client(), who, pw)
        assert r.status_code == 401 and "wrong name or password" in r.text


def test_roles_decide_what_each_user_reaches(portal_server):
    anon = portal_server.client()
    r = anon.get("/archive")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/archive"
    assert anon.get("/api/me").status_code == 401
    assert anon.get("/api/archive/batches").status_code == 401
    public = portal_server.client("analyst_public")
    for path in ("/archive", "/review", "/admin/audit", "/admin/users", "/api/archive/batches", "/api/admin/audit"):
        assert public.get(path).status_code == 403, path
    archivist = portal_server.client("archivist")
    assert archivist.get("/archive").status_code == 200
    assert archivist.get("/admin/audit").status_code == 403
    admin = portal_server.client("admin")
    for path in ("/archive", "/review", "/admin/audit", "/admin/users"):
        assert admin.get(path).status_code == 200, path


def test_every_unsafe_request_needs_the_session_csrf_token(portal_server):
    c = portal_server.client("admin")
    good = c.headers.pop("X-CSRF-Token")
    form = {"name": "csrf-probe", "role": "reviewer", "password": "a long enough password"}
    assert c.post("/admin/users", data=form).status_code == 403
    assert c.post("/admin/users", data=form | {"csrf_token": "forged"}).status_code == 403
    assert c.post("/admin/users", data=form, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert "csrf-probe" not in [u["name"] for u in auth.list_users(engine_for(portal_server.settings))]
    assert c.post("/admin/users", data=form | {"csrf_token": good}).status_code == 303
    assert "csrf-probe" in [u["name"] for u in auth.list_users(engine_for(portal_server.settings))]
    # the sign-in form too: without the token from its page, no session
    anon = portal_server.client()
    name, password = portal_server.users["reviewer"]
    assert anon.post("/login", data={"name": name, "password": password}).status_code == 403


def test_repeated_failures_lock_the_account_but_not_others(portal_server):
    engine = engine_for(portal_server.settings)
    auth.add_user(engine, "guessed", "analyst_public", "the real password 1")
    for _ in range(auth.MAX_PER_ACCOUNT):
        assert log_in(portal_server.client(), "guessed", "a wrong guess").status_code == 401
    r = log_in(portal_server.client(), "guessed", "the real password 1")
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0 and "too many" in r.text
    assert log_in(portal_server.client(), *portal_server.users["analyst_public"]).status_code == 303


def test_one_address_guessing_many_accounts_is_slowed_down_too(portal_server):
    engine = engine_for(portal_server.settings)
    name, password = portal_server.users["reviewer"]
    for i in range(auth.MAX_PER_ADDRESS):
        with pytest.raises(auth.LoginRefused) as e:
            auth.login(engine, f"sprayed-{i}", "password123", "10.9.8.7")
        assert e.value.status == 401
    with pytest.raises(auth.LoginRefused) as e:
        auth.login(engine, name, password, "10.9.8.7")
    assert e.value.status == 429
    assert auth.login(engine, name, password, "10.9.8.6")[1].name == name  # another address is not locked out


def test_sign_out_ends_the_session_for_a_replayed_cookie(portal_server):
    c = portal_server.client("analyst_cleared")
    token = c.cookies[auth.SESSION_COOKIE]
    assert c.post("/logout").status_code == 303
    replay = portal_server.client()
    replay.cookies.set(auth.SESSION_COOKIE, token)
    assert replay.get("/api/me").status_code == 401


def test_disabling_a_user_ends_their_sessions(portal_server):
    engine = engine_for(portal_server.settings)
    auth.add_user(engine, "leaver", "archivist", "leaver password 1")
    c = portal_server.client()
    assert log_in(c, "leaver", "leaver password 1").status_code == 303
    auth.set_user(engine, "leaver", active=False)
    assert c.get("/api/me").status_code == 401
    assert log_in(portal_server.client(), "leaver", "leaver password 1").status_code == 401


def test_next_only_goes_to_a_path_on_this_site(portal_server):
    c = portal_server.client()
    page = c.get("/login", params={"next": "//evil.example/x"})
    assert 'name="next" value=""' in page.text
    name, password = portal_server.users["reviewer"]
    token = c.cookies[auth.CSRF_COOKIE]
    r = c.post("/login", data={"name": name, "password": password, "csrf_token": token, "next": "https://evil.example/"})
    assert r.status_code == 303 and r.headers["location"] == "/review"


def test_user_add_reads_the_password_from_stdin(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSTRACK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CROSSTRACK_DATABASE_URL", raising=False)
    importlib.import_module("flows.cli_portal")  # registers `portal` on the app
    from flows.cli import app
    from models.settings import Settings

    r = CliRunner().invoke(app, ["portal", "user", "add", "ann", "--role", "archivist", "--password-stdin"],
                           input="a password of length\n")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout.strip().splitlines()[-1]) == {"user": "ann", "role": "archivist"}
    engine = engine_for(Settings.from_env())
    token, user = auth.login(engine, "ann", "a password of length", "test")
    assert user.role == "archivist" and token
    r = CliRunner().invoke(app, ["portal", "user", "add", "bob", "--role", "sheriff", "--password-stdin"],
                           input="a password of length\n")
    assert r.exit_code == 2 and "unknown role" in r.output
    r = CliRunner().invoke(app, ["portal", "user", "add", "bob", "--role", "admin", "--password-stdin"], input="short\n")
    assert r.exit_code == 2 and "at least" in r.output


def test_on_postgresql_the_portal_signs_in_and_no_analyst_role_reads_its_accounts(pg_cluster, tmp_path):
    from models import pg_roles
    from models.db import make_engine
    from tests.portal import portal_settings, running_portal

    url = pg_cluster.create_database("portal_auth")
    settings = portal_settings(tmp_path / "home", database_url=url)
    with running_portal(settings) as server:
        c = server.client("admin")
        assert c.get("/api/me").json() == {"name": "admin1", "role": "admin", "csrf_token": c.headers["X-CSRF-Token"]}
        assert log_in(server.client(), "admin1", "wrong password").status_code == 401
    engine = make_engine(url)
    readable = pg_roles.apply_roles(engine)
    for role in pg_roles.ROLES:
        assert not set(pg_roles.PORTAL_TABLES) & set(readable[role]), role
    assert "audit_log" in readable[pg_roles.CLEARED]
    engine.dispose()
