"""Hostile and broken input: every bad file is reported with its reason and skipped while
everything else lands; inputs that needed a repair or a guess are stored and listed with a
warning; skipped inputs can be retried.

Texts are invented for these tests, in our own words. Unit tests read files with
``read_inputs``; the end-to-end tests run the real command on a real database (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import NewDb, ledger_records
from hypothesis import given
from hypothesis import strategies as st

from foglight.cli import main
from foglight.ingest import IngestFailure, read_inputs, read_lookalikes_as_latin
from foglight.models import Article
from foglight.options import Options
from foglight.store import Store

ENV = {"COLUMNS": "1000"}

# Russian text with no attack in it: what a windows-1251 or KOI8-R page of local news holds.
RUSSIAN = (
    "Вечером в городе прошёл сильный дождь, и жители до ночи убирали ветки с дорог.\n"
    "Городская администрация пообещала восстановить уличное освещение к концу недели.\n"
)
TAGANROG = (
    "Drones struck a fuel depot in Taganrog on 9 June 2023, the regional governor said. "
    "Two storage tanks caught fire."
)
TRUNCATED_HTML = (
    "<!DOCTYPE html><html><head><title>Depot fire in Taganrog</title>"
    '<meta property="article:published_time" content="2023-06-10"></head>'
    "<body><article><h1>Depot fire in Taganrog</h1>"
    f"<p>{TAGANROG}</p><p>Firefighters worked through the night as smoke dr"
)
BROKEN_FRONT_MATTER = "---\ntitle: [an unclosed list\ndate: 2023-06-10\n---\n\n" + TAGANROG


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env=ENV, catch_exceptions=False)


def read_one(path: Path, options: Options | None = None) -> Article:
    items = list(read_inputs([path], options or Options()))
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def failure_rows(db: str) -> dict[str, dict[str, str]]:
    listed = run("failures", "--db", db, "--json")
    assert listed.exit_code == 0, listed.output
    return {Path(row["source"]).name: row for row in json.loads(listed.stdout)}


# -- reading, one input at a time -------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_legacy_cyrillic_encodings_decode_with_a_warning(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(RUSSIAN.encode(encoding))
    article = read_one(path)
    assert article.text == RUSSIAN.strip()
    assert len(article.warnings) == 1
    assert encoding in article.warnings[0] and "guess" in article.warnings[0]


def test_utf8_needs_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "utf8.txt"
    path.write_text(RUSSIAN, encoding="utf-8")
    assert read_one(path).warnings == ()


def test_invisible_and_odd_spaces_leave_the_text(tmp_path: Path) -> None:
    # A zero-width space, a soft hyphen and a right-to-left override inside place names,
    # an isolate around a word, non-breaking and thin spaces, a line separator.
    path = tmp_path / "odd.txt"
    path.write_text(
        "Drones hit Bel\u200bgo\u00adrod and Ku\u202ersk\u202c on\u00a0Monday.\u2028"
        "The \u2066governor\u2069 spoke\u2009at noon.\n",
        encoding="utf-8",
    )
    article = read_one(path)
    assert article.text == "Drones hit Belgorod and Kursk on Monday.\nThe governor spoke at noon."
    assert article.warnings == ()


def test_lookalike_letters_are_read_as_latin_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "spoofed.txt"
    # A Cyrillic е in Belgorod, a Cyrillic К in Kursk, fullwidth KYIV; a Russian word stays.
    text = "Drones hit B\u0435lgorod, \u041aursk and \uff2b\uff39\uff29\uff36, said ТАСС."
    path.write_text(text, encoding="utf-8")
    article = read_one(path)
    assert article.text == "Drones hit Belgorod, Kursk and KYIV, said ТАСС."
    assert len(article.text) == len(text)  # letter for letter: offsets are unchanged
    (warning,) = article.warnings
    assert "3 word(s)" in warning and "B\u0435lgorod → Belgorod" in warning


LOOKALIKES = "аеорсухіјКМНОРСТХΑΒΕΗΚΜΝΟΡΤΥΧοαν\uff21\uff3a\uff41"


@pytest.mark.fuzz
@given(st.text(alphabet=st.one_of(st.sampled_from(LOOKALIKES + "ab ,-é"), st.characters())))
def test_reading_lookalikes_keeps_every_offset(text: str) -> None:
    read, repaired = read_lookalikes_as_latin(text)
    assert len(read) == len(text)
    changed = [i for i, (a, b) in enumerate(zip(text, read, strict=True)) if a != b]
    assert all(read[i].isascii() and read[i].isalpha() for i in changed)
    assert bool(changed) <= bool(repaired)


def test_a_word_of_a_million_letters_is_read_in_linear_time() -> None:
    # A look-alike anywhere makes every long run of letters a candidate word; a pattern
    # around the look-alike backtracked over each run (hours for a megabyte).
    text = "é " + "a" * 1_000_000 + " " + "С" * 1_000_000 + "е"
    assert read_lookalikes_as_latin(text) == (text, [])


@pytest.mark.parametrize("word", ["СССР", "Москва", "Тaмбов", "café", "Zürich", "naïve"])
def test_words_of_other_scripts_are_left_alone(word: str) -> None:
    assert read_lookalikes_as_latin(f"A {word} here.") == (f"A {word} here.", [])


def test_scripts_and_event_handlers_never_reach_the_text(tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(
        "<html><head><script>steal(document.cookie)</script></head><body><article>"
        f'<p onmouseover="steal(1)">{TAGANROG}</p>'
        '<img src="x" onerror="steal(2)"><script>steal(3)</script>'
        "<p>Two storage tanks burned for hours.</p></article></body></html>",
        encoding="utf-8",
    )
    article = read_one(path)
    assert "Taganrog" in article.text
    assert "steal" not in article.text and "onerror" not in article.text
    assert article.warnings == ()


def test_truncated_html_is_stored_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cut.html"
    path.write_text(TRUNCATED_HTML, encoding="utf-8")
    article = read_one(path)
    assert "Taganrog" in article.text
    assert any("truncated" in w for w in article.warnings), article.warnings


def test_html5_without_closing_tags_is_no_truncation(tmp_path: Path) -> None:
    path = tmp_path / "short.html"
    path.write_text(f"<!DOCTYPE html><html><body><p>{TAGANROG}</p>\n", encoding="utf-8")
    assert read_one(path).warnings == ()


def test_front_matter_aliases_that_expand_to_billions_fail_the_file(tmp_path: Path) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]"
        for i in range(8)
    ]
    path = tmp_path / "laughs.md"
    path.write_text("---\n" + "\n".join(levels) + f"\n---\n\n{TAGANROG}\n", encoding="utf-8")
    (failure,) = read_inputs([path], Options())
    assert isinstance(failure, IngestFailure) and "aliases" in failure.reason


@pytest.mark.parametrize("value", ["2099-13-45", "2023-02-30", "2999-01-01"])
def test_impossible_front_matter_date_is_ignored_with_a_warning(tmp_path: Path,
                                                                value: str) -> None:
    path = tmp_path / "dated.md"
    path.write_text(f"---\ndate: {value}\n---\n\n{TAGANROG}\n", encoding="utf-8")
    article = read_one(path)
    assert article.published is None and article.published_from == "unknown"
    assert any(value in w and "not a real date" in w for w in article.warnings)


def test_every_kind_of_bad_file_fails_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.7\n\x00\x01\x02binary" * 30)
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "huge.txt").write_bytes(b"x" * 2_000)
    (tmp_path / "front.md").write_text(BROKEN_FRONT_MATTER, encoding="utf-8")
    (tmp_path / "noise.txt").write_bytes(bytes(range(128, 256)) * 4)
    (tmp_path / "lines.jsonl").write_text(
        json.dumps({"text": TAGANROG}) + "\n{not json\n" + json.dumps({"title": "no text"})
        + "\n",
        encoding="utf-8",
    )
    items = list(read_inputs([tmp_path], Options(max_bytes=1_000)))
    reasons = {Path(i.source).name: i.reason for i in items if isinstance(i, IngestFailure)}
    assert set(reasons) == {"scan.txt", "empty.md", "huge.txt", "front.md", "noise.txt",
                            "lines.jsonl:line 2", "lines.jsonl:line 3"}
    assert "binary" in reasons["scan.txt"]
    assert "empty" in reasons["empty.md"]
    assert "over the limit of 1,000 bytes" in reasons["huge.txt"]
    assert "--max-bytes" in reasons["huge.txt"]
    assert "malformed front matter" in reasons["front.md"]
    assert "cannot decode" in reasons["noise.txt"]
    assert "not valid JSON" in reasons["lines.jsonl:line 2"]
    assert [i.text for i in items if isinstance(i, Article)] == [TAGANROG]


# -- the whole run ------------------------------------------------------------------------------


@pytest.mark.slow
def test_hostile_folder_keeps_the_seeds_and_lists_every_bad_file(
    shared_dir: Path, new_db: NewDb, tmp_path: Path
) -> None:
    seeds = shared_dir / "seeds"
    meta = seeds / "meta.jsonl"
    reference = new_db("reference")
    assert run("ingest", seeds, "--meta", meta, "--db", reference).exit_code == 0
    expected = {r["id"]: r for r in ledger_records(reference)}
    assert expected

    folder = tmp_path / "inbox"
    shutil.copytree(seeds, folder)
    (folder / "scan.txt").write_bytes(b"%PDF-1.7\n\x00\x01\x02binary" * 100)
    (folder / "empty.md").write_bytes(b"")
    (folder / "cp1251.txt").write_bytes(RUSSIAN.encode("cp1251"))
    with (folder / "dump.txt").open("wb") as dump:  # 60 MB, over the 20 MB default limit
        for _ in range(60):
            dump.write(b"drone strike report " * 52_429)
    (folder / "front.md").write_text(BROKEN_FRONT_MATTER, encoding="utf-8")
    (folder / "cut.html").write_text(TRUNCATED_HTML, encoding="utf-8")

    db = new_db("hostile")
    result = run("ingest", folder, "--meta", folder / "meta.jsonl", "--db", db)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output

    events = {r["id"]: r for r in ledger_records(db)}
    for event_id, event in expected.items():
        assert event_id in events, f"seed event {event_id} missing"
        for key in ("date", "place", "weapon", "target_type"):
            assert events[event_id][key] == event[key], (event_id, key)

    rows = failure_rows(db)
    skipped = {name: row["reason"] for name, row in rows.items() if row["outcome"] == "skipped"}
    stored = {name: row["reason"] for name, row in rows.items() if row["outcome"] == "stored"}
    # gold.jsonl sits in the seeds folder: a JSONL file that holds no articles.
    assert set(skipped) == {"scan.txt", "empty.md", "dump.txt", "front.md", "gold.jsonl"}
    assert "binary" in skipped["scan.txt"]
    assert "empty" in skipped["empty.md"]
    assert "over the limit" in skipped["dump.txt"]
    assert "malformed front matter" in skipped["front.md"]
    assert "not an article file" in skipped["gold.jsonl"]
    assert set(stored) == {"cp1251.txt", "cut.html"}
    assert "cp1251" in stored["cp1251.txt"]
    assert "truncated" in stored["cut.html"]

    plain = run("failures", "--db", db)
    assert "5 skipped, 2 stored with a warning" in plain.output


@pytest.mark.slow
def test_lookalike_place_name_gives_the_real_place(db: str, tmp_path: Path) -> None:
    path = tmp_path / "spoofed.md"
    path.write_text(
        "---\ndate: 2023-06-10\noutlet: mirror.example\n---\n\n"
        "Drones struck a fuel depot in T\u0430g\u0430nrog on 9 June 2023, the governor said.\n",
        encoding="utf-8",
    )
    result = run("ingest", path, "--db", db, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert len(summary["warnings"]) == 1 and "Taganrog" in summary["warnings"][0]["reason"]
    (event,) = ledger_records(db)
    assert (event["place"]["name"], event["date"]) == ("Taganrog", "2023-06-09")
    assert "Taganrog" in event["mentions"][0]["sentence"]


# -- retrying ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_retry_failed_reads_the_skipped_inputs_again(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text(TAGANROG, encoding="utf-8")
    (folder / "front.md").write_text(BROKEN_FRONT_MATTER, encoding="utf-8")
    lines = folder / "lines.jsonl"
    good_line = json.dumps({"text": "Drones hit an oil depot in Bryansk on 3 May 2024."})
    lines.write_text(good_line + "\n{broken\n", encoding="utf-8")
    first = run("ingest", folder, "--db", db)
    assert first.exit_code == 0, first.output
    assert set(failure_rows(db)) == {"front.md", "lines.jsonl:line 2"}

    # The user repairs one input and leaves the other broken.
    (folder / "front.md").write_text(
        "---\ntitle: Depot fire\ndate: 2023-06-10\n---\n\n" + TAGANROG.replace("Two", "Three"),
        encoding="utf-8",
    )
    again = run("ingest", "--retry-failed", "--db", db, "--json")
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    # front.md is new; lines.jsonl is read once: its good line is already stored.
    assert (summary["new"], summary["unchanged"], summary["failed"]) == (1, 1, 1)
    assert set(failure_rows(db)) == {"lines.jsonl:line 2"}

    lines.write_text(
        good_line + "\n" + json.dumps({"text": "A missile hit a port in Odesa on 4 May 2024."})
        + "\n",
        encoding="utf-8",
    )
    last = run("ingest", "--retry-failed", "--db", db)
    assert last.exit_code == 0, last.output
    assert failure_rows(db) == {}
    nothing = run("ingest", "--retry-failed", "--db", db)
    assert nothing.exit_code == 0 and "nothing to retry" in nothing.output


@pytest.mark.slow
def test_a_warning_outlives_the_article_read_again(db: str, tmp_path: Path) -> None:
    path = tmp_path / "cp1251.txt"
    path.write_bytes(RUSSIAN.encode("cp1251"))
    assert run("ingest", path, "--db", db).exit_code == 0
    assert run("ingest", path, "--db", db).exit_code == 0  # unchanged
    assert failure_rows(db)["cp1251.txt"]["outcome"] == "stored"


@pytest.mark.slow
def test_retry_failed_clears_a_whole_jsonl_file_once_it_reads(db: str, tmp_path: Path) -> None:
    lines = tmp_path / "feed.jsonl"
    lines.write_bytes(bytes(range(128, 256)) * 4)  # not text: the file fails as a whole
    assert run("ingest", lines, "--db", db).exit_code == 2
    assert set(failure_rows(db)) == {"feed.jsonl"}
    lines.write_text(json.dumps({"text": TAGANROG}) + "\n", encoding="utf-8")
    assert run("ingest", "--retry-failed", "--db", db).exit_code == 0
    assert failure_rows(db) == {}


def test_a_bad_meta_file_stops_the_command_and_records_nothing(db: str,
                                                               tmp_path: Path) -> None:
    meta = tmp_path / "meta.jsonl"
    meta.write_text('{"file": "a.md", "published": "someday"}\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(TAGANROG, encoding="utf-8")
    result = run("ingest", tmp_path / "a.md", "--meta", meta, "--db", db)
    assert result.exit_code == 2
    assert "published" in result.output and "YYYY-MM-DD" in result.output
    assert failure_rows(db) == {}


@pytest.mark.slow
def test_retry_failed_clears_an_input_found_already_stored(db: str, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(TAGANROG, encoding="utf-8")
    assert run("ingest", good, "--db", db).exit_code == 0
    # A failure left by an earlier run (a disk error, say) for a file that is stored now.
    store = Store(db)
    store.record_failure(str(good), "cannot read file: Input/output error")
    store.close()
    result = run("ingest", "--retry-failed", "--db", db)
    assert result.exit_code == 0, result.output
    assert failure_rows(db) == {}


def test_retry_failed_leaves_pages_to_fetch(db: str) -> None:
    store = Store(db)
    store.record_failure("https://news.example/2024/05/03/depot", "server answered 503")
    store.close()
    result = run("ingest", "--retry-failed", "--db", db)
    assert result.exit_code == 0, result.output
    assert "foglight fetch --retry-failed" in result.output
    assert "nothing to retry" in result.output


def test_ingest_without_inputs_says_what_to_give(db: str) -> None:
    result = run("ingest", "--db", db)
    assert result.exit_code == 2
    assert "--retry-failed" in result.output
