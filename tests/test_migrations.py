"""The schema's migrations on both backends: they build exactly the store's tables, a ledger
from before migrations is adopted with its rows, and a reader refuses a revision it does not
know with what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from foglight import migrations
from foglight.errors import DatabaseError
from foglight.store import Store, database_url, metadata, shown_url


def test_migrations_build_exactly_the_store_tables(db: str) -> None:
    store = Store(db)
    try:
        with store.engine.connect() as conn:
            drift = compare_metadata(MigrationContext.configure(conn), metadata)
            revision = migrations.current(conn)
    finally:
        store.close()
    # The full-text index (FTS5 table, tsvector column) lives outside the metadata on purpose.
    assert [d for d in drift if "articles_fts" not in repr(d) and "search" not in repr(d)] == []
    assert revision == migrations.head() == store.revision


def test_opening_twice_migrates_once(db: str) -> None:
    Store(db).close()
    again = Store(db)
    try:
        with again.engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    finally:
        again.close()
    assert versions == [(migrations.head(),)]


def test_a_ledger_from_before_migrations_is_adopted_with_its_rows(tmp_path: Path) -> None:
    """Issues 2–6 created the tables directly (no alembic_version); such a file is stamped
    with the first revision, upgraded, and keeps its rows and its search index."""
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE VIRTUAL TABLE articles_fts "
                          "USING fts5(article_id UNINDEXED, title, text)"))
        conn.execute(text(
            "INSERT INTO articles (id, source, published_from, extra, text, ingested_at) "
            "VALUES ('a1', 'old.md', 'none', '{}', 'An old drone report.', '2025-01-01')"))
        conn.execute(text("INSERT INTO articles_fts VALUES ('a1', '', 'An old drone report.')"))
    engine.dispose()

    reader = Store(str(path), read_only=True)  # readable as it stands: it is revision 0001
    reader.close()
    store = Store(str(path))
    try:
        assert store.revision == migrations.head()
        assert store.has_article("a1")
        assert store.search(["drone"], limit=5)[0] == 1
    finally:
        store.close()


def test_a_reader_refuses_a_revision_it_does_not_know(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseError, match=r"revision 9999.*foglight migrate"):
        Store(str(path), read_only=True)


def test_a_plain_postgresql_url_is_driven_by_psycopg() -> None:
    assert database_url("postgresql://ann:secret@db.example:5432/news") == (
        "postgresql+psycopg://ann:secret@db.example:5432/news")
    assert database_url("postgres://ann@db.example/news") == (
        "postgresql+psycopg://ann@db.example/news")
    assert database_url("ledger.db").startswith("sqlite:///")
    assert "secret" not in shown_url("postgresql://ann:secret@db.example:5432/news")


def test_an_unreachable_postgresql_server_is_a_clear_error_without_the_password() -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    with pytest.raises(DatabaseError) as caught:
        Store("postgresql://ann:secret@127.0.0.1:1/news")
    message = str(caught.value)
    assert "127.0.0.1:1/news" in message
    assert "secret" not in message
