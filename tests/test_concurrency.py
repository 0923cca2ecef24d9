"""One database, several processes: ``foglight serve`` keeps answering while ``foglight
ingest`` writes to the same database (SQLite in WAL mode with busy timeouts, PostgreSQL
transactions), and two ingests write to one SQLite file at once.

Every process is the real command. Where timing decides whether the test means anything,
the test makes the overlap happen instead of hoping for it: it freezes an ingest (SIGSTOP)
inside an open write transaction, found as ``tests/test_crash.py`` finds its kill points,
and holds it there while the server is asked for every page, or until the other ingest is
seen waiting for the write lock.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from test_crash import (
    FOGLIGHT,
    POLL,
    RUN_TIMEOUT,
    AfterArticles,
    Look,
    SqliteProbe,
    assert_sound,
    freeze,
    probe_for,
    read_ledger,
    run_until,
)

from foglight.store import EventFilter, Store
from foglight.web.app import create_app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/wchan").exists(),
                       reason="watching the processes reads Linux's /proc"),
]

# Example articles in the ledger before the server starts; the ingest adds the others.
FIRST = 3
# Answers the server must give while the ingest runs, at the least, beyond those given while
# it is frozen inside a write transaction: the ingest of 7 articles runs for several seconds
# after spaCy loads and two clients answer in tens of milliseconds, so 20 is far below what a
# working server gives, and far above what a server blocked for the whole ingest would.
MIN_ANSWERS_DURING_INGEST = 20
CLIENTS = 2


def ingest(paths: list[Path], db: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(FOGLIGHT), "ingest", *map(str, paths), "--db", db, "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen[str]) -> dict[str, Any]:
    """Wait for an ingest; its JSON summary, once it has exited 0."""
    stdout, stderr = proc.communicate(timeout=RUN_TIMEOUT)
    assert proc.returncode == 0, stderr[-3000:]
    summary: dict[str, Any] = json.loads(stdout)
    return summary


def thaw(pid: int) -> None:
    os.kill(pid, signal.SIGCONT)


@contextmanager
def cleanup(*procs: subprocess.Popen[str]) -> Iterator[None]:
    """Whatever happens, no process outlives the test; a frozen one is woken to die."""
    try:
        yield
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=30)


# -- the server and its clients -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(db: str, log: Path) -> Iterator[str]:
    """``foglight serve`` on a loopback port; its base URL once it answers."""
    port = free_port()
    with log.open("w") as stderr:
        server = subprocess.Popen([str(FOGLIGHT), "serve", "--db", db, "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/events", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "foglight serve did not answer"
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@dataclass(frozen=True)
class Answer:
    client: int
    path: str
    status: int  # 0: no HTTP answer at all (``detail`` says why)
    total: int | None  # the events count an /api/events answer gave
    started: float
    ended: float
    detail: str  # the start of the body of an answer other than 200


class Clients:
    """``CLIENTS`` threads asking for every path in turn, each waiting for its answer
    before the next question, until stopped."""

    def __init__(self, base: str, paths: list[str]) -> None:
        self.base = base
        self.paths = paths
        self.answers: list[Answer] = []  # appended by the threads (list.append is atomic)
        self.done = threading.Event()
        self.threads = [threading.Thread(target=self._ask, args=(i,), daemon=True)
                        for i in range(CLIENTS)]

    def _ask(self, client: int) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as http:
            while not self.done.is_set():
                for path in self.paths:
                    started = time.monotonic()
                    try:
                        response = http.get(path)
                    except httpx.HTTPError as exc:
                        self.answers.append(Answer(client, path, 0, None, started,
                                                   time.monotonic(), repr(exc)))
                        continue
                    ok = response.status_code == 200
                    total = (response.json()["total"]
                             if ok and path == "/api/events" else None)
                    self.answers.append(Answer(client, path, response.status_code, total,
                                               started, time.monotonic(),
                                               "" if ok else response.text[:500]))

    def between(self, start: float, end: float) -> list[Answer]:
        """The answers to questions asked after ``start`` and answered before ``end``."""
        return [a for a in list(self.answers) if a.started >= start and a.ended <= end]

    def wait_for_rounds(self, since: float, rounds: int = 1) -> None:
        """Until every client has had every path answered ``rounds`` times since
        ``since``."""
        deadline = time.monotonic() + 120
        while True:
            asked = self.between(since, time.monotonic())
            if all(sum(a.client == c and a.path == p for a in asked) >= rounds
                   for c in range(CLIENTS) for p in self.paths):
                return
            assert all(t.is_alive() for t in self.threads), "a client thread died"
            assert time.monotonic() < deadline, f"the server answered only {len(asked)}"
            time.sleep(0.01)

    def __enter__(self) -> Clients:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=120)


def events_count(db: str) -> int:
    store = Store(db, read_only=True)
    try:
        return store.count_events(EventFilter())
    finally:
        store.close()


def assert_all_answered(answers: list[Answer]) -> None:
    failed = [a for a in answers if a.status != 200]
    assert not failed, failed[:5]


def assert_never_fewer_events(answers: list[Answer]) -> None:
    """An events count asked for after another one was answered is never smaller."""
    counts = [a for a in answers if a.total is not None]
    by_end = sorted(counts, key=lambda a: a.ended)
    seen = 0  # the largest count among the answers given so far
    given = 0
    for later in sorted(counts, key=lambda a: a.started):
        while given < len(by_end) and by_end[given].ended < later.started:
            seen = max(seen, by_end[given].total or 0)
            given += 1
        assert (later.total or 0) >= seen, (later, seen)


# -- serve while ingest writes ------------------------------------------------------------------


def test_serve_answers_every_page_while_an_ingest_writes(db: str, examples_dir: Path,
                                                         tmp_path: Path) -> None:
    """Clients ask for every page and API of a running ``foglight serve`` from before an
    ingest starts until after it ends, and while it is held inside a write transaction:
    every answer is a 200, the events count never goes down, and it ends at the ledger's."""
    articles = sorted(examples_dir.glob("*.md"))
    finish(ingest(articles[:FIRST], db))
    before = events_count(db)
    with serve(db, tmp_path / "serve.log") as base:
        event_id = httpx.get(f"{base}/api/events", timeout=30).json()["events"][0]["id"]
        paths = ["/api/events", f"/api/events/{event_id}", "/api/search?q=drone", "/",
                 "/outlets"]
        with Clients(base, paths) as clients:
            began = time.monotonic()
            writer = ingest(articles[FIRST:], db)
            with cleanup(writer):
                probe = probe_for(db, writer.pid)
                try:
                    # Frozen inside the transaction of its second article (stepped there
                    # from its first commit), which holds the write lock and has written
                    # rows no reader may see yet.
                    second_article = AfterArticles(FIRST, FIRST + 1, len(articles),
                                                   inside=True)
                    with ExitStack() as stack:
                        look, _ = run_until(writer, probe, second_article, stack)
                    assert look.writing
                    committed = events_count(db)
                    frozen = time.monotonic()
                    clients.wait_for_rounds(frozen)
                    while_frozen = clients.between(frozen, time.monotonic())
                    thaw(writer.pid)
                finally:
                    probe.close()
                summary = finish(writer)
                ended = time.monotonic()
                clients.wait_for_rounds(ended)
        after = events_count(db)
        final = httpx.get(f"{base}/api/events", timeout=30).json()["total"]
    answers = list(clients.answers)

    assert summary["new"] == len(articles) - FIRST and summary["failed"] == 0, summary
    assert_all_answered(answers)
    # Not one database error reached the server's log either.
    log = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in log and "locked" not in log, log[-3000:]
    assert_never_fewer_events(answers)
    # While the ingest held its transaction open, every page answered from what was
    # committed: nothing of the open transaction, nothing missing.
    assert len(while_frozen) >= CLIENTS * len(paths)
    assert {a.total for a in while_frozen if a.total is not None} == {committed}
    during = clients.between(began, ended)
    assert len(during) >= MIN_ANSWERS_DURING_INGEST + len(while_frozen), len(during)
    assert before < after == final
    assert {a.total for a in clients.between(ended, time.monotonic())
            if a.total is not None} == {after}


def test_a_page_whose_reads_straddle_an_ingest_is_answered_from_one_snapshot(
        db: str, examples_dir: Path) -> None:
    """The outlets page reads the articles, then their mentions. A whole ``foglight
    ingest`` commits between those two reads (the server's thread is held there while it
    runs): the page still answers, from the ledger as it was when the page began; the
    next request sees the new article."""
    articles = sorted(examples_dir.glob("*.md"))
    finish(ingest(articles[:FIRST], db))
    store = Store(db, read_only=True)
    try:
        mentions_before = sum(len(r["mentions"]) for r in store.export_records())
    finally:
        store.close()
    between = threading.Event()

    def commit_meanwhile(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        # The profiles' read of every mention, after their read of the articles.
        if between.is_set() or "mentions.hedges" not in statement or "WHERE" in statement:
            return
        between.set()
        finish(ingest([articles[FIRST]], db))

    with TestClient(create_app(db)) as client:
        event.listen(Engine, "before_cursor_execute", commit_meanwhile)
        try:
            straddled = client.get("/api/outlets")
        finally:
            event.remove(Engine, "before_cursor_execute", commit_meanwhile)
        assert between.is_set(), "the outlets page never read the mentions"
        assert straddled.status_code == 200, straddled.text[:3000]
        assert sum(p["articles"] for p in straddled.json()) == FIRST
        assert sum(p["mentions"] for p in straddled.json()) == mentions_before
        later = client.get("/api/outlets")
        assert later.status_code == 200
        assert sum(p["articles"] for p in later.json()) == FIRST + 1


# -- two ingests at once on SQLite --------------------------------------------------------------


def waiting_for_a_lock(pid: int) -> bool:
    """Whether the process's main thread sleeps in SQLite's busy handler (the only sleep on
    an ingest's path): it tried to write while another connection held the write lock."""
    try:
        return Path(f"/proc/{pid}/wchan").read_text().strip() in (
            "hrtimer_nanosleep", "do_nanosleep", "clock_nanosleep")
    except FileNotFoundError:
        return False


def halves(examples_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The example articles in two folders, alternately, so both share the stories that
    several outlets report."""
    folders = (tmp_path / "a", tmp_path / "b")
    for folder in folders:
        folder.mkdir()
    for i, path in enumerate(sorted(examples_dir.glob("*.md"))):
        shutil.copy(path, folders[i % 2])
    return folders


def hold_while_the_other_waits(holder: subprocess.Popen[str],
                               other: subprocess.Popen[str]) -> None:
    """``holder`` is frozen with the write lock: keep it so until ``other`` is seen waiting
    for that lock (well within its 10 s busy timeout), then let both go on."""
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        while not waiting_for_a_lock(other.pid):
            assert other.poll() is None, (
                f"the second ingest exited ({other.returncode}) instead of waiting for the "
                f"write lock: {other.communicate()[1][-3000:]}")
            assert time.monotonic() < deadline, "the second ingest never tried to write"
            time.sleep(POLL)
    finally:
        thaw(holder.pid)


@dataclass
class Writing:
    """Stop at the first look that finds the ingest inside a write transaction."""

    def freeze(self, look: Look) -> bool:
        return look.writing

    def fire(self, look: Look) -> bool:
        return look.writing

    def missed(self, look: Look) -> bool:
        return False


@dataclass
class SchemaBegun:
    """Stop inside the schema's creation: begun (a table committed or a write transaction
    open), its revision not committed."""

    def freeze(self, look: Look) -> bool:
        return look.connected

    def fire(self, look: Look) -> bool:
        return not look.versioned and (look.tables > 0 or look.writing)

    def missed(self, look: Look) -> bool:
        return look.versioned


def freeze_first_writer(db: Path, procs: tuple[subprocess.Popen[str], subprocess.Popen[str]]
                        ) -> subprocess.Popen[str]:
    """Freeze whichever ingest is first seen inside the write transaction of an article
    (one is committed already: not the short one a store may open on the schema); that
    one."""
    probes = [SqliteProbe(db, proc.pid) for proc in procs]
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        while True:
            for proc, probe in zip(procs, probes, strict=True):
                assert proc.poll() is None, (
                    "an ingest finished before either was seen writing: "
                    f"{proc.communicate()[1][-3000:]}")
                # The kernel's lock table first: a look this cheap catches a transaction
                # of a few milliseconds.
                if probe.holds_write_lock():
                    freeze(proc.pid)
                    look = probe.look()
                    if look.writing and look.articles > 0:
                        return proc
                    thaw(proc.pid)
            assert time.monotonic() < deadline, "neither ingest ever wrote an article"
            time.sleep(POLL)
    finally:
        for probe in probes:
            probe.close()


def assert_union(db: Path, folders: tuple[Path, Path],
                 summaries: list[dict[str, Any]]) -> None:
    ledger = read_ledger(str(db))
    assert_sound(ledger)
    files = sorted(str(p) for folder in folders for p in folder.glob("*.md"))
    assert sorted(r["path"] for r in ledger.tables["articles"]) == files
    # Nothing skipped; a warning stored with an article is no failure.
    assert all(r.get("outcome", "skipped") != "skipped" for r in ledger.tables["failures"])
    assert [s["new"] for s in summaries] == [len(list(f.glob("*.md"))) for f in folders]


def test_two_ingests_at_once_into_one_ledger(examples_dir: Path, tmp_path: Path) -> None:
    """Into an existing ledger: the second writer waits for the first one's transaction
    (busy timeout), and both store their articles."""
    folders = halves(examples_dir, tmp_path)
    db = tmp_path / "ledger.db"
    subprocess.run([str(FOGLIGHT), "migrate", "--db", str(db)], check=True,
                   capture_output=True, timeout=120)
    procs = (ingest([folders[0]], str(db)), ingest([folders[1]], str(db)))
    with cleanup(*procs):
        holder = freeze_first_writer(db, procs)
        hold_while_the_other_waits(holder, procs[1] if holder is procs[0] else procs[0])
        summaries = [finish(proc) for proc in procs]
    assert_union(db, folders, summaries)


def test_two_ingests_at_once_into_a_new_file(examples_dir: Path, tmp_path: Path) -> None:
    """Into a file neither has created yet: the first is frozen while it creates the
    schema; the second must wait for it (or find it whole), not build on half of it."""
    folders = halves(examples_dir, tmp_path)
    db = tmp_path / "new.db"
    first = ingest([folders[0]], str(db))
    with cleanup(first):
        probe = SqliteProbe(db, first.pid)
        try:
            with ExitStack() as stack:
                look, _ = run_until(first, probe, SchemaBegun(), stack)
        finally:
            probe.close()
        assert not look.versioned
        second = ingest([folders[1]], str(db))
        with cleanup(second):
            hold_while_the_other_waits(first, second)
            summaries = [finish(first), finish(second)]
    assert_union(db, folders, summaries)

