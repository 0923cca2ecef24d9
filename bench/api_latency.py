"""Latency of the web API and pages (``foglight serve``) on a synthetic ledger.

    python bench/api_latency.py --events 10000 --json
    python bench/api_latency.py --db /tmp/api.db --events 10000 --requests 200
    python bench/api_latency.py --db /tmp/api.db --events 2000 --build-only

1. Builds a SQLite database of about N attacks (``--events``) by writing synthetic articles
   and their events through ``Store.save_article``, so claims and cross-article merging are
   the real ones. Places are a few thousand invented towns in Ukraine and Russia; each article
   of one of a dozen invented outlets reports one to three attacks in template sentences whose
   offsets index its text; about a third of the attacks are reported by two or three articles
   (same place, same day, same weapon and target, so they merge), some with differing killed
   figures (so the event is disputed). With ``--db PATH`` an existing database that has events
   is reused as it is; without ``--db`` the database lives in a temporary folder.
2. Starts ``foglight serve --db FILE --port N`` as a subprocess on a free loopback port, waits
   until it answers, and stops it at the end.
3. Sends a fixed, seeded mix of GET requests to each endpoint over one keep-alive httpx client
   (after a few warm-up requests), checks each answer is 200, and prints JSON: the ledger's
   size, the build time, and per endpoint n, p50/p95/p99/max milliseconds and failures, plus
   the p95 over all ``/api/...`` requests.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from foglight.merge import events_from_article
from foglight.models import (
    Article,
    Certainty,
    Count,
    Event,
    EventDate,
    Mention,
    Outcome,
    Place,
    PlacePrecision,
    TargetType,
    Weapon,
    article_id_for,
)
from foglight.store import Store

OUTLETS = [f"outlet{i}.example" for i in range(1, 13)]
START = date(2024, 1, 1)
DAYS = 730

# Weapon: (share of attacks, plural phrase). Sea drones and aircraft are rare.
WEAPONS: dict[Weapon, tuple[float, str]] = {
    Weapon.DRONE: (0.5, "drones"),
    Weapon.MISSILE: (0.25, "missiles"),
    Weapon.ARTILLERY: (0.15, "artillery shells"),
    Weapon.SEA_DRONE: (0.04, "sea drones"),
    Weapon.AIRCRAFT: (0.06, "aircraft"),
}
TARGETS: dict[TargetType, str] = {
    TargetType.AIRBASE: "an air base",
    TargetType.OIL_FACILITY: "an oil depot",
    TargetType.RESIDENTIAL: "a residential building",
    TargetType.PORT: "the port",
    TargetType.BRIDGE: "a bridge",
    TargetType.GOVERNMENT: "an administration building",
    TargetType.MILITARY_OTHER: "a military unit",
    TargetType.INFRASTRUCTURE: "a power substation",
}
SOURCES = [
    "regional officials",
    "the governor",
    "the defence ministry",
    "the air force",
    "emergency services",
    "local media",
]
FILLERS = [
    "Emergency crews worked at the scene through the night.",
    "Photos shared online showed a column of black smoke.",
    "The claim could not be independently verified.",
    "Residents reported several loud explosions before dawn.",
    "Air raid sirens sounded across the region for two hours.",
    "Schools in the area were closed for the day.",
    "Power was restored to most homes by the evening.",
    "Neither side commented on the damage.",
]
SEARCH_WORDS = ["drones", "depot", "smoke", "sirens", "bridge", "substation", "governor"]

_ONSETS = ["Bel", "Vol", "Kra", "Mir", "Nov", "Pol", "Sos", "Ter", "Zol", "Dob",
           "Lys", "Hor", "Cher", "Kam", "Ros", "Step", "Yar", "Ozer", "Bor", "Lug"]
_VOWELS = ["o", "a", "e", "i", "y"]
_MIDDLES = ["r", "l", "n", "v", "d", "sh", "k", "m"]
_ENDINGS = ["grad", "pil", "ivka", "ne", "sk", "ove", "yne", "ets", "ino", "ovo", "ka", "ichi"]


@dataclass(frozen=True)
class Attack:
    number: int
    place: Place
    day: date
    weapon: Weapon
    target: TargetType
    outcome: Outcome
    killed: Count | None
    injured: Count | None


@dataclass(frozen=True)
class Report:
    attack: Attack
    published: date
    killed: Count | None
    source: str | None  # who the sentence attributes the report to, if anyone
    hedged: bool


def _names(rng: random.Random, n: int) -> list[str]:
    pool = [o + v + m + e for o in _ONSETS for v in _VOWELS for m in _MIDDLES for e in _ENDINGS]
    return rng.sample(pool, n)


def synthetic_places(rng: random.Random, n: int) -> list[Place]:
    """``n`` towns, half in Ukraine and half in western Russia, in 24 regions per country."""
    names = _names(rng, n + 48)
    regions = {"UA": names[n : n + 24], "RU": names[n + 24 :]}
    places = []
    for i, name in enumerate(names[:n]):
        country = "UA" if i % 2 else "RU"
        if country == "UA":
            lat, lon = 45.0 + rng.random() * 7.0, 23.0 + rng.random() * 17.0
        else:
            lat, lon = 45.0 + rng.random() * 13.0, 33.0 + rng.random() * 17.0
        places.append(
            Place(name, f"{rng.choice(regions[country])} Oblast", country, round(lat, 4),
                  round(lon, 4), PlacePrecision.SETTLEMENT, f"synthetic:{i}")
        )
    return places


def synthetic_reports(n_attacks: int, seed: int) -> list[Report]:
    """Reports of ``n_attacks`` attacks, in order of publication."""
    rng = random.Random(seed)
    places = synthetic_places(rng, 3000)
    weapons = list(WEAPONS)
    shares = [WEAPONS[w][0] for w in weapons]
    reports: list[Report] = []
    for number in range(n_attacks):
        killed: Count | None = None
        roll = rng.random()
        if roll < 0.35:
            killed = Count(rng.randint(1, 12), None)
        elif roll < 0.5:
            killed = Count(0, 0)
        injured = Count(rng.randint(1, 30), None) if rng.random() < 0.5 else None
        n_reports = 1 if rng.random() < 2 / 3 else rng.choice([2, 3])
        disputed = n_reports > 1 and rng.random() < 0.4
        if disputed and (killed is None or killed.min == 0):
            killed = Count(rng.randint(1, 12), None)
        attack = Attack(
            number=number,
            place=rng.choice(places),
            day=START + timedelta(days=rng.randrange(DAYS)),
            weapon=rng.choices(weapons, shares)[0],
            target=rng.choice(list(TARGETS)),
            outcome=Outcome.HIT if rng.random() < 0.8 else Outcome.INTERCEPTED,
            killed=killed,
            injured=injured,
        )
        for k in range(n_reports):
            stated = killed
            if disputed and k > 0 and killed is not None:
                stated = Count(killed.min + rng.randint(1, 5), None)
            reports.append(
                Report(
                    attack=attack,
                    published=attack.day + timedelta(days=k + rng.randrange(2)),
                    killed=stated,
                    source=rng.choice(SOURCES) if rng.random() < 0.7 else None,
                    hedged=rng.random() < 0.1,
                )
            )
    order = list(range(len(reports)))
    rng.shuffle(order)  # random order among reports published on one day
    return [reports[i] for i in sorted(order, key=lambda i: reports[i].published)]


def _sentence(report: Report) -> tuple[str, tuple[str, ...]]:
    """The sentence reporting one attack, and the hedges it uses."""
    a = report.attack
    side = "Ukrainian" if a.place.country == "RU" else "Russian"
    weapon = f"{side} {WEAPONS[a.weapon][1]}"
    hedge = " reportedly" if report.hedged else ""
    when = f"{a.day.day} {a.day.strftime('%B %Y')}"
    if a.outcome is Outcome.HIT:
        text = f"{weapon}{hedge} struck {TARGETS[a.target]} in {a.place.name} on {when}"
    else:
        text = (f"{weapon} aimed at {TARGETS[a.target]} in {a.place.name} were{hedge} "
                f"shot down on {when}")
    harm = []
    if report.killed is not None and report.killed.min > 0:
        harm.append(f"killing {report.killed.min} people")
    if a.injured is not None:
        harm.append(f"injuring {a.injured.min}" if harm else f"injuring {a.injured.min} people")
    if harm:
        text += ", " + " and ".join(harm)
    elif report.killed is not None:
        text += ", causing no casualties"
    if report.source:
        text += f", {report.source} said"
    return text[0].upper() + text[1:] + ".", ("reportedly",) if report.hedged else ()


def make_article(
    number: int, reports: list[Report], rng: random.Random
) -> tuple[Article, list[Event]]:
    """One article reporting ``reports`` (distinct attacks), with its events."""
    outlet = rng.choice(OUTLETS)
    pieces: list[str] = []
    length = 0
    spans: list[tuple[Report, str, int, tuple[str, ...]]] = []

    def add(piece: str) -> int:
        nonlocal length
        start = length + (1 if pieces else 0)
        pieces.append(piece)
        length = start + len(piece)
        return start

    for report in reports:
        sentence, hedges = _sentence(report)
        spans.append((report, sentence, add(sentence), hedges))
        for filler in rng.sample(FILLERS, rng.randint(1, 3)):
            add(filler)
    add(f"Reporting by the {outlet} desk, item {number}.")
    text = " ".join(pieces)
    article_id = article_id_for(text)
    first = reports[0].attack
    article = Article(
        id=article_id,
        text=text,
        source=f"https://{outlet}/news/{number}",
        url=f"https://{outlet}/news/{number}",
        title=f"{WEAPONS[first.weapon][1].capitalize()} attack on {first.place.name}",
        published=max(r.published for r in reports),
        published_from="meta",
        outlet=outlet,
    )
    mentions = []
    for report, sentence, start, hedges in spans:
        assert text[start : start + len(sentence)] == sentence
        a = report.attack
        attributed = (report.source,) if report.source else ()
        certainty = Certainty.ATTRIBUTED if attributed else Certainty.ASSERTED
        mentions.append(
            Mention(
                article_id=article_id,
                sentence=sentence,
                start=start,
                end=start + len(sentence),
                place=a.place,
                date=EventDate.day(a.day),
                date_basis="attack",
                weapon=a.weapon,
                target_type=a.target,
                attacker="UA" if a.place.country == "RU" else "RU",
                outcome=a.outcome,
                killed=report.killed,
                injured=a.injured,
                attributed_to=attributed,
                certainty=Certainty.HEDGED if hedges else certainty,
                hedges=hedges,
            )
        )
    return article, events_from_article(mentions)


def group_into_articles(reports: list[Report], rng: random.Random) -> list[list[Report]]:
    """Consecutive reports, one to three per article; an article never holds two reports of
    one attack, nor two attacks at one place on one day (it would make them one event)."""
    groups: list[list[Report]] = []
    current: list[Report] = []
    size = rng.randint(1, 3)
    for report in reports:
        a = report.attack
        clash = any(
            r.attack.number == a.number or (r.attack.place == a.place and r.attack.day == a.day)
            for r in current
        )
        if current and (clash or len(current) >= size):
            groups.append(current)
            current, size = [], rng.randint(1, 3)
        current.append(report)
    if current:
        groups.append(current)
    return groups


def build_database(db: str, n_events: int, seed: int, log: Callable[[str], None]) -> float:
    """Write the synthetic ledger into ``db``; returns the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed + 1)
    groups = group_into_articles(synthetic_reports(n_events, seed), rng)
    log(f"generated {n_events} attacks in {len(groups)} articles "
        f"({time.perf_counter() - started:.1f} s); writing {db}")
    store = Store(db)
    try:
        for number, group in enumerate(groups, 1):
            article, events = make_article(number, group, rng)
            store.save_article(article, events)
            if number % 500 == 0 or number == len(groups):
                elapsed = time.perf_counter() - started
                log(f"  {number}/{len(groups)} articles, {elapsed:.1f} s "
                    f"({number / elapsed:.0f} articles/s)")
    finally:
        store.close()
    return time.perf_counter() - started


def ledger_stats(db: str) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        return {
            "events": one("SELECT count(*) FROM events"),
            "articles": one("SELECT count(*) FROM articles"),
            "mentions": one("SELECT count(*) FROM mentions"),
            "claims": one("SELECT count(*) FROM claims"),
            "multi_article_events": one(
                "SELECT count(*) FROM (SELECT event_id FROM mentions GROUP BY event_id "
                "HAVING count(DISTINCT article_id) > 1)"
            ),
            "disputed_killed_events": one(
                "SELECT count(*) FROM (SELECT event_id FROM claims WHERE field = 'killed' "
                "GROUP BY event_id HAVING count(DISTINCT value) > 1)"
            ),
        }
    finally:
        conn.close()


def has_events(db: str) -> bool:
    if not Path(db).is_file():
        return False
    try:
        return ledger_stats(db)["events"] > 0
    except sqlite3.Error:
        return False


# -- the server ------------------------------------------------------------------------------


def serve_command(db: str, port: int) -> list[str]:
    """``python -m foglight.cli serve``, or the console script when the module has no
    ``__main__`` block."""
    args = ["serve", "--db", db, "--port", str(port)]
    spec = importlib.util.find_spec("foglight.cli")
    origin = spec.origin if spec else None
    if origin and '__name__ == "__main__"' in Path(origin).read_text(encoding="utf-8"):
        return [sys.executable, "-m", "foglight.cli", *args]
    script = Path(sys.executable).with_name("foglight")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from foglight.cli import main; main()", *args]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(
    client: httpx.Client, proc: subprocess.Popen[bytes], timeout: float, log_path: Path
) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(
                f"server exited with status {proc.returncode} before answering:\n"
                + _tail(log_path)
            )
        try:
            if client.get("/api/events", params={"limit": 1}).status_code < 500:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server did not answer within {timeout:.0f} s:\n" + _tail(log_path))


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# -- the requests ----------------------------------------------------------------------------

Request = tuple[str, dict[str, Any]]


def request_plan(db: str, n: int, n_heavy: int, seed: int) -> dict[str, list[Request]]:
    """For each endpoint class, a fixed list of (path, query parameters) drawn with ``seed``
    from what the ledger holds."""
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        event_ids = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY id")]
        article_ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
        outlets = [r[0] for r in conn.execute(
            "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")]
        weapons = [r[0] for r in conn.execute("SELECT DISTINCT weapon FROM events ORDER BY 1")]
        towns = [r[0] for r in conn.execute(
            "SELECT DISTINCT place_name FROM events WHERE place_name IS NOT NULL ORDER BY 1")]
        first, last = conn.execute(
            "SELECT min(date), max(date) FROM events WHERE date_precision = 'day'").fetchone()
    finally:
        conn.close()
    low = date.fromisoformat(first or START.isoformat())
    span = max((date.fromisoformat(last or first or START.isoformat()) - low).days, 1)

    def window() -> dict[str, Any]:
        since = low + timedelta(days=rng.randrange(span))
        until = since + timedelta(days=rng.randint(7, 90))
        return {"since": since.isoformat(), "until": until.isoformat()}

    def deep() -> int:
        return rng.randrange(len(event_ids) // 2, max(len(event_ids) - 50, len(event_ids) // 2 + 1))

    def article_list() -> dict[str, Any]:
        roll = rng.random()
        if roll < 0.4:
            return {}
        if roll < 0.7:
            return {"outlet": rng.choice(outlets)}
        return {"offset": rng.randrange(max(len(article_ids) - 50, 1))}

    def word() -> str:
        return rng.choice(towns) if rng.random() < 0.6 else rng.choice(SEARCH_WORDS)

    def times(count: int, make: Callable[[], Request]) -> list[Request]:
        return [make() for _ in range(count)]

    return {
        "/api/events": times(n, lambda: ("/api/events", {})),
        "/api/events?country": times(
            n, lambda: ("/api/events", {"country": rng.choice(["UA", "RU"])})),
        "/api/events?weapon&since&until": times(
            n, lambda: ("/api/events", {"weapon": rng.choice(weapons), **window()})),
        "/api/events?disputed": times(n, lambda: ("/api/events", {"disputed": "true"})),
        "/api/events?offset (deep)": times(
            n, lambda: ("/api/events", {"offset": deep(), "limit": 100})),
        "/api/events/{id}": times(n, lambda: (f"/api/events/{rng.choice(event_ids)}", {})),
        "/api/articles": times(n, lambda: ("/api/articles", article_list())),
        "/api/articles/{id}": times(
            n, lambda: (f"/api/articles/{rng.choice(article_ids)}", {})),
        "/api/events/{id}/accounts": times(
            n, lambda: (f"/api/events/{rng.choice(event_ids)}/accounts", {})),
        "/api/outlets": times(n_heavy, lambda: ("/api/outlets", {})),
        "/api/search?q": times(n, lambda: ("/api/search", {"q": word()})),
        "/": times(n_heavy, lambda: ("/", {})),
        "/events/{id}": times(n, lambda: (f"/events/{rng.choice(event_ids)}", {})),
        "/articles": times(n_heavy, lambda: ("/articles", {})),
        "/articles/{id}": times(n, lambda: (f"/articles/{rng.choice(article_ids)}", {})),
        "/outlets": times(n_heavy, lambda: ("/outlets", {})),
        "/search?q": times(n, lambda: ("/search", {"q": word()})),
    }


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between the closest ranks, as numpy's default."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary(times_ms: list[float], failures: int) -> dict[str, Any]:
    return {
        "n": len(times_ms),
        "p50_ms": round(percentile(times_ms, 0.50), 2),
        "p95_ms": round(percentile(times_ms, 0.95), 2),
        "p99_ms": round(percentile(times_ms, 0.99), 2),
        "max_ms": round(max(times_ms), 2) if times_ms else None,
        "failures": failures,
    }


def measure(
    client: httpx.Client, plan: dict[str, list[Request]], warmup: int, log: Callable[[str], None]
) -> tuple[dict[str, dict[str, Any]], list[float]]:
    results: dict[str, dict[str, Any]] = {}
    api_times: list[float] = []
    for name, requests in plan.items():
        for path, params in requests[:warmup]:
            with contextlib.suppress(httpx.HTTPError):
                client.get(path, params=params)
        times_ms: list[float] = []
        failures = 0
        examples: list[str] = []
        for path, params in requests:
            started = time.perf_counter()
            try:
                response = client.get(path, params=params)
                status = str(response.status_code)
            except httpx.HTTPError as exc:
                status = exc.__class__.__name__
            elapsed = (time.perf_counter() - started) * 1000
            times_ms.append(elapsed)
            if status != "200":
                failures += 1
                if len(examples) < 3:
                    examples.append(f"{status} {path} {params}")
        results[name] = summary(times_ms, failures)
        if examples:
            results[name]["failure_examples"] = examples
        if name.startswith("/api/"):
            api_times.extend(times_ms)
        r = results[name]
        log(f"  {name:32s} n={r['n']:4d} p50={r['p50_ms']:8.1f} p95={r['p95_ms']:8.1f} "
            f"max={r['max_ms']:8.1f} ms  failures={failures}")
    return results, api_times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database to build, or to reuse when it has events")
    parser.add_argument("--events", type=int, default=10_000, help="synthetic attacks")
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    parser.add_argument("--heavy-requests", type=int, default=20,
                        help="requests for /, /api/outlets, /articles and /outlets")
    parser.add_argument("--warmup", type=int, default=3, help="uncounted requests per endpoint")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--startup-timeout", type=float, default=90.0)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    parser.add_argument("--only", help="regular expression: run only matching endpoints")
    parser.add_argument("--build-only", action="store_true", help="build the database and stop")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    tmpdir: Path | None = None
    if args.db:
        db = str(Path(args.db).expanduser().resolve())
    else:
        tmpdir = Path(tempfile.mkdtemp(prefix="foglight-api-bench-"))
        db = str(tmpdir / "bench.db")
    try:
        reused = has_events(db)
        build_seconds = None
        if reused:
            log(f"reusing {db}")
        else:
            build_seconds = round(build_database(db, args.events, args.seed, log), 2)
            log(f"built {db} in {build_seconds} s")
        result: dict[str, Any] = {
            "db": db,
            "reused": reused,
            **ledger_stats(db),
            "build_seconds": build_seconds,
        }
        if not args.build_only:
            try:
                result |= run_server_benchmark(db, args, log)
            except RuntimeError as exc:
                sys.exit(f"api_latency: {exc}")
        result["python"] = sys.version.split()[0]
    finally:
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        if key != "endpoints":
            print(f"{key:24s} {value}")
    print(f"\n{'endpoint':32s} {'n':>5s} {'p50':>9s} {'p95':>9s} {'p99':>9s} {'max':>9s} fail")
    for name, r in result.get("endpoints", {}).items():
        print(f"{name:32s} {r['n']:5d} {r['p50_ms']:9.1f} {r['p95_ms']:9.1f} "
              f"{r['p99_ms']:9.1f} {r['max_ms']:9.1f} {r['failures']:4d}")


def run_server_benchmark(
    db: str, args: argparse.Namespace, log: Callable[[str], None]
) -> dict[str, Any]:
    port = free_port()
    command = serve_command(db, port)
    log_path = Path(tempfile.mkstemp(prefix="foglight-serve-", suffix=".log")[1])
    log(f"starting: {' '.join(command)}")
    with log_path.open("wb") as server_log:
        proc = subprocess.Popen(command, stdout=server_log, stderr=subprocess.STDOUT)
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", timeout=args.timeout, trust_env=False
        ) as client:
            startup = wait_until_up(client, proc, args.startup_timeout, log_path)
            log(f"server answered after {startup:.1f} s")
            plan = request_plan(db, args.requests, args.heavy_requests, args.seed)
            if args.only:
                plan = {k: v for k, v in plan.items() if re.search(args.only, k)}
            started = time.perf_counter()
            endpoints, api_times = measure(client, plan, args.warmup, log)
            seconds = time.perf_counter() - started
            if proc.poll() is not None:
                log(f"server died during the run (status {proc.returncode}):\n"
                    + _tail(log_path))
    except BaseException:
        stop(proc)
        log(f"server log kept in {log_path}")
        raise
    stop(proc)
    failures = sum(r["failures"] for r in endpoints.values())
    if failures:
        log(f"{failures} failed requests; server log kept in {log_path}")
    else:
        log_path.unlink(missing_ok=True)
    return {
        "server_start_seconds": round(startup, 2),
        "requests_seconds": round(seconds, 1),
        "api_requests": len(api_times),
        "api_p95_ms": round(percentile(api_times, 0.95), 2),
        "api_failures": sum(r["failures"] for n, r in endpoints.items() if n.startswith("/api/")),
        "failures": failures,
        "server_log": str(log_path) if failures else None,
        "endpoints": endpoints,
    }


if __name__ == "__main__":
    main()
