"""Shared fixtures: where the annotated corpora and the example articles live, and the
spaCy pipeline (loaded once per process by ``nlp.load``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from foglight import nlp

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository (seeds, dev set, specs), or skip the test."""
    path = Path(__file__).resolve().parents[2] / "shared"
    if not path.is_dir():
        pytest.skip("../shared not found beside the repository: "
                    "the annotated corpora are not available")
    return path


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The repository's own example articles (written for foglight; safe to copy)."""
    return REPO / "examples" / "articles"


@pytest.fixture(scope="session")
def model() -> Language:
    """foglight's spaCy pipeline, as the nlp stage loads it."""
    return nlp.load()
