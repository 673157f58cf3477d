"""Admins: the audit log (who read what of the restricted view, and account changes), newest first
with filters; and the accounts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, func, select

from models import audit
from models.schema import AuditEntry

from . import auth
from .web import engine_of, render

router = APIRouter()
Admin = Annotated[auth.User, Depends(auth.require_roles("admin"))]
PAGE = 50
LOG = AuditEntry.__table__


class AuditFilter(BaseModel):
    actor: str | None = Field(None, max_length=120)
    action: str | None = Field(None, max_length=40)
    target: str | None = Field(None, max_length=200)  # a substring of the target
    since: dt.date | None = None
    until: dt.date | None = Field(None, le=dt.date(9998, 12, 31))  # inclusive
    before: int | None = Field(None, ge=1, le=2**63 - 1)  # entries older than this id (the next page)


class AuditRow(BaseModel):
    id: int
    at: dt.datetime
    actor: str
    role: str
    action: str
    target: str
    detail: dict | None


class AuditPage(BaseModel):
    entries: list[AuditRow]
    total: int  # entries matching the filter
    next_before: int | None  # pass as `before` for the next page


def _day(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time.min, tzinfo=dt.timezone.utc)


def audit_page(engine: Engine, f: AuditFilter, limit: int = PAGE) -> AuditPage:
    where = []
    if f.actor:
        where.append(LOG.c.actor == f.actor)
    if f.action:
        where.append(LOG.c.action == f.action)
    if f.target:
        where.append(LOG.c.target.contains(f.target, autoescape=True))
    if f.since:
        where.append(LOG.c.at >= _day(f.since))
    if f.until:
        where.append(LOG.c.at < _day(f.until + dt.timedelta(days=1)))
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(LOG).where(*where)).scalar_one()
        if f.before is not None:
            where.append(LOG.c.id < f.before)
        rows = conn.execute(select(LOG).where(*where).order_by(LOG.c.id.desc()).limit(limit + 1)).all()
    entries = [AuditRow(**r._mapping) for r in rows[:limit]]
    return AuditPage(entries=entries, total=total, next_before=entries[-1].id if len(rows) > limit else None)


def _actions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(LOG.c.action).distinct().order_by(LOG.c.action)).scalars())


@router.get("/admin/audit", summary="The audit log browser", tags=["admin"])
def audit_log(request: Request, user: Admin, f: Annotated[AuditFilter, Query()]):
    engine = engine_of(request)
    return render(request, "audit.html", page=audit_page(engine, f), f=f, actions=_actions(engine))


@router.get("/api/admin/audit", summary="Audit log entries, newest first", tags=["admin"])
def audit_api(request: Request, user: Admin, f: Annotated[AuditFilter, Query()]) -> AuditPage:
    return audit_page(engine_of(request), f)


def _record(engine: Engine, admin: auth.User, action: str, name: str, detail: dict) -> None:
    with engine.begin() as conn:
        audit.record(conn, admin.name, admin.role, action, f"account {name}", detail)


@router.get("/admin/users", summary="Accounts", tags=["admin"])
def users_page(request: Request, user: Admin):
    return render(request, "users.html", users=auth.list_users(engine_of(request)), roles=auth.ROLES)


@router.post("/admin/users", summary="Add an account", tags=["admin"])
def add_user(request: Request, user: Admin, name: Annotated[str, Form(max_length=80)],
             role: Annotated[str, Form(max_length=40)], password: Annotated[str, Form(max_length=1000)]):
    engine = engine_of(request)
    auth.add_user(engine, name, role, password)
    _record(engine, user, "user_add", name, {"role": role})
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{name}", summary="Change an account's role or whether it may sign in", tags=["admin"])
def change_user(request: Request, user: Admin, name: str, role: Annotated[str | None, Form(max_length=40)] = None,
                active: Annotated[bool | None, Form()] = None):
    engine = engine_of(request)
    auth.set_user(engine, name, role=role or None, active=active)
    _record(engine, user, "user_change", name, {"role": role or None, "active": active})
    return RedirectResponse("/admin/users", status_code=303)
