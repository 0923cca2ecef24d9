"""Shared fixtures: where the annotated corpora and the example articles live, the spaCy
pipeline (loaded once per process by ``nlp.load``), and the databases: every test that takes
``db`` or ``new_db`` runs once on a SQLite file and once on a real PostgreSQL server that the
session starts itself (``tests/postgres.py``)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import settings
from postgres import PostgresServer
from postgres import start as start_postgres
from spacy.language import Language

from foglight import nlp

REPO = Path(__file__).resolve().parents[1]

# -- hypothesis budgets -----------------------------------------------------------------------
# `make test` runs every property under "bounded": 100 examples each keeps the property tests
# (marked fuzz: tests/test_fuzz.py and a few in test_numbers.py and test_dates.py) at 15-25 s
# together on this 2-core machine, half of it loading the gazetteer and the spaCy model, and a
# fixed seed makes CI reproducible and a failure replay as it was. `make fuzz` selects "fuzz"
# (HYPOTHESIS_PROFILE=fuzz): 200 times the examples, fresh ones each run, for hunting bugs
# rather than gating; 7-9 minutes.
settings.register_profile("bounded", max_examples=100, deadline=None, database=None,
                          derandomize=True)
settings.register_profile("fuzz", max_examples=20_000, deadline=None, database=None,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "bounded"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository (seeds, dev set, specs), or skip the test."""
    path = Path(__file__).resolve().parents[2] / "shared"
    if not path.is_dir():
        pytest.skip("../shared not found beside the repository: "
                    "the annotated corpora are not available")
    return path


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The repository's own example articles (written for foglight; safe to copy)."""
    return REPO / "examples" / "articles"


@pytest.fixture(scope="session")
def model() -> Language:
    """foglight's spaCy pipeline, as the nlp stage loads it."""
    return nlp.load()


# -- the databases ---------------------------------------------------------------------------

BACKENDS = ("sqlite", "postgresql")

# A maker of fresh databases: ``new_db("name")`` gives a path (SQLite) or a URL (PostgreSQL).
NewDb = Callable[[str], str]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session. A machine without PostgreSQL fails these tests
    (with what to install) rather than skipping them: both backends are the product."""
    server = start_postgres()
    yield server
    server.stop()


@contextmanager
def _databases(
    backend: str, folder: Path, request: pytest.FixtureRequest
) -> Iterator[NewDb]:
    made: list[str] = []
    server: PostgresServer | None = (
        request.getfixturevalue("postgres_server") if backend == "postgresql" else None
    )

    def new_db(name: str) -> str:
        if server is None:
            return str(folder / f"{name}.db")
        dbname = f"{name}_{uuid4().hex[:10]}"
        made.append(dbname)
        return server.create_database(dbname)

    try:
        yield new_db
    finally:
        if server is not None:
            for dbname in made:
                server.drop_database(dbname)


@pytest.fixture(params=BACKENDS)
def new_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NewDb]:
    """Fresh empty databases of one backend (the test runs once per backend)."""
    with _databases(request.param, tmp_path, request) as make:
        yield make


@pytest.fixture
def db(new_db: NewDb) -> str:
    """A fresh empty database: a SQLite path, or a PostgreSQL URL."""
    return new_db("ledger")


# -- the web app ----------------------------------------------------------------------------

HOSTILE_ARTICLE = REPO / "tests" / "fixtures" / "web" / "hostile.md"


@contextmanager
def shared_database(request: pytest.FixtureRequest,
                    tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[str]:
    """One database of the backend ``request.param`` for a session- or module-scoped
    fixture (parametrized with ``params=BACKENDS``): a SQLite path in a fresh folder, or a
    new PostgreSQL database with a unique name, dropped afterwards."""
    with _databases(request.param, tmp_path_factory.mktemp(name), request) as new_db:
        yield new_db(name)


@pytest.fixture(scope="session", params=BACKENDS)
def web_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           examples_dir: Path) -> Iterator[str]:
    """A real ledger (SQLite path or PostgreSQL URL) of the example articles plus one
    hostile article (markup in its title, text, outlet and a ``javascript:`` url), ingested
    by the real pipeline."""
    from click.testing import CliRunner

    from foglight.cli import main

    with shared_database(request, tmp_path_factory, "web") as db:
        result = CliRunner().invoke(
            main, ["ingest", str(examples_dir), str(HOSTILE_ARTICLE), "--db", db],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        yield db


@dataclass
class LiveServer:
    """``foglight serve``'s app under a real uvicorn server on a loopback port."""

    url: str
    server: Any
    thread: threading.Thread


@contextmanager
def serving(db: str) -> Iterator[LiveServer]:
    import uvicorn

    from foglight.web.app import create_app

    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", server, thread)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(web_db: str) -> Iterator[LiveServer]:
    with serving(web_db) as server:
        yield server


@pytest.fixture(scope="session", params=BACKENDS)
def seeds_db(request: pytest.FixtureRequest, shared_dir: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed articles ingested once, with their publication dates from meta.jsonl (a
    SQLite path or a PostgreSQL URL)."""
    from foglight.options import Options
    from foglight.pipeline import ingest
    from foglight.store import Store

    folder = shared_dir / "seeds"
    with shared_database(request, tmp_path_factory, "seeds") as db:
        store = Store(db)
        try:
            ingest([folder], Options(meta=folder / "meta.jsonl"), store)
        finally:
            store.close()
        yield db


def ledger_records(db: str) -> list[dict[str, Any]]:
    """Every event of a database in the export shape, read through a read-only store."""
    from foglight.store import Store

    store = Store(db, read_only=True)
    try:
        return list(store.export_records())
    finally:
        store.close()
