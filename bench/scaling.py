"""Scaling: the same corpus ingested in this process and on Dask clusters of 1, 2, … workers.

    python bench/scaling.py [--json] [--articles N] [--workers 1 2] [--corpus DIR]

The corpus is bench/throughput.py's: N articles repeating the texts of ``../shared`` (seeds
and dev, read at run time, never copied into the repository), or of ``--corpus DIR``, or of
``examples/articles``, each copy made distinct. Every article is analysed
(``fold_copies=False``).

For each run the ledger goes to a fresh SQLite file. Start-up is reported apart from the
ingest: loading the spaCy pipeline in this process, and for a cluster its start plus every
worker loading the pipeline and the vocabularies (``Client.run``), so that the ingest times
compare the steady state. ``speedup`` is the 1-worker cluster's ingest time over each
cluster's; ``vs_in_process`` is the in-process time over the cluster's. All runs' exports are
compared: ``same_ledger`` says whether every run stored the same events with the same ids.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from throughput import build_corpus, source_files

from foglight import nlp, places
from foglight.engines import DaskEngine
from foglight.options import Options
from foglight.pipeline import Engine, _analysers, ingest
from foglight.store import Store


def _warm_worker() -> None:
    """What a worker loads once: the spaCy pipeline, the gazetteer, extractor and framer."""
    nlp.load()
    places.gazetteer()
    _analysers()


def _run(folder: Path, db: Path, options: Options, engine: Engine | None) -> dict[str, Any]:
    store = Store(str(db))
    try:
        started = time.perf_counter()
        summary = ingest([folder], options, store, engine=engine)
        seconds = time.perf_counter() - started
        ledger = json.dumps(list(store.export_records()), sort_keys=True)
    finally:
        store.close()
    return {
        "seconds": round(seconds, 2),
        "articles_per_s": round(summary.new / seconds, 2),
        "stored": summary.new,
        "failed": summary.failed,
        "events": summary.events,
        "ledger_sha256": hashlib.sha256(ledger.encode()).hexdigest()[:16],
    }


def measure(n_articles: int, worker_counts: Sequence[int], corpus: Path | None) -> dict[str, Any]:
    files, described = source_files(corpus)
    if not files:
        raise SystemExit(f"no .txt/.md articles found in {described}")
    options = Options(fold_copies=False)
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="foglight-scaling-") as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        build_corpus(files, n_articles, folder)

        started = time.perf_counter()
        _warm_worker()
        loaded = time.perf_counter() - started
        run = _run(folder, Path(tmp) / "in-process.db", options, None)
        runs.append({"engine": "in-process", "workers": 1, "startup_s": round(loaded, 2)} | run)

        for workers in worker_counts:
            started = time.perf_counter()
            with DaskEngine(workers=workers) as engine:
                engine.client.run(_warm_worker)
                startup = time.perf_counter() - started
                run = _run(folder, Path(tmp) / f"dask-{workers}.db", options, engine)
            runs.append({"engine": "dask", "workers": workers,
                         "startup_s": round(startup, 2)} | run)

    in_process = runs[0]["seconds"]
    one_worker = next((r["seconds"] for r in runs if r["engine"] == "dask"
                       and r["workers"] == 1), None)
    for r in runs[1:]:
        r["vs_in_process"] = round(in_process / r["seconds"], 3)
        if one_worker is not None:
            r["speedup"] = round(one_worker / r["seconds"], 3)
    return {
        "articles": n_articles,
        "cpus": os.cpu_count(),
        "corpus": described,
        "runs": runs,
        "same_ledger": len({r["ledger_sha256"] for r in runs}) == 1,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--articles", type=int, default=200, metavar="N",
                        help="articles in the corpus (default 200)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], metavar="W",
                        help="cluster sizes to run (default 1 2)")
    parser.add_argument("--corpus", type=Path, metavar="DIR",
                        help="repeat the .txt/.md articles of this folder instead")
    args = parser.parse_args(argv)
    if args.articles < 1 or min(args.workers) < 1:
        parser.error("--articles and --workers must be at least 1")
    result = measure(args.articles, args.workers, args.corpus)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['articles']} articles on {result['cpus']} CPUs ({result['corpus']})")
    for r in result["runs"]:
        extra = "".join(f"  {key} {r[key]}" for key in ("speedup", "vs_in_process") if key in r)
        print(f"  {r['engine']:10} {r['workers']} worker(s): start-up {r['startup_s']:6.2f} s,"
              f" ingest {r['seconds']:7.2f} s, {r['articles_per_s']:6.2f} articles/s{extra}")
    print(f"  same ledger in every run: {result['same_ledger']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
