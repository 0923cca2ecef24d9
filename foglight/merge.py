"""The merge stage: mentions of one attack become one ``Event`` with its ``Claim`` rows.

Within an article, ``extract.merge_within_article`` has already given every mention of one
attack the same place and date; here those mentions are grouped, the event's canonical values
are chosen, and every field value of every mention becomes a claim.

Canonical values (documented rule, most specific first):
- place and date: the most specific place and the strongest date the mentions carry;
- weapon, attacker, target type: the first mention (in text order) that states one,
  mentions whose sentence names the place before those attached from context;
- outcome: the first mention's, because the lead sentence reports the attack as a whole;
- killed and injured: the first figure stated for this place (figures stated only for a
  group of places stay on the group as claims).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from foglight.models import (
    Claim,
    Count,
    Event,
    Mention,
    Outcome,
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


def build_event(mentions: Sequence[Mention], event_key: str | None = None) -> Event:
    ordered = sorted(mentions, key=lambda m: (m.article_id, m.start))
    head = ordered[0]
    # Sentences that name the place speak about this attack for certain; context-attached
    # ones only probably, so they decide a value only when the others state none.
    named_first = sorted(ordered, key=lambda m: m.place_basis != "sentence")
    killed: Count | None = _first((m.killed for m in ordered), None)
    injured: Count | None = _first((m.injured for m in ordered), None)
    return Event(
        id=event_key or event_id(head),
        date=head.date,
        place=head.place,
        weapon=_first((m.weapon for m in named_first), Weapon.UNKNOWN),
        target_type=_first((m.target_type for m in named_first), TargetType.OTHER),
        attacker=_first((m.attacker for m in named_first), "unknown"),
        outcome=_first((m.outcome for m in ordered), Outcome.UNKNOWN),
        killed=killed,
        injured=injured,
        mentions=list(ordered),
    )


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


def disagreements(claims: Sequence[Claim]) -> list[dict[str, Any]]:
    """Fields whose claims state different values, with the articles behind each value."""
    by_field: dict[str, dict[str, tuple[Any, list[str]]]] = {}
    for claim in claims:
        if claim.field in ("place", "group_killed", "group_injured"):
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
