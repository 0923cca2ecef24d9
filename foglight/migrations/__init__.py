"""The database's schema history, as Alembic migrations that run on SQLite and PostgreSQL.

``Store`` brings a database it opens for writing up to the latest revision (``upgrade``), so
a ledger written by an older foglight keeps working; a read-only store only checks the
revision. A database made before migrations existed (issues 2–6 created the tables directly)
holds exactly the first revision's tables, so it is stamped with it and upgraded from there.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

FOLDER = Path(__file__).resolve().parent
FIRST_REVISION = "0001"
# Any number, as long as it is the same everywhere: PostgreSQL serialises migrations started
# by several foglight processes at once on this advisory lock.
_PG_MIGRATION_LOCK = 0x466F676C


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The latest revision this foglight knows."""
    revision = ScriptDirectory(str(FOLDER)).get_current_head()
    assert revision is not None, f"no migrations in {FOLDER}"
    return revision


def current(connection: Connection) -> str | None:
    """The revision a database is at; None for an empty or a pre-migration database."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring the database to the latest revision and return it."""
    latest = head()
    # Most opens find the schema current: a plain read says so, without the write lock that
    # would make a reader wait behind an ingest's transactions.
    with engine.connect() as conn:
        if current(conn) == latest:
            return latest
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        elif conn.dialect.name == "sqlite":
            # Python's sqlite3 opens a transaction only before INSERT, UPDATE and DELETE, so
            # each CREATE and ALTER would commit on its own: a process killed among them
            # left a partial schema without a revision, which the next run stamped as the
            # first revision and could never complete. One explicit transaction makes the
            # migration all or nothing; IMMEDIATE takes the write lock first, so that two
            # processes opening a new file migrate one after the other (busy_timeout).
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        config = _config(conn)
        if current(conn) is None and inspect(conn).has_table("articles"):
            command.stamp(config, FIRST_REVISION)
        command.upgrade(config, "head")
        revision = current(conn)
    assert revision is not None
    return revision
