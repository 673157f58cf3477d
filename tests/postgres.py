"""A throwaway PostgreSQL 15 cluster for tests: initdb in a temporary folder, a Unix socket there,
no TCP port; stopped and removed at the end of the session."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (d / name).exists():
            return str(d / name)
    return None


class Cluster:
    def __init__(self, root: Path):
        self.root, self.data, self.sock = root, root / "data", root / "sock"

    def _run(self, *args: str) -> None:
        # initdb refuses to run as root: as root, the cluster belongs to the `postgres` user
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(prefix + list(args), check=True, capture_output=True, env={**os.environ, "LC_ALL": "C"})

    def start(self) -> None:
        self.sock.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sock, "postgres")
        self._run(_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        opts = f"-k {self.sock} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-o", opts, "-w", "-l", str(self.root / "log"), "start")

    def stop(self) -> None:
        try:
            self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass

    def url(self, db: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql+psycopg://{user}@/{db}?host={self.sock}"

    def create_database(self, name: str) -> str:
        import psycopg
        with psycopg.connect(host=str(self.sock), user="postgres", dbname="postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def pg_cluster():
    if _bin("initdb") is None:
        pytest.fail("PostgreSQL 15 binaries (initdb, pg_ctl) not found: the repository tests need them")
    root = Path(tempfile.mkdtemp(prefix="ct-pg-"))
    cluster = Cluster(root)
    cluster.start()
    yield cluster
    cluster.stop()
    shutil.rmtree(root, ignore_errors=True)
