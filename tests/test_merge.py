"""Merging across articles: one event per attack, reasons in words, stable ids."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import NewDb

from foglight.merge import LedgerIndex, build_event, matching_event, merge_reason
from foglight.models import (
    UNKNOWN_DATE,
    Certainty,
    Count,
    EventDate,
    Mention,
    Outcome,
    Place,
    PlacePrecision,
    TargetType,
    Weapon,
)
from foglight.options import Options
from foglight.pipeline import ingest
from foglight.store import Store

ENGELS_2 = Place("Engels-2 air base", "Saratov Oblast", "RU", 51.4817, 46.2103,
                 PlacePrecision.FACILITY, "facility:engels-2", "airbase")
ENGELS = Place("Engels", "Saratov Oblast", "RU", 51.4989, 46.1211, PlacePrecision.SETTLEMENT,
               "geonames:563464")
DYAGILEVO = Place("Dyagilevo air base", "Ryazan Oblast", "RU", 54.6447, 39.5703,
                  PlacePrecision.FACILITY, "facility:dyagilevo", "airbase")
SARATOV_OBLAST = Place("Saratov Oblast", "Saratov Oblast", "RU", 51.54, 46.01,
                       PlacePrecision.ADMIN1, "admin1:RU.67")
RUSSIA = Place(None, None, "RU", None, None, PlacePrecision.COUNTRY, "country:RU")
MONDAY = EventDate.day(date(2022, 12, 5))


def report(article: str, place: Place = ENGELS_2, when: EventDate = MONDAY,
           weapon: Weapon = Weapon.DRONE, killed: Count | None = None) -> Mention:
    return Mention(
        article_id=article, sentence=f"{article} reports an attack.", start=0, end=30,
        place=place, date=when, date_basis="attack" if when.value else "none", weapon=weapon,
        target_type=TargetType.AIRBASE, attacker="UA", outcome=Outcome.HIT, killed=killed,
        injured=None, attributed_to=(), certainty=Certainty.ASSERTED)


def test_same_facility_same_day_is_one_attack_with_a_reason() -> None:
    why = merge_reason(build_event([report("b")]), build_event([report("a")]))
    assert why == ("same facility Engels-2 air base, same day 2022-12-05, both drone", True)


def test_a_facility_and_its_town_are_one_place() -> None:
    why = merge_reason(build_event([report("b", ENGELS)]), build_event([report("a")]))
    assert why is not None and why[1]


def test_different_days_places_or_weapons_stay_apart() -> None:
    old = build_event([report("a")])
    assert merge_reason(build_event([report("b", when=EventDate.day(date(2022, 12, 6)))]),
                        old) is None
    assert merge_reason(build_event([report("b", DYAGILEVO)]), old) is None
    assert merge_reason(build_event([report("b", weapon=Weapon.MISSILE)]), old) is None


def test_one_article_never_merges_with_itself() -> None:
    assert merge_reason(build_event([report("a")]), build_event([report("a")])) is None


def test_a_vague_report_joins_only_the_one_candidate() -> None:
    region = build_event([report("c", SARATOV_OBLAST)])
    one = build_event([report("a")])
    match = matching_event(region, [one])
    assert match is not None and match[0] is one
    assert "(the only candidate)" in match[1]
    saratov_town = replace(ENGELS, name="Saratov", gazetteer_id="geonames:498677",
                           lat=51.5406, lon=45.9901)
    two = build_event([report("d", saratov_town)])
    assert matching_event(region, [one, two]) is None  # two fit: too vague to say which


def test_an_undated_report_needs_a_publication_date_right_after_the_attack() -> None:
    undated = build_event([report("u", when=UNKNOWN_DATE)])
    dated = build_event([report("a")])
    assert matching_event(undated, [dated], {"u": date(2022, 12, 30)}) is None
    assert matching_event(undated, [dated], {"u": None}) is None
    match = matching_event(undated, [dated], {"u": date(2022, 12, 6)})
    assert match is not None and "published 2022-12-06" in match[1]


def test_canonical_figure_is_the_one_most_outlets_state() -> None:
    event = build_event(
        [report("a", killed=Count(3, 3)), report("b", killed=Count(0, 0)),
         report("c", killed=Count(0, 0))],
        outlets={"a": "x.example", "b": "y.example", "c": "z.example"})
    assert event.killed == Count(0, 0)
    same_outlet = build_event(
        [report("a", killed=Count(3, 3)), report("b", killed=Count(0, 0)),
         report("c", killed=Count(0, 0))],
        outlets={"a": "x.example", "b": "y.example", "c": "y.example"})
    assert same_outlet.killed == Count(3, 3)  # a tie of outlets: the first statement


def test_ledger_index_merges_and_keeps_the_first_id() -> None:
    ledger = LedgerIndex()
    first = ledger.add(build_event([report("a")]))
    second = ledger.add(build_event([report("b", ENGELS)]))
    assert second.id == first.id
    assert {m.article_id for m in second.mentions} == {"a", "b"}
    assert len(ledger) == 1
    ledger.add(build_event([report("c", DYAGILEVO)]))
    assert len(ledger) == 2


@pytest.mark.slow
def test_seed_kursk_strike_is_one_event_from_two_outlets(shared_dir: Path, db: str) -> None:
    store = Store(db)
    try:
        ingest([shared_dir / "seeds"], Options(meta=shared_dir / "seeds" / "meta.jsonl"), store)
        kursk = [r for r in store.export_records()
                 if r["place"]["admin1"] == "Kursk Oblast" and r["date"] == "2022-12-06"]
    finally:
        store.close()
    assert len(kursk) == 1
    outlets = {m["outlet"] for m in kursk[0]["mentions"]}
    assert outlets == {"cnn.com", "wsws.org"}
    reasons = {m["merge_reason"] for m in kursk[0]["mentions"]} - {None}
    assert reasons and all("same day 2022-12-06" in r for r in reasons)


@pytest.mark.slow
def test_ids_survive_reingest_and_a_later_article_joins(shared_dir: Path,
                                                        new_db: NewDb) -> None:
    seeds = shared_dir / "seeds"
    meta = Options(meta=seeds / "meta.jsonl")
    cnn = seeds / "000_9d730f3e10369fc8.txt"
    wsws = seeds / "001_7b90c05a7ff91e37.txt"
    store = Store(new_db("later"))
    try:
        ingest([cnn], meta, store)
        before = {r["id"] for r in store.export_records()}
        ingest([cnn, wsws], meta, store)
        after = {r["id"]: r for r in store.export_records()}
    finally:
        store.close()
    assert before <= set(after), "existing event ids never change"
    kursk = [r for r in after.values() if r["place"]["admin1"] == "Kursk Oblast"]
    assert len(kursk) == 1 and kursk[0]["id"] in before
    fresh = Store(new_db("fresh"))
    try:
        ingest([seeds], meta, fresh)
        ingest([seeds], meta, fresh)
        first = sorted(r["id"] for r in fresh.export_records())
    finally:
        fresh.close()
    other = Store(new_db("again"))
    try:
        ingest([seeds], meta, other)
        assert sorted(r["id"] for r in other.export_records()) == first
    finally:
        other.close()


def test_ledger_index_merges_an_undated_report_whichever_comes_first() -> None:
    published = {"u": date(2022, 12, 6), "a": date(2022, 12, 5)}
    for order in (["u", "a"], ["a", "u"]):
        ledger = LedgerIndex()
        for article in order:
            when = UNKNOWN_DATE if article == "u" else MONDAY
            ledger.add(build_event([report(article, when=when)]),
                       published={article: published[article]})
        assert len(ledger) == 1, order


def test_ledger_index_meets_a_region_with_a_town_far_from_its_capital() -> None:
    balashov = replace(ENGELS, name="Balashov", gazetteer_id="geonames:579771",
                       lat=51.5502, lon=43.1667)
    ledger = LedgerIndex()
    ledger.add(build_event([report("a", balashov)]))
    ledger.add(build_event([report("b", SARATOV_OBLAST)]))
    assert len(ledger) == 1


def test_an_articles_specific_report_joins_before_its_regional_one(db: str) -> None:
    from foglight.models import Article

    store = Store(db)
    try:
        store.save_article(Article(id="a", text="a", source="a.txt", outlet="x.example"),
                           [build_event([report("a")])])
        region, site = report("b", SARATOV_OBLAST), replace(report("b"), start=40, end=70)
        joined = store.save_article(
            Article(id="b", text="b", source="b.txt", outlet="y.example"),
            [build_event([region]), build_event([site])])
        records = list(store.export_records())
    finally:
        store.close()
    assert joined == 1
    engels = [r for r in records if r["place"]["name"] == "Engels-2 air base"]
    assert len(engels) == 1
    assert {m["outlet"] for m in engels[0]["mentions"]} == {"x.example", "y.example"}
