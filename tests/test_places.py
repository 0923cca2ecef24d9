"""Tests for foglight.places: the gazetteer, the matcher's filters and resolution.

Most tests build their ``Doc`` by hand (words, tags, dependency parse, entities), so that
they exercise the matcher alone and not the statistical model's mistakes; the parses follow
what en_core_web_sm produces when it gets the sentence right. A few end-to-end tests at the
bottom run the real model on sentences written for these tests.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from handbuilt import parsed
from spacy.language import Language
from spacy.tokens import Doc

from foglight.geo import contains
from foglight.models import UNKNOWN_PLACE, PlacePrecision
from foglight.places import (
    GazetteerEntry,
    PlaceMention,
    find_places,
    gazetteer,
    normalise_form,
)


def found(doc: Doc) -> list[tuple[str, str]]:
    """(matched text, resolved name) of every place found in the doc."""
    return [(m.text, m.entry.name) for m in find_places(doc)]


def only_place(doc: Doc) -> PlaceMention:
    mentions = find_places(doc)
    assert len(mentions) == 1, [m.text for m in mentions]
    return mentions[0]


def struck(place: str, pos: str = "PROPN") -> Doc:
    """ "Drones struck <place> overnight." """
    return parsed(f"""
        Drones     NOUN  NNS  nsubj   1
        struck     VERB  VBD  ROOT    1
        {place}    {pos} NNP  dobj    1
        overnight  ADV   RB   advmod  1
        .          PUNCT .    punct   1
    """)


def said_the_attack_failed(*name: str, ents: Sequence[str]) -> Doc:
    """ "<First> <Last> said the attack failed." with the name as a PERSON entity."""
    first, last = name
    return parsed(f"""
        {first}  PROPN NNP compound 1
        {last}   PROPN NNP nsubj    2
        said     VERB  VBD ROOT     2
        the      DET   DT  det      4
        attack   NOUN  NN  nsubj    5
        failed   VERB  VBD ccomp    2
        .        PUNCT .   punct    2
    """, ents=[*ents, "O", "O", "O", "O", "O"])


# -- the gazetteer: spellings, regions, facilities, countries ---------------------------------

@pytest.mark.parametrize(("old", "new"), [("Kiev", "Kyiv"), ("Kharkov", "Kharkiv")])
def test_spelling_variants_resolve_to_one_gazetteer_id(old: str, new: str) -> None:
    old_place = only_place(struck(old)).entry
    new_place = only_place(struck(new)).entry
    assert old_place.id == new_place.id
    assert old_place.id.startswith("geonames:")
    assert old_place.precision is PlacePrecision.SETTLEMENT
    assert old_place.country == "UA"


def test_city_with_region_word_resolves_to_the_region() -> None:
    # "A fire broke out in the Ryazan region."
    doc = parsed("""
        A        DET   DT  det      1
        fire     NOUN  NN  nsubj    2
        broke    VERB  VBD ROOT     2
        out      ADP   RP  prt      2
        in       ADP   IN  prep     2
        the      DET   DT  det      7
        Ryazan   PROPN NNP compound 7
        region   NOUN  NN  pobj     4
        .        PUNCT .   punct    2
    """)
    mention = only_place(doc)
    assert mention.text == "Ryazan region"
    assert (mention.start, mention.end) == (6, 8)
    assert mention.entry.name == "Ryazan Oblast"
    assert mention.entry.admin1 == "Ryazan Oblast"
    assert mention.entry.precision is PlacePrecision.ADMIN1
    assert mention.entry.country == "RU"


def test_bare_city_name_stays_the_city() -> None:
    entry = only_place(struck("Ryazan")).entry
    assert entry.precision is PlacePrecision.SETTLEMENT
    assert entry.admin1 == "Ryazan Oblast"


def test_english_territory_name_resolves_to_the_krai() -> None:
    # "A fire broke out in Krasnodar Territory."
    doc = parsed("""
        A          DET   DT  det      1
        fire       NOUN  NN  nsubj    2
        broke      VERB  VBD ROOT     2
        out        ADP   RP  prt      2
        in         ADP   IN  prep     2
        Krasnodar  PROPN NNP compound 6
        Territory  PROPN NNP pobj     4
        .          PUNCT .   punct    2
    """)
    entry = only_place(doc).entry
    assert entry.name == "Krasnodar Krai"
    assert entry.precision is PlacePrecision.ADMIN1
    assert entry.country == "RU"


def test_region_word_shared_by_coordinated_names() -> None:
    # "Drones were intercepted over the Bryansk and Kursk regions."
    doc = parsed("""
        Drones       NOUN  NNS nsubjpass 2
        were         AUX   VBD auxpass   2
        intercepted  VERB  VBN ROOT      2
        over         ADP   IN  prep      2
        the          DET   DT  det       8
        Bryansk      PROPN NNP nmod      8
        and          CCONJ CC  cc        5
        Kursk        PROPN NNP conj      5
        regions      NOUN  NNS pobj      3
        .            PUNCT .   punct     2
    """)
    assert [m.entry.name for m in find_places(doc)] == ["Bryansk Oblast", "Kursk Oblast"]


def test_crimea_and_sevastopol_are_coded_ukraine() -> None:
    # "Explosions were heard in Sevastopol and Crimea."
    doc = parsed("""
        Explosions  NOUN  NNS nsubjpass 2
        were        AUX   VBD auxpass   2
        heard       VERB  VBN ROOT      2
        in          ADP   IN  prep      2
        Sevastopol  PROPN NNP pobj      3
        and         CCONJ CC  cc        4
        Crimea      PROPN NNP conj      4
        .           PUNCT .   punct     2
    """)
    mentions = find_places(doc)
    assert [m.text for m in mentions] == ["Sevastopol", "Crimea"]
    assert [m.entry.country for m in mentions] == ["UA", "UA"]


def test_air_base_is_a_facility_with_its_target_type() -> None:
    entry = only_place(struck("Engels-2")).entry
    assert entry.precision is PlacePrecision.FACILITY
    assert entry.target_type == "airbase"
    assert entry.country == "RU"
    assert entry.admin1 == "Saratov Oblast"
    assert entry.to_place().feature == "airbase"


def test_ambiguous_port_name_resolves_to_the_russian_port() -> None:
    # "A sea drone struck the port of Novorossiysk."
    doc = parsed("""
        A             DET   DT  det      2
        sea           NOUN  NN  compound 2
        drone         NOUN  NN  nsubj    3
        struck        VERB  VBD ROOT     3
        the           DET   DT  det      5
        port          NOUN  NN  dobj     3
        of            ADP   IN  prep     5
        Novorossiysk  PROPN NNP pobj     6
        .             PUNCT .   punct    3
    """)
    entry = only_place(doc).entry
    assert entry.name == "Novorossiysk"
    assert entry.country == "RU"


def test_city_beats_a_village_of_the_same_name() -> None:
    mention = only_place(struck("Zaporizhzhia"))
    assert len(mention.candidates) > 1  # GeoNames has villages called so too
    assert mention.entry.population > 500_000
    assert mention.entry.admin1 == "Zaporizhzhia Oblast"


# -- the matcher's filters: people, organisations, ships ---------------------------------------

def test_person_name_is_no_place() -> None:
    doc = said_the_attack_failed("Vladimir", "Putin", ents=["B-PERSON", "I-PERSON"])
    assert found(doc) == []


def test_first_name_that_is_a_town_inside_a_person_is_no_place() -> None:
    # "Volodymyr" alone is a gazetteer form (Volodymyr-Volynskyi); inside a PERSON it is not.
    assert gazetteer().candidates("Volodymyr")
    doc = said_the_attack_failed("Volodymyr", "Zelensky", ents=["B-PERSON", "I-PERSON"])
    assert found(doc) == []


def test_person_entity_that_is_exactly_the_place_is_ignored() -> None:
    # The small model tags Kyiv as PERSON; a PERSON entity equal to the match keeps it.
    doc = parsed("""
        Drones     NOUN  NNS nsubj   1
        struck     VERB  VBD ROOT    1
        Kyiv       PROPN NNP dobj    1
        overnight  ADV   RB  advmod  1
        .          PUNCT .   punct   1
    """, ents=["O", "O", "B-PERSON", "O", "O"])
    assert found(doc) == [("Kyiv", "Kyiv")]


def test_analyst_surname_is_no_place() -> None:
    # "Douglas Barrie, a senior fellow, said the attack failed."
    doc = parsed("""
        Douglas  PROPN NNP compound 1
        Barrie   PROPN NNP nsubj    7
        ,        PUNCT ,   punct    1
        a        DET   DT  det      5
        senior   ADJ   JJ  amod     5
        fellow   NOUN  NN  appos    1
        ,        PUNCT ,   punct    1
        said     VERB  VBD ROOT     7
        the      DET   DT  det      9
        attack   NOUN  NN  nsubj    10
        failed   VERB  VBD ccomp    7
        .        PUNCT .   punct    7
    """, ents=["B-PERSON", "I-PERSON", *["O"] * 10])
    assert found(doc) == []


def test_think_tank_is_no_place() -> None:
    # "Experts at Chatham House said the attack failed."
    doc = parsed("""
        Experts  NOUN  NNS nsubj    4
        at       ADP   IN  prep     0
        Chatham  PROPN NNP compound 3
        House    PROPN NNP pobj     1
        said     VERB  VBD ROOT     4
        the      DET   DT  det      6
        attack   NOUN  NN  nsubj    7
        failed   VERB  VBD ccomp    4
        .        PUNCT .   punct    4
    """, ents=["O", "O", "B-ORG", "I-ORG", "O", "O", "O", "O", "O"])
    assert found(doc) == []


def test_newspaper_named_after_a_city_is_no_place() -> None:
    # "The New York Times reported the strike." "New York" alone is in the gazetteer.
    assert gazetteer().candidates("New York")
    doc = parsed("""
        The       DET   DT  det      3
        New       PROPN NNP compound 2
        York      PROPN NNP compound 3
        Times     PROPN NNP nsubj    4
        reported  VERB  VBD ROOT     4
        the       DET   DT  det      6
        strike    NOUN  NN  dobj     4
        .         PUNCT .   punct    4
    """, ents=["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O", "O", "O"])
    assert found(doc) == []


def test_ship_named_after_a_city_is_no_place() -> None:
    # "Drones hit the Novocherkassk large landing ship."
    doc = parsed("""
        Drones         NOUN  NNS nsubj    1
        hit            VERB  VBD ROOT     1
        the            DET   DT  det      6
        Novocherkassk  PROPN NNP compound 6
        large          ADJ   JJ  amod     6
        landing        NOUN  NN  compound 6
        ship           NOUN  NN  dobj     1
        .              PUNCT .   punct    1
    """)
    assert found(doc) == []


def test_ship_named_after_its_noun_is_no_place() -> None:
    # "Missiles hit the landing ship Novocherkassk."
    doc = parsed("""
        Missiles       NOUN  NNS nsubj    1
        hit            VERB  VBD ROOT     1
        the            DET   DT  det      4
        landing        NOUN  NN  compound 4
        ship           NOUN  NN  dobj     1
        Novocherkassk  PROPN NNP appos    4
        .              PUNCT .   punct    1
    """)
    assert found(doc) == []


def test_the_city_itself_is_a_place() -> None:
    assert found(struck("Novocherkassk")) == [("Novocherkassk", "Novocherkassk")]


# -- headlines ------------------------------------------------------------------------------

# "Ukrainian Drones Hit Bryansk Oil Depot", tagged as the small model tags headlines: every
# capitalised word a proper noun, so "Bryansk" sits between two capitalised PROPNs.
HEADLINE = """
    Ukrainian  ADJ   JJ  amod     1
    Drones     PROPN NNP nsubj    2
    Hit        VERB  VBP ROOT     2
    Bryansk    PROPN NNP compound 5
    Oil        PROPN NNP compound 5
    Depot      PROPN NNP dobj     2
"""


def test_title_case_headline_still_finds_its_places() -> None:
    assert ("Bryansk", "Bryansk") in found(parsed(HEADLINE))


def test_title_case_headline_with_coordinated_places() -> None:
    # "Ukrainian Drones Strike Oil Depot In Bryansk And Ryazan Region"
    doc = parsed("""
        Ukrainian  ADJ   JJ  amod     1
        Drones     PROPN NNP nsubj    2
        Strike     VERB  VBP ROOT     2
        Oil        PROPN NNP compound 4
        Depot      PROPN NNP dobj     2
        In         ADP   IN  prep     4
        Bryansk    PROPN NNP pobj     5
        And        CCONJ CC  cc       6
        Ryazan     PROPN NNP compound 9
        Region     PROPN NNP conj     6
    """)
    assert found(doc) == [("Bryansk", "Bryansk"), ("Ryazan Region", "Ryazan Oblast")]


def test_title_case_headline_verb_is_no_place() -> None:
    assert found(parsed(HEADLINE)) == [("Bryansk", "Bryansk")]


def test_title_case_headline_place_inside_a_person_entity() -> None:
    # "Russian Missiles Pound Kharkiv Overnight", with the entities the small model gives.
    doc = parsed("""
        Russian    ADJ   JJ  amod     1
        Missiles   PROPN NNP nsubj    2
        Pound      VERB  VBP ROOT     2
        Kharkiv    PROPN NNP dobj     2
        Overnight  ADV   RB  advmod   2
    """, ents=["B-NORP", "B-PERSON", "I-PERSON", "I-PERSON", "B-TIME"])
    assert found(doc) == [("Kharkiv", "Kharkiv")]


# -- normalise_form -------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b"), [
    ("Ryazan’", "Ryazan'"),
    ("Ryazan’", "Ryazan"),
    ("Engels-2", "Engels 2"),
    ("Engels-2", "Engels - 2"),
    ("the Kremlin", "Kremlin"),
    ("Kryvyi  Rih", "kryvyi rih"),
    ("Bila Tserkva", "Bíla Tsérkva"),
    ("Kamensk–Shakhtinsky", "Kamensk-Shakhtinsky"),
])
def test_normalise_form_equivalences(a: str, b: str) -> None:
    assert normalise_form(a) == normalise_form(b)


def test_normalise_form_keeps_distinct_names_apart() -> None:
    assert normalise_form("Kursk") != normalise_form("Kerch")
    assert normalise_form("Theodosia") == "theodosia"  # only a leading "the " word is dropped


# -- contains -------------------------------------------------------------------------------

def _entry(form: str, precision: PlacePrecision) -> GazetteerEntry:
    return next(e for e in gazetteer().candidates(form) if e.precision is precision)


def _synthetic(precision: PlacePrecision, lat: float | None, lon: float | None,
               admin1: str | None = "Test Oblast", country: str = "UA") -> GazetteerEntry:
    return GazetteerEntry(id=f"test:{precision.value}:{lat}", name="Test", precision=precision,
                          country=country, admin1=admin1, lat=lat, lon=lon)


def test_contains_follows_the_hierarchy() -> None:
    russia = _entry("Russia", PlacePrecision.COUNTRY)
    oblast = _entry("Ryazan region", PlacePrecision.ADMIN1)
    city = _entry("Ryazan", PlacePrecision.SETTLEMENT)
    base = _entry("Dyagilevo", PlacePrecision.FACILITY)
    chain = [russia, oblast, city, base]
    for i, outer in enumerate(chain):
        for inner in chain[i + 1:]:
            assert contains(outer, inner), (outer.name, inner.name)
            assert not contains(inner, outer), (inner.name, outer.name)
        assert not contains(outer, outer)


def test_contains_rejects_places_elsewhere() -> None:
    ukraine = _entry("Ukraine", PlacePrecision.COUNTRY)
    ryazan_oblast = _entry("Ryazan region", PlacePrecision.ADMIN1)
    ryazan = _entry("Ryazan", PlacePrecision.SETTLEMENT)
    saratov = _entry("Saratov", PlacePrecision.SETTLEMENT)
    engels_2 = _entry("Engels-2", PlacePrecision.FACILITY)
    assert not contains(ukraine, ryazan)
    assert not contains(ryazan_oblast, saratov)
    assert not contains(ryazan, engels_2)
    assert contains(saratov, engels_2)  # the air base lies across the Volga, ~17 km away


def test_contains_same_precision_is_never_containment() -> None:
    ryazan = _entry("Ryazan", PlacePrecision.SETTLEMENT)
    saratov = _entry("Saratov", PlacePrecision.SETTLEMENT)
    assert not contains(ryazan, saratov)
    assert not contains(saratov, ryazan)


@pytest.mark.parametrize(("dlat", "inside"), [
    (0.0, True),
    (0.26, True),   # ~28.9 km
    (0.28, False),  # ~31.1 km
    (1.0, False),
])
def test_settlement_contains_facility_within_30_km(dlat: float, inside: bool) -> None:
    town = _synthetic(PlacePrecision.SETTLEMENT, 50.0, 30.0)
    site = _synthetic(PlacePrecision.FACILITY, 50.0 + dlat, 30.0)
    assert contains(town, site) is inside


def test_contains_needs_coordinates_for_settlements() -> None:
    town = _synthetic(PlacePrecision.SETTLEMENT, None, None)
    site = _synthetic(PlacePrecision.FACILITY, 50.0, 30.0)
    assert not contains(town, site)


def test_contains_admin1_compares_region_names() -> None:
    oblast = _synthetic(PlacePrecision.ADMIN1, 49.0, 30.0, admin1="Test Oblast")
    inside = _synthetic(PlacePrecision.SETTLEMENT, 60.0, 60.0, admin1="Test Oblast")
    outside = _synthetic(PlacePrecision.SETTLEMENT, 49.0, 30.0, admin1="Other Oblast")
    nameless = _synthetic(PlacePrecision.ADMIN1, 49.0, 30.0, admin1=None)
    unplaced = _synthetic(PlacePrecision.SETTLEMENT, 49.0, 30.0, admin1=None)
    assert contains(oblast, inside)
    assert not contains(oblast, outside)
    assert not contains(nameless, unplaced)


def test_contains_works_on_places_and_ignores_unknown_precision() -> None:
    city = _entry("Ryazan", PlacePrecision.SETTLEMENT)
    base = _entry("Dyagilevo", PlacePrecision.FACILITY)
    assert contains(city.to_place(), base.to_place())
    assert contains(city, base.to_place())
    assert not contains(UNKNOWN_PLACE, base)
    assert not contains(city, UNKNOWN_PLACE)


# -- end to end with the real model -----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("Drones struck Kiev overnight.", [("Kiev", "Kyiv")]),
    ("Shelling hit Kharkov and Kharkiv overnight.",
     [("Kharkov", "Kharkiv"), ("Kharkiv", "Kharkiv")]),
    ("A drone fell in the Ryazan region.", [("Ryazan region", "Ryazan Oblast")]),
    ("A fire broke out in Krasnodar Territory.", [("Krasnodar Territory", "Krasnodar Krai")]),
    ("Drones attacked Engels-2 on Monday.", [("Engels-2", "Engels-2 air base")]),
    ("Vladimir Putin said the attack failed.", []),
    ("President Volodymyr Zelensky said the attack failed.", []),
    ("Douglas Barrie, a senior fellow, said the attack failed.", []),
    ("Experts at Chatham House said the attack failed.", []),
    ("The New York Times reported the strike.", []),
    ("Drones hit the Novocherkassk large landing ship.", []),
    ("Ukrainian Drones Strike Oil Depot In Bryansk And Ryazan Region",
     [("Bryansk", "Bryansk"), ("Ryazan Region", "Ryazan Oblast")]),
    pytest.param("Russian Missiles Pound Kharkiv Overnight", [("Kharkiv", "Kharkiv")]),
])
def test_places_with_the_model(model: Language, text: str,
                               expected: list[tuple[str, str]]) -> None:
    assert found(model(text)) == expected


@pytest.mark.slow
def test_resolution_with_the_model(model: Language) -> None:
    doc = model("A sea drone struck the port of Novorossiysk, and missiles hit Zaporizhzhia. "
                "Explosions were heard in Sevastopol and Crimea.")
    entries = {m.text: m.entry for m in find_places(doc)}
    assert entries["Novorossiysk"].country == "RU"
    assert entries["Zaporizhzhia"].population > 500_000
    assert entries["Sevastopol"].country == "UA"
    assert entries["Crimea"].country == "UA"
