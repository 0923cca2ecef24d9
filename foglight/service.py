"""The read side of the ledger as typed records: what the web pages, the REST API and the
HTML report are built from.

Every function takes a ``Store`` and returns pydantic models (or the dataclasses of
``foglight.outlets``), so a page and its API endpoint are the same call rendered two ways.
Event records keep the field names of spec/export.md: ``EventRecord`` is the typed form of
``store.export_record``'s output.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from itertools import pairwise
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select

from foglight.models import Certainty, DatePrecision, Outcome, PlacePrecision, TargetType, Weapon
from foglight.store import (
    MATCH_CLOSE,
    MATCH_OPEN,
    EventFilter,
    Store,
    articles,
    event_conditions,
    event_from_row,
    events,
    export_record,
    mentions,
)

# Paging bounds shared by the API and the pages: a page of 1000 events stays under a few
# megabytes of JSON; offsets beyond a billion cannot address a row and would overflow
# SQLite's integer.
MAX_PAGE = 1000
MAX_OFFSET = 1_000_000_000

# Ids are the hex digests foglight writes (16 characters); anything else is refused before
# it reaches the database.
ID_PATTERN = r"^[0-9a-f]{8,32}$"
EventId = Annotated[
    str, Field(pattern=ID_PATTERN, description="An event id, e.g. 4eb1fb12552ccecb")
]
ArticleId = Annotated[str, Field(pattern=ID_PATTERN, description="An article id")]


# -- filters -------------------------------------------------------------------------------


class EventQuery(BaseModel):
    """The event filters of the map page, the API and ``foglight report``. An empty value
    (as an HTML form sends for a field left blank) does not filter."""

    model_config = ConfigDict(extra="ignore")

    since: date | None = Field(
        default=None, description="Events on or after this day (YYYY-MM-DD)."
    )
    until: date | None = Field(
        default=None, description="Events on or before this day (YYYY-MM-DD)."
    )
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")] | None = Field(
        default=None, description="ISO 3166-1 alpha-2 code of the event's country, e.g. RU."
    )
    weapon: Weapon | None = None
    target: TargetType | None = Field(
        default=None, description="Target type (export's target_type)."
    )
    outlet: Annotated[str, Field(max_length=200)] | None = Field(
        default=None, description="Only events reported by this outlet, e.g. cnn.com."
    )
    place: Annotated[str, Field(max_length=200)] | None = Field(
        default=None, description="Place or region name (substring)."
    )
    disputed: bool | None = Field(default=None, description="Only events whose sources disagree.")

    @field_validator("*", mode="before")
    @classmethod
    def blank_is_unset(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def to_filter(self) -> EventFilter:
        return EventFilter(
            since=self.since.isoformat() if self.since else None,
            until=self.until.isoformat() if self.until else None,
            country=self.country.upper() if self.country else None,
            weapon=self.weapon.value if self.weapon else None,
            target=self.target.value if self.target else None,
            outlet=self.outlet,
            place=self.place,
            disputed=bool(self.disputed),
        )

    def is_empty(self) -> bool:
        return self == EventQuery()


# -- events --------------------------------------------------------------------------------


class PlaceRecord(BaseModel):
    name: str | None
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    precision: PlacePrecision
    gazetteer_id: str | None


class CountRecord(BaseModel):
    min: int
    max: int | None


class CopyRecord(BaseModel):
    """Another publication of an article: a syndicated or near-duplicate copy."""

    source: str
    url: str | None
    outlet: str | None
    published: str | None


class MentionRecord(BaseModel):
    article_id: str
    source: str | None
    outlet: str | None
    published: str | None
    sentence: str
    start: int
    end: int
    attributed_to: list[str]
    certainty: Certainty
    merge_reason: str | None = None
    copies: list[CopyRecord] = []


class ClaimRecord(BaseModel):
    field: str
    value: Any
    article_id: str
    attributed_to: list[str]


class DisagreementValue(BaseModel):
    value: Any
    article_ids: list[str]


class Disagreement(BaseModel):
    field: str
    values: list[DisagreementValue]


class EventRecord(BaseModel):
    """One event in the shape of spec/export.md."""

    id: str
    kind: str
    date: str | None
    date_precision: DatePrecision
    place: PlaceRecord
    weapon: Weapon
    target_type: TargetType
    attacker: str
    outcome: Outcome
    killed: CountRecord | None
    injured: CountRecord | None
    mentions: list[MentionRecord]
    claims: list[ClaimRecord]
    disagreements: list[Disagreement]
    group: list[str] | None = None


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    events: list[EventRecord]


def event_records(
    store: Store, filters: EventFilter, limit: int | None = None, offset: int = 0
) -> list[EventRecord]:
    evs = store.events(filters, limit=limit, offset=offset)
    meta = store.articles_by_id(sorted({m.article_id for e in evs for m in e.mentions}))
    all_claims = store.claims_of([e.id for e in evs])
    return [EventRecord.model_validate(export_record(e, meta, all_claims[e.id])) for e in evs]


def event_page(store: Store, filters: EventFilter, limit: int, offset: int) -> EventPage:
    return EventPage(
        total=store.count_events(filters),
        limit=limit,
        offset=offset,
        events=event_records(store, filters, limit, offset),
    )


def event_record(store: Store, event_id: str) -> EventRecord | None:
    ev = store.event(event_id)
    if ev is None:
        return None
    meta = store.articles_by_id(sorted({m.article_id for m in ev.mentions}))
    event_claims = store.claims_of([ev.id])[ev.id]
    return EventRecord.model_validate(export_record(ev, meta, event_claims))


class MapPoint(BaseModel):
    """What the map, the timeline and the event list draw of one event (an event without
    coordinates is listed and counted on the timeline, but not drawn)."""

    id: str
    date: str | None
    date_precision: DatePrecision
    place: str | None
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    precision: PlacePrecision
    weapon: Weapon
    target_type: TargetType
    outcome: Outcome
    killed: CountRecord | None
    injured: CountRecord | None
    mentions: int
    outlets: list[str]
    disputed: bool


def map_points(store: Store, filters: EventFilter, limit: int | None = None) -> list[MapPoint]:
    """Every matching event in date order, or with ``limit`` the latest ``limit`` of them:
    one query for the events and one for their outlets, however many there are."""
    event_rows = select(events).where(*event_conditions(filters))
    if limit is not None:
        event_rows = event_rows.order_by(
            events.c.date.desc().nulls_last(), events.c.id.desc()
        ).limit(limit)
    with store.engine.connect() as conn:
        rows = sorted(
            conn.execute(event_rows).mappings().all(),
            key=lambda row: (row["date"] is not None, row["date"] or "", row["id"]),
        )
        wanted = event_rows.with_only_columns(events.c.id).scalar_subquery()
        reports = conn.execute(
            select(mentions.c.event_id, articles.c.outlet)
            .join(articles, articles.c.id == mentions.c.article_id)
            .where(mentions.c.event_id.in_(wanted))
        ).all()
    mention_count: dict[str, int] = defaultdict(int)
    outlets: dict[str, set[str]] = defaultdict(set)
    for event_id, outlet in reports:
        mention_count[event_id] += 1
        if outlet:
            outlets[event_id].add(outlet)
    points = []
    for row in rows:
        ev = event_from_row(row, [])
        points.append(
            MapPoint(
                id=ev.id,
                date=ev.date.value,
                date_precision=ev.date.precision,
                place=ev.place.name,
                admin1=ev.place.admin1,
                country=ev.place.country,
                lat=ev.place.lat,
                lon=ev.place.lon,
                precision=ev.place.precision,
                weapon=ev.weapon,
                target_type=ev.target_type,
                outcome=ev.outcome,
                killed=ev.killed.to_export() if ev.killed else None,
                injured=ev.injured.to_export() if ev.injured else None,
                mentions=mention_count[ev.id],
                outlets=sorted(outlets[ev.id]),
                disputed=bool(row["disputed"]),
            )
        )
    return points


def event_count(store: Store, filters: EventFilter) -> int:
    return store.count_events(filters)


def filter_choices(store: Store) -> dict[str, list[str]]:
    """The values the map's filter form offers: countries and outlets present in the
    ledger, and every weapon and target type."""
    with store.engine.connect() as conn:
        countries = conn.execute(
            select(events.c.country).where(events.c.country.is_not(None)).distinct()
        ).scalars()
        outlet_names = conn.execute(
            select(articles.c.outlet).where(articles.c.outlet.is_not(None)).distinct()
        ).scalars()
        return {
            "country": sorted(countries),
            "outlet": sorted(outlet_names),
            "weapon": [w.value for w in Weapon],
            "target": [t.value for t in TargetType],
        }


# -- articles ------------------------------------------------------------------------------


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    source: str
    url: str | None
    events: int


class ArticlePage(BaseModel):
    total: int
    limit: int
    offset: int
    articles: list[ArticleSummary]


class ArticleMention(BaseModel):
    """A sentence of the article that reports an event."""

    event_id: str
    sentence: str
    start: int
    end: int
    certainty: Certainty
    attributed_to: list[str]


class ArticleRecord(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    published_from: str
    source: str
    url: str | None
    author: str | None
    text: str
    mentions: list[ArticleMention]
    copies: list[CopyRecord]


class ArticleSegment(BaseModel):
    """A stretch of article text with the events whose sentence it belongs to (none: plain
    text)."""

    text: str
    start: int  # offset in the article text
    event_ids: list[str] = []
    ending: list[str] = []  # events whose sentence ends with this segment


def article_page(store: Store, outlet: str | None, limit: int, offset: int) -> ArticlePage:
    """One page of articles, of ``outlet`` when one is named (a blank name names none)."""
    outlet = outlet.strip() if outlet and outlet.strip() else None
    total, rows = store.article_summaries(outlet=outlet, limit=limit, offset=offset)
    return ArticlePage(
        total=total,
        limit=limit,
        offset=offset,
        articles=[ArticleSummary.model_validate(r) for r in rows],
    )


def article_record(store: Store, article_id: str) -> ArticleRecord | None:
    row = store.article(article_id)
    if row is None:
        return None
    return ArticleRecord(
        **{name: row[name] for name in ArticleRecord.model_fields if name in row},
        mentions=[
            ArticleMention(
                event_id=event_id,
                sentence=m.sentence,
                start=m.start,
                end=m.end,
                certainty=m.certainty,
                attributed_to=list(m.attributed_to),
            )
            for event_id, m in store.article_mentions(article_id)
        ],
        copies=[CopyRecord.model_validate(c) for c in store.copies_of([article_id])[article_id]],
    )


def article_segments(article: ArticleRecord) -> list[ArticleSegment]:
    """The text cut at every mention boundary, each piece with the events reported there,
    so a page can mark event sentences without putting markup into the text."""
    length = len(article.text)
    spans = [
        (event_id, low, high)
        for event_id, low, high in (
            (m.event_id, max(0, min(m.start, length)), max(0, min(m.end, length)))
            for m in article.mentions
        )
        if low < high
    ]
    cuts = {0, length} | {low for _, low, _ in spans} | {high for _, _, high in spans}
    segments = []
    for low, high in pairwise(sorted(cuts)):
        covering = [(e, end) for e, start, end in spans if start <= low and high <= end]
        segments.append(
            ArticleSegment(
                text=article.text[low:high],
                start=low,
                event_ids=sorted({e for e, _ in covering}),
                ending=sorted({e for e, end in covering if end == high}),
            )
        )
    return segments


# -- search --------------------------------------------------------------------------------


class PassagePiece(BaseModel):
    """A piece of a search passage: a matched word or the text between matches."""

    text: str
    match: bool


class SearchHit(BaseModel):
    article: ArticleSummary
    passage: list[PassagePiece]


class SearchPage(BaseModel):
    query: str
    words: list[str]  # what was searched for: the query's words, without punctuation
    total: int
    limit: int
    offset: int
    hits: list[SearchHit]


# A search word: letters and digits of any script, so a query is words, never FTS syntax.
_WORD = re.compile(r"\w+")
MAX_SEARCH_WORDS = 12


def search(store: Store, query: str, limit: int, offset: int) -> SearchPage:
    words = _WORD.findall(query)[:MAX_SEARCH_WORDS]
    total, rows = store.search(words, limit=limit, offset=offset)
    _, found = store.article_summaries(ids=[r.article_id for r in rows])
    summaries = {s["id"]: ArticleSummary.model_validate(s) for s in found}
    return SearchPage(
        query=query,
        words=words,
        total=total,
        limit=limit,
        offset=offset,
        hits=[
            SearchHit(article=summaries[r.article_id], passage=_passage_segments(r.snippet))
            for r in rows
            if r.article_id in summaries
        ],
    )


def _passage_segments(snippet: str) -> list[PassagePiece]:
    # Pieces alternate outside / inside the match markers.
    pieces = re.split(f"[{MATCH_OPEN}{MATCH_CLOSE}]", snippet)
    return [PassagePiece(text=p, match=i % 2 == 1) for i, p in enumerate(pieces) if p]
