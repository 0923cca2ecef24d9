"""Time merging N synthetic mentions into a ledger (foglight.merge.LedgerIndex).

Each synthetic attack has a place (one of a few thousand points in two countries), a day
(over two years), a weapon and a target; it is reported by one to five outlets, some of which
leave the date or the weapon unknown. Every report becomes a one-mention event and is added
to the ledger as ingest would add it. Prints JSON: time, throughput, peak memory, and pairwise
merge precision and recall against the synthetic truth.

    python bench/merge.py --mentions 100000 --json
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from itertools import combinations

from foglight.merge import LedgerIndex, build_event
from foglight.models import (
    UNKNOWN_DATE,
    Certainty,
    EventDate,
    Mention,
    Outcome,
    Place,
    PlacePrecision,
    TargetType,
    Weapon,
)

WEAPONS = [Weapon.DRONE, Weapon.MISSILE, Weapon.ARTILLERY]
TARGETS = [TargetType.AIRBASE, TargetType.OIL_FACILITY, TargetType.RESIDENTIAL]


def synthetic_reports(n: int, seed: int) -> list[tuple[int, Mention, date]]:
    """(attack number, mention, publication date) triples, in random order, n in all."""
    rng = random.Random(seed)
    places = [
        Place(f"Town {i}", f"Region {i % 40}", "RU" if i % 2 else "UA",
              44 + rng.random() * 12, 30 + rng.random() * 18, PlacePrecision.SETTLEMENT,
              f"synthetic:{i}")
        for i in range(3000)
    ]
    start = date(2024, 1, 1)
    reports: list[tuple[int, Mention, date]] = []
    attack = 0
    while len(reports) < n:
        place = rng.choice(places)
        day = start + timedelta(days=rng.randrange(730))
        weapon = rng.choice(WEAPONS)
        target = rng.choice(TARGETS)
        for outlet in range(rng.randint(1, 5)):
            article = f"a{attack}-{outlet}"
            undated = rng.random() < 0.05
            mention = Mention(
                article_id=article,
                sentence=f"Report {outlet} of attack {attack}.",
                start=0,
                end=20,
                place=place,
                date=UNKNOWN_DATE if undated else EventDate.day(day),
                date_basis="none" if undated else "attack",
                weapon=Weapon.UNKNOWN if rng.random() < 0.2 else weapon,
                target_type=target,
                attacker="UA" if place.country == "RU" else "RU",
                outcome=Outcome.HIT,
                killed=None,
                injured=None,
                attributed_to=(),
                certainty=Certainty.ASSERTED,
            )
            reports.append((attack, mention, day + timedelta(days=rng.randrange(3))))
        attack += 1
    rng.shuffle(reports)
    return reports[:n]


def pairwise(truth: dict[str, int], merged: dict[str, str]) -> tuple[float, float]:
    """Pairwise precision and recall of the merge over mentions (by article id)."""
    by_attack: dict[int, list[str]] = defaultdict(list)
    by_event: dict[str, list[str]] = defaultdict(list)
    for article, attack in truth.items():
        by_attack[attack].append(article)
        by_event[merged[article]].append(article)
    true_pairs = {frozenset(p) for group in by_attack.values() for p in combinations(group, 2)}
    found_pairs = {frozenset(p) for group in by_event.values() for p in combinations(group, 2)}
    hit = len(true_pairs & found_pairs)
    precision = hit / len(found_pairs) if found_pairs else 1.0
    recall = hit / len(true_pairs) if true_pairs else 1.0
    return precision, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()

    reports = synthetic_reports(args.mentions, args.seed)
    ledger = LedgerIndex()
    owner: dict[str, str] = {}
    started = time.perf_counter()
    for _, mention, published in reports:
        event = ledger.add(build_event([mention]), published={mention.article_id: published})
        for m in event.mentions:
            owner[m.article_id] = event.id
    seconds = time.perf_counter() - started
    truth = {m.article_id: attack for attack, m, _ in reports}
    precision, recall = pairwise(truth, owner)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "mentions": len(reports),
        "attacks": len(set(truth.values())),
        "events": len(ledger),
        "seconds": round(seconds, 2),
        "mentions_per_s": round(len(reports) / seconds),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "pairwise_precision": round(precision, 4),
        "pairwise_recall": round(recall, 4),
        "python": sys.version.split()[0],
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['mentions']} mentions -> {result['events']} events in "
              f"{result['seconds']} s ({result['mentions_per_s']}/s), peak RSS "
              f"{result['peak_rss_mb']} MB, pairwise P {precision:.3f} R {recall:.3f}")


if __name__ == "__main__":
    main()
