"""column mappings: a person's decision about an unmatched column, per source, with who confirmed it and when

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "column_mappings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("header_key", sa.String(length=255), nullable=False),
        sa.Column("header", sa.String(length=255), nullable=False),
        sa.Column("indicator_code", sa.String(length=48), nullable=False),
        sa.Column("confirmed_by", sa.String(length=64), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_column_mappings_key", "column_mappings", ["source", "header_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_column_mappings_key", table_name="column_mappings")
    op.drop_table("column_mappings")
