"""The views: the anonymized events table and the aggregate counts (models/views.py, issue 5),
and the restricted view over events with their provenance; an index on events.identity_id (a
re-linkage moves events by their identity).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_ANON_TEXT = (("event_type", 40), ("event_month", 7), ("event_year", 7), ("age_band", 8), ("agency", 80),
              ("county", 40), ("offence_category", 60), ("level", 16), ("disposition", 40), ("sentence_type", 40),
              ("sentence_band", 8), ("gender", 12), ("race", 40), ("ethnicity", 40))


def upgrade() -> None:
    op.create_index("ix_events_identity_id", "events", ["identity_id"])
    op.create_table("anon_events",
                    sa.Column("pseudonym", sa.String(length=20), nullable=False),
                    sa.Column("seq", sa.Integer(), nullable=False),
                    *(sa.Column(n, sa.String(length=w), nullable=False) for n, w in _ANON_TEXT),
                    sa.PrimaryKeyConstraint("pseudonym", "seq", name="pk_anon_events"))
    op.create_table("agg_counts",
                    sa.Column("dims", sa.String(length=60), nullable=False),
                    sa.Column("key1", sa.String(length=80), nullable=False),
                    sa.Column("key2", sa.String(length=80), nullable=False),
                    sa.Column("n", sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint("dims", "key1", "key2", name="pk_agg_counts"))
    # The view's query is the module's own (one definition for the view and its tests).
    from models.views import RESTRICTED_VIEW, restricted_select
    bind = op.get_bind()
    sql = str(restricted_select().compile(bind, compile_kwargs={"literal_binds": True}))
    op.execute(f"CREATE VIEW {RESTRICTED_VIEW} AS {sql}")


def downgrade() -> None:
    from models.views import RESTRICTED_VIEW
    op.execute(f"DROP VIEW IF EXISTS {RESTRICTED_VIEW}")
    op.drop_table("agg_counts")
    op.drop_table("anon_events")
    op.drop_index("ix_events_identity_id", table_name="events")
