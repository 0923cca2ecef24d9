"""Peak memory of ingesting a synthetic corpus: does it grow with the corpus?

    python bench/memory.py --sizes 1000 20000 --json

For each size N, writes N synthetic articles (from templates of our own: an attack report
with a place, weapon, target, date and figures, among varied filler paragraphs) to a temporary
folder, then ingests them in a fresh process (`foglight.pipeline.ingest` into a SQLite file)
and reports that process's peak resident memory, its memory once the spaCy pipeline and the
gazetteer are loaded (the baseline), the growth above the baseline, and the time. Every
article is analysed (``fold_copies=False``): template texts resemble each other, and the
point is the memory of analysis, not of copy detection. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PLACES = [
    ("Belgorod", "RU"), ("Kursk", "RU"), ("Bryansk", "RU"), ("Voronezh", "RU"),
    ("Novorossiysk", "RU"), ("Tuapse", "RU"), ("Engels", "RU"), ("Ryazan", "RU"),
    ("Kharkiv", "UA"), ("Odesa", "UA"), ("Dnipro", "UA"), ("Zaporizhzhia", "UA"),
    ("Kherson", "UA"), ("Sumy", "UA"), ("Mykolaiv", "UA"), ("Kyiv", "UA"),
]  # fmt: skip
WEAPONS = ["drones", "a missile", "two cruise missiles", "artillery shells", "sea drones",
           "a glide bomb", "several attack drones"]
TARGETS = ["an oil depot", "a power substation", "an apartment block", "a railway bridge",
           "a military airfield", "a grain terminal", "the port", "an ammunition store"]
VERBS = ["struck", "hit", "attacked", "targeted", "damaged"]
SOURCES = ["the regional governor said", "officials said", "the defence ministry said",
           "local media reported", "emergency services said"]
FILLERS = [
    "Residents described a series of loud explosions shortly before dawn.",
    "Firefighters worked for several hours to bring the blaze under control.",
    "Traffic on the main road out of the city was diverted while crews cleared debris.",
    "Schools in the district switched to remote lessons for the rest of the week.",
    "The city council said it would publish a list of damaged buildings.",
    "Air raid sirens sounded across the region for more than two hours.",
    "Power was restored to most homes by the evening, the utility company said.",
    "Footage shared online showed a column of dark smoke over the industrial zone.",
    "Officials urged people to stay away from windows during alerts.",
    "Volunteers handed out water and blankets at a temporary shelter.",
    "The local hospital said it had enough supplies to treat the wounded.",
    "Insurance assessors were expected to visit the site later in the day.",
]
OUTLETS = [f"bulletin{i}.example" for i in range(12)]


def article(k: int, rng: random.Random) -> str:
    place, _country = rng.choice(PLACES)
    day = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
    published = day + timedelta(days=rng.randint(0, 2))
    killed, injured = rng.randint(0, 6), rng.randint(0, 20)
    lead = (f"{rng.choice(WEAPONS).capitalize()} {rng.choice(VERBS)} {rng.choice(TARGETS)} in "
            f"{place} on {day:%d %B %Y}, {rng.choice(SOURCES)}.")
    figures = (f"{killed} people were killed and {injured} injured, according to the "
               f"emergency services." if killed else
               f"No one was killed; {injured} people were treated for injuries.")
    filler = rng.sample(FILLERS, 5)
    return (f"---\ntitle: Report {k} from {place}\ndate: {published.isoformat()}\n"
            f"outlet: {rng.choice(OUTLETS)}\n---\n\n{lead}\n\n{figures}\n\n"
            + "\n\n".join(filler) + f"\n\nReference {k}.\n")


def write_corpus(folder: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for k in range(n):
        (folder / f"{k:06d}.md").write_text(article(k, rng), encoding="utf-8")


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(corpus: Path, db: Path) -> dict[str, float | int]:
    """Ingest ``corpus`` in this process and measure it (the child side)."""
    from foglight import nlp, places
    from foglight.options import Options
    from foglight.pipeline import ingest
    from foglight.store import Store

    options = Options(fold_copies=False)
    nlp.load(options.spacy_model)
    places.gazetteer()
    baseline = peak_rss_mb()
    store = Store(str(db))
    started = time.perf_counter()
    summary = ingest([corpus], options, store)
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    return {
        "articles": summary.new,
        "events": summary.events,
        "failed": summary.failed,
        "seconds": round(seconds, 1),
        "articles_per_s": round(summary.new / seconds, 2) if seconds else 0.0,
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(peak, 1),
        "growth_mb": round(peak - baseline, 1),
    }


def measure(size: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory(prefix="foglight-memory-") as tmp:
        corpus = Path(tmp) / "articles"
        corpus.mkdir()
        write_corpus(corpus, size)
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(corpus), str(Path(tmp) / "memory.db")],
            capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"ingest of {size} articles failed:\n{result.stderr[-2000:]}")
        return {"size": size, **json.loads(result.stdout)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--child", nargs=2, metavar=("CORPUS", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_one(Path(args.child[0]), Path(args.child[1]))))
        return 0
    runs = []
    for size in args.sizes:
        runs.append(measure(size))
        if not args.json:
            print(f"{size} articles: {runs[-1]}", file=sys.stderr)
    print(json.dumps({"runs": runs}, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
