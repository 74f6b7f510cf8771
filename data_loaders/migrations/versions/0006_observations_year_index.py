"""observations indexed by (year, period) alone: every read of observations asks for years (the gap tables, the
diff of an upload, the newest period), none seeks a region or an indicator through the index, and the two code
columns made each index entry cost about three times an integer one (200,000 rows: 0.2–0.3 s of PostgreSQL's
server time; bench/RESULTS.md, 2026-12-01)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 06:00:00
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observations") as batch_op:
        batch_op.drop_index("ix_observations_key")
        batch_op.create_index("ix_observations_year", ["year", "period"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("observations") as batch_op:
        batch_op.drop_index("ix_observations_year")
        batch_op.create_index(
            "ix_observations_key", ["year", "period", "indicator_code", "region_code", "current"], unique=False
        )
