"""Live sources: fetch pages by url, and poll RSS/Atom feeds for new articles.

``fetch_urls`` reads pages a user names; ``poll`` reads each feed (a url, with a conditional
request, or a local file), fetches every item's page it has not read before and ingests
them. A feed or page that fails is recorded with its reason and tried again on a later poll;
it never stops the others. All network access goes through ``foglight.fetch.Fetcher``.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import feedparser

from foglight.errors import FoglightError
from foglight.fetch import Fetcher, FetchError
from foglight.ingest import REQUESTED_URL, IngestFailure, MetaRecord, is_url, read_page
from foglight.models import Article
from foglight.options import Options
from foglight.pipeline import IngestSummary, Progress, ingest_items
from foglight.store import Store

# A page that failed this many polls in a row is given up: a dead link stays dead.
MAX_ITEM_ATTEMPTS = 5


@dataclass(frozen=True)
class FeedItem:
    link: str
    title: str | None
    published: date | None


@dataclass
class PollSummary:
    """One poll of every feed: articles new, unchanged (seen before) and failed."""

    feeds: int = 0
    feeds_unchanged: int = 0  # answered 304 Not Modified
    feeds_failed: int = 0
    new: int = 0
    copies: int = 0
    unchanged: int = 0
    failed: int = 0
    events: int = 0
    failures: list[IngestFailure] = field(default_factory=list)

    def add(self, ingested: IngestSummary) -> None:
        self.new += ingested.new
        self.copies += ingested.copies
        self.unchanged += ingested.unchanged
        self.failed += ingested.failed
        self.events += ingested.events - ingested.joined
        self.failures += ingested.failures


def fetch_urls(
    urls: Sequence[str],
    fetcher: Fetcher,
    options: Options,
    store: Store,
    progress: Progress | None = None,
) -> IngestSummary:
    """Fetch each page and ingest it; a refused or failing url is recorded and skipped."""

    def pages() -> Iterator[Article | IngestFailure]:
        for url in urls:
            yield _read_item(FeedItem(url, None, None), fetcher, options)

    return ingest_items(pages(), options, store, progress)


def _read_item(item: FeedItem, fetcher: Fetcher, options: Options) -> Article | IngestFailure:
    try:
        page = fetcher.get(item.link)
        meta = MetaRecord(published=item.published, outlet=None, url=None, title=item.title)
        article = read_page(page.body, page.url, options, charset=page.charset, meta=meta)
        if page.url != item.link:
            article = replace(article, extra={**article.extra, REQUESTED_URL: item.link})
        return article
    except FoglightError as exc:
        return IngestFailure(item.link, str(exc))
    except Exception as exc:  # a page must never stop the others, whatever went wrong
        return IngestFailure(item.link, f"{exc.__class__.__name__}: {exc}; please report this")


def _read_items(
    items: Sequence[FeedItem],
    fetcher: Fetcher,
    options: Options,
    read: dict[str, Article | IngestFailure],
) -> Iterator[Article | IngestFailure]:
    """Each item's page, as it is fetched; ``read`` keeps what became of every link."""
    for item in items:
        read[item.link] = _read_item(item, fetcher, options)
        yield read[item.link]


def _item_error(outcome: Article | IngestFailure, store: Store) -> str | None:
    if isinstance(outcome, IngestFailure):
        return outcome.reason
    if store.has_source(outcome.source):
        return None
    return "the page was read but not stored; see foglight failures"


def read_feed(source: str, fetcher: Fetcher, store: Store) -> bool:
    """Read a feed (conditionally) and record its new items as pending; False when the
    server says it has not changed. A local file is read as it is, every time."""
    if not is_url(source):
        path = Path(source)
        if not path.is_file():
            raise FetchError(f"{source}: no such feed file, and not a url")
        items = parse_feed(path.read_bytes(), base=path.resolve().as_uri())
        store.save_feed_poll(source, items=[(i.link, i.title, i.published) for i in items])
        return True
    page = fetcher.get(source, conditional=store.feed_validators(source))
    if page.not_modified:
        store.save_feed_poll(source)
        return False
    items = parse_feed(page.body, base=page.url)
    store.save_feed_poll(
        source,
        etag=page.etag,
        last_modified=page.last_modified,
        items=[(i.link, i.title, i.published) for i in items],
    )
    return True


def parse_feed(data: bytes, base: str) -> list[FeedItem]:
    """RSS or Atom items with a link. A feed that cannot be parsed and has no items is an
    error; one with a recoverable flaw (feedparser's "bozo") still gives its items."""
    parsed = feedparser.parse(data, response_headers={"content-location": base})
    if parsed.bozo and not parsed.entries:
        reason = parsed.get("bozo_exception", "unreadable")
        raise FetchError(f"not a readable RSS or Atom feed: {reason}")
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        # feedparser maps a missing updated_parsed to published_parsed, with a warning.
        stamp = entry.get("published_parsed") or (
            entry.get("updated_parsed") if "updated" in entry else None
        )
        published = datetime.fromtimestamp(calendar.timegm(stamp), UTC).date() if stamp else None
        items.append(FeedItem(link=str(link), title=entry.get("title"), published=published))
    return items


def poll(
    sources: Sequence[str],
    fetcher: Fetcher,
    options: Options,
    store: Store,
    progress: Progress | None = None,
) -> PollSummary:
    """Read every feed once, then ingest the pages of its items not yet read (new ones, and
    those that failed before), whether or not the feed changed."""
    summary = PollSummary()
    for source in sources:
        summary.feeds += 1
        try:
            if not read_feed(source, fetcher, store):
                summary.feeds_unchanged += 1
        except Exception as exc:  # a feed must never stop the others, whatever went wrong
            _feed_failed(source, exc, summary, store, progress)
        due = [
            FeedItem(link, title, published)
            for link, title, published in store.feed_items_due(source, MAX_ITEM_ATTEMPTS)
        ]
        wanted = []
        for item in due:
            if store.has_source(item.link):  # read through another feed, or fetched by hand
                store.save_feed_item(source, item.link, None)
                summary.unchanged += 1
            else:
                wanted.append(item)
        read: dict[str, Article | IngestFailure] = {}
        pages = _read_items(wanted, fetcher, options, read)
        summary.add(ingest_items(pages, options, store, progress))
        for link, outcome in read.items():
            store.save_feed_item(source, link, _item_error(outcome, store))
    return summary


def _feed_failed(
    source: str, exc: Exception, summary: PollSummary, store: Store, progress: Progress | None
) -> None:
    summary.feeds_failed += 1
    what = str(exc) if isinstance(exc, FoglightError) else f"{exc.__class__.__name__}: {exc}"
    reason = f"feed failed: {what}; will retry on the next poll"
    summary.failures.append(IngestFailure(source, reason))
    store.record_failure(source, reason)
    store.save_feed_poll(source, error=what)
    if progress is not None:
        progress(source, "failed")


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
# GDELT updates every 15 minutes; polling a feed more often than once a minute is rude.
MIN_EVERY_SECONDS = 60.0


def parse_every(text: str) -> float:
    """Seconds from "15m", "1h", "90s", "2d" or a plain number of seconds."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a duration: write 15m, 1h, 90s or 2d")
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    if seconds < MIN_EVERY_SECONDS:
        raise ValueError(f"{text!r} is under a minute; poll feeds at most once a minute")
    return seconds


def watch(
    sources: Sequence[str],
    every: float,
    fetcher: Fetcher,
    options: Options,
    store: Store,
    on_poll: Callable[[PollSummary], None],
    sleep: Callable[[float], None],
    polls: int | None = None,
    progress: Progress | None = None,
) -> None:
    """Poll the feeds every ``every`` seconds (``polls`` times, or until interrupted)."""
    done = 0
    while polls is None or done < polls:
        started = time.monotonic()
        on_poll(poll(sources, fetcher, options, store, progress))
        done += 1
        if polls is not None and done >= polls:
            break
        sleep(max(0.0, every - (time.monotonic() - started)))
