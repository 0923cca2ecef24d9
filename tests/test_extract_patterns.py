"""End-to-end extraction of reporting patterns, on sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from foglight.extract import Extractor
from foglight.merge import events_from_article
from foglight.models import Article, Count, Mention, Outcome, Weapon

THURSDAY = date(2024, 5, 16)


def run(model: Language, text: str, published: date | None = THURSDAY) -> list[Mention]:
    article = Article(id="p", text=text, source="p.txt", published=published)
    return Extractor().extract(model(text), article)


def places(mentions: list[Mention]) -> set[str | None]:
    return {m.place.name for m in mentions}


@pytest.mark.slow
def test_launch_verbs_with_a_weapon_are_attacks(model: Language) -> None:
    mentions = run(model, "Russia sent drones against the Dyagilevo airfield on Monday.")
    assert places(mentions) == {"Dyagilevo air base"}
    assert mentions[0].date.value == "2024-05-13"


@pytest.mark.slow
def test_a_weapon_subject_makes_any_verb_an_attack(model: Language) -> None:
    mentions = run(model, "On Tuesday a Russian missile tore through an apartment block in "
                          "Dnipro, killing six people.")
    assert places(mentions) == {"Dnipro"}
    assert mentions[0].killed == Count(6, 6)
    assert mentions[0].weapon is Weapon.MISSILE


@pytest.mark.slow
def test_explosions_rocking_a_town_place_the_attack(model: Language) -> None:
    mentions = run(model, "Explosions rocked Sevastopol early on Saturday.")
    assert places(mentions) == {"Sevastopol"}
    assert mentions[0].place.country == "UA"


@pytest.mark.slow
def test_death_toll_is_the_killed_figure(model: Language) -> None:
    text = ("A Russian missile struck Sumy on Sunday. "
            "The death toll from the strike has risen to 34, officials said.")
    event, = events_from_article(run(model, text))
    assert event.killed == Count(34, 34)


@pytest.mark.slow
def test_read_also_lines_are_page_furniture(model: Language) -> None:
    text = ("Ukrainian drones struck an oil depot in Bryansk on Tuesday.\n"
            "Read also: Drones attack airfield in Kursk region")
    assert places(run(model, text)) == {"Bryansk"}


@pytest.mark.slow
def test_gunmen_attacks_are_out_of_scope(model: Language) -> None:
    assert run(model, "Gunmen attacked a police post in Derbent on Sunday.") == []


@pytest.mark.slow
def test_an_earlier_attack_on_the_place_just_told_is_its_own_event(model: Language) -> None:
    text = ("Sea drones attacked the Crimean Bridge early on Monday, killing two people. "
            "The bridge was previously damaged on October 8, 2022, when a truck bomb exploded.")
    dates = sorted(e.date.value or "" for e in events_from_article(run(model, text)))
    assert dates == ["2022-10-08", "2024-05-13"]


@pytest.mark.slow
def test_a_figures_only_sentence_completes_the_attack_before_it(model: Language) -> None:
    text = ("Ukrainian drones struck the Engels air base on Monday. "
            "Two servicemen were killed.")
    event, = events_from_article(run(model, text))
    assert event.killed == Count(2, 2)


@pytest.mark.slow
def test_another_attack_is_not_folded_into_the_one_before(model: Language) -> None:
    text = ("Ukrainian drones struck the Engels air base on Monday. "
            "Hours later, Russia launched another missile barrage across Ukraine.")
    event, = events_from_article(run(model, text))
    assert event.weapon is Weapon.DRONE


@pytest.mark.slow
def test_destroyed_drones_over_a_region_are_intercepted(model: Language) -> None:
    m, = run(model, "Air defences destroyed 30 Ukrainian drones over the Belgorod region on "
                    "Tuesday, the ministry said.")
    assert m.place.admin1 == "Belgorod Oblast"
    assert m.outcome is Outcome.INTERCEPTED
    assert m.attacker == "UA"


@pytest.mark.slow
def test_a_towns_named_list_struck_by_missiles_gives_one_event_each(model: Language) -> None:
    mentions = run(model, "Russian missiles struck Kyiv, Kryvyi Rih and Dnipro on Monday.")
    assert {m.place.country for m in mentions} == {"UA"}
    assert len(places(mentions)) == 3


@pytest.mark.slow
def test_an_attack_noun_before_a_list_is_a_tally(model: Language) -> None:
    assert run(model, "There were also attacks on Sumy, Donetsk and Odesa.") == []


@pytest.mark.slow
def test_the_general_staff_saying_it_struck_names_the_attacker(model: Language) -> None:
    m, = run(model, "Ukraine's General Staff said it had struck the Tuapse oil refinery on Sunday.")
    assert m.attacker == "UA"
    assert m.place.precision.value == "facility"


@pytest.mark.slow
def test_a_date_goes_only_to_the_target_its_attack_reaches(model: Language) -> None:
    text = ("Tuesday's drone attack on Shebekino came weeks after a pair of explosions over "
            "the Kremlin.")
    dates = {m.place.name: m.date.value for m in run(model, text)}
    assert dates["Shebekino"] == "2024-05-14"
    assert dates["Moscow Kremlin"] is None
