"""Tests for foglight.store: hand-built records written to a real SQLite file and read back.

No spaCy here: ``Article``, ``Mention`` and ``Event`` records are built by hand, so these tests
pin the database and export shapes independently of extraction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from foglight.models import (
    Article,
    ArticleFraming,
    Certainty,
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
    QuoteKind,
    Side,
    SignalKind,
    TargetType,
    TermUse,
    Weapon,
    article_id_for,
)
from foglight.store import EventFilter, Store
from foglight.store import events as events_table

# Invented articles (invented outlets; the places are real so the records look like real ones).
TEXT_A = (
    "Refinery fire after overnight raid\n\n"
    "Drones struck the oil refinery in Novoshakhtinsk early on Sunday, the regional governor "
    "said. Three workers were killed, he added.\n\n"
    "A second attack on Kharkiv was reported in June."
)
TEXT_B = (
    "Officials in Rostov said on Monday that nobody was killed when drones hit the "
    "Novoshakhtinsk refinery on Sunday."
)

NOVOSHAKHTINSK = Place(
    name="Novoshakhtinsk refinery", admin1="Rostov Oblast", country="RU", lat=47.7661,
    lon=39.9102, precision=PlacePrecision.FACILITY, gazetteer_id="facility:novoshakhtinsk",
    feature="oil_facility")
KHARKIV = Place(
    name="Kharkiv", admin1="Kharkiv Oblast", country="UA", lat=49.98081, lon=36.25272,
    precision=PlacePrecision.SETTLEMENT, gazetteer_id="geonames:706483")
UKRAINE = Place(name=None, admin1=None, country="UA", lat=None, lon=None,
                precision=PlacePrecision.COUNTRY, gazetteer_id=None)

EXPORT_KEYS = {"id", "kind", "date", "date_precision", "place", "weapon", "target_type",
               "attacker", "outcome", "killed", "injured", "mentions", "claims",
               "disagreements"}
PLACE_KEYS = {"name", "admin1", "country", "lat", "lon", "precision", "gazetteer_id"}
MENTION_KEYS = {"article_id", "source", "outlet", "published", "sentence", "start", "end",
                "attributed_to", "certainty"}
CLAIM_KEYS = {"field", "value", "article_id", "attributed_to"}


def article(text: str, **fields: Any) -> Article:
    base: dict[str, Any] = {
        "id": article_id_for(text), "text": text,
        "source": "https://alpha.example/2024/05/06/refinery",
        "url": "https://alpha.example/2024/05/06/refinery", "path": "in/alpha.md",
        "title": "Refinery fire after overnight raid", "published": date(2024, 5, 6),
        "published_from": "front_matter", "outlet": "alpha.example", "author": "A. Writer",
        "extra": {"lang": "en", "tags": ["energy", "drones"]},
    }
    base.update(fields)
    return Article(**base)


def sentence_span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


def mention(art: Article, sentence: str, **fields: Any) -> Mention:
    start, end = sentence_span(art.text, sentence)
    base: dict[str, Any] = {
        "article_id": art.id, "sentence": art.text[start:end], "start": start, "end": end,
        "place": NOVOSHAKHTINSK, "date": EventDate.day(date(2024, 5, 5)),
        "weapon": Weapon.DRONE, "target_type": TargetType.OIL_FACILITY, "attacker": "UA",
        "outcome": Outcome.HIT, "killed": Count(3, 3), "injured": Count(2, None),
        "attributed_to": ("the regional governor",), "certainty": Certainty.ATTRIBUTED,
        "hedges": ("reportedly",), "drones": Count(5, 5), "missiles": None, "group": "g-1",
        "group_killed": Count(4, 4), "group_injured": Count(0, 0), "date_basis": "attack",
    }
    base.update(fields)
    return Mention(**base)


def event_of(event_id: str, mentions: list[Mention], **fields: Any) -> Event:
    head = mentions[0]
    base: dict[str, Any] = {
        "id": event_id, "date": head.date,
        # The events table keeps no gazetteer feature; only mentions do.
        "place": replace(head.place, feature=None),
        "weapon": head.weapon, "target_type": head.target_type, "attacker": head.attacker,
        "outcome": head.outcome, "killed": head.killed, "injured": head.injured,
        "mentions": sorted(mentions, key=lambda m: (m.article_id, m.start)),
    }
    base.update(fields)
    return Event(**base)


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    s = Store(db)
    yield s
    s.close()


@pytest.fixture
def art_a() -> Article:
    return article(TEXT_A)


@pytest.fixture
def three_events(art_a: Article) -> list[Event]:
    """A day-precision drone strike in RU, a month-precision missile strike in UA, and a
    country-level artillery strike with no date."""
    m1 = mention(art_a, "Drones struck the oil refinery in Novoshakhtinsk early on Sunday, "
                        "the regional governor said.")
    m1b = mention(art_a, "Three workers were killed, he added.", hedges=(), drones=None,
                  group=None, group_killed=None, group_injured=None, date_basis="context")
    m2 = mention(art_a, "A second attack on Kharkiv was reported in June.", place=KHARKIV,
                 date=EventDate.month(2024, 6), weapon=Weapon.MISSILE,
                 target_type=TargetType.RESIDENTIAL, attacker="RU", outcome=Outcome.UNKNOWN,
                 killed=None, injured=None, attributed_to=(), certainty=Certainty.ASSERTED,
                 hedges=(), drones=None, missiles=Count(2, None), group=None,
                 group_killed=None, group_injured=None, date_basis="report")
    m3 = mention(art_a, "Refinery fire after overnight raid", place=UKRAINE, date=EventDate(
                 None, DatePrecision.UNKNOWN), weapon=Weapon.ARTILLERY,
                 target_type=TargetType.OTHER, attacker="unknown",
                 outcome=Outcome.MOSTLY_INTERCEPTED, killed=None, injured=Count(0, 0),
                 attributed_to=("a Ukrainian official", "local media"),
                 certainty=Certainty.HEDGED, hedges=("suspected", "could not be verified"),
                 drones=None, group=None, group_killed=None, group_injured=None,
                 date_basis="none")
    return [event_of("e-refinery", [m1, m1b]), event_of("e-kharkiv", [m2]),
            event_of("e-country", [m3])]


def test_event_round_trip_every_field(store: Store, art_a: Article,
                                      three_events: list[Event]) -> None:
    store.save_article(art_a, three_events)
    for ev in three_events:
        assert store.event(ev.id) == ev
    assert store.events() == sorted(
        three_events, key=lambda e: (e.date.value is not None, e.date.value or "", e.id))
    assert store.event("no-such-event") is None


def test_article_round_trip(store: Store, art_a: Article, three_events: list[Event]) -> None:
    store.save_article(art_a, three_events)
    assert store.has_article(art_a.id)
    assert not store.has_article(article_id_for("something else"))
    meta = store.articles_by_id([art_a.id])[art_a.id]
    assert meta == {"id": art_a.id, "source": art_a.source, "outlet": "alpha.example",
                    "published": "2024-05-06", "title": art_a.title, "url": art_a.url,
                    "path": "in/alpha.md", "copies": []}
    with store.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM articles WHERE id = :id"),
                           {"id": art_a.id}).mappings().one()
    assert row["text"] == TEXT_A
    assert row["author"] == "A. Writer"
    assert row["published_from"] == "front_matter"
    assert json.loads(row["extra"]) == {"lang": "en", "tags": ["energy", "drones"]}
    counts = store.counts()
    assert {k: v for k, v in counts.items() if k != "claims"} == {
        "articles": 1, "mentions": 4, "events": 3, "failures": 0,
        "quotes": 0, "term_uses": 0, "opinion_signals": 0, "article_signatures": 0,
        "article_bands": 0, "article_copies": 0, "feeds": 0, "feed_items": 0}
    assert counts["claims"] > 0


def test_framing_rows_are_written_with_the_article(store: Store, art_a: Article) -> None:
    sentence = "The regional governor said the Kiev regime was to blame."
    framing = ArticleFraming(
        quotes=(Quote(art_a.id, "The regional governor", Side.RUSSIAN_OFFICIAL,
                      QuoteKind.INDIRECT, "said", sentence, 0, len(sentence), "RU"),),
        terms=(TermUse(art_a.id, "Kiev", "place_spelling", "russian", "Kiev", sentence,
                       sentence.index("Kiev")),
               TermUse(art_a.id, "Kyiv regime", "delegitimising", "russian", "Kiev regime",
                       sentence, sentence.index("Kiev"))),
        signals=(OpinionSignal(art_a.id, SignalKind.EVALUATIVE, "blame", sentence, 48),),
    )
    store.save_article(art_a, [], framing)
    with store.engine.connect() as conn:
        def rows(sql: str) -> list[tuple[Any, ...]]:
            return [tuple(row) for row in conn.execute(text(sql))]
        quote = rows("SELECT speaker, side, country, sentence FROM quotes")
        terms = rows("SELECT term, quoted FROM term_uses ORDER BY id")
        signals = rows("SELECT kind, text FROM opinion_signals")
    assert quote == [("The regional governor", "russian_official", "RU", sentence)]
    assert terms == [("Kiev", 0), ("Kyiv regime", 0)]
    assert signals == [("evaluative", "blame")]


@pytest.mark.parametrize(("filters", "expected"), [
    (EventFilter(), {"e-refinery", "e-kharkiv", "e-country"}),
    (EventFilter(since="2024-05-06"), {"e-kharkiv"}),
    (EventFilter(since="2024-05-05"), {"e-refinery", "e-kharkiv"}),
    (EventFilter(until="2024-05-31"), {"e-refinery"}),
    (EventFilter(until="2024-06-30"), {"e-refinery", "e-kharkiv"}),
    (EventFilter(since="2024-05-01", until="2024-05-05"), {"e-refinery"}),
    (EventFilter(country="RU"), {"e-refinery"}),
    (EventFilter(country="ua"), {"e-kharkiv", "e-country"}),
    (EventFilter(weapon="drone"), {"e-refinery"}),
    (EventFilter(weapon="missile"), {"e-kharkiv"}),
    (EventFilter(weapon="sea_drone"), set()),
    (EventFilter(place="Kharkiv"), {"e-kharkiv"}),
    (EventFilter(place="Rostov"), {"e-refinery"}),  # matches admin1
    (EventFilter(place="novoshakhtinsk"), {"e-refinery"}),
    (EventFilter(country="RU", weapon="missile"), set()),
])
def test_filters(store: Store, art_a: Article, three_events: list[Event],
                 filters: EventFilter, expected: set[str]) -> None:
    store.save_article(art_a, three_events)
    assert {e.id for e in store.events(filters)} == expected
    assert {r["id"] for r in store.export_records(filters)} == expected


def test_failures_recorded_listed_and_cleared(store: Store, art_a: Article) -> None:
    store.record_failure("in/broken.bin", "binary file")
    store.record_failure("in/alpha.md", "empty file")
    store.record_failure("in/broken.bin", "binary file (again)")  # replaces, no duplicate
    rows = store.failures()
    assert [(r["source"], r["reason"]) for r in rows] == [
        ("in/alpha.md", "empty file"), ("in/broken.bin", "binary file (again)")]
    assert all(r["failed_at"] for r in rows)
    # Ingesting the file successfully later clears its failure.
    store.save_article(art_a, [])
    assert [r["source"] for r in store.failures()] == ["in/broken.bin"]


def test_plain_sqlite_file(tmp_path: Path, art_a: Article, three_events: list[Event]) -> None:
    db_path = tmp_path / "plain.db"
    store = Store(str(db_path))
    store.save_article(art_a, three_events)
    store.close()
    conn = sqlite3.connect(db_path)
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        assert {"articles", "mentions", "events", "claims", "failures",
                "articles_fts"} <= tables
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        found = conn.execute(
            "SELECT article_id FROM articles_fts WHERE articles_fts MATCH 'refinery'").fetchall()
        assert found == [(art_a.id,)]
        assert conn.execute(
            "SELECT article_id FROM articles_fts WHERE articles_fts MATCH 'submarine'"
        ).fetchall() == []
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 3
        assert conn.execute(
            "SELECT place_name, country, weapon FROM events WHERE id = 'e-refinery'"
        ).fetchone() == ("Novoshakhtinsk refinery", "RU", "drone")
    finally:
        conn.close()


def test_export_record_shape(store: Store, art_a: Article, three_events: list[Event]) -> None:
    store.save_article(art_a, three_events)
    records = {r["id"]: r for r in store.export_records()}
    assert set(records) == {"e-refinery", "e-kharkiv", "e-country"}
    for record in records.values():
        json.dumps(record)  # JSON-serialisable as it stands
        assert set(record) >= EXPORT_KEYS
        assert set(record["place"]) >= PLACE_KEYS
        assert record["kind"] == "attack"
        for m in record["mentions"]:
            assert set(m) >= MENTION_KEYS
            assert m["sentence"] == TEXT_A[m["start"]:m["end"]]
            assert m["source"] == art_a.source
            assert m["outlet"] == "alpha.example"
            assert m["published"] == "2024-05-06"
            assert isinstance(m["attributed_to"], list)
        for c in record["claims"]:
            assert set(c) >= CLAIM_KEYS
            assert isinstance(c["attributed_to"], list)
        for d in record["disagreements"]:
            assert {"field", "values"} <= set(d)
            for v in d["values"]:
                assert {"value", "article_ids"} <= set(v)

    refinery = records["e-refinery"]
    assert refinery["date"] == "2024-05-05"
    assert refinery["date_precision"] == "day"
    assert refinery["place"] == {
        "name": "Novoshakhtinsk refinery", "admin1": "Rostov Oblast", "country": "RU",
        "lat": 47.7661, "lon": 39.9102, "precision": "facility",
        "gazetteer_id": "facility:novoshakhtinsk"}
    assert (refinery["weapon"], refinery["target_type"], refinery["attacker"],
            refinery["outcome"]) == ("drone", "oil_facility", "UA", "hit")
    assert refinery["killed"] == {"min": 3, "max": 3}
    assert refinery["injured"] == {"min": 2, "max": None}
    assert refinery["mentions"][0]["attributed_to"] == ["the regional governor"]
    assert refinery["mentions"][0]["certainty"] == "attributed"
    claimed = {(c["field"], json.dumps(c["value"], sort_keys=True)) for c in refinery["claims"]}
    assert ("killed", json.dumps({"max": 3, "min": 3})) in claimed
    assert ("drones", json.dumps({"max": 5, "min": 5})) in claimed
    assert ("group_killed", json.dumps({"max": 4, "min": 4})) in claimed
    assert ("weapon", '"drone"') in claimed
    assert refinery["disagreements"] == []

    country = records["e-country"]
    assert country["date"] is None and country["date_precision"] == "unknown"
    assert country["place"]["precision"] == "country"
    assert country["place"]["name"] is None and country["place"]["lat"] is None
    assert country["killed"] is None
    assert country["injured"] == {"min": 0, "max": 0}
    assert country["mentions"][0]["certainty"] == "hedged"
    assert country["mentions"][0]["attributed_to"] == ["a Ukrainian official", "local media"]


def test_disagreeing_killed_figures(store: Store, art_a: Article) -> None:
    """One attack reported by two outlets, 3 killed vs nobody killed: both figures are kept as
    claims and the export lists the disagreement with the articles behind each value."""
    art_b = article(TEXT_B, source="https://beta.example/2024/05/06/rostov",
                    url="https://beta.example/2024/05/06/rostov", path=None,
                    outlet="beta.example", title=None, extra={})
    m_a = mention(art_a, "Drones struck the oil refinery in Novoshakhtinsk early on Sunday, "
                         "the regional governor said.")
    m_b = mention(art_b, TEXT_B, killed=Count(0, 0), injured=None,
                  attributed_to=("officials in Rostov",), hedges=(), drones=None,
                  group=None, group_killed=None, group_injured=None)
    store.save_article(art_a, [event_of("e-1", [m_a])])
    store.save_article(art_b, [event_of("e-1", [m_a, m_b])])

    [record] = list(store.export_records())
    assert {m["article_id"] for m in record["mentions"]} == {art_a.id, art_b.id}
    for m in record["mentions"]:
        text = TEXT_A if m["article_id"] == art_a.id else TEXT_B
        assert m["sentence"] == text[m["start"]:m["end"]]
    by_article = {m["article_id"]: m for m in record["mentions"]}
    assert by_article[art_b.id]["outlet"] == "beta.example"
    assert by_article[art_a.id]["outlet"] == "alpha.example"

    killed = [d for d in record["disagreements"] if d["field"] == "killed"]
    assert len(killed) == 1
    values = {json.dumps(v["value"], sort_keys=True): v["article_ids"]
              for v in killed[0]["values"]}
    assert values == {json.dumps({"max": 3, "min": 3}): [art_a.id],
                      json.dumps({"max": 0, "min": 0}): [art_b.id]}
    # Fields both mentions agree on are not disagreements.
    assert "weapon" not in {d["field"] for d in record["disagreements"]}
    assert "date" not in {d["field"] for d in record["disagreements"]}


def test_since_and_until_keep_a_month_dated_event_whose_month_overlaps(store: Store) -> None:
    from foglight.store import event_conditions

    with store.transaction() as conn:
        for event_id, day, precision in [("e-month", "2023-08", "month"),
                                         ("e-year", "2025", "year"),
                                         ("e-day", "2023-08-01", "day")]:
            conn.execute(events_table.insert().values(
                id=event_id, kind="attack", date=day, date_precision=precision,
                place_precision="unknown", weapon="drone", target_type="other",
                attacker="unknown", outcome="unknown"))

    def matching(**given: str) -> set[str]:
        with store.engine.connect() as conn:
            query = events_table.select().where(*event_conditions(EventFilter(**given)))
            return {row.id for row in conn.execute(query)}

    assert matching(since="2023-08-02") == {"e-month", "e-year"}
    assert matching(until="2023-08-02") == {"e-month", "e-day"}
    assert matching(since="2025-06-01", until="2025-06-30") == {"e-year"}
    assert matching(since="2023-09-01", until="2024-12-31") == set()


def test_search_on_the_backend_index(store: Store, art_a: Article) -> None:
    """FTS5 on SQLite, a tsvector on PostgreSQL: every word required, matches marked in the
    passage, search syntax read as words."""
    from foglight.store import MATCH_CLOSE, MATCH_OPEN

    art_b = article(TEXT_B, source="https://beta.example/b", url="https://beta.example/b",
                    path="in/beta.md", title="Port struck")
    store.save_article(art_a, [])
    store.save_article(art_b, [])
    total, rows = store.search(["refinery", "governor"], limit=10)
    assert total == 1
    [row] = rows
    assert row.article_id == art_a.id
    assert f"{MATCH_OPEN}refinery{MATCH_CLOSE}" in row.snippet.lower()
    assert store.search(["refinery", "submarine"], limit=10) == (0, [])
    for syntax in ['refinery OR "', "NEAR(", "*", "refinery:*", "!!", "a & | b"]:
        store.search(syntax.split(), limit=10)  # no error, whatever it finds
    total, first = store.search(["Novoshakhtinsk"], limit=1)
    _, second = store.search(["Novoshakhtinsk"], limit=1, offset=1)
    assert total == 2
    assert {first[0].article_id, second[0].article_id} == {art_a.id, art_b.id}


def test_profile_cache_follows_a_growing_ledger(store: Store, art_a: Article,
                                                three_events: list[Event]) -> None:
    """The server's outlet profiles are recomputed when articles arrive, not otherwise."""
    from foglight.outlets import ProfileCache

    cache = ProfileCache(store)
    assert cache.profiles() == []
    store.save_article(art_a, three_events)
    first = cache.profiles()
    assert [(p.outlet, p.articles, p.events) for p in first] == [("alpha.example", 1, 3)]
    assert cache.profiles() is first  # nothing changed: the same computed list
    art_b = article(TEXT_B, source="https://beta.example/b", url="https://beta.example/b",
                    path="in/beta.md", outlet="beta.example")
    store.save_article(art_b, [])
    assert sorted((p.outlet, p.articles) for p in cache.profiles()) == [
        ("alpha.example", 1), ("beta.example", 1)]
