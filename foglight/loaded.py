"""Loaded language: the words by which a writer colours what is reported (issue 4).

One of the framing indicators. ``LoadedLanguage.words(sent)`` lists the loaded words of one
sentence with their category; ``is_loaded(sent)`` is the sentence-level indicator: the summed
category weights of those words reach ``thresholds.min_score`` of the vocabulary.

The vocabulary is ``foglight/data/framing/loaded.yml`` (commented, with its sources). Matching
is on ``token.lower_`` (spaCy's lemmatizer is off in foglight), with simple inflections
generated per category, so a sentence costs one dictionary look-up per token. Besides the
word lists, two rules:

- scare quotes: a short quoted span ("the 'reform'") inside a longer sentence;
- stance adverbs and rhetorical punctuation, with the weights in ``thresholds``.

(A VADER sentiment-lexicon fallback was measured on BABE's train split and did not help:
macro-F1 0.672 at best against 0.711 without it. See loaded.yml.)

Words inside named entities ("Amnesty International", "People's Liberation Army") and,
unless ``thresholds.score_quoted`` is true, inside quotations of a source are not scored: the
indicator is about the outlet's own words.

Measured on the BABE media-bias benchmark by ``bench/babe.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span

from foglight.nlp import lowercase
from foglight.vocab import load_data

DEFAULT_VOCAB = "framing/loaded.yml"

SCARE_QUOTE = "scare_quote"
STANCE_ADVERB = "stance_adverb"
RHETORICAL = "rhetorical_punctuation"

# Entity types whose words are names, not the writer's wording.
_NAME_ENTITIES = frozenset({"ORG", "PERSON", "WORK_OF_ART", "LAW", "FAC", "EVENT", "PRODUCT"})
_DOUBLE_QUOTES = frozenset({'"', "“", "”", "``", "''", "«", "»"})
_OPEN_SINGLE = "‘"
_RHETORICAL_MARKS = frozenset({"?", "!"})
_FIGURE_ENTITIES = frozenset({"CARDINAL", "PERCENT", "MONEY", "QUANTITY"})
_CLOSE_SINGLE = "’"


@dataclass(frozen=True)
class LoadedWord:
    """One loaded word (or phrase) of a sentence."""

    text: str
    category: str
    start: int  # character offset in the doc
    weight: float = 1.0


@dataclass(frozen=True)
class _Entry:
    category: str
    weight: float
    pos: frozenset[str]  # allowed coarse POS tags; empty: any


def _inflections(word: str, kinds: Iterable[str]) -> Iterator[str]:
    """``word`` and the forms of it named in ``kinds`` (s, ed, ing, ly), regular spelling."""
    yield word
    vowels = "aeiou"
    last = word[-1]
    # "slam" -> "slammed": a final consonant after a single vowel is doubled.
    doubled = (
        len(word) >= 3
        and last not in vowels + "wxy"
        and word[-2] in vowels
        and word[-3] not in vowels
    )
    for kind in kinds:
        if kind == "s":
            if word.endswith(("s", "x", "z", "ch", "sh")):
                yield word + "es"
            elif last == "y" and word[-2:-1] not in ("", *vowels):
                yield word[:-1] + "ies"
            else:
                yield word + "s"
                if last == "o":
                    yield word + "es"
        elif kind == "ed":
            if last == "e":
                yield word + "d"
            elif last == "y" and word[-2:-1] not in ("", *vowels):
                yield word[:-1] + "ied"
            else:
                yield word + "ed"
                if doubled:
                    yield word + last + "ed"
        elif kind == "ing":
            if last == "e" and not word.endswith("ee"):
                yield word[:-1] + "ing"
            else:
                yield word + "ing"
                if doubled:
                    yield word + last + "ing"
        elif kind == "ly":
            if last == "y":
                yield word[:-1] + "ily"
            elif word.endswith("le"):
                yield word[:-1] + "y"
            elif word.endswith("ic"):
                yield word + "ally"
            else:
                yield word + "ly"
        else:
            raise ValueError(f"unknown inflection {kind!r}")


def _split(phrase: str) -> tuple[str, ...]:
    """A phrase as spaCy tokenizes it: hyphens are tokens of their own."""
    return tuple(phrase.replace("-", " - ").split())


class LoadedLanguage:
    """The loaded-language indicator over spaCy sentences."""

    def __init__(
        self, vocab_file: str = DEFAULT_VOCAB, *, overrides: Mapping[str, float] | None = None
    ) -> None:
        data: dict[str, Any] = load_data(vocab_file)
        thresholds: dict[str, float] = {**data["thresholds"], **(overrides or {})}
        self.min_score = float(thresholds["min_score"])
        self.scare_quote_max = int(thresholds.get("scare_quote_max_words", 3))
        self.scare_quote_weight = float(thresholds.get("scare_quote_weight", 1.0))
        self.score_quoted = bool(thresholds.get("score_quoted", 0))
        self.attribution_discount = float(thresholds.get("attribution_discount", 0))
        self.figures_discount = float(thresholds.get("figures_discount", 0))
        self.weights: dict[str, float] = {}
        self._single: dict[str, _Entry] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], _Entry]]] = {}
        for category, spec in data["categories"].items():
            weight = float(spec.get("weight", 1.0))
            self.weights[category] = weight
            entry = _Entry(category, weight, frozenset(spec.get("pos", ())))
            kinds = tuple(spec.get("inflect", ()))
            for word in spec["words"]:
                tokens = _split(str(word).lower())
                if len(tokens) == 1:
                    for form in _inflections(tokens[0], kinds):
                        self._single.setdefault(form, entry)
                else:
                    self._phrases.setdefault(tokens[0], []).append((tokens, entry))
        for options in self._phrases.values():
            options.sort(key=lambda pair: -len(pair[0]))
        self.weights[SCARE_QUOTE] = self.scare_quote_weight
        self.weights[STANCE_ADVERB] = float(thresholds.get("stance_adverb_weight", 0))
        self.weights[RHETORICAL] = float(thresholds.get("rhetorical_weight", 0))
        self._neutral_adverbs = frozenset(str(w).lower() for w in data.get("neutral_adverbs", ()))
        cues = [_split(str(w).lower()) for w in data.get("attribution", ())]
        self._attribution_single = frozenset(c[0] for c in cues if len(c) == 1)
        self._attribution_phrases = tuple(c for c in cues if len(c) > 1)

    def words(self, sent: Span) -> list[LoadedWord]:
        """The loaded words of one sentence (any span), in order."""
        spans = self._quote_spans(sent)
        quoted = self._quoted(sent, spans)
        found: list[LoadedWord] = []
        skip_to = sent.start
        lowered = lowercase(sent.doc)
        for token in sent:
            i = token.i
            if i < skip_to or token.is_space:
                continue
            if i in quoted and not self.score_quoted:
                continue
            if token.is_punct:
                if token.text in _RHETORICAL_MARKS and self.weights[RHETORICAL]:
                    found.append(
                        LoadedWord(token.text, RHETORICAL, token.idx, self.weights[RHETORICAL])
                    )
                continue
            if token.ent_type_ in _NAME_ENTITIES:
                continue
            lower = lowered[i]
            phrase = self._phrase_at(sent, i, lowered)
            if phrase is not None:
                end, matched = phrase
                span = sent.doc[i:end]
                found.append(LoadedWord(span.text, matched.category, token.idx, matched.weight))
                skip_to = end
                continue
            entry = self._single.get(lower)
            if entry is not None:
                if not entry.pos or token.pos_ in entry.pos:
                    found.append(LoadedWord(token.text, entry.category, token.idx, entry.weight))
            elif (
                self.weights[STANCE_ADVERB]
                and token.pos_ == "ADV"
                and len(lower) > 4
                and lower.endswith("ly")
                and lower not in self._neutral_adverbs
            ):
                found.append(
                    LoadedWord(token.text, STANCE_ADVERB, token.idx, self.weights[STANCE_ADVERB])
                )
        found.extend(self._scare_quotes(sent, spans))
        found.sort(key=lambda w: w.start)
        return found

    def score(self, sent: Span, words: list[LoadedWord] | None = None) -> float:
        """The summed weights of the sentence's loaded words (``words`` when already found),
        less the discounts for neutral attribution ("said") and for figures, which mark a
        sentence that reports."""
        found = self.words(sent) if words is None else words
        total = sum(w.weight for w in found)
        if self.attribution_discount and self.attributed(sent):
            total -= self.attribution_discount
        if self.figures_discount and self.has_figures(sent):
            total -= self.figures_discount
        return total

    def is_loaded(self, sent: Span, words: list[LoadedWord] | None = None) -> bool:
        """The sentence-level indicator."""
        return self.score(sent, words) >= self.min_score

    def attributed(self, sent: Span) -> bool:
        """Whether the sentence has a neutral attribution cue ("said", "according to")."""
        lowered = lowercase(sent.doc)
        for i in range(sent.start, sent.end):
            lower = lowered[i]
            if lower in self._attribution_single:
                return True
            for cue in self._attribution_phrases:
                if (
                    cue[0] == lower
                    and i + len(cue) <= sent.end
                    and all(lowered[i + k] == t for k, t in enumerate(cue))
                ):
                    return True
        return False

    @staticmethod
    def has_figures(sent: Span) -> bool:
        """Whether the sentence gives a number, amount or percentage."""
        return any(t.like_num or t.ent_type_ in _FIGURE_ENTITIES for t in sent)

    # -- helpers -----------------------------------------------------------------------------

    def _phrase_at(self, sent: Span, i: int, lowered: list[str]) -> tuple[int, _Entry] | None:
        """The end and entry of the longest phrase starting at token ``i``, whose words are
        the doc's ``lowered``."""
        options = self._phrases.get(lowered[i])
        if not options:
            return None
        for tokens, entry in options:
            end = i + len(tokens)
            if end <= sent.end and all(lowered[i + k] == t for k, t in enumerate(tokens)):
                return end, entry
        return None

    @staticmethod
    def _quote_spans(sent: Span) -> list[tuple[int, int]]:
        """(first, last) token indices of the quotation marks that pair up in the sentence;
        an unclosed quotation runs to the end of the sentence."""
        spans: list[tuple[int, int]] = []
        open_double: int | None = None
        open_single: int | None = None
        # Quotation marks have no case: a token's lowercase form is one exactly when its text is.
        lowered = lowercase(sent.doc)
        for i in range(sent.start, sent.end):
            text = lowered[i]
            if text in _DOUBLE_QUOTES:
                if open_double is None:
                    open_double = i
                else:
                    spans.append((open_double, i))
                    open_double = None
            elif text == _OPEN_SINGLE:
                open_single = i
            elif text == _CLOSE_SINGLE and open_single is not None:
                spans.append((open_single, i))
                open_single = None
        if open_double is not None:
            spans.append((open_double, sent.end))
        return spans

    def _quoted(self, sent: Span, spans: list[tuple[int, int]]) -> set[int]:
        """Token indices inside quotations longer than a scare quote."""
        inside: set[int] = set()
        for first, last in spans:
            words = [t for t in sent.doc[first + 1 : last] if not t.is_punct]
            if len(words) > self.scare_quote_max:
                inside.update(range(first + 1, last))
        return inside

    def _scare_quotes(self, sent: Span, spans: list[tuple[int, int]]) -> list[LoadedWord]:
        found: list[LoadedWord] = []
        if not spans:
            return found
        n_words = sum(1 for t in sent if not t.is_punct and not t.is_space)
        for first, last in spans:
            if last >= sent.end:
                continue
            inner = sent.doc[first + 1 : last]
            words = [t for t in inner if not t.is_punct]
            if not 1 <= len(words) <= self.scare_quote_max or n_words <= len(words) + 2:
                continue
            if any(t.ent_type_ in _NAME_ENTITIES for t in words):
                continue  # a title or a name in quotes
            found.append(
                LoadedWord(inner.text, SCARE_QUOTE, inner.start_char, self.scare_quote_weight)
            )
        return found
