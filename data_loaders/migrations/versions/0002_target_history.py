"""target history: when a target was added or retired, by whom, why, and which row an edit replaced

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("retired_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("retire_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_targets_replaces_id", "targets", ["replaces_id"], ["id"])
        batch_op.create_index("ix_targets_replaces_id", ["replaces_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_index("ix_targets_replaces_id")
        batch_op.drop_constraint("fk_targets_replaces_id", type_="foreignkey")
        batch_op.drop_column("replaces_id")
        batch_op.drop_column("retire_note")
        batch_op.drop_column("retired_by")
        batch_op.drop_column("retired_at")
        batch_op.drop_column("created_at")
