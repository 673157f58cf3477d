"""Agency feeds (issue 9): deliveries, quarantined rows, and 64-bit region ordinals.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _retype_ordinal(to: sa.types.TypeEngine, was: sa.types.TypeEngine) -> None:
    """PostgreSQL only (SQLite's INTEGER is 64-bit already). The restricted view reads the column,
    so it is dropped around the change and made again from the module's one definition."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from models.views import RESTRICTED_VIEW, restricted_select
    op.execute(f"DROP VIEW IF EXISTS {RESTRICTED_VIEW}")
    op.alter_column("regions", "ordinal", type_=to, existing_type=was)
    op.execute(f"CREATE VIEW {RESTRICTED_VIEW} AS "
               f"{restricted_select().compile(bind, compile_kwargs={'literal_binds': True})}")


def upgrade() -> None:
    _retype_ordinal(sa.BigInteger(), sa.Integer())
    op.create_table("feed_deliveries",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("feed", sa.String(length=60), nullable=False),
                    sa.Column("file", sa.Text(), nullable=False),
                    sa.Column("sha256", sa.String(length=64), nullable=False),
                    sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("counts", sa.JSON(), nullable=False),
                    sa.Column("error", sa.Text(), nullable=True),
                    sa.PrimaryKeyConstraint("id"),
                    sa.UniqueConstraint("feed", "sha256"))
    op.create_table("feed_quarantine",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("delivery_id", sa.Integer(), nullable=False),
                    sa.Column("row", sa.Integer(), nullable=False),
                    sa.Column("column", sa.String(length=60), nullable=True),
                    sa.Column("reason", sa.Text(), nullable=False),
                    sa.Column("cells", sa.JSON(), nullable=True),
                    sa.ForeignKeyConstraint(["delivery_id"], ["feed_deliveries.id"], ondelete="CASCADE"),
                    sa.PrimaryKeyConstraint("id"),
                    sa.UniqueConstraint("delivery_id", "row"))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and bind.exec_driver_sql(
            "SELECT EXISTS (SELECT 1 FROM regions WHERE ordinal > 2147483647)").scalar():
        raise RuntimeError("the repository holds agency feed events, whose 64-bit keys do not fit the schema "
                           "before 0005: delete them (their document is the feed) or stay at 0005")
    op.drop_table("feed_quarantine")
    op.drop_table("feed_deliveries")
    _retype_ordinal(sa.Integer(), sa.BigInteger())
