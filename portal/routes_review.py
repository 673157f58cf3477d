"""Reviewers: the tasks waiting in Label Studio (when it answers), each linked to its task there,
how many are done and left; and the records still waiting to be pushed to it. A task is shown by
its record key, event type, route and why it was routed: no names or other identifiers."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from models.errors import LabelStudioError
from models.settings import Settings
from review.ls_client import Client

from . import auth
from .web import render, settings_of

router = APIRouter()
Reviewer = Annotated[auth.User, Depends(auth.require_roles("reviewer", "admin"))]
SHOWN = 500  # tasks listed on the page; the counts cover every one


class Task(BaseModel):
    key: str
    event_type: str | None = None
    route: str | None = None  # review | audit
    reasons: list[str] = []
    task_id: int | None = None
    link: str | None = None  # the task in Label Studio


class ReviewQueue(BaseModel):
    label_studio: bool  # it answered
    ls_url: str
    project: int | None = None
    total: int = 0  # tasks in the project
    done: int = 0
    left: int = 0
    tasks: list[Task] = []  # waiting, oldest first (at most SHOWN)
    pushed: int = 0  # tasks pushed from this machine (<home>/review/tasks)
    waiting_push: int = 0  # records routed to review while Label Studio was not used: `crosstrack review push`


def label_studio(settings: Settings) -> Client | None:
    """A client of the Label Studio server when one is configured and answers, else None."""
    if not settings.ls_token and not (settings.ls_dir / "credentials.json").exists():
        return None
    from review.ls_server import credentials

    c = Client(settings.ls_url, credentials(settings).token)
    try:
        c.whoami()
    except LabelStudioError:
        c.close()
        return None
    return c


def _pushed(settings: Settings) -> dict[str, dict]:
    """Tasks pushed from this machine: key -> what the queue may show of it."""
    out = {}
    for path in sorted((settings.review_dir / "tasks").glob("*/*.json")):
        try:
            t = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        out[t["key"]] = {"key": t["key"], "route": t.get("route"), "reasons": list(t.get("reasons") or []),
                         "event_type": (t.get("record") or {}).get("event_type")}
    return out


def _waiting_push(settings: Settings) -> int:
    n = 0
    for path in (settings.results_dir / "review-queue").glob("*.jsonl"):
        with open(path, "rb") as f:
            n += sum(1 for line in f if line.strip())
    return n


def review_queue(settings: Settings) -> ReviewQueue:
    from review.ls_config import PROJECT_TITLE

    pushed = _pushed(settings)
    q = ReviewQueue(label_studio=False, ls_url=settings.ls_url, pushed=len(pushed), waiting_push=_waiting_push(settings))
    c = label_studio(settings)
    if c is None:  # without Label Studio, what was pushed is listed; whether it is done is not known here
        q.tasks = [Task(**t) for t in list(pushed.values())[:SHOWN]]
        q.total = q.left = len(pushed)
        return q
    with c:
        project = c.find_project(PROJECT_TITLE)
        q.label_studio = True
        if project is None:
            return q
        q.project = project["id"]
        for t in c.tasks(project["id"]):
            q.total += 1
            if t.get("total_annotations") or t.get("is_labeled"):
                q.done += 1
                continue
            q.left += 1
            if len(q.tasks) < SHOWN:
                key = (t.get("data") or {}).get("key") or ""
                q.tasks.append(Task(**(pushed.get(key) or {"key": key}), task_id=t["id"],
                                    link=f"{settings.ls_url.rstrip('/')}/projects/{project['id']}/data?task={t['id']}"))
    return q


@router.get("/review", summary="The review queue", tags=["review"])
def review_page(request: Request, user: Reviewer):
    return render(request, "review.html", q=review_queue(settings_of(request)))


@router.get("/api/review/queue", summary="Review tasks waiting, done and left", tags=["review"])
def review_api(request: Request, user: Reviewer) -> ReviewQueue:
    return review_queue(settings_of(request))
