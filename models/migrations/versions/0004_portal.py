"""Portal accounts, their sessions and failed sign-ins (issue 8).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table("portal_users",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("name", sa.String(length=80), nullable=False),
                    sa.Column("role", sa.String(length=40), nullable=False),
                    sa.Column("password_hash", sa.String(length=255), nullable=False),
                    sa.Column("active", sa.Boolean(), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint("id"),
                    sa.UniqueConstraint("name"))
    op.create_table("portal_sessions",
                    sa.Column("token_hash", sa.String(length=64), nullable=False),
                    sa.Column("user_id", sa.Integer(), nullable=False),
                    sa.Column("csrf", sa.String(length=64), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
                    sa.ForeignKeyConstraint(["user_id"], ["portal_users.id"], ondelete="CASCADE"),
                    sa.PrimaryKeyConstraint("token_hash"))
    op.create_index("ix_portal_sessions_user_id", "portal_sessions", ["user_id"])
    op.create_index("ix_portal_sessions_expires_at", "portal_sessions", ["expires_at"])
    op.create_table("portal_login_failures",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("name", sa.String(length=80), nullable=False),
                    sa.Column("address", sa.String(length=64), nullable=False),
                    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint("id"))
    for col in ("name", "address", "at"):
        op.create_index(f"ix_portal_login_failures_{col}", "portal_login_failures", [col])


def downgrade() -> None:
    op.drop_table("portal_login_failures")
    op.drop_index("ix_portal_sessions_expires_at", table_name="portal_sessions")
    op.drop_index("ix_portal_sessions_user_id", table_name="portal_sessions")
    op.drop_table("portal_sessions")
    op.drop_table("portal_users")
