"""The audit log of restricted reads: who (actor and role), when, what. A restricted read writes its
audit row in the same transaction before it reads, so an unaudited read cannot happen."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, insert

from .errors import NotClearedError
from .schema import AuditEntry

PUBLIC_ROLE = "analyst_public"
CLEARED_ROLES = frozenset({"analyst_cleared", "admin"})


def is_cleared(role: str) -> bool:
    return role in CLEARED_ROLES


def require_cleared(role: str) -> None:
    if not is_cleared(role):
        raise NotClearedError(f"role {role!r} may not read the restricted view: it needs one of "
                              f"{', '.join(sorted(CLEARED_ROLES))}")


def record(conn: Connection, actor: str, role: str, action: str, target: str, detail: dict | None = None) -> None:
    """One audit row. `detail` says what was read (person ids, a query): never names or DOBs, so the
    audit log itself does not copy identifiers around."""
    if not actor.strip():
        raise NotClearedError("a restricted read needs the reader's name (--actor)")
    conn.execute(insert(AuditEntry), {"at": dt.datetime.now(dt.timezone.utc), "actor": actor, "role": role,
                                      "action": action, "target": target, "detail": detail})
