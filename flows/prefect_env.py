"""Prefect's settings for crosstrack, set before Prefect is imported.

Ephemeral by default: Prefect's state and cached task results live under the data directory,
a temporary local API server comes and goes with each run, analytics are off. With
PREFECT_API_URL set, flows report to that Prefect server instead (its UI shows them), and
deployments (prefect.yaml) run there on workers. Anything set in the environment wins.
"""

from __future__ import annotations

import os

from models.settings import Settings


def configure(settings: Settings) -> None:
    home = settings.home / "prefect"
    defaults = {
        "PREFECT_HOME": str(home),
        "PREFECT_RESULTS_LOCAL_STORAGE_PATH": str(home / "storage"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",  # the CLI shows progress bars; Prefect's UI has the logs
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",  # two busy cores start it slowly
    }
    for k, v in defaults.items():
        os.environ.setdefault(k, v)
