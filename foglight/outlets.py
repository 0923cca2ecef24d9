"""How each outlet tells it: the framing tables read back per outlet and per event.

``profiles`` gives one ``OutletProfile`` per outlet (whom it quotes, the terms it uses, how
far it vouches for the attacks it reports, which events it covers and which it leaves out);
``compare`` puts every outlet's account of one event side by side. The CLI and the web app
both call these; every figure here can be traced to rows of ``quotes``, ``term_uses``,
``opinion_signals`` and ``mentions``, each with its sentence.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Column, ColumnElement, func, select
from sqlalchemy.engine import Connection

from foglight.merge import REPORT_WINDOW_DAYS, disagreements
from foglight.models import Certainty, Count, DatePrecision, Event, QuoteKind, Side
from foglight.store import (
    Store,
    articles,
    events,
    mentions,
    opinion_signals,
    quotes,
    term_uses,
)


@dataclass
class OutletProfile:
    """One outlet's reporting, summed over its articles."""

    outlet: str | None
    articles: int = 0
    quoted: dict[str, int] = field(default_factory=dict)  # side → quotes
    terms: dict[str, int] = field(default_factory=dict)  # term → uses in its own voice
    quoted_terms: dict[str, int] = field(default_factory=dict)  # term → uses inside quotes
    signals: dict[str, int] = field(default_factory=dict)  # opinion signal kind → count
    mentions: int = 0  # event mentions
    # Shares of its event mentions by certainty; None when it reports no event.
    asserted_share: float | None = None
    attributed_share: float | None = None
    hedged_share: float | None = None
    denied_share: float | None = None
    hedges: dict[str, int] = field(default_factory=dict)  # hedging word → mentions
    events: int = 0
    event_ids: list[str] = field(default_factory=list)
    # Events other outlets reported within a week before one of its articles that it did
    # not report (``_missed``).
    missed_event_ids: list[str] = field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _counter_dict(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


class ProfileCache:
    """``profiles`` for a server that reads a ledger others may be writing: recomputed only
    when the ledger has changed. The ledger only grows (articles and the mentions of their
    events are added, never edited), so the numbers of articles and mentions tell whether it
    has; counting them costs a few milliseconds where profiles take seconds at 100k events."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._key: tuple[int, int] | None = None
        self._profiles: list[OutletProfile] = []

    def profiles(self) -> list[OutletProfile]:
        with self.store.engine.connect() as conn:
            key = (
                int(conn.execute(select(func.count()).select_from(articles)).scalar() or 0),
                int(conn.execute(select(func.count()).select_from(mentions)).scalar() or 0),
            )
        if key != self._key:
            self._profiles = profiles(self.store)
            self._key = key
        return self._profiles


def profiles(store: Store) -> list[OutletProfile]:
    """One profile per outlet, most articles first."""
    with store.engine.connect() as conn:
        article_rows = conn.execute(
            select(articles.c.id, articles.c.outlet, articles.c.published)
        ).all()
        outlet_of = {row.id: row.outlet for row in article_rows}
        by_outlet: dict[str | None, OutletProfile] = {}
        published: dict[str | None, list[str]] = defaultdict(list)
        for row in article_rows:
            profile = by_outlet.setdefault(row.outlet, OutletProfile(row.outlet))
            profile.articles += 1
            if row.published:
                published[row.outlet].append(row.published)
        # Quotes, terms and signals are counted in the database: one row per outlet and key.
        quoted = _tally_by_outlet(conn, quotes.c.side)
        own_terms = _tally_by_outlet(conn, term_uses.c.term, term_uses.c.quoted == 0)
        quoted_terms = _tally_by_outlet(conn, term_uses.c.term, term_uses.c.quoted == 1)
        signals = _tally_by_outlet(conn, opinion_signals.c.kind)
        certainty: dict[str | None, Counter[str]] = defaultdict(Counter)
        hedges: dict[str | None, Counter[str]] = defaultdict(Counter)
        reported: dict[str | None, set[str]] = defaultdict(set)
        mention_rows = conn.execute(
            select(
                mentions.c.article_id, mentions.c.event_id, mentions.c.certainty, mentions.c.hedges
            )
        )
        for article_id, event_id, level, hedge_json in mention_rows:
            outlet = outlet_of[article_id]
            certainty[outlet][level] += 1
            reported[outlet].add(event_id)
            for hedge in _json_list(hedge_json):
                hedges[outlet][hedge] += 1
        # Only day-dated events have a day to fall in an outlet's period.
        event_dates = {
            row.id: row.date
            for row in conn.execute(
                select(events.c.id, events.c.date).where(
                    events.c.date_precision == DatePrecision.DAY.value
                )
            )
        }
    for outlet, profile in by_outlet.items():
        profile.quoted = _counter_dict(quoted[outlet])
        profile.terms = _counter_dict(own_terms[outlet])
        profile.quoted_terms = _counter_dict(quoted_terms[outlet])
        profile.signals = _counter_dict(signals[outlet])
        levels = certainty[outlet]
        total = sum(levels.values())
        profile.mentions = total
        profile.asserted_share = _share(levels[Certainty.ASSERTED], total)
        profile.attributed_share = _share(levels[Certainty.ATTRIBUTED], total)
        profile.hedged_share = _share(levels[Certainty.HEDGED], total)
        profile.denied_share = _share(levels[Certainty.DENIED], total)
        profile.hedges = _counter_dict(hedges[outlet])
        profile.event_ids = sorted(reported[outlet])
        profile.events = len(profile.event_ids)
        if published[outlet]:
            profile.first_published = min(published[outlet])
            profile.last_published = max(published[outlet])
        profile.missed_event_ids = _missed(outlet, published[outlet], reported, event_dates)
    return sorted(by_outlet.values(), key=lambda p: (-p.articles, p.outlet or "\uffff"))


def _missed(
    outlet: str | None,
    days_published: list[str],
    reported: dict[str | None, set[str]],
    event_dates: dict[str, str | None],
) -> list[str]:
    """Events reported by other outlets in this outlet's period: on a day within
    ``REPORT_WINDOW_DAYS`` before one of its articles (an attack that article could have
    reported). ``event_dates`` holds only the day-dated events; an outlet without dated
    articles has no period."""
    # The days its articles could have reported, as a set: one lookup per event, however
    # many articles the outlet has.
    covered = {
        (published - timedelta(days=back)).isoformat()
        for published in {date.fromisoformat(day) for day in days_published}
        for back in range(REPORT_WINDOW_DAYS + 1)
    }
    own = reported[outlet]
    others = set().union(*(ids for key, ids in reported.items() if key != outlet))
    return sorted(event_id for event_id in others - own if event_dates.get(event_id) in covered)


def _tally_by_outlet(
    conn: Connection, key: Column[Any], *where: ColumnElement[bool]
) -> dict[str | None, Counter[str]]:
    """outlet → Counter of ``key`` over the rows of ``key``'s framing table."""
    table = key.table
    query = (
        select(articles.c.outlet, key, func.count())
        .join(articles, articles.c.id == table.c.article_id)
        .where(*where)
        .group_by(articles.c.outlet, key)
    )
    out: dict[str | None, Counter[str]] = defaultdict(Counter)
    for outlet, value, n in conn.execute(query):
        out[outlet][value] = n
    return out


def _json_list(raw: str | None) -> list[str]:
    return [str(item) for item in json.loads(raw)] if raw else []


@dataclass
class SourceCited:
    speaker: str
    side: Side
    kind: QuoteKind


@dataclass
class Account:
    """One article's account of an event: its sentences, figures, sources and wording."""

    article_id: str
    outlet: str | None
    source: str
    title: str | None
    published: str | None
    sentences: list[str]
    date: str | None
    place: str | None
    weapon: str
    target_type: str
    outcome: str
    attacker: str
    killed: Count | None
    injured: Count | None
    drones: Count | None
    missiles: Count | None
    attributed_to: list[str]
    sources: list[SourceCited]  # quotes and citations in the event's sentences
    certainty: list[str]  # of each of its sentences, in order
    hedges: list[str]
    terms: list[str]  # terminology markers in the event's sentences
    article_terms: dict[str, int]  # the article's own-voice terms


def tally(counts: dict[str, int], limit: int | None = None) -> str:
    """Counts as one line, most frequent first: "Kyiv 11, war 4 (+3 more)"."""
    items = list(counts.items())[:limit]
    more = len(counts) - len(items)
    text = ", ".join(f"{key} {n}" for key, n in items)
    return text + (f" (+{more} more)" if more > 0 else "") if text else "-"


@dataclass(frozen=True)
class ComparisonRow:
    """One line of a side-by-side comparison: a field and each account's value as text."""

    label: str
    values: list[str]
    differs: bool


@dataclass
class Comparison:
    """An event with each article's account side by side."""

    event_id: str
    date: str | None
    place: str | None
    country: str | None
    weapon: str
    accounts: list[Account]
    # Fields whose values differ between accounts (``merge.disagreements`` over claims).
    disagreements: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def rows(self) -> list[ComparisonRow]:
        """The accounts as rows of text, each marked where the accounts differ (sentences
        always differ, so they are never marked)."""

        def figure(value: Count | None) -> str:
            return "-" if value is None else str(value)

        accounts = self.accounts
        table: list[tuple[str, list[str]]] = [
            ("sentence", ["\n\n".join(a.sentences) for a in accounts]),
            ("date", [a.date or "-" for a in accounts]),
            ("place", [a.place or "-" for a in accounts]),
            ("weapon", [a.weapon for a in accounts]),
            ("target", [a.target_type for a in accounts]),
            ("outcome", [a.outcome for a in accounts]),
            ("attacker", [a.attacker for a in accounts]),
            ("killed", [figure(a.killed) for a in accounts]),
            ("injured", [figure(a.injured) for a in accounts]),
            ("drones", [figure(a.drones) for a in accounts]),
            ("missiles", [figure(a.missiles) for a in accounts]),
            ("according to", [", ".join(a.attributed_to) or "(own voice)" for a in accounts]),
            (
                "sources cited",
                [
                    ", ".join(f"{c.speaker} ({c.side.value})" for c in a.sources) or "-"
                    for a in accounts
                ],
            ),
            ("certainty", [", ".join(dict.fromkeys(a.certainty)) for a in accounts]),
            ("hedges", [", ".join(a.hedges) or "-" for a in accounts]),
            ("terms", [", ".join(a.terms) or "-" for a in accounts]),
            ("article terms", [tally(a.article_terms, limit=6) for a in accounts]),
        ]
        return [
            ComparisonRow(label, values, label != "sentence" and len(set(values)) > 1)
            for label, values in table
        ]


# Values that say nothing: a stated value wins over them when an article has several
# sentences about the event.
_UNSTATED = (None, "unknown", "other")


def _first_stated(values: list[Any]) -> Any:
    return next((v for v in values if v not in _UNSTATED), values[0] if values else None)


def compare(store: Store, event_id: str) -> Comparison | None:
    """The event's accounts, one per article, in order of publication."""
    ev = store.event(event_id)
    if ev is None:
        return None
    article_ids = sorted({m.article_id for m in ev.mentions})
    meta = store.articles_by_id(article_ids)
    with store.engine.connect() as conn:
        quote_rows = (
            conn.execute(select(quotes).where(quotes.c.article_id.in_(article_ids)))
            .mappings()
            .all()
        )
        term_rows = (
            conn.execute(select(term_uses).where(term_uses.c.article_id.in_(article_ids)))
            .mappings()
            .all()
        )
    accounts = [
        _account(ev, article_id, meta.get(article_id, {}), quote_rows, term_rows)
        for article_id in article_ids
    ]
    accounts.sort(key=lambda a: (a.published or "9999", a.outlet or "", a.article_id))
    claims = store.claims_of([ev.id]).get(ev.id, [])
    return Comparison(
        event_id=ev.id,
        date=ev.date.value,
        place=ev.place.name,
        country=ev.place.country,
        weapon=ev.weapon.value,
        accounts=accounts,
        disagreements=disagreements(claims),
    )


def _account(
    ev: Event,
    article_id: str,
    meta: dict[str, Any],
    quote_rows: Sequence[Any],
    term_rows: Sequence[Any],
) -> Account:
    own = [m for m in ev.mentions if m.article_id == article_id]
    spans = [(m.start, m.end) for m in own]

    def inside(start: int) -> bool:
        return any(low <= start <= high for low, high in spans)

    def count(values: list[Count | None]) -> Count | None:
        return next((v for v in values if v is not None), None)

    sources = [
        SourceCited(q["speaker"], Side(q["side"]), QuoteKind(q["kind"]))
        for q in quote_rows
        if q["article_id"] == article_id and inside(q["start"])
    ]
    article_terms: Counter[str] = Counter(
        t["term"] for t in term_rows if t["article_id"] == article_id and not t["quoted"]
    )
    return Account(
        article_id=article_id,
        outlet=meta.get("outlet"),
        source=meta.get("source") or article_id,
        title=meta.get("title"),
        published=meta.get("published"),
        sentences=list(dict.fromkeys(m.sentence for m in own)),
        date=_first_stated([m.date.value for m in own]),
        place=_first_stated([m.place.name for m in own]),
        weapon=_first_stated([m.weapon.value for m in own]),
        target_type=_first_stated([m.target_type.value for m in own]),
        outcome=_first_stated([m.outcome.value for m in own]),
        attacker=_first_stated([m.attacker for m in own]),
        killed=count([m.killed for m in own]),
        injured=count([m.injured for m in own]),
        drones=count([m.drones for m in own]),
        missiles=count([m.missiles for m in own]),
        attributed_to=list(dict.fromkeys(a for m in own for a in m.attributed_to)),
        sources=sources,
        certainty=[m.certainty.value for m in own],
        hedges=list(dict.fromkeys(h for m in own for h in m.hedges)),
        terms=list(
            dict.fromkeys(
                t["term"] for t in term_rows if t["article_id"] == article_id and inside(t["start"])
            )
        ),
        article_terms=_counter_dict(article_terms),
    )
