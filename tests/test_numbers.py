"""Tests for foglight.numbers: figures as the text states them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from foglight.models import Count
from foglight.numbers import parse_count, parse_number


@pytest.mark.parametrize(("text", "expected"), [
    ("three", Count(3, 3)),
    ("26", Count(26, 26)),
    ("at least 20", Count(20, None)),
    ("At least three", Count(3, None)),
    ("more than 93", Count(93, None)),
    ("dozens", Count(24, None)),
    ("hundreds", Count(200, None)),
    ("twenty-one", Count(21, 21)),
    ("1,200", Count(1200, 1200)),
    ("up to 85", Count(0, 85)),
    ("about 150", Count(150, 150)),
    ("a", Count(1, 1)),
    ("no", Count(0, 0)),
    ("  five  ", Count(5, 5)),
])
def test_parse_count(text: str, expected: Count) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", [
    "", "   ", "drones", "Kyiv", "at least", "up to", "more than many", "3 drones",
    "twenty-one drones", "1.5", "-3", "at least some",
])
def test_parse_count_rejects_non_numbers(text: str) -> None:
    assert parse_count(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("three", 3),
    ("26", 26),
    ("twenty-one", 21),
    ("twenty one", 21),
    ("1,200", 1200),
    ("a hundred", 100),
    ("two hundred and fifty", 250),
    ("three thousand", 3000),
    ("a", 1),
    ("no", 0),
    ("Eleven", 11),
])
def test_parse_number(text: str, expected: int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "drone", "at least 20", "20 people", "½", "1.5", "x1"])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.fuzz
@given(st.integers(min_value=0, max_value=10**6 - 1))
def test_parse_number_digits_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@pytest.mark.fuzz
@given(st.text())
def test_parse_count_never_raises(text: str) -> None:
    result = parse_count(text)
    assert result is None or (isinstance(result, Count) and result.min >= 0)


def test_parse_count_never_raises_on_a_huge_number() -> None:
    huge = 10**5000 - 1
    assert parse_count("9" * 5000) in (None, Count(huge, huge))
