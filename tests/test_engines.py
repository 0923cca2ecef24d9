"""The Dask engine gives the ledger a single process gives: same events, same ids, on SQLite
and PostgreSQL. The tests run a real ``LocalCluster`` of two worker processes."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import NewDb

from foglight.engines import DaskEngine, EngineError
from foglight.options import Options
from foglight.pipeline import _analysers, ingest
from foglight.store import Store

FOGLIGHT = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "foglight"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two worker processes, one thread each, as ``--workers 2`` starts them."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as local:
        yield local


def ledger(db: str, paths: list[Path], options: Options, engine: DaskEngine | None = None
           ) -> list[dict[str, Any]]:
    store = Store(db)
    try:
        summary = ingest(paths, options, store, engine=engine)
        assert summary.failed == 0, summary.failures
        return list(store.export_records())
    finally:
        store.close()


def test_dask_gives_the_single_process_ledger_on_both_backends(
    shared_dir: Path, cluster: Any, new_db: NewDb
) -> None:
    """The seeds (five outlets whose reports merge across articles), once in this process
    and once on the cluster: every event, id, mention and claim equal."""
    seeds = shared_dir / "seeds"
    articles = sorted(seeds.glob("*.txt"))
    options = Options(meta=seeds / "meta.jsonl")
    alone = ledger(new_db("alone"), articles, options)
    # One article a task, so that both workers take part in so few articles.
    with DaskEngine(scheduler=cluster.scheduler_address, partition_size=1) as engine:
        assert engine.workers == 2
        spread = ledger(new_db("spread"), articles, options, engine)
    assert len(alone) >= 10
    assert [r["id"] for r in spread] == [r["id"] for r in alone]
    assert spread == alone


def test_the_cluster_analyses_in_its_workers(cluster: Any, examples_dir: Path,
                                            tmp_path: Path) -> None:
    """Every task ran on a worker, and both workers got some: the work is spread."""
    from distributed import Client

    with DaskEngine(scheduler=cluster.scheduler_address, partition_size=2) as engine:
        ledger(str(tmp_path / "spread.db"), [examples_dir], Options(), engine)
    with Client(cluster.scheduler_address) as client:
        # Each worker process built its extractor and framer (cached per process) for a task.
        built = client.run(lambda: _analysers.cache_info().currsize)
    assert list(built.values()) == [1, 1], built


def test_cli_dask_workers_equals_one_process(examples_dir: Path, tmp_path: Path) -> None:
    """`foglight ingest --engine dask --workers 2` (its own local cluster) against the
    default engine: the same JSONL export."""
    exports = []
    for name, extra in [("one", []), ("dask", ["--engine", "dask", "--workers", "2"])]:
        db = tmp_path / f"{name}.db"
        result = subprocess.run(
            [str(FOGLIGHT), "ingest", str(examples_dir), "--db", str(db), "--json", *extra],
            capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        summary = json.loads(result.stdout)
        assert summary["new"] == 10 and summary["failed"] == 0
        exported = subprocess.run([str(FOGLIGHT), "export", "--db", str(db)],
                                  capture_output=True, text=True, check=True)
        exports.append(exported.stdout)
    assert exports[0] == exports[1]
    assert exports[0].count("\n") >= 5


@pytest.mark.parametrize("arguments", [
    ["--workers", "2"],
    ["--scheduler", "tcp://127.0.0.1:1"],
    ["--engine", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
    ["--engine", "dask", "--workers", "0"],
])
def test_engine_options_that_do_not_go_together(arguments: list[str], examples_dir: Path,
                                               tmp_path: Path) -> None:
    result = subprocess.run(
        [str(FOGLIGHT), "ingest", str(examples_dir), "--db", str(tmp_path / "x.db"), *arguments],
        capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "--workers" in result.stderr or "--scheduler" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    with pytest.raises(EngineError, match=r"tcp://127\.0\.0\.1:1.*scheduler's address"):
        DaskEngine(scheduler="tcp://127.0.0.1:1")
