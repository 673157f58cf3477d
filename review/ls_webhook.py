"""The webhook receiver: Label Studio posts each created or updated annotation here, and the
receiver spools a note of it to <home>/review/inbox for `review pull`.

Only which task and annotation changed is kept (`pull` reads the annotation itself from Label
Studio), so the inbox never holds record text. A request without the shared secret's header is
refused. Run by `review serve` as `python -m review.ls_webhook --port N --inbox DIR`, the secret in
CROSSTRACK_WEBHOOK_SECRET.
"""

from __future__ import annotations

import argparse
import hmac
import json
import os
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HEADER = "X-Crosstrack-Webhook"
ACTIONS = ("ANNOTATION_CREATED", "ANNOTATION_UPDATED")
MAX_BODY = 20 << 20


def note(payload: dict) -> dict | None:
    """What the inbox keeps of a webhook payload: the action, task, annotation and project ids."""
    action, ann = payload.get("action"), payload.get("annotation") or {}
    if action not in ACTIONS or not isinstance(ann, dict) or "id" not in ann:
        return None
    task = ann.get("task")
    task = task.get("id") if isinstance(task, dict) else task
    project = (payload.get("project") or {}).get("id") if isinstance(payload.get("project"), dict) else ann.get("project")
    return {"action": action, "task": task, "annotation": ann["id"], "project": project,
            "updated_at": ann.get("updated_at")}


def spool(inbox: Path, item: dict) -> Path:
    """Write one note, whole or not at all; names sort in arrival order."""
    inbox.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.json"
    tmp = inbox / f".{name}.tmp"
    tmp.write_text(json.dumps(item))
    tmp.replace(inbox / name)
    return inbox / name


def read_inbox(inbox: Path) -> list[tuple[Path, dict]]:
    out = []
    for path in sorted(inbox.glob("*.json")) if inbox.is_dir() else []:
        try:
            out.append((path, json.loads(path.read_text())))
        except ValueError:
            path.unlink(missing_ok=True)  # cannot happen with atomic writes; never blocks a pull
    return out


def make_handler(inbox: Path, secret: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._reply(200 if self.path == "/health" else 404)

        def do_POST(self) -> None:
            if self.path != "/webhook":
                return self._reply(404)
            if not hmac.compare_digest(self.headers.get(HEADER, ""), secret):
                return self._reply(403)
            size = int(self.headers.get("Content-Length") or 0)
            if size <= 0 or size > MAX_BODY:
                return self._reply(413 if size else 400)
            try:
                payload = json.loads(self.rfile.read(size))
            except ValueError:
                return self._reply(400)
            item = note(payload) if isinstance(payload, dict) else None
            if item is not None:
                spool(inbox, item)
            self._reply(200)

        def _reply(self, code: int) -> None:
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--inbox", type=Path, required=True)
    args = ap.parse_args()
    secret = os.environ.get("CROSSTRACK_WEBHOOK_SECRET", "")
    if not secret:
        raise SystemExit("CROSSTRACK_WEBHOOK_SECRET is not set")
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.inbox, secret))
    server.serve_forever()


if __name__ == "__main__":
    main()
