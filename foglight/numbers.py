"""Figures as the text states them: "three", "26", "at least 20", "more than 93", "dozens"."""

from __future__ import annotations

import re

from foglight.models import Count

# The number words proper, zero to nineteen (foglight.dates counts units of time with them).
CARDINALS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
# Words that state a small figure without being number words.
_UNITS = {**CARDINALS, "no": 0, "none": 0, "a": 1, "an": 1, "single": 1, "both": 2, "pair": 2}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
# Vague plural quantities read as their smallest plausible value, open-ended: "dozens" is at
# least 24 (two dozen), "hundreds" at least 200.
_VAGUE = {"dozen": 12, "dozens": 24, "hundreds": 200, "thousands": 2000, "scores": 40}

# Qualifiers that open the upper bound: "at least 3" is 3 or more.
_AT_LEAST = ("at least", "more than", "over", "no fewer than", "not less than", "upwards of")
# Qualifiers that bound from above: "up to 85" may be fewer.
_UP_TO = ("up to", "as many as", "fewer than", "less than", "under")

_NUMBER_WORD = re.compile(r"[a-z]+")


def parse_number(text: str) -> int | None:
    """The integer a number expression denotes, or None: "26", "1,200", "twenty-one",
    "a hundred", "three"."""
    cleaned = text.strip().lower().replace(",", "")
    # Nine digits is a billion: no stated casualty or weapon count is larger, and Python
    # refuses to convert digit strings beyond ~4,300 characters at all.
    if re.fullmatch(r"\d{1,9}", cleaned):
        return int(cleaned)
    if cleaned in _VAGUE:
        return _VAGUE[cleaned]
    words = _NUMBER_WORD.findall(cleaned.replace("-", " "))
    if not words or any(
        w not in _UNITS and w not in TENS and w not in _SCALES and w != "and" for w in words
    ):
        return None
    total, current = 0, 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0
    return total + current


def parse_count(text: str) -> Count | None:
    """A stated figure with its qualifier: "at least three" → Count(3, None),
    "five" → Count(5, 5), "up to 85" → Count(0, 85), "dozens" → Count(24, None)."""
    lowered = re.sub(r"\s+", " ", text.strip().lower())
    for qualifier in _AT_LEAST:
        if lowered.startswith(qualifier + " "):
            value = parse_number(lowered[len(qualifier) + 1 :])
            return None if value is None else Count(value, None)
    for qualifier in _UP_TO:
        if lowered.startswith(qualifier + " "):
            value = parse_number(lowered[len(qualifier) + 1 :])
            return None if value is None else Count(0, value)
    for qualifier in ("about", "around", "nearly", "almost", "some", "approximately", "roughly"):
        if lowered.startswith(qualifier + " "):
            lowered = lowered[len(qualifier) + 1 :]
            break
    if lowered in _VAGUE:
        return Count(_VAGUE[lowered], None)
    value = parse_number(lowered)
    return None if value is None else Count(value, value)
