"""Schema migrations run from code (`crosstrack db upgrade`): Alembic with the scripts in
models/migrations, pointed at an engine; no alembic.ini needed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

SCRIPTS = Path(__file__).with_name("migrations")


def _config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    # ConfigParser reads % as interpolation: a password with % in it must be escaped.
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def _run(engine: Engine, fn, revision: str) -> None:
    cfg = _config(engine)
    with engine.begin() as conn:  # one transaction: a failed migration leaves nothing half done
        cfg.attributes["connection"] = conn
        fn(cfg, revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str = "-1") -> None:
    _run(engine, command.downgrade, revision)


def current(engine: Engine) -> str | None:
    """The revision the database is at; None for a database never migrated (or downgraded to base)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head() -> str:
    return ScriptDirectory(str(SCRIPTS)).get_current_head()


def ensure_current(engine: Engine) -> bool:
    """Upgrade to head when behind; True when it had to."""
    if current(engine) == head():
        return False
    upgrade(engine)
    return True
