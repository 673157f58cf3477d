"""`review pull`: completed review tasks back as verified records, each annotation once.

Two ways in: the webhook receiver's inbox (the tasks Label Studio said were annotated), then
polling the project's labeled tasks for any the webhook missed (the receiver was down, a delivery
failed). Either way the annotation is read from Label Studio itself, and pulled once per update:
an annotation changed after it was pulled comes again, as an update of the same record key.
Writes the verified records to `out`, and appends to <home>/review/outcomes.jsonl (one line per
value the form showed) and corrections.jsonl (the record text with the reviewer's entity marks).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from digitize.store import write_atomic
from models.errors import LabelStudioError
from models.settings import Settings

from . import ls_store
from .corrections import NotAReview, apply_review
from .ls_client import Client
from .ls_config import PROJECT_TITLE
from .ls_server import client
from .ls_tasks import verified
from .ls_webhook import read_inbox

log = logging.getLogger(__name__)
HOW = {"review": "reviewed", "audit": "audited"}


@dataclass
class PullResult:
    pulled: int = 0
    from_webhook: int = 0
    from_polling: int = 0
    not_reviews: int = 0  # annotations not made with the review form, or of tasks this machine did not push

    def summary(self) -> dict:
        return {"pulled": self.pulled, "from_webhook": self.from_webhook, "from_polling": self.from_polling}


def latest(annotations: list[dict]) -> dict | None:
    """The task's newest submitted annotation (skips are not reviews)."""
    done = [a for a in annotations if not a.get("was_cancelled") and a.get("result") is not None]
    return max(done, key=lambda a: (a.get("updated_at") or "", a["id"]), default=None)


def pull(settings: Settings, out: Path, poll: bool = True) -> PullResult:
    res = PullResult()
    inbox = read_inbox(settings.review_dir / "inbox")
    seen = ls_store.pulled(settings)
    rows, outcomes, corrections, done = [], [], [], []
    polled: dict[int, str] = {}  # task id -> its update time, for the tasks polling found
    with client(settings) as c:
        project = c.find_project(PROJECT_TITLE)
        if project is not None:
            pid = project["id"]
            hooked = {n["task"] for _, n in inbox if n.get("project") in (None, pid)}
            if poll:  # the fallback: every task annotated since the last poll, whatever the webhook said
                polled = {t["id"]: t["updated_at"] for t in c.labeled_since(pid, ls_store.poll_mark(settings, pid))}
            reviewers: dict[int, str] = {}
            for t in sorted(c.export(pid, sorted(hooked | set(polled))), key=lambda t: t["id"]):
                ann = latest(t.get("annotations") or [])
                if ann is None or seen.get(ann["id"]) == ann.get("updated_at"):
                    continue
                done.append({"task": t["id"], "annotation": ann["id"], "updated_at": ann.get("updated_at")})
                row = _verified(c, settings, t["data"], ann, reviewers)
                if row is None:
                    res.not_reviews += 1
                    continue
                record, review = row
                rows.append(record)
                outcomes += review.outcomes
                corrections.append({"key": t["data"]["key"], "text": review.record.get("text") or "",
                                    "entities": review.entities, "at": record["verification"]["at"]})
                res.pulled += 1
                res.from_webhook += t["id"] in hooked
                res.from_polling += t["id"] not in hooked
    # Outputs first, then what was pulled, then the inbox: a crash in between pulls again, never loses.
    write_atomic(out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode())
    ls_store.append_lines(settings.review_dir / "outcomes.jsonl", outcomes)
    ls_store.append_lines(settings.review_dir / "corrections.jsonl", corrections)
    ls_store.append_lines(settings.review_dir / "pulled.jsonl", done)
    if project is not None and polled:
        ls_store.set_poll_mark(settings, project["id"], polled.values())
    for path, _ in inbox:
        path.unlink(missing_ok=True)
    return res


def _verified(c: Client, settings: Settings, data: dict, ann: dict, reviewers: dict[int, str]):
    """(verified record, review) for one annotation; None if it is not a review of a record we pushed."""
    pushed = ls_store.load_pushed(settings, data.get("key") or "")
    if pushed is None:
        log.warning("task with an unknown key skipped: it was not pushed from this data directory")
        return None
    how = HOW[pushed["route"]]
    at = ann.get("updated_at") or ann.get("created_at")
    try:
        review = apply_review(pushed["record"], ann["result"], pushed["key"], how, at)
    except NotAReview:
        log.warning("annotation %s skipped: it was not made with the review form", ann["id"])
        return None
    return verified(review.record, _reviewer(c, ann, reviewers), at, how), review


def _reviewer(c: Client, ann: dict, reviewers: dict[int, str]) -> str:
    """The reviewer's Label Studio email (their user id when it cannot be read)."""
    who = ann.get("completed_by")
    if isinstance(who, dict):
        return who.get("email") or f"labelstudio-user-{who.get('id')}"
    if who not in reviewers:
        try:
            reviewers[who] = c.user(who).get("email") or f"labelstudio-user-{who}"
        except LabelStudioError:  # a deleted user: the id still says who it was
            reviewers[who] = f"labelstudio-user-{who}"
    return reviewers[who]
