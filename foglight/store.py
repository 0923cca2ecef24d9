"""The store stage: the database file is the product.

Tables ``articles``, ``mentions``, ``events``, ``claims``, ``failures`` and the framing
tables ``quotes``, ``term_uses`` and ``opinion_signals`` are plain SQL,
readable by any SQLite tool; ``articles_fts`` is an FTS5 index over article text. Written
through SQLAlchemy 2 Core so that PostgreSQL can follow. SQLite runs in WAL mode with one
transaction per article, so an interrupted run never leaves half an article behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alembic.util import CommandError
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    delete,
    distinct,
    event,
    exists,
    false,
    func,
    insert,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeEngine

from foglight import migrations
from foglight.errors import DatabaseError
from foglight.geo import place_breadth
from foglight.ingest import REQUESTED_URL, input_of
from foglight.merge import (
    UNCOMPARED_FIELDS,
    claims_for,
    combine,
    disagreements,
    matching_event,
    place_agreement,
)
from foglight.models import (
    Article,
    ArticleFraming,
    Certainty,
    Claim,
    Count,
    DatePrecision,
    Event,
    EventDate,
    Mention,
    OpinionSignal,
    Outcome,
    Place,
    PlacePrecision,
    Quote,
    TargetType,
    TermUse,
    Weapon,
)
from foglight.syndication import TextSignature


def _string(length: int | None = None) -> TypeEngine[str]:
    """A text column compared and sorted by code point on both backends. PostgreSQL's
    default collation follows the server's locale (en_US ignores hyphens and case on its
    first pass) while SQLite compares bytes: ids, ISO dates, sources and outlet names must
    order the same everywhere, and the date filters' ``"\\uffff"`` bound needs code points."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", _string(32), primary_key=True),
    # Indexed: fetch and watch ask, for every link, whether it was read before.
    Column("source", _string(), nullable=False, index=True),
    Column("url", _string(), index=True),
    Column("path", _string()),
    Column("title", _string()),
    Column("published", _string(10)),
    Column("published_from", _string(16), nullable=False),
    Column("outlet", _string()),
    Column("author", _string()),
    Column("extra", _string(), nullable=False, default="{}"),
    Column("text", _string(), nullable=False),
    Column("ingested_at", _string(32), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", _string(32), primary_key=True),
    Column("kind", _string(16), nullable=False),
    Column("date", _string(10)),
    Column("date_precision", _string(8), nullable=False),
    Column("place_name", _string()),
    Column("admin1", _string()),
    Column("country", _string(2)),
    Column("lat", Float),
    Column("lon", Float),
    Column("place_precision", _string(12), nullable=False),
    Column("gazetteer_id", _string()),
    Column("weapon", _string(16), nullable=False),
    Column("target_type", _string(16), nullable=False),
    Column("attacker", _string(8), nullable=False),
    Column("outcome", _string(20), nullable=False),
    Column("killed_min", Integer),
    Column("killed_max", Integer),
    Column("injured_min", Integer),
    Column("injured_max", Integer),
    # Whether the event's sources disagree (``merge.disagreements``), kept up to date as
    # reports join (revision 0002): a flag read per row, not a GROUP BY over the claims of
    # every event, so ``--disputed`` and the map stay fast at 100k events.
    Column("disputed", Boolean, nullable=False, default=False, server_default=false()),
    # The blocking query of cross-article merging: events of one country around one date.
    Index("events_country_date", "country", "date"),
    # Paging through the disputed events in date order.
    Index("events_disputed_date", "disputed", "date"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", _string(32), primary_key=True),
    Column("event_id", _string(32), ForeignKey("events.id"), nullable=False, index=True),
    Column("article_id", _string(32), ForeignKey("articles.id"), nullable=False, index=True),
    Column("sentence", _string(), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("place", _string(), nullable=False),  # the mention's own Place, as JSON
    Column("date", _string(10)),
    Column("date_precision", _string(8), nullable=False),
    Column("date_basis", _string(12), nullable=False),
    Column("place_basis", _string(12), nullable=False),
    Column("merge_reason", _string()),
    Column("weapon", _string(16), nullable=False),
    Column("target_type", _string(16), nullable=False),
    Column("attacker", _string(8), nullable=False),
    Column("outcome", _string(20), nullable=False),
    Column("killed", _string()),  # {"min": int, "max": int|null} or null, as JSON
    Column("injured", _string()),
    Column("drones", _string()),
    Column("missiles", _string()),
    Column("group_key", _string(32)),
    Column("group_killed", _string()),
    Column("group_injured", _string()),
    Column("attributed_to", _string(), nullable=False),  # JSON list
    Column("certainty", _string(12), nullable=False),
    Column("hedges", _string(), nullable=False),  # JSON list
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", _string(32), ForeignKey("events.id"), nullable=False, index=True),
    Column("mention_id", _string(32), ForeignKey("mentions.id"), nullable=False),
    Column("article_id", _string(32), ForeignKey("articles.id"), nullable=False),
    Column("outlet", _string()),
    Column("field", _string(24), nullable=False),
    Column("value", _string(), nullable=False),  # JSON
    Column("attributed_to", _string(), nullable=False),  # JSON list
    Column("certainty", _string(12), nullable=False),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", _string(32), ForeignKey("articles.id"), nullable=False, index=True),
    Column("speaker", _string(), nullable=False),
    Column("side", _string(20), nullable=False),
    Column("kind", _string(16), nullable=False),
    Column("cue", _string(), nullable=False),
    Column("country", _string(2)),
    Column("sentence", _string(), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

term_uses = Table(
    "term_uses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", _string(32), ForeignKey("articles.id"), nullable=False, index=True),
    Column("term", _string(), nullable=False),
    Column("category", _string(32), nullable=False),
    Column("camp", _string(32), nullable=False),
    Column("text", _string(), nullable=False),
    Column("quoted", Integer, nullable=False),  # 1 inside quotation marks, else 0
    Column("sentence", _string(), nullable=False),
    Column("start", Integer, nullable=False),
)

opinion_signals = Table(
    "opinion_signals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", _string(32), ForeignKey("articles.id"), nullable=False, index=True),
    Column("kind", _string(24), nullable=False),
    Column("text", _string(), nullable=False),
    Column("sentence", _string(), nullable=False),
    Column("start", Integer, nullable=False),
)

# A MinHash of each article's text (foglight.syndication), so later runs recognise copies.
article_signatures = Table(
    "article_signatures",
    metadata,
    Column("article_id", _string(32), ForeignKey("articles.id"), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),
)

# The locality-sensitive hashing bands of each signature: articles that share a (band,
# bucket) pair are the candidates a new text is compared with (foglight.syndication).
article_bands = Table(
    "article_bands",
    metadata,
    Column("article_id", _string(32), ForeignKey("articles.id"), nullable=False),
    Column("band", Integer, nullable=False),
    Column("bucket", BigInteger, nullable=False),  # keyed by band too (syndication.signature)
    Index("article_bands_bucket", "bucket"),
)

# Other publications of a stored article (syndicated or near-duplicate copies): one source
# for merging and corroboration, every outlet that carried it listed.
article_copies = Table(
    "article_copies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", _string(32), ForeignKey("articles.id"), nullable=False, index=True),
    Column("source", _string(), nullable=False, index=True),
    Column("url", _string()),
    Column("outlet", _string()),
    Column("title", _string()),
    Column("published", _string(10)),
    Column("ingested_at", _string(32), nullable=False),
    UniqueConstraint("article_id", "source"),
)

# What `foglight watch` remembers of each feed: the validators of its last answer, so the
# next poll is a conditional request.
feeds = Table(
    "feeds",
    metadata,
    Column("url", _string(), primary_key=True),
    Column("etag", _string()),
    Column("last_modified", _string()),
    Column("last_polled", _string(32)),
    Column("last_error", _string()),
)

# Each feed item and whether its page has been read: written as "pending" in the same
# transaction as the feed's validators, so an item is never lost to a 304 or a crash; read
# once ("done"), or tried again on later polls while "failed".
feed_items = Table(
    "feed_items",
    metadata,
    Column("feed_url", _string(), primary_key=True),
    Column("link", _string(), primary_key=True),
    Column("title", _string()),
    Column("published", _string(10)),
    Column("status", _string(8), nullable=False),  # "pending", "done" or "failed"
    Column("attempts", Integer, nullable=False),
    Column("error", _string()),
    Column("updated_at", _string(32), nullable=False),
)

failures = Table(
    "failures",
    metadata,
    Column("source", _string(), primary_key=True),
    Column("reason", _string(), nullable=False),
    Column("failed_at", _string(32), nullable=False),
    # SKIPPED: the input could not be used; STORED: it was stored, after a repair or a guess
    # that the reason names.
    Column("outcome", _string(16), nullable=False, server_default="skipped"),
)
SKIPPED = "skipped"
STORED = "stored"


# Around each matched word of a search snippet: ingest drops control characters from article
# text (``ingest._normalise``), so a page can split on these and escape the rest.
MATCH_OPEN = "\x02"
MATCH_CLOSE = "\x03"


# ts_headline's parser takes anything like ``<tag ...>`` for markup and drops it from the
# passage; an article's text is shown as written, so "<" stands in as this character (also
# dropped from article text by ingest) while the passage is cut, and is put back after.
_HEADLINE_LT = "\x01"

# ts_headline's options: about as long a passage as FTS5's 24-token snippet, the matched
# words between the same markers.
_HEADLINE_OPTIONS = (
    f"StartSel={MATCH_OPEN}, StopSel={MATCH_CLOSE}, MaxWords=24, MinWords=12, "
    "MaxFragments=1, FragmentDelimiter=…"
)


@dataclass(frozen=True)
class SearchRow:
    article_id: str
    snippet: str  # a passage of the text, matched words between MATCH_OPEN and MATCH_CLOSE


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[list[str]]:
    """Ids in slices for ``IN (...)`` queries: SQLite binds at most 32,766 variables in one
    statement, and a few hundred keep each query on the index."""
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _count(value: Count | None) -> str | None:
    return None if value is None else _json(value.to_export())


def _load_count(raw: str | None) -> Count | None:
    if raw is None:
        return None
    data = json.loads(raw)
    return None if data is None else Count(int(data["min"]), data["max"])


def database_url(db: str) -> str:
    """A SQLAlchemy URL from what a user types: a file path (SQLite), or a database URL. A
    plain ``postgresql://`` (or ``postgres://``) URL is driven by psycopg 3."""
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    scheme, rest = db.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return db


def shown_url(db: str) -> str:
    """A database as messages name it: a URL's password masked."""
    if "://" not in db:
        return db
    try:
        return make_url(db).render_as_string(hide_password=True)
    except ArgumentError:
        return db.split("://", 1)[0] + "://…"


@dataclass(frozen=True)
class EventFilter:
    """Which events to read: every field left None (or False) does not filter."""

    since: str | None = None
    until: str | None = None
    country: str | None = None
    weapon: str | None = None
    place: str | None = None
    target: str | None = None
    outlet: str | None = None  # events reported by at least one article of this outlet
    disputed: bool = False  # only events whose sources disagree (``merge.disagreements``)


def event_conditions(f: EventFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a filter; every value is a bound parameter."""
    where: list[ColumnElement[bool]] = []
    # A month- or year-dated event spans its whole period: it matches when the period
    # overlaps the range. As strings, a period ends before "\uffff", and starts at its value.
    if f.since:
        where.append(events.c.date.concat("\uffff") >= f.since)
    if f.until:
        where.append(events.c.date <= f.until + "\uffff")
    if f.country:
        where.append(events.c.country == f.country.upper())
    if f.weapon:
        where.append(events.c.weapon == f.weapon)
    if f.target:
        where.append(events.c.target_type == f.target)
    if f.place:
        where.append(
            events.c.place_name.icontains(f.place, autoescape=True)
            | events.c.admin1.icontains(f.place, autoescape=True)
        )
    if f.outlet:
        where.append(
            exists()
            .where(mentions.c.event_id == events.c.id)
            .where(articles.c.id == mentions.c.article_id)
            .where(articles.c.outlet == f.outlet)
        )
    if f.disputed:
        where.append(events.c.disputed == true())
    return where


def _sources_disagree() -> ColumnElement[bool]:
    """True for an event whose sources disagree: the SQL form of ``merge.disagreements``,
    a compared field stated with two different values (claim values are canonical JSON).
    Evaluated when an event is written, into ``events.disputed``."""
    return exists(
        select(claims.c.field)
        .where(claims.c.event_id == events.c.id)
        .where(claims.c.field.not_in(UNCOMPARED_FIELDS))
        .group_by(claims.c.field)
        .having(func.count(distinct(claims.c.value)) > 1)
    )


class Store:
    """One database: open it, write articles with their events, read events back."""

    def __init__(self, db: str, read_only: bool = False) -> None:
        """Open the database, bringing its schema to the latest migration, or, when
        ``read_only`` (what ``foglight serve`` uses), only check it: SQLite opens the file in
        ``mode=ro`` and PostgreSQL sessions are read-only, so no request can change it."""
        self.url = database_url(db)
        self.name = shown_url(db)
        connect_args: dict[str, Any] = {}
        if read_only and self.url.startswith("sqlite:///"):
            path = Path(self.url.removeprefix("sqlite:///"))
            if not path.is_file():
                raise DatabaseError(
                    f"no database at {str(path)!r}: create one with `foglight ingest FILES "
                    f"--db {path}` or name an existing file with --db."
                )
            self.url = f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro&uri=true"
        engine_args: dict[str, Any] = {}
        if read_only and self.url.startswith("postgresql"):
            connect_args["options"] = "-c default_transaction_read_only=on"
            # One snapshot per connection, not per statement: a reader that reads articles
            # and then their mentions must not see mentions of articles committed between.
            engine_args["isolation_level"] = "REPEATABLE READ"
        try:
            self.engine: Engine = create_engine(
                self.url, connect_args=connect_args, **engine_args
            )
        except (SQLAlchemyError, ValueError, ImportError) as exc:
            raise DatabaseError(
                f"cannot open database {self.name!r}: {exc}. Give a SQLite file path or a "
                "URL such as postgresql://user:password@host:5432/dbname."
            ) from exc
        if self.engine.dialect.name == "sqlite":
            pragmas = _sqlite_read_pragmas if read_only else _sqlite_pragmas
            event.listen(self.engine, "connect", pragmas)
            if read_only:
                # Python's sqlite3 runs each SELECT in its own read transaction, so the
                # statements of one connection could see different commits of an ingest
                # writing meanwhile; an explicit BEGIN makes one snapshot of them all.
                event.listen(self.engine, "begin", _sqlite_begin)
        if read_only:
            self._check_schema()
            return
        try:
            self.revision = migrations.upgrade(self.engine)
        except (SQLAlchemyError, CommandError) as exc:
            raise DatabaseError(
                f"cannot create or migrate foglight's tables in {self.name!r}: "
                f"{exc.__class__.__name__}: {exc}. Check the database is reachable and "
                "writable and not another program's database."
            ) from exc

    def _check_schema(self) -> None:
        try:
            with self.engine.connect() as conn:
                revision = migrations.current(conn)
                conn.execute(select(func.count()).select_from(events)).scalar()
        except SQLAlchemyError as exc:
            message = str(exc)
            if any(
                sign in message for sign in ("no such table", "not a database", "does not exist")
            ):
                raise DatabaseError(
                    f"{self.name!r} is not a foglight database ({exc.__class__.__name__}: "
                    f"{exc}); name the database `foglight ingest` wrote with --db."
                ) from exc
            raise DatabaseError(
                f"cannot read {self.name!r}: {exc.__class__.__name__}: {exc}"
            ) from exc
        latest = migrations.head()
        # A ledger from before migrations has the first revision's tables and reads as one.
        if (revision or migrations.FIRST_REVISION) != latest:
            raise DatabaseError(
                f"{self.name!r} is at schema revision {revision or 'none'}, this foglight "
                f"reads {latest}: run `foglight migrate --db ...` on it (a newer foglight "
                "wrote it if that fails)."
            )
        self.revision = latest

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise DatabaseError(f"database write failed: {exc}") from exc

    # -- writing ---------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(select(articles.c.id).where(articles.c.id == article_id)).first()
        return row is not None

    def save_article(
        self,
        article: Article,
        article_events: Sequence[Event],
        framing: ArticleFraming | None = None,
        signature: TextSignature | None = None,
    ) -> int:
        """Write an article with its mentions, events, claims and framing in one
        transaction; an event that reports an attack already in the ledger joins it
        (``merge.matching_event``). Returns how many of the article's events joined
        existing ones."""
        joined = 0
        with self.transaction() as conn:
            _clear_failures(conn, article, (SKIPPED, STORED))
            if article.warnings:
                _put_failure(conn, article.source, "; ".join(article.warnings), STORED)
            conn.execute(
                insert(articles).values(
                    id=article.id,
                    source=article.source,
                    url=article.url,
                    path=article.path,
                    title=article.title,
                    published=article.published.isoformat() if article.published else None,
                    published_from=article.published_from,
                    outlet=article.outlet,
                    author=article.author,
                    extra=_json(article.extra),
                    text=article.text,
                    ingested_at=_now(),
                )
            )
            if conn.dialect.name == "sqlite":
                conn.execute(
                    text("INSERT INTO articles_fts (article_id, title, text) VALUES (:i, :t, :x)"),
                    {"i": article.id, "t": article.title or "", "x": article.text},
                )
            if signature is not None:
                conn.execute(
                    insert(article_signatures).values(
                        article_id=article.id, minhash=signature.minhash
                    )
                )
                conn.execute(
                    insert(article_bands),
                    [
                        {"article_id": article.id, "band": band, "bucket": bucket}
                        for band, bucket in enumerate(signature.bands)
                    ],
                )
            if framing is not None:
                self._write_framing(conn, framing)
            # Specific reports first, so that a region or country named by the same article
            # cannot take the ledger event its town or facility report belongs to.
            for ev in sorted(article_events, key=lambda e: place_breadth(e.place)):
                candidates = self._candidates(conn, ev)
                published = self._published(
                    conn, {m.article_id for e in [ev, *candidates] for m in e.mentions}
                )
                match = matching_event(ev, candidates, published)
                if match is not None:
                    joined += 1
                    old, reason = match
                    outlets = self._outlets(
                        conn, {m.article_id for m in old.mentions} | {article.id}
                    )
                    ev = combine(old, ev, reason, outlets)
                self._write_event(conn, ev)
        return joined

    @staticmethod
    def _write_framing(conn: Connection, framing: ArticleFraming) -> None:
        for table, records in (
            (quotes, framing.quotes),
            (term_uses, framing.terms),
            (opinion_signals, framing.signals),
        ):
            if records:
                conn.execute(insert(table), [_framing_row(r) for r in records])

    def _candidates(self, conn: Connection, ev: Event) -> list[Event]:
        """Ledger events that may report the same attack: blocked by country and by date
        (the same day, a month or year containing it, or no date), so only a handful of
        events are compared however large the ledger grows."""
        query = select(events)
        if ev.place.country is not None:
            query = query.where((events.c.country == ev.place.country) | events.c.country.is_(None))
        if ev.date.value is not None:
            prefixes = {ev.date.value, ev.date.value[:7], ev.date.value[:4]}
            query = query.where(
                events.c.date.in_(prefixes)
                | events.c.date.is_(None)
                | events.c.date.like(ev.date.value + "%")
            )
        rows = conn.execute(query).mappings().all()
        # Read the mentions only of events whose place can be this one, in one query.
        found = {
            candidate.id: candidate
            for candidate in (event_from_row(row, []) for row in rows)
            if place_agreement(ev, candidate) is not None
        }
        if found:
            # In text order, as the events' own mentions are (``merge.build_event``).
            mention_rows = conn.execute(
                select(mentions)
                .where(mentions.c.event_id.in_(list(found)))
                .order_by(mentions.c.article_id, mentions.c.start, mentions.c.id)
            ).mappings()
            for m in mention_rows:
                found[m["event_id"]].mentions.append(_mention_from_row(m))
        return list(found.values())

    @staticmethod
    def _published(conn: Connection, article_ids: set[str]) -> dict[str, date | None]:
        """Publication dates, or for an undated article the latest date it states."""
        rows = conn.execute(
            select(articles.c.id, articles.c.published, articles.c.extra).where(
                articles.c.id.in_(article_ids)
            )
        ).all()
        out: dict[str, date | None] = {}
        for article_id, published, extra in rows:
            value = published or json.loads(extra).get("latest_stated_date")
            out[article_id] = date.fromisoformat(value) if value else None
        return out

    @staticmethod
    def _outlets(conn: Connection, article_ids: set[str]) -> dict[str, str | None]:
        rows = conn.execute(
            select(articles.c.id, articles.c.outlet).where(articles.c.id.in_(article_ids))
        ).all()
        return {row[0]: row[1] for row in rows}

    def _write_event(self, conn: Connection, ev: Event) -> None:
        """Write the event row, and the mentions and claims not yet stored: mentions already
        in the ledger do not change when their event grows."""
        existing = conn.execute(select(events.c.id).where(events.c.id == ev.id)).first()
        stored = {
            row[0]
            for row in conn.execute(select(mentions.c.id).where(mentions.c.event_id == ev.id))
        }
        fresh = [m for m in ev.mentions if m.id not in stored]
        outlets = self._outlets(conn, {m.article_id for m in fresh})
        row = dict(
            kind=ev.kind,
            date=ev.date.value,
            date_precision=ev.date.precision.value,
            place_name=ev.place.name,
            admin1=ev.place.admin1,
            country=ev.place.country,
            lat=ev.place.lat,
            lon=ev.place.lon,
            place_precision=ev.place.precision.value,
            gazetteer_id=ev.place.gazetteer_id,
            weapon=ev.weapon.value,
            target_type=ev.target_type.value,
            attacker=ev.attacker,
            outcome=ev.outcome.value,
            killed_min=ev.killed.min if ev.killed else None,
            killed_max=ev.killed.max if ev.killed else None,
            injured_min=ev.injured.min if ev.injured else None,
            injured_max=ev.injured.max if ev.injured else None,
        )
        if existing is not None:
            conn.execute(update(events).where(events.c.id == ev.id).values(**row))
        else:
            conn.execute(insert(events).values(id=ev.id, **row))
        mention_rows: list[dict[str, Any]] = []
        claim_rows: list[dict[str, Any]] = []
        for m in fresh:
            mention_rows.append(
                dict(
                    id=m.id,
                    event_id=ev.id,
                    article_id=m.article_id,
                    sentence=m.sentence,
                    start=m.start,
                    end=m.end,
                    place=_json(m.place.to_export() | {"feature": m.place.feature}),
                    date=m.date.value,
                    date_precision=m.date.precision.value,
                    date_basis=m.date_basis,
                    place_basis=m.place_basis,
                    merge_reason=m.merge_reason,
                    weapon=m.weapon.value,
                    target_type=m.target_type.value,
                    attacker=m.attacker,
                    outcome=m.outcome.value,
                    killed=_count(m.killed),
                    injured=_count(m.injured),
                    drones=_count(m.drones),
                    missiles=_count(m.missiles),
                    group_key=m.group,
                    group_killed=_count(m.group_killed),
                    group_injured=_count(m.group_injured),
                    attributed_to=_json(list(m.attributed_to)),
                    certainty=m.certainty.value,
                    hedges=_json(list(m.hedges)),
                )
            )
            for c in claims_for(m, outlets.get(m.article_id)):
                claim_rows.append(
                    dict(
                        event_id=ev.id,
                        mention_id=m.id,
                        article_id=c.article_id,
                        outlet=c.outlet,
                        field=c.field,
                        value=_json(c.value),
                        attributed_to=_json(list(c.attributed_to)),
                        certainty=c.certainty.value,
                    )
                )
        # One executemany per table: a row-by-row insert costs more than the parse.
        if mention_rows:
            conn.execute(insert(mentions), mention_rows)
        if claim_rows:
            conn.execute(insert(claims), claim_rows)
            conn.execute(
                update(events).where(events.c.id == ev.id).values(disputed=_sources_disagree())
            )

    def add_copy(self, original_id: str, copy: Article) -> bool:
        """List ``copy`` as another publication of the stored article ``original_id``;
        False when that source is already listed (or is the original itself). Either way
        a failure recorded for the source is cleared: it is stored."""
        with self.transaction() as conn:
            # Only what was skipped: the warnings of the stored article stand.
            _clear_failures(conn, copy, (SKIPPED,))
            known = conn.execute(
                select(articles.c.source).where(articles.c.id == original_id)
            ).scalar()
            listed = conn.execute(
                select(article_copies.c.id).where(
                    article_copies.c.article_id == original_id,
                    article_copies.c.source == copy.source,
                )
            ).first()
            if known == copy.source or listed is not None:
                return False
            conn.execute(
                insert(article_copies).values(
                    article_id=original_id,
                    source=copy.source,
                    url=copy.url,
                    outlet=copy.outlet,
                    title=copy.title,
                    published=copy.published.isoformat() if copy.published else None,
                    ingested_at=_now(),
                )
            )
        return True

    def has_source(self, source: str) -> bool:
        """Whether an article or a listed copy came from ``source`` (a url or path)."""
        with self.engine.connect() as conn:
            for query in (
                select(articles.c.id).where(
                    (articles.c.source == source) | (articles.c.url == source)
                ),
                select(article_copies.c.id).where(article_copies.c.source == source),
            ):
                if conn.execute(query.limit(1)).first() is not None:
                    return True
        return False

    def feed_validators(self, url: str) -> dict[str, str]:
        """The conditional-request headers for a feed's next poll."""
        with self.engine.connect() as conn:
            row = conn.execute(select(feeds).where(feeds.c.url == url)).first()
        headers = {}
        if row is not None and row.etag:
            headers["If-None-Match"] = row.etag
        if row is not None and row.last_modified:
            headers["If-Modified-Since"] = row.last_modified
        return headers

    def save_feed_poll(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        items: Sequence[tuple[str, str | None, date | None]] | None = None,
        error: str | None = None,
    ) -> None:
        """Remember a poll in one transaction: after a 200 the feed's validators and its
        items (link, title, published) not seen before, as pending; after a failure the
        error. A 304 passes neither."""
        with self.transaction() as conn:
            old = conn.execute(select(feeds.c.url).where(feeds.c.url == url)).first()
            values: dict[str, Any] = {"last_polled": _now(), "last_error": error}
            if items is not None:
                values |= {"etag": etag, "last_modified": last_modified}
            if old is None:
                conn.execute(insert(feeds).values(url=url, **values))
            else:
                conn.execute(update(feeds).where(feeds.c.url == url).values(**values))
            if error is None:
                conn.execute(delete(failures).where(failures.c.source == url))
            known = {
                row[0]
                for row in conn.execute(
                    select(feed_items.c.link).where(feed_items.c.feed_url == url)
                )
            }
            # One row per link, the first listing of it winning (a feed may repeat an item).
            rows: dict[str, dict[str, Any]] = {}
            for link, title, published in items or ():
                if link not in known and link not in rows:
                    rows[link] = {
                        "feed_url": url,
                        "link": link,
                        "title": title,
                        "published": published.isoformat() if published else None,
                        "status": "pending",
                        "attempts": 0,
                        "updated_at": _now(),
                    }
            if rows:
                conn.execute(insert(feed_items), list(rows.values()))

    def feed_items_due(
        self, feed_url: str, max_attempts: int
    ) -> list[tuple[str, str | None, date | None]]:
        """The feed's items still to read (pending, or failed fewer than ``max_attempts``
        times): link, title, published."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(feed_items.c.link, feed_items.c.title, feed_items.c.published)
                .where(
                    feed_items.c.feed_url == feed_url,
                    feed_items.c.status != "done",
                    feed_items.c.attempts < max_attempts,
                )
                .order_by(feed_items.c.updated_at, feed_items.c.link)
            ).all()
        return [
            (row.link, row.title, date.fromisoformat(row.published) if row.published else None)
            for row in rows
        ]

    def feed_item_attempts(self, feed_url: str) -> dict[str, tuple[str, int]]:
        """link → (status, attempts) for the items of a feed."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(feed_items.c.link, feed_items.c.status, feed_items.c.attempts).where(
                    feed_items.c.feed_url == feed_url
                )
            ).all()
        return {row.link: (row.status, row.attempts) for row in rows}

    def save_feed_item(self, feed_url: str, link: str, error: str | None) -> None:
        """Record an attempt at an item's page: done, or failed with the reason."""
        with self.transaction() as conn:
            where = (feed_items.c.feed_url == feed_url) & (feed_items.c.link == link)
            conn.execute(
                update(feed_items)
                .where(where)
                .values(
                    status="failed" if error else "done",
                    attempts=feed_items.c.attempts + 1,
                    error=error,
                    updated_at=_now(),
                )
            )
            if error is None:
                # Recorded under the item's link; the stored article may carry the url it
                # redirected to.
                conn.execute(delete(failures).where(failures.c.source == link))

    def copy_candidates(self, bands: Sequence[int]) -> list[tuple[str, bytes]]:
        """Stored articles sharing a band with a signature: (article id, minhash)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(article_signatures.c.article_id, article_signatures.c.minhash)
                .where(
                    article_signatures.c.article_id.in_(
                        select(article_bands.c.article_id).where(
                            article_bands.c.bucket.in_(list(bands))
                        )
                    )
                )
                .order_by(article_signatures.c.article_id)
            ).all()
        return [(row.article_id, bytes(row.minhash)) for row in rows]

    def copies_of(self, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Each article's other publications, oldest first."""
        found: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
        with self.engine.connect() as conn:
            for chunk in _chunks(ids):
                rows = conn.execute(
                    select(
                        article_copies.c.article_id,
                        article_copies.c.source,
                        article_copies.c.url,
                        article_copies.c.outlet,
                        article_copies.c.published,
                    )
                    .where(article_copies.c.article_id.in_(chunk))
                    .order_by(article_copies.c.id)
                ).mappings()
                for row in rows:
                    copy = dict(row)
                    found[copy.pop("article_id")].append(copy)
        return found

    def record_failure(self, source: str, reason: str) -> None:
        with self.transaction() as conn:
            _put_failure(conn, source, reason, SKIPPED)

    # -- reading ---------------------------------------------------------------------------

    def failures(self) -> list[dict[str, str]]:
        """Inputs skipped, then inputs stored with a warning, each by source."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(failures).order_by(failures.c.outcome, failures.c.source)
            ).mappings()
            return [dict(r) for r in rows]

    def skipped_sources(self) -> list[str]:
        """The sources of the inputs that were skipped, for ``--retry-failed``; failed feeds
        are not among them (``foglight watch`` polls them again)."""
        with self.engine.connect() as conn:
            return list(
                conn.scalars(
                    select(failures.c.source)
                    .where(failures.c.outcome == SKIPPED)
                    .where(failures.c.source.not_in(select(feeds.c.url)))
                    .order_by(failures.c.source)
                )
            )

    def articles_by_id(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(ids):
                rows = conn.execute(
                    select(
                        articles.c.id,
                        articles.c.source,
                        articles.c.outlet,
                        articles.c.published,
                        articles.c.title,
                        articles.c.url,
                        articles.c.path,
                    ).where(articles.c.id.in_(chunk))
                ).mappings()
                found.update((r["id"], dict(r)) for r in rows)
        for article_id, copies in self.copies_of(list(found)).items():
            found[article_id]["copies"] = copies
        return found

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article's row, text included."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
            )
        return None if row is None else dict(row)

    def article_mentions(self, article_id: str) -> list[tuple[str, Mention]]:
        """The article's event mentions in text order, each with its event's id."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(mentions)
                .where(mentions.c.article_id == article_id)
                .order_by(mentions.c.start, mentions.c.id)
            ).mappings()
            return [(r["event_id"], _mention_from_row(r)) for r in rows]

    def article_summaries(
        self,
        outlet: str | None = None,
        ids: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> tuple[int, list[dict[str, Any]]]:
        """How many articles (of ``outlet``, or among ``ids``, when given) there are, and
        one page of them, newest first, each with the number of events it reports."""
        where: list[ColumnElement[bool]] = []
        if outlet is not None:
            where.append(articles.c.outlet == outlet)
        if ids is not None:
            where.append(articles.c.id.in_(list(ids)))
        event_count = (
            select(func.count(distinct(mentions.c.event_id)))
            .where(mentions.c.article_id == articles.c.id)
            .scalar_subquery()
        )
        query = (
            select(
                articles.c.id,
                articles.c.title,
                articles.c.outlet,
                articles.c.published,
                articles.c.source,
                articles.c.url,
                event_count.label("events"),
            )
            .where(*where)
            .order_by(articles.c.published.desc().nulls_last(), articles.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(articles).where(*where)).scalar()
            rows = conn.execute(query).mappings().all()
        return int(total or 0), [dict(r) for r in rows]

    def search(
        self, words: Sequence[str], limit: int, offset: int = 0
    ) -> tuple[int, list[SearchRow]]:
        """How many articles contain every word, and one page of them, best first, each with
        a passage around the matches. The words are bound as one FTS5 query of quoted terms
        (SQLite) or one ``plainto_tsquery`` (PostgreSQL), so no search syntax reaches the
        index from a user."""
        if not words:
            return 0, []
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite":
                match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
                total = conn.execute(
                    text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :match"),
                    {"match": match},
                ).scalar()
                rows = conn.execute(
                    text(
                        "SELECT article_id, snippet(articles_fts, 2, :open, :close, '…', 24) "
                        "FROM articles_fts WHERE articles_fts MATCH :match "
                        "ORDER BY bm25(articles_fts), article_id LIMIT :limit OFFSET :offset"
                    ),
                    {
                        "open": MATCH_OPEN,
                        "close": MATCH_CLOSE,
                        "match": match,
                        "limit": limit,
                        "offset": offset,
                    },
                ).all()
                return int(total or 0), [SearchRow(article_id=r[0], snippet=r[1]) for r in rows]
            # PostgreSQL: the words as one tsquery of stemmed terms, all required
            # (plainto_tsquery reads no operators), over the tsvector column of revision 0001.
            params = {"words": " ".join(words), "limit": limit, "offset": offset}
            total = conn.execute(
                text(
                    "SELECT count(*) FROM articles "
                    "WHERE search @@ plainto_tsquery('english', :words)"
                ),
                params,
            ).scalar()
            rows = conn.execute(
                text(
                    "SELECT id, ts_headline('english', replace(text, '<', :lt), query, "
                    ":headline) "
                    "FROM articles, plainto_tsquery('english', :words) AS query "
                    "WHERE search @@ query "
                    "ORDER BY ts_rank(search, query) DESC, id LIMIT :limit OFFSET :offset"
                ),
                params | {"headline": _HEADLINE_OPTIONS, "lt": _HEADLINE_LT},
            ).all()
            return int(total or 0), [
                SearchRow(article_id=r[0], snippet=r[1].replace(_HEADLINE_LT, "<")) for r in rows
            ]

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                t.name: int(conn.execute(text(f"SELECT count(*) FROM {t.name}")).scalar() or 0)
                for t in metadata.sorted_tables
            }

    def events(
        self, filters: EventFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Event]:
        """Events in date order (undated first), with their mentions; ``limit`` and
        ``offset`` page through them."""
        query = (
            select(events)
            .where(*event_conditions(filters or EventFilter()))
            .order_by(events.c.date.asc().nulls_first(), events.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
            ids = [r["id"] for r in rows]
            by_event: dict[str, list[Mention]] = {i: [] for i in ids}
            for chunk in _chunks(ids):
                for m in conn.execute(
                    select(mentions)
                    .where(mentions.c.event_id.in_(chunk))
                    .order_by(mentions.c.article_id, mentions.c.start)
                ).mappings():
                    by_event[m["event_id"]].append(_mention_from_row(m))
        return [event_from_row(r, by_event[r["id"]]) for r in rows]

    def count_events(self, filters: EventFilter | None = None) -> int:
        query = select(func.count()).select_from(events)
        query = query.where(*event_conditions(filters or EventFilter()))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def event(self, event_id: str) -> Event | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(events).where(events.c.id == event_id)).mappings().first()
            if row is None:
                return None
            rows = conn.execute(
                select(mentions)
                .where(mentions.c.event_id == event_id)
                .order_by(mentions.c.article_id, mentions.c.start)
            ).mappings()
            return event_from_row(row, [_mention_from_row(m) for m in rows])

    def claims_of(self, event_ids: Sequence[str]) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = {i: [] for i in event_ids}
        with self.engine.connect() as conn:
            for chunk in _chunks(event_ids):
                for r in conn.execute(
                    select(claims).where(claims.c.event_id.in_(chunk)).order_by(claims.c.id)
                ).mappings():
                    out[r["event_id"]].append(
                        Claim(
                            field=r["field"],
                            value=json.loads(r["value"]),
                            article_id=r["article_id"],
                            outlet=r["outlet"],
                            attributed_to=tuple(json.loads(r["attributed_to"])),
                            certainty=Certainty(r["certainty"]),
                            mention_id=r["mention_id"],
                        )
                    )
        return out

    def export_records(self, filters: EventFilter | None = None) -> Iterator[dict[str, Any]]:
        """Events in the JSONL shape of spec/export.md."""
        evs = self.events(filters)
        article_ids = sorted({m.article_id for e in evs for m in e.mentions})
        meta = self.articles_by_id(article_ids)
        all_claims = self.claims_of([e.id for e in evs])
        for ev in evs:
            yield export_record(ev, meta, all_claims.get(ev.id, []))


def export_record(
    ev: Event, meta: dict[str, dict[str, Any]], event_claims: Sequence[Claim]
) -> dict[str, Any]:
    return {
        "id": ev.id,
        "kind": ev.kind,
        "date": ev.date.value,
        "date_precision": ev.date.precision.value,
        "place": ev.place.to_export(),
        "weapon": ev.weapon.value,
        "target_type": ev.target_type.value,
        "attacker": ev.attacker,
        "outcome": ev.outcome.value,
        "killed": ev.killed.to_export() if ev.killed else None,
        "injured": ev.injured.to_export() if ev.injured else None,
        "mentions": [
            {
                "article_id": m.article_id,
                "source": meta.get(m.article_id, {}).get("source"),
                "outlet": meta.get(m.article_id, {}).get("outlet"),
                "published": meta.get(m.article_id, {}).get("published"),
                "sentence": m.sentence,
                "start": m.start,
                "end": m.end,
                "attributed_to": list(m.attributed_to),
                "certainty": m.certainty.value,
                "merge_reason": m.merge_reason,
                # Other sites that published the same article (syndicated copies).
                "copies": meta.get(m.article_id, {}).get("copies", []),
            }
            for m in ev.mentions
        ],
        "claims": [c.to_export() for c in event_claims],
        "disagreements": disagreements(event_claims),
        "group": sorted({m.group for m in ev.mentions if m.group}) or None,
    }


def _framing_row(record: Quote | TermUse | OpinionSignal) -> dict[str, Any]:
    """A framing record as its table's row: the record's fields are the table's columns."""
    return {
        name: value.value
        if isinstance(value, Enum)
        else int(value)
        if isinstance(value, bool)
        else value
        for name, value in asdict(record).items()
    }


def _clear_failures(conn: Connection, article: Article, outcomes: tuple[str, ...]) -> None:
    """Forget what was recorded of an input that is now stored: under its source (its url
    when it has one), its path, the file of a JSONL record, or the url that was asked for
    before a redirect."""
    sources = {article.source, article.path, article.extra.get(REQUESTED_URL)}
    if article.path:
        sources.add(input_of(article.path))
    conn.execute(
        delete(failures).where(
            failures.c.source.in_(sources - {None}), failures.c.outcome.in_(outcomes)
        )
    )


def _put_failure(conn: Connection, source: str, reason: str, outcome: str) -> None:
    """Record (or replace) what became of an input: one row per source, even with two
    writers at once."""
    dialect_insert = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = dialect_insert(failures).values(
        source=source, reason=reason, failed_at=_now(), outcome=outcome
    )
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[failures.c.source],
            set_={
                "reason": statement.excluded.reason,
                "failed_at": statement.excluded.failed_at,
                "outcome": statement.excluded.outcome,
            },
        )
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: a killed process loses
    # nothing committed and the file never corrupts; a power cut may lose the latest
    # articles, which the next ingest of the same inputs writes again. FULL cost an fsync
    # per article.
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Readers (foglight serve) and one writer share the file; wait rather than fail.
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


def _sqlite_read_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Setting the journal mode is a write, which a mode=ro connection refuses; a reader
    # takes the file's mode as it is.
    # The driver's own transaction handling off: _sqlite_begin opens each one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _place_from_json(raw: str) -> Place:
    data = json.loads(raw)
    return Place(
        name=data["name"],
        admin1=data["admin1"],
        country=data["country"],
        lat=data["lat"],
        lon=data["lon"],
        precision=PlacePrecision(data["precision"]),
        gazetteer_id=data["gazetteer_id"],
        feature=data.get("feature"),
    )


def _mention_from_row(r: Any) -> Mention:
    return Mention(
        article_id=r["article_id"],
        sentence=r["sentence"],
        start=r["start"],
        end=r["end"],
        place=_place_from_json(r["place"]),
        date=EventDate(r["date"], DatePrecision(r["date_precision"])),
        date_basis=r["date_basis"],
        place_basis=r["place_basis"],
        merge_reason=r["merge_reason"],
        weapon=Weapon(r["weapon"]),
        target_type=TargetType(r["target_type"]),
        attacker=r["attacker"],
        outcome=Outcome(r["outcome"]),
        killed=_load_count(r["killed"]),
        injured=_load_count(r["injured"]),
        drones=_load_count(r["drones"]),
        missiles=_load_count(r["missiles"]),
        group=r["group_key"],
        group_killed=_load_count(r["group_killed"]),
        group_injured=_load_count(r["group_injured"]),
        attributed_to=tuple(json.loads(r["attributed_to"])),
        certainty=Certainty(r["certainty"]),
        hedges=tuple(json.loads(r["hedges"])),
    )


def event_from_row(r: Any, event_mentions: list[Mention]) -> Event:
    """An ``events`` row (any mapping with its columns) as an Event."""

    def count(prefix: str) -> Count | None:
        low = r[f"{prefix}_min"]
        return None if low is None else Count(int(low), r[f"{prefix}_max"])

    return Event(
        id=r["id"],
        kind=r["kind"],
        date=EventDate(r["date"], DatePrecision(r["date_precision"])),
        place=Place(
            name=r["place_name"],
            admin1=r["admin1"],
            country=r["country"],
            lat=r["lat"],
            lon=r["lon"],
            precision=PlacePrecision(r["place_precision"]),
            gazetteer_id=r["gazetteer_id"],
        ),
        weapon=Weapon(r["weapon"]),
        target_type=TargetType(r["target_type"]),
        attacker=r["attacker"],
        outcome=Outcome(r["outcome"]),
        killed=count("killed"),
        injured=count("injured"),
        mentions=event_mentions,
    )
