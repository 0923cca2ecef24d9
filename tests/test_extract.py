"""Tests for foglight.extract: attack sentences, place roles, figures, attribution.

The first half calls the extractor's components on hand-built parses (the parse a correct
en_core_web_sm analysis gives), so they test the rules and not the statistical model. The
second half runs the real model end to end on sentences written for these tests, published
on Wednesday 13 March 2024 unless a test says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from handbuilt import parsed
from spacy.language import Language

from foglight.extract import Extractor, Role, _list_size, merge_within_article
from foglight.merge import events_from_article
from foglight.models import (
    Article,
    Certainty,
    Count,
    DatePrecision,
    EventDate,
    Mention,
    Outcome,
    PlacePrecision,
    TargetType,
    Weapon,
)
from foglight.places import PlaceMention, find_places, gazetteer

WEDNESDAY = date(2024, 3, 13)
TUESDAY = "2024-03-12"
SUNDAY = "2024-03-10"

# Extract the mentions of a text, optionally with a publication date.
Run = Callable[..., list[Mention]]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


# -- _realis: modal, threatened, planned, conditional, negated --------------------------------

REALIS_CASES = {
    "could strike": ("""
        Ukraine  PROPN NNP nsubj 2
        could    AUX   MD  aux   2
        strike   VERB  VB  ROOT  2
        Moscow   PROPN NNP dobj  2
        .        PUNCT .   punct 2
    """, 2, False),
    "warned that could be hit": ("""
        Officials  NOUN  NNS nsubj     1
        warned     VERB  VBD ROOT      1
        that       SCONJ IN  mark      6
        Moscow     PROPN NNP nsubjpass 6
        could      AUX   MD  aux       6
        be         AUX   VB  auxpass   6
        hit        VERB  VBN ccomp     1
        .          PUNCT .   punct     1
    """, 6, False),
    "threatened to strike": ("""
        Russia      PROPN NNP nsubj 1
        threatened  VERB  VBD ROOT  1
        to          PART  TO  aux   3
        strike      VERB  VB  xcomp 1
        Kyiv        PROPN NNP dobj  3
        .           PUNCT .   punct 1
    """, 3, False),
    "capable of hitting": ("""
        Russia   PROPN NNP nsubj 1
        has      VERB  VBZ ROOT  1
        missiles NOUN  NNS dobj  1
        capable  ADJ   JJ  amod  2
        of       ADP   IN  prep  3
        hitting  VERB  VBG pcomp 4
        Kyiv     PROPN NNP dobj  5
        .        PUNCT .   punct 1
    """, 5, False),
    "if drones hit": ("""
        If       SCONJ IN  mark  2
        drones   NOUN  NNS nsubj 2
        hit      VERB  VBP advcl 7
        Moscow   PROPN NNP dobj  2
        ,        PUNCT ,   punct 7
        Russia   PROPN NNP nsubj 7
        will     AUX   MD  aux   7
        respond  VERB  VB  ROOT  7
        .        PUNCT .   punct 7
    """, 2, False),
    "did not hit": ("""
        Drones  NOUN  NNS nsubj 3
        did     AUX   VBD aux   3
        not     PART  RB  neg   3
        hit     VERB  VB  ROOT  3
        Kursk   PROPN NNP dobj  3
        .       PUNCT .   punct 3
    """, 3, False),
    "struck": ("""
        Drones  NOUN  NNS nsubj 1
        struck  VERB  VBD ROOT  1
        Kursk   PROPN NNP dobj  1
        .       PUNCT .   punct 1
    """, 1, True),
    "threatening ... following strikes": ("""
        Russia       PROPN NNP nsubj    2
        is           AUX   VBZ aux      2
        threatening  VERB  VBG ROOT     2
        Ukraine      PROPN NNP dobj     2
        following    VERB  VBG prep     2
        drone        NOUN  NN  compound 6
        strikes      NOUN  NNS pobj     4
        on           ADP   IN  prep     6
        Kazan        PROPN NNP pobj     7
        .            PUNCT .   punct    2
    """, 6, True),
}


@pytest.mark.parametrize("case", list(REALIS_CASES))
def test_realis(extractor: Extractor, case: str) -> None:
    table, trigger, expected = REALIS_CASES[case]
    doc = parsed(table)
    assert extractor._realis(doc[trigger]) is expected


# -- _linked: does the place belong to the attack in the parse? ------------------------------

LINKED_CASES = {
    "object of the attack verb": ("""
        Drones    NOUN  NNS nsubj    1
        attacked  VERB  VBD ROOT     1
        an        DET   DT  det      4
        oil       NOUN  NN  compound 4
        depot     NOUN  NN  dobj     1
        in        ADP   IN  prep     4
        Bryansk   PROPN NNP pobj     5
        .         PUNCT .   punct    1
    """, 6, [1], True),
    "trigger and place on one verb": ("""
        An         DET   DT  det    1
        explosion  NOUN  NN  nsubj  2
        happened   VERB  VBD ROOT   2
        at         ADP   IN  prep   2
        Dyagilevo  PROPN NNP pobj   3
        .          PUNCT .   punct  2
    """, 4, [1], True),
    "came under attack": ("""
        Belgorod  PROPN NNP nsubj 1
        came      VERB  VBD ROOT  1
        under     ADP   IN  prep  1
        attack    NOUN  NN  pobj  2
        .         PUNCT .   punct 1
    """, 0, [3], True),
    "place in the trigger's phrase": ("""
        Kazan      PROPN NNP compound 2
        drone      NOUN  NN  compound 2
        strikes    NOUN  NNS nsubj    3
        continued  VERB  VBD ROOT     3
        .          PUNCT .   punct    3
    """, 0, [2], True),
    "reported to have taken place at": ("""
        An         DET   DT  det       1
        explosion  NOUN  NN  nsubjpass 3
        was        AUX   VBD auxpass   3
        reported   VERB  VBN ROOT      3
        to         PART  TO  aux       6
        have       AUX   VB  aux       6
        taken      VERB  VBN xcomp     3
        place      NOUN  NN  dobj      6
        at         ADP   IN  prep      6
        Engels-2   PROPN NNP pobj      8
        .          PUNCT .   punct     3
    """, 9, [1], True),
    "perception verb": ("""
        Residents  NOUN  NNS nsubj 3
        of         ADP   IN  prep  0
        Saratov    PROPN NNP pobj  1
        heard      VERB  VBD ROOT  3
        an         DET   DT  det   5
        explosion  NOUN  NN  dobj  3
        .          PUNCT .   punct 3
    """, 2, [5], False),
    "another clause": ("""
        Drones     NOUN  NNS nsubj 1
        attacked   VERB  VBD ROOT  1
        Bryansk    PROPN NNP dobj  1
        as         SCONJ IN  mark  6
        residents  NOUN  NNS nsubj 6
        of         ADP   IN  prep  4
        Kursk      PROPN NNP pobj  5
        slept      VERB  VBD advcl 1
        .          PUNCT .   punct 1
    """, 6, [1], False),
    "intercepted weapons": ("""
        Missiles     NOUN  NNS nsubjpass 2
        were         AUX   VBD auxpass   2
        intercepted  VERB  VBN ROOT      2
        near         ADP   IN  prep      2
        Kyiv         PROPN NNP pobj      3
        .            PUNCT .   punct     2
    """, 4, [2], True),
    # What air defence destroyed was attacking, not attacked.
    "destroyed aircraft": ("""
        Two        NUM   CD  nummod    1
        Su-24s     NOUN  NNS nsubjpass 3
        were       AUX   VBD auxpass   3
        destroyed  VERB  VBN ROOT      3
        by         ADP   IN  agent     3
        air        NOUN  NN  compound  6
        defence    NOUN  NN  pobj      4
        near       ADP   IN  prep      3
        Zhovten    PROPN NNP pobj      7
        .          PUNCT .   punct     3
    """, 8, [3], False),
}


@pytest.mark.parametrize("case", list(LINKED_CASES))
def test_linked(extractor: Extractor, case: str) -> None:
    table, place, triggers, expected = LINKED_CASES[case]
    doc = parsed(table)
    assert extractor._linked(doc[place], [doc[i] for i in triggers]) is expected


# -- _role: target, actor, attribute, reference, speaker, dateline, country --------------------

ROLE_CASES = {
    "Moscow said": ("""
        Moscow  PROPN NNP nsubj 1
        said    VERB  VBD ROOT  1
        drones  NOUN  NNS nsubj 3
        hit     VERB  VBD ccomp 1
        Tula    PROPN NNP dobj  3
        .       PUNCT .   punct 1
    """, {"Moscow": Role.ACTOR, "Tula": Role.TARGET}),
    "the Kremlin said": ("""
        The      DET   DT  det   1
        Kremlin  PROPN NNP nsubj 2
        said     VERB  VBD ROOT  2
        drones   NOUN  NNS nsubj 4
        hit      VERB  VBD ccomp 2
        Tula     PROPN NNP dobj  4
        .        PUNCT .   punct 2
    """, {"Kremlin": Role.ACTOR, "Tula": Role.TARGET}),
    "Kyiv's policy": ("""
        Kyiv     PROPN NNP poss  2
        's       PART  POS case  0
        policy   NOUN  NN  nsubj 3
        angered  VERB  VBD ROOT  3
        Moscow   PROPN NNP dobj  3
        .        PUNCT .   punct 3
    """, {"Kyiv": Role.ATTRIBUTE, "Moscow": Role.ACTOR}),
    "Kazan's airport": ("""
        Drones   NOUN  NNS nsubj 1
        hit      VERB  VBD ROOT  1
        Kazan    PROPN NNP poss  4
        's       PART  POS case  2
        airport  NOUN  NN  dobj  1
        .        PUNCT .   punct 1
    """, {"Kazan": Role.TARGET}),
    "Moscow's attack on Kyiv": ("""
        Moscow     PROPN NNP poss  2
        's         PART  POS case  0
        attack     NOUN  NN  nsubj 5
        on         ADP   IN  prep  2
        Kyiv       PROPN NNP pobj  3
        continued  VERB  VBD ROOT  5
        .          PUNCT .   punct 5
    """, {"Moscow": Role.ACTOR, "Kyiv": Role.TARGET}),
    "Kremlin press service": ("""
        The      DET   DT  det      3
        Kremlin  PROPN NNP compound 3
        press    NOUN  NN  compound 3
        service  NOUN  NN  nsubj    4
        spoke    VERB  VBD ROOT     4
        .        PUNCT .   punct    4
    """, {"Kremlin": Role.ATTRIBUTE}),
    "launched from Kursk": ("""
        The       DET   DT  det       1
        drones    NOUN  NNS nsubjpass 3
        were      AUX   VBD auxpass   3
        launched  VERB  VBN ROOT      3
        from      ADP   IN  prep      3
        Kursk     PROPN NNP pobj      4
        .         PUNCT .   punct     3
    """, {"Kursk": Role.REFERENCE}),
    "south of Moscow": ("""
        The     DET   DT  det      1
        base    NOUN  NN  nsubj    2
        lies    VERB  VBZ ROOT     2
        115     NUM   CD  nummod   4
        km      NOUN  NNS npadvmod 5
        south   ADV   RB  advmod   2
        of      ADP   IN  prep     5
        Moscow  PROPN NNP pobj     6
        .       PUNCT .   punct    2
    """, {"Moscow": Role.REFERENCE}),
    "governor of the region said": ("""
        The         DET   DT  det      1
        governor    NOUN  NN  nsubj    6
        of          ADP   IN  prep     1
        the         DET   DT  det      5
        Belgorod    PROPN NNP compound 5
        region      NOUN  NN  pobj     2
        said        VERB  VBD ROOT     6
        drones      NOUN  NNS nsubj    8
        hit         VERB  VBD ccomp    6
        a           DET   DT  det      10
        substation  NOUN  NN  dobj     8
        .           PUNCT .   punct    6
    """, {"Belgorod region": Role.SPEAKER}),
    "dateline": ("""
        KYIV      PROPN NNP   npadvmod 9
        ,         PUNCT ,     punct    0
        March     PROPN NNP   appos    0
        12        NUM   CD    nummod   2
        (         PUNCT -LRB- punct    5
        Reuters   PROPN NNP   appos    0
        )         PUNCT -RRB- punct    5
        -         PUNCT :     punct    9
        Missiles  NOUN  NNS   nsubj    9
        hit       VERB  VBD   ROOT     9
        the       DET   DT    det      11
        city      NOUN  NN    dobj     9
        .         PUNCT .     punct    9
    """, {"KYIV": Role.DATELINE}),
    "countries": ("""
        Ukraine  PROPN NNP nsubj 1
        struck   VERB  VBD ROOT  1
        Russia   PROPN NNP dobj  1
        .        PUNCT .   punct 1
    """, {"Ukraine": Role.COUNTRY, "Russia": Role.COUNTRY}),
    "has been a frequent target": ("""
        Zaporizhzhia  PROPN NNP nsubj 2
        has           AUX   VBZ aux   2
        been          AUX   VBN ROOT  2
        a             DET   DT  det   5
        frequent      ADJ   JJ  amod  5
        target        NOUN  NN  attr  2
        .             PUNCT .   punct 2
    """, {"Zaporizhzhia": Role.TARGET}),
    "is willing": ("""
        Kyiv     PROPN NNP nsubj 1
        is       AUX   VBZ ROOT  1
        willing  ADJ   JJ  acomp 1
        to       PART  TO  aux   4
        talk     VERB  VB  xcomp 2
        .        PUNCT .   punct 1
    """, {"Kyiv": Role.ACTOR}),
    "came under fire": ("""
        Belgorod  PROPN NNP nsubj 1
        came      VERB  VBD ROOT  1
        under     ADP   IN  prep  1
        fire      NOUN  NN  pobj  2
        .         PUNCT .   punct 1
    """, {"Belgorod": Role.TARGET}),
    "blamed Kiev for the attacks": ("""
        Russian    ADJ   JJ  amod  1
        officials  NOUN  NNS nsubj 2
        blamed     VERB  VBD ROOT  2
        Kiev       PROPN NNP dobj  2
        for        ADP   IN  prep  2
        the        DET   DT  det   6
        attacks    NOUN  NNS pobj  4
        .          PUNCT .   punct 2
    """, {"Kiev": Role.ACTOR}),
}


@pytest.mark.parametrize("case", list(ROLE_CASES))
def test_role(extractor: Extractor, case: str) -> None:
    table, expected = ROLE_CASES[case]
    doc = parsed(table)
    # Keyed by the matched text without a leading article ("the Kremlin" is one form).
    roles = {m.text.removeprefix("The ").removeprefix("the "): extractor._role(doc, m)
             for m in find_places(doc)}
    assert roles == expected


def test_role_of_a_constructed_mention(extractor: Extractor) -> None:
    """_role needs only a span and an entry: no matcher involved."""
    doc = parsed(ROLE_CASES["Moscow said"][0])
    moscow = next(e for e in gazetteer().candidates("Moscow") if e.country == "RU"
                  and e.precision is PlacePrecision.SETTLEMENT)
    tula = next(e for e in gazetteer().candidates("Tula") if e.country == "RU")
    assert extractor._role(doc, PlaceMention(0, 1, "Moscow", (moscow,), moscow)) is Role.ACTOR
    assert extractor._role(doc, PlaceMention(4, 5, "Tula", (tula,), tula)) is Role.TARGET


# -- _list_size: coordinated names -----------------------------------------------------------

TAGANROG = """
    Drones       NOUN  NNS  nsubjpass 2
    were         AUX   VBD  auxpass   2
    spotted      VERB  VBN  ROOT      2
    over         ADP   IN   prep      2
    Taganrog     PROPN NNP  pobj      3
    ,            PUNCT ,    punct     4
    Azov         PROPN NNP  conj      4
    ,            PUNCT ,    punct     6
    and          CCONJ CC   cc        6
    Rodionovo    PROPN NNP  compound  11 nsp
    -            PUNCT HYPH punct     11 nsp
    Nesvetaysk   PROPN NNP  conj      6
    .            PUNCT .    punct     2
"""

KURSK_AND = """
    Drones    NOUN  NNS nsubj 1
    hit       VERB  VBD ROOT  1
    Kursk     PROPN NNP dobj  1
    and       CCONJ CC  cc    2
    {second}  {pos} {tag} conj  2
    .         PUNCT .   punct 1
"""


@pytest.mark.parametrize("index", [4, 6, 11])
def test_list_size_counts_every_coordinated_name(index: int) -> None:
    doc = parsed(TAGANROG)
    assert doc.text == "Drones were spotted over Taganrog, Azov, and Rodionovo-Nesvetaysk."
    assert _list_size(doc[index]) == 3


def test_list_size_of_two_names_and_of_a_name_and_a_noun() -> None:
    pair = parsed(KURSK_AND.format(second="Belgorod", pos="PROPN", tag="NNP"))
    assert _list_size(pair[2]) == 2
    assert _list_size(pair[4]) == 2
    mixed = parsed(KURSK_AND.format(second="airports", pos="NOUN", tag="NNS"))
    assert _list_size(mixed[2]) == 1


def test_list_size_of_a_single_name() -> None:
    doc = parsed(REALIS_CASES["struck"][0])
    assert _list_size(doc[2]) == 1


# -- _casualties -----------------------------------------------------------------------------

CASUALTY_CASES = {
    "at least three people were killed": ("""
        At      ADV   RB  advmod    1
        least   ADV   RBS advmod    2
        three   NUM   CD  nummod    3
        people  NOUN  NNS nsubjpass 5
        were    AUX   VBD auxpass   5
        killed  VERB  VBN ROOT      5
        in      ADP   IN  prep      5
        the     DET   DT  det       8
        attack  NOUN  NN  pobj      6
        .       PUNCT .   punct     5
    """, Count(3, None), None),
    "killing a woman and injuring 26 other people": ("""
        The       DET   DT  det    1
        missile   NOUN  NN  nsubj  2
        hit       VERB  VBD ROOT   2
        the       DET   DT  det    4
        city      NOUN  NN  dobj   2
        ,         PUNCT ,   punct  2
        killing   VERB  VBG advcl  2
        a         DET   DT  det    8
        woman     NOUN  NN  dobj   6
        and       CCONJ CC  cc     6
        injuring  VERB  VBG conj   6
        26        NUM   CD  nummod 13
        other     ADJ   JJ  amod   13
        people    NOUN  NNS dobj   10
        .         PUNCT .   punct  2
    """, Count(1, 1), Count(26, 26)),
    "three killed and 12 wounded": ("""
        Three       NUM   CD  nummod    1
        servicemen  NOUN  NNS nsubjpass 3
        were        AUX   VBD auxpass   3
        killed      VERB  VBN ROOT      3
        and         CCONJ CC  cc        3
        12          NUM   CD  nsubjpass 7
        were        AUX   VBD auxpass   7
        wounded     VERB  VBN conj      3
        .           PUNCT .   punct     3
    """, Count(3, 3), Count(12, 12)),
    "there were no casualties": ("""
        There       PRON  EX  expl  1
        were        VERB  VBD ROOT  1
        no          DET   DT  det   3
        casualties  NOUN  NNS attr  1
        .           PUNCT .   punct 1
    """, Count(0, 0), Count(0, 0)),
    "no one was killed": ("""
        No      DET   DT  det       1
        one     NOUN  NN  nsubjpass 3
        was     AUX   VBD auxpass   3
        killed  VERB  VBN ROOT      3
        in      ADP   IN  prep      3
        the     DET   DT  det       6
        attack  NOUN  NN  pobj      4
        .       PUNCT .   punct     3
    """, Count(0, 0), None),
    "no figures": ("""
        The      DET   DT  det   1
        attack   NOUN  NN  nsubj 2
        damaged  VERB  VBD ROOT  2
        a        DET   DT  det   4
        school   NOUN  NN  dobj  2
        .        PUNCT .   punct 2
    """, None, None),
}


@pytest.mark.parametrize("case", list(CASUALTY_CASES))
def test_casualties(extractor: Extractor, case: str) -> None:
    table, killed, injured = CASUALTY_CASES[case]
    doc = parsed(table)
    assert extractor._casualties(doc[:]) == (killed, injured)


# -- _outcome, _attribution, _certainty ------------------------------------------------------

SHOT_DOWN = """
    Drones  NOUN  NNS nsubjpass 2
    were    AUX   VBD auxpass   2
    shot    VERB  VBN ROOT      2
    down    ADP   RP  prt       2
    over    ADP   IN  prep      2
    Kursk   PROPN NNP pobj      4
    .       PUNCT .   punct     2
"""

MOSTLY_SHOT_DOWN = """
    Most    ADJ   JJS nsubjpass 4
    of      ADP   IN  prep      0
    the     DET   DT  det       3
    drones  NOUN  NNS pobj      1
    were    AUX   VBD auxpass   5
    shot    VERB  VBN ROOT      5
    down    ADP   RP  prt       5
    .       PUNCT .   punct     5
"""


@pytest.mark.parametrize(("table", "expected"), [
    (SHOT_DOWN, Outcome.INTERCEPTED),
    (MOSTLY_SHOT_DOWN, Outcome.MOSTLY_INTERCEPTED),
    (REALIS_CASES["struck"][0], Outcome.HIT),
])
def test_outcome(extractor: Extractor, table: str, expected: Outcome) -> None:
    assert extractor._outcome(parsed(table)[:]) is expected


MINISTRY_SAID = """
    Drones    NOUN  NNS nsubj    1
    hit       VERB  VBD ccomp    7
    Kursk     PROPN NNP dobj     1
    ,         PUNCT ,   punct    7
    the       DET   DT  det      6
    Defence   PROPN NNP compound 6
    Ministry  PROPN NNP nsubj    7
    said      VERB  VBD ROOT     7
    .         PUNCT .   punct    7
"""


def test_attribution_to_the_subject_of_the_reporting_verb(extractor: Extractor) -> None:
    doc = parsed(MINISTRY_SAID)
    attributed = extractor._attribution(doc[:], [doc[1]], ())
    assert attributed == ("the Defence Ministry",)
    certainty, hedges = extractor._certainty(doc[:], [doc[1]], attributed)
    assert (certainty, hedges) == (Certainty.ATTRIBUTED, ())


def test_unattributed_sentence_is_asserted(extractor: Extractor) -> None:
    doc = parsed(REALIS_CASES["struck"][0])
    assert extractor._attribution(doc[:], [doc[1]], ()) == ()
    assert extractor._certainty(doc[:], [doc[1]], ()) == (Certainty.ASSERTED, ())


# -- merge_within_article on hand-made mentions ----------------------------------------------

def _mention(start: int, place_form: str, day: str | None, basis: str,
             target_type: TargetType = TargetType.OTHER) -> Mention:
    entry = gazetteer().candidates(place_form)[0]
    return Mention(
        article_id="t", sentence="...", start=start, end=start + 3, place=entry.to_place(),
        date=EventDate(day, DatePrecision.DAY if day else DatePrecision.UNKNOWN),
        date_basis=basis, weapon=Weapon.DRONE, target_type=target_type, attacker="UA",
        outcome=Outcome.HIT, killed=None, injured=None, attributed_to=(),
        certainty=Certainty.ASSERTED)


def test_merge_gives_a_town_mention_the_facility_and_the_attack_date() -> None:
    base = _mention(0, "Engels-2", TUESDAY, "attack", TargetType.AIRBASE)
    town = _mention(100, "Engels", None, "none", TargetType.AIRBASE)
    merged = merge_within_article([base, town])
    assert [m.place for m in merged] == [base.place, base.place]
    assert [m.date for m in merged] == [base.date, base.date]
    assert [m.start for m in merged] == [0, 100]  # every sentence stays its own mention


def test_merge_keeps_attacks_on_different_dates_apart() -> None:
    first = _mention(0, "Shebekino", TUESDAY, "attack")
    second = _mention(100, "Shebekino", SUNDAY, "attack")
    merged = merge_within_article([first, second])
    assert [m.date.value for m in merged] == [TUESDAY, SUNDAY]


def test_merge_keeps_two_targets_of_one_sentence_apart() -> None:
    town = _mention(0, "Engels", TUESDAY, "attack")
    base = _mention(0, "Engels-2", TUESDAY, "attack", TargetType.AIRBASE)
    merged = merge_within_article([town, base])
    assert {m.place.gazetteer_id for m in merged} == {town.place.gazetteer_id,
                                                       base.place.gazetteer_id}


# == end to end with the real model ==========================================================

@pytest.fixture
def run(model: Language, extractor: Extractor) -> Run:
    """Extract the mentions of a text published on a given date (a Wednesday by default)."""

    def _run(text: str, published: date | None = WEDNESDAY) -> list[Mention]:
        article = Article(id="t", text=text, source="t.txt", published=published)
        return extractor.extract(model(text), article)

    return _run


def _one(mentions: list[Mention]) -> Mention:
    assert len(mentions) == 1, [(m.place.name, m.date.value) for m in mentions]
    return mentions[0]



@pytest.mark.slow
def test_drone_attack_on_a_named_town(run: Run) -> None:
    text = "Ukrainian drones attacked the town of Shebekino on Tuesday."
    m = _one(run(text))
    assert m.place.name == "Shebekino"
    assert m.place.country == "RU"
    assert m.place.precision is PlacePrecision.SETTLEMENT
    assert m.date == EventDate(TUESDAY, DatePrecision.DAY)
    assert m.weapon is Weapon.DRONE
    assert m.attacker == "UA"
    assert m.outcome is Outcome.HIT
    assert m.certainty is Certainty.ASSERTED
    assert text[m.start:m.end] == m.sentence


@pytest.mark.slow
def test_russian_missiles_hit(run: Run) -> None:
    m = _one(run("Russian missiles hit Odesa on Tuesday."))
    assert m.place.name == "Odesa"
    assert m.place.country == "UA"
    assert m.weapon is Weapon.MISSILE
    assert m.attacker == "RU"
    assert m.date.value == TUESDAY


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Ukrainian drones attacked Kursk on Tuesday but were shot down.",
    "Drones attacked Kursk on Tuesday and were downed by air defences.",
    "A drone was downed by air defences near Kursk on Tuesday.",
    pytest.param("Three Ukrainian drones were shot down over Kursk on Tuesday."),
])
def test_intercepted(run: Run, text: str) -> None:
    m = _one(run(text))
    assert m.place.name == "Kursk"
    assert m.outcome is Outcome.INTERCEPTED
    assert m.weapon is Weapon.DRONE


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Ukraine could strike Moscow with long-range drones.",
    "Officials warned that Moscow could be hit by drones.",
    "Russia threatened to strike Kyiv with missiles.",
    "Russian officials said drones did not hit Kursk on Tuesday.",
])
def test_irrealis_gives_no_event(run: Run, text: str) -> None:
    assert run(text) == []


@pytest.mark.slow
def test_general_remark_gives_no_event(run: Run) -> None:
    assert run("Bryansk, Kursk and Belgorod have all been hit multiple times.") == []


@pytest.mark.slow
def test_interception_tally_gives_no_event(run: Run) -> None:
    assert run("Drones were intercepted over the Bryansk, Kursk, Oryol and Belgorod regions "
               "on Tuesday.") == []
    assert run("Drones were intercepted over Bryansk, Kursk, Oryol and Belgorod on "
               "Tuesday.") == []
    # Two places are no tally: the same sentence with two names gives two events.
    pair = run("Drones were intercepted over Bryansk and Kursk on Tuesday.")
    assert sorted(m.place.name for m in pair) == ["Bryansk", "Kursk"]


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Moscow said Ukrainian drones attacked an oil depot in Bryansk on Tuesday.",
    "Moscow said that three drones had been destroyed on Tuesday.",
    "The Kremlin said a drone struck a warehouse in Tula on Tuesday.",
    "The Kremlin said the drone attack on Tuesday was an act of terrorism.",
    "The Kremlin said drones struck a building on Tuesday.",
    "Moscow said drones struck an apartment block on Tuesday.",
    pytest.param("The Kremlin press service said drones struck a building on Tuesday."),
])
def test_speaking_capital_is_never_a_target(run: Run, text: str) -> None:
    for m in run(text):
        assert m.place.name not in ("Moscow", "Moscow Kremlin"), m.sentence
        assert m.place.admin1 != "Moscow"


@pytest.mark.slow
def test_moscow_said_is_attribution(run: Run) -> None:
    m = _one(run("Moscow said Ukrainian drones attacked an oil depot in Bryansk on Tuesday."))
    assert m.place.name == "Bryansk"
    assert "Moscow" in m.attributed_to
    assert m.certainty is Certainty.ATTRIBUTED


@pytest.mark.slow
def test_speaker_jurisdiction_is_the_place(run: Run) -> None:
    m = _one(run("The governor of the Belgorod region said drones hit a power substation "
                 "on Tuesday."))
    assert m.place.name == "Belgorod Oblast"
    assert m.place.precision is PlacePrecision.ADMIN1
    assert m.place.country == "RU"
    assert m.date.value == TUESDAY


@pytest.mark.slow
def test_two_places_in_one_sentence_share_a_group(run: Run) -> None:
    mentions = run("Ukrainian drone attacks on air bases at Ryazan and Saratov on Tuesday "
                   "damaged two aircraft, and three servicemen were killed.")
    assert len(mentions) == 2
    assert {m.place.admin1 for m in mentions} == {"Ryazan Oblast", "Saratov Oblast"}
    assert mentions[0].group is not None
    assert mentions[0].group == mentions[1].group
    for m in mentions:
        assert m.killed is None
        assert m.group_killed == Count(3, 3)
        assert m.date.value == TUESDAY


@pytest.mark.slow
@pytest.mark.parametrize("follow_up", [
    "The attack caused no casualties.",
    "There were no casualties.",
    "No casualties were reported.",
])
def test_no_casualties_in_the_next_sentence(run: Run, follow_up: str) -> None:
    mentions = run("Ukrainian drones attacked the town of Shebekino on Tuesday. " + follow_up)
    events = events_from_article(mentions)
    assert len(events) == 1
    assert events[0].place.name == "Shebekino"
    assert events[0].killed == Count(0, 0)
    assert events[0].injured == Count(0, 0)


@pytest.mark.slow
def test_at_least_three_killed(run: Run) -> None:
    m = _one(run("At least three people were killed when Russian missiles struck Odesa on "
                 "Tuesday."))
    assert m.killed == Count(3, None)
    assert m.injured is None


@pytest.mark.slow
def test_killing_a_woman_and_injuring_26(run: Run) -> None:
    m = _one(run("A Russian missile hit Odesa on Tuesday, killing a woman and injuring 26 "
                 "other people."))
    assert m.killed == Count(1, 1)
    assert m.injured == Count(26, 26)


@pytest.mark.slow
def test_attributed_to_the_speaker(run: Run) -> None:
    m = _one(run("Ukrainian drones attacked an oil depot in Bryansk on Tuesday, the Russian "
                 "Defence Ministry said."))
    assert "the russian defence ministry" in [a.lower() for a in m.attributed_to]
    assert m.certainty is Certainty.ATTRIBUTED
    assert m.target_type is TargetType.OIL_FACILITY


@pytest.mark.slow
def test_suspected_is_hedged(run: Run) -> None:
    m = _one(run("Suspected Ukrainian drones struck an oil depot in Bryansk on Tuesday."))
    assert m.certainty is Certainty.HEDGED
    assert "suspected" in m.hedges


@pytest.mark.slow
def test_vague_place_gives_a_country_level_event(run: Run) -> None:
    m = _one(run("Ukrainian drones attacked a major Russian port on Tuesday."))
    assert m.place.country == "RU"
    assert m.place.precision is PlacePrecision.COUNTRY
    assert m.place.name is None
    assert m.target_type is TargetType.PORT


@pytest.mark.slow
def test_retelling_merges_place_and_date(run: Run) -> None:
    mentions = run(
        "Ukrainian drones attacked the town of Shebekino on Tuesday. The town lies close to "
        "the border. Its residents are used to alarms. Many families have left. A drone strike "
        "on Shebekino damaged a school and two houses.")
    assert len(mentions) == 2
    assert mentions[0].start < mentions[1].start
    assert mentions[0].place == mentions[1].place
    assert mentions[0].date == mentions[1].date == EventDate(TUESDAY, DatePrecision.DAY)
    assert len(events_from_article(mentions)) == 1


@pytest.mark.slow
def test_two_dates_in_one_sentence_give_two_mentions(run: Run) -> None:
    mentions = run("On Tuesday, a drone struck the tower in Moscow that was hit on Sunday.")
    assert len(mentions) == 2
    assert {m.place.name for m in mentions} == {"Moscow"}
    assert {m.date.value for m in mentions} == {TUESDAY, SUNDAY}


@pytest.mark.slow
def test_unknown_publication_date_leaves_weekday_unresolved(run: Run) -> None:
    m = _one(run("Ukrainian drones attacked the town of Shebekino on Tuesday.", published=None))
    assert m.place.name == "Shebekino"
    assert m.date.value is None


@pytest.mark.slow
def test_headline_verb_gives_no_foreign_event(run: Run) -> None:
    mentions = run("Ukrainian Drones Hit Bryansk Oil Depot\n"
                   "Ukrainian drones struck an oil depot in Bryansk on Tuesday.")
    assert {m.place.country for m in mentions} == {"RU"}
