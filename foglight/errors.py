"""The exceptions foglight raises, as one small tree.

    FoglightError                 every error foglight raises on purpose
    ├── InputError                an input file or record cannot be used (the run goes on)
    │   ├── UnreadableInput       binary, undecodable, empty or oversized content
    │   └── BadMetadata           front matter, a --meta file or a date that cannot be parsed
    ├── ModelNotInstalled         the spaCy pipeline is missing from the environment
    ├── DatabaseError             the database cannot be opened or written
    └── GoldFormatError           a gold annotation file does not follow spec/gold-format.md

Each message says what to do about it.
"""

from __future__ import annotations


class FoglightError(Exception):
    """Base class: every error foglight raises on purpose."""


class InputError(FoglightError):
    """An input file or record cannot be used; it is recorded as a failure and skipped."""


class UnreadableInput(InputError):
    """The content is binary, undecodable, empty or over the size limit."""


class BadMetadata(InputError):
    """Front matter, a --meta line or a date value cannot be parsed."""


class ModelNotInstalled(FoglightError):
    """The spaCy English pipeline is not installed in this environment."""


class DatabaseError(FoglightError):
    """The database cannot be opened, migrated or written."""


class GoldFormatError(FoglightError):
    """A gold file line does not follow spec/gold-format.md."""
