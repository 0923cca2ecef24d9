"""Typed records passed between the pipeline stages.

ingest → ``Article``; extract → ``Mention`` (with ``Place``, ``EventDate``, ``Count``);
merge → ``Event`` holding its mentions and ``Claim`` rows; store writes and reads them back.
The JSON shapes of ``Event.to_export`` follow ``spec/export.md`` field for field.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Weapon(StrEnum):
    DRONE = "drone"
    SEA_DRONE = "sea_drone"
    MISSILE = "missile"
    ARTILLERY = "artillery"
    EXPLOSIVE = "explosive"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


class TargetType(StrEnum):
    AIRBASE = "airbase"
    OIL_FACILITY = "oil_facility"
    RESIDENTIAL = "residential"
    PORT = "port"
    SHIP = "ship"
    GOVERNMENT = "government"
    BRIDGE = "bridge"
    MILITARY_OTHER = "military_other"
    INFRASTRUCTURE = "infrastructure"
    OTHER = "other"


class Outcome(StrEnum):
    HIT = "hit"
    INTERCEPTED = "intercepted"
    MOSTLY_INTERCEPTED = "mostly_intercepted"
    FAILED = "failed"
    ATTEMPTED = "attempted"
    UNKNOWN = "unknown"


class Certainty(StrEnum):
    ASSERTED = "asserted"
    ATTRIBUTED = "attributed"
    HEDGED = "hedged"
    DENIED = "denied"


class PlacePrecision(StrEnum):
    FACILITY = "facility"
    SETTLEMENT = "settlement"
    ADMIN1 = "admin1"
    COUNTRY = "country"
    UNKNOWN = "unknown"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Place:
    """A resolved place: the most specific one the text names for an event."""

    name: str | None
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    precision: PlacePrecision
    gazetteer_id: str | None
    # What the gazetteer knows the place to be (facility kind such as "airbase"), if anything.
    feature: str | None = None

    def to_export(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "admin1": self.admin1,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision.value,
            "gazetteer_id": self.gazetteer_id,
        }


UNKNOWN_PLACE = Place(None, None, None, None, None, PlacePrecision.UNKNOWN, None)


@dataclass(frozen=True)
class EventDate:
    """A date at day, month or year precision; ``value`` is None when unknown."""

    value: str | None
    precision: DatePrecision

    @classmethod
    def day(cls, d: date) -> EventDate:
        return cls(d.isoformat(), DatePrecision.DAY)

    @classmethod
    def month(cls, year: int, month: int) -> EventDate:
        return cls(f"{year:04d}-{month:02d}", DatePrecision.MONTH)

    @classmethod
    def year(cls, year: int) -> EventDate:
        return cls(f"{year:04d}", DatePrecision.YEAR)

    def compatible(self, other: EventDate) -> bool:
        """True when neither date rules the other out (unknown fits anything)."""
        if self.value is None or other.value is None:
            return True
        return self.value.startswith(other.value) or other.value.startswith(self.value)


UNKNOWN_DATE = EventDate(None, DatePrecision.UNKNOWN)


@dataclass(frozen=True)
class Count:
    """A stated figure: "at least three" is Count(3, None), "no casualties" Count(0, 0)."""

    min: int
    max: int | None

    def to_export(self) -> dict[str, int | None]:
        return {"min": self.min, "max": self.max}

    def __str__(self) -> str:
        return count_text(self.min, self.max)


def count_text(low: int, high: int | None) -> str:
    """A stated figure as people write it: 3, ≥3 (at least three), 3–5."""
    if high is None:
        return f"≥{low}"
    return str(low) if low == high else f"{low}–{high}"


@dataclass(frozen=True)
class Article:
    """One ingested article: its stored text and what is known about where it came from."""

    id: str
    text: str
    source: str  # the url when known, else the path as given
    url: str | None = None
    path: str | None = None
    title: str | None = None
    published: date | None = None
    # Where the publication date came from: flag, meta, front_matter, html, jsonl, dateline,
    # url or unknown. Kept so a user can judge how far to trust relative dates.
    published_from: str = "unknown"
    outlet: str | None = None
    author: str | None = None
    # Front-matter or JSONL keys foglight does not interpret, kept as given.
    extra: dict[str, Any] = field(default_factory=dict)
    # What had to be repaired or guessed to read it (an encoding guessed, a truncated page, a
    # date that is no date, look-alike letters): it is stored, and listed by
    # ``foglight failures`` so that a reader can check it.
    warnings: tuple[str, ...] = ()


# Characters that change how text is shown but are not text: zero-width spaces and joiners,
# the soft hyphen, bidirectional marks, embeddings, overrides and isolates (which can make a
# place name display as another), invisible operators and the byte-order mark. Ingest drops
# them from stored text, and article ids ignore them.
INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def normalise_text(text: str) -> str:
    """The text an article id is computed from: NFC, whitespace collapsed, no zero-width marks."""
    text = unicodedata.normalize("NFC", text)
    text = INVISIBLE.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def article_id_for(text: str) -> str:
    """A stable id from the normalised text, so the same content is recognised on re-ingest."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Mention:
    """One report of one attack at one place in one article, with what it states."""

    article_id: str
    sentence: str
    start: int
    end: int
    place: Place
    date: EventDate
    weapon: Weapon
    target_type: TargetType
    attacker: str  # ISO2 of the side said to have attacked, or "unknown"
    outcome: Outcome
    killed: Count | None
    injured: Count | None
    attributed_to: tuple[str, ...]
    certainty: Certainty
    hedges: tuple[str, ...] = ()
    drones: Count | None = None  # number of drones stated for this attack
    missiles: Count | None = None  # number of missiles stated for this attack
    # Mentions made from one sentence naming several places share a group key; figures stated
    # only for the group are kept in ``group_killed``/``group_injured`` instead of per place.
    group: str | None = None
    group_killed: Count | None = None
    group_injured: Count | None = None
    # What the date rests on: "attack" (a date the sentence ties to the attack), "report" (the
    # date of the statement in the same sentence), "context" (a neighbouring sentence) or
    # "none". Merging within an article lets a stronger basis override a weaker one.
    date_basis: str = "none"
    # "sentence" when the sentence names the place; "context" when a sentence without a
    # place was attached to the attack told just before it ("The ship was damaged at night").
    place_basis: str = "sentence"
    # Why this mention's article joined an event first reported elsewhere, in words ("same
    # facility Engels-2 air base, same day 2022-12-05, both drone"); None for the first.
    merge_reason: str | None = None

    @property
    def id(self) -> str:
        key = (
            f"{self.article_id}|{self.start}|{self.place.gazetteer_id or self.place.name}"
            f"|{self.date.value}"
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Claim:
    """One field value as one article states it, with who the article says claims it."""

    field: str
    value: Any
    article_id: str
    outlet: str | None
    attributed_to: tuple[str, ...]
    certainty: Certainty
    mention_id: str

    def to_export(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "value": self.value,
            "article_id": self.article_id,
            "attributed_to": list(self.attributed_to),
        }


@dataclass
class Event:
    """One attack at one place on one day, with every mention that reports it."""

    id: str
    date: EventDate
    place: Place
    weapon: Weapon
    target_type: TargetType
    attacker: str
    outcome: Outcome
    killed: Count | None
    injured: Count | None
    mentions: list[Mention] = field(default_factory=list)
    kind: str = "attack"


class Side(StrEnum):
    """Whose voice a cited source is (foglight/data/framing/sources.yml explains each)."""

    RUSSIAN_OFFICIAL = "russian_official"
    UKRAINIAN_OFFICIAL = "ukrainian_official"
    WESTERN_OFFICIAL = "western_official"
    EXPERT = "expert"
    MEDIA = "media"
    ANONYMOUS = "anonymous"
    OTHER = "other"


class QuoteKind(StrEnum):
    DIRECT = "direct"  # the speaker's words in quotation marks
    INDIRECT = "indirect"  # reported speech: "the ministry said that ..."
    ACCORDING_TO = "according_to"  # a source cited for a statement: "according to X"


@dataclass(frozen=True)
class Quote:
    """One statement an article attributes to a source, with the sentence that does it."""

    article_id: str
    speaker: str
    side: Side
    kind: QuoteKind
    cue: str  # the reporting verb or phrase ("said", "according to")
    sentence: str
    start: int  # character offsets of the sentence in the article text
    end: int
    country: str | None = None  # ISO2 of the speaker's state or affiliation, when known


@dataclass(frozen=True)
class TermUse:
    """One use of a terminology marker (framing/terms.yml) in an article."""

    article_id: str
    term: str  # the vocabulary's name for it: "Kiev", "special military operation"
    category: str  # "place_spelling", "war_naming", ...
    camp: str  # whose usage it is associated with: "russian", "ukrainian", "neutral", ...
    text: str  # as written
    sentence: str
    start: int  # character offset of the term in the article text
    quoted: bool = False  # inside quotation marks: a source's word, not the writer's


class SignalKind(StrEnum):
    FIRST_PERSON = "first_person"
    EVALUATIVE = "evaluative"  # loaded or evaluative wording (framing/loaded.yml)
    # A sentence the loaded-language indicator flags as a whole (measured on BABE).
    LOADED_SENTENCE = "loaded_sentence"
    RHETORICAL_QUESTION = "rhetorical_question"
    CALL_TO_ACTION = "call_to_action"


@dataclass(frozen=True)
class OpinionSignal:
    """One mark of the writer's own voice: a word, a question or an appeal."""

    article_id: str
    kind: SignalKind
    text: str
    sentence: str
    start: int  # character offset of the signal in the article text


@dataclass(frozen=True)
class ArticleFraming:
    """How one article tells its story: whom it quotes, which words it uses, where it
    speaks in its own voice."""

    quotes: tuple[Quote, ...] = ()
    terms: tuple[TermUse, ...] = ()
    signals: tuple[OpinionSignal, ...] = ()
