"""PostgreSQL roles that enforce the privacy rules in the database itself (the portal's auth is the
second lock): `crosstrack_public` may SELECT only the anonymized and aggregate tables,
`crosstrack_cleared` may SELECT everything and append to the audit log. Everything else is revoked."""

from __future__ import annotations

from sqlalchemy import Engine, String, inspect, text

from .errors import ConfigError
from .schema import AuditEntry, LoginFailure, PortalSession, PortalUser
from .views import PUBLIC_TABLES, RESTRICTED_VIEW, create_views

PUBLIC = "crosstrack_public"
CLEARED = "crosstrack_cleared"
ROLES = (PUBLIC, CLEARED)
PORTAL_TABLES = tuple(t.__tablename__ for t in (PortalUser, PortalSession, LoginFailure))


def _literal(engine: Engine, value: str) -> str:
    return String().literal_processor(engine.dialect)(value)


def apply_roles(engine: Engine, passwords: dict[str, str] | None = None) -> dict:
    """Create the two roles (LOGIN; a password when given) and set their grants; idempotent.
    Returns what each role can read afterwards, as checked by PostgreSQL."""
    if engine.dialect.name != "postgresql":
        raise ConfigError("database roles need PostgreSQL: set CROSSTRACK_DATABASE_URL to a postgresql:// URL")
    create_views(engine)  # the grants name the view tables: they must exist
    audit = AuditEntry.__tablename__
    with engine.begin() as conn:
        for role in ROLES:
            conn.execute(text(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
                              f"THEN CREATE ROLE {role} LOGIN; END IF; END $$"))
            if passwords and passwords.get(role):
                conn.execute(text(f"ALTER ROLE {role} PASSWORD {_literal(engine, passwords[role])}"))
        everyone = f"PUBLIC, {PUBLIC}, {CLEARED}"
        conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {everyone}"))
        conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {everyone}"))
        conn.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {PUBLIC}, {CLEARED}"))
        conn.execute(text(f"GRANT SELECT ON {', '.join(PUBLIC_TABLES)} TO {PUBLIC}"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {CLEARED}"))
        conn.execute(text(f"GRANT INSERT ON {audit} TO {CLEARED}"))
        # the portal's accounts and sessions are for the portal alone (its own database user)
        portal = [t for t in PORTAL_TABLES if t in inspect(conn).get_table_names()]
        if portal:
            conn.execute(text(f"REVOKE ALL ON {', '.join(portal)} FROM {CLEARED}"))
        seq = conn.execute(text(f"SELECT pg_get_serial_sequence('{audit}', 'id')")).scalar()
        if seq:
            conn.execute(text(f"GRANT USAGE ON SEQUENCE {seq} TO {CLEARED}"))
        # tables the owner creates later (a new migration) are readable by the cleared role only
        conn.execute(text(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {CLEARED}"))
    return readable(engine)


def readable(engine: Engine) -> dict[str, list[str]]:
    """Tables and views each role may SELECT, as PostgreSQL reports it."""
    names = inspect(engine).get_table_names() + [RESTRICTED_VIEW]
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for role in ROLES:
            out[role] = sorted(n for n in names if conn.execute(
                text("SELECT has_table_privilege(:r, :t, 'SELECT')"), {"r": role, "t": n}).scalar())
    return out
