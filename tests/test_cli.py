"""End-to-end tests of the command line: real files in tmp_path, the real spaCy model, a real
database (each test that reads or writes one runs on a SQLite file and on a PostgreSQL
database: ``--db`` takes a path or a URL), the real ``foglight`` command (in process through
click's CliRunner, and as a subprocess of the installed entry point)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import BACKENDS, shared_database
from sqlalchemy import text

from foglight.cli import main
from foglight.store import Store

# Wide enough that rich never wraps or truncates a line of output.
ENV = {"COLUMNS": "1000"}
FOGLIGHT = Path(sys.executable).with_name("foglight")
SUMMARY = re.compile(r"articles: (\d+) new, (\d+) unchanged, (\d+) failed; "
                     r"events found: (\d+) \((\d+) joined")

ACLED_HEADER = ("event_date,event_type,sub_event_type,actor1,country,admin1,location,"
                "latitude,longitude,geo_precision,time_precision,source,notes,fatalities")
EXPORT_KEYS = {"id", "kind", "date", "date_precision", "place", "weapon", "target_type",
               "attacker", "outcome", "killed", "injured", "mentions", "claims",
               "disagreements"}
PLACE_KEYS = {"name", "admin1", "country", "lat", "lon", "precision", "gazetteer_id"}
MENTION_KEYS = {"article_id", "source", "outlet", "published", "sentence", "start", "end",
                "attributed_to", "certainty"}
WEAPONS = {"drone", "sea_drone", "missile", "artillery", "explosive", "aircraft", "unknown"}
TARGETS = {"airbase", "oil_facility", "residential", "port", "ship", "government", "bridge",
           "military_other", "infrastructure", "other"}
OUTCOMES = {"hit", "intercepted", "mostly_intercepted", "failed", "attempted", "unknown"}
CERTAINTIES = {"asserted", "attributed", "hedged", "denied"}
DATE_BY_PRECISION = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}

# Invented for these tests, in our own words.
BRYANSK_MD = """---
url: https://fieldnotes.example/2024/03/14/bryansk-depot
outlet: fieldnotes.example
date: 2024-03-14
---

Ukrainian drones struck an oil depot in Bryansk on Tuesday, the regional governor said.

Firefighters spent the morning bringing the blaze under control, and traffic on a nearby road
was diverted for several hours.
"""
GOOD_TXT = (
    "Ukrainian drones struck an oil depot in Bryansk on 12 March 2024, the regional governor "
    "said.\n\nFirefighters put out the blaze by the evening.\n"
)
BINARY = b"\x00\x01\x02\x03foglight\x00\xff\xfe" * 64


def run(*args: str | Path) -> Result:
    """``foglight ARGS`` in process; exceptions propagate so a crash shows its traceback."""
    return CliRunner().invoke(main, [str(a) for a in args], env=ENV, catch_exceptions=False)


def flat(text: str) -> str:
    return " ".join(text.split())


def summary_of(result: Result) -> tuple[int, int, int, int]:
    match = SUMMARY.search(flat(result.output))
    assert match, f"no summary line in:\n{result.output}"
    new, unchanged, failed, found, joined = (int(g) for g in match.groups())
    # Events that joined one reported by another article add no row to the ledger.
    return new, unchanged, failed, found - joined


def query(db: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a query on either backend, read through the store's engine."""
    store = Store(db, read_only=True)
    try:
        with store.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        store.close()


def article_texts(db: str) -> dict[str, str]:
    return {row[0]: row[1] for row in query(db, "SELECT id, text FROM articles")}


def check_export_record(record: dict[str, Any], texts: dict[str, str]) -> None:
    """One event as spec/export.md describes it (more fields may be added)."""
    assert set(record) >= EXPORT_KEYS
    assert isinstance(record["id"], str) and record["id"]
    assert record["kind"] == "attack"
    precision = record["date_precision"]
    if precision == "unknown":
        assert record["date"] is None
    else:
        assert re.fullmatch(DATE_BY_PRECISION[precision], record["date"])
    place = record["place"]
    assert set(place) >= PLACE_KEYS
    assert place["precision"] in {"facility", "settlement", "admin1", "country", "unknown"}
    assert place["country"] is None or re.fullmatch(r"[A-Z]{2}", place["country"])
    assert (place["lat"] is None) == (place["lon"] is None)
    if place["lat"] is not None:
        assert -90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180
    assert record["weapon"] in WEAPONS
    assert record["target_type"] in TARGETS
    assert record["attacker"] == "unknown" or re.fullmatch(r"[A-Z]{2}", record["attacker"])
    assert record["outcome"] in OUTCOMES
    for figure in ("killed", "injured"):
        value = record[figure]
        if value is not None:
            assert set(value) == {"min", "max"}
            assert isinstance(value["min"], int) and value["min"] >= 0
            assert value["max"] is None or value["max"] >= value["min"]
    assert record["mentions"], "an event without a mention has no provenance"
    for m in record["mentions"]:
        assert set(m) >= MENTION_KEYS
        assert m["certainty"] in CERTAINTIES
        assert isinstance(m["attributed_to"], list)
        assert all(isinstance(a, str) and a for a in m["attributed_to"])
        assert m["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", m["published"])
        assert m["source"]
        assert m["sentence"] == texts[m["article_id"]][m["start"]:m["end"]]
    for c in record["claims"]:
        assert {"field", "value", "article_id", "attributed_to"} <= set(c)
        assert isinstance(c["attributed_to"], list)
    for d in record["disagreements"]:
        assert {"field", "values"} <= set(d)
        assert len(d["values"]) >= 2
        for v in d["values"]:
            assert {"value", "article_ids"} <= set(v) and v["article_ids"]


@dataclass
class Ingested:
    articles: Path
    db: str
    first: Result
    n_files: int

    def records(self) -> list[dict[str, Any]]:
        result = run("export", "--db", self.db, "--format", "jsonl")
        assert result.exit_code == 0, result.output
        return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module", params=BACKENDS)
def ingested(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             examples_dir: Path) -> Iterator[Ingested]:
    """The repository's example articles, copied to a temporary folder and ingested once
    into a database of each backend."""
    root = tmp_path_factory.mktemp("cli")
    articles = root / "articles"
    shutil.copytree(examples_dir, articles)
    n_files = len([p for p in articles.rglob("*") if p.suffix in (".md", ".txt")])
    assert n_files > 0
    with shared_database(request, tmp_path_factory, "examples") as db:
        yield Ingested(articles, db, run("ingest", articles, "--db", db), n_files)


# -- help -------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [
    [], ["ingest"], ["events"], ["show"], ["export"], ["failures"], ["eval"], ["outlets"],
    ["compare"], ["serve"], ["report"], ["fetch"], ["watch"]])
def test_help_has_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_installed_entry_point_runs() -> None:
    assert FOGLIGHT.exists(), f"{FOGLIGHT} is not installed"
    result = subprocess.run([str(FOGLIGHT), "--help"], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "Example" in result.stdout


def test_installed_entry_point_opens_a_new_database(db: str) -> None:
    assert FOGLIGHT.exists(), f"{FOGLIGHT} is not installed"
    result = subprocess.run([str(FOGLIGHT), "failures", "--json", "--db", db],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


# -- ingest -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_ingest_examples_then_again_is_a_noop(ingested: Ingested) -> None:
    assert ingested.first.exit_code == 0, ingested.first.output
    new, unchanged, failed, found = summary_of(ingested.first)
    assert (new, unchanged, failed) == (ingested.n_files, 0, 0)
    assert found > 0
    before = article_texts(ingested.db)
    records_before = ingested.records()

    again = run("ingest", ingested.articles, "--db", ingested.db)
    assert again.exit_code == 0, again.output
    assert summary_of(again) == (0, ingested.n_files, 0, 0)
    assert article_texts(ingested.db) == before
    assert ingested.records() == records_before
    assert len(records_before) == found


@pytest.mark.slow
def test_ingest_json_summary(db: str, examples_dir: Path) -> None:
    one = next(iter(sorted(examples_dir.glob("*.md"))))
    result = run("ingest", one, "--db", db, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {k: summary[k] for k in ("new", "unchanged", "failed")} == {
        "new": 1, "unchanged": 0, "failed": 0}
    assert summary["failures"] == []


@pytest.mark.slow
def test_every_input_failing_exits_2_and_lists_them(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "blob.txt").write_bytes(BINARY)
    (folder / "empty.md").write_text("", encoding="utf-8")
    result = subprocess.run([str(FOGLIGHT), "ingest", str(folder), "--db", db],
                            capture_output=True, text=True, timeout=600, check=False,
                            env={**os.environ, **ENV})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "blob.txt" in result.stderr and "empty.md" in result.stderr

    listed = run("failures", "--db", db, "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert sorted(Path(r["source"]).name for r in rows) == ["blob.txt", "empty.md"]
    assert all(r["reason"] for r in rows)
    plain = run("failures", "--db", db)
    assert "blob.txt" in plain.stdout and "empty.md" in plain.stdout


@pytest.mark.slow
def test_mixed_folder_exits_0(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TXT, encoding="utf-8")
    (folder / "blob.txt").write_bytes(BINARY)
    result = run("ingest", folder, "--db", db)
    assert result.exit_code == 0, result.output
    new, unchanged, failed, _found = summary_of(result)
    assert (new, unchanged, failed) == (1, 0, 1)
    rows = json.loads(run("failures", "--db", db, "--json").stdout)
    assert [Path(r["source"]).name for r in rows] == ["blob.txt"]


@pytest.mark.slow
def test_front_matter_article_gives_one_resolved_event(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bryansk.md").write_text(BRYANSK_MD, encoding="utf-8")
    result = run("ingest", folder, "--db", db)
    assert result.exit_code == 0, result.output

    records = [json.loads(line) for line in
               run("export", "--db", db, "--format", "jsonl").stdout.splitlines()]
    assert len(records) == 1, json.dumps(records, indent=2)
    [event] = records
    check_export_record(event, article_texts(db))
    assert event["place"]["country"] == "RU"
    assert event["place"]["admin1"] == "Bryansk Oblast"
    # Published Thursday 2024-03-14: "on Tuesday" is 2024-03-12.
    assert (event["date"], event["date_precision"]) == ("2024-03-12", "day")
    assert event["weapon"] == "drone"
    assert event["target_type"] == "oil_facility"
    assert event["attacker"] == "UA"
    [mention] = event["mentions"]
    assert mention["attributed_to"], mention
    assert mention["certainty"] == "attributed"
    assert mention["source"] == "https://fieldnotes.example/2024/03/14/bryansk-depot"
    assert mention["outlet"] == "fieldnotes.example"
    assert mention["published"] == "2024-03-14"
    assert mention["sentence"].startswith("Ukrainian drones struck an oil depot in Bryansk")


# -- reading back -------------------------------------------------------------------------------


@pytest.mark.slow
def test_events_lists_events(ingested: Ingested) -> None:
    records = ingested.records()
    assert records
    result = run("events", "--db", ingested.db)
    assert result.exit_code == 0, result.output
    assert f"{len(records)} events" in flat(result.stdout)
    for record in records:
        assert record["id"] in result.stdout


@pytest.mark.slow
def test_events_json_follows_export_spec(ingested: Ingested) -> None:
    result = run("events", "--db", ingested.db, "--json")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines
    texts = article_texts(ingested.db)
    records = [json.loads(line) for line in lines]
    for record in records:
        check_export_record(record, texts)
    assert len({r["id"] for r in records}) == len(records)
    assert records == ingested.records()


@pytest.mark.slow
def test_events_filters(ingested: Ingested) -> None:
    records = ingested.records()
    for country in {r["place"]["country"] for r in records if r["place"]["country"]}:
        result = run("events", "--db", ingested.db, "--json", "--country", country)
        got = [json.loads(line) for line in result.stdout.splitlines()]
        assert {r["id"] for r in got} == {
            r["id"] for r in records if r["place"]["country"] == country}
    result = run("events", "--db", ingested.db, "--json", "--weapon", "drone")
    assert {json.loads(line)["id"] for line in result.stdout.splitlines()} == {
        r["id"] for r in records if r["weapon"] == "drone"}
    result = run("events", "--db", ingested.db, "--json", "--since", "2030-01-01")
    assert result.exit_code == 0 and result.stdout.strip() == ""


@pytest.mark.slow
def test_show_prints_every_mention_sentence(ingested: Ingested) -> None:
    for record in ingested.records():
        result = run("show", record["id"], "--db", ingested.db)
        assert result.exit_code == 0, result.output
        shown = flat(result.stdout)
        assert record["id"] in shown
        for m in record["mentions"]:
            assert flat(m["sentence"]) in shown, (m["sentence"], result.stdout)
        as_json = run("show", record["id"], "--db", ingested.db, "--json")
        assert json.loads(as_json.stdout) == record


@pytest.mark.slow
def test_show_unknown_id_fails_cleanly(ingested: Ingested) -> None:
    result = CliRunner().invoke(main, ["show", "0000000000000000", "--db", ingested.db],
                                env=ENV)
    assert result.exit_code != 0
    assert "no event" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.slow
def test_export_csv_has_acled_columns(ingested: Ingested) -> None:
    records = ingested.records()
    result = run("export", "--db", ingested.db, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ACLED_HEADER
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert row["event_date"] == (record["date"] or "")
        assert row["country"] == (record["place"]["country"] or "")
        assert int(row["fatalities"]) >= 0
        if record["place"]["lat"] is not None:
            assert float(row["latitude"]) == pytest.approx(record["place"]["lat"])
            assert float(row["longitude"]) == pytest.approx(record["place"]["lon"])


@pytest.mark.slow
def test_export_geojson_points(ingested: Ingested) -> None:
    records = {r["id"]: r for r in ingested.records()}
    result = run("export", "--db", ingested.db, "--format", "geojson")
    assert result.exit_code == 0, result.output
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert {f["id"] for f in features} == set(records)
    points = 0
    for feature in features:
        assert feature["type"] == "Feature"
        place = records[feature["id"]]["place"]
        if place["lat"] is None:
            assert feature["geometry"] is None
            continue
        points += 1
        assert feature["geometry"] == {"type": "Point", "coordinates": [place["lon"],
                                                                        place["lat"]]}
        assert feature["properties"]["place"] == place
    assert points > 0


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "geojson"])
def test_export_to_file(ingested: Ingested, tmp_path: Path, fmt: str) -> None:
    to_stdout = run("export", "--db", ingested.db, "--format", fmt)
    target = tmp_path / f"events.{fmt}"
    result = run("export", "--db", ingested.db, "--format", fmt, "-o", target)
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == to_stdout.stdout
    assert target.stat().st_size > 0
    assert result.stdout == ""  # the data went to the file only


@pytest.mark.slow
def test_failures_json_on_a_clean_database(ingested: Ingested) -> None:
    result = run("failures", "--db", ingested.db, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


@pytest.mark.slow
def test_show_prints_sentences_with_square_brackets_verbatim(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "quote.txt").write_text(
        "Ukrainian drones struck an oil depot in Bryansk on 12 March 2024, the regional "
        'governor said, adding that "[the drones] hit two storage tanks".\n', encoding="utf-8")
    assert run("ingest", folder, "--db", db).exit_code == 0
    [line] = run("export", "--db", db).stdout.splitlines()
    record = json.loads(line)
    result = run("show", record["id"], "--db", db)
    for m in record["mentions"]:
        assert "[the drones]" in m["sentence"]
        assert flat(m["sentence"]) in flat(result.stdout)


# -- framing ----------------------------------------------------------------------------------

OUTLET_KEYS = {"outlet", "articles", "quoted", "terms", "hedged_share", "asserted_share",
               "events"}


@pytest.mark.slow
def test_outlets_json_has_one_row_per_example_outlet(ingested: Ingested) -> None:
    result = run("outlets", "--db", ingested.db, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    outlets = {r[0] for r in query(ingested.db, "SELECT DISTINCT outlet FROM articles")}
    assert {r["outlet"] for r in rows} == outlets
    for row in rows:
        assert row.keys() >= OUTLET_KEYS
        assert all(isinstance(n, int) and n > 0 for n in row["quoted"].values())
    table = run("outlets", "--db", ingested.db)
    assert table.exit_code == 0, table.output
    assert all(outlet in table.stdout for outlet in outlets if outlet)


@pytest.fixture(scope="module", params=BACKENDS)
def seeds_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             shared_dir: Path) -> Iterator[str]:
    """The seed articles ingested by the command, with --meta, into each backend."""
    seeds = shared_dir / "seeds"
    with shared_database(request, tmp_path_factory, "cli_seeds") as db:
        result = run("ingest", seeds, "--meta", seeds / "meta.jsonl", "--db", db)
        assert result.exit_code == 0, result.output
        yield db


@pytest.mark.slow
def test_outlets_on_the_seeds_show_kiev_and_kyiv(seeds_db: str) -> None:
    result = run("outlets", "--db", seeds_db, "--json")
    assert result.exit_code == 0, result.output
    rows = {r["outlet"]: r for r in json.loads(result.stdout)}
    assert "Kiev" in rows["wsws.org"]["terms"] and "Kyiv" in rows["cnn.com"]["terms"]
    assert rows["wsws.org"]["quoted"] and rows["cnn.com"]["quoted"]
    for row in rows.values():
        assert isinstance(row["hedged_share"], float)
        assert isinstance(row["asserted_share"], float)


@pytest.mark.slow
def test_compare_shows_each_outlets_sentence_side_by_side(seeds_db: str) -> None:
    listed = run("events", "--db", seeds_db, "--json")
    kursk = next(json.loads(line) for line in listed.stdout.splitlines()
                 if "Kursk" in (json.loads(line)["place"]["name"] or ""))
    result = run("compare", kursk["id"], "--db", seeds_db, "--json")
    assert result.exit_code == 0, result.output
    accounts = json.loads(result.stdout)["accounts"]
    assert [a["outlet"] for a in accounts] == ["cnn.com", "wsws.org"]
    table = run("compare", kursk["id"], "--db", seeds_db)
    assert table.exit_code == 0, table.output
    header = next(line for line in table.stdout.splitlines() if "cnn.com" in line)
    assert "wsws.org" in header  # one column per outlet
    first_words = [" ".join(a["sentences"][0].split()[:3]) for a in accounts]
    assert all(words in flat(table.stdout) for words in first_words)
    # Accounts that differ are marked.
    assert "≠ certainty" in table.stdout


def test_compare_unknown_event_is_a_clear_error(db: str) -> None:
    result = run("compare", "nope", "--db", db)
    assert result.exit_code == 1
    assert "no event 'nope'" in result.output
