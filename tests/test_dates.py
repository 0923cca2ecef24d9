"""Date expressions found in article sentences and resolved against the publication date."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from foglight.dates import KINDS, RELATIVE_KINDS, DateMention, find_dates
from foglight.models import DatePrecision, EventDate


class E(NamedTuple):
    """One expected mention: its text, resolved value (None for unknown), kind, background."""

    text: str
    value: str | None
    kind: str
    background: bool = False


def _precision(value: str | None) -> DatePrecision:
    if value is None:
        return DatePrecision.UNKNOWN
    return {10: DatePrecision.DAY, 7: DatePrecision.MONTH, 4: DatePrecision.YEAR}[len(value)]


def _got(mentions: list[DateMention]) -> list[E]:
    for m in mentions:
        # The precision must follow from the value, so comparing values is enough below.
        assert m.date.precision == _precision(m.date.value)
    return [E(m.text, m.date.value, m.kind, m.background) for m in mentions]


D = date.fromisoformat

# (publication date, sentence, every mention expected in it, in order)
CASES: list[tuple[str | None, str, list[E]]] = [
    # ---- the resolutions the pipeline relies on (P = 2022-12-07 is a Wednesday)
    (
        "2022-12-07",
        "On Tuesday, Russian missiles struck energy facilities in the Odesa region.",
        [E("On Tuesday", "2022-12-06", "weekday")],
    ),
    (
        "2022-12-07",
        "Monday's attacks on two airbases deep inside Russia were carried out by drones.",
        [E("Monday's", "2022-12-05", "weekday")],
    ),
    (
        "2022-12-07",
        "Yesterday's drone attack on the Engels base left three servicemen dead.",
        [E("Yesterday's", "2022-12-06", "relative_day")],
    ),
    (
        "2022-12-07",
        "A similar strike on the fleet was reported on October 29 in Sevastopol bay.",
        [E("on October 29", "2022-10-29", "month_day")],
    ),
    (
        "2022-12-07",
        "The November 15 explosions in a Polish village were blamed on a stray missile.",
        [E("November 15", "2022-11-15", "month_day")],
    ),
    (
        "2024-12-23",
        "Ukrainian drones hit a fuel depot on December 21, the regional governor said.",
        [E("on December 21", "2024-12-21", "month_day")],
    ),
    (
        "2023-05-30",
        "Several drones attacked residential buildings in Moscow early Tuesday.",
        [E("early Tuesday", "2023-05-30", "weekday")],
    ),
    (
        "2023-08-05",
        "Friday saw the heaviest shelling of Kherson in weeks.",
        [E("Friday", "2023-08-04", "weekday"), E("in weeks", None, "relative_period", True)],
    ),
    (
        "2023-08-05",
        "On Tuesday a missile struck a hotel in Zaporizhzhia, and the port was hit on Sunday.",
        [E("On Tuesday", "2023-08-01", "weekday"), E("on Sunday", "2023-07-30", "weekday")],
    ),
    (
        "2023-08-05",
        "In May, two drones exploded above the Kremlin's Senate Palace.",
        [E("In May", "2023-05", "month")],
    ),
    (
        "2023-08-05",
        "The Crimean bridge had been attacked earlier in July as well.",
        [E("earlier in July", "2023-07", "month")],
    ),
    # Saturday P: the weekend in progress has not ended, so "last weekend" is the one before.
    (
        "2023-08-05",
        "Last weekend, sea drones struck a tanker near Novorossiysk.",
        [E("Last weekend", "2023-07-30", "relative_day")],
    ),
    (
        "2025-06-25",
        "Exactly one year ago, a missile hit a children's hospital in the capital.",
        [E("Exactly one year ago", "2024-06-25", "ago")],
    ),
    (
        "2024-12-19",
        "A refinery in the Rostov region was set ablaze on Wednesday evening.",
        [E("on Wednesday evening", "2024-12-18", "weekday")],
    ),
    (
        "2024-12-19",
        "The same oil depot had been targeted in March and June.",
        [E("in March", "2024-03", "month"), E("June", "2024-06", "month")],
    ),
    (
        "2025-01-13",
        "The glide-bomb attack on January 8 killed 13 people in Zaporizhzhia.",
        [E("on January 8", "2025-01-08", "month_day")],
    ),
    (
        "2025-01-13",
        "It was the deadliest strike on the city since the Kremlin invaded Ukraine in"
        " February 2022.",
        [E("in February 2022", "2022-02", "month", True)],
    ),
    # ---- weekdays
    (
        "2023-08-09",
        "Russian drones targeted the port of Izmail Tuesday, the navy said.",
        [E("Tuesday", "2023-08-08", "weekday")],
    ),
    (
        "2023-05-30",
        "The warehouse had already been hit last Tuesday.",
        [E("last Tuesday", "2023-05-23", "weekday")],
    ),
    (
        "2023-05-31",
        "The warehouse had already been hit last Tuesday.",
        [E("last Tuesday", "2023-05-30", "weekday")],
    ),
    (
        "2024-03-18",
        "Explosions were heard over Belgorod late Sunday.",
        [E("late Sunday", "2024-03-17", "weekday")],
    ),
    (
        "2024-03-20",
        "Air defences were active over the capital on Tuesday night.",
        [E("on Tuesday night", "2024-03-19", "weekday")],
    ),
    (
        "2024-03-24",
        "Friday morning’s attack on the dam cut power to much of the city.",
        [E("Friday morning’s", "2024-03-22", "weekday")],
    ),
    (
        "2024-05-13",
        "Russian forces launched 40 attack drones overnight into Monday.",
        [E("overnight into Monday", "2024-05-13", "weekday")],
    ),
    (
        "2024-05-15",
        "The refinery caught fire on the night of Monday, according to local channels.",
        [E("on the night of Monday", "2024-05-13", "weekday")],
    ),
    (
        "2024-05-15",
        "The raid lasted from Monday night into Tuesday.",
        [E("from Monday night into Tuesday", "2024-05-14", "weekday")],
    ),
    (
        "2024-05-15",
        "Shelling continued from Monday to Thursday last month.",
        [
            E("from Monday to Thursday", None, "weekday"),
            E("last month", "2024-04", "relative_period"),
        ],
    ),
    (
        "2024-05-15",
        "Negotiators are expected to meet again next Monday.",
        [E("next Monday", None, "weekday")],
    ),
    (
        "2024-03-20",
        "In the early hours of Sunday, a drone crashed into an apartment block.",
        [E("In the early hours of Sunday", "2024-03-17", "weekday")],
    ),
    # ---- relative days and the overnight convention (an overnight attack is dated P)
    (
        "2024-07-09",
        "Yesterday a missile hit the main children's hospital, the mayor said.",
        [E("Yesterday", "2024-07-08", "relative_day")],
    ),
    (
        "2024-07-09",
        "The governor said earlier today that two people were wounded.",
        [E("earlier today", "2024-07-09", "relative_day")],
    ),
    (
        "2024-07-09",
        "Sirens sounded across the region this morning and again tonight.",
        [
            E("this morning", "2024-07-09", "relative_day"),
            E("tonight", "2024-07-09", "relative_day"),
        ],
    ),
    (
        "2024-08-26",
        "Russia attacked the energy grid overnight with more than 100 missiles.",
        [E("overnight", "2024-08-26", "relative_day")],
    ),
    (
        "2024-08-26",
        "Debris from a drone downed last night damaged a school.",
        [E("last night", "2024-08-26", "relative_day")],
    ),
    (
        "2024-08-26",
        "A drone had struck the same substation the day before.",
        [E("the day before", "2024-08-25", "relative_day")],
    ),
    (
        "2024-08-26",
        "The depot burned for a second day after it was hit the day before yesterday.",
        [E("the day before yesterday", "2024-08-24", "relative_day")],
    ),
    (
        "2024-08-26",
        "Officials warned that more strikes could come tomorrow.",
        [E("tomorrow", None, "relative_day")],
    ),
    # ---- weekend convention: the Sunday, never a day after P
    (
        "2024-02-26",
        "Over the weekend, Ukraine said it downed two Su-34 jets.",
        [E("Over the weekend", "2024-02-25", "relative_day")],
    ),
    (
        "2024-03-02",
        "Drones have targeted the refinery twice over the weekend.",
        [E("over the weekend", "2024-03-02", "relative_day")],
    ),
    (
        "2024-03-03",
        "Moscow's airports closed this weekend after drone sightings.",
        [E("this weekend", "2024-03-03", "relative_day")],
    ),
    (
        "2024-03-03",
        "A similar raid was reported last weekend.",
        [E("last weekend", "2024-02-25", "relative_day")],
    ),
    # ---- month and day without a year: the latest one not after P
    (
        "2025-01-02",
        "A drone hit the refinery on December 28, setting a tank alight.",
        [E("on December 28", "2024-12-28", "month_day")],
    ),
    (
        "2024-12-23",
        "Officials confirmed that on 21 December the plant was struck twice.",
        [E("on 21 December", "2024-12-21", "month_day")],
    ),
    (
        "2022-12-07",
        "The Engels base was first hit on Dec. 5 and the Ryazan base on Dec 5 as well.",
        [E("on Dec. 5", "2022-12-05", "month_day"), E("on Dec 5", "2022-12-05", "month_day")],
    ),
    (
        "2022-12-07",
        "Satellite images taken on the 5th of December show two damaged bombers.",
        [E("on the 5th of December", "2022-12-05", "month_day")],
    ),
    (
        "2023-07-20",
        "The grain terminal was shelled on 18 July.",
        [E("on 18 July", "2023-07-18", "month_day")],
    ),
    (
        "2025-02-26",
        "Crowds gathered for the May 9 parade despite the threat.",
        [E("May 9", "2024-05-09", "month_day")],
    ),
    # An upcoming date in P's year is not read as the same day a year earlier.
    (
        "2022-12-07",
        "Activists plan a protest on Saturday, December 10, and a vigil on December 12.",
        [
            E("on Saturday, December 10", None, "month_day"),
            E("on December 12", None, "month_day"),
        ],
    ),
    # A stated weekday that disagrees with the resolved day leaves it unknown.
    (
        "2022-12-07",
        "The convoy was hit on Thursday, December 2, a local official said.",
        [E("on Thursday, December 2", None, "month_day")],
    ),
    (
        "2022-12-07",
        "The convoy was hit on Friday, December 2, a local official said.",
        [E("on Friday, December 2", "2022-12-02", "month_day")],
    ),
    # ---- day ranges: overnight ranges give the morning, other ranges the month
    (
        "2025-05-22",
        "On the night of 20 to 21 May, the air force shot down 52 drones.",
        [E("On the night of 20 to 21 May", "2025-05-21", "month_day")],
    ),
    (
        "2025-05-22",
        "Fighting around the town peaked on May 18-20.",
        [E("on May 18-20", "2025-05", "month_day")],
    ),
    # ---- explicit dates
    (
        None,
        "The tanker was damaged on December 5, 2022, near the Kerch Strait.",
        [E("on December 5, 2022", "2022-12-05", "explicit")],
    ),
    (
        "2025-03-01",
        "An earlier raid on 5 December 2022 hit the same airfield.",
        [E("on 5 December 2022", "2022-12-05", "explicit")],
    ),
    (
        "2025-03-01",
        "The Saky airbase explosions of 10 August, 2022 destroyed several aircraft.",
        [E("10 August, 2022", "2022-08-10", "explicit")],
    ),
    (
        "2025-03-01",
        "MOSCOW, Feb 24, 2025 (Reuters) - Air defences downed drones over the region.",
        [E("Feb 24, 2025", "2025-02-24", "explicit")],
    ),
    (
        "2025-06-26",
        "Wednesday, June 25, 2025: a ballistic missile struck Dnipro.",
        [E("Wednesday, June 25, 2025", "2025-06-25", "explicit")],
    ),
    (
        "2025-03-01",
        "The ministry's statement is dated 2023-05-30 and lists eight drones.",
        [E("2023-05-30", "2023-05-30", "explicit")],
    ),
    (
        None,
        "Posted 2025-08-10 02:05:03 by the regional administration.",
        [E("2025-08-10 02:05:03", "2025-08-10", "explicit")],
    ),
    (
        "2025-03-01",
        "KYIV, SEPT. 3, 2024 — A missile struck a military institute in Poltava.",
        [E("SEPT. 3, 2024", "2024-09-03", "explicit")],
    ),
    # ---- months
    (
        "2023-02-10",
        "The power plant had been hit in December, leaving thousands without heat.",
        [E("in December", "2022-12", "month")],
    ),
    (
        "2025-01-13",
        "The first drone strike on the refinery came in May 2023.",
        [E("in May 2023", "2023-05", "month")],
    ),
    (
        "2025-01-13",
        "May 2023 was the month of the Kremlin drone incident.",
        [E("May 2023", "2023-05", "month")],
    ),
    (
        "2024-06-02",
        "Attacks on the port intensified in mid-May.",
        [E("in mid-May", "2024-05", "month")],
    ),
    (
        "2024-06-02",
        "Strikes on the grid intensified between December and February 2024.",
        [E("between December", "2023-12", "month"), E("February 2024", "2024-02", "month")],
    ),
    (
        "2024-01-15",
        "Drones hit the same plant last month and again earlier this month.",
        [
            E("last month", "2023-12", "relative_period"),
            E("earlier this month", "2024-01", "relative_period"),
        ],
    ),
    # ---- years
    (
        "2025-01-13",
        "Ukraine first struck the Black Sea Fleet headquarters in 2022.",
        [E("in 2022", "2022", "year")],
    ),
    (
        None,
        "Crimea was seized in 2014 and the airbase was rebuilt in early 2016.",
        [E("in 2014", "2014", "year"), E("in early 2016", "2016", "year")],
    ),
    (
        "2025-01-13",
        "The bridge was struck twice in the summer of 2023.",
        [E("in the summer of 2023", "2023", "year")],
    ),
    (
        "2025-01-13",
        "Production at the plant fell sharply last year and has not recovered this year.",
        [
            E("last year", "2024", "relative_period"),
            E("this year", "2025", "relative_period"),
        ],
    ),
    # ---- "ago"
    (
        "2024-08-26",
        "A similar drone hit the building two days ago.",
        [E("two days ago", "2024-08-24", "ago")],
    ),
    (
        "2024-08-26",
        "The depot was first attacked a week ago and again three weeks ago.",
        [E("a week ago", "2024-08-19", "ago"), E("three weeks ago", "2024-08-05", "ago")],
    ),
    (
        "2024-02-29",
        "A year ago, the same airfield was hit by a missile.",
        [E("A year ago", "2023-02-28", "ago")],
    ),
    (
        "2024-08-26",
        "The bridge, damaged months ago, is still closed; it was hit about a year ago.",
        [E("months ago", None, "ago", True), E("about a year ago", None, "ago")],
    ),
    # ---- vague relative periods: unknown, not background
    (
        "2024-08-26",
        "Last week drones hit a depot, and earlier this week a refinery burned.",
        [
            E("Last week", None, "relative_period"),
            E("earlier this week", None, "relative_period"),
        ],
    ),
    (
        "2024-08-26",
        "In recent days, drones have recently targeted several airfields.",
        [
            E("In recent days", None, "relative_period"),
            E("recently", None, "relative_period"),
        ],
    ),
    (
        "2024-08-26",
        "The plant reopened weeks after the strike, and days later it was hit again.",
        [E("weeks after", None, "relative_period"), E("days later", None, "relative_period")],
    ),
    (
        "2024-08-26",
        "The air force said 80 drones were downed in the past 24 hours.",
        [E("in the past 24 hours", None, "relative_period")],
    ),
    # ---- background time frames
    (
        "2025-01-13",
        "Russia has fired thousands of drones since February 2022.",
        [E("since February 2022", "2022-02", "month", True)],
    ),
    (
        "2025-01-13",
        "The peninsula has been occupied since 2014.",
        [E("since 2014", "2014", "year", True)],
    ),
    (
        "2025-03-10",
        "More than 4,000 drones have been launched since the beginning of the year.",
        [E("since the beginning of the year", "2025", "relative_period", True)],
    ),
    (
        "2025-03-10",
        "Casualties have mounted since the start of the war in 2022.",
        [E("since the start of the war in 2022", "2022", "year", True)],
    ),
    (
        "2025-03-10",
        "The region's ties to Moscow were built over decades.",
        [E("over decades", None, "relative_period", True)],
    ),
    (
        "2025-03-10",
        "In recent weeks, Russia has stepped up glide-bomb attacks it has used for months.",
        [
            E("In recent weeks", None, "relative_period", True),
            E("for months", None, "relative_period", True),
        ],
    ),
    (
        "2025-03-10",
        "Attacks on substations grew during the fall of 2024.",
        [E("during the fall of 2024", "2024", "year", True)],
    ),
    (
        "2025-03-10",
        "Neither side has gained much ground in the years-long conflict.",
        [E("in the years-long conflict", None, "relative_period", True)],
    ),
    (
        "2025-03-10",
        "Tens of thousands have been killed in the three-year conflict.",
        [E("in the three-year conflict", None, "relative_period", True)],
    ),
    (
        "2025-03-10",
        "It was the largest attack on the city since Russian forces struck it on July 8.",
        [E("on July 8", "2024-07-08", "month_day", True)],
    ),
    (
        "2025-03-10",
        "The port has been hit 30 times since Friday and on Monday a missile sank a barge.",
        [E("since Friday", "2025-03-07", "weekday", True), E("on Monday", "2025-03-10", "weekday")],
    ),
    (
        "2025-03-10",
        "The city was shelled when Russia invaded in February 2022, and again on Sunday.",
        [E("in February 2022", "2022-02", "month", True), E("on Sunday", "2025-03-09", "weekday")],
    ),
    (
        "2025-02-26",
        "Russia marked the anniversary of its invasion on Monday with a massive drone attack.",
        [E("on Monday", "2025-02-24", "weekday")],
    ),
]


@pytest.mark.parametrize(("published", "sentence", "expected"), CASES)
def test_find_dates_resolves(published: str | None, sentence: str, expected: list[E]) -> None:
    p = D(published) if published else None
    assert _got(find_dates(sentence, p)) == expected


NOT_DATES = [
    "The Tu-22M3 bomber can carry Kh-22 cruise missiles.",
    "The drone flew 115 miles, then another 62 miles, before it crashed.",
    "The fire at the depot burned for 10 hours and was out 10 hours later.",
    "Ukraine's newest drones have a range of more than 1,000 kilometers.",
    "Sirens sounded at 11:40 a.m. local time.",
    "The port handled 3 million tons of grain despite the blockade.",
    "Air defence crews are on duty 24/7 around the city.",
    "An Su-24 bomber was shot down near the coast.",
    "Allies debated whether Article 5 of the NATO treaty applied.",
    "Brics leaders met in Kazan to discuss trade.",
    "We saw a huge flash and then heard the blast.",
    "Oleksandr Marchenko, a local official, said the strikes may well continue.",
    "May officials fear that more attacks may follow.",
    "The Sunday Times reported that the Mail on Sunday had the footage first.",
    "Russia Today broadcast footage of the launch.",
    "On Mondays the market stays closed because of the threat.",
    "The form listed 05/03/2023 as the date of the damage.",
    "A reference number 2023-13-45 was attached to the claim.",
    "The unit fired 21 rounds before 1,021 more arrived.",
]


@pytest.mark.parametrize("sentence", NOT_DATES)
def test_non_dates_never_match(sentence: str) -> None:
    assert find_dates(sentence, D("2024-08-26")) == []


def test_offsets_point_at_the_expression() -> None:
    text = "KYIV — Early Tuesday, drones hit a depot; on 21 December a missile hit a port."
    found = find_dates(text, D("2024-12-24"))
    assert [(m.start, m.end, m.text) for m in found] == [
        (7, 20, "Early Tuesday"),
        (42, 56, "on 21 December"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.text


def test_longest_expression_wins() -> None:
    found = find_dates("Overnight into Monday and on Wednesday, June 25, 2025.", D("2025-06-30"))
    assert [m.text for m in found] == ["Overnight into Monday", "on Wednesday, June 25, 2025"]
    assert [m.date for m in found] == [
        EventDate.day(D("2025-06-30")),
        EventDate.day(D("2025-06-25")),
    ]


def test_unknown_publication_date_leaves_relative_dates_unresolved() -> None:
    text = (
        "On Tuesday, after the strike on December 21 and the one yesterday, two days ago and"
        " last month, officials cited the attack of December 5, 2022, another on 2023-05-30,"
        " one in May, one in May 2023 and one in 2014."
    )
    got = {m.text: m.date for m in find_dates(text, None)}
    unknown = EventDate(None, DatePrecision.UNKNOWN)
    for relative in ("On Tuesday", "on December 21", "yesterday", "two days ago", "last month"):
        assert got[relative] == unknown, relative
    assert got["in May"] == unknown
    assert got["December 5, 2022"] == EventDate.day(D("2022-12-05"))
    assert got["2023-05-30"] == EventDate.day(D("2023-05-30"))
    assert got["in May 2023"] == EventDate.month(2023, 5)
    assert got["in 2014"] == EventDate.year(2014)


# Words that build date expressions, so random texts exercise every pattern.
_TOKENS = [
    "on", "in", "since", "early", "late", "last", "next", "the", "night", "of", "overnight",
    "into", "to", "and", "ago", "a", "two", "21", "5th", "31", "2022", "1999", "2024-02-29",
    "Monday", "Sunday's", "MAY", "May", "February", "Dec.", "Sept", "weekend", "week",
    "month", "year", "years", "days", "weeks", "yesterday", "today", "tonight", "recently",
    "hours", "-", "–", ",", ".", "invaded", "war", "three-year", "conflict", "when",
]  # fmt: skip


@pytest.mark.fuzz
@given(
    words=st.lists(st.one_of(st.sampled_from(_TOKENS), st.text(max_size=6)), max_size=30),
    published=st.one_of(st.none(), st.dates()),
)
def test_find_dates_properties(words: list[str], published: date | None) -> None:
    text = " ".join(words)
    found = find_dates(text, published)
    previous_end = 0
    for m in found:
        assert 0 <= previous_end <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.kind in KINDS
        previous_end = m.end
        if m.kind in RELATIVE_KINDS and m.date.precision is DatePrecision.DAY:
            assert published is not None and m.date.value is not None
            assert date.fromisoformat(m.date.value) <= published


def test_a_year_before_a_unit_is_a_year_not_a_count() -> None:
    """Four digits read as a quantity ate the month and gave "2022 days before"."""
    found = find_dates("in March 2022 days before the talks", date(2024, 5, 10))
    assert (found[0].text, found[0].date.value) == ("in March 2022", "2022-03")
    assert all(m.date.value is None for m in find_dates("2023 days ago", date(2024, 5, 10)))
