"""Engine setup: `CROSSTRACK_DATABASE_URL` picks the database (default a SQLite file in the data
directory); the same code runs on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event

from .settings import Settings


def database_url(settings: Settings) -> str:
    return settings.database_url or f"sqlite:///{settings.home / 'crosstrack.db'}"


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    if url not in ("sqlite://", "sqlite:///:memory:"):
        from pathlib import Path
        Path(url.split("sqlite:///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _pragmas(conn, _):  # WAL: readers do not block the merge; foreign keys on as in PostgreSQL
        cur = conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()
    return engine


def engine_for(settings: Settings) -> Engine:
    return make_engine(database_url(settings))
