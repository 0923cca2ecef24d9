"""Find date expressions in article text and resolve them against the publication date.

``find_dates(text, published)`` returns every date expression in ``text`` as a
``DateMention``, in order and non-overlapping: when candidate expressions overlap, the
longest one wins (so "overnight into Monday" beats "overnight", and "Wednesday, June 25,
2025" beats "Wednesday"). Offsets index ``text`` exactly, so ``text[m.start:m.end] ==
m.text``. Matching is plain regular expressions over the text; nothing is guessed from
loose parsing, because a wrong date silently merges two attacks or splits one.

Rules, with P the publication date:

* **Unknown P.** Anything that needs P to be resolved (weekdays, "yesterday", "overnight",
  "last month", "three days ago", a month and day without a year, a bare month) is
  returned with ``EventDate(None, UNKNOWN)``: a year or day is never invented. Dates that
  state their own year ("December 5, 2022", "2023-05-30", "in May 2023", "in 2014") resolve
  without P.
* **Explicit dates** (kind ``explicit``): "December 5, 2022", "Dec. 5, 2022", "5 December
  2022", "10 August, 2022", "the 5th of December, 2022", "Wednesday, June 25, 2025",
  ISO "2023-05-30", "2023/05/30" and timestamps "2025-08-10 02:05:03" give that day.
  Numeric dates with slashes such as "05/03/2023" are skipped: dd/mm and mm/dd cannot be
  told apart.
* **Month and day without a year** (kind ``month_day``): "December 21", "21 December",
  "on Dec. 5", "the 5th of December" resolve to the latest such date not after P
  (P = 2025-01-02 makes "December 28" 2024-12-28). Two guards keep the rule from inventing
  a day: a date up to 60 days after P in P's own year is an upcoming event ("the December
  10 rally" in a December 7 article), not one almost a year back, and stays unknown; so
  does a date whose stated weekday disagrees with the day the rule picked ("Saturday,
  December 10" resolving to a Friday). A day that exists in no nearby year ("February 30")
  stays unknown.
* **Day ranges.** "on the night of 20 to 21 May" / "overnight on May 20-21" give the second
  day (the overnight convention below). Any other range ("May 20-22", "5 and 6 December")
  gives the month, which is compatible with every day in it.
* **Weekdays** (kind ``weekday``): "Monday", "on Monday", "early Tuesday", "late Sunday",
  "Tuesday night", "on Wednesday evening", "Monday's", "Friday morning's", "overnight into
  Monday", "on the night of Monday", "in the early hours of Sunday" give the latest such
  weekday on or before P (a Tuesday article's "early Tuesday" is P itself). "last Tuesday"
  and "this past Tuesday" give the latest one strictly before P. "Monday night into
  Tuesday" gives Tuesday (overnight convention); a non-consecutive span ("from Monday to
  Thursday") is unknown. "next Monday" is the future and stays unknown.
* **Relative days** (kind ``relative_day``): "today", "earlier today", "this morning",
  "tonight" give P; "yesterday" and "the day before" / "the previous day" give P-1; "the
  day before yesterday" P-2; "tomorrow" is the future and stays unknown.
* **Overnight convention.** "overnight", "last night", "during the night", "in the early
  hours" give P, not P-1: news wires date an overnight attack by the morning it is
  reported, and so do the Ukrainian and Russian defence ministries ("on the night of 20 to
  21 May" is the attack of 21 May). A named day wins over the convention: "Tuesday night"
  is Tuesday.
* **Weekend convention.** A weekend is two days but ``EventDate`` holds one, so a weekend
  gives its Sunday, the later day, never a day after P. "over / at / during / this / this
  past / the weekend" is the latest weekend that has started by P: its Sunday, or P itself
  when P is the Saturday (Sunday would be tomorrow). "last weekend" / "the previous
  weekend" is the latest weekend already over before P: on a Saturday or Sunday that is
  the weekend before the current one (P = Saturday 2023-08-05 gives Sunday 2023-07-30).
* **Months** (kind ``month``): a bare month name counts only after one of
  in/since/until/till/by/from/through/throughout/during/of/before/after/between/as of/
  early/late/mid/earlier/later ("in May", "earlier in July", "in mid-May") or when a year
  follows ("May 2023", "May of 2023"); a month after such a list separator ("in March and
  June", "from December to February 2023") counts too and shares a year stated at the
  end. Without a year the month is the latest such month not after P's month (P =
  2023-02-10 makes "in December" 2022-12). This keeps the verb "may" and "May" opening a
  sentence from matching; names are matched capitalised or in capitals only, and as whole
  words ("Marchenko" is not March).
* **Years** (kind ``year``): "in 2022", "since 2014", "in early 2023", "mid-2023", "between
  2014 and 2022"; a season with a year ("in the summer of 2023") gives the year, or stays
  unknown when it spans two ("winter 2022-23"). A bare year with no preposition ("the 2022
  invasion") is not matched: it usually names an event, not a time frame.
* **Relative periods** (kind ``relative_period``): "last month" (P's month minus one),
  "this month" / "earlier this month" (P's month), "last year", "this year" / "earlier this
  year" resolve; "last week", "earlier this week", "in recent days", "in the past 24 hours",
  "recently", "weeks after", "days later", "this summer" are vague and stay unknown, so a
  caller still sees that a vague time was stated.
* **"ago"** (kind ``ago``): "two days ago" is P-2, "a week ago" P-7, "three weeks ago" P-21,
  "a month ago" / "exactly one year ago" the same day that many months or years back (a
  missing 29 February becomes the 28th), "an hour ago" P, "a decade ago" a year. Without a
  number ("months ago", "a few days ago") or with an approximation ("about a year ago",
  "more than two years ago") the date stays unknown: a day would be invented.
  "Over the past day", "in the past 24 hours", "for days", "days later" are vague
  (unknown); the same with weeks-plural or longer units is background, below.
* **Background** (``background=True``): time frames that never date an attack. These are
  anything in a "since" clause ("since February 2022", "since 2014", "since Monday", "the
  largest attack since the strike on July 8", "since the beginning of the year", "since the
  start of the war in 2022"; a comma or a conjunction such as "and" ends the clause, so in
  "since Friday and on Monday" Monday is not background); a dated mention with its own
  year next to the start of the war ("when Russia invaded in February 2022", "the February
  2022 invasion", "the annexation of Crimea in 2014"); spans of weeks or more ("in recent
  weeks", "for months", "over the past year", "over decades", "the first attack in years",
  "months after", "months ago"); the length of the war ("the years-long conflict", "in the
  three-year conflict", "three years into the war"); and a season or year introduced by
  "during", "throughout" or "over" ("during the fall of 2024", "during 2023", "during last
  year's mobilisation"), which is a span rather than a day. A month after "during" ("during
  May") is not background: it is as specific as "in May". Background mentions keep their
  value when they have one; callers ignore them.

Phrases that only look like dates never match: aircraft and missile names ("Tu-22M3",
"Kh-22", "Su-24"), distances and durations ("115 miles", "10 hours", "1,000 kilometers"),
clock times ("11:40 a.m."), quantities ("3 million tons"), "24/7", "Article 5", the verb
"may", the newspapers "Sunday Times" and "Mail on Sunday", and "Russia Today".
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import NamedTuple

from foglight.models import UNKNOWN_DATE, DatePrecision, EventDate
from foglight.numbers import CARDINALS, TENS, parse_number
from foglight.vocab import fold_case

__all__ = ["KINDS", "RELATIVE_KINDS", "DateMention", "find_dates", "latest_stated_day"]

KINDS = (
    "explicit",
    "month_day",
    "month",
    "year",
    "weekday",
    "relative_day",
    "relative_period",
    "ago",
)
# Kinds whose day is computed backwards from P, so it can never be after P.
RELATIVE_KINDS = frozenset({"month_day", "weekday", "relative_day", "relative_period", "ago"})


@dataclass(frozen=True)
class DateMention:
    """One date expression in a text, with the date it resolves to."""

    start: int  # character offsets into the text passed to find_dates
    end: int
    text: str  # exactly text[start:end], e.g. "early Tuesday", "on December 21"
    date: EventDate  # UNKNOWN_DATE when it cannot be resolved
    kind: str  # one of KINDS
    background: bool  # a time frame ("since 2022", "for months") that never dates an attack


@dataclass(frozen=True)
class _Cand:
    start: int
    end: int
    date: EventDate
    kind: str
    background: bool = False
    # The year is written in the expression itself (not taken from P); only such dates can
    # be the war's start date, which the invasion-context rule looks for.
    has_year: bool = False


# --------------------------------------------------------------------------- vocabulary

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_NUMBER = {name.casefold(): i for i, name in enumerate(_WEEKDAYS)}
_WEEKDAY_ABBRS = {
    "Mon": 0, "Tue": 1, "Tues": 1, "Wed": 2, "Thu": 3, "Thur": 3, "Thurs": 3,
    "Fri": 4, "Sat": 5, "Sun": 6,
}  # fmt: skip
_WEEKDAY_NUMBER.update({abbr.casefold(): n for abbr, n in _WEEKDAY_ABBRS.items()})

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_ABBRS = {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7,
    "Aug": 8, "Sept": 9, "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}  # fmt: skip
_MONTH_NUMBER = {name.casefold(): i + 1 for i, name in enumerate(_MONTHS)}
_MONTH_NUMBER.update({abbr.casefold(): n for abbr, n in _MONTH_ABBRS.items()})

# Number words that count units of time; foglight.numbers gives their values.
_DIGIT_WORDS = tuple(word for word, value in CARDINALS.items() if 1 <= value <= 9)
_TEEN_WORDS = tuple(word for word, value in CARDINALS.items() if value >= 10)
_TENS_WORDS = tuple(TENS)


def _cased(words: tuple[str, ...] | list[str]) -> str:
    """An alternation of each word capitalised or in capitals, longest first.

    Names are matched case-sensitively so the verb "may" and "march" never count, while
    all-caps datelines ("MOSCOW, FEB 24") still do.
    """
    forms = {w for word in words for w in (word, word.upper())}
    return "(?:" + "|".join(sorted(forms, key=lambda w: (-len(w), w))) + ")"


def _alternation(words: tuple[str, ...]) -> str:
    """An alternation of the words as written, longest first."""
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


_WEEKDAY = r"\b" + _cased(_WEEKDAYS) + r"\b"
_WEEKDAY_ABBR = r"\b" + _cased(list(_WEEKDAY_ABBRS)) + r"(?:\.|\b)"
_MONTH_FULL = r"\b" + _cased(_MONTHS) + r"\b"
_MONTH_ABBR = r"\b" + _cased(list(_MONTH_ABBRS)) + r"(?:\.|\b)"
_MONTH_ANY = f"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)"
_YEAR = r"(?:19|20)[0-9]{2}"
# After a year: no more digits, no "2,022", "2022.5", "1990s" or "2023/24".
_YEAR_END = r"(?!\w|[.,/][0-9])"
# "twenty-one" and "twenty one" as one number: reading "one days ago" out of them gave P-1.
_NUMWORD = (
    rf"(?:{_alternation(_TENS_WORDS)}(?:[-\s]{_alternation(_DIGIT_WORDS)})?"
    rf"|{_alternation(('a', 'an', *_DIGIT_WORDS, *_TEEN_WORDS))})"
)
_APOS_S = r"(?:['’]s)?"
# Between items of a list of months or years: "March and June", "2014-2022", "May, June".
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|to|through|until|till)\s+|\s*[-–]\s*)"

# --------------------------------------------------------------------------- patterns

# Words that may introduce a day-and-month date; kept in the match so "on December 21" is
# the mention's text. Night wording selects the second day of a range.
_DATE_PREFIX = (
    r"(?P<pre>\b(?i:(?:(?:on|in|during)\s+)?the\s+night\s+of|overnight(?:\s+(?:on|into|to))?"
    r"|(?:in\s+)?the\s+early\s+hours\s+of|(?:early|late|earlier|later)(?:\s+on)?"
    r"|on|since|until|till|by|from|before|after|through|as\s+of)\s+)?"
)
_WEEKDAY_LEAD = rf"(?:(?P<wd>{_WEEKDAY}|{_WEEKDAY_ABBR}),?\s+)?"
_RANGE = r"(?:\s*[-–]\s*|\s+(?:to|into)\s+)"

# "December 21", "Dec. 5, 2022", "Wednesday, June 25, 2025", "May 20-21".
_MONTH_DAY_RE = re.compile(
    _DATE_PREFIX
    + _WEEKDAY_LEAD
    + rf"(?P<mon>{_MONTH_ANY})\s*(?P<d1>{_DAY}){_ORD}?(?![0-9])"
    + rf"(?:{_RANGE}(?P<d2>{_DAY}){_ORD}?(?![0-9]))?"
    # Either a year follows, or the day must not run on into "10,000" or "5.5".
    + rf"(?:,?\s+(?P<year>{_YEAR}){_YEAR_END}|(?![.,:][0-9]))"
)
# "21 December", "the 5th of December, 2022", "the night of 20 to 21 May".
_DAY_MONTH_RE = re.compile(
    _DATE_PREFIX
    + _WEEKDAY_LEAD
    # The lookbehind keeps "Su-24 March" or "1,021 May" from reading as a day.
    + rf"(?P<the>(?i:the)\s+)?(?<![\w.,:/°-])(?P<d1>{_DAY})(?P<ord>{_ORD})?(?![0-9])"
    + rf"(?:(?:{_RANGE}|\s+and\s+)(?:(?i:the)\s+)?(?P<d2>{_DAY}){_ORD}?(?![0-9]))?"
    + rf"\s+(?P<of>of\s+)?(?P<mon>{_MONTH_ANY})"
    + rf"(?:,?\s+(?P<year>{_YEAR}){_YEAR_END})?"
)
# "2023-05-30", "2023/05/30", "2025-08-10 02:05:03", "2025-08-10T02:05:03Z".
_ISO_RE = re.compile(
    r"(?<![\w.:/-])(?P<year>[0-9]{4})(?P<sep>[-/])(?P<mon>[0-9]{2})(?P=sep)(?P<day>[0-9]{2})"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
    r"(?![\w/-]|:[0-9])"
)

_WEEKDAY_RE = re.compile(
    r"(?P<pre>\b(?i:(?:(?:on|in|during)\s+)?the\s+night\s+of|(?:in\s+)?the\s+early\s+hours\s+of"
    r"|overnight(?:\s+(?:into|to|on))?|(?:early|late)(?:\s+on)?|this\s+past|last|this|next"
    r"|on|since|from)\s+)?"
    rf"(?P<wd>{_WEEKDAY})"
    # British papers named after a weekday are not dates.
    r"(?!\s+(?:Times|Telegraph|Express|Mirror|People|Post|Mail)\b)"
    r"(?:\s+(?i:morning|afternoon|evening|night|overnight)\b)?"
    rf"(?:\s+(?i:(?:night\s+)?(?:into|to))\s+(?P<wd2>{_WEEKDAY})"
    r"(?:\s+(?i:morning|afternoon|evening|night)\b)?)?" + _APOS_S
)

# Items of a month list: a full month name, or an abbreviation only when a year follows
# ("Feb 2022"), since "Jan" and "Mar" are also names and words. A month followed by a day
# number is left to _MONTH_DAY_RE.
_MONTH_ITEM_BODY = (
    rf"(?:{_MONTH_FULL}|{_MONTH_ABBR}(?=,?\s+(?:of\s+)?{_YEAR}))(?!\.?\s*[0-9]{{1,2}}(?![0-9]))"
)
_MONTH_ITEM = rf"{_MONTH_ITEM_BODY}(?:,?\s+(?:of\s+)?{_YEAR}{_YEAR_END})?"
_MONTH_ITEM_RE = re.compile(
    rf"(?P<mon>{_MONTH_ITEM_BODY})(?:,?\s+(?:of\s+)?(?P<year>{_YEAR}){_YEAR_END})?"
)
_MONTH_PREFIX = (
    r"\b(?i:(?:(?:earlier|later)(?:\s+in)?|in|since|until|till|by|from|through|throughout"
    r"|during|of|before|after|between|as\s+of)\s+(?:(?:early|late)\s+|mid(?:-\s*|\s+))?"
    r"|(?:early|late)\s+|mid(?:-\s*|\s+))"
)
_MONTH_LIST_RE = re.compile(
    rf"(?P<pre>{_MONTH_PREFIX})?(?P<items>{_MONTH_ITEM}(?:{_SEP}{_MONTH_ITEM})*)"
)

_YEAR_ITEM = rf"{_YEAR}{_YEAR_END}"
_YEAR_ITEM_RE = re.compile(_YEAR_ITEM)
_YEAR_PREFIX = (
    r"\b(?i:(?:(?:earlier|later)\s+in|in|since|until|till|by|from|through|throughout|during"
    r"|of|before|after|between|as\s+of)\s+(?:(?:early|late)\s+|mid(?:-\s*|\s+))?"
    r"|(?:early|late)\s+|mid-\s*)"
)
_YEAR_LIST_RE = re.compile(
    rf"(?<![\w-])(?P<pre>{_YEAR_PREFIX})(?P<items>{_YEAR_ITEM}(?:{_SEP}{_YEAR_ITEM})*)"
)

_SEASONS = ("spring", "summer", "autumn", "fall", "winter")
_SEASON = "(?:" + "|".join(_SEASONS) + ")"
_SEASON_YEAR_RE = re.compile(
    r"(?:\b(?i:(?P<pre>during|in|since|through|throughout|by|over|until|till|from|of)\s+))?"
    rf"(?:\b(?i:the)\s+)?(?:\b(?i:early|late|mid)[-\s])?\b(?i:{_SEASON})\s+(?:of\s+)?"
    rf"(?P<year>{_YEAR})(?:\s*[-–/]\s*(?P<y2>[0-9]{{4}}|[0-9]{{2}}))?{_YEAR_END}"
)
_SEASON_RE = re.compile(
    r"\b(?i:(?:(?P<span>during|throughout|over)\s+the|last|this|next|earlier\s+this"
    rf"|late\s+last|in\s+the|early\s+this)\s+{_SEASON})\b"
    # "the fall of Bakhmut" is not a season; seasons with a year are _SEASON_YEAR_RE's.
    r"(?!\s+of\b)(?!\s*[0-9])"
)

# (pattern, days before P, cue words of which every match contains one: see _Pattern)
_DAY_OFFSETS: tuple[tuple[str, int | None, tuple[str, ...]], ...] = (
    (r"(?:the\s+)?day\s+before\s+yesterday", -2, ("yesterday",)),
    (
        r"(?:(?:early|late|earlier|later)\s+)?yesterday"
        r"(?:\s+(?:morning|afternoon|evening|night))?",
        -1,
        ("yesterday",),
    ),
    (r"(?:(?:earlier|later|early|late)\s+)?today", 0, ("today",)),
    (
        r"(?:(?:early|late|earlier|later)\s+)?this\s+(?:morning|afternoon|evening)",
        0,
        ("morning", "afternoon", "evening"),
    ),
    (r"tonight", 0, ("tonight",)),
    (r"(?:late\s+)?last\s+(?:night|evening)", 0, ("night", "evening")),
    (r"overnight", 0, ("overnight",)),
    # "on the night of ..." is left to the weekday and day-month patterns.
    (r"(?:on|during|in)\s+the\s+night(?!\s+of\b)", 0, ("night",)),
    (
        r"(?:in\s+)?the\s+early\s+hours"
        r"(?:\s+of\s+(?:the\s+morning|this\s+morning|today))?(?!\s+of\b)",
        0,
        ("hours",),
    ),
    (r"the\s+(?:day\s+before|previous\s+day|day\s+prior)(?!\s+yesterday)", -1, ("day",)),
    (r"tomorrow", None, ("tomorrow",)),  # the future: nothing is dated by it
)
_RELATIVE_DAY_RES = tuple(
    (re.compile(rf"\b(?i:{pattern})\b{_APOS_S}"), offset, cues)
    for pattern, offset, cues in _DAY_OFFSETS
)
# "Russia Today" (RT) and the BBC's "Today programme" are names, not dates.
_TODAY_NAME_BEFORE = re.compile(r"\b(?:Russia|USA)\s+$")
_TODAY_NAME_AFTER = re.compile(r"\s+(?:programme|show)\b")

_WEEKEND_RE = re.compile(
    r"\b(?i:(?:(?P<pre>over|at|on|during|this\s+past|this|last|the\s+previous|the\s+past)\s+"
    r"(?:the\s+)?|the\s+)weekend)\b" + _APOS_S
)
_WEEK_RE = re.compile(
    r"\b(?i:(?:(?:early|late|earlier|later)\s+)?(?:(?:in\s+)?(?:last|this|next)\s+week"
    r"|in\s+the\s+(?:same\s+)?week|the\s+(?:previous|following|same|past)\s+week))\b" + _APOS_S
)
# "the last month of the year" is not "last month".
_REL_MONTH_YEAR_RE = re.compile(
    r"(?<![Tt]he\s)\b(?i:(?:(?:early|late|earlier|later)\s+)?(?:(?:in|during)\s+)?"
    r"(?P<which>last|this|next)\s+(?P<unit>month|year))\b" + _APOS_S
)
_RECENTLY_RE = re.compile(r"\b(?i:recently|lately|of\s+late)\b")
_QUANTITY = (
    # Digits, with or without thousands separators, but never a year: in "March 2022 days
    # before", 2022 is the month's year.
    rf"(?:{_NUMWORD}|(?!{_YEAR}(?![0-9]))[0-9]+(?:,[0-9]{{3}})*"
    r"|a\s+few|a\s+couple\s+of|couple\s+of|few|several|many)"
)
_UNITS = ("hour", "day", "week", "month", "year", "decade", "fortnight")
_UNIT = "(?:" + "|".join(f"{unit}s?" for unit in _UNITS) + ")"
_AFTER_RE = re.compile(
    rf"\b(?i:(?:(?P<q>{_QUANTITY})\s+)?(?P<unit>{_UNIT})\s+"
    r"(?:later|after(?:wards)?|earlier|before|prior))\b"
)
_PERIOD_RE = re.compile(
    r"\b(?i:(?:in|over|during|for|throughout|across|within)\s+(?:the\s+)?"
    r"(?:(?P<mod>past|last|recent|previous|coming|next)\s+)?"
    rf"(?:(?P<q>few|several|many|couple\s+of|{_NUMWORD}|[0-9]{{1,3}})\s+)?"
    rf"(?P<unit>{_UNIT}))\b"
)
_WAR_NOUN = r"(?:full[-\s]scale\s+)?(?:war|conflict|invasion|campaign|fighting|occupation)"
_OWNER = r"(?:the|a|its|this|Russia['’]s|Moscow['’]s|Kyiv['’]s|Ukraine['’]s)"
_LONG_WAR_RE = re.compile(
    r"\b(?i:"
    rf"(?:(?:(?:in|during|throughout|over)\s+)?{_OWNER}\s+)?"
    rf"(?:(?:years|decades|months)[-\s]long|(?:{_NUMWORD}|[0-9]{{1,2}}(?:½|\.5)?)"
    r"(?:[-\s]and[-\s]a[-\s]half)?[-\s]years?(?:[-\s](?:old|long))?)"
    rf"\s+{_WAR_NOUN}"
    rf"|(?:(?:more\s+than|nearly|almost|over|about|some)\s+)?(?:{_NUMWORD}|[0-9]{{1,2}}(?:½|\.5)?)"
    rf"\s+years\s+(?:of|into)\s+(?:{_OWNER}\s+)?{_WAR_NOUN}"
    r")\b"
)
_SINCE_PHRASE_RE = re.compile(
    r"\b(?i:since\s+(?:(?:the\s+)?(?:very\s+)?(?:start|beginning|outbreak|onset)\s+of\s+"
    r"(?:the\s+|this\s+|its\s+|Russia['’]s\s+|Moscow['’]s\s+)?(?:full[-\s]scale\s+)?"
    r"(?P<what>war|invasion|conflict|hostilities|fighting|year|month)"
    r"|(?:the\s+|its\s+|Russia['’]s\s+|Moscow['’]s\s+)?(?:full[-\s]scale\s+)?(?:invasion|war)"
    r"(?:\s+(?:began|started))?)(?:\s+(?:of|in|on)\s+Ukraine)?)\b"
    r"(?:\s+(?i:(?:began\s+|started\s+)?(?:in|on))\s+"
    rf"(?:(?P<mon>{_MONTH_ANY})\s*(?:(?P<day>{_DAY}){_ORD}?,?\s+)?)?(?P<year>{_YEAR}){_YEAR_END})?"
)
_AGO_RE = re.compile(
    r"\b(?i:(?:(?P<q>exactly|just|only|about|around|roughly|nearly|almost|some|more\s+than"
    r"|over|less\s+than|under|barely)\s+)?"
    # A figure is never read from the tail of a longer one ("1.5 years ago", "10-12 days").
    rf"(?:(?<![0-9][.,])(?<![-–])(?P<n>{_QUANTITY}|an?)\s+)?(?P<unit>{_UNIT})\s+ago)\b"
)

# Context that makes a mention background. "since" anywhere earlier in the clause makes a
# reference point, never the attack's own date ("the largest attack since July 8").
_CLAUSE_BREAK = re.compile(r"[.;:!?,()\[\]—–\n]")
# A conjunction starts a new clause too: in "300 drones since Friday and on Monday a
# missile", Monday is an attack date again.
_CONJUNCTION = re.compile(r"(?i)\b(?:and|but|while|whereas|then|yet|although|though)\b")
_SINCE_WORD = re.compile(r"(?i)\bsince\b")
# The war's start, which only a date with its own year can be ("invaded in February
# 2022"); "the anniversary of the invasion on Monday" may well be the day of an attack.
_WAR_START_BEFORE = re.compile(
    r"(?i)\b(?:inva(?:de|ded|ding|sion)|annex(?:ed|ation|ing)?"
    r"|(?:war|invasion|conflict|fighting)\s+(?:began|started|broke\s+out|erupted)"
    r"|launched\s+(?:its|the|a)\s+(?:full[-\s]scale\s+)?war"
    r"|(?:start|beginning|outbreak|onset)\s+of\s+(?:the|its|Russia['’]s)\s+"
    r"(?:full[-\s]scale\s+)?(?:war|invasion|conflict))\b"
)
_WAR_START_AFTER = re.compile(
    r"(?i)^(?:\s*,)?\s*(?:when\b[^.;:!?]{0,80}?\b(?:inva(?:de|ded|sion)|annex\w*"
    r"|(?:war|invasion)\s+(?:began|started))|(?:['’]s\s+)?(?:full[-\s]scale\s+)?"
    r"(?:invasion|annexation)\b)"
)
_MAIL_ON = re.compile(r"\bMail\s+(?:on\s+)?$")
_CONTEXT = 120  # characters of clause looked at before a mention
# How far ahead of P a month and day without a year is read as an upcoming event.
_UPCOMING_DAYS = 60

# --------------------------------------------------------------------------- arithmetic


def _norm(s: str | None) -> str:
    """Lower-cased, single-spaced; casefold so odd cases the (?i) patterns accept map too."""
    return " ".join(s.casefold().split()) if s else ""


def _day(d: date | None) -> EventDate:
    return EventDate.day(d) if d is not None else UNKNOWN_DATE


def _month_date(year: int, month: int) -> EventDate:
    return EventDate.month(year, month) if year >= 1 else UNKNOWN_DATE


def _year_date(year: int) -> EventDate:
    return EventDate.year(year) if year >= 1 else UNKNOWN_DATE


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _minus_days(p: date, days: int) -> date | None:
    try:
        return p - timedelta(days=days)
    except (ValueError, OverflowError):
        return None


def _minus_months(p: date, months: int) -> date | None:
    """P moved back by whole months, the day clamped to the month (29 Feb → 28 Feb)."""
    index = p.year * 12 + p.month - 1 - months
    year, month0 = divmod(index, 12)
    if year < 1:
        return None
    day = min(p.day, calendar.monthrange(year, month0 + 1)[1])
    return _make_date(year, month0 + 1, day)


def _latest_weekday(p: date, weekday: int, strictly_before: bool) -> date | None:
    back = (p.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return _minus_days(p, back)


def _latest_month_day(p: date, month: int, day: int) -> date | None:
    """The latest month/day not after P; eight years back covers every 29 February.

    A date in P's year that lies just ahead of P ("the rally on December 10" in a December 7
    article) is an upcoming event, not an attack almost a year earlier: it stays unknown.
    """
    upcoming = _make_date(p.year, month, day)
    if upcoming is not None and p < upcoming and (upcoming - p).days <= _UPCOMING_DAYS:
        return None
    for year in range(p.year, max(p.year - 8, 0), -1):
        d = _make_date(year, month, day)
        if d is not None and d <= p:
            return d
    return None


def _latest_month_year(p: date, month: int) -> int:
    return p.year if month <= p.month else p.year - 1


def _month_number(name: str) -> int | None:
    return _MONTH_NUMBER.get(name.rstrip(".").casefold())


def _count(word: str | None) -> int | None:
    """The number a quantity word states exactly, None for "few", "several" and the like."""
    return parse_number(_norm(word))


# --------------------------------------------------------------------------- handlers

_Handler = Callable[[re.Match[str], str, date | None], Iterator[_Cand]]


def _explicit_iso(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    d = _make_date(int(m["year"]), int(m["mon"]), int(m["day"]))
    if d is not None and d.year >= 1900:  # "0001-02-03" is a code, not a report date
        yield _Cand(m.start(), m.end(), EventDate.day(d), "explicit", has_year=True)


def _day_and_month(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    month = _month_number(m["mon"])
    if month is None:
        return
    groups = m.groupdict()
    # "5 of December" is not English; "of" needs "the 5th" or "5th".
    if groups.get("of") and not (groups.get("ord") or groups.get("the")):
        return
    d1 = int(m["d1"])
    d2 = int(m["d2"]) if m["d2"] else None
    pre = _norm(m["pre"])
    overnight = "night" in pre
    year = int(m["year"]) if m["year"] else None
    kind = "explicit" if year is not None else "month_day"
    if d2 is not None and not (overnight and d2 == d1 + 1):
        # A span of days: the month is the most precise value true of all of them.
        if year is None:
            start = _latest_month_day(p, month, d1) if p else None
            value = _month_date(start.year, month) if start else UNKNOWN_DATE
        else:
            value = _month_date(year, month)
    else:
        day = d2 if d2 is not None else d1
        if year is not None:
            value = _day(_make_date(year, month, day))
        else:
            resolved = _latest_month_day(p, month, day) if p else None
            stated = _WEEKDAY_NUMBER.get(m["wd"].rstrip(".").casefold()) if m["wd"] else None
            if resolved is not None and stated is not None and resolved.weekday() != stated:
                # "Saturday, December 10" must fall on a Saturday; if the year the rule
                # picked disagrees, the rule guessed wrong and no day is given.
                resolved = None
            value = _day(resolved)
    yield _Cand(m.start(), m.end(), value, kind, has_year=year is not None)


def _weekday(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    if _MAIL_ON.search(text[max(0, m.start("wd") - 12) : m.start("wd")]):
        return
    target = _WEEKDAY_NUMBER.get(m["wd"].casefold())
    if target is None:
        return
    pre = _norm(m["pre"])
    known = p is not None and not pre.startswith("next")
    if m["wd2"]:
        second = _WEEKDAY_NUMBER.get(m["wd2"].casefold())
        # "Monday night into Tuesday" is Tuesday's attack; "Monday to Thursday" is no day.
        known = known and second == (target + 1) % 7
        target = second if second is not None else target
    strictly = pre.startswith(("last", "this past"))
    value = _day(_latest_weekday(p, target, strictly)) if known and p else UNKNOWN_DATE
    yield _Cand(m.start(), m.end(), value, "weekday")


def _month_list(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    items = list(_MONTH_ITEM_RE.finditer(text, m.start("items"), m.end("items")))
    months = [_month_number(item["mon"]) for item in items]
    years: list[int | None] = [int(item["year"]) if item["year"] else None for item in items]
    if not items or any(month is None for month in months):
        return
    # A year stated at the end covers the earlier months: "from December to February
    # 2023" is December 2022, so the year steps back when the months do.
    carry_year: int | None = None
    carry_month = 0
    for i in range(len(items) - 1, -1, -1):
        month = months[i] or 0
        y = years[i]
        if y is not None:
            carry_year, carry_month = y, month
        elif carry_year is not None:
            if month > carry_month:
                carry_year -= 1
            years[i], carry_month = carry_year, month
    if m["pre"] is None and years[0] is None:
        return  # a bare "May" opening a sentence may be the verb
    background = "since" in _norm(m["pre"])
    for i, item in enumerate(items):
        month = months[i] or 0
        y = years[i]
        start = m.start() if i == 0 else item.start()
        if y is not None:
            value = _month_date(y, month)
        elif p is not None:
            value = _month_date(_latest_month_year(p, month), month)
        else:
            value = UNKNOWN_DATE
        yield _Cand(start, item.end(), value, "month", background, has_year=y is not None)


def _year_list(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    pre = _norm(m["pre"])
    # "during 2023" is a year-long span, not the day of anything.
    background = pre.startswith(("since", "during", "throughout"))
    for i, item in enumerate(_YEAR_ITEM_RE.finditer(text, m.start("items"), m.end("items"))):
        start = m.start() if i == 0 else item.start()
        value = _year_date(int(item.group()))
        yield _Cand(start, item.end(), value, "year", background, has_year=True)


def _season_year(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    year = int(m["year"])
    value = _year_date(year)
    if m["y2"]:
        second = int(m["y2"])
        if second < 100:
            second += year // 100 * 100
        if second != year:  # "winter 2022-23" spans two years
            value = UNKNOWN_DATE
    background = _norm(m["pre"]) in {"during", "since", "throughout", "over", "through"}
    yield _Cand(m.start(), m.end(), value, "year", background, has_year=True)


def _season(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    yield _Cand(m.start(), m.end(), UNKNOWN_DATE, "relative_period", m["span"] is not None)


def _relative_day(
    offset: int | None, m: re.Match[str], text: str, p: date | None
) -> Iterator[_Cand]:
    if m.group().startswith(("Today", "TODAY")) and (
        _TODAY_NAME_BEFORE.search(text, max(0, m.start() - 10), m.start())
        or _TODAY_NAME_AFTER.match(text, m.end())
    ):
        return
    value = _day(_minus_days(p, -offset)) if p is not None and offset is not None else None
    yield _Cand(m.start(), m.end(), value or UNKNOWN_DATE, "relative_day")


def _weekend(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    value = UNKNOWN_DATE
    if p is not None:
        pre = _norm(m["pre"])
        previous = pre in {"last", "the previous"}
        weekday = p.weekday()  # Saturday 5, Sunday 6
        if previous:
            # The latest weekend already over: on a weekend day, the one before it.
            back = {5: 6, 6: 7}.get(weekday, weekday + 1)
        else:
            # The latest weekend that has begun; on a Saturday only its Saturday is past.
            back = {5: 0, 6: 0}.get(weekday, weekday + 1)
        value = _day(_minus_days(p, back))
    yield _Cand(m.start(), m.end(), value, "relative_day")


def _vague(background: bool, m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    yield _Cand(m.start(), m.end(), UNKNOWN_DATE, "relative_period", background)


def _rel_month_year(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    which = _norm(m["which"])
    unit = _norm(m["unit"])
    value = UNKNOWN_DATE
    # "during last year's mobilisation" is a span, like "during 2023".
    background = "during" in _norm(m.group()).split()
    if p is not None and which in {"last", "this"}:
        back = 1 if which == "last" else 0
        if unit == "year":
            value = _year_date(p.year - back)
        else:
            index = p.year * 12 + p.month - 1 - back
            value = _month_date(index // 12, index % 12 + 1)
    yield _Cand(m.start(), m.end(), value, "relative_period", background)


def _is_long(unit: str) -> bool:
    """Spans of weeks or more are background; a few days may still date an attack."""
    return unit.startswith(("month", "year", "decade")) or unit == "weeks"


def _after(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    unit = _norm(m["unit"])
    q = _norm(m["q"])
    if not unit.endswith("s") and q not in {"a", "an", "one"}:
        return  # "day before" without "a" is "the day before", matched elsewhere
    if unit.startswith("hour") and _count(q) is not None and q not in {"a", "an", "one"}:
        return  # "10 hours later": a duration, not a date
    background = unit.startswith(("month", "year", "decade"))
    yield _Cand(m.start(), m.end(), UNKNOWN_DATE, "relative_period", background)


def _period(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    unit = _norm(m["unit"])
    mod = m["mod"]
    q = m["q"]
    if mod is None and (not unit.endswith("s") or (q is not None and _count(q) is not None)):
        return  # "in the year", "for two weeks", "for 10 hours": durations, not time frames
    if unit.startswith("hour") and mod is None:
        return
    yield _Cand(m.start(), m.end(), UNKNOWN_DATE, "relative_period", _is_long(unit))


def _since_phrase(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    what = _norm(m["what"])
    value = UNKNOWN_DATE
    kind = "relative_period"
    month = _month_number(m["mon"]) if m["mon"] else None
    if m["year"]:
        year = int(m["year"])
        if month and m["day"]:
            value, kind = _day(_make_date(year, month, int(m["day"]))), "explicit"
        elif month:
            value, kind = _month_date(year, month), "month"
        else:
            value, kind = _year_date(year), "year"
    elif p is not None and what == "year":
        value = _year_date(p.year)
    elif p is not None and what == "month":
        value = _month_date(p.year, p.month)
    yield _Cand(m.start(), m.end(), value, kind, True, has_year=m["year"] is not None)


def _long_war(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    yield _Cand(m.start(), m.end(), UNKNOWN_DATE, "relative_period", True)


def _ago(m: re.Match[str], text: str, p: date | None) -> Iterator[_Cand]:
    unit = _norm(m["unit"]).rstrip("s")
    n = _count(m["n"])
    exact = _norm(m["q"]) in {"", "exactly", "just", "only"}
    value = UNKNOWN_DATE
    if p is not None and n is not None and exact:
        if unit == "hour":
            value = _day(_minus_days(p, n // 24))
        elif unit in {"day", "week", "fortnight"}:
            value = _day(_minus_days(p, n * {"day": 1, "week": 7, "fortnight": 14}[unit]))
        elif unit in {"month", "year"}:
            value = _day(_minus_months(p, n * (12 if unit == "year" else 1)))
        elif unit == "decade":
            value = _year_date(p.year - 10 * n)
    yield _Cand(m.start(), m.end(), value, "ago", _is_long(_norm(m["unit"])) and n is None)


class _Pattern(NamedTuple):
    regex: re.Pattern[str]
    handler: _Handler
    # Every match contains one of these words (a lowercase one in any case, any other as
    # written), so a text with none of them is not searched: most sentences state no date,
    # and a pattern that starts with optional words is slow to fail.
    cues: tuple[str, ...]


# Month names are matched capitalised or in capitals; each starts with its abbreviation.
_MONTH_CUES = tuple(cue for name in _MONTHS for cue in (name[:3], name[:3].upper()))
_WEEKDAY_CUES = tuple(cue for name in _WEEKDAYS for cue in (name, name.upper()))

# Order only breaks ties between equally long overlapping matches: earlier wins.
_PATTERNS: tuple[_Pattern, ...] = (
    _Pattern(_ISO_RE, _explicit_iso, ("-", "/")),
    _Pattern(_MONTH_DAY_RE, _day_and_month, _MONTH_CUES),
    _Pattern(_DAY_MONTH_RE, _day_and_month, _MONTH_CUES),
    _Pattern(_SINCE_PHRASE_RE, _since_phrase, ("since",)),
    _Pattern(_WEEKDAY_RE, _weekday, _WEEKDAY_CUES),
    _Pattern(_MONTH_LIST_RE, _month_list, _MONTH_CUES),
    _Pattern(_SEASON_YEAR_RE, _season_year, _SEASONS),
    _Pattern(_YEAR_LIST_RE, _year_list, ("19", "20")),
    _Pattern(_AGO_RE, _ago, ("ago",)),
    *(
        _Pattern(regex, partial(_relative_day, offset), cues)
        for regex, offset, cues in _RELATIVE_DAY_RES
    ),
    _Pattern(_WEEKEND_RE, _weekend, ("weekend",)),
    _Pattern(_REL_MONTH_YEAR_RE, _rel_month_year, ("month", "year")),
    _Pattern(_WEEK_RE, partial(_vague, False), ("week",)),
    _Pattern(_RECENTLY_RE, partial(_vague, False), ("recently", "late")),
    _Pattern(_SEASON_RE, _season, _SEASONS),
    _Pattern(_LONG_WAR_RE, _long_war, ("year", "decade", "month")),
    _Pattern(_PERIOD_RE, _period, _UNITS),
    _Pattern(_AFTER_RE, _after, ("later", "after", "earlier", "before", "prior")),
)

_ANY_CASE_CUES = tuple(sorted({c for p in _PATTERNS for c in p.cues if c.islower()}))
_WRITTEN_CUES = tuple(sorted({c for p in _PATTERNS for c in p.cues if not c.islower()}))


def _cues_in(text: str) -> set[str]:
    """The patterns' cue words that occur in ``text``."""
    folded = fold_case(text)
    present = {cue for cue in _ANY_CASE_CUES if cue in folded}
    present.update(cue for cue in _WRITTEN_CUES if cue in text)
    return present


# --------------------------------------------------------------------------- driver


def _in_background_context(text: str, cand: _Cand) -> bool:
    """Whether the clause around a mention makes it a reference point, not an attack date."""
    before = text[max(0, cand.start - _CONTEXT) : cand.start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    conjunctions = list(_CONJUNCTION.finditer(clause))
    if conjunctions:
        clause = clause[conjunctions[-1].end() :]
    if _SINCE_WORD.search(clause) or _SINCE_WORD.match(text, cand.start):
        return True
    if not cand.has_year:
        return False
    after = text[cand.end : cand.end + _CONTEXT]
    return bool(_WAR_START_BEFORE.search(clause) or _WAR_START_AFTER.match(after))


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date expression in ``text``, in order and non-overlapping (longest wins)."""
    candidates: list[tuple[int, _Cand]] = []
    cues = _cues_in(text)
    for order, pattern in enumerate(_PATTERNS):
        if cues.isdisjoint(pattern.cues):
            continue
        for match in pattern.regex.finditer(text):
            if match.end() > match.start():
                candidates.extend((order, c) for c in pattern.handler(match, text, published))
    candidates.sort(key=lambda oc: (oc[1].start - oc[1].end, oc[1].start, oc[0]))
    # Chosen spans never overlap, so sorted by start they are sorted by end as well and only
    # the neighbours at the insertion point can collide with a new candidate.
    starts: list[int] = []
    chosen: list[_Cand] = []
    for _, cand in candidates:
        i = bisect.bisect_left(starts, cand.start)
        if i < len(chosen) and chosen[i].start < cand.end:
            continue
        if i > 0 and chosen[i - 1].end > cand.start:
            continue
        starts.insert(i, cand.start)
        chosen.insert(i, cand)
    return [
        DateMention(
            start=c.start,
            end=c.end,
            text=text[c.start : c.end],
            date=c.date,
            kind=c.kind,
            background=c.background or _in_background_context(text, c),
        )
        for c in chosen
    ]


def latest_stated_day(text: str) -> date | None:
    """The latest full date a text states in so many words ("May 3, 2023"), background dates
    aside: for an article with no publication date, a bound on when it was written. It is
    never used to resolve relative dates, only to tell which attacks the article can be
    about."""
    days = [
        date.fromisoformat(m.date.value)
        for m in find_dates(text, None)
        if m.kind == "explicit"
        and not m.background
        and m.date.value
        and m.date.precision is DatePrecision.DAY
    ]
    return max(days, default=None)
