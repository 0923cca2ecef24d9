"""Tests for foglight.evaluate: scoring exported events against gold (spec/scoring.md)."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from foglight.errors import GoldFormatError
from foglight.evaluate import (
    GoldArticle,
    GoldEvent,
    _assign,
    evaluate,
    haversine_km,
    load_gold,
    source_keys,
)

SHARED = Path(__file__).parents[2] / "shared"

# Reference points used throughout (lat, lon).
KURSK_AIRFIELD = (51.7506, 36.2956)
BRYANSK = (53.2521, 34.3717)
MOSCOW = (55.7558, 37.6173)


def _offset(point: tuple[float, float], km_north: float) -> tuple[float, float]:
    """A point ``km_north`` kilometres due north of ``point``."""
    return point[0] + km_north / 111.195, point[1]


def gold_event(**fields: Any) -> GoldEvent:
    """A required day-precision gold event at Kursk airfield; override any field."""
    base = GoldEvent(
        date="2022-12-06",
        date_precision="day",
        place="Kursk airfield",
        admin1="Kursk Oblast",
        country="RU",
        lat=KURSK_AIRFIELD[0],
        lon=KURSK_AIRFIELD[1],
        weapon="drone",
        target_type="airbase",
        attacker="UA",
        outcome="hit",
        killed=None,
        injured=None,
        reported_by=("a Russian official",),
        evidence="A drone hit the airfield.",
        optional=False,
    )
    return replace(base, **fields)


def predicted(
    event_id: str,
    sources: list[str] | str = "a.txt",
    *,
    date: str | None = "2022-12-06",
    date_precision: str = "day",
    coords: tuple[float, float] | None = KURSK_AIRFIELD,
    country: str | None = "RU",
    name: str | None = "Kursk",
    weapon: str = "drone",
    target_type: str = "airbase",
    attacker: str = "UA",
    killed: dict[str, int | None] | None = None,
    injured: dict[str, int | None] | None = None,
    attributed_to: list[str] | None = None,
) -> dict[str, Any]:
    """An event in the export.md shape with one mention per source."""
    if isinstance(sources, str):
        sources = [sources]
    return {
        "id": event_id,
        "kind": "attack",
        "date": date,
        "date_precision": date_precision,
        "place": {
            "name": name,
            "admin1": None,
            "country": country,
            "lat": coords[0] if coords else None,
            "lon": coords[1] if coords else None,
            "precision": "settlement",
            "gazetteer_id": None,
        },
        "weapon": weapon,
        "target_type": target_type,
        "attacker": attacker,
        "outcome": "hit",
        "killed": killed,
        "injured": injured,
        "mentions": [
            {
                "article_id": f"art-{source}",
                "source": source,
                "outlet": None,
                "published": None,
                "sentence": "A drone hit the airfield.",
                "start": 0,
                "end": 25,
                "attributed_to": ["a Russian official"] if attributed_to is None else attributed_to,
                "certainty": "attributed",
            }
            for source in sources
        ],
        "claims": [],
        "disagreements": [],
    }


def article(name: str, *events: GoldEvent) -> GoldArticle:
    return GoldArticle(article=name, events=tuple(events), notes="")


# --- counts ---------------------------------------------------------------------------------


def test_perfect_match() -> None:
    report = evaluate([predicted("e1", "/data/a.txt")], [article("a.txt", gold_event())], None)
    assert (report.tp, report.fp, report.fn) == (1, 0, 0)
    assert report.precision == report.recall == report.f1 == 1.0
    for name in ("date", "place", "weapon", "target_type", "attacker", "reported_by"):
        assert report.attributes[name].accuracy == 1.0, name
    # killed/injured are null in the gold: not stated, so not scored.
    assert report.attributes["killed"].total == 0
    assert report.attributes["killed"].accuracy is None
    json.dumps(report.to_json())  # the report is plain JSON


def test_source_must_end_with_the_file_name() -> None:
    gold = [article("a.txt", gold_event())]
    # "/data/aa.txt" ends with "a.txt" but not with "/a.txt": it is another article.
    report = evaluate([predicted("e1", "/data/aa.txt")], gold, None)
    assert (report.tp, report.fp, report.fn) == (0, 0, 1)
    assert report.precision == 0.0  # nothing predicted but something missed
    assert report.recall == 0.0


def test_country_only_gold() -> None:
    gold = [article("a.txt", gold_event(place=None, admin1=None, country="UA", lat=None, lon=None))]
    # Any coordinates will do once the country agrees.
    ok = evaluate([predicted("e1", coords=(50.45, 30.52), country="UA")], gold, None)
    assert (ok.tp, ok.fp, ok.fn) == (1, 0, 0)
    wrong_country = evaluate([predicted("e1", country="RU")], gold, None)
    assert (wrong_country.tp, wrong_country.fp, wrong_country.fn) == (0, 1, 1)
    # The gold has only a country, so the prediction must state it.
    no_country = evaluate([predicted("e1", country=None)], gold, None)
    assert (no_country.tp, no_country.fp, no_country.fn) == (0, 1, 1)
    # Place is not scored without gold coordinates.
    assert ok.attributes["place"].total == 0


def test_countries_must_agree_even_when_close() -> None:
    gold = [article("a.txt", gold_event())]
    report = evaluate([predicted("e1", country="UA")], gold, None)
    assert (report.tp, report.fp, report.fn) == (0, 1, 1)
    # A prediction without a country is judged on distance alone.
    report = evaluate([predicted("e1", country=None)], gold, None)
    assert report.tp == 1


@pytest.mark.parametrize(
    ("place", "admin1", "km", "matches"),
    [
        ("Bryansk airport", "Bryansk Oblast", 50, True),
        ("Bryansk airport", "Bryansk Oblast", 150, False),
        ("Bryansk Oblast", "Bryansk Oblast", 150, True),
        ("Bryansk Oblast", "Bryansk Oblast", 260, False),
        ("Bryansk", "Bryansk", 150, True),  # place equal to admin1: a region
        (None, None, 150, True),  # only coordinates, no place name: a region
        ("Crimea", "Crimea", 150, True),
        ("Crimean Bridge", "Crimea", 150, False),  # a facility, despite the adjective
        ("Krasnodar Krai", "Krasnodar Krai", 200, True),
    ],
)
def test_region_tolerance(place: str | None, admin1: str | None, km: float, matches: bool) -> None:
    gold = [
        article("a.txt", gold_event(place=place, admin1=admin1, lat=BRYANSK[0], lon=BRYANSK[1]))
    ]
    report = evaluate([predicted("e1", coords=_offset(BRYANSK, km))], gold, None)
    assert report.tp == int(matches)
    assert report.fn == int(not matches)
    assert report.fp == int(not matches)


def test_predicted_without_coordinates_cannot_match_gold_with_coordinates() -> None:
    report = evaluate([predicted("e1", coords=None)], [article("a.txt", gold_event())], None)
    assert (report.tp, report.fp, report.fn) == (0, 1, 1)


def test_optional_gold_is_neither_rewarded_nor_penalised() -> None:
    optional = gold_event(
        place=None,
        admin1=None,
        lat=None,
        lon=None,
        date=None,
        date_precision="unknown",
        optional=True,
    )
    required = gold_event()
    gold = [article("a.txt", required, optional)]
    # Finding both: one TP, the prediction on the optional event counts neither way.
    both = evaluate(
        [predicted("e1"), predicted("e2", date=None, date_precision="unknown", coords=None)],
        gold,
        None,
    )
    assert (both.tp, both.fp, both.fn) == (1, 0, 0)
    assert both.precision == both.recall == 1.0
    assert [m.optional for m in both.articles[0].matches].count(True) == 1
    # Missing the optional event costs nothing either.
    one = evaluate([predicted("e1")], gold, None)
    assert (one.tp, one.fp, one.fn) == (1, 0, 0)
    # Attributes are scored over required pairs only.
    assert both.attributes["weapon"].total == 1


def test_false_positive_and_events_of_other_articles() -> None:
    gold = [article("a.txt", gold_event())]
    events = [
        predicted("e1"),
        predicted("e2", coords=MOSCOW, name="Moscow"),  # invented: a false positive
        predicted("e3", "b.txt", coords=MOSCOW),  # from an article without gold: ignored
    ]
    report = evaluate(events, gold, None)
    assert (report.tp, report.fp, report.fn) == (1, 1, 0)
    assert report.precision == 0.5
    assert report.recall == 1.0
    assert math.isclose(report.f1, 2 / 3)
    result = report.articles[0]
    assert result.false_positives == ["e2: Moscow [RU] 2022-12-06"]
    assert result.misses == []


def test_no_gold_and_no_predictions_is_perfect() -> None:
    report = evaluate([], [article("a.txt")], None)
    assert (report.precision, report.recall, report.f1) == (1.0, 1.0, 1.0)


def test_counts_are_pooled_over_articles() -> None:
    gold = [
        article("a.txt", gold_event()),
        article("b.txt", gold_event(), gold_event(place="Moscow", lat=MOSCOW[0], lon=MOSCOW[1])),
    ]
    events = [predicted("e1", "a.txt"), predicted("e2", "b.txt"), predicted("e3", "a.txt")]
    report = evaluate(events, gold, None)
    assert (report.tp, report.fp, report.fn) == (2, 1, 1)
    assert [(r.name, r.tp, r.fp, r.fn) for r in report.articles] == [
        ("a.txt", 1, 1, 0),
        ("b.txt", 1, 0, 1),
    ]


# --- assignment -----------------------------------------------------------------------------


def test_assignment_picks_least_total_date_difference() -> None:
    gold = [
        article(
            "a.txt",
            gold_event(date="2023-07-30", place="Moscow", lat=MOSCOW[0], lon=MOSCOW[1]),
            gold_event(date="2023-08-01", place="Moscow", lat=MOSCOW[0], lon=MOSCOW[1]),
        )
    ]
    # Listed in the "wrong" order so that taking the first compatible one would swap them.
    events = [
        predicted("late", date="2023-08-01", coords=MOSCOW),
        predicted("early", date="2023-07-30", coords=MOSCOW),
    ]
    report = evaluate(events, gold, None)
    assert report.tp == 2
    assert report.attributes["date"].accuracy == 1.0
    pairs = {(m.gold, m.predicted_id, m.date_diff_days) for m in report.articles[0].matches}
    assert pairs == {
        ("Moscow [RU] 2023-07-30", "early", 0),
        ("Moscow [RU] 2023-08-01", "late", 0),
    }


def test_unknown_date_costs_more_than_a_known_one() -> None:
    gold = [
        article(
            "a.txt",
            gold_event(date=None, date_precision="unknown"),
            gold_event(date="2022-12-06"),
        )
    ]
    events = [predicted("dated", date="2022-12-06"), predicted("undated", date=None)]
    report = evaluate(events, gold, None)
    assert report.tp == 2
    # The dated prediction went to the dated gold event, so its date is right.
    assert report.attributes["date"].correct == 1
    assert report.attributes["date"].total == 1


def test_assignment_maximises_matches_before_dates() -> None:
    far = _offset(KURSK_AIRFIELD, 40)
    gold = [
        article(
            "a.txt",
            gold_event(date="2022-12-06"),
            # 80 km north of the airfield: only a prediction near it is compatible.
            gold_event(date="2023-12-20", place="Town", lat=far[0] + 0.36, lon=far[1]),
        )
    ]
    events = [
        predicted("near", date="2022-12-06"),  # compatible with the first gold only
        # Compatible with both; pairing it with the first would cost far fewer days.
        predicted("between", date="2022-12-20", coords=far),
    ]
    report = evaluate(events, gold, None)
    assert (report.tp, report.fp, report.fn) == (2, 0, 0)


def test_distance_breaks_date_ties() -> None:
    north = _offset(KURSK_AIRFIELD, 30)
    gold = [
        article(
            "a.txt",
            gold_event(place="South"),
            gold_event(place="North", lat=north[0], lon=north[1]),
        )
    ]
    events = [predicted("n", coords=_offset(north, 2)), predicted("s", coords=KURSK_AIRFIELD)]
    report = evaluate(events, gold, None)
    assert report.attributes["place"].accuracy == 1.0
    assert {(m.gold.split()[0], m.predicted_id) for m in report.articles[0].matches} == {
        ("South", "s"),
        ("North", "n"),
    }


def test_assign_is_exact_where_greedy_fails() -> None:
    # Greedy row by row takes (0,0) then (1,1) for 101; the optimum is 2 + 1.
    assert _assign([[1, 2], [1, 100]]) == [(0, 1), (1, 0)]
    # Rectangular both ways, with an incompatible cell.
    assert _assign([[5, None, 1]]) == [(0, 2)]
    assert _assign([[None], [3], [2]]) == [(2, 0)]
    assert _assign([[None, None]]) == []
    assert _assign([]) == []


# --- attributes -----------------------------------------------------------------------------


def test_attribute_accuracy() -> None:
    gold = [
        article(
            "a.txt",
            # Month precision: "2024-03-01" stands for March 2024.
            gold_event(
                date="2024-03-01",
                date_precision="month",
                weapon="unknown",
                attacker="unknown",
                killed=0,
                injured=None,
                reported_by=("Russia's Defence Ministry",),
            ),
        ),
        article(
            "b.txt",
            gold_event(date="2024-03-05", killed=2, injured=3, reported_by=(), target_type="port"),
        ),
        article(
            "c.txt",
            gold_event(date="2024-05", date_precision="month", reported_by=()),
        ),
    ]
    events = [
        predicted(
            "a",
            "a.txt",
            date="2024-03-17",
            killed={"min": 0, "max": 0},
            attributed_to=["the ministry"],
            weapon="missile",
            attacker="RU",
        ),
        predicted(
            "b",
            "b.txt",
            date="2024-03",
            date_precision="month",
            coords=_offset(KURSK_AIRFIELD, 40),  # compatible (60 km), but not within 25 km
            killed=None,
            injured={"min": 3, "max": None},
            attributed_to=[],
        ),
        predicted("c", "c.txt", date="2024-05", date_precision="month", attributed_to=["TASS"]),
    ]
    report = evaluate(events, gold, None)
    assert report.tp == 3
    scores = {name: (s.correct, s.total) for name, s in report.attributes.items()}
    assert scores == {
        "date": (2, 3),  # b is "2024-03" against a gold day
        "place": (2, 3),
        "weapon": (2, 2),  # gold "unknown" is not scored
        "target_type": (2, 3),
        "attacker": (2, 2),
        "killed": (1, 2),  # a 0 == 0; b predicted null against 2
        "injured": (1, 1),
        "reported_by": (2, 3),  # "ministry" shared; [] vs []; [] vs ["TASS"] is wrong
    }
    assert report.attributes["date"].accuracy == pytest.approx(2 / 3)


def test_reported_by_uses_this_articles_mentions_only() -> None:
    gold = [article("a.txt", gold_event(reported_by=("The Kyiv Independent",)))]
    event = predicted("e1", ["a.txt", "b.txt"], attributed_to=["Ukrainian officials"])
    event["mentions"][1]["attributed_to"] = ["The Kyiv Independent"]
    report = evaluate([event], gold, None)
    assert report.attributes["reported_by"].correct == 0
    # Stop words alone do not count as shared ("the").
    event["mentions"][0]["attributed_to"] = ["the governor"]
    assert evaluate([event], gold, None).attributes["reported_by"].correct == 0
    event["mentions"][0]["attributed_to"] = ["Kyiv authorities"]
    assert evaluate([event], gold, None).attributes["reported_by"].correct == 1


# --- merging --------------------------------------------------------------------------------


def test_merge_scores_on_two_articles() -> None:
    gold = [article("a.txt", gold_event()), article("b.txt", gold_event())]
    merged = evaluate([predicted("e1", ["/x/a.txt", "/x/b.txt"])], gold, None)
    assert merged.tp == 2
    assert (merged.merge_recall, merged.merge_precision, merged.merge_pairs) == (1.0, 1.0, 1)

    split = evaluate([predicted("e1", "a.txt"), predicted("e2", "b.txt")], gold, None)
    assert split.tp == 2
    assert (split.merge_recall, split.merge_precision, split.merge_pairs) == (0.0, None, 1)


def test_merging_different_days_is_wrong() -> None:
    gold = [
        article("a.txt", gold_event(date="2023-07-30")),
        article("b.txt", gold_event(date="2023-08-01")),
    ]
    report = evaluate([predicted("e1", ["a.txt", "b.txt"], date="2023-07-31")], gold, None)
    assert report.tp == 2
    assert report.merge_pairs == 0
    assert report.merge_recall is None
    assert report.merge_precision == 0.0
    assert report.merge_predicted_pairs == 1


def test_no_merge_pairs_gives_none() -> None:
    report = evaluate([predicted("e1")], [article("a.txt", gold_event())], None)
    assert (report.merge_recall, report.merge_precision, report.merge_pairs) == (None, None, 0)


# --- gold files and article keys ------------------------------------------------------------


def _gold_line(events: list[dict[str, Any]], name: str = "001") -> str:
    return json.dumps({"article": name, "events": events, "notes": ""})


GOOD_EVENT: dict[str, Any] = {
    "date": "2023-05-03",
    "date_precision": None,  # as in the dev gold: inferred from the date
    "place": "Moscow Kremlin",
    "admin1": "Moscow",
    "country": "RU",
    "lat": 55.7517,
    "lon": 37.6178,
    "weapon": "drone",
    "target_type": "government",
    "attacker": "UA",
    "killed": None,
    "injured": None,
    "reported_by": ["Kremlin press service"],
    "evidence": "...",
}


def test_load_gold_reads_dev_style_lines(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(_gold_line([GOOD_EVENT]) + "\n\n" + _gold_line([], "002.txt") + "\n")
    gold = load_gold(path)
    assert [a.article for a in gold] == ["001", "002.txt"]
    event = gold[0].events[0]
    assert event.optional is False
    assert event.outcome is None
    assert event.date_precision == "day"
    assert event.reported_by == ("Kremlin press service",)


@pytest.mark.parametrize(
    ("bad_line", "needle"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "JSON object"),
        (json.dumps({"events": []}), "'article'"),
        (_gold_line([{**GOOD_EVENT, "weapon": "laser"}]), "'weapon'"),
        (_gold_line([{**GOOD_EVENT, "date": "3 May"}]), "'date'"),
        (_gold_line([{**GOOD_EVENT, "lon": None}]), "'lat' and 'lon'"),
        (_gold_line([{**GOOD_EVENT, "killed": "two"}]), "'killed'"),
        (_gold_line([{**GOOD_EVENT, "reported_by": "TASS"}]), "'reported_by'"),
        (_gold_line([GOOD_EVENT], "first"), "already annotated on line 1"),
    ],
)
def test_load_gold_errors_name_the_line(tmp_path: Path, bad_line: str, needle: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(_gold_line([GOOD_EVENT], "first") + "\n\n" + bad_line + "\n")
    with pytest.raises(GoldFormatError) as info:
        load_gold(path)
    assert f"{path}:3:" in str(info.value)
    assert needle in str(info.value)


def test_source_keys(tmp_path: Path) -> None:
    url = "https://example.com/news/drones"
    (tmp_path / "007.txt").write_text(f"---\nurl: {url}\noutlet: example.com\ndate: \n---\nText\n")
    # A captured title with ": " is not valid YAML; the url is still found.
    (tmp_path / "008.md").write_text("---\ntitle: Drones: a: b\nurl: https://x.org/a\n---\nText\n")
    (tmp_path / "plain.txt").write_text("No front matter.\n")

    assert source_keys("007", tmp_path) == ("007.txt", url)
    assert source_keys("007.txt", tmp_path) == ("007.txt", url)
    assert source_keys("008", tmp_path) == ("008.md", "https://x.org/a")
    assert source_keys("plain.txt", tmp_path) == ("plain.txt",)
    assert source_keys("missing", tmp_path) == ("missing",)
    assert source_keys("007", None) == ("007", "007.txt", "007.md", "007.html")
    assert source_keys("007.txt", None) == ("007.txt",)

    # A prediction whose mention carries the url belongs to the article.
    gold = [article("007", gold_event())]
    report = evaluate([predicted("e1", url)], gold, tmp_path)
    assert report.tp == 1
    report = evaluate([predicted("e1", str(tmp_path / "007.txt"))], gold, tmp_path)
    assert report.tp == 1


# --- the shared gold files scored against themselves ----------------------------------------


def _same_gold_place_and_day(a: GoldEvent, b: GoldEvent) -> bool:
    if a.date_precision != "day" or b.date_precision != "day" or a.date != b.date:
        return False
    if None in (a.lat, a.lon, b.lat, b.lon):
        return False
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= 25


def gold_to_predictions(gold: list[GoldArticle], articles_dir: Path | None) -> list[dict[str, Any]]:
    """Gold events as export dicts: one event per gold event, merged across articles.

    Gold events of different articles on the same day within 25 km become one predicted event
    with a mention in each article (never two of the same article in one event).
    """
    groups: list[list[tuple[str, GoldEvent]]] = []
    for gold_article in gold:
        source = source_keys(gold_article.article, articles_dir)[0]
        for event in gold_article.events:
            for group in groups:
                if all(src != source for src, _ in group) and any(
                    _same_gold_place_and_day(event, other) for _, other in group
                ):
                    group.append((source, event))
                    break
            else:
                groups.append([(source, event)])

    events: list[dict[str, Any]] = []
    for number, group in enumerate(groups):
        first = group[0][1]
        precision = first.date_precision
        date = first.date
        if date is not None and precision in ("month", "year"):
            date = date[: 7 if precision == "month" else 4]
        count = {"min": first.killed, "max": first.killed} if first.killed is not None else None
        hurt = {"min": first.injured, "max": first.injured} if first.injured is not None else None
        events.append(
            {
                "id": f"gold-{number}",
                "kind": "attack",
                "date": date,
                "date_precision": precision,
                "place": {
                    "name": first.place,
                    "admin1": first.admin1,
                    "country": first.country,
                    "lat": first.lat,
                    "lon": first.lon,
                    "precision": "unknown",
                    "gazetteer_id": None,
                },
                "weapon": first.weapon or "unknown",
                "target_type": first.target_type or "other",
                "attacker": first.attacker or "unknown",
                "outcome": first.outcome or "unknown",
                "killed": count,
                "injured": hurt,
                "mentions": [
                    {
                        "article_id": source,
                        "source": source,
                        "outlet": None,
                        "published": None,
                        "sentence": event.evidence or "",
                        "start": 0,
                        "end": 0,
                        "attributed_to": list(event.reported_by or ()),
                        "certainty": "attributed" if event.reported_by else "asserted",
                    }
                    for source, event in group
                ],
                "claims": [],
                "disagreements": [],
            }
        )
    return events


@pytest.mark.parametrize(
    ("gold_file", "articles"),
    [("seeds/gold.jsonl", "seeds"), ("dev/gold.jsonl", "dev/articles")],
)
def test_shared_gold_scores_perfectly_against_itself(gold_file: str, articles: str) -> None:
    path = SHARED / gold_file
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared gold files are not checked out here")
    articles_dir = SHARED / articles
    gold = load_gold(path)
    assert gold and all(isinstance(a, GoldArticle) for a in gold)

    events = gold_to_predictions(gold, articles_dir)
    report = evaluate(events, gold, articles_dir)
    assert (report.fp, report.fn) == (0, 0), report.to_json()
    assert report.tp == sum(not e.optional for a in gold for e in a.events)
    assert report.precision == report.recall == report.f1 == 1.0
    if report.merge_pairs:
        assert report.merge_recall == 1.0
        assert report.merge_precision == 1.0
    # Shared by merged events, so exact even where a merged event keeps one article's values.
    for name in ("date", "place", "reported_by"):
        assert report.attributes[name].accuracy in (1.0, None), name
    json.dumps(report.to_json())


def test_seed_gold_has_a_merge_pair() -> None:
    path = SHARED / "seeds" / "gold.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared gold files are not checked out here")
    gold = load_gold(path)
    # Without an articles directory the seed names (with suffix) are the keys.
    report = evaluate(gold_to_predictions(gold, None), gold, None)
    assert report.merge_pairs >= 1  # the Kursk airfield strike of 2022-12-06 in two articles
    assert report.merge_recall == 1.0
    assert (report.precision, report.recall) == (1.0, 1.0)
