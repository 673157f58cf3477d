"""`review push`: route extract records; send the `review` and `audit` ones to Label Studio as tasks
with the machine's values as predictions; write the `auto` ones as verified records.

A task holds the record's key, its text and the address of its crop, nothing else of the record
(the source file name stays in <home>/review/tasks). A record whose key is already a task of the
project is not sent again, so pushing the same records twice creates no duplicates.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import cv2

from digitize.crops import document_path, record_crops
from digitize.reader import ReadOptions
from digitize.store import write_atomic
from extract.offences import OffenceTable
from models.errors import CrosstrackError
from models.settings import Settings

from . import ls_store
from .corrections import get_value, span_id, value_paths, value_text
from .ls_client import Client
from .ls_config import CHARGES, ENTITIES, EVENT, EVENT_TYPES, MAX_CHARGES, MODEL_VERSION, PROJECT_TITLE, TEXT, \
    control, entity_label, is_choice, label_config
from .ls_server import client, credentials, webhook_url
from .ls_webhook import ACTIONS, HEADER
from .policy import RoutingPolicy
from .routing import Routed, record_key, route_records

BATCH = 200


@dataclass
class PushResult:
    auto: int = 0
    review: int = 0
    audit: int = 0
    pushed: int = 0
    already: int = 0    # already tasks of the project
    missing: list[str] = field(default_factory=list)  # sha256 prefixes of documents that could not be cropped

    def summary(self) -> dict:
        return {"auto": self.auto, "review": self.review, "audit": self.audit, "pushed": self.pushed}


def ensure_project(c: Client, settings: Settings) -> dict:
    """The review project, created or brought up to date: labeling config, crops storage, webhook."""
    config = label_config()
    project = c.find_project(PROJECT_TITLE)
    if project is None:
        project = c.create_project(title=PROJECT_TITLE, label_config=config, show_collab_predictions=True,
                                   model_version=MODEL_VERSION, maximum_annotations=1, show_skip_button=True,
                                   description="Records the machine was not sure of, and an audit sample.")
    elif project.get("label_config") != config or project.get("model_version") != MODEL_VERSION:
        project = c.update_project(project["id"], label_config=config, model_version=MODEL_VERSION,
                                   show_collab_predictions=True)
    crops = str(settings.review_dir / "crops")
    if not any(s.get("path") == crops for s in c.local_storages(project["id"])):
        c.add_local_storage(project["id"], crops, "record crops")
    hook = {"url": webhook_url(settings), "send_payload": True, "send_for_all_actions": False, "is_active": True,
            "actions": list(ACTIONS), "headers": {HEADER: credentials(settings).webhook_secret}}
    have = c.webhooks(project["id"])
    if not have:
        c.add_webhook(project["id"], **hook)
    elif have[0].get("url") != hook["url"] or have[0].get("headers") != hook["headers"] or not have[0].get("is_active"):
        c.update_webhook(have[0]["id"], **hook)
    return project


def existing_keys(c: Client, project: int) -> set[str]:
    return {t["data"].get("key") for t in c.tasks(project)}


def task(record: dict, key: str, image_url: str) -> dict:
    """The Label Studio task of a record: its data and the machine's values as a prediction."""
    text = record.get("text") or ""
    result: list[dict] = []
    if record.get("event_type") in EVENT_TYPES:
        result.append(_choices(EVENT, [record["event_type"]], record.get("confidence")))
    charges = record.get("charges") or []
    if charges:
        result.append(_choices(CHARGES, [str(i + 1) for i in range(min(len(charges), MAX_CHARGES))], None))
    marked: set[tuple[int, int, str]] = set()
    for path in value_paths(record):
        fv, name = get_value(record, path), control(path)
        if name is not None:
            conf = fv.get("confidence")
            if is_choice(path):
                result.append(_choices(name, [fv["value"]], conf))
            else:
                result.append({"id": name, "from_name": name, "to_name": TEXT, "type": "textarea",
                               "value": {"text": [value_text(path, fv["value"])]}, "score": conf})
        span, label = fv.get("span"), entity_label(path)
        if span and label and 0 <= span[0] < span[1] <= len(text) and (span[0], span[1], label) not in marked:
            marked.add((span[0], span[1], label))
            result.append({"id": span_id(path), "from_name": ENTITIES, "to_name": TEXT, "type": "labels",
                           "value": {"start": span[0], "end": span[1], "text": text[span[0]:span[1]], "labels": [label]},
                           "score": fv.get("confidence")})
    return {"data": {"image": image_url, "text": text, "key": key},
            "predictions": [{"model_version": MODEL_VERSION, "score": record.get("confidence"), "result": result}]}


def _choices(name: str, values: list[str], score: float | None) -> dict:
    return {"id": name, "from_name": name, "to_name": TEXT, "type": "choices", "value": {"choices": values}, "score": score}


def verified(record: dict, by: str, at: str, how: str) -> dict:
    return {**record, "verification": {"by": by, "at": at, "how": how}}


def push(records: Iterable[dict], settings: Settings, policy: RoutingPolicy, *, auto_out: Path | None = None,
         queue_out: Path | None = None, table: OffenceTable | None = None, options: ReadOptions | None = None,
         advance: Callable[[int], None] = lambda n: None) -> PushResult:
    """Route the records, push `review` and `audit` ones not yet in the project, write `auto` ones to `auto_out`.
    With `queue_out`, the `review` and `audit` records are written there instead (no Label Studio needed)."""
    res = PushResult()
    now = dt.datetime.now(dt.timezone.utc).isoformat()
    autos: list[str] = []
    to_push: dict[str, Routed] = {}
    for routed in route_records(records, policy, table):
        setattr(res, routed.route, getattr(res, routed.route) + 1)
        if routed.route == "auto":
            autos.append(json.dumps(verified(routed.record, "machine", now, "auto"), ensure_ascii=False))
        else:
            to_push[record_key(routed.record)] = routed
    if auto_out is not None:
        write_atomic(auto_out, "".join(line + "\n" for line in autos).encode())
    if queue_out is not None:
        write_atomic(queue_out, "".join(json.dumps(r.record, ensure_ascii=False) + "\n" for r in to_push.values()).encode())
    elif to_push:
        with client(settings) as c:
            project = ensure_project(c, settings)["id"]
            have = existing_keys(c, project)
            res.already = sum(k in have for k in to_push)
            _push_new({k: r for k, r in to_push.items() if k not in have}, c, project, settings, options, res, advance)
    return res


def _push_new(todo: dict[str, Routed], c: Client, project: int, settings: Settings, options: ReadOptions | None,
              res: PushResult, advance: Callable[[int], None]) -> None:
    """Crop, keep and send the records, a document at a time (its pages are decoded once)."""
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for routed in todo.values():
        by_doc[routed.record["sha256"]].append(routed.record)
    batch: list[dict] = []
    for sha, records in by_doc.items():
        path = document_path(records[0], settings)
        if path is None:
            res.missing.append(sha[:12])
            continue
        for record, crop in _crops(path, records, settings, options, res):
            key = record_key(record)
            ls_store.save_pushed(settings, key, todo[key].route, todo[key].reasons, record)
            target = ls_store.crop_path(settings, key)
            if not target.exists():
                write_atomic(target, cv2.imencode(".png", crop)[1].tobytes())
            batch.append(task(record, key, ls_store.crop_url(settings, key)))
            if len(batch) >= BATCH:
                res.pushed += _send(c, project, batch, advance)
    res.pushed += _send(c, project, batch, advance)


def _crops(path: Path, records: list[dict], settings: Settings, options: ReadOptions | None, res: PushResult):
    try:
        yield from record_crops(path, records, settings, options)
    except (CrosstrackError, ValueError):  # the document changed, cannot be read, or its boxes are off it:
        # its records wait for a re-extract
        res.missing.append(records[0]["sha256"][:12])


def _send(c: Client, project: int, batch: list[dict], advance: Callable[[int], None]) -> int:
    if not batch:
        return 0
    n = c.import_tasks(project, batch)
    advance(n)
    batch.clear()
    return n
