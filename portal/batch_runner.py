"""A submitted batch runs in its own process (`python -m portal.batch_runner BATCH`), so the portal
keeps answering and a crash of the batch cannot take it down. The process writes its state to
<home>/portal/runs/<batch>.json (running, finished or failed, with the run's summary) and its
log beside it; the stages' own progress is in the repository (models.batches)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psutil

from digitize.store import write_atomic
from models.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def runs_dir(settings: Settings) -> Path:
    return settings.home / "portal" / "runs"


def _state_path(settings: Settings, batch_id: str) -> Path:
    return runs_dir(settings) / f"{batch_id}.json"


def _write(settings: Settings, batch_id: str, state: dict) -> None:
    write_atomic(_state_path(settings, batch_id), json.dumps(state).encode())


def state(settings: Settings, batch_id: str) -> dict:
    """{"state": none | running | finished | failed | stopped, ...}: `stopped` is a run whose process
    died without saying how it ended (killed, machine restarted)."""
    try:
        s = json.loads(_state_path(settings, batch_id).read_text())
    except FileNotFoundError:
        return {"state": "none"}
    if s.get("state") == "running" and not _alive(s.get("pid")):
        s["state"] = "stopped"
    return s


def _alive(pid: int | None) -> bool:
    try:
        return pid is not None and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def start(settings: Settings, batch_id: str, review: bool) -> None:
    """Start the batch's run unless one is running; the portal's settings travel in the environment."""
    if state(settings, batch_id)["state"] == "running":
        return
    env = os.environ | {"CROSSTRACK_HOME": str(settings.home), "CROSSTRACK_MAX_FILE_MB": str(settings.max_file_mb),
                        "CROSSTRACK_MAX_PIXELS": str(settings.max_pixels), "CROSSTRACK_OCR_ENGINE": settings.ocr_engine,
                        "CROSSTRACK_DATABASE_URL": settings.database_url or "", "CROSSTRACK_LS_URL": settings.ls_url,
                        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    runs_dir(settings).mkdir(parents=True, exist_ok=True)
    with open(runs_dir(settings) / f"{batch_id}.log", "ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "portal.batch_runner", batch_id, "--review" if review else "--no-review"],
                                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    _write(settings, batch_id, {"state": "running", "pid": proc.pid})
    # Reap the child when it ends, so it never lingers as a zombie of the portal.
    import threading
    threading.Thread(target=proc.wait, daemon=True).start()


def main(batch_id: str, review: bool) -> int:
    from flows import prefect_env
    from flows.cli_run import run_batch, summary, task_runner

    settings = Settings.from_env()
    prefect_env.configure(settings)
    _write(settings, batch_id, {"state": "running", "pid": os.getpid()})
    try:
        status = run_batch(settings, batch_id, settings.ocr_engine, review, task_runner(False, None, None))
    except Exception as e:  # recorded for the batch page, then re-raised into the log
        _write(settings, batch_id, {"state": "failed", "error": f"{type(e).__name__}: {e}"[:500]})
        raise
    _write(settings, batch_id, {"state": "finished", "summary": summary(status)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:] == ["--review"]))
