"""What every route module uses: the portal's one error type, the app's settings and engine, and
page rendering with the signed-in user, the navigation and the CSRF token in every template."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from models.settings import Settings

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
templates = Jinja2Templates(directory=str(TEMPLATES))

# The navigation: (path, label, roles that see it). B's pages are listed here too, so base.html has one nav.
NAV = (
    ("/archive", "Batches", ("archivist", "admin")),
    ("/review", "Review queue", ("reviewer", "admin")),
    ("/public", "Trends", ("analyst_public", "analyst_cleared", "admin")),
    ("/public/reports", "Reports", ("analyst_public", "analyst_cleared", "admin")),
    ("/cleared", "Search people", ("analyst_cleared", "admin")),
    ("/admin/audit", "Audit log", ("admin",)),
    ("/admin/users", "Users", ("admin",)),
)
# Where each role lands after signing in.
HOME = {"archivist": "/archive", "reviewer": "/review", "analyst_public": "/public",
        "analyst_cleared": "/cleared", "admin": "/admin/audit"}


class PortalError(Exception):
    """The portal's one error: an HTTP status and a message a user can act on (no identifiers in it).
    `location` makes a redirect of it (303 to the sign-in page)."""

    def __init__(self, status: int, message: str, location: str | None = None):
        super().__init__(message)
        self.status, self.message, self.location = status, message, location


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def engine_of(request: Request) -> Engine:
    return request.app.state.engine


def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    """A page from portal/templates; base.html reads `user`, `nav` and `csrf_token` from every one."""
    from .auth import csrf_token, current_user

    user = current_user(request)
    nav = [(path, label) for path, label, roles in NAV if user is not None and user.role in roles]
    return templates.TemplateResponse(request, name, {"user": user, "nav": nav, "csrf_token": csrf_token(request),
                                                      **context}, status_code=status_code)
