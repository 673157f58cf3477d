"""What the repository keeps of agency feeds besides their events: each delivery (once per file
content) with its counts, its quarantined rows, and the events a feed has delivered so far."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update

from .schema import Document, Event, Extraction, FeedDelivery, FeedQuarantine, Page, Region

DELIVERY, QUARANTINE = FeedDelivery.__table__, FeedQuarantine.__table__


@dataclass(frozen=True)
class QuarantineRow:
    row: int
    reason: str
    column: str | None = None
    cells: dict | None = None


def record_delivery(engine: Engine, feed: str, file: str, sha256: str, counts: dict, error: str | None,
                    quarantined: Iterable[QuarantineRow]) -> int:
    """Write (or rewrite, for the same file content again) a delivery and its quarantined rows,
    in one transaction; the delivery's id."""
    now = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as conn:
        did = conn.execute(select(DELIVERY.c.id).where(DELIVERY.c.feed == feed, DELIVERY.c.sha256 == sha256)).scalar()
        if did is None:
            did = conn.execute(insert(DELIVERY).values(feed=feed, file=file, sha256=sha256, first_at=now, last_at=now,
                                                       counts=counts, error=error)).inserted_primary_key[0]
        else:
            conn.execute(update(DELIVERY).where(DELIVERY.c.id == did).values(file=file, last_at=now, counts=counts,
                                                                            error=error))
            conn.execute(delete(QUARANTINE).where(QUARANTINE.c.delivery_id == did))
        rows = [{"delivery_id": did, "row": q.row, "column": q.column, "reason": q.reason, "cells": q.cells}
                for q in quarantined]
        if rows:
            conn.execute(insert(QUARANTINE), rows)
    return did


def already_imported(engine: Engine, feed: str, sha256: str) -> bool:
    """Whether this file content was imported whole before (a file that failed is tried again)."""
    with engine.connect() as conn:
        return conn.execute(select(DELIVERY.c.id).where(DELIVERY.c.feed == feed, DELIVERY.c.sha256 == sha256,
                                                        DELIVERY.c.error.is_(None))).first() is not None


def delivered_events(engine: Engine, feed_sha256: str) -> dict[int, tuple[str, str, dt.date | None]]:
    """Every event a feed has delivered: its ordinal → (record key, event type, event date)."""
    doc, page, region, ext, event = (t.__table__ for t in (Document, Page, Region, Extraction, Event))
    q = (select(region.c.ordinal, ext.c.record_key, ext.c.event_type, event.c.event_date)
         .select_from(doc.join(page, page.c.document_id == doc.c.id).join(region, region.c.page_id == page.c.id)
                      .join(ext, ext.c.region_id == region.c.id).join(event, event.c.extraction_id == ext.c.id))
         .where(doc.c.sha256 == feed_sha256))
    with engine.connect() as conn:
        return {o: (k, t, d) for o, k, t, d in conn.execute(q)}


def quarantine(engine: Engine, feed: str | None = None) -> list[dict]:
    """Quarantined rows, newest delivery first (restricted: the cells may identify someone)."""
    q = (select(DELIVERY.c.feed, DELIVERY.c.file, DELIVERY.c.last_at, QUARANTINE.c.row, QUARANTINE.c.column,
                QUARANTINE.c.reason)
         .join_from(QUARANTINE, DELIVERY, QUARANTINE.c.delivery_id == DELIVERY.c.id)
         .order_by(DELIVERY.c.last_at.desc(), QUARANTINE.c.row))
    if feed:
        q = q.where(DELIVERY.c.feed == feed)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]
