"""Tests for foglight.nlp: the pipeline, its newline sentence breaks, loading and batching."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from foglight import nlp
from foglight.errors import ModelNotInstalled
from foglight.options import Options

VOCAB = spacy.blank("en").vocab


# -- the newline component alone, on hand-built docs -----------------------------------------

def test_token_after_a_newline_starts_a_sentence() -> None:
    # "Drones hit Kursk\nShelling continued", as the tokenizer splits it.
    doc = Doc(VOCAB, words=["Drones", "hit", "Kursk", "\n", "Shelling", "continued"],
              spaces=[True, True, False, False, True, False])
    out = nlp.newline_sentences(doc)
    assert out is doc
    assert doc[4].is_sent_start is True
    assert [t.i for t in doc[1:] if t.is_sent_start] == [4]


def test_every_newline_token_starts_a_sentence_after_it() -> None:
    doc = Doc(VOCAB, words=["Headline", "\n\n", "Byline", "\n", "Body", "text"],
              spaces=[False, False, False, False, True, False])
    nlp.newline_sentences(doc)
    assert [t.i for t in doc[1:] if t.is_sent_start] == [2, 4]


def test_trailing_newline_is_harmless() -> None:
    doc = Doc(VOCAB, words=["Drones", "hit", "Kursk", "\n"], spaces=[True, True, False, False])
    nlp.newline_sentences(doc)
    assert [t.i for t in doc[1:] if t.is_sent_start] == []


def test_text_without_newlines_is_left_to_the_parser() -> None:
    doc = Doc(VOCAB, words=["Drones", "hit", "Kursk", "."], spaces=[True, True, False, False])
    nlp.newline_sentences(doc)
    assert not any(t.is_sent_start for t in doc[1:])


# -- the loaded pipeline -----------------------------------------------------------------------

@pytest.mark.slow
def test_component_runs_before_the_parser(model: Language) -> None:
    names = model.pipe_names
    assert "foglight_newline_sentences" in names
    assert names.index("foglight_newline_sentences") < names.index("parser")
    assert "lemmatizer" not in names


@pytest.mark.slow
def test_newline_starts_a_new_sentence(model: Language) -> None:
    # The break falls mid-clause, where the parser alone would never put one.
    doc = model("Ukrainian drones struck\nthe oil depot in Bryansk on Tuesday.")
    assert [s.text.strip() for s in doc.sents] == [
        "Ukrainian drones struck", "the oil depot in Bryansk on Tuesday."]


@pytest.mark.slow
def test_headline_and_byline_are_their_own_sentences(model: Language) -> None:
    doc = model("Drones Hit Oil Depot In Bryansk\n\nAnna Petrova 12 March 2024\n\n"
                "Ukrainian drones struck an oil depot in Bryansk on Tuesday.")
    starts = [s[0].text for s in doc.sents if not s.text.isspace()]
    assert starts[0] == "Drones"
    assert "Anna" in starts
    assert starts[-1] == "Ukrainian"
    for sent in doc.sents:
        # No sentence runs across a line break.
        assert "\n" not in sent.text.strip()


@pytest.mark.slow
def test_load_is_cached(model: Language) -> None:
    assert nlp.load() is model
    assert nlp.load() is nlp.load()


@pytest.mark.slow
def test_default_and_named_model_are_one_pipeline(model: Language) -> None:
    assert nlp.load(Options().spacy_model) is model


def test_missing_model_is_reported() -> None:
    with pytest.raises(ModelNotInstalled, match="not installed"):
        nlp.load("foglight_no_such_pipeline")


@pytest.mark.slow
def test_pipe_returns_docs_in_order(model: Language) -> None:
    texts = [f"Drones struck target number {i} overnight.\nNo one was hurt." for i in range(7)]
    texts.insert(3, "")
    docs = list(nlp.pipe(texts, Options(batch_size=2)))
    assert [d.text for d in docs] == texts
    assert all(isinstance(d, Doc) for d in docs)
    # The pipeline's own component ran on every batch.
    for doc in docs[:3] + docs[4:]:
        assert len(list(doc.sents)) == 2


@pytest.mark.slow
def test_pipe_is_lazy(model: Language) -> None:
    docs = nlp.pipe(iter(["Drones struck Kursk."]), Options())
    assert not isinstance(docs, list)
    assert next(docs).text == "Drones struck Kursk."
    with pytest.raises(StopIteration):
        next(docs)
