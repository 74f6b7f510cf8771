"""target scope: a figure for the region as a whole or for each subordinate region; the region group a target is
about; the tolerance of a "左右" target

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(length=8), nullable=False, server_default="whole"))
        batch_op.add_column(sa.Column("region_group", sa.String(length=32), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("tolerance", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_column("tolerance")
        batch_op.drop_column("region_group")
        batch_op.drop_column("scope")
