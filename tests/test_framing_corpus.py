"""Framing facts on the real articles of ../shared/seeds and ../shared/dev, each checked
with the stored sentence that proves it. (Only a few words of each sentence are written
here: the articles' text is not ours to copy.) Both corpora are read from SQLite and from
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import BACKENDS, shared_database
from sqlalchemy import select

from foglight.options import Options
from foglight.outlets import OutletProfile, compare, profiles
from foglight.pipeline import ingest
from foglight.store import Store, articles, mentions, opinion_signals, quotes, term_uses


@pytest.fixture(scope="module")
def seeds(seeds_db: str) -> Iterator[Store]:
    store = Store(seeds_db, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module", params=BACKENDS)
def dev(request: pytest.FixtureRequest, shared_dir: Path,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The dev set's articles ingested into a database of each backend."""
    with shared_database(request, tmp_path_factory, "framing_dev") as db:
        store = Store(db)
        try:
            ingest([shared_dir / "dev" / "articles"], Options(), store)
            yield store
        finally:
            store.close()


def by_outlet(store: Store) -> dict[str | None, OutletProfile]:
    return {p.outlet: p for p in profiles(store)}


def rows(store: Store, table: Any, outlet: str, **where: Any) -> list[Any]:
    query = select(table).join(articles, articles.c.id == table.c.article_id)
    query = query.where(articles.c.outlet == outlet)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with store.engine.connect() as conn:
        return list(conn.execute(query).mappings())


# -- seeds --------------------------------------------------------------------------------


def test_wsws_writes_kiev_and_cnn_writes_kyiv(seeds: Store) -> None:
    outlets = by_outlet(seeds)
    assert outlets["wsws.org"].terms.get("Kiev", 0) >= 3
    assert "Kyiv" not in outlets["wsws.org"].terms  # only inside quotations, if at all
    assert outlets["cnn.com"].terms.get("Kyiv", 0) >= 5
    assert "Kiev" not in outlets["cnn.com"].terms
    kiev = rows(seeds, term_uses, "wsws.org", term="Kiev", quoted=0)
    assert all("Kiev" in row["sentence"] for row in kiev)
    kyiv = rows(seeds, term_uses, "cnn.com", term="Kyiv", quoted=0)
    assert all("Kyiv" in row["sentence"] for row in kyiv)


def test_every_outlet_has_quotes_and_stance_shares(seeds: Store) -> None:
    outlets = by_outlet(seeds)
    assert outlets["wsws.org"].quoted and outlets["cnn.com"].quoted
    for profile in outlets.values():
        assert profile.mentions > 0
        assert profile.asserted_share is not None and profile.hedged_share is not None
        shares = (
            profile.asserted_share,
            profile.attributed_share or 0,
            profile.hedged_share,
            profile.denied_share or 0,
        )
        assert sum(shares) == pytest.approx(1.0, abs=0.01)


def test_cnn_quotes_an_expert_by_name_then_by_surname(seeds: Store) -> None:
    expert = rows(seeds, quotes, "cnn.com", side="expert")
    speakers = {row["speaker"] for row in expert}
    assert {"Keir Giles", "Giles"} <= speakers
    introduced = next(row for row in expert if row["speaker"] == "Keir Giles")
    assert "Chatham House" in introduced["sentence"]


def test_cnn_quotes_a_ukrainian_air_force_spokesman(seeds: Store) -> None:
    ihnat = rows(seeds, quotes, "cnn.com", speaker="Yurii Ihnat")
    assert ihnat and {row["side"] for row in ihnat} == {"ukrainian_official"}
    assert "Air Force" in ihnat[0]["sentence"]


def test_wsws_cites_the_british_defence_ministry_as_western(seeds: Store) -> None:
    western = rows(seeds, quotes, "wsws.org", side="western_official")
    british = [row for row in western if "Britain" in row["speaker"]]
    assert british and british[0]["country"] == "GB"
    assert british[0]["sentence"].startswith("Britain's Ministry of Defence said")


def test_wsws_hedges_more_than_cnn(seeds: Store) -> None:
    outlets = by_outlet(seeds)
    wsws, cnn = outlets["wsws.org"], outlets["cnn.com"]
    assert wsws.hedged_share is not None and cnn.hedged_share is not None
    assert wsws.hedged_share > cnn.hedged_share
    hedged = rows(seeds, mentions, "wsws.org", certainty="hedged")
    assert any(row["sentence"].startswith("Suspected Ukrainian drones") for row in hedged)


def test_the_blog_asks_rhetorical_questions(seeds: Store) -> None:
    with seeds.engine.connect() as conn:
        questions = list(
            conn.execute(
                select(opinion_signals.c.sentence)
                .join(articles, articles.c.id == opinion_signals.c.article_id)
                .where(articles.c.outlet.is_(None))
                .where(opinion_signals.c.kind == "rhetorical_question")
            ).scalars()
        )
    assert questions and all(q.rstrip().endswith("?") for q in questions)
    assert any(q.startswith("Was that the plan") for q in questions)


def test_compare_puts_cnn_and_wsws_on_kursk_side_by_side(seeds: Store) -> None:
    kursk = next(e for e in seeds.events() if e.place.name and "Kursk" in e.place.name)
    comparison = compare(seeds, kursk.id)
    assert comparison is not None
    accounts = {a.outlet: a for a in comparison.accounts}
    assert set(accounts) == {"cnn.com", "wsws.org"}
    cnn, wsws = accounts["cnn.com"], accounts["wsws.org"]
    assert all("Kursk" in s or "attack" in s for s in cnn.sentences + wsws.sentences)
    # CNN attributes the strike to a Russian official; WSWS states it in its own voice and
    # calls it an escalation in the same sentence.
    assert cnn.certainty == ["attributed"]
    cited = [(s.speaker, s.side) for s in cnn.sources]
    assert cited == [("a Russian official", "russian_official")]
    assert set(wsws.certainty) == {"asserted"}
    assert "escalation" in wsws.terms and "escalation" not in cnn.terms
    assert any("major escalation" in s for s in wsws.sentences)


def test_coverage_lists_what_cnn_left_out(seeds: Store) -> None:
    outlets = by_outlet(seeds)
    engels = next(e for e in seeds.events() if e.place.name == "Engels-2 air base")
    assert engels.id in outlets["wsws.org"].event_ids
    assert engels.id in outlets["cnn.com"].missed_event_ids
    kursk = next(e for e in seeds.events() if e.place.name and "Kursk" in e.place.name)
    assert kursk.id in outlets["cnn.com"].event_ids
    assert kursk.id not in outlets["cnn.com"].missed_event_ids


# -- dev ----------------------------------------------------------------------------------


def test_a_ukrainian_outlet_calls_russian_forces_occupiers(dev: Store) -> None:
    own = rows(dev, term_uses, "hromadske.ua", term="occupiers", quoted=0)
    assert own and "helped the occupiers" in own[0]["sentence"]
    quoted = rows(dev, term_uses, "hromadske.ua", term="occupiers", quoted=1)
    assert quoted and "Air Force posted" in quoted[0]["sentence"]


def test_moscows_terrorism_framing_is_reported_as_its_claim(dev: Store) -> None:
    terms = rows(dev, term_uses, "presscorp.org", term="terrorist attack")
    assert terms and terms[0]["sentence"].startswith("Moscow says it was a terrorist attack")
    said = rows(dev, quotes, "presscorp.org")
    assert {row["side"] for row in said} == {"russian_official"}


def test_a_russian_outlet_quotes_only_russian_officials(dev: Store) -> None:
    pravda = by_outlet(dev)["pravda.ru"]
    assert pravda.quoted == {"russian_official": pravda.quoted["russian_official"]}
    aksyonov = rows(dev, quotes, "pravda.ru", speaker="Aksyonov")
    assert aksyonov and all(row["country"] == "RU" for row in aksyonov)


def test_a_governor_named_by_surname_keeps_his_side(dev: Store) -> None:
    busargin = rows(dev, quotes, "meduza.io", speaker="Busargin")
    assert busargin and {row["side"] for row in busargin} == {"russian_official"}
    # The headline's "governor says" is resolved by the governor named further down.
    headline = rows(dev, quotes, "meduza.io", speaker="governor")
    assert headline and headline[0]["side"] == "russian_official"


def test_wire_copy_quotes_zelenskiy_and_spells_zaporizhzhia(dev: Store) -> None:
    quoted = rows(dev, quotes, "squidsite02.com", side="ukrainian_official")
    assert any("Zelenskiy" in row["speaker"] for row in quoted)
    outlet = by_outlet(dev)["squidsite02.com"]
    assert outlet.terms.get("Zaporizhzhia", 0) >= 3
    assert "Zaporozhye" not in outlet.terms


def test_page_furniture_does_not_count_as_first_person(dev: Store) -> None:
    signals = rows(dev, opinion_signals, "cgtn.com", kind="first_person")
    assert not any("cookies" in row["sentence"] for row in signals)
