"""The main job: ingest → nlp → extract (places, dates) and frame → merge → store, one
article at a time.

Articles stream through in bounded batches (``options.batch_size``), so memory does not grow
with the corpus; each article is written in its own transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from spacy.tokens import Doc

from foglight import nlp
from foglight.dates import latest_stated_day
from foglight.extract import Extractor
from foglight.framing import Framer
from foglight.ingest import IngestFailure, input_of, is_url, read_inputs
from foglight.merge import events_from_article
from foglight.models import Article, ArticleFraming, Event
from foglight.options import Options
from foglight.store import Store
from foglight.syndication import CopyFinder, TextSignature, signature


@dataclass
class IngestSummary:
    """What a run did: articles new / unchanged / failed, and events found."""

    new: int = 0
    unchanged: int = 0
    failed: int = 0
    events: int = 0
    # Of the events found, those that joined an event already reported by another article.
    joined: int = 0
    failures: list[IngestFailure] = field(default_factory=list)
    # Articles stored after a repair or a guess, or without framing: their warnings, also
    # recorded in the database (``foglight failures``).
    warnings: list[IngestFailure] = field(default_factory=list)
    unchanged_sources: list[str] = field(default_factory=list)
    # Syndicated or near-duplicate copies of a stored article, listed with it, not analysed.
    copies: int = 0


# Called after each input item with its outcome ("new", "unchanged", "copy", "failed").
Progress = Callable[[str, str], None]


def _batches(
    items: Iterator[Article | IngestFailure], size: int
) -> Iterator[list[Article | IngestFailure]]:
    batch: list[Article | IngestFailure] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(
    paths: Sequence[str | Path],
    options: Options,
    store: Store,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> IngestSummary:
    """Read, analyse and store every article under ``paths``; bad inputs are recorded and
    skipped. Already stored articles (same normalised text) are left as they are."""
    return ingest_items(read_inputs(paths, options), options, store, progress, engine)


@dataclass(frozen=True)
class Analysed:
    """An article after nlp, extraction and framing: what the store writes. Built without a
    database, so any process (a Dask worker) can make it."""

    article: Article
    events: list[Event]
    framing: ArticleFraming


@functools.cache
def _analysers() -> tuple[Extractor, Framer]:
    """Built once per process: the vocabularies and matchers behind extraction and framing."""
    return Extractor(), Framer()


def analyse_articles(
    articles: Sequence[Article], options: Options
) -> list[Analysed | IngestFailure]:
    """Parse, extract and frame articles, in order; an article whose extraction fails becomes
    an ``IngestFailure`` saying so. Pure: no database, no shared state beyond the spaCy
    pipeline each process loads once, so engines may run it anywhere."""
    extractor, framer = _analysers()
    out: list[Analysed | IngestFailure] = []
    # Words first seen in these texts are added to spaCy's string store; the memory zone
    # frees them once the batch is analysed (results hold plain Python strings), so a long
    # ingest does not grow with its vocabulary.
    with nlp.load(options.spacy_model).memory_zone():
        docs = nlp.pipe((a.text for a in articles), options)
        for article, doc in zip(articles, docs, strict=True):
            out.append(_analyse_one(article, doc, extractor, framer))
    return out


def _analyse_one(
    article: Article, doc: Doc, extractor: Extractor, framer: Framer
) -> Analysed | IngestFailure:
    try:
        article_events = events_from_article(extractor.extract(doc, article))
        # Undated articles are placed in time by the latest day they state (merging uses it).
        stated = latest_stated_day(article.text) if article.published is None else None
    except Exception as exc:
        # Under the file when there is one, so that --retry-failed reads it again.
        return IngestFailure(
            article.path or article.source,
            f"extraction failed ({exc.__class__.__name__}: {exc}); the article was not "
            "stored. Please report this with the file.",
        )
    if stated is not None:
        article = replace(
            article, extra={**article.extra, "latest_stated_date": stated.isoformat()}
        )
    try:
        framing = framer.frame(doc, article)
    except Exception as exc:
        # The events are worth keeping without the framing indicators.
        framing = ArticleFraming()
        framing_error = f"framing failed ({exc.__class__.__name__}: {exc}); events stored"
        article = replace(
            article,
            extra={**article.extra, "framing_error": framing_error},
            warnings=(*article.warnings, framing_error),
        )
    return Analysed(article, article_events, framing)


class Engine(Protocol):
    """Runs ``analyse_articles`` over a batch of articles and gives the results back in the
    batch's order (``foglight.engines``)."""

    def analyse(
        self, articles: Sequence[Article], options: Options
    ) -> Iterator[Analysed | IngestFailure]: ...

    def batch_size(self, options: Options) -> int:
        """How many input items the writer takes at a time."""
        ...


class InProcess:
    """The default engine: analyse in this process."""

    def batch_size(self, options: Options) -> int:
        return options.batch_size

    def analyse(
        self, articles: Sequence[Article], options: Options
    ) -> Iterator[Analysed | IngestFailure]:
        return iter(analyse_articles(articles, options))


def ingest_items(
    items: Iterable[Article | IngestFailure],
    options: Options,
    store: Store,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> IngestSummary:
    """Analyse and store articles read elsewhere (files, fetched pages); failures are
    recorded. An article already stored is left as it is; a copy of one (another site's
    printing of the same story) is listed with it.

    Whatever the engine, this process alone writes, in input order: merging is
    order-dependent (an event keeps the id of its earliest report), so one writer in input
    order gives the same ledger, with the same ids, however the analysis was spread."""
    summary = IngestSummary()
    report = progress or _no_progress
    finder = CopyFinder(store.copy_candidates)
    runner = engine or InProcess()

    def record_failure(failure: IngestFailure) -> None:
        summary.failed += 1
        summary.failures.append(failure)
        store.record_failure(failure.source, failure.reason)
        report(failure.source, "failed")

    def analyse(batch: list[Article | IngestFailure]) -> list[Article | IngestFailure]:
        """Store the batch; return the copies whose original could not be stored, to be
        analysed as articles of their own."""
        fresh: list[tuple[Article, TextSignature]] = []
        # This batch's ids: those of earlier batches are in the store (``has_article``), so
        # memory does not grow with the corpus.
        seen: set[str] = set()
        # Copies of articles (stored or in this batch): listed once the batch is stored.
        copies_found: list[tuple[str, Article]] = []
        for item in batch:
            if isinstance(item, IngestFailure):
                record_failure(item)
            elif item.id in seen or store.has_article(item.id):
                copies_found.append((item.id, item))
            else:
                sig = signature(item.text)
                original = finder.original_of(sig) if options.fold_copies else None
                if original is not None:
                    copies_found.append((original, item))
                    continue
                seen.add(item.id)
                finder.hold(item.id, sig)
                fresh.append((item, sig))
        results = runner.analyse([article for article, _ in fresh], options)
        for (article, sig), result in zip(fresh, results, strict=True):
            # Stored or failed, it is no longer a candidate held in memory.
            finder.release(article.id)
            if isinstance(result, IngestFailure):
                record_failure(result)
                continue
            if result.article.warnings:
                summary.warnings.append(
                    IngestFailure(article.source, "; ".join(result.article.warnings))
                )
            summary.joined += store.save_article(result.article, result.events, result.framing, sig)
            summary.new += 1
            summary.events += len(result.events)
            report(article.source, "new")
        orphans: list[Article | IngestFailure] = []
        for original, item in copies_found:
            if store.has_article(original):
                _list_copy(original, item, store, summary, report)
            else:
                orphans.append(item)
        return orphans

    for batch in _batches(iter(items), runner.batch_size(options)):
        # Each round stores at least one article or records a failure, so it ends.
        while batch:
            batch = analyse(batch)
    return summary


@dataclass(frozen=True)
class SkippedInputs:
    """What ``--retry-failed`` reads again: the files and folders of skipped inputs (a JSONL
    file once for all its failed lines), and the urls of skipped pages."""

    paths: list[str]
    urls: list[str]


def skipped_inputs(store: Store) -> SkippedInputs:
    sources = store.skipped_sources()
    return SkippedInputs(
        paths=list(dict.fromkeys(input_of(s) for s in sources if not is_url(s))),
        urls=[s for s in sources if is_url(s)],
    )


def _no_progress(_source: str, _outcome: str) -> None:
    pass


def _list_copy(
    original: str,
    item: Article,
    store: Store,
    summary: IngestSummary,
    report: Callable[[str, str], None],
) -> None:
    """List ``item`` as another publication of the stored article ``original``: a new
    source is a copy; the same source again changes nothing."""
    if store.add_copy(original, item):
        summary.copies += 1
        report(item.source, "copy")
    else:
        summary.unchanged += 1
        summary.unchanged_sources.append(item.source)
        report(item.source, "unchanged")
