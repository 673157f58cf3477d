"""The offence table in the repository: loaded from plain rows (models does not read the extract
package's index itself), and looked up at merge time to classify charges."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, select

from .schema import Offence

COLUMNS = ("code", "statute", "description", "category", "level", "start_year", "end_year")


def _row_tuple(row: Mapping) -> tuple:
    return tuple(row.get(c) for c in COLUMNS)


def load_offences(engine: Engine, rows: Iterable[Mapping]) -> int:
    """Make `offences` hold exactly these rows. Idempotent: when it already does, nothing is
    written and 0 is returned; otherwise the table is replaced (charges copy category and level,
    so nothing refers to offence ids) and the number of rows written is returned."""
    wanted = sorted({_row_tuple(r) for r in rows}, key=repr)
    table = Offence.__table__
    with engine.begin() as conn:
        have = sorted(set(conn.execute(select(*(table.c[c] for c in COLUMNS))).all()), key=repr)
        if [tuple(r) for r in have] == wanted and _count(conn) == len(wanted):
            return 0
        conn.execute(delete(table))
        conn.execute(insert(table), [dict(zip(COLUMNS, r)) for r in wanted])
    return len(wanted)


def _count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(Offence.__table__)).scalar_one()


@dataclass(frozen=True)
class _Period:
    start_year: int | None
    end_year: int | None
    category: str | None
    level: str | None


class OffenceClasses:
    """offense_code → (category, level), preferring the row in force in the event's year."""

    def __init__(self, periods: Mapping[str, tuple[_Period, ...]]):
        self._periods = periods

    @classmethod
    def read(cls, conn: Connection) -> "OffenceClasses":
        t = Offence.__table__
        by_code: dict[str, list[_Period]] = defaultdict(list)
        # A few thousand rows: read once per merge rather than joined per charge.
        for code, start, end, category, level in conn.execute(
                select(t.c.code, t.c.start_year, t.c.end_year, t.c.category, t.c.level).order_by(t.c.id)):
            by_code[code].append(_Period(start, end, category, level))
        return cls({k: tuple(v) for k, v in by_code.items()})

    def classify(self, code: str | None, year: int | None) -> tuple[str | None, str | None]:
        periods = self._periods.get(code or "")
        if not periods:
            return None, None
        for p in periods:
            if year is None or ((p.start_year is None or p.start_year <= year)
                                and (p.end_year is None or year <= p.end_year)):
                return p.category, p.level
        return periods[0].category, periods[0].level
