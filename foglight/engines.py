"""Where the analysis runs: in this process (``pipeline.InProcess``) or on a Dask cluster.

``DaskEngine`` sends each batch of articles to the cluster's workers in partitions; a worker
loads the spaCy pipeline and the vocabularies once (they are cached per process) and returns
``Analysed`` records, which this process writes in input order (``pipeline.ingest_items``).
A local cluster (``--workers N``) is started and stopped with the engine; a remote one
(``--scheduler tcp://host:8786``) needs foglight and its spaCy model installed on every
worker, at the same version.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from foglight.errors import FoglightError
from foglight.ingest import IngestFailure
from foglight.models import Article
from foglight.options import Options
from foglight.pipeline import Analysed, Engine, InProcess, analyse_articles

# Articles per task: large enough that a task's overhead (~2 ms scheduling, pickling the
# texts) is noise next to parsing ~0.1 s an article, small enough that the last tasks of a
# batch leave workers idle only briefly.
PARTITION_SIZE = 8
# Partitions per worker in one batch: the writer stores the first partitions while the
# workers parse the rest, and a batch's tail (workers idle while its last partition
# finishes) is paid once per this many partitions.
PARTITIONS_PER_WORKER = 8


class EngineError(FoglightError):
    """The cluster cannot be started or reached."""


class DaskEngine:
    """Analysis on a dask.distributed cluster: a ``LocalCluster`` of ``workers`` processes,
    or the scheduler at ``scheduler``."""

    def __init__(
        self,
        workers: int | None = None,
        scheduler: str | None = None,
        partition_size: int = PARTITION_SIZE,
    ) -> None:
        self.partition_size = partition_size
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - a dependency of foglight
            raise EngineError(
                "dask.distributed is not installed: pip install 'dask[distributed]'"
            ) from exc
        self._cluster: Any = None
        try:
            if scheduler is not None:
                self.client = Client(scheduler, timeout="10s")
            else:
                self._cluster = LocalCluster(
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,  # spaCy and the extractors are CPU-bound Python
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self._cluster)
        except OSError as exc:
            self.close()
            where = scheduler or "a local cluster"
            raise EngineError(
                f"cannot start or reach the Dask cluster ({where}): {exc}. Check the "
                "scheduler's address (tcp://HOST:PORT) and that it is running."
            ) from exc
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def batch_size(self, options: Options) -> int:
        """Articles read and checked for copies before the workers are handed them."""
        return self.partition_size * PARTITIONS_PER_WORKER * self.workers

    def analyse(
        self, articles: Sequence[Article], options: Options
    ) -> Iterator[Analysed | IngestFailure]:
        """The batch's results in order, each partition's as soon as it and those before it
        are done. A partition lost with its worker is recorded as failed, article by
        article, and the run goes on."""
        partitions = [
            list(articles[start : start + self.partition_size])
            for start in range(0, len(articles), self.partition_size)
        ]
        futures = [
            self.client.submit(analyse_articles, part, options, pure=False) for part in partitions
        ]
        for part, future in zip(partitions, futures, strict=True):
            try:
                results: list[Analysed | IngestFailure] = future.result()
            except Exception as exc:
                reason = (
                    f"the Dask worker analysing it failed ({exc.__class__.__name__}: {exc}); "
                    "run the ingest again to retry it"
                )
                results = [IngestFailure(article.source, reason) for article in part]
            finally:
                future.release()
            yield from results

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()


@contextmanager
def open_engine(options: Options) -> Iterator[Engine]:
    """The engine ``options`` name: this process, or a Dask cluster, closed on leaving."""
    if options.engine != "dask":
        yield InProcess()
        return
    with DaskEngine(options.workers, options.scheduler) as engine:
        yield engine
