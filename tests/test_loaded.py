"""Tests for foglight.loaded, the loaded-language indicator, on sentences written for these
tests, plus its score on BABE's test split when ../shared is present."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from spacy.language import Language

from foglight.loaded import (
    RHETORICAL,
    SCARE_QUOTE,
    STANCE_ADVERB,
    LoadedLanguage,
    LoadedWord,
)
from foglight.vocab import load_data

REPO = Path(__file__).resolve().parents[1]
FLOORS: dict[str, Any] = json.loads((Path(__file__).parent / "eval_floors.json").read_text())


@pytest.fixture(scope="module")
def indicator() -> LoadedLanguage:
    return LoadedLanguage()


def found(model: Language, indicator: LoadedLanguage, text: str) -> list[LoadedWord]:
    return indicator.words(model(text)[:])


def pairs(words: list[LoadedWord]) -> set[tuple[str, str]]:
    return {(w.text.lower(), w.category) for w in words}


# -- the vocabulary file -----------------------------------------------------------------------

def test_every_word_is_in_one_category_only() -> None:
    data = load_data("framing/loaded.yml")
    seen: dict[str, str] = {}
    for category, spec in data["categories"].items():
        for word in spec["words"]:
            assert word == word.lower(), word
            assert word not in seen, f"{word!r} is in {seen[word]} and {category}"
            seen[word] = category


def test_conflict_facts_are_not_in_the_word_lists() -> None:
    data = load_data("framing/loaded.yml")
    words = {w for spec in data["categories"].values() for w in spec["words"]}
    assert not words & {"attack", "killed", "destroyed", "blast", "war", "crisis", "said"}


# -- words and categories ---------------------------------------------------------------------

@pytest.mark.slow
def test_conflict_labels_and_demonising_adjectives(model: Language,
                                                   indicator: LoadedLanguage) -> None:
    words = found(model, indicator,
                  "The regime's butchers unleashed a barbaric assault on the sleeping town.")
    assert {("regime", "pejorative_label"), ("butchers", "pejorative_label"),
            ("unleashed", "sensational_verb"), ("barbaric", "evaluative_adjective")} <= pairs(words)
    assert "assault" not in {w.text for w in words}


@pytest.mark.slow
def test_scare_quotes_cues_and_phrases(model: Language, indicator: LoadedLanguage) -> None:
    text = 'Critics slammed the so-called "reform" as a reckless power grab.'
    words = found(model, indicator, text)
    assert pairs(words) == {("slammed", "sensational_verb"), ("so-called", "scare_quote_cue"),
                            ("reform", SCARE_QUOTE), ("reckless", "evaluative_adjective"),
                            ("power grab", "one_sided_term")}
    reform = next(w for w in words if w.category == SCARE_QUOTE)
    assert text[reform.start:reform.start + len("reform")] == "reform"
    assert [w.start for w in words] == sorted(w.start for w in words)


@pytest.mark.slow
def test_longest_phrase_and_inflections(model: Language, indicator: LoadedLanguage) -> None:
    words = found(model, indicator, "The puppet government clung to power while its cronies "
                                    "brutally looted the treasury.")
    assert {("puppet government", "conflict_loaded"), ("clung to power", "sensational_verb"),
            ("cronies", "pejorative_label"), ("brutally", "evaluative_adjective"),
            ("looted", "sensational_verb")} <= pairs(words)
    assert "puppet" not in {w.text for w in words}


@pytest.mark.slow
def test_boosters_dehumanising_words_and_rhetorical_marks(model: Language,
                                                         indicator: LoadedLanguage) -> None:
    words = found(model, indicator, "Obviously, who could trust vermin spreading such lies?")
    assert {("obviously", "booster"), ("vermin", "dehumanising"),
            ("lies", "sensational_noun"), ("?", RHETORICAL)} <= pairs(words)


@pytest.mark.slow
def test_stance_adverbs_count_but_neutral_adverbs_do_not(model: Language,
                                                         indicator: LoadedLanguage) -> None:
    words = found(model, indicator,
                  "The minister conveniently forgot the report he had recently signed.")
    assert pairs(words) == {("conveniently", STANCE_ADVERB)}
    assert not indicator.is_loaded(model("The minister conveniently forgot the report.")[:])


@pytest.mark.slow
def test_slanted_verbs_need_a_verb(model: Language, indicator: LoadedLanguage) -> None:
    assert ("insisted", "slanted_reporting_verb") in pairs(
        found(model, indicator, "The spokesman insisted the convoy carried only food."))
    assert not found(model, indicator, "Insurance claims rose after the storm.")


# -- the sentence-level indicator -------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "The regime's butchers unleashed a barbaric assault on the sleeping town.",
    'Critics slammed the so-called "reform" as a reckless power grab.',
    "Obviously, who could trust vermin spreading such lies?",
    "The puppet government clung to power while its cronies looted the treasury.",
    "This shameful cover-up should outrage every one of us.",
])
def test_loaded_sentences_are_flagged(model: Language, indicator: LoadedLanguage,
                                      text: str) -> None:
    assert indicator.is_loaded(model(text)[:])


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "A missile struck an apartment block in Dnipro on Tuesday, killing six people, the "
    "regional governor said.",
    "The ministry reported that 14 drones were shot down over the Belgorod region overnight.",
    "Emergency crews cleared debris after the explosion damaged a power substation.",
    "Talks between the two delegations are scheduled to resume in Geneva next week.",
    "Amnesty International published a report on detention conditions in the region.",
    "The parliament approved the budget by 240 votes to 150 on Thursday.",
])
def test_neutral_reports_are_not_flagged(model: Language, indicator: LoadedLanguage,
                                         text: str) -> None:
    span = model(text)[:]
    assert indicator.words(span) == []
    assert not indicator.is_loaded(span)


@pytest.mark.slow
def test_quoted_source_words_are_not_the_outlets(model: Language,
                                                 indicator: LoadedLanguage) -> None:
    span = model('The governor said: "These barbaric terrorists will answer for their '
                 'crimes against our city."')[:]
    assert indicator.words(span) == []
    assert not indicator.is_loaded(span)


@pytest.mark.slow
def test_attribution_lowers_the_score(model: Language, indicator: LoadedLanguage) -> None:
    own = model("The regime shelled the village overnight.")[:]
    attributed = model("The regime shelled the village overnight, the mayor said.")[:]
    assert indicator.score(own) == 1.0
    assert indicator.score(attributed) == 0.5
    assert indicator.is_loaded(own) and not indicator.is_loaded(attributed)


@pytest.mark.slow
def test_works_per_sentence_of_a_document(model: Language, indicator: LoadedLanguage) -> None:
    doc = model("Drones hit a fuel depot near Kursk on Sunday. "
                "The cowardly strike was a disgrace, and the world knows it.")
    flags = [indicator.is_loaded(sent) for sent in doc.sents]
    assert flags == [False, True]
    words = [w for sent in doc.sents for w in indicator.words(sent)]
    assert [(doc.text[w.start:w.start + len(w.text)], w.category) for w in words] == [
        ("cowardly", "conflict_loaded"), ("disgrace", "sensational_noun")]


# -- BABE --------------------------------------------------------------------------------------

def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_babe", REPO / "bench" / "babe.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_babe_test_split_stays_above_the_floor(shared_dir: Path, model: Language,
                                               indicator: LoadedLanguage) -> None:
    spec = FLOORS["babe"]
    path = shared_dir / spec["file"]
    if not path.is_file():
        pytest.skip(f"BABE not found at {path}")
    bench = _bench()
    rows = bench.read_babe(path)
    _, test = bench.split(rows)
    assert len(test) == 735
    gold = [r.biased for r in rows]
    pred = [False] * len(rows)
    for i, doc in zip(test, model.pipe(rows[i].text for i in test), strict=True):
        pred[i] = indicator.is_loaded(doc[:])
    result = bench.metrics(pred, gold, test)
    for key, floor in spec["floors"].items():
        assert result[key] >= floor, f"BABE test {key} {result[key]} < floor {floor}"
