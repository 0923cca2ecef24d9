"""The ledger as issues 2-6 built it: articles, events, mentions, claims, framing, copies,
feeds, failures, and full-text search over article text (FTS5 on SQLite, a tsvector on
PostgreSQL).

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# PostgreSQL indexes at most 1 MB of lexemes per tsvector; the first 500,000 characters hold
# any news article (the longest seen is ~25 kB) and keep a huge text from failing its insert.
PG_SEARCH_CHARS = 500_000


def string(length: int | None = None) -> sa.types.TypeEngine[str]:
    """Text sorted by code point on both backends (as ``foglight.store._string``)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def create_search_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts "
            "USING fts5(article_id UNINDEXED, title, text)"
        )
    else:
        op.execute(
            "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
            f"setweight(to_tsvector('english', left(text, {PG_SEARCH_CHARS})), 'B')) STORED"
        )
        op.execute("CREATE INDEX articles_search ON articles USING gin (search)")


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", string(32), nullable=False),
        sa.Column("source", string(), nullable=False),
        sa.Column("url", string(), nullable=True),
        sa.Column("path", string(), nullable=True),
        sa.Column("title", string(), nullable=True),
        sa.Column("published", string(10), nullable=True),
        sa.Column("published_from", string(16), nullable=False),
        sa.Column("outlet", string(), nullable=True),
        sa.Column("author", string(), nullable=True),
        sa.Column("extra", string(), nullable=False),
        sa.Column("text", string(), nullable=False),
        sa.Column("ingested_at", string(32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articles_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_url"), ["url"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", string(32), nullable=False),
        sa.Column("kind", string(16), nullable=False),
        sa.Column("date", string(10), nullable=True),
        sa.Column("date_precision", string(8), nullable=False),
        sa.Column("place_name", string(), nullable=True),
        sa.Column("admin1", string(), nullable=True),
        sa.Column("country", string(2), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("place_precision", string(12), nullable=False),
        sa.Column("gazetteer_id", string(), nullable=True),
        sa.Column("weapon", string(16), nullable=False),
        sa.Column("target_type", string(16), nullable=False),
        sa.Column("attacker", string(8), nullable=False),
        sa.Column("outcome", string(20), nullable=False),
        sa.Column("killed_min", sa.Integer(), nullable=True),
        sa.Column("killed_max", sa.Integer(), nullable=True),
        sa.Column("injured_min", sa.Integer(), nullable=True),
        sa.Column("injured_max", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("events_country_date", ["country", "date"], unique=False)

    op.create_table(
        "failures",
        sa.Column("source", string(), nullable=False),
        sa.Column("reason", string(), nullable=False),
        sa.Column("failed_at", string(32), nullable=False),
        sa.PrimaryKeyConstraint("source"),
    )
    op.create_table(
        "feed_items",
        sa.Column("feed_url", string(), nullable=False),
        sa.Column("link", string(), nullable=False),
        sa.Column("title", string(), nullable=True),
        sa.Column("published", string(10), nullable=True),
        sa.Column("status", string(8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", string(), nullable=True),
        sa.Column("updated_at", string(32), nullable=False),
        sa.PrimaryKeyConstraint("feed_url", "link"),
    )
    op.create_table(
        "feeds",
        sa.Column("url", string(), nullable=False),
        sa.Column("etag", string(), nullable=True),
        sa.Column("last_modified", string(), nullable=True),
        sa.Column("last_polled", string(32), nullable=True),
        sa.Column("last_error", string(), nullable=True),
        sa.PrimaryKeyConstraint("url"),
    )
    op.create_table(
        "article_bands",
        sa.Column("article_id", string(32), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
        ),
    )
    with op.batch_alter_table("article_bands", schema=None) as batch_op:
        batch_op.create_index("article_bands_bucket", ["bucket"], unique=False)

    op.create_table(
        "article_copies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", string(32), nullable=False),
        sa.Column("source", string(), nullable=False),
        sa.Column("url", string(), nullable=True),
        sa.Column("outlet", string(), nullable=True),
        sa.Column("title", string(), nullable=True),
        sa.Column("published", string(10), nullable=True),
        sa.Column("ingested_at", string(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("article_id", "source"),
    )
    with op.batch_alter_table("article_copies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_article_copies_article_id"), ["article_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_article_copies_source"), ["source"], unique=False)

    op.create_table(
        "article_signatures",
        sa.Column("article_id", string(32), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
        ),
        sa.PrimaryKeyConstraint("article_id"),
    )
    op.create_table(
        "mentions",
        sa.Column("id", string(32), nullable=False),
        sa.Column("event_id", string(32), nullable=False),
        sa.Column("article_id", string(32), nullable=False),
        sa.Column("sentence", string(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("place", string(), nullable=False),
        sa.Column("date", string(10), nullable=True),
        sa.Column("date_precision", string(8), nullable=False),
        sa.Column("date_basis", string(12), nullable=False),
        sa.Column("place_basis", string(12), nullable=False),
        sa.Column("merge_reason", string(), nullable=True),
        sa.Column("weapon", string(16), nullable=False),
        sa.Column("target_type", string(16), nullable=False),
        sa.Column("attacker", string(8), nullable=False),
        sa.Column("outcome", string(20), nullable=False),
        sa.Column("killed", string(), nullable=True),
        sa.Column("injured", string(), nullable=True),
        sa.Column("drones", string(), nullable=True),
        sa.Column("missiles", string(), nullable=True),
        sa.Column("group_key", string(32), nullable=True),
        sa.Column("group_killed", string(), nullable=True),
        sa.Column("group_injured", string(), nullable=True),
        sa.Column("attributed_to", string(), nullable=False),
        sa.Column("certainty", string(12), nullable=False),
        sa.Column("hedges", string(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentions_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentions_event_id"), ["event_id"], unique=False)

    op.create_table(
        "opinion_signals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", string(32), nullable=False),
        sa.Column("kind", string(24), nullable=False),
        sa.Column("text", string(), nullable=False),
        sa.Column("sentence", string(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("opinion_signals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opinion_signals_article_id"), ["article_id"], unique=False
        )

    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", string(32), nullable=False),
        sa.Column("speaker", string(), nullable=False),
        sa.Column("side", string(20), nullable=False),
        sa.Column("kind", string(16), nullable=False),
        sa.Column("cue", string(), nullable=False),
        sa.Column("country", string(2), nullable=True),
        sa.Column("sentence", string(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quotes_article_id"), ["article_id"], unique=False)

    op.create_table(
        "term_uses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", string(32), nullable=False),
        sa.Column("term", string(), nullable=False),
        sa.Column("category", string(32), nullable=False),
        sa.Column("camp", string(32), nullable=False),
        sa.Column("text", string(), nullable=False),
        sa.Column("quoted", sa.Integer(), nullable=False),
        sa.Column("sentence", string(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("term_uses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_term_uses_article_id"), ["article_id"], unique=False)

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", string(32), nullable=False),
        sa.Column("mention_id", string(32), nullable=False),
        sa.Column("article_id", string(32), nullable=False),
        sa.Column("outlet", string(), nullable=True),
        sa.Column("field", string(24), nullable=False),
        sa.Column("value", string(), nullable=False),
        sa.Column("attributed_to", string(), nullable=False),
        sa.Column("certainty", string(12), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
        ),
        sa.ForeignKeyConstraint(
            ["mention_id"],
            ["mentions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_event_id"), ["event_id"], unique=False)
    create_search_index()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_event_id"))

    op.drop_table("claims")
    with op.batch_alter_table("term_uses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_term_uses_article_id"))

    op.drop_table("term_uses")
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quotes_article_id"))

    op.drop_table("quotes")
    with op.batch_alter_table("opinion_signals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opinion_signals_article_id"))

    op.drop_table("opinion_signals")
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentions_event_id"))
        batch_op.drop_index(batch_op.f("ix_mentions_article_id"))

    op.drop_table("mentions")
    op.drop_table("article_signatures")
    with op.batch_alter_table("article_copies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_copies_source"))
        batch_op.drop_index(batch_op.f("ix_article_copies_article_id"))

    op.drop_table("article_copies")
    with op.batch_alter_table("article_bands", schema=None) as batch_op:
        batch_op.drop_index("article_bands_bucket")

    op.drop_table("article_bands")
    op.drop_table("feeds")
    op.drop_table("feed_items")
    op.drop_table("failures")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("events_country_date")

    op.drop_table("events")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_url"))
        batch_op.drop_index(batch_op.f("ix_articles_source"))

    op.drop_table("articles")
