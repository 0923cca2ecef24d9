"""failures.outcome: "skipped" for an input that could not be used, "stored" for one that
was stored after a repair or a guess (an encoding guessed, a truncated page, a date that is
no date, look-alike letters), so that ``foglight failures`` lists both and
``foglight ingest --retry-failed`` retries only the skipped.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every row written before this revision is an input that was skipped.
    op.add_column(
        "failures",
        sa.Column(
            "outcome",
            # Sorted by code point on both backends, as foglight.store._string.
            sa.String(16).with_variant(sa.String(16, collation="C"), "postgresql"),
            server_default="skipped",
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.execute("DELETE FROM failures WHERE outcome = 'stored'")
    with op.batch_alter_table("failures") as batch_op:
        batch_op.drop_column("outcome")
