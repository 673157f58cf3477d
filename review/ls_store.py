"""What review keeps on disk between push and pull, under <home>/review:

- `tasks/<h[:2]>/<h>.json`: each pushed record as given, its route and reasons (Label Studio holds
  only the record's text, its crop and its key; the source file name never leaves this machine);
- `crops/<h[:2]>/<h>.png`: the crops Label Studio serves to reviewers;
- `pulled.jsonl`: each annotation pulled, with its update time, so a pull returns it once;
- `poll.json`: how far polling has looked (Label Studio's own clock);
- `outcomes.jsonl`, `corrections.jsonl`: what pulls learned (contract.md).
`h` is the sha256 of the record key. Every file is written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from digitize.store import write_atomic
from models.settings import Settings


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def crop_path(settings: Settings, key: str) -> Path:
    h = key_hash(key)
    return settings.review_dir / "crops" / h[:2] / f"{h}.png"


def crop_url(settings: Settings, key: str) -> str:
    """The crop's address as Label Studio serves it (its local-files root is <home>/review)."""
    return "/data/local-files/?d=" + crop_path(settings, key).relative_to(settings.review_dir).as_posix()


def _task_path(settings: Settings, key: str) -> Path:
    h = key_hash(key)
    return settings.review_dir / "tasks" / h[:2] / f"{h}.json"


def save_pushed(settings: Settings, key: str, route: str, reasons: tuple[str, ...], record: dict) -> None:
    write_atomic(_task_path(settings, key), json.dumps({"key": key, "route": route, "reasons": list(reasons),
                                                        "record": record}, ensure_ascii=False).encode())


def load_pushed(settings: Settings, key: str) -> dict | None:
    try:
        return json.loads(_task_path(settings, key).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def pulled(settings: Settings) -> dict[int, str]:
    """annotation id -> the update time it was last pulled at."""
    path = settings.review_dir / "pulled.jsonl"
    seen: dict[int, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                seen[row["annotation"]] = row["updated_at"]
    return seen


def append_lines(path: Path, rows: list[dict]) -> None:
    """Append JSON lines, flushed to disk before returning."""
    if not rows:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        f.flush()
        os.fsync(f.fileno())



# Polling looks again at tasks updated this long before the last one it saw: an annotation saved
# while the last poll ran may carry an earlier time than one that poll already saw.
POLL_OVERLAP = dt.timedelta(seconds=60)
_LS_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"  # the only form Label Studio's task filter takes


def poll_mark(settings: Settings, project: int) -> str | None:
    """Label Studio's time polling starts from for `project`; None: from the beginning."""
    try:
        mark = json.loads((settings.review_dir / "poll.json").read_text())
    except FileNotFoundError:
        return None
    return mark["since"] if mark.get("project") == project else None


def set_poll_mark(settings: Settings, project: int, seen: Iterable[str]) -> None:
    """Move the mark to POLL_OVERLAP before the latest update polling saw (never backwards)."""
    latest = max(dt.datetime.fromisoformat(t.replace("Z", "+00:00")) for t in seen)
    since = (latest - POLL_OVERLAP).astimezone(dt.timezone.utc).strftime(_LS_TIME)
    before = poll_mark(settings, project)
    write_atomic(settings.review_dir / "poll.json", json.dumps({"project": project, "since": max(since, before or "")}).encode())
