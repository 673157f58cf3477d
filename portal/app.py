"""The portal's FastAPI app: static files, templates, sign-in, CSRF on every unsafe request,
security headers, one error handler, and the routers of portal/routes_*.py."""

from __future__ import annotations

import importlib
from typing import Annotated

from fastapi import Depends, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from models.errors import ConfigError, CrosstrackError, MissingDependencyError, NotClearedError, ViewsNotBuiltError
from models.settings import Settings

from . import auth
from .web import HOME, STATIC, PortalError, engine_of, render

ROUTERS = ("routes_archive", "routes_review", "routes_admin", "routes_public", "routes_cleared")
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
MAX_FORM = 1_000_000  # bytes of a request body, but for uploads (limited per file as they stream)
_STATUS = {NotClearedError: 403, ViewsNotBuiltError: 503, ConfigError: 503, MissingDependencyError: 503}


def create_app(settings: Settings) -> FastAPI:
    from flows.cli_repo import ensure_repository
    from models.db import engine_for

    app = FastAPI(title="crosstrack portal", version="1", dependencies=[Depends(auth.check_csrf)],
                  description="Batches, review queue, anonymized and restricted views, audit log. "
                              "Sign in at /login; unsafe requests carry the X-CSRF-Token header or a csrf_token field.")
    app.state.settings = settings
    app.state.engine = engine_for(settings)
    ensure_repository(app.state.engine)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    _handlers(app)
    app.middleware("http")(_headers)
    app.include_router(_core_router())
    for name in ROUTERS:
        try:
            module = importlib.import_module(f"portal.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"portal.{name}":  # only a router not written yet may be absent
                raise
            continue
        app.include_router(module.router)
    return app


def app_from_env() -> FastAPI:
    """For `uvicorn --factory portal.app:app_from_env`."""
    return create_app(Settings.from_env())


async def _headers(request: Request, call_next) -> Response:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_FORM and not request.url.path.startswith("/archive/"):
        return JSONResponse({"detail": "the request is too large"}, status_code=413)
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # The sign-in form's CSRF token travels in a cookie until there is a session to hold it.
    token = getattr(request.state, "csrf", None)
    if token and request.cookies.get(auth.CSRF_COOKIE) != token:
        response.set_cookie(auth.CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
    if request.url.path.startswith(("/api/", "/login", "/cleared", "/admin")):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _error(request: Request, status: int, message: str, headers: dict | None = None) -> Response:
    if auth.is_api(request) or "text/html" not in request.headers.get("accept", "text/html"):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return render(request, "error.html", status_code=status, status=status, message=message)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(PortalError)
    async def portal_error(request: Request, e: PortalError) -> Response:
        if e.location is not None and not auth.is_api(request):
            return RedirectResponse(e.location, status_code=303)
        retry = getattr(e, "retry_after", None)
        return _error(request, e.status, e.message, {"Retry-After": str(retry)} if retry else None)

    @app.exception_handler(CrosstrackError)
    async def crosstrack_error(request: Request, e: CrosstrackError) -> Response:
        status = next((s for cls, s in _STATUS.items() if isinstance(e, cls)), 400)
        return await portal_error(request, PortalError(status, str(e)))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> Response:
        return _error(request, e.status_code, str(e.detail), getattr(e, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError) -> Response:
        if auth.is_api(request):
            return JSONResponse({"detail": [{k: err.get(k) for k in ("loc", "msg", "type")} for err in e.errors()]},
                                status_code=422)
        return _error(request, 422, "; ".join(f"{'.'.join(map(str, err['loc'][1:]))}: {err['msg']}" for err in e.errors()))


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an absolute URL or a protocol-relative //host."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return None


def _core_router():
    from fastapi import APIRouter

    router = APIRouter()

    @router.get("/", include_in_schema=False)
    def index(request: Request) -> Response:
        user = auth.current_user(request)
        return RedirectResponse(HOME[user.role] if user else "/login", status_code=303)

    @router.get("/login", response_class=HTMLResponse, summary="The sign-in page")
    def login_page(request: Request, next: str | None = None) -> Response:
        return render(request, "login.html", next=_safe_next(next) or "", error=None)

    @router.post("/login", response_class=HTMLResponse, summary="Sign in (form)")
    def login(request: Request, name: Annotated[str, Form(max_length=200)], password: Annotated[str, Form(max_length=1000)],
              next: Annotated[str, Form(max_length=2000)] = "") -> Response:
        address = request.client.host if request.client else "unknown"
        try:
            token, user = auth.login(engine_of(request), name, password, address)
        except auth.LoginRefused as e:
            headers = {"Retry-After": str(e.retry_after)} if e.retry_after else {}
            response = render(request, "login.html", status_code=e.status, next=_safe_next(next) or "", error=e.message)
            response.headers.update(headers)
            return response
        response = RedirectResponse(_safe_next(next) or HOME[user.role], status_code=303)
        response.set_cookie(auth.SESSION_COOKIE, token, max_age=auth.SESSION_HOURS * 3600, httponly=True,
                            samesite="lax", secure=request.url.scheme == "https")
        response.delete_cookie(auth.CSRF_COOKIE)
        return response

    @router.post("/logout", summary="Sign out")
    def logout(request: Request) -> Response:
        token = request.cookies.get(auth.SESSION_COOKIE)
        if token:
            auth.logout(engine_of(request), token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(auth.SESSION_COOKIE)
        return response

    @router.get("/api/me", summary="The signed-in user and the CSRF token its unsafe requests send")
    def me(user: Annotated[auth.User, Depends(auth.require_roles(*auth.ROLES))]) -> dict:
        return {"name": user.name, "role": user.role, "csrf_token": user.csrf}

    return router
