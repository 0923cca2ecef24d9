"""``foglight ingest`` killed with SIGKILL at any point, then run again, ends with exactly the
ledger of an uninterrupted run: the same articles, mentions, events, claims, framing,
signatures, warnings and search index, nothing half-written and nothing orphaned, on SQLite
and on PostgreSQL.

Every case runs the real command as a subprocess and kills it at a chosen point, found by
reading the database from the test's own connection. A batch of articles is analysed first
and then written one article after another a few milliseconds apart, faster than polling
can follow; so near a kill point the test freezes the ingest (SIGSTOP) and lets it run in
slivers of 50 microseconds (SIGCONT then SIGSTOP), reading the database while the process
stands still. A SIGKILL sent to the frozen process is a kill -9 at exactly the instant the
test looked at. What was committed is read again once the process is dead, since a
PostgreSQL server may still complete a COMMIT it had received.

Linux only: the process state comes from /proc/PID/stat and SQLite's WAL write lock from
/proc/locks; while stepping, the test and the ingest run on different CPUs and the test
asks for real-time scheduling (granted to root), so that no other process can stretch a
sliver into a whole time slice.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import psycopg
import pytest
from conftest import BACKENDS, NewDb, _databases, ledger_records, shared_database
from sqlalchemy import Integer, Table, create_engine, select, text
from sqlalchemy.engine import Connection, Engine

from foglight.store import database_url, metadata

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"),
                       reason="freezing and watching the ingest reads Linux's /proc"),
]

FOGLIGHT = Path(sys.executable).with_name("foglight")
# Seconds one ingest of the example articles may take before the test gives up on it (about
# 10 s on an idle machine, mostly loading spaCy).
RUN_TIMEOUT = 300.0
# Seconds between looks while the ingest runs freely: the window a free-running look must
# hit (schema written, no article yet) lasts seconds; the narrow ones are stepped through.
POLL = 0.001
# How long the frozen ingest runs between two looks, in seconds.
SLIVER = 0.00005
# SQLite's WAL write lock: byte 120 of the -shm file, held from a transaction's first write
# to its commit (sqlite3 os_unix.c: UNIX_SHM_BASE + WAL_WRITE_LOCK).
WAL_WRITE_LOCK_BYTE = 120
# Columns that differ between two runs by design: when a row was written.
TIMESTAMPS = frozenset({"ingested_at", "failed_at", "updated_at", "last_polled"})
LEDGER_TABLES = frozenset(metadata.tables)


# -- watching the database from outside the ingest --------------------------------------------


@dataclass(frozen=True)
class Look:
    """The database as the test sees it, from its own connection."""

    connected: bool  # the ingest has opened the database
    tables: int  # foglight's tables committed so far
    versioned: bool  # the schema's revision is committed: the migrations are done
    articles: int  # articles committed
    writing: bool  # the ingest holds an open write transaction


class Probe(Protocol):
    def look(self) -> Look: ...

    def settle(self) -> None:
        """After the kill: wait until the database has let the dead session go."""

    def close(self) -> None: ...


class SqliteProbe:
    """Reads through a ``mode=ro`` connection, which takes no lock an ingest waits for and
    never checkpoints; whether the ingest is inside a write transaction comes from the
    kernel's table of file locks, without touching the database."""

    def __init__(self, path: Path, pid: int) -> None:
        self.path = path
        self.shm = path.with_name(path.name + "-shm")
        self.pid = pid
        self.conn: sqlite3.Connection | None = None

    def look(self) -> Look:
        if not self.path.exists():
            return Look(False, 0, False, 0, False)
        writing = self.holds_write_lock()
        try:
            if self.conn is None:
                self.conn = sqlite3.connect(f"file:{quote(str(self.path))}?mode=ro", uri=True,
                                            timeout=0)
            # fetchall: a statement left unfinished would keep its read snapshot open and
            # every later look would see the past.
            names = {row[0] for row in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
            versioned = "alembic_version" in names and bool(
                self.conn.execute("SELECT count(*) FROM alembic_version").fetchall()[0][0])
            articles = (self.conn.execute("SELECT count(*) FROM articles").fetchall()[0][0]
                        if "articles" in names else 0)
        except sqlite3.Error:
            # The ingest holds the new file exclusively while it switches it to WAL.
            self.close()
            return Look(True, 0, False, 0, writing)
        return Look(True, len(names & LEDGER_TABLES), versioned, articles, writing)

    def holds_write_lock(self) -> bool:
        try:
            inode = str(self.shm.stat().st_ino)
        except FileNotFoundError:
            return False
        for line in Path("/proc/locks").read_text().splitlines():
            # "7: POSIX  ADVISORY  WRITE 4242 fe:00:2154494 120 120"; a waiter's line has
            # a "->" after the number.
            fields = [f for f in line.split() if f != "->"]
            if (len(fields) >= 8 and fields[1] == "POSIX" and fields[3] == "WRITE"
                    and fields[4] == str(self.pid) and fields[5].rsplit(":", 1)[-1] == inode
                    and fields[6] == str(WAL_WRITE_LOCK_BYTE)):
                return True
        return False

    def settle(self) -> None:
        pass

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class PostgresProbe:
    """Reads committed rows, and the ingest's session from ``pg_stat_activity``: a session
    with a transaction id has written in a transaction it has not ended."""

    SESSIONS = ("SELECT count(*), count(*) FILTER (WHERE backend_xid IS NOT NULL) "
                "FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url, autocommit=True)

    def look(self) -> Look:
        sessions = self.conn.execute(self.SESSIONS).fetchone()
        assert sessions is not None
        tables = self.conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        names = {row[0] for row in tables}
        versioned = "alembic_version" in names and bool(self._count("alembic_version"))
        articles = self._count("articles") if "articles" in names else 0
        return Look(sessions[0] > 0, len(names & LEDGER_TABLES), versioned, articles,
                    sessions[1] > 0)

    def _count(self, table: str) -> int:
        row = self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert row is not None
        return int(row[0])

    def settle(self) -> None:
        # The server ends a session when its client's socket closes; until then its
        # transaction (and a COMMIT it may have received) is still in flight.
        deadline = time.monotonic() + 30
        while True:
            sessions = self.conn.execute(self.SESSIONS).fetchone()
            assert sessions is not None
            if sessions[0] == 0:
                return
            assert time.monotonic() < deadline, "the killed ingest's session stays open"
            time.sleep(0.02)

    def close(self) -> None:
        self.conn.close()


def probe_for(db: str, pid: int) -> Probe:
    return PostgresProbe(db) if "://" in db else SqliteProbe(Path(db), pid)


# -- freezing, stepping and killing the ingest --------------------------------------------------


def _stopped(pid: int) -> bool:
    """Whether the process's main thread, the one that writes, is stopped (or gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return True
    return state in ("T", "t", "Z", "X")


def freeze(pid: int) -> None:
    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + 10
    # kill() returns before the process has stopped; a look taken before then could miss
    # a commit made in that instant.
    while not _stopped(pid):
        assert time.monotonic() < deadline, "the ingest did not stop on SIGSTOP"
        os.sched_yield()  # the process needs a CPU to stop


def step(pid: int) -> None:
    """Let the frozen process run for a sliver of time, ``SLIVER`` seconds: a fraction of
    an article's transaction, which takes milliseconds."""
    os.kill(pid, signal.SIGCONT)
    until = time.perf_counter() + SLIVER
    while time.perf_counter() < until:
        pass
    freeze(pid)


class Trigger(Protocol):
    """Where one run is killed: ``freeze`` says when to stop running freely and start
    stepping, ``fire`` when to kill (asked only of a frozen process), ``missed`` that the
    point can no longer be reached in this run."""

    def freeze(self, look: Look) -> bool: ...

    def fire(self, look: Look) -> bool: ...

    def missed(self, look: Look) -> bool: ...


@dataclass
class FirstTables:
    """At the first look that shows any of foglight's tables. A schema created statement by
    statement is then partly there without its revision, where a kill leaves it; a schema
    created in one transaction appears whole, with its revision."""

    def freeze(self, look: Look) -> bool:
        return look.connected

    def fire(self, look: Look) -> bool:
        return look.tables > 0

    def missed(self, look: Look) -> bool:
        return look.articles > 0


@dataclass
class InsideMigration:
    """Inside the schema's migration: the ``nth`` look that finds the ingest writing before
    the revision is committed."""

    nth: int = 5
    seen: int = 0

    def freeze(self, look: Look) -> bool:
        return look.connected

    def fire(self, look: Look) -> bool:
        self.seen += look.writing and not look.versioned
        return self.seen >= self.nth

    def missed(self, look: Look) -> bool:
        return look.versioned


@dataclass
class BeforeAnyArticle:
    """The schema in place, spaCy loading, no article committed."""

    def freeze(self, look: Look) -> bool:
        return look.versioned

    def fire(self, look: Look) -> bool:
        return look.versioned and look.articles == 0

    def missed(self, look: Look) -> bool:
        return look.articles > 0


@dataclass
class AfterArticles:
    """Once ``target`` articles are committed, before the next commit; when ``inside``,
    inside the next article's open transaction. The ingest runs freely until the article
    before the target is committed, then in slivers."""

    start: int  # articles stored before this run
    target: int
    total: int
    inside: bool = False

    def freeze(self, look: Look) -> bool:
        return look.articles > self.start and look.articles >= self.target - 1

    def fire(self, look: Look) -> bool:
        return look.articles >= self.target and (look.writing or not self.inside)

    def missed(self, look: Look) -> bool:
        return look.articles >= self.total


@dataclass
class InsideTransaction:
    """At the ``nth`` look that finds the ingest inside a write transaction, once it has
    committed an article in this run."""

    start: int
    total: int
    nth: int
    seen: int = 0

    def freeze(self, look: Look) -> bool:
        return look.articles > self.start

    def fire(self, look: Look) -> bool:
        self.seen += look.writing
        return look.writing and self.seen >= self.nth

    def missed(self, look: Look) -> bool:
        return look.articles >= self.total


class Missed(Exception):
    """The run passed its kill point before the test could stop it there."""


@dataclass(frozen=True)
class Kill:
    at: Look  # the database as seen at the instant of the kill
    committed: int  # articles committed, read after the process died
    steps: int  # slivers the ingest was let run while frozen


def ingest_command(paths: list[Path], db: str, *extra: str) -> list[str]:
    return [str(FOGLIGHT), "ingest", *map(str, paths), "--db", db, "--json", *extra]


@contextmanager
def stepping(pid: int) -> Iterator[None]:
    """While the ingest is stepped: it on one CPU, this process on another, and this process
    ahead of every ordinary one (real-time FIFO scheduling, where allowed). Otherwise the
    ingest woken by SIGCONT, or any busy process, could preempt this one between SIGCONT and
    SIGSTOP and leave the ingest running for a whole time slice: several articles."""
    mine = os.sched_getaffinity(0)
    policy, priority = os.sched_getscheduler(0), os.sched_getparam(0)
    if len(mine) >= 2:
        first, second, *_ = sorted(mine)
        with suppress(ProcessLookupError):  # it may have exited as it was frozen
            os.sched_setaffinity(pid, {second})
        os.sched_setaffinity(0, {first})
    with suppress(PermissionError):
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
    try:
        yield
    finally:
        os.sched_setscheduler(0, policy, priority)
        os.sched_setaffinity(0, mine)


def run_and_kill(command: list[str], db: str, trigger: Trigger) -> Kill:
    """Start the ingest and SIGKILL it where ``trigger`` says; raise ``Missed`` (having
    killed it anyway) when it got past that point first."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    probe = probe_for(db, proc.pid)
    try:
        with ExitStack() as stack:
            look, steps = run_until(proc, probe, trigger, stack)
            proc.kill()
            proc.wait(timeout=30)
        probe.settle()
        return Kill(look, probe.look().articles, steps)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
            probe.settle()
        probe.close()


def run_until(proc: subprocess.Popen[Any], probe: Probe, trigger: Trigger,
              stack: ExitStack) -> tuple[Look, int]:
    """Watch the process until ``trigger`` fires and leave it frozen there: the look it
    fired on, and how many slivers it was stepped. Stepping's set-up is undone when
    ``stack`` closes."""
    frozen = False
    steps = 0
    deadline = time.monotonic() + RUN_TIMEOUT
    while True:
        if proc.poll() is not None:
            raise Missed(f"the ingest exited ({proc.returncode}) before its point")
        assert time.monotonic() < deadline, "the ingest never reached its point"
        look = probe.look()
        if not frozen and trigger.freeze(look):
            freeze(proc.pid)
            stack.enter_context(stepping(proc.pid))
            frozen = True
            continue  # decide on a look at the frozen process
        if frozen and trigger.missed(look):
            raise Missed(f"past the point at {look}")
        if frozen and trigger.fire(look):
            return look, steps
        if frozen:
            step(proc.pid)
            steps += 1
        else:
            time.sleep(POLL)


def run_to_completion(command: list[str]) -> dict[str, Any]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT,
                            check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


# -- reading a whole ledger ---------------------------------------------------------------------


def read_engine(db: str) -> Engine:
    """The database opened so that reading it changes nothing (a SQLite ``mode=ro``
    connection never recovers or checkpoints the WAL a killed ingest left)."""
    url = database_url(db)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///")).resolve()
        return create_engine(f"sqlite:///file:{quote(str(path))}?mode=ro&uri=true")
    return create_engine(url, connect_args={"options": "-c default_transaction_read_only=on"})


def _table_rows(conn: Connection, table: Table) -> list[dict[str, Any]]:
    """Every row but its timestamps. A surrogate integer id is left out too (a PostgreSQL
    sequence skips the values of rolled-back inserts) but still orders the rows, since
    claims are read back in id order; a table without a key is sorted by every column."""
    key = list(table.primary_key.columns)
    surrogate = len(key) == 1 and isinstance(key[0].type, Integer)
    columns = [c for c in table.c if c.name not in TIMESTAMPS and not (surrogate and c in key)]
    query = select(*columns).order_by(*(key or columns))
    return [dict(row) for row in conn.execute(query).mappings()]


def _search_rows(conn: Connection) -> list[tuple[Any, ...]]:
    if conn.dialect.name == "sqlite":
        query = "SELECT article_id, title, text FROM articles_fts ORDER BY article_id"
    else:
        query = "SELECT id, search::text FROM articles ORDER BY id"
    return [tuple(row) for row in conn.execute(text(query))]


# Rows that would have lost what they belong to: each query counts them.
ORPHANS = {
    "mentions without their event":
        "SELECT count(*) FROM mentions m WHERE NOT EXISTS "
        "(SELECT 1 FROM events e WHERE e.id = m.event_id)",
    "mentions without their article":
        "SELECT count(*) FROM mentions m WHERE NOT EXISTS "
        "(SELECT 1 FROM articles a WHERE a.id = m.article_id)",
    "events without a mention":
        "SELECT count(*) FROM events e WHERE NOT EXISTS "
        "(SELECT 1 FROM mentions m WHERE m.event_id = e.id)",
    "claims without their mention":
        "SELECT count(*) FROM claims c WHERE NOT EXISTS "
        "(SELECT 1 FROM mentions m WHERE m.id = c.mention_id AND m.event_id = c.event_id "
        "AND m.article_id = c.article_id)",
    "articles without their signature":
        "SELECT count(*) FROM articles a WHERE NOT EXISTS "
        "(SELECT 1 FROM article_signatures s WHERE s.article_id = a.id)",
    "articles without their hash bands":
        "SELECT count(*) FROM articles a WHERE NOT EXISTS "
        "(SELECT 1 FROM article_bands b WHERE b.article_id = a.id)",
    **{
        f"{table} rows without their article":
            f"SELECT count(*) FROM {table} t WHERE NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.id = t.article_id)"
        for table in ("quotes", "term_uses", "opinion_signals", "article_signatures",
                      "article_bands", "article_copies")
    },
}
SQLITE_ORPHANS = {
    "search rows without their article":
        "SELECT count(*) FROM articles_fts f WHERE NOT EXISTS "
        "(SELECT 1 FROM articles a WHERE a.id = f.article_id)",
    "articles missing from search":
        "SELECT count(*) FROM articles a WHERE NOT EXISTS "
        "(SELECT 1 FROM articles_fts f WHERE f.article_id = a.id)",
}


@dataclass
class Ledger:
    tables: dict[str, list[dict[str, Any]]]
    search: list[tuple[Any, ...]]
    orphans: dict[str, int]
    # SQLite's own checks (integrity_check, foreign_key_check); empty on PostgreSQL.
    sqlite_problems: list[str] = field(default_factory=list)

    def of_articles(self, ids: set[str]) -> dict[str, list[dict[str, Any]]]:
        """The rows that belong to these articles, in every table keyed by article, and
        the warnings recorded with them (``failures`` rows of their sources)."""
        stored = [r for r in self.tables["articles"] if r["id"] in ids]
        sources = {r["source"] for r in stored} | {r["path"] for r in stored if r["path"]}
        out = {"articles": stored,
               "failures": [r for r in self.tables["failures"] if r["source"] in sources]}
        for name, rows in self.tables.items():
            if "article_id" in metadata.tables[name].c:
                out[name] = [r for r in rows if r["article_id"] in ids]
        return out


def read_ledger(db: str) -> Ledger:
    engine = read_engine(db)
    try:
        with engine.connect() as conn:
            tables = {t.name: _table_rows(conn, t) for t in metadata.sorted_tables}
            search = _search_rows(conn)
            checks = ORPHANS | (SQLITE_ORPHANS if conn.dialect.name == "sqlite" else {})
            orphans = {name: int(conn.execute(text(sql)).scalar() or 0)
                       for name, sql in checks.items()}
            problems: list[str] = []
            if conn.dialect.name == "sqlite":
                integrity = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
                if integrity != ["ok"]:
                    problems += integrity
                problems += [str(tuple(r)) for r in conn.execute(text("PRAGMA foreign_key_check"))]
    finally:
        engine.dispose()
    return Ledger(tables, search, orphans, problems)


def sqlite_search_index_checks(db: str) -> None:
    """FTS5's own integrity check (a write statement in form, so on a writable connection,
    once every ingest is done) and its rows against the articles."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        indexed = conn.execute(
            "SELECT article_id, title, text FROM articles_fts ORDER BY article_id").fetchall()
        stored = conn.execute(
            "SELECT id, coalesce(title, ''), text FROM articles ORDER BY id").fetchall()
    finally:
        conn.close()
    assert indexed == stored


def _diff(name: str, got: list[Any], want: list[Any]) -> str:
    have, need = Counter(map(repr, got)), Counter(map(repr, want))
    extra, missing = list((have - need).elements()), list((need - have).elements())
    order = " (the same rows in another order)" if not extra and not missing else ""
    return (f"{name}: {len(got)} rows, the clean run has {len(want)}{order}; "
            f"only here: {extra[:3]}; only in the clean run: {missing[:3]}")


def assert_same_rows(got: dict[str, list[Any]], want: dict[str, list[Any]]) -> None:
    differing = [_diff(name, got[name], want[name]) for name in want if got[name] != want[name]]
    assert not differing, "\n".join(differing)


def assert_sound(ledger: Ledger) -> None:
    orphans = {name: n for name, n in ledger.orphans.items() if n}
    assert not orphans, orphans
    assert not ledger.sqlite_problems, ledger.sqlite_problems


# -- the reference run and fresh databases ------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    backend: str
    paths: list[Path]
    extra: tuple[str, ...]
    ledger: Ledger
    export: list[dict[str, Any]]

    @property
    def total(self) -> int:
        return len(self.ledger.tables["articles"])


def clean_run(db: str, paths: list[Path], *extra: str) -> tuple[Ledger, list[dict[str, Any]]]:
    summary = run_to_completion(ingest_command(paths, db, *extra))
    assert summary["failed"] == 0 and summary["new"] > 0, summary
    ledger = read_ledger(db)
    assert_sound(ledger)
    return ledger, ledger_records(db)


@pytest.fixture(scope="module", params=BACKENDS)
def reference(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
              examples_dir: Path) -> Iterator[Reference]:
    """One uninterrupted ingest of the example articles per backend."""
    with shared_database(request, tmp_path_factory, "clean") as db:
        ledger, export = clean_run(db, [examples_dir])
        assert len(ledger.tables["articles"]) == 10 and len(ledger.tables["events"]) >= 5
        yield Reference(request.param, [examples_dir], (), ledger, export)


@pytest.fixture
def fresh(reference: Reference, request: pytest.FixtureRequest,
          tmp_path: Path) -> Iterator[NewDb]:
    """Empty databases of the reference's backend."""
    with _databases(reference.backend, tmp_path, request) as make:
        yield make


# -- the checks around a kill -------------------------------------------------------------------


def check_killed_state(db: str, reference: Reference, kill: Kill) -> None:
    """What a kill leaves: whole articles only, each exactly as the clean run stored it (a
    stored mention never changes), and nothing orphaned."""
    if not kill.at.versioned and kill.committed == 0:
        return  # the schema itself is unfinished: nothing to read yet
    ledger = read_ledger(db)
    assert_sound(ledger)
    ids = {r["id"] for r in ledger.tables["articles"]}
    assert len(ids) == kill.committed
    assert ids <= {r["id"] for r in reference.ledger.tables["articles"]}
    assert_same_rows(ledger.of_articles(ids), reference.ledger.of_articles(ids))
    assert len(ledger.tables["failures"]) == len(ledger.of_articles(ids)["failures"])


def rerun_and_compare(db: str, reference: Reference, committed: int) -> None:
    """The same ingest again, to the end: it stores what the kill left out, and the ledger
    is the clean run's, row for row."""
    summary = run_to_completion(ingest_command(reference.paths, db, *reference.extra))
    assert (summary["new"], summary["unchanged"], summary["failed"]) == (
        reference.total - committed, committed, 0), summary
    ledger = read_ledger(db)
    assert_sound(ledger)
    assert_same_rows(ledger.tables, reference.ledger.tables)
    assert ledger.search == reference.ledger.search, "the search index differs"
    assert ledger_records(db) == reference.export
    if reference.backend == "sqlite":
        sqlite_search_index_checks(db)


def kill_with_retries(make: NewDb, reference: Reference, trigger: Callable[[], Trigger]
                      ) -> tuple[str, Kill, list[str]]:
    """A fresh database killed at ``trigger``'s point. A run that slips past the point
    between two looks (a machine busy elsewhere) is tried again on another database; the
    point is never moved."""
    misses: list[str] = []
    for attempt in range(3):
        db = make(f"killed{attempt}")
        try:
            kill = run_and_kill(ingest_command(reference.paths, db, *reference.extra), db,
                                trigger())
        except Missed as exc:
            misses.append(str(exc))
            continue
        return db, kill, misses
    pytest.fail(f"the kill point was missed three times: {misses}")


# -- the cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KillPoint:
    name: str
    trigger: Callable[[Reference], Trigger]
    committed: Callable[[int, int], bool]  # (committed at the kill, total) is as intended
    postgresql: bool = True  # also on PostgreSQL (each case costs two ingests)


KILL_POINTS = [
    # PostgreSQL runs DDL in transactions: its tables never show before their revision.
    KillPoint("first-tables-of-the-schema", lambda ref: FirstTables(),
              lambda committed, total: committed == 0, postgresql=False),
    KillPoint("inside-the-schema-migration", lambda ref: InsideMigration(),
              lambda committed, total: committed == 0),
    KillPoint("before-any-article", lambda ref: BeforeAnyArticle(),
              lambda committed, total: committed == 0),
    KillPoint("after-the-first-article", lambda ref: AfterArticles(0, 1, ref.total),
              lambda committed, total: 0 < committed < total, postgresql=False),
    KillPoint("half-way-inside-the-next-article",
              lambda ref: AfterArticles(0, ref.total // 2, ref.total, inside=True),
              lambda committed, total: total // 2 <= committed < total),
    KillPoint("inside-the-last-article",
              lambda ref: AfterArticles(0, ref.total - 1, ref.total, inside=True),
              lambda committed, total: committed == total - 1, postgresql=False),
]


# Every point on SQLite; on PostgreSQL those marked for it (each case costs two ingests).
KILL_CASES = [(backend, point) for backend in BACKENDS for point in KILL_POINTS
              if backend == "sqlite" or point.postgresql]


@pytest.mark.parametrize(("reference", "point"), KILL_CASES, indirect=["reference"],
                         ids=[f"{backend}-{point.name}" for backend, point in KILL_CASES])
def test_killed_ingest_run_again_gives_the_clean_ledger(
    point: KillPoint, reference: Reference, fresh: NewDb,
    record_property: Callable[[str, Any], None],
) -> None:
    db, kill, misses = kill_with_retries(fresh, reference, lambda: point.trigger(reference))
    record_property("kill", f"{kill}, after {len(misses)} missed attempts")
    assert point.committed(kill.committed, reference.total), kill
    check_killed_state(db, reference, kill)
    rerun_and_compare(db, reference, kill.committed)


def test_repeated_kills_inside_write_transactions(
    reference: Reference, fresh: NewDb, record_property: Callable[[str, Any], None]
) -> None:
    """Run after run killed on the same database, each inside an open write transaction at
    a look drawn from a seeded generator, then one run to the end."""
    rng = random.Random(20261205)
    db = fresh("repeated")
    kills: list[Kill] = []
    committed = 0
    for _ in range(3 if reference.backend == "sqlite" else 2):
        trigger = InsideTransaction(committed, reference.total, nth=rng.randint(1, 40))
        try:
            kill = run_and_kill(ingest_command(reference.paths, db), db, trigger)
        except Missed:
            # The run wrote its last article before the drawn look: killed anyway.
            committed = len(read_ledger(db).tables["articles"])
            break
        assert kill.at.writing and committed < kill.committed < reference.total, kill
        check_killed_state(db, reference, kill)
        kills.append(kill)
        committed = kill.committed
    record_property("kills", repr(kills))
    assert len(kills) >= 2, kills
    rerun_and_compare(db, reference, committed)


def test_seeds_killed_half_way(shared_dir: Path, tmp_path: Path) -> None:
    """The seed articles (five outlets whose reports merge across articles, dates from
    meta.jsonl) on SQLite: killed half-way, run again, the clean ledger."""
    seeds = shared_dir / "seeds"
    articles = sorted(seeds.glob("*.txt"))
    extra = ("--meta", str(seeds / "meta.jsonl"))
    ledger, export = clean_run(str(tmp_path / "clean.db"), articles, *extra)
    reference = Reference("sqlite", articles, extra, ledger, export)
    assert reference.total == len(articles)

    def make(name: str) -> str:
        return str(tmp_path / f"{name}.db")

    db, kill, _ = kill_with_retries(
        make, reference,
        lambda: AfterArticles(0, reference.total // 2, reference.total, inside=True))
    assert 0 < kill.committed < reference.total, kill
    check_killed_state(db, reference, kill)
    rerun_and_compare(db, reference, kill.committed)
