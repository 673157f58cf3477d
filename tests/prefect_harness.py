"""One temporary Prefect server for the test session: flows run in-process report to it, and
`crosstrack` processes find it through PREFECT_API_URL (else each would start its own, half a
minute each on two busy cores). Prefect's state and cached results live in a scratch folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory) -> Iterator[str]:
    scratch = tmp_path_factory.mktemp("prefect")
    with pytest.MonkeyPatch.context() as mp:
        for k, v in {"PREFECT_HOME": str(scratch), "PREFECT_RESULTS_LOCAL_STORAGE_PATH": str(scratch / "storage"),
                     "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
                     "PREFECT_LOGGING_LEVEL": "WARNING"}.items():
            mp.setenv(k, v)
        from prefect.settings import PREFECT_API_URL
        from prefect.testing.utilities import prefect_test_harness
        with prefect_test_harness(server_startup_timeout=180):
            mp.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
            yield PREFECT_API_URL.value()
