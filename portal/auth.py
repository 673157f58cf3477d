"""Accounts, sign-in and sessions: argon2 password hashes, a random session token in an HttpOnly
cookie (only its sha256 is stored), a CSRF token per session checked on every unsafe request,
and sign-in rate limiting per account and per address."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Request
from sqlalchemy import Engine, delete, func, insert, select, update

from models.schema import LoginFailure, PortalSession, PortalUser

from .web import PortalError, engine_of

ROLES = ("archivist", "reviewer", "analyst_public", "analyst_cleared", "admin")
SESSION_COOKIE = "crosstrack_session"
CSRF_COOKIE = "crosstrack_csrf"  # before sign-in: double-submit token of the login form
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_HOURS = 12
# Rate limits: failures within the window before sign-in is refused for that account / address.
WINDOW = dt.timedelta(minutes=15)
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 20
MIN_PASSWORD = 10
_NAME = re.compile(r"^[A-Za-z0-9._@-]{2,80}$")
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# A hash verified when the account does not exist, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(8))
USERS, SESSIONS, FAILURES = PortalUser.__table__, PortalSession.__table__, LoginFailure.__table__


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    csrf: str = ""  # the session's CSRF token


class LoginRefused(PortalError):
    def __init__(self, message: str = "wrong name or password", status: int = 401, retry_after: int | None = None):
        super().__init__(status, message)
        self.retry_after = retry_after


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)  # SQLite gives naive datetimes back


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ---- accounts -----------------------------------------------------------------------------------

def check_account(name: str, role: str, password: str | None = None) -> None:
    if not _NAME.match(name):
        raise PortalError(400, "a user name is 2 to 80 letters, digits or . _ @ -")
    if role not in ROLES:
        raise PortalError(400, f"unknown role {role!r}: one of {', '.join(ROLES)}")
    if password is not None and len(password) < MIN_PASSWORD:
        raise PortalError(400, f"a password needs at least {MIN_PASSWORD} characters")


def add_user(engine: Engine, name: str, role: str, password: str) -> int:
    check_account(name, role, password)
    with engine.begin() as conn:
        if conn.execute(select(USERS.c.id).where(USERS.c.name == name)).first():
            raise PortalError(409, f"a user {name!r} exists already")
        return conn.execute(insert(USERS).values(name=name, role=role, password_hash=_hasher.hash(password),
                                                 active=True, created_at=_now())).inserted_primary_key[0]


def set_user(engine: Engine, name: str, role: str | None = None, password: str | None = None,
             active: bool | None = None) -> None:
    """Change an account; a new password or role, or disabling it, ends its sessions."""
    values: dict = {}
    if role is not None:
        check_account(name, role)
    if password is not None:
        check_account(name, role or ROLES[0], password)
        values["password_hash"] = _hasher.hash(password)
    if active is not None:
        values["active"] = active
    with engine.begin() as conn:
        row = conn.execute(select(USERS.c.id, USERS.c.role).where(USERS.c.name == name)).first()
        if row is None:
            raise PortalError(404, f"no user {name!r}")
        uid, was = row
        if role is not None and role != was:
            values["role"] = role
        if values:
            conn.execute(update(USERS).where(USERS.c.id == uid).values(**values))
        if password is not None or active is False or "role" in values:
            conn.execute(delete(SESSIONS).where(SESSIONS.c.user_id == uid))


def list_users(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            select(USERS.c.name, USERS.c.role, USERS.c.active, USERS.c.created_at).order_by(USERS.c.name))]


# ---- sign-in ------------------------------------------------------------------------------------

def _check_rate(conn, name: str, address: str) -> None:
    since = _now() - WINDOW
    per_name = conn.execute(select(func.count()).select_from(FAILURES)
                            .where(FAILURES.c.name == name, FAILURES.c.at >= since)).scalar_one()
    per_addr = conn.execute(select(func.count()).select_from(FAILURES)
                            .where(FAILURES.c.address == address, FAILURES.c.at >= since)).scalar_one()
    if per_name >= MAX_PER_ACCOUNT or per_addr >= MAX_PER_ADDRESS:
        minutes = int(WINDOW.total_seconds() // 60)
        raise LoginRefused(f"too many failed sign-ins: wait {minutes} minutes, or ask an admin", 429,
                           int(WINDOW.total_seconds()))


def login(engine: Engine, name: str, password: str, address: str) -> tuple[str, User]:
    """A new session for a right name and password: (the cookie's token, the user)."""
    name, address = name.strip()[:80], address[:64]
    with engine.connect() as conn:
        _check_rate(conn, name, address)
        row = conn.execute(select(USERS).where(USERS.c.name == name, USERS.c.active.is_(True))).first()
    try:
        ok = _hasher.verify(row.password_hash if row else _DUMMY_HASH, password) and row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    with engine.begin() as conn:
        if not ok:
            conn.execute(delete(FAILURES).where(FAILURES.c.at < _now() - WINDOW))
            conn.execute(insert(FAILURES).values(name=name, address=address, at=_now()))
        else:
            conn.execute(delete(FAILURES).where(FAILURES.c.name == name))
            conn.execute(delete(SESSIONS).where(SESSIONS.c.expires_at < _now()))
            if _hasher.check_needs_rehash(row.password_hash):
                conn.execute(update(USERS).where(USERS.c.id == row.id).values(password_hash=_hasher.hash(password)))
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            conn.execute(insert(SESSIONS).values(token_hash=_token_hash(token), user_id=row.id, csrf=csrf, created_at=_now(),
                                                 expires_at=_now() + dt.timedelta(hours=SESSION_HOURS)))
    if not ok:
        raise LoginRefused()
    return token, User(row.id, row.name, row.role, csrf)


def logout(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == _token_hash(token)))


def session_user(engine: Engine, token: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(USERS.c.id, USERS.c.name, USERS.c.role, SESSIONS.c.csrf, SESSIONS.c.expires_at)
                           .join(SESSIONS, SESSIONS.c.user_id == USERS.c.id)
                           .where(SESSIONS.c.token_hash == _token_hash(token), USERS.c.active.is_(True))).first()
    if row is None or _aware(row.expires_at) < _now():
        return None
    return User(row.id, row.name, row.role, row.csrf)


# ---- request dependencies ---------------------------------------------------------------------

def current_user(request: Request) -> User | None:
    """The signed-in user of this request, or None (looked up once per request)."""
    if not hasattr(request.state, "user"):
        token = request.cookies.get(SESSION_COOKIE)
        request.state.user = session_user(engine_of(request), token) if token else None
    return request.state.user


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def require_roles(*roles: str):
    """A dependency: the signed-in user when their role is one of `roles`. A page sends the
    anonymous to the sign-in page (303); the API answers 401; a wrong role gets 403 on both."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def dependency(request: Request) -> User:
        user = current_user(request)
        if user is None:
            if is_api(request):
                raise PortalError(401, "sign in first")
            raise PortalError(303, "sign in first", location=f"/login?next={request.url.path}")
        if user.role not in roles:
            raise PortalError(403, f"your role ({user.role}) may not open this: it needs {' or '.join(roles)}")
        return user
    return dependency


def csrf_token(request: Request) -> str:
    """The token forms must send back: the session's, or before sign-in the login form's cookie."""
    user = current_user(request)
    if user is not None:
        return user.csrf
    if not hasattr(request.state, "csrf"):
        request.state.csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    return request.state.csrf


async def check_csrf(request: Request) -> None:
    """Every unsafe request carries the CSRF token, as a form field or an X-CSRF-Token header."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    user = current_user(request)
    if user is None and request.url.path != "/login":  # refused before its body is read: no upload from strangers
        raise PortalError(401, "sign in first")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # Starlette keeps the parsed form: the route reads the same one
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = user.csrf if user is not None else request.cookies.get(CSRF_COOKIE)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise PortalError(403, "the form expired or did not come from this portal: reload the page and try again")
