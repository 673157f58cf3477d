"""The cleared analysts' pages and API: search the restricted view by name, SID or docket, and a
person's timeline with each event's provenance down to the image of its page region. Every read
is written to the audit log before it happens (portal.queries → models.views / models.audit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.encoders import jsonable_encoder

from models.errors import CrosstrackError

from . import queries
from .auth import User, require_roles
from .region_image import RegionUnavailable, region_png
from .web import PortalError, engine_of, render, settings_of

Cleared = Annotated[User, Depends(require_roles("analyst_cleared", "admin"))]
SearchQ = Annotated[str, Query(min_length=2, max_length=80, description="LAST, FIRST or a SID or a docket number")]
PersonId = Annotated[int, Path(ge=1, le=2**62)]
EventId = Annotated[int, Path(ge=1, le=2**62)]
router = APIRouter()


def _timeline(request: Request, user: User, person_id: int) -> list[dict]:
    rows = queries.person_timeline(engine_of(request), person_id, user.name, user.role)
    if not rows:
        raise PortalError(404, "no events for that person")
    return rows


def _region(request: Request, user: User, event_id: int) -> bytes:
    ref = queries.event_region(engine_of(request), event_id, user.name, user.role)
    if ref is None:
        raise PortalError(404, "no such event")
    try:
        return region_png(ref, settings_of(request))
    except RegionUnavailable as e:
        raise PortalError(404, str(e)) from None


# ---------------------------------------------------------------- API

@router.get("/api/cleared/search", summary="People a name, SID or docket names (audited)")
def api_search(request: Request, user: Cleared, q: SearchQ) -> dict:
    people = queries.search_people(engine_of(request), q, user.name, user.role)
    return jsonable_encoder({"lookup": queries.lookup_kind(q), "people": people})


@router.get("/api/cleared/person/{person_id}", summary="A person's timeline with provenance (audited)")
def api_person(request: Request, user: Cleared, person_id: PersonId) -> dict:
    return jsonable_encoder({"person_id": person_id, "events": _timeline(request, user, person_id)})


@router.get("/api/cleared/region/{event_id}.png", summary="The image of the page region an event was read from (audited)",
            response_class=Response, responses={200: {"content": {"image/png": {}}}})
def api_region(request: Request, user: Cleared, event_id: EventId) -> Response:
    return Response(_region(request, user, event_id), media_type="image/png")


# ---------------------------------------------------------------- pages

@router.get("/cleared", response_class=HTMLResponse, summary="Search the restricted view")
def search_page(request: Request, user: Cleared,
                q: Annotated[str | None, Query(max_length=80)] = None) -> Response:
    people, error = [], None
    if q:
        try:
            people = queries.search_people(engine_of(request), q, user.name, user.role)
            error = None if people else "nobody matches"
        except CrosstrackError as e:
            error = str(e)
    return render(request, "cleared_search.html", q=q or "", people=people, error=error)


@router.get("/cleared/person/{person_id}", response_class=HTMLResponse, summary="A person's timeline (audited)")
def person_page(request: Request, user: Cleared, person_id: PersonId) -> Response:
    rows = _timeline(request, user, person_id)
    events: list[dict] = []  # one entry per event, its charges under it
    for r in rows:
        if not events or events[-1]["event_id"] != r["event_id"]:
            events.append({**r, "charges": []})
        if r.get("charge_ordinal") is not None:
            events[-1]["charges"].append(r)
    first = rows[0]
    return render(request, "cleared_person.html", person_id=person_id, events=events,
                  names=sorted({r["name"] for r in rows if r["name"]}), sids=sorted({r["sid"] for r in rows if r["sid"]}),
                  dobs=sorted({r["dob"].isoformat() for r in rows if r["dob"]}), first=first)
