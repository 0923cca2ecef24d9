"""Hand-built parses for stage tests: a Doc from one line per token, so that a test states
the parse it relies on instead of depending on the statistical model's mistakes."""

from __future__ import annotations

from collections.abc import Sequence

import spacy
from spacy.tokens import Doc

VOCAB = spacy.blank("en").vocab

# Tokens written without a space before them; "(" is written without a space after it.
_NO_SPACE_BEFORE = frozenset({".", ",", "'s", ")", ":", ";", "?", "!"})


def parsed(table: str, ents: Sequence[str] | None = None) -> Doc:
    """A parsed Doc from one line per token: ``word POS TAG dep head``.

    Heads are absolute token indices (a root is its own head). Spaces follow English
    punctuation; a sixth column ``nsp`` suppresses the space after a token. ``ents`` are
    IOB tags, one per token.
    """
    rows = [line.split() for line in table.strip().splitlines()]
    words = [row[0] for row in rows]
    spaces = []
    for i, row in enumerate(rows):
        following = words[i + 1] if i + 1 < len(words) else None
        spaces.append(following is not None and following not in _NO_SPACE_BEFORE
                      and row[0] != "(" and "nsp" not in row[5:])
    return Doc(
        VOCAB,
        words=words,
        spaces=spaces,
        pos=[row[1] for row in rows],
        tags=[row[2] for row in rows],
        deps=[row[3] for row in rows],
        heads=[int(row[4]) for row in rows],
        ents=list(ents) if ents is not None else None,
    )
