"""The schema's migrations on both backends: they build exactly the store's tables, a ledger
from before migrations is adopted with its rows, and a reader refuses a revision it does not
know with what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from foglight import migrations
from foglight.errors import DatabaseError
from foglight.store import EventFilter, Store, database_url, metadata, shown_url


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


def schema_at(url: str, revision: str) -> None:
    """A database at an old revision, as an older foglight left it."""
    engine = create_engine(database_url(url))
    try:
        with engine.begin() as conn:
            config = migrations._config(conn)
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def test_a_ledger_from_before_migrations_is_adopted_with_its_rows(tmp_path: Path) -> None:
    """Issues 2–6 created revision 0001's tables directly, with no alembic_version: such a
    file is stamped 0001, upgraded, and keeps its rows and its search index."""
    path = tmp_path / "old.db"
    schema_at(str(path), "0001")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE alembic_version")
        conn.execute(
            "INSERT INTO articles (id, source, published_from, extra, text, ingested_at) "
            "VALUES ('a1', 'old.md', 'none', '{}', 'An old drone report.', '2025-01-01')")
        conn.execute("INSERT INTO articles_fts VALUES ('a1', '', 'An old drone report.')")

    with pytest.raises(DatabaseError, match=r"revision none.*foglight migrate"):
        Store(str(path), read_only=True)
    store = Store(str(path))
    try:
        assert store.revision == migrations.head()
        assert store.has_article("a1")
        assert store.search(["drone"], limit=5)[0] == 1
    finally:
        store.close()
    Store(str(path), read_only=True).close()


def test_revision_0002_backfills_the_disputed_flag(db: str) -> None:
    """Events written under 0001 get ``disputed`` from their claims: two articles stating
    different death tolls disagree; a place stated differently does not count (as in
    merge.disagreements)."""
    schema_at(db, "0001")
    engine = create_engine(database_url(db))
    claim_rows = [
        ("e-toll", "m1", "a1", "killed", '{"max": 3, "min": 3}'),
        ("e-toll", "m2", "a2", "killed", '{"max": 5, "min": 5}'),
        ("e-place", "m3", "a1", "place", '"Kursk"'),
        ("e-place", "m4", "a2", "place", '"Kursk Oblast"'),
        ("e-place", "m3", "a1", "weapon", '"drone"'),
        ("e-place", "m4", "a2", "weapon", '"drone"'),
    ]
    with engine.begin() as conn:
        for article_id in ("a1", "a2"):
            conn.execute(text(
                "INSERT INTO articles (id, source, published_from, extra, text, ingested_at) "
                "VALUES (:id, :id, 'none', '{}', 'x', '2025-01-01')"), {"id": article_id})
        for event_id in ("e-toll", "e-place"):
            conn.execute(text(
                "INSERT INTO events (id, kind, date_precision, place_precision, weapon, "
                "target_type, attacker, outcome) VALUES (:id, 'attack', 'unknown', 'unknown', "
                "'drone', 'other', 'unknown', 'unknown')"), {"id": event_id})
        for event_id, mention_id, article_id, _field, _value in claim_rows:
            conn.execute(text(
                'INSERT INTO mentions (id, event_id, article_id, sentence, start, "end", place, '
                "date_precision, date_basis, place_basis, weapon, target_type, attacker, "
                "outcome, attributed_to, certainty, hedges) VALUES (:m, :e, :a, 's', 0, 1, "
                "'{}', 'unknown', 'none', 'none', 'drone', 'other', 'unknown', 'unknown', "
                "'[]', 'asserted', '[]') ON CONFLICT DO NOTHING"),
                {"m": mention_id, "e": event_id, "a": article_id})
        for event_id, mention_id, article_id, field, value in claim_rows:
            conn.execute(text(
                "INSERT INTO claims (event_id, mention_id, article_id, field, value, "
                "attributed_to, certainty) VALUES (:e, :m, :a, :f, :v, '[]', 'asserted')"),
                {"e": event_id, "m": mention_id, "a": article_id, "f": field, "v": value})
    engine.dispose()

    store = Store(db)
    try:
        with store.engine.connect() as conn:
            flags = {row.id: row.disputed
                     for row in conn.execute(text("SELECT id, disputed FROM events"))}
        assert store.count_events(EventFilter(disputed=True)) == 1
    finally:
        store.close()
    assert flags == {"e-toll": True, "e-place": False}


def test_revision_0003_keeps_old_failures_as_skipped(db: str) -> None:
    """Failures written under 0002 were all inputs that could not be used: they stay listed,
    as skipped, and ``--retry-failed`` finds them."""
    schema_at(db, "0002")
    engine = create_engine(database_url(db))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO failures (source, reason, failed_at) "
                          "VALUES ('inbox/blob.txt', 'binary file', '2026-11-30T10:00:00')"))
    engine.dispose()

    store = Store(db)
    try:
        assert store.failures() == [{"source": "inbox/blob.txt", "reason": "binary file",
                                     "failed_at": "2026-11-30T10:00:00", "outcome": "skipped"}]
        assert store.skipped_sources() == ["inbox/blob.txt"]
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
