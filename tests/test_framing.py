"""Tests for foglight.framing: quotes and their sources' sides, terminology markers, opinion
signals. One rule test runs on a hand-built parse; the rest run the real model on sentences
written for these tests (invented people and events)."""

from __future__ import annotations

import pytest
from handbuilt import parsed
from spacy.language import Language

from foglight.framing import Framer, QuoteMask
from foglight.models import Article, ArticleFraming, QuoteKind, Side, SignalKind


@pytest.fixture(scope="module")
def framer() -> Framer:
    return Framer()


def frame(model: Language, framer: Framer, text: str) -> ArticleFraming:
    return framer.frame(model(text), Article(id="a1", text=text, source="test"))


def sides(framing: ArticleFraming) -> list[tuple[str, Side, QuoteKind]]:
    return [(q.speaker, q.side, q.kind) for q in framing.quotes]


def test_direct_quote_on_a_hand_built_parse(framer: Framer) -> None:
    doc = parsed(
        """
        "        PUNCT  ``   punct     9
        It       PRON   PRP  nsubj     2
        is       AUX    VBZ  ccomp     9
        all      ADV    RB   advmod    4
        over     ADV    RB   advmod    2
        ,        PUNCT  ,    punct     9
        "        PUNCT  ''   punct     9
        the      DET    DT   det       8
        ministry NOUN   NN   nsubj     9
        said     VERB   VBD  ROOT      9
        .        PUNCT  .    punct     9
        """
    )
    quotes = framer.frame(doc, Article(id="a1", text=doc.text, source="t")).quotes
    assert [(q.speaker, q.kind, q.cue) for q in quotes] == [
        ("the ministry", QuoteKind.DIRECT, "said")
    ]


def test_speaker_after_the_quote_with_an_appositive_title(model: Language, framer: Framer) -> None:
    text = '"The depot burned all night," said Oleh Petrenko, a spokesman for the Ukrainian navy.'
    found = frame(model, framer, text)
    assert sides(found) == [("Oleh Petrenko", Side.UKRAINIAN_OFFICIAL, QuoteKind.DIRECT)]
    assert found.quotes[0].country == "UA"
    assert found.quotes[0].sentence == text


def test_pronoun_and_surname_keep_the_speakers_side(model: Language, framer: Framer) -> None:
    text = (
        "Jane Doe, an analyst at the Royal United Services Institute, said the strikes "
        "showed reach.\n"
        '"It is a message to Moscow," she added.\n'
        "Later, Doe said the campaign would continue."
    )
    assert sides(frame(model, framer, text)) == [
        ("Jane Doe", Side.EXPERT, QuoteKind.INDIRECT),
        ("Jane Doe", Side.EXPERT, QuoteKind.DIRECT),
        ("Doe", Side.EXPERT, QuoteKind.INDIRECT),
    ]


@pytest.mark.parametrize(
    ("text", "side", "country"),
    [
        (
            "Two drones were shot down over the city, according to the Russian Defence Ministry.",
            Side.RUSSIAN_OFFICIAL,
            "RU",
        ),
        # Sevastopol is Ukrainian (ISO 3166); a Russian-installed governor speaks for Russia.
        (
            "The Russian-installed governor of Sevastopol said debris fell near the port.",
            Side.RUSSIAN_OFFICIAL,
            "RU",
        ),
        (
            "A source familiar with the operation told reporters that naval drones were used.",
            Side.ANONYMOUS,
            None,
        ),
        ("The state news agency TASS reported that the fire was out.", Side.MEDIA, None),
        ("The Pentagon said it had no information about the strike.", Side.WESTERN_OFFICIAL, "US"),
        # A place in the title gives the side: Belgorod is in Russia.
        (
            "The governor of the Belgorod region said on Sunday that the fire was out.",
            Side.RUSSIAN_OFFICIAL,
            "RU",
        ),
    ],
)
def test_sources_are_classified_by_side(
    model: Language, framer: Framer, text: str, side: Side, country: str | None
) -> None:
    quotes = frame(model, framer, text).quotes
    assert [(q.side, q.country) for q in quotes] == [(side, country)]


def test_a_headline_title_takes_the_side_named_later(model: Language, framer: Framer) -> None:
    text = (
        "Depot fire put out, governor says\n"
        "The governor of the Belgorod region said on Sunday that the fire was out."
    )
    quotes = frame(model, framer, text).quotes
    assert [(q.speaker, q.side) for q in quotes] == [
        ("governor", Side.RUSSIAN_OFFICIAL),
        ("The governor of the Belgorod region", Side.RUSSIAN_OFFICIAL),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Early signs suggest the repairs will take months.",  # no one speaks
        "Kyiv did not say whether its forces were involved.",  # negated
        "Ukraine has claimed responsibility for the raid.",  # a claim of a deed, not speech
    ],
)
def test_no_quote_without_a_speaker_who_speaks(model: Language, framer: Framer, text: str) -> None:
    assert frame(model, framer, text).quotes == ()


def test_terms_keep_category_and_whether_they_are_quoted(model: Language, framer: Framer) -> None:
    text = (
        'Officials in Kiev condemned what Moscow calls a "special military operation", while '
        "the Kremlin spoke of the Kyiv regime as a full-scale invasion went on."
    )
    terms = [(t.term, t.category, t.quoted) for t in frame(model, framer, text).terms]
    assert terms == [
        ("Kiev", "place_spelling", False),
        ("special military operation", "war_naming", True),
        ("Kyiv", "place_spelling", False),
        ("Kyiv regime", "delegitimising", False),
        # One war name, not also "invasion".
        ("full-scale invasion", "war_naming", False),
    ]


def test_terms_match_curly_apostrophes_and_variants(model: Language, framer: Framer) -> None:
    text = "Critics of Putin’s regime said the acts of terrorism were staged."
    terms = {(t.term, t.text) for t in frame(model, framer, text).terms}
    assert ("Putin's regime", "Putin’s regime") in terms
    assert ("act of terrorism", "acts of terrorism") in terms


def test_opinion_signals_in_the_writers_voice_only(model: Language, framer: Framer) -> None:
    text = (
        "We must demand an end to this war.\n"
        "Who benefits from this escalation?\n"
        '"Why now?" asked one resident.\n'
        '"We will respond," the minister said.\n'
        "Consider what the strike means for the talks."
    )
    signals = [
        (s.kind, s.text)
        for s in frame(model, framer, text).signals
        if s.kind not in (SignalKind.EVALUATIVE, SignalKind.LOADED_SENTENCE)
    ]
    assert signals == [
        (SignalKind.FIRST_PERSON, "We"),
        (SignalKind.CALL_TO_ACTION, "we must"),
        (SignalKind.RHETORICAL_QUESTION, "Who benefits from this escalation?"),
        (SignalKind.CALL_TO_ACTION, "Consider"),
    ]


def test_evaluative_words_are_signals_with_their_sentence(model: Language, framer: Framer) -> None:
    text = 'The barbaric shelling went on. "A barbaric act," the mayor said.'
    evaluative = [
        (s.text.lower(), s.sentence)
        for s in frame(model, framer, text).signals
        if s.kind is SignalKind.EVALUATIVE
    ]
    assert evaluative == [("barbaric", "The barbaric shelling went on.")]


def test_page_furniture_is_not_the_writers_voice(model: Language, framer: Framer) -> None:
    text = "By continuing to browse our site you agree to our use of cookies."
    assert frame(model, framer, text).signals == ()


def test_quote_mask_ends_an_unclosed_quote_with_its_paragraph() -> None:
    text = 'He said "it is over\nand then left.\n“Curly” and "straight" quotes.'
    mask = QuoteMask(text)
    assert mask.quoted(text.index("it is"))
    assert not mask.quoted(text.index("and then"))
    assert mask.quoted(text.index("Curly"))
    assert mask.quoted(text.index("straight"))
    assert not mask.quoted(text.index("quotes."))


def test_a_local_official_speaks_for_the_place_named_before(
    model: Language, framer: Framer
) -> None:
    text = (
        "Drones hit a fuel depot near Kursk overnight.\n"
        "Governor Ivan Sidorov said the fire was under control.\n"
        "State Duma deputies said the response would be harsh."
    )
    quotes = frame(model, framer, text).quotes
    assert [(q.speaker, q.side, q.country) for q in quotes] == [
        ("Governor Ivan Sidorov", Side.RUSSIAN_OFFICIAL, "RU"),
        ("State Duma deputies", Side.RUSSIAN_OFFICIAL, "RU"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An unnamed source stays anonymous even when a known person is named in it.
        ("A source close to Vladimir Putin said talks were off.", (Side.ANONYMOUS, None)),
        (
            "Western officials said the strike used long-range drones.",
            (Side.WESTERN_OFFICIAL, None),
        ),
        # A label in quotation marks is not the speaker's words: no direct quote.
        (
            'Dmitry Peskov said the "special military operation" would go on.',
            (Side.RUSSIAN_OFFICIAL, "RU"),
        ),
    ],
)
def test_sides_of_tricky_sources(
    model: Language, framer: Framer, text: str, expected: tuple[Side, str | None]
) -> None:
    quotes = frame(model, framer, text).quotes
    assert [(q.side, q.country) for q in quotes] == [expected]
    assert all(q.kind is not QuoteKind.DIRECT for q in quotes)


def test_single_quotes_are_the_speakers_words(model: Language, framer: Framer) -> None:
    text = "‘We will respond to every attack on our cities,’ the ministry said on Friday."
    found = frame(model, framer, text)
    assert [q.kind for q in found.quotes] == [QuoteKind.DIRECT]
    assert not [s for s in found.signals if s.kind is SignalKind.FIRST_PERSON]


def test_a_pronoun_quote_follows_its_speakers_resolved_side(
    model: Language, framer: Framer
) -> None:
    text = (
        "Refinery blaze contained, governor says\n"
        '"The fire is now fully under control," he said.\n'
        "The governor of the Samara region said the plant would restart within days."
    )
    quotes = frame(model, framer, text).quotes
    assert [q.side for q in quotes] == [Side.RUSSIAN_OFFICIAL] * 3


def test_roman_numerals_and_names_are_not_first_person(model: Language, framer: Framer) -> None:
    text = "The base dates from World War I and was expanded after the US left the region."
    assert not [s for s in frame(model, framer, text).signals if s.kind is SignalKind.FIRST_PERSON]


def test_terms_inside_a_name_do_not_count(model: Language, framer: Framer) -> None:
    text = "The Institute for the Study of War said Russian forces were regrouping."
    found = frame(model, framer, text)
    assert "war" not in {t.term for t in found.terms}
    assert [q.speaker for q in found.quotes] == ["The Institute for the Study of War"]
