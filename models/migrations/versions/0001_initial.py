"""The initial repository: exactly models/schema.py as of issue 5 (a snapshot, not the live
metadata, so later schema changes come as new revisions).

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# In creation order: each after the tables it refers to.
TABLES = ('audit_log', 'documents', 'offences', 'people', 'pages', 'regions',
          'extractions', 'extraction_history', 'identities', 'reviews', 'events', 'charges')


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_audit_log_at'), 'audit_log', ['at'], unique=False)
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('agency', sa.String(length=80), nullable=True),
    sa.Column('county', sa.String(length=40), nullable=True),
    sa.Column('series', sa.String(length=120), nullable=True),
    sa.Column('reel', sa.String(length=40), nullable=True),
    sa.Column('fiche', sa.String(length=40), nullable=True),
    sa.Column('box', sa.String(length=40), nullable=True),
    sa.Column('folder', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256')
    )
    op.create_table('offences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('statute', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=60), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=True),
    sa.Column('start_year', sa.Integer(), nullable=True),
    sa.Column('end_year', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_offences_code'), 'offences', ['code'], unique=False)
    op.create_index(op.f('ix_offences_statute'), 'offences', ['statute'], unique=False)
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sid', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_people_sid'), 'people', ['sid'], unique=False)
    op.create_table('pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('frame_row', sa.Integer(), nullable=False),
    sa.Column('frame_col', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'page', 'frame_row', 'frame_col')
    )
    op.create_table('regions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('x0', sa.Float(), nullable=True),
    sa.Column('y0', sa.Float(), nullable=True),
    sa.Column('x1', sa.Float(), nullable=True),
    sa.Column('y1', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['page_id'], ['pages.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('page_id', 'ordinal')
    )
    op.create_table('extractions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_key', sa.String(length=120), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=40), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('charges', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('record_key'),
    sa.UniqueConstraint('region_id')
    )
    op.create_table('extraction_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('extraction_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('charges', sa.JSON(), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['extraction_id'], ['extractions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_extraction_history_extraction_id'), 'extraction_history', ['extraction_id'], unique=False)
    op.create_table('identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('extraction_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('last_name', sa.String(length=60), nullable=True),
    sa.Column('first_name', sa.String(length=60), nullable=True),
    sa.Column('middle', sa.String(length=20), nullable=True),
    sa.Column('dob', sa.Date(), nullable=True),
    sa.Column('sid', sa.String(length=20), nullable=True),
    sa.Column('pcf', sa.String(length=20), nullable=True),
    sa.Column('commitment_no', sa.String(length=20), nullable=True),
    sa.Column('gender', sa.String(length=12), nullable=True),
    sa.Column('race', sa.String(length=40), nullable=True),
    sa.Column('ethnicity', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['extraction_id'], ['extractions.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('extraction_id')
    )
    op.create_index('ix_identities_block', 'identities', ['last_name', 'dob'], unique=False)
    op.create_index(op.f('ix_identities_person_id'), 'identities', ['person_id'], unique=False)
    op.create_index(op.f('ix_identities_sid'), 'identities', ['sid'], unique=False)
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('extraction_id', sa.Integer(), nullable=False),
    sa.Column('by', sa.String(length=120), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('how', sa.String(length=16), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['extraction_id'], ['extractions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_reviews_extraction_id'), 'reviews', ['extraction_id'], unique=False)
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('extraction_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('identity_id', sa.Integer(), nullable=True),
    sa.Column('event_type', sa.String(length=40), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.Column('agency', sa.String(length=80), nullable=True),
    sa.Column('county', sa.String(length=40), nullable=True),
    sa.Column('court', sa.String(length=120), nullable=True),
    sa.Column('facility', sa.String(length=120), nullable=True),
    sa.Column('docket', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['extraction_id'], ['extractions.id'], ),
    sa.ForeignKeyConstraint(['identity_id'], ['identities.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('extraction_id')
    )
    op.create_index(op.f('ix_events_agency'), 'events', ['agency'], unique=False)
    op.create_index(op.f('ix_events_county'), 'events', ['county'], unique=False)
    op.create_index(op.f('ix_events_docket'), 'events', ['docket'], unique=False)
    op.create_index('ix_events_person_date', 'events', ['person_id', 'event_date'], unique=False)
    op.create_index('ix_events_type_date', 'events', ['event_type', 'event_date'], unique=False)
    op.create_table('charges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('statute', sa.String(length=40), nullable=True),
    sa.Column('offense_code', sa.String(length=40), nullable=True),
    sa.Column('category', sa.String(length=60), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=True),
    sa.Column('disposition', sa.String(length=40), nullable=True),
    sa.Column('sentence_type', sa.String(length=40), nullable=True),
    sa.Column('sentence_min', sa.String(length=16), nullable=True),
    sa.Column('sentence_max', sa.String(length=16), nullable=True),
    sa.Column('to_serve', sa.String(length=16), nullable=True),
    sa.Column('probation', sa.String(length=16), nullable=True),
    sa.Column('fine', sa.Float(), nullable=True),
    sa.Column('suspended', sa.Boolean(), nullable=True),
    sa.Column('sentence', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'ordinal')
    )
    op.create_index(op.f('ix_charges_event_id'), 'charges', ['event_id'], unique=False)
    op.create_index(op.f('ix_charges_offense_code'), 'charges', ['offense_code'], unique=False)


def downgrade() -> None:
    # Dropping a table drops its indexes; the reverse order drops referring tables first.
    for table in reversed(TABLES):
        op.drop_table(table)
