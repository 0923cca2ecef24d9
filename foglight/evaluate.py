"""Score exported events against gold annotations (``spec/scoring.md``).

The gold format is ``spec/gold-format.md``; predicted events are the dicts of
``spec/export.md`` (one JSONL line each). The rules of ``scoring.md`` are made precise here:

* An article's predicted events are those with a mention whose ``source`` equals one of the
  article's keys or ends with ``"/" + key`` (see :func:`source_keys`). One predicted event can
  belong to several articles after cross-article merging and is then scored in each.
* Compatibility: countries agree where both are set; a gold event with coordinates needs
  predicted coordinates within 60 km (250 km when the gold place is a region); a gold event
  without coordinates but with a country needs the same predicted country; a gold event with
  neither is compatible with anything (only optional gold is like that in practice).
* Assignment: a maximum one-to-one matching of compatible pairs with the least total date
  difference (exact Hungarian assignment), ties broken by the smaller distance.
* Counts are pooled over articles (micro). With no predictions at all, precision is 1.0 when
  nothing was missed either and 0.0 otherwise; with no required gold, recall is 1.0.
* Attributes are scored over matched required pairs, skipping gold values that are null or
  "unknown" (the article does not say); an empty gold ``reported_by`` is a known value.
* Merging compares every two matched gold events of different articles (optional ones too,
  when matched). "Same day and place" means both at day precision with equal dates and
  within 25 km, or, lacking coordinates, the same place name and country.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from foglight.errors import GoldFormatError
from foglight.geo import haversine_km

# --- tolerances from scoring.md -------------------------------------------------------------

COMPATIBLE_KM = 60.0
REGION_COMPATIBLE_KM = 250.0
PLACE_ATTRIBUTE_KM = 25.0
MERGE_PLACE_KM = 25.0
UNKNOWN_DATE_COST_DAYS = 1000

ATTRIBUTES = (
    "date",
    "place",
    "weapon",
    "target_type",
    "attacker",
    "killed",
    "injured",
    "reported_by",
)

# Vocabularies of export.md; the gold uses the same ones (gold-format.md). "unknown" is accepted
# for target_type too, as annotators write it when the text does not say what was hit.
_WEAPONS = frozenset(
    {"drone", "sea_drone", "missile", "artillery", "explosive", "aircraft", "unknown"}
)
_TARGET_TYPES = frozenset(
    {
        "airbase",
        "oil_facility",
        "residential",
        "port",
        "ship",
        "government",
        "bridge",
        "military_other",
        "infrastructure",
        "other",
        "unknown",
    }
)
_OUTCOMES = frozenset(
    {"hit", "intercepted", "mostly_intercepted", "failed", "attempted", "unknown"}
)
_DATE_PRECISIONS = frozenset({"day", "month", "year", "unknown"})
_PRECISION_LENGTH = {"day": 10, "month": 7, "year": 4}
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ISO2_RE = re.compile(r"^[A-Z]{2}$")

# A gold place is scored with the wide tolerance when it names a first-level region.
# Word boundaries keep "Crimean Bridge" a facility while "Crimea" is a region.
_REGION_WORDS_RE = re.compile(
    r"\b(oblast|krai|kray|region|republic|province|territory|crimea)\b", re.IGNORECASE
)

# Words that say nothing about who reported an event; without this list "the" would make
# "the Kremlin" and "the governor" agree.
_STOP_WORDS = frozenset(
    {"the", "of", "and", "a", "an", "s", "in", "on", "for", "to", "by", "at", "from", "with"}
)
_WORD_RE = re.compile(r"[^\W\d_]+")

_ARTICLE_SUFFIXES = (".txt", ".md", ".html")
_FRONT_MATTER_LIMIT = 65536


# --- gold records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldEvent:
    """One annotated event, typed as in gold-format.md."""

    date: str | None
    date_precision: str  # day | month | year | unknown (null in the file is inferred)
    place: str | None
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    weapon: str | None
    target_type: str | None
    attacker: str | None
    outcome: str | None
    killed: int | None
    injured: int | None
    reported_by: tuple[str, ...] | None
    evidence: str | None
    optional: bool = False


@dataclass(frozen=True)
class GoldArticle:
    """One gold line: an article (file name or bare stem) and its events."""

    article: str
    events: tuple[GoldEvent, ...]
    notes: str


def load_gold(path: Path) -> list[GoldArticle]:
    """Read a gold JSONL file; raise :class:`GoldFormatError` naming the first bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(
            f"{path}: cannot read the gold file ({exc}); give a UTF-8 JSON Lines file"
        ) from exc
    articles: list[GoldArticle] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(
                f"{where}: not valid JSON ({exc.msg}); write one JSON object per line"
            ) from exc
        article = _parse_article(record, where)
        if article.article in seen:
            raise GoldFormatError(
                f"{where}: article {article.article!r} is already annotated on line "
                f"{seen[article.article]}; keep one line per article"
            )
        seen[article.article] = lineno
        articles.append(article)
    return articles


def _parse_article(record: Any, where: str) -> GoldArticle:
    if not isinstance(record, dict):
        raise GoldFormatError(f"{where}: expected a JSON object with 'article' and 'events'")
    name = record.get("article")
    if not isinstance(name, str) or not name.strip():
        raise GoldFormatError(f"{where}: 'article' must be the article's file name (a string)")
    events = record.get("events")
    if not isinstance(events, list):
        raise GoldFormatError(f"{where}: 'events' must be a list (use [] for no events)")
    notes = record.get("notes", "")
    if notes is None:
        notes = ""
    if not isinstance(notes, str):
        raise GoldFormatError(f"{where}: 'notes' must be a string")
    parsed = tuple(
        _parse_event(event, f"{where}: event {index + 1}") for index, event in enumerate(events)
    )
    return GoldArticle(article=name.strip(), events=parsed, notes=notes)


def _opt_str(event: Mapping[str, Any], key: str, where: str) -> str | None:
    value = event.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise GoldFormatError(f"{where}: '{key}' must be a string or null, not {value!r}")
    return value


def _opt_vocab(
    event: Mapping[str, Any], key: str, vocabulary: frozenset[str], where: str
) -> str | None:
    value = _opt_str(event, key, where)
    if value is not None and value not in vocabulary:
        raise GoldFormatError(
            f"{where}: '{key}' is {value!r}; use one of {', '.join(sorted(vocabulary))}"
        )
    return value


def _opt_number(event: Mapping[str, Any], key: str, where: str) -> float | None:
    value = event.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise GoldFormatError(f"{where}: '{key}' must be a number or null, not {value!r}")
    return float(value)


def _opt_count(event: Mapping[str, Any], key: str, where: str) -> int | None:
    value = event.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise GoldFormatError(
            f"{where}: '{key}' must be a whole number ≥ 0 or null (not stated), not {value!r}"
        )
    return value


def _parse_event(event: Any, where: str) -> GoldEvent:
    if not isinstance(event, dict):
        raise GoldFormatError(f"{where}: each event must be a JSON object")

    date_value = _opt_str(event, "date", where)
    if date_value is not None and (
        not _DATE_RE.match(date_value) or _parse_iso(date_value) is None
    ):
        raise GoldFormatError(
            f"{where}: 'date' is {date_value!r}; write YYYY-MM-DD, YYYY-MM, YYYY or null"
        )
    precision = _opt_vocab(event, "date_precision", _DATE_PRECISIONS, where)
    if precision is None:
        # The dev gold leaves some precisions null; the date's own form says what it is.
        precision = _precision_of(date_value)
    if precision != "unknown" and date_value is None:
        raise GoldFormatError(f"{where}: 'date_precision' is {precision!r} but 'date' is null")

    country = _opt_str(event, "country", where)
    if country is not None and not _ISO2_RE.match(country):
        raise GoldFormatError(f"{where}: 'country' is {country!r}; use an ISO 3166-1 alpha-2 code")
    attacker = _opt_str(event, "attacker", where)
    if attacker is not None and attacker != "unknown" and not _ISO2_RE.match(attacker):
        raise GoldFormatError(
            f"{where}: 'attacker' is {attacker!r}; use an ISO 3166-1 alpha-2 code or 'unknown'"
        )

    lat = _opt_number(event, "lat", where)
    lon = _opt_number(event, "lon", where)
    if (lat is None) != (lon is None):
        raise GoldFormatError(f"{where}: give both 'lat' and 'lon', or neither")
    if lat is not None and lon is not None and (abs(lat) > 90 or abs(lon) > 180):
        raise GoldFormatError(f"{where}: coordinates ({lat}, {lon}) are out of range")

    reported_raw = event.get("reported_by")
    reported_by: tuple[str, ...] | None
    if reported_raw is None:
        reported_by = None
    elif isinstance(reported_raw, list) and all(isinstance(x, str) for x in reported_raw):
        reported_by = tuple(reported_raw)
    else:
        raise GoldFormatError(f"{where}: 'reported_by' must be a list of strings")

    optional = event.get("optional", False)
    if optional is None:
        optional = False
    if not isinstance(optional, bool):
        raise GoldFormatError(f"{where}: 'optional' must be true or false")

    return GoldEvent(
        date=date_value,
        date_precision=precision,
        place=_opt_str(event, "place", where),
        admin1=_opt_str(event, "admin1", where),
        country=country,
        lat=lat,
        lon=lon,
        weapon=_opt_vocab(event, "weapon", _WEAPONS, where),
        target_type=_opt_vocab(event, "target_type", _TARGET_TYPES, where),
        attacker=attacker,
        outcome=_opt_vocab(event, "outcome", _OUTCOMES, where),
        killed=_opt_count(event, "killed", where),
        injured=_opt_count(event, "injured", where),
        reported_by=reported_by,
        evidence=_opt_str(event, "evidence", where),
        optional=optional,
    )


# --- article keys ---------------------------------------------------------------------------


def source_keys(article: str, articles_dir: Path | None) -> tuple[str, ...]:
    """The values a mention's ``source`` may equal (or end with ``"/" + key``) for ``article``.

    The file name comes first. A gold name without a suffix ("001") is resolved to the file
    that exists in ``articles_dir`` ("001.txt", else .md/.html); without a directory every
    candidate is kept, since nothing can tell which one was ingested. When the file is found,
    the ``url:`` of its front matter is added, because export.md puts the url, not the path,
    in ``source`` whenever the url is known.
    """
    candidates = [article]
    if not Path(article).suffix:
        candidates += [article + suffix for suffix in _ARTICLE_SUFFIXES]
    if articles_dir is None:
        return tuple(candidates)

    found = next((name for name in candidates if (articles_dir / name).is_file()), None)
    if found is None:
        return (article,)
    keys = [found]
    url = _front_matter_url(articles_dir / found)
    if url and url not in keys:
        keys.append(url)
    return tuple(keys)


def _front_matter_url(path: Path) -> str | None:
    """The ``url`` of a leading ``---`` YAML block, or None."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(_FRONT_MATTER_LIMIT)
    except OSError:
        return None
    lines = head.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        return None
    block = "\n".join(lines[1:end])
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        # Captured titles often contain ": " and break YAML; the url line alone is enough.
        match = re.search(r"^url:\s*(\S+)\s*$", block, re.MULTILINE)
        return match.group(1) if match else None
    if isinstance(data, dict):
        url = data.get("url")
        if isinstance(url, str) and url.strip():
            return url.strip()
    return None


def _source_matches(source: str, keys: Sequence[str]) -> bool:
    return any(source == key or source.endswith("/" + key) for key in keys)


# --- report records -------------------------------------------------------------------------


@dataclass
class AttributeScore:
    """Correct over known (scored) pairs for one attribute."""

    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_json(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.accuracy}


@dataclass(frozen=True)
class MatchedPair:
    """A gold event and the predicted event assigned to it (for debugging output)."""

    gold: str
    predicted: str
    predicted_id: str
    optional: bool
    date_diff_days: int | None
    distance_km: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "predicted_id": self.predicted_id,
            "optional": self.optional,
            "date_diff_days": self.date_diff_days,
            "distance_km": None if self.distance_km is None else round(self.distance_km, 1),
        }


@dataclass
class ArticleResult:
    """The counts of one article and what was matched, missed or invented in it."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    matches: list[MatchedPair] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)  # required gold events not found
    false_positives: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.name,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "matches": [pair.to_json() for pair in self.matches],
            "misses": list(self.misses),
            "false_positives": list(self.false_positives),
        }


@dataclass
class EvalReport:
    """Pooled scores, attribute accuracies, merge scores and per-article details."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    attributes: dict[str, AttributeScore]
    merge_precision: float | None
    merge_recall: float | None
    merge_pairs: int  # gold pairs (same day and place, different articles, both matched)
    articles: list[ArticleResult]
    merge_predicted_pairs: int = 0  # matched pairs whose predictions are one event

    def to_json(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "attributes": {name: score.to_json() for name, score in self.attributes.items()},
            "merge": {
                "precision": self.merge_precision,
                "recall": self.merge_recall,
                "gold_pairs": self.merge_pairs,
                "predicted_pairs": self.merge_predicted_pairs,
            },
            "articles": [article.to_json() for article in self.articles],
        }


# --- small helpers --------------------------------------------------------------------------


def _parse_iso(value: str) -> date | None:
    # "YYYY", "YYYY-MM" and "YYYY-MM-DD" all stand for their first day.
    try:
        numbers = [int(part) for part in value.split("-")] + [1, 1]
        return date(numbers[0], numbers[1], numbers[2])
    except ValueError:
        return None


def _precision_of(value: str | None) -> str:
    if value is None:
        return "unknown"
    return {10: "day", 7: "month", 4: "year"}.get(len(value), "unknown")


def _first_day(value: Any, precision: Any) -> date | None:
    """The day a date stands for in the assignment: the first day of its month or year."""
    if not isinstance(value, str) or not _DATE_RE.match(value.strip()):
        return None
    value = value.strip()
    if precision not in _PRECISION_LENGTH:
        # "unknown" or missing precision beside a real date: trust the date's own form.
        precision = _precision_of(value)
    length = _PRECISION_LENGTH.get(precision)
    if length is None or len(value) < length:
        return None
    return _parse_iso(value[:length])


def _gold_date_key(event: GoldEvent) -> str | None:
    """The gold date cut to its precision ("2024-03-01" at month precision -> "2024-03")."""
    if event.date is None:
        return None
    length = _PRECISION_LENGTH.get(event.date_precision, len(event.date))
    return event.date[:length]


def _same_name(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _gold_is_region(event: GoldEvent) -> bool:
    if event.place is None:
        return True
    if event.admin1 is not None and _same_name(event.place, event.admin1):
        return True
    return _REGION_WORDS_RE.search(event.place) is not None


def _pred_place(pred: Mapping[str, Any]) -> Mapping[str, Any]:
    place = pred.get("place")
    return place if isinstance(place, Mapping) else {}


def _pred_coords(pred: Mapping[str, Any]) -> tuple[float, float] | None:
    place = _pred_place(pred)
    lat, lon = place.get("lat"), place.get("lon")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        if isinstance(lat, bool) or isinstance(lon, bool):
            return None
        return float(lat), float(lon)
    return None


def _pred_country(pred: Mapping[str, Any]) -> str | None:
    country = _pred_place(pred).get("country")
    return country if isinstance(country, str) and country else None


def _pred_id(pred: Mapping[str, Any], index: int) -> str:
    value = pred.get("id")
    # Without an id the position in the input stands in, so merging is still judged per event.
    return str(value) if value is not None else f"#{index}"


def _mentions(pred: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    mentions = pred.get("mentions")
    if not isinstance(mentions, list):
        return []
    return [m for m in mentions if isinstance(m, Mapping)]


def _article_mentions(pred: Mapping[str, Any], keys: Sequence[str]) -> list[Mapping[str, Any]]:
    return [
        m
        for m in _mentions(pred)
        if isinstance(m.get("source"), str) and _source_matches(m["source"], keys)
    ]


def _describe_gold(event: GoldEvent) -> str:
    where = event.place or event.admin1 or event.country or "?"
    text = f"{where} [{event.country or '?'}] {event.date or 'date?'}"
    return text + (" (optional)" if event.optional else "")


def _describe_pred(pred: Mapping[str, Any], pred_id: str) -> str:
    place = _pred_place(pred)
    where = place.get("name") or place.get("admin1") or place.get("country") or "?"
    return f"{pred_id}: {where} [{place.get('country') or '?'}] {pred.get('date') or 'date?'}"


def _words(texts: Sequence[str]) -> set[str]:
    words: set[str] = set()
    for text in texts:
        words.update(w for w in _WORD_RE.findall(text.casefold()) if w not in _STOP_WORDS)
    return words


# --- compatibility and assignment -----------------------------------------------------------


@dataclass(frozen=True)
class _PairCost:
    date_diff_days: int | None  # None when either date is unknown
    distance_km: float | None  # None when either side has no coordinates


def _pair_cost(gold: GoldEvent, pred: Mapping[str, Any]) -> _PairCost | None:
    """The cost of pairing, or None when the pair is not compatible."""
    pred_country = _pred_country(pred)
    if gold.country is not None and pred_country is not None and gold.country != pred_country:
        return None
    coords = _pred_coords(pred)
    distance: float | None = None
    if gold.lat is not None and gold.lon is not None:
        if coords is None:
            return None
        distance = haversine_km(gold.lat, gold.lon, coords[0], coords[1])
        limit = REGION_COMPATIBLE_KM if _gold_is_region(gold) else COMPATIBLE_KM
        if distance > limit:
            return None
    elif gold.country is not None and pred_country != gold.country:
        return None

    gold_day = _first_day(gold.date, gold.date_precision)
    pred_day = _first_day(pred.get("date"), pred.get("date_precision"))
    diff = None if gold_day is None or pred_day is None else abs((gold_day - pred_day).days)
    return _PairCost(diff, distance)


# Costs are exact integers: days scaled so that metres (< 250 km = 250 000 m between compatible
# events) only break ties, which is scoring.md's "distance_km / 1e6" without float noise.
_DAY_SCALE = 10**9


# A pair whose distance cannot be measured (a country-only gold) loses distance ties to any
# pair that can: a measured match is the better evidence.
_UNMEASURED_METRES = 250_001


def _integer_cost(cost: _PairCost) -> int:
    days = UNKNOWN_DATE_COST_DAYS if cost.date_diff_days is None else cost.date_diff_days
    metres = _UNMEASURED_METRES if cost.distance_km is None else round(cost.distance_km * 1000)
    return days * _DAY_SCALE + metres


def _assign(costs: list[list[int | None]]) -> list[tuple[int, int]]:
    """Maximum one-to-one matching of the non-None cells with the least total cost.

    Incompatible cells get a cost larger than any sum of real costs, so the minimum-cost
    assignment first matches as many pairs as possible and then minimises their cost;
    pairs landing on such a cell are dropped afterwards.
    """
    rows = len(costs)
    cols = len(costs[0]) if rows else 0
    if rows == 0 or cols == 0:
        return []
    big = 1 + sum(c for row in costs for c in row if c is not None)
    matrix = [[big if c is None else c for c in row] for row in costs]
    transposed = rows > cols
    if transposed:
        matrix = [list(col) for col in zip(*matrix, strict=True)]
    assignment = _hungarian(matrix)
    pairs: list[tuple[int, int]] = []
    for r, c in enumerate(assignment):
        i, j = (c, r) if transposed else (r, c)
        if costs[i][j] is not None:
            pairs.append((i, j))
    return sorted(pairs)


def _hungarian(cost: list[list[int]]) -> list[int]:
    """Exact min-cost assignment of every row to a distinct column (rows <= columns).

    The classic O(n^2 m) potentials method; integer costs keep it exact.
    """
    n, m = len(cost), len(cost[0])
    inf = math.inf
    u = [0] * (n + 1)
    v = [0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: row (1-based) assigned to column j, 0 when free
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv: list[float] = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            delta: float = inf
            j1 = 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if cur < minv[j]:
                    minv[j] = cur
                    way[j] = j0
                if minv[j] < delta:
                    delta = minv[j]
                    j1 = j
            step = int(delta)  # finite: every cell has a cost and rows <= columns
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += step
                    v[j] -= step
                else:
                    minv[j] -= step
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    result = [-1] * n
    for j in range(1, m + 1):
        if owner[j]:
            result[owner[j] - 1] = j - 1
    return result


# --- attributes -----------------------------------------------------------------------------


def _score_attributes(
    scores: dict[str, AttributeScore],
    gold: GoldEvent,
    pred: Mapping[str, Any],
    article_mentions: Sequence[Mapping[str, Any]],
) -> None:
    """Add one matched required pair to the attribute tallies (known gold values only)."""

    def tally(name: str, ok: bool) -> None:
        scores[name].total += 1
        scores[name].correct += int(ok)

    key = _gold_date_key(gold)
    if key is not None:
        pred_date = pred.get("date")
        tally("date", isinstance(pred_date, str) and pred_date.startswith(key))

    if gold.lat is not None and gold.lon is not None:
        coords = _pred_coords(pred)
        tally(
            "place",
            coords is not None
            and haversine_km(gold.lat, gold.lon, coords[0], coords[1]) <= PLACE_ATTRIBUTE_KM,
        )

    # "unknown" in the gold means the article does not say; nothing to score.
    for name, gold_value in (
        ("weapon", gold.weapon),
        ("target_type", gold.target_type),
        ("attacker", gold.attacker),
    ):
        if gold_value is not None and gold_value != "unknown":
            tally(name, pred.get(name) == gold_value)

    for name, gold_count in (("killed", gold.killed), ("injured", gold.injured)):
        if gold_count is not None:
            count = pred.get(name)
            predicted_min = count.get("min") if isinstance(count, Mapping) else None
            tally(name, predicted_min == gold_count and not isinstance(predicted_min, bool))

    if gold.reported_by is not None:
        attributed: list[str] = []
        for mention in article_mentions:
            who = mention.get("attributed_to")
            if isinstance(who, list):
                attributed.extend(w for w in who if isinstance(w, str) and w.strip())
        if gold.reported_by:
            tally("reported_by", bool(_words(gold.reported_by) & _words(attributed)))
        else:
            # The article asserts it itself: right only when no mention attributes it.
            tally("reported_by", not attributed)


# --- merging --------------------------------------------------------------------------------


def _same_gold_event(a: GoldEvent, b: GoldEvent) -> bool:
    """Same day (both at day precision) and the same place (within 25 km).

    Without coordinates on both sides the place names and countries must agree instead,
    so a gold place annotated without coordinates can still pair up.
    """
    if a.date_precision != "day" or b.date_precision != "day" or a.date is None:
        return False
    if a.date != b.date:
        return False
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= MERGE_PLACE_KM
    return (
        a.place is not None
        and b.place is not None
        and _same_name(a.place, b.place)
        and a.country == b.country
    )


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


# --- evaluation -----------------------------------------------------------------------------


def evaluate(
    predicted_events: Sequence[Mapping[str, Any]],
    gold: Sequence[GoldArticle],
    articles_dir: Path | None,
) -> EvalReport:
    """Score export.md events against gold articles (scoring.md)."""
    attributes = {name: AttributeScore() for name in ATTRIBUTES}
    results: list[ArticleResult] = []
    # (article index, gold event, predicted id) for every matched pair, for the merge scores.
    matched: list[tuple[int, GoldEvent, str]] = []

    for article_index, article in enumerate(gold):
        keys = source_keys(article.article, articles_dir)
        members = [
            (index, pred)
            for index, pred in enumerate(predicted_events)
            if _article_mentions(pred, keys)
        ]
        result = ArticleResult(name=article.article)
        pair_costs = [[_pair_cost(g, pred) for _, pred in members] for g in article.events]
        pairs = _assign(
            [[None if c is None else _integer_cost(c) for c in row] for row in pair_costs]
        )
        gold_hit: set[int] = set()
        pred_hit: set[int] = set()
        for gi, pj in pairs:
            gold_event = article.events[gi]
            index, pred = members[pj]
            pred_id = _pred_id(pred, index)
            cost = pair_costs[gi][pj]
            assert cost is not None  # _assign keeps compatible pairs only
            gold_hit.add(gi)
            pred_hit.add(pj)
            matched.append((article_index, gold_event, pred_id))
            result.matches.append(
                MatchedPair(
                    gold=_describe_gold(gold_event),
                    predicted=_describe_pred(pred, pred_id),
                    predicted_id=pred_id,
                    optional=gold_event.optional,
                    date_diff_days=cost.date_diff_days,
                    distance_km=cost.distance_km,
                )
            )
            if gold_event.optional:
                continue  # neither a hit nor a false positive
            result.tp += 1
            _score_attributes(attributes, gold_event, pred, _article_mentions(pred, keys))
        for gi, gold_event in enumerate(article.events):
            if gi not in gold_hit and not gold_event.optional:
                result.fn += 1
                result.misses.append(_describe_gold(gold_event))
        for pj, (index, pred) in enumerate(members):
            if pj not in pred_hit:
                result.fp += 1
                result.false_positives.append(_describe_pred(pred, _pred_id(pred, index)))
        results.append(result)

    tp = sum(r.tp for r in results)
    fp = sum(r.fp for r in results)
    fn = sum(r.fn for r in results)
    # Predicting nothing is perfect only when there was nothing to find.
    no_prediction_precision = 1.0 if fn == 0 else 0.0
    precision = tp / (tp + fp) if tp + fp else no_prediction_precision
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    # Merging: look at every two matched gold events from different articles.
    gold_pairs = gold_pairs_merged = pred_pairs = pred_pairs_right = 0
    for x in range(len(matched)):
        art_a, gold_a, pred_a = matched[x]
        for y in range(x + 1, len(matched)):
            art_b, gold_b, pred_b = matched[y]
            if art_a == art_b:
                continue
            same_gold = _same_gold_event(gold_a, gold_b)
            same_pred = pred_a == pred_b
            if same_gold:
                gold_pairs += 1
                gold_pairs_merged += int(same_pred)
            if same_pred:
                pred_pairs += 1
                pred_pairs_right += int(same_gold)

    return EvalReport(
        precision=precision,
        recall=recall,
        f1=f1,
        tp=tp,
        fp=fp,
        fn=fn,
        attributes=attributes,
        merge_precision=_ratio(pred_pairs_right, pred_pairs),
        merge_recall=_ratio(gold_pairs_merged, gold_pairs),
        merge_pairs=gold_pairs,
        articles=results,
        merge_predicted_pairs=pred_pairs,
    )
