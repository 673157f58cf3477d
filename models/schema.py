"""The central repository's schema (SQLAlchemy 2): documents → pages → regions → extractions →
reviews, people and the identities they were linked from, events with their charges, the offence
table, and the audit log. Every event points back to the extraction and review it came from.

Portable across SQLite and PostgreSQL: JSON columns, ISO dates as DATE, no dialect types.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)
    agency: Mapped[str | None] = mapped_column(String(80))
    county: Mapped[str | None] = mapped_column(String(40))
    series: Mapped[str | None] = mapped_column(String(120))
    reel: Mapped[str | None] = mapped_column(String(40))
    fiche: Mapped[str | None] = mapped_column(String(40))
    box: Mapped[str | None] = mapped_column(String(40))
    folder: Mapped[str | None] = mapped_column(String(40))


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "page", "frame_row", "frame_col"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    page: Mapped[int] = mapped_column(Integer)
    frame_row: Mapped[int] = mapped_column(Integer, default=-1)  # -1: not a fiche frame
    frame_col: Mapped[int] = mapped_column(Integer, default=-1)


class Region(Base):
    """A record's region of a page: what a reviewer is shown, what provenance points to."""
    __tablename__ = "regions"
    __table_args__ = (UniqueConstraint("page_id", "ordinal"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"))
    # 64-bit: an agency feed's event is the region of its feed's one page whose ordinal is a digest
    # of the event's key (extract/feeds/rows.py). SQLite's INTEGER is 64-bit already.
    ordinal: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    x0: Mapped[float | None] = mapped_column(Float)
    y0: Mapped[float | None] = mapped_column(Float)
    x1: Mapped[float | None] = mapped_column(Float)
    y1: Mapped[float | None] = mapped_column(Float)


class Extraction(Base):
    """The record as extracted and verified, keyed by content (VerifiedRecord.key)."""
    __tablename__ = "extractions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_key: Mapped[str] = mapped_column(String(120), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(40))
    confidence: Mapped[float] = mapped_column(Float)
    fields: Mapped[dict] = mapped_column(JSON)   # name → {value, text, confidence, bbox}
    charges: Mapped[list] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Review(Base):
    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    extraction_id: Mapped[int] = mapped_column(ForeignKey("extractions.id"), index=True)
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    how: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64))


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sid: Mapped[str | None] = mapped_column(String(20), index=True)  # the linked SID, when any record has one


class Identity(Base):
    """Who one record says its subject is; linkage clusters identities into people."""
    __tablename__ = "identities"
    __table_args__ = (Index("ix_identities_block", "last_name", "dob"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    extraction_id: Mapped[int] = mapped_column(ForeignKey("extractions.id"), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(120))  # LAST, FIRST M
    last_name: Mapped[str | None] = mapped_column(String(60))
    first_name: Mapped[str | None] = mapped_column(String(60))
    middle: Mapped[str | None] = mapped_column(String(20))
    dob: Mapped[dt.date | None] = mapped_column(Date)
    sid: Mapped[str | None] = mapped_column(String(20), index=True)
    pcf: Mapped[str | None] = mapped_column(String(20))
    commitment_no: Mapped[str | None] = mapped_column(String(20))
    gender: Mapped[str | None] = mapped_column(String(12))
    race: Mapped[str | None] = mapped_column(String(40))
    ethnicity: Mapped[str | None] = mapped_column(String(40))


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_person_date", "person_id", "event_date"),
                      Index("ix_events_type_date", "event_type", "event_date"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    extraction_id: Mapped[int] = mapped_column(ForeignKey("extractions.id"), unique=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    identity_id: Mapped[int | None] = mapped_column(ForeignKey("identities.id"), index=True)
    event_type: Mapped[str] = mapped_column(String(40))
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    agency: Mapped[str | None] = mapped_column(String(80), index=True)
    county: Mapped[str | None] = mapped_column(String(40), index=True)
    court: Mapped[str | None] = mapped_column(String(120))
    facility: Mapped[str | None] = mapped_column(String(120))
    docket: Mapped[str | None] = mapped_column(String(40), index=True)


class ChargeRow(Base):
    __tablename__ = "charges"
    __table_args__ = (UniqueConstraint("event_id", "ordinal"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    statute: Mapped[str | None] = mapped_column(String(40))
    offense_code: Mapped[str | None] = mapped_column(String(40), index=True)
    category: Mapped[str | None] = mapped_column(String(60))
    level: Mapped[str | None] = mapped_column(String(16))  # felony | misdemeanor
    disposition: Mapped[str | None] = mapped_column(String(40))
    sentence_type: Mapped[str | None] = mapped_column(String(40))
    sentence_min: Mapped[str | None] = mapped_column(String(16))  # ISO 8601 durations
    sentence_max: Mapped[str | None] = mapped_column(String(16))
    to_serve: Mapped[str | None] = mapped_column(String(16))
    probation: Mapped[str | None] = mapped_column(String(16))
    fine: Mapped[float | None] = mapped_column(Float)
    suspended: Mapped[bool | None] = mapped_column(Boolean)
    sentence: Mapped[dict | None] = mapped_column(JSON)  # the whole normalized sentence


class Offence(Base):
    """The real MA complaint index (models/data/ma-offenses), one row per code and period in force."""
    __tablename__ = "offences"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    statute: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(60))
    level: Mapped[str | None] = mapped_column(String(16))
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))   # read, merge, export, link ...
    target: Mapped[str] = mapped_column(Text)         # what was read: a person, a query
    detail: Mapped[dict | None] = mapped_column(JSON)


class EventHistory(Base):
    """An extraction's earlier content, kept when a re-verified or re-delivered record changes it."""
    __tablename__ = "extraction_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    extraction_id: Mapped[int] = mapped_column(ForeignKey("extractions.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    fields: Mapped[dict] = mapped_column(JSON)
    charges: Mapped[list] = mapped_column(JSON)
    replaced_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Batch(Base):
    """A submitted batch: its documents and each stage's outcome per document, so a re-submitted
    or interrupted batch resumes where it stopped and nothing is lost or done twice."""
    __tablename__ = "batches"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    manifest: Mapped[str | None] = mapped_column(Text)  # the manifest CSV it came with


class BatchDocument(Base):
    """One submitted file of a batch and what intake made of it."""
    __tablename__ = "batch_documents"
    __table_args__ = (UniqueConstraint("batch_id", "path"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id"))
    path: Mapped[str] = mapped_column(Text)  # as submitted
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))  # stored | duplicate | rejected
    reason: Mapped[str | None] = mapped_column(Text)  # rejected: what is wrong and what to do
    provenance: Mapped[dict | None] = mapped_column(JSON)


class StageRun(Base):
    """A stage's outcome for one document of a batch: done with its counts, or failed and why."""
    __tablename__ = "stage_runs"
    __table_args__ = (UniqueConstraint("batch_id", "sha256", "stage"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16))  # digitize | extract | route | merge
    status: Mapped[str] = mapped_column(String(16))  # done | failed
    counts: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PortalUser(Base):
    """A portal account (issue 8): its role decides what it may see; only an argon2 hash of its password is kept."""
    __tablename__ = "portal_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(40))  # archivist | reviewer | analyst_public | analyst_cleared | admin
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PortalSession(Base):
    """A signed-in browser: the cookie holds a random token, the table only its sha256 and the
    session's CSRF token, so a stolen database does not log anyone in."""
    __tablename__ = "portal_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("portal_users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class LoginFailure(Base):
    """A failed sign-in, kept a while so repeated guessing (per account and per address) is slowed down."""
    __tablename__ = "portal_login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class FeedDelivery(Base):
    """One agency extract file imported (issue 9), once per content: re-importing it updates
    its counts and time, never adds a second delivery."""
    __tablename__ = "feed_deliveries"
    __table_args__ = (UniqueConstraint("feed", "sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed: Mapped[str] = mapped_column(String(60))
    file: Mapped[str] = mapped_column(Text)  # its name as delivered
    sha256: Mapped[str] = mapped_column(String(64))
    first_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    counts: Mapped[dict] = mapped_column(JSON)  # rows, inserted, updated, unchanged, quarantined, missing
    error: Mapped[str | None] = mapped_column(Text)  # why the file (or its rest) could not be read


class FeedQuarantine(Base):
    """A row of a delivery that failed validation, with why, kept for the agency to correct.
    Restricted like the events: its cells may identify someone."""
    __tablename__ = "feed_quarantine"
    __table_args__ = (UniqueConstraint("delivery_id", "row"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("feed_deliveries.id", ondelete="CASCADE"))
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    cells: Mapped[dict | None] = mapped_column(JSON)
