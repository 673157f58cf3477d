"""Batches: each submitted batch, its documents and each stage's outcome per document (issue 7).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table("batches",
                    sa.Column("id", sa.String(length=128), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("manifest", sa.Text(), nullable=True),
                    sa.PrimaryKeyConstraint("id"))
    op.create_table("batch_documents",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("batch_id", sa.String(length=128), nullable=False),
                    sa.Column("path", sa.Text(), nullable=False),
                    sa.Column("sha256", sa.String(length=64), nullable=True),
                    sa.Column("status", sa.String(length=16), nullable=False),
                    sa.Column("reason", sa.Text(), nullable=True),
                    sa.Column("provenance", sa.JSON(), nullable=True),
                    sa.ForeignKeyConstraint(["batch_id"], ["batches.id"]),
                    sa.PrimaryKeyConstraint("id"),
                    sa.UniqueConstraint("batch_id", "path"))
    op.create_index("ix_batch_documents_sha256", "batch_documents", ["sha256"])
    op.create_table("stage_runs",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("batch_id", sa.String(length=128), nullable=False),
                    sa.Column("sha256", sa.String(length=64), nullable=False),
                    sa.Column("stage", sa.String(length=16), nullable=False),
                    sa.Column("status", sa.String(length=16), nullable=False),
                    sa.Column("counts", sa.JSON(), nullable=True),
                    sa.Column("error", sa.Text(), nullable=True),
                    sa.Column("attempts", sa.Integer(), nullable=False),
                    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
                    sa.ForeignKeyConstraint(["batch_id"], ["batches.id"]),
                    sa.PrimaryKeyConstraint("id"),
                    sa.UniqueConstraint("batch_id", "sha256", "stage"))


def downgrade() -> None:
    op.drop_table("stage_runs")
    op.drop_index("ix_batch_documents_sha256", table_name="batch_documents")
    op.drop_table("batch_documents")
    op.drop_table("batches")
