"""A small client for the Label Studio REST API: only the calls review makes (httpx, legacy token).

Errors become LabelStudioError with the call and the status, never the payload (it may hold record
text).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx

from models.errors import LabelStudioDownError, LabelStudioError

TIMEOUT = httpx.Timeout(60.0, connect=5.0)
PAGE = 500
EXPORT_BATCH = 200  # task ids per export request (they travel in the URL)


class Client:
    def __init__(self, url: str, token: str):
        self.url = url.rstrip("/")
        self.http = httpx.Client(base_url=self.url, headers={"Authorization": f"Token {token}"}, timeout=TIMEOUT)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def call(self, method: str, path: str, **kw) -> Any:
        try:
            r = self.http.request(method, path, **kw)
        except httpx.TransportError as e:
            raise LabelStudioDownError(f"Label Studio at {self.url} does not answer ({type(e).__name__}): "
                                       "start it with `crosstrack review serve`") from None
        if r.status_code >= 400:
            raise LabelStudioError(f"Label Studio answered {r.status_code} to {method} {path}: {_detail(r)}")
        return r.json() if r.content else None

    # -- users -------------------------------------------------------------------------------------

    def whoami(self) -> dict:
        return self.call("GET", "/api/current-user/whoami")

    def user(self, user_id: int) -> dict:
        return self.call("GET", f"/api/users/{user_id}")

    # -- projects ----------------------------------------------------------------------------------

    def find_project(self, title: str) -> dict | None:
        found = self.call("GET", "/api/projects", params={"title": title, "page_size": PAGE})
        return next((p for p in found.get("results", []) if p["title"] == title), None)

    def create_project(self, **fields) -> dict:
        return self.call("POST", "/api/projects", json=fields)

    def update_project(self, project: int, **fields) -> dict:
        return self.call("PATCH", f"/api/projects/{project}", json=fields)

    def local_storages(self, project: int) -> list[dict]:
        return self.call("GET", "/api/storages/localfiles", params={"project": project})

    def add_local_storage(self, project: int, path: str, title: str) -> dict:
        return self.call("POST", "/api/storages/localfiles",
                         json={"project": project, "path": path, "title": title, "use_blob_urls": False})

    def webhooks(self, project: int) -> list[dict]:
        return self.call("GET", "/api/webhooks", params={"project": project})

    def add_webhook(self, project: int, **fields) -> dict:
        return self.call("POST", "/api/webhooks", json={"project": project, **fields})

    def update_webhook(self, webhook: int, **fields) -> dict:
        return self.call("PATCH", f"/api/webhooks/{webhook}", json=fields)

    # -- tasks and annotations ---------------------------------------------------------------------

    def import_tasks(self, project: int, tasks: list[dict]) -> int:
        return self.call("POST", f"/api/projects/{project}/import", json=tasks)["task_count"]

    def tasks(self, project: int, query: dict | None = None) -> Iterator[dict]:
        """The project's tasks (data, annotation counts, update time), page by page; `query`: a
        Data Manager filter."""
        params = {"project": project, "page_size": PAGE, "fields": "task_only"}
        if query:
            params["query"] = json.dumps(query)
        page = 1
        while True:
            got = self.call("GET", "/api/tasks", params={**params, "page": page})
            yield from got["tasks"]
            if page * PAGE >= got["total"]:
                return
            page += 1

    def labeled_since(self, project: int, since: str | None) -> Iterator[dict]:
        """Tasks with an annotation, updated after `since` (Label Studio's own `updated_at`)."""
        items = [{"filter": "filter:tasks:total_annotations", "operator": "greater", "type": "Number", "value": 0}]
        if since:
            items.append({"filter": "filter:tasks:updated_at", "operator": "greater", "type": "Datetime", "value": since})
        return self.tasks(project, {"filters": {"conjunction": "and", "items": items}})

    def task(self, task: int) -> dict:
        return self.call("GET", f"/api/tasks/{task}")

    def annotations(self, task: int) -> list[dict]:
        return self.call("GET", f"/api/tasks/{task}/annotations")

    def export(self, project: int, ids: list[int]) -> list[dict]:
        """The given tasks with their annotations (the project's JSON export)."""
        out = []
        for i in range(0, len(ids), EXPORT_BATCH):
            out += self.call("GET", f"/api/projects/{project}/export",
                             params={"exportType": "JSON", "download_all_tasks": "true", "ids[]": ids[i:i + EXPORT_BATCH]})
        return out

    def annotate(self, task: int, result: list[dict], **fields) -> dict:
        return self.call("POST", f"/api/tasks/{task}/annotations", json={"result": result, **fields})

    def update_annotation(self, annotation: int, **fields) -> dict:
        return self.call("PATCH", f"/api/annotations/{annotation}", json=fields)


def _detail(r: httpx.Response) -> str:
    """What Label Studio said was wrong (its validation messages), cut short."""
    try:
        body = r.json()
    except ValueError:
        return r.reason_phrase
    if isinstance(body, dict):
        body = body.get("validation_errors") or body.get("detail") or body
    return json.dumps(body)[:300]
