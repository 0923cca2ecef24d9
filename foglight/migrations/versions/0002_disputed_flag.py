"""events.disputed: whether an event's sources disagree, stored instead of computed by every
query (a GROUP BY over the claims of each event cost ~100 ms a query at 10k events).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# As merge.disagreements in this revision: a field stated with two different values (claim
# values are canonical JSON), except the fields it does not compare.
BACKFILL = """
UPDATE events SET disputed = EXISTS (
    SELECT claims.field FROM claims
    WHERE claims.event_id = events.id
      AND claims.field NOT IN ('place', 'group_killed', 'group_injured')
    GROUP BY claims.field
    HAVING count(DISTINCT claims.value) > 1
)
"""


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, which SQLite runs in place: a batch operation would
    # rebuild the events table, which the mentions' foreign keys forbid.
    op.add_column(
        "events", sa.Column("disputed", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.create_index("events_disputed_date", "events", ["disputed", "date"], unique=False)
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_index("events_disputed_date")
        batch_op.drop_column("disputed")
