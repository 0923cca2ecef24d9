"""The merge stage: mentions of one attack become one ``Event`` with its ``Claim`` rows.

Within an article, ``extract.merge_within_article`` has already given every mention of one
attack the same place and date; here those mentions are grouped, the event's canonical values
are chosen, and every field value of every mention becomes a claim.

Across articles, ``matching_event`` decides whether a newly read event reports an attack
already in the ledger (same place, same day, compatible weapon and target) and says why in
words; ``combine`` then makes one event of both, keeping the older id.

Canonical values (documented rule, most specific first):
- place and date: the most specific place, and the date with the strongest basis (a date
  tied to the attack beats the date of a statement) and the finest precision;
- weapon, attacker, target type, killed, injured: the value stated by the most independent
  outlets; on a tie, the first stated (mentions whose sentence names the place before those
  attached from context). Every other value stays a claim, and disagreements are listed;
  an official's figure and an outlet's own are both kept as claims with their attribution;
- outcome: the first mention's, because the lead sentence reports the attack as a whole;
- figures stated only for a group of places stay on the group as claims.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from foglight.geo import haversine_km, place_breadth
from foglight.models import (
    Claim,
    Count,
    DatePrecision,
    Event,
    Mention,
    Outcome,
    PlacePrecision,
    TargetType,
    Weapon,
)

CLAIM_FIELDS = (
    "date",
    "place",
    "weapon",
    "target_type",
    "attacker",
    "outcome",
    "killed",
    "injured",
    "drones",
    "missiles",
    "group_killed",
    "group_injured",
)


def event_id(first: Mention) -> str:
    """Stable across re-runs: the id of the mention that first reported the event."""
    return hashlib.sha256(f"event|{first.id}".encode()).hexdigest()[:16]


def _first(values: Iterable[Any], unknown: Any) -> Any:
    for value in values:
        if value is not None and value != unknown:
            return value
    return unknown


def _most_reported(
    mentions: Sequence[Mention], value_of: Any, unknown: Any, outlets: Mapping[str, str | None]
) -> Any:
    """The value stated by the most independent outlets; ties go to the earliest statement
    (mentions are given in order of preference)."""
    support: Counter[Any] = Counter()
    first_seen: dict[Any, int] = {}
    for order, mention in enumerate(mentions):
        value = value_of(mention)
        if value is None or value == unknown:
            continue
        first_seen.setdefault(value, order)
    for value in first_seen:
        support[value] = len(
            {outlets.get(m.article_id) or m.article_id for m in mentions if value_of(m) == value}
        )
    if not support:
        return unknown
    return max(support, key=lambda value: (support[value], -first_seen[value]))


def build_event(
    mentions: Sequence[Mention],
    event_key: str | None = None,
    outlets: Mapping[str, str | None] | None = None,
) -> Event:
    ordered = sorted(mentions, key=lambda m: (m.article_id, m.start))
    outlets = outlets or {}
    # Sentences that name the place speak about this attack for certain; context-attached
    # ones only probably, so they decide a value only when the others state none.
    named_first = sorted(ordered, key=lambda m: m.place_basis != "sentence")
    place = min((m.place for m in ordered), key=place_breadth)
    dated = max(ordered, key=date_strength)
    return Event(
        id=event_key or event_id(ordered[0]),
        date=dated.date,
        place=place,
        weapon=_most_reported(named_first, lambda m: m.weapon, Weapon.UNKNOWN, outlets),
        target_type=_most_reported(named_first, lambda m: m.target_type, TargetType.OTHER, outlets),
        attacker=_most_reported(named_first, lambda m: m.attacker, "unknown", outlets),
        outcome=_first((m.outcome for m in ordered), Outcome.UNKNOWN),
        killed=_most_reported(ordered, lambda m: m.killed, None, outlets),
        injured=_most_reported(ordered, lambda m: m.injured, None, outlets),
        mentions=list(ordered),
    )


_BASIS_RANK = {"attack": 3, "report": 2, "context": 1, "none": 0}
_PRECISION_RANK = {
    DatePrecision.DAY: 3,
    DatePrecision.MONTH: 2,
    DatePrecision.YEAR: 1,
    DatePrecision.UNKNOWN: 0,
}


def date_strength(mention: Mention) -> tuple[int, int]:
    """How firmly a mention dates its attack: a date tied to the attack beats the date of a
    statement, which beats context; then day beats month beats year."""
    return _BASIS_RANK[mention.date_basis], _PRECISION_RANK[mention.date.precision]


def events_from_article(mentions: Sequence[Mention]) -> list[Event]:
    """Group one article's merged mentions (same place and date) into events.

    An event whose own sentences name no attacker takes the side the same article names for
    every other attack on that country, when it names exactly one ("Ukrainian drones struck
    two airbases ... another drone strike hit an airfield in Kursk"): the article plainly
    implies it. The mentions keep what their sentences state.
    """
    groups: dict[tuple[str | None, str | None], list[Mention]] = {}
    for mention in mentions:
        key = (mention.place.gazetteer_id or mention.place.name, mention.date.value)
        groups.setdefault(key, []).append(mention)
    events = [build_event(group) for group in groups.values()]
    sides: dict[str | None, set[str]] = {}
    for mention in mentions:
        if mention.attacker != "unknown":
            sides.setdefault(mention.place.country, set()).add(mention.attacker)
    for event in events:
        implied = sides.get(event.place.country, set())
        if event.attacker == "unknown" and len(implied) == 1:
            event.attacker = next(iter(implied))
    return events


def claim_value(mention: Mention, name: str) -> Any:
    """A mention's value for one claim field, JSON-ready, or None when it states none."""
    if name == "date":
        return mention.date.value
    if name == "place":
        return mention.place.name
    value = getattr(mention, name)
    if isinstance(value, Count):
        return value.to_export()
    if value in (Weapon.UNKNOWN, Outcome.UNKNOWN, "unknown"):
        return None
    if name == "target_type" and value is TargetType.OTHER:
        return None
    return value.value if hasattr(value, "value") else value


def claims_for(mention: Mention, outlet: str | None) -> list[Claim]:
    claims = []
    for name in CLAIM_FIELDS:
        value = claim_value(mention, name)
        if value is None:
            continue
        claims.append(
            Claim(
                field=name,
                value=value,
                article_id=mention.article_id,
                outlet=outlet,
                attributed_to=mention.attributed_to,
                certainty=mention.certainty,
                mention_id=mention.id,
            )
        )
    return claims


# Claim fields that two articles may state differently without disagreeing: a place is named
# at different precisions, and a group's figures belong to the group, not to this event.
UNCOMPARED_FIELDS = ("place", "group_killed", "group_injured")


def disagreements(claims: Sequence[Claim]) -> list[dict[str, Any]]:
    """Fields whose claims state different values, with the articles behind each value."""
    by_field: dict[str, dict[str, tuple[Any, list[str]]]] = {}
    for claim in claims:
        if claim.field in UNCOMPARED_FIELDS:
            continue
        key = repr(claim.value)
        values = by_field.setdefault(claim.field, {})
        entry = values.setdefault(key, (claim.value, []))
        if claim.article_id not in entry[1]:
            entry[1].append(claim.article_id)
    out = []
    for name, values in by_field.items():
        if len(values) > 1:
            out.append(
                {
                    "field": name,
                    "values": [
                        {"value": value, "article_ids": ids} for value, ids in values.values()
                    ],
                }
            )
    return out


# Two reports name one place when their gazetteer ids agree or their points lie this close:
# scoring.md counts gold events within 25 km as one place, and a facility and the town it is
# named after (Engels-2 and Engels, Kursk Khalino and Kursk) lie within that distance.
SAME_PLACE_KM = 25.0

_SPECIFIC_PLACES = (PlacePrecision.FACILITY, PlacePrecision.SETTLEMENT)


def place_agreement(new: Event, old: Event) -> tuple[str, bool] | None:
    """Why the two places can be one, and whether that is specific (not only a region or a
    country containing the other)."""
    a, b = new.place, old.place
    if a.country is not None and b.country is not None and a.country != b.country:
        return None
    if a.gazetteer_id is not None and a.gazetteer_id == b.gazetteer_id:
        specific = a.precision in _SPECIFIC_PLACES
        return f"same {a.precision.value} {a.name or a.country}", specific
    if (
        None not in (a.lat, a.lon, b.lat, b.lon)
        and a.precision in _SPECIFIC_PLACES
        and (b.precision in _SPECIFIC_PLACES)
    ):
        assert a.lat is not None and a.lon is not None and b.lat is not None
        assert b.lon is not None
        distance = haversine_km(a.lat, a.lon, b.lat, b.lon)
        if distance <= SAME_PLACE_KM:
            return f"{a.name} and {b.name} {distance:.0f} km apart", True
        return None
    wide, narrow = (a, b) if place_breadth(a) > place_breadth(b) else (b, a)
    if wide.precision is PlacePrecision.COUNTRY and wide.country == narrow.country:
        return f"{narrow.name or narrow.country} is in {wide.country}", False
    if wide.precision is PlacePrecision.ADMIN1 and wide.admin1 and wide.admin1 == narrow.admin1:
        return f"{narrow.name or narrow.admin1} is in {wide.admin1}", False
    return None


# An undated report whose publication date is known is taken to be about an attack only if it
# was published within this many days after it: news of a strike runs the same day or the
# next few, and a week covers weekly round-ups without reaching the next attack on the same
# town. With no publication date (nor any date the article states), nothing ties a report to
# one attack rather than another on the same place, so it stays its own event.
REPORT_WINDOW_DAYS = 7


def _date_agreement(
    new: Event, old: Event, published: Mapping[str, date | None]
) -> tuple[str, bool] | None:
    a, b = new.date, old.date
    if a.precision is DatePrecision.DAY and b.precision is DatePrecision.DAY:
        return (f"same day {a.value}", True) if a.value == b.value else None
    if a.value is None and b.value is None:
        return None
    if a.value is None or b.value is None:
        undated, dated = (new, old) if a.value is None else (old, new)
        if dated.date.precision is not DatePrecision.DAY or dated.date.value is None:
            return None
        day = date.fromisoformat(dated.date.value)
        known = [w for m in undated.mentions if (w := published.get(m.article_id)) is not None]
        for when in known:
            if 0 <= (when - day).days <= REPORT_WINDOW_DAYS:
                return f"undated report published {when.isoformat()}, after {day}", False
        return None
    # A month or a year holds many attacks on a busy target, so a report dated only so is
    # one attack with another only at the same precision ("in May" and "in May").
    if a.precision is b.precision and a.value == b.value:
        return f"same {a.precision.value} {a.value}", False
    return None


# Target types that outlets use for one site: a ship hit in port, a military unit on an air
# base, a fuel depot counted as energy infrastructure.
_TARGET_FAMILY = {
    TargetType.SHIP: TargetType.PORT,
    TargetType.MILITARY_OTHER: TargetType.AIRBASE,
    TargetType.INFRASTRUCTURE: TargetType.OIL_FACILITY,
}


def merge_reason(
    new: Event, old: Event, published: Mapping[str, date | None] | None = None
) -> tuple[str, bool] | None:
    """Why two events can be one attack, in words, and whether the match is specific (same
    place and same day) rather than vague (a region, a country or an unknown date)."""
    if {m.article_id for m in new.mentions} & {m.article_id for m in old.mentions}:
        return None  # one article told them apart
    place = place_agreement(new, old)
    when = _date_agreement(new, old, published or {})
    if place is None or when is None:
        return None
    weapons = {new.weapon, old.weapon} - {Weapon.UNKNOWN}
    targets = {_TARGET_FAMILY.get(t, t) for t in (new.target_type, old.target_type)}
    if len(weapons) > 1 or len(targets - {TargetType.OTHER}) > 1:
        return None
    parts = [place[0], when[0]]
    if weapons:
        parts.append(
            f"both {next(iter(weapons)).value}"
            if new.weapon == old.weapon
            else f"{next(iter(weapons)).value} and unknown weapon"
        )
    return ", ".join(parts), place[1] and when[1]


def matching_event(
    new: Event,
    candidates: Sequence[Event],
    published: Mapping[str, date | None] | None = None,
) -> tuple[Event, str] | None:
    """The ledger event a new event reports, with the reason. A specific match (same place,
    same day) wins; a vague one (a region, a country, an unknown date) joins only when it fits
    exactly one candidate, otherwise it stays its own event."""
    fits = [(old, *reason) for old in candidates if (reason := merge_reason(new, old, published))]
    specific = [(old, why) for old, why, is_specific in fits if is_specific]
    if specific:
        return min(specific, key=lambda pair: pair[0].id)
    if len(fits) == 1:
        old, why, _ = fits[0]
        return old, f"{why} (the only candidate)"
    return None


def combine(old: Event, new: Event, reason: str, outlets: dict[str, str | None]) -> Event:
    """One event from a ledger event and a new report of it, keeping the ledger's id; the
    new mentions carry the reason they joined."""
    joined = [replace(m, merge_reason=reason) for m in new.mentions]
    merged = build_event([*old.mentions, *joined], event_key=old.id, outlets=outlets)
    if merged.attacker == "unknown":
        merged.attacker = old.attacker if old.attacker != "unknown" else new.attacker
    return merged


class LedgerIndex:
    """Events in memory, blocked by place cell and date, for merging without a database (the
    benchmark, batch jobs). A new event is compared only with events in its own or a
    neighbouring one-degree cell (SAME_PLACE_KM is far below a degree) on the same day, in
    the month or year containing it, or undated but published within REPORT_WINDOW_DAYS
    after it; a country-level event meets every cell of its country. So each event meets a
    handful of others, however large the ledger grows."""

    def __init__(self) -> None:
        self._blocks: dict[tuple[object, str], list[Event]] = {}
        self._cells_of_country: dict[str | None, set[object]] = {}
        self._keys_of: dict[str, list[tuple[object, str]]] = {}
        self._published: dict[str, date | None] = {}

    @staticmethod
    def _cell(event: Event) -> object:
        place = event.place
        # A region meets every town of its country, as a country does: its point is only
        # its capital's.
        if place.lat is None or place.lon is None or place.precision not in _SPECIFIC_PLACES:
            return ("country", place.country)
        return (math.floor(place.lat), math.floor(place.lon))

    def _date_keys(self, event: Event, published: Mapping[str, date | None]) -> list[str]:
        value = event.date.value
        if value is not None:
            return [value]
        days = {published.get(m.article_id) for m in event.mentions} - {None}
        # Undated with no publication date: kept, but no date can lead another report to it.
        return [f"published:{day.isoformat()}" for day in days if day is not None] or ["-"]

    def candidates(
        self, event: Event, published: Mapping[str, date | None] | None = None
    ) -> list[Event]:
        published = published or {}
        cell = self._cell(event)
        if isinstance(cell, tuple) and cell and cell[0] == "country":
            cells = set(self._cells_of_country.get(event.place.country, set())) | {cell}
        else:
            assert isinstance(cell, tuple)
            lat, lon = cell
            cells = {(lat + dy, lon + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)}
            cells.add(("country", event.place.country))
        value = event.date.value
        keys: set[str] = set()
        if value is None:
            for day in {published.get(m.article_id) for m in event.mentions} - {None}:
                assert day is not None
                keys.update(
                    (day - timedelta(days=k)).isoformat() for k in range(REPORT_WINDOW_DAYS + 1)
                )
        else:
            keys.update(value[:length] for length in (10, 7, 4) if len(value) >= length)
            if len(value) == 10:
                start = date.fromisoformat(value)
                keys.update(
                    f"published:{(start + timedelta(days=k)).isoformat()}"
                    for k in range(REPORT_WINDOW_DAYS + 1)
                )
        found: dict[str, Event] = {}
        for c in cells:
            for key in keys:
                for candidate in self._blocks.get((c, key), ()):
                    found.setdefault(candidate.id, candidate)
            if value is not None and len(value) < 10:
                # A month or a year also meets the days inside it.
                for (block_cell, key), block in self._blocks.items():
                    if block_cell == c and key.startswith(value):
                        for candidate in block:
                            found.setdefault(candidate.id, candidate)
        return list(found.values())

    def add(
        self,
        event: Event,
        outlets: Mapping[str, str | None] | None = None,
        published: Mapping[str, date | None] | None = None,
    ) -> Event:
        """Add an event, merged into the one it reports if any; returns the ledger event."""
        self._published.update(published or {})
        published = self._published
        match = matching_event(event, self.candidates(event, published), published)
        keys: list[tuple[object, str]] = []
        if match is not None:
            old, reason = match
            keys = self._remove(old)
            event = combine(old, event, reason, dict(outlets or {}))
        cell = self._cell(event)
        self._cells_of_country.setdefault(event.place.country, set()).add(cell)
        # An event stays findable under every key it ever had (its earlier reports'
        # publication dates too) and under its own.
        for key in [*keys, *((cell, k) for k in self._date_keys(event, published))]:
            if key not in self._keys_of.get(event.id, []):
                self._blocks.setdefault(key, []).append(event)
                self._keys_of.setdefault(event.id, []).append(key)
        return event

    def _remove(self, event: Event) -> list[tuple[object, str]]:
        keys = self._keys_of.pop(event.id, [])
        for key in keys:
            block = self._blocks.get(key, [])
            block[:] = [e for e in block if e.id != event.id]
        return keys

    def __len__(self) -> int:
        return len(self._keys_of)
