"""Throughput: foglight end to end against bare spaCy on the same texts.

    python bench/throughput.py [--json] [--articles N] [--processes P] [--corpus DIR]

Builds a corpus of N articles by repeating the texts of ``../shared/seeds/*.txt`` and
``../shared/dev/articles/*.txt`` (read at run time, never copied into the repository), or of
``--corpus DIR``, or, when ``../shared`` is missing, of the repository's ``examples/articles``.
Every copy gets a line " [copy k]" so that foglight's de-duplication does not skip it. Then, in
one process, after loading the spaCy model and the gazetteer (so start-up counts in neither):

(a) end to end: ``foglight.pipeline.ingest`` of the folder into a fresh SQLite database;
(b) bare spaCy: ``nlp.pipe`` over the same article texts foglight parses (front matter
    removed), with the same batch size and number of processes.

The ratio is end-to-end seconds over spaCy seconds: what foglight's own stages (reading,
extraction, gazetteer, merging, SQLite writes) cost on top of parsing.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from foglight import nlp, places
from foglight.ingest import IngestFailure, read_inputs
from foglight.options import Options
from foglight.pipeline import ingest
from foglight.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SUFFIXES = (".txt", ".md", ".markdown")


def source_files(corpus: Path | None) -> tuple[list[Path], str]:
    """The files whose texts are repeated, and a description of where they came from."""
    if corpus is not None:
        files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
        return files, str(corpus)
    if SHARED.is_dir():
        files = sorted((SHARED / "seeds").glob("*.txt"))
        files += sorted((SHARED / "dev" / "articles").glob("*.txt"))
        return files, f"{SHARED / 'seeds'} + {SHARED / 'dev' / 'articles'}"
    examples = REPO / "examples" / "articles"
    return sorted(p for p in examples.iterdir() if p.suffix in SUFFIXES), str(examples)


def build_corpus(files: Sequence[Path], n_articles: int, folder: Path) -> None:
    """Write ``n_articles`` files to ``folder``, cycling through ``files``; copy k ends with
    a line " [copy k]" so every copy is a distinct article."""
    texts = [(p.suffix, p.read_text(encoding="utf-8", errors="replace")) for p in files]
    for k in range(n_articles):
        suffix, text = texts[k % len(texts)]
        (folder / f"{k:06d}{suffix}").write_text(f"{text.rstrip()}\n\n [copy {k}]\n",
                                                 encoding="utf-8")


def rates(seconds: float, articles: int, words: int) -> dict[str, float]:
    return {"seconds": round(seconds, 3),
            "articles_per_s": round(articles / seconds, 2) if seconds else 0.0,
            "words_per_s": round(words / seconds, 1) if seconds else 0.0}


def measure(n_articles: int, processes: int, corpus: Path | None) -> dict[str, Any]:
    files, described = source_files(corpus)
    if not files:
        raise SystemExit(f"no .txt/.md articles found in {described}")
    # The corpus repeats its articles; every copy is analysed (fold_copies=False), while
    # signatures are still computed and stored as for any article.
    options = Options(n_process=processes, fold_copies=False)

    # Start-up, counted in neither measurement.
    model = nlp.load(options.spacy_model)
    places.gazetteer()

    with tempfile.TemporaryDirectory(prefix="foglight-bench-") as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        build_corpus(files, n_articles, folder)
        # The texts foglight parses (front matter removed), read before any timing.
        articles = [a for a in read_inputs([folder], options)
                    if not isinstance(a, IngestFailure)]
        texts = [a.text for a in articles]
        words = sum(len(t.split()) for t in texts)

        store = Store(str(Path(tmp) / "bench.db"))
        try:
            started = time.perf_counter()
            summary = ingest([folder], options, store)
            end_to_end = time.perf_counter() - started
        finally:
            store.close()

        started = time.perf_counter()
        docs = list(model.pipe(texts, batch_size=options.batch_size, n_process=processes))
        bare = time.perf_counter() - started
        assert len(docs) == len(texts)

    if summary.new != n_articles:
        print(f"warning: foglight stored {summary.new} of {n_articles} articles "
              f"({summary.unchanged} unchanged, {summary.failed} failed)", file=sys.stderr)
    return {
        "articles": n_articles,
        "words": words,
        "end_to_end": rates(end_to_end, n_articles, words),
        "spacy": rates(bare, len(texts), words),
        "ratio": round(end_to_end / bare, 3) if bare else None,
        "processes": processes,
        "python": platform.python_version(),
        "spacy_version": importlib.metadata.version("spacy"),
        "events": summary.events,
        "corpus": described,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--articles", type=int, default=200, metavar="N",
                        help="articles in the corpus (default 200)")
    parser.add_argument("--processes", type=int, default=1, metavar="P",
                        help="spaCy worker processes for both runs (default 1)")
    parser.add_argument("--corpus", type=Path, metavar="DIR",
                        help="repeat the .txt/.md articles of this folder instead")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.processes < 1:
        parser.error("--articles and --processes must be at least 1")
    if args.corpus is not None and not args.corpus.is_dir():
        parser.error(f"--corpus {args.corpus} is not a folder")

    result = measure(args.articles, args.processes, args.corpus)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    e2e, bare = result["end_to_end"], result["spacy"]
    print(f"{result['articles']} articles, {result['words']} words "
          f"({result['corpus']}), {result['processes']} process(es)")
    print(f"  foglight end to end: {e2e['seconds']:8.2f} s  {e2e['articles_per_s']:8.1f} "
          f"articles/s  {e2e['words_per_s']:10.0f} words/s  ({result['events']} events)")
    print(f"  bare spaCy:          {bare['seconds']:8.2f} s  {bare['articles_per_s']:8.1f} "
          f"articles/s  {bare['words_per_s']:10.0f} words/s")
    print(f"  ratio end-to-end / spaCy: {result['ratio']}  "
          f"(Python {result['python']}, spaCy {result['spacy_version']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
