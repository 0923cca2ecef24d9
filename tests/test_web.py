"""The web app through FastAPI's TestClient, over a real ledger of the example articles and
one hostile article, on SQLite and on PostgreSQL: the API's shapes and filters, the pages,
and the safety rules (escaping, Content-Security-Policy, no inline script, read-only,
validated ids). A few tests are about SQLite files themselves and run on SQLite only."""

from __future__ import annotations

import hashlib
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from click.testing import CliRunner
from conftest import ledger_records
from fastapi.testclient import TestClient
from markupsafe import escape
from postgres import PostgresServer
from sqlalchemy import create_engine, text

from foglight.cli import main
from foglight.errors import DatabaseError
from foglight.store import EventFilter, Store, database_url, failures
from foglight.web.app import create_app
from foglight.web.render import CONTENT_SECURITY_POLICY

HOSTILE_OUTLET = "<b>hostile</b>.example"

# For the tests about a SQLite file itself (its bytes, its journal mode): the session's
# SQLite ledger only.
sqlite_only = pytest.mark.parametrize("web_db", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def client(web_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(web_db)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def records(web_db: str) -> list[dict[str, Any]]:
    return ledger_records(web_db)


@pytest.fixture(scope="module")
def hostile(client: TestClient) -> dict[str, Any]:
    listing = client.get("/api/articles", params={"outlet": HOSTILE_OUTLET}).json()
    [article] = listing["articles"]
    return dict(client.get(f"/api/articles/{article['id']}").json())


class Scripts(HTMLParser):
    """The page's <script> elements: their attributes and whether they hold code."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        for name, _ in attrs:
            assert not name.startswith("on"), f"inline event handler {name} on <{tag}>"


def scripts_of(html: str) -> list[dict[str, str | None]]:
    parser = Scripts()
    parser.feed(html)
    return parser.scripts


# -- API ------------------------------------------------------------------------------------


def test_api_events_are_the_export_records(client: TestClient,
                                           records: list[dict[str, Any]]) -> None:
    page = client.get("/api/events", params={"limit": 1000}).json()
    assert page["total"] == len(records) > 5
    assert page["events"] == records  # same objects, same field names as spec/export.md


def test_api_events_pages_through_everything(client: TestClient,
                                             records: list[dict[str, Any]]) -> None:
    seen = []
    offset = 0
    while True:
        page = client.get("/api/events", params={"limit": 3, "offset": offset}).json()
        assert page["limit"] == 3 and page["offset"] == offset
        if not page["events"]:
            break
        seen += [e["id"] for e in page["events"]]
        offset += 3
    assert seen == [r["id"] for r in records]


@pytest.mark.parametrize("params, keep", [
    ({"country": "ru"}, lambda r: r["place"]["country"] == "RU"),
    ({"weapon": "drone"}, lambda r: r["weapon"] == "drone"),
    ({"target": "airbase"}, lambda r: r["target_type"] == "airbase"),
    ({"since": "2023-01-01"}, lambda r: (r["date"] or "") >= "2023-01-01"),
    ({"until": "2022-12-31"}, lambda r: r["date"] is not None and r["date"] <= "2022-12-31"),
    ({"disputed": "true"}, lambda r: bool(r["disagreements"])),
    ({"outlet": HOSTILE_OUTLET},
     lambda r: any(m["outlet"] == HOSTILE_OUTLET for m in r["mentions"])),
    ({"since": "", "country": "", "weapon": "", "disputed": ""}, lambda r: True),  # blank fields
    ({"place": "%"}, lambda r: "%" in (r["place"]["name"] or "") + (r["place"]["admin1"] or "")),
])
def test_api_event_filters(client: TestClient, records: list[dict[str, Any]],
                           params: dict[str, str], keep: Any) -> None:
    expected = [r["id"] for r in records if keep(r)]
    page = client.get("/api/events", params={**params, "limit": 1000}).json()
    assert [e["id"] for e in page["events"]] == expected
    assert page["total"] == len(expected)


def test_disputed_filter_finds_the_examples_disagreements(client: TestClient,
                                                          records: list[dict[str, Any]]) -> None:
    # The example articles report some attacks with different figures on purpose.
    assert any(r["disagreements"] for r in records)
    assert any(not r["disagreements"] for r in records)


def test_api_event_by_id(client: TestClient, records: list[dict[str, Any]]) -> None:
    record = records[0]
    assert client.get(f"/api/events/{record['id']}").json() == record
    accounts = client.get(f"/api/events/{record['id']}/accounts").json()
    assert accounts["event_id"] == record["id"]
    assert {a["article_id"] for a in accounts["accounts"]} == {
        m["article_id"] for m in record["mentions"]}


@pytest.mark.parametrize("path", ["/api/events/ffffffffffffffff", "/api/articles/ffffffffffffffff",
                                  "/api/events/ffffffffffffffff/accounts"])
def test_api_unknown_id_is_404_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "ffffffffffffffff" in response.json()["detail"]


@pytest.mark.parametrize("path", [
    "/api/events/x' OR '1'='1", "/api/events/..%5C..%5Cetc", "/api/articles/ABC",
    "/api/events?limit=0", "/api/events?limit=100000", "/api/events?offset=-1",
    "/api/events?since=yesterday", "/api/events?country=Russia", "/api/events?weapon=laser",
    "/api/events?disputed=perhaps", "/events/%3Cscript%3E", "/articles/1;DROP TABLE articles",
])
def test_nonsense_is_refused_with_422(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 422


def test_a_path_in_an_id_matches_no_route(client: TestClient) -> None:
    assert client.get("/api/events/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_api_articles_and_article(client: TestClient, records: list[dict[str, Any]]) -> None:
    listing = client.get("/api/articles", params={"limit": 1000}).json()
    assert listing["total"] == len(listing["articles"]) == 11  # 10 examples + the hostile one
    dates = [a["published"] or "" for a in listing["articles"]]
    assert dates == sorted(dates, reverse=True)
    mention = records[0]["mentions"][0]
    article = client.get(f"/api/articles/{mention['article_id']}").json()
    assert article["text"][mention["start"]:mention["end"]] == mention["sentence"]
    assert {"event_id": records[0]["id"], "start": mention["start"]}.items() <= next(
        m for m in article["mentions"] if m["start"] == mention["start"]).items()


def test_api_outlets(client: TestClient) -> None:
    outlets = client.get("/api/outlets").json()
    names = {o["outlet"] for o in outlets}
    assert HOSTILE_OUTLET in names and len(names) >= 5
    for outlet in outlets:
        shares = [outlet[f"{k}_share"] for k in ("asserted", "attributed", "hedged", "denied")]
        if outlet["mentions"]:
            assert sum(shares) == pytest.approx(1.0, abs=0.01)


def test_api_search_treats_syntax_as_words(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "Novorossiysk"}).json()["hits"]
    assert HOSTILE_OUTLET in [h["article"]["outlet"] for h in hits]
    for hit in hits:
        assert any(s["match"] and s["text"] == "Novorossiysk" for s in hit["passage"])
    for query in ['"', "NEAR(a b", "* OR", "a AND (", "'; DROP TABLE articles; --", "-"]:
        assert client.get("/api/search", params={"q": query}).status_code == 200


def test_api_map_points_are_the_listed_events(client: TestClient,
                                              records: list[dict[str, Any]]) -> None:
    points = client.get("/api/map", params={"weapon": "drone"}).json()
    assert [p["id"] for p in points] == [r["id"] for r in records if r["weapon"] == "drone"]


def test_search_counts_and_pages(client: TestClient) -> None:
    page = client.get("/api/search", params={"q": "drone", "limit": 2}).json()
    assert page["words"] == ["drone"] and page["total"] > 2 and len(page["hits"]) == 2
    past = client.get("/search", params={"q": "drone", "offset": 1000}).text
    assert "no more after" in past and 'rel="prev"' in past
    assert "no words to search for" in client.get("/search", params={"q": "!!!"}).text


def test_unknown_page_is_an_html_page(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert client.get("/api/no-such-thing").headers["content-type"] == "application/json"


def test_openapi_describes_every_api_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/events", "/api/events/{event_id}", "/api/events/{event_id}/accounts",
        "/api/articles", "/api/articles/{article_id}", "/api/outlets", "/api/search", "/api/map"}
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"since", "until", "country", "weapon", "target", "outlet", "disputed", "limit",
            "offset"} <= params
    event_fields = spec["components"]["schemas"]["EventRecord"]["properties"]
    assert {"id", "kind", "date", "date_precision", "place", "weapon", "target_type", "attacker",
            "outcome", "killed", "injured", "mentions", "claims", "disagreements"} <= set(
        event_fields)


# -- pages ----------------------------------------------------------------------------------


def pages(client: TestClient, records: list[dict[str, Any]]) -> list[str]:
    event_id = records[0]["id"]
    article_id = records[0]["mentions"][0]["article_id"]
    return ["/", "/?weapon=drone&disputed=true", f"/events/{event_id}", "/articles",
            f"/articles/{article_id}", "/outlets", "/search?q=drone", "/search",
            "/events/ffffffffffffffff", "/?since=not-a-date"]


def test_every_page_has_the_policy_and_no_inline_script(client: TestClient,
                                                        records: list[dict[str, Any]]) -> None:
    for path in pages(client, records):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "script-src 'self'" in CONTENT_SECURITY_POLICY
        assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
        for script in scripts_of(response.text):
            # Code only from our own files; inline blocks are JSON data, never run.
            assert script.get("src", "").startswith("/static/") or (  # type: ignore[union-attr]
                script.get("type") == "application/json"), (path, script)
        # Nothing is loaded from elsewhere (links to an article's source are only links).
        assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//',
                             response.text), path


def test_map_page_embeds_only_the_latest_events_when_many_match(
        client: TestClient, records: list[dict[str, Any]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAP_LIMIT matching events the page holds the latest ones, in date order, and
    says how to reach the others."""
    import foglight.web.app as web_app

    monkeypatch.setattr(web_app, "MAP_LIMIT", 3)
    html = client.get("/").text
    data = re.search(r'id="foglight-points">(.*?)</script>', html, re.S)
    assert data is not None
    points = json.loads(data.group(1))
    dated = sorted((r["date"], r["id"]) for r in records if r["date"] is not None)
    assert [(p["date"], p["id"]) for p in points] == dated[-3:]
    assert f"3</span> of {len(records)} events shown" in html
    assert "The map holds the latest 3 matching events" in html
    monkeypatch.undo()
    assert "The map holds the latest" not in client.get("/").text


def test_map_page_embeds_the_filtered_points(client: TestClient,
                                             records: list[dict[str, Any]]) -> None:
    html = client.get("/?weapon=drone").text
    data = re.search(r'id="foglight-points">(.*?)</script>', html, re.S)
    assert data is not None
    points = json.loads(data.group(1))
    expected = {r["id"] for r in records if r["weapon"] == "drone"}
    assert {p["id"] for p in points} == expected  # those without coordinates are listed too
    assert 'value="drone" selected' in html


def test_event_page_shows_every_mention_sentence(client: TestClient,
                                                 records: list[dict[str, Any]]) -> None:
    for record in records:
        html = client.get(f"/events/{record['id']}").text
        for mention in record["mentions"]:
            assert escape(mention["sentence"]) in html
            assert f'href="/articles/{mention["article_id"]}#m-{mention["start"]}"' in html
        if record["disagreements"]:
            section = html[html.index("Where sources disagree"):]
            for disagreement in record["disagreements"]:
                assert f"<strong>{disagreement['field'].replace('_', ' ')}</strong>" in section


def test_article_page_marks_event_sentences(client: TestClient,
                                            records: list[dict[str, Any]]) -> None:
    mention = records[0]["mentions"][0]
    html = client.get(f"/articles/{mention['article_id']}").text
    assert f'<mark id="m-{mention["start"]}"' in html
    assert f'href="/events/{records[0]["id"]}"' in html


def test_hostile_article_is_escaped_everywhere(client: TestClient,
                                               hostile: dict[str, Any]) -> None:
    assert "<script>alert('body')</script>" in hostile["text"]  # stored as written
    event_ids = {m["event_id"] for m in hostile["mentions"]}
    assert event_ids, "the hostile article reports an attack"
    paths = [f"/articles/{hostile['id']}", "/articles", "/outlets", "/search?q=governor+depot",
             *(f"/events/{e}" for e in event_ids), "/", f"/?outlet={HOSTILE_OUTLET}"]
    for path in paths:
        html = client.get(path).text
        assert 'href="javascript' not in html, path
        for raw in ("<script>alert(", "<img src=x", "<b>hostile</b>"):
            assert raw not in html, (path, raw)
    article_page = client.get(f"/articles/{hostile['id']}").text
    assert "&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;" in article_page
    assert "&lt;b&gt;hostile&lt;/b&gt;.example" in article_page
    # The javascript: url is shown as text, never as a link.
    assert "href=\"javascript" not in article_page


def test_search_passages_quote_the_text_as_written(client: TestClient,
                                                  hostile: dict[str, Any]) -> None:
    """A passage is a piece of the article's own text: markup in it is shown, escaped,
    never dropped (PostgreSQL's ts_headline would strip anything that looks like a tag)."""
    [hit] = client.get("/api/search", params={"q": "governor depot"}).json()["hits"]
    assert hit["article"]["id"] == hostile["id"]
    passage = "".join(piece["text"] for piece in hit["passage"]).strip("…")
    assert passage in hostile["text"]
    assert "<script>alert('body')</script>" in passage
    html = client.get("/search", params={"q": "governor depot"}).text
    assert "&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;" in html


def test_static_files_stay_inside_the_assets(client: TestClient) -> None:
    assert client.get("/static/map.js").status_code == 200
    assert client.get("/static/vendor/leaflet.js").status_code == 200
    for path in ["/static/../app.py", "/static/..%2F..%2Fstore.py", "/static/%2e%2e/app.py",
                 "/static/vendor/../../render.py"]:
        assert client.get(path).status_code == 404, path


# Request targets that try to leave the assets folder. httpx (and TestClient) drop "../"
# segments before sending, so these go to a real server as raw bytes on a socket.
ESCAPING_TARGETS = [
    "/static/../app.py", "/static/../../store.py", "/static/vendor/../../web/app.py",
    "/static/%2e%2e/%2e%2e/store.py", "/static/%2E%2E%2F%2E%2E%2Fstore.py",
    "/static/..%2f..%2fstore.py", "/static/..%5c..%5cstore.py", "/static/..\\..\\store.py",
    "/static//etc/passwd", "/static/%2fetc%2fpasswd", "//etc/passwd", "/static/....//store.py",
    "/static/vendor/%00leaflet.js", "/static/%c0%ae%c0%ae/store.py",
    "http://127.0.0.1/static/../store.py",
]
# What any of those files would show: Python source, the password file, a SQLite header.
LEAKED = re.compile(rb"^(?:from __future__|import |def |root:)|SQLite format", re.MULTILINE)


def raw_get(url: str, target: str) -> tuple[int, bytes]:
    """GET ``target`` exactly as written, on a fresh connection to the server at ``url``."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                     .encode("latin-1"))
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest


@pytest.mark.parametrize("target", ESCAPING_TARGETS)
def test_no_request_reads_a_file_outside_the_assets(live_server: Any, target: str) -> None:
    status, answer = raw_get(live_server.url, target)
    assert status in (400, 404, 422), (target, status)
    assert not LEAKED.search(answer), target


def test_the_assets_are_served_to_a_raw_request(live_server: Any) -> None:
    status, answer = raw_get(live_server.url, "/static/vendor/leaflet.js")
    assert status == 200 and b"Leaflet" in answer


def test_the_app_is_read_only(web_db: str, client: TestClient,
                              records: list[dict[str, Any]]) -> None:
    before = contents(web_db)
    for route in client.app.routes:  # type: ignore[attr-defined]
        methods = getattr(route, "methods", None)
        if methods:
            assert methods <= {"GET", "HEAD"}, route
    for path in pages(client, records):
        client.get(path)
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/api/events").status_code == 405
    assert contents(web_db) == before
    # The store the app reads through refuses writes: a mode=ro file on SQLite, read-only
    # sessions (default_transaction_read_only) on PostgreSQL.
    store = Store(web_db, read_only=True)
    try:
        with pytest.raises(DatabaseError, match=r"read-?only"), store.transaction() as conn:
            conn.execute(failures.insert().values(source="x", reason="y", failed_at="z"))
    finally:
        store.close()
    assert contents(web_db) == before


def contents(db: str) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Every table's row count, and every event as exported."""
    store = Store(db, read_only=True)
    try:
        return store.counts(), list(store.export_records())
    finally:
        store.close()


@sqlite_only
def test_serving_leaves_the_sqlite_file_byte_for_byte(web_db: str, client: TestClient,
                                                      records: list[dict[str, Any]]) -> None:
    """SQLite only: the bytes of the database file (a PostgreSQL database has no file of
    its own; test_the_app_is_read_only checks both backends' contents)."""
    before = hashlib.sha256(Path(web_db).read_bytes()).hexdigest()
    for path in pages(client, records):
        client.get(path)
    for method in ("post", "put", "delete", "patch"):
        client.request(method.upper(), "/api/events")
    assert hashlib.sha256(Path(web_db).read_bytes()).hexdigest() == before


def test_serving_a_missing_sqlite_file_fails_clearly(tmp_path: Path) -> None:
    """SQLite only: a path that names no file (a PostgreSQL database is created by its
    server, never by foglight)."""
    with pytest.raises(DatabaseError, match="no database at"):
        create_app(str(tmp_path / "absent.db"))
    assert not (tmp_path / "absent.db").exists()


def test_serving_a_foreign_database_fails_clearly(db: str) -> None:
    engine = create_engine(database_url(db))
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE notes (body TEXT)"))
    finally:
        engine.dispose()
    with pytest.raises(DatabaseError, match="not a foglight database"):
        create_app(db)


@sqlite_only
def test_a_database_in_rollback_journal_mode_opens_read_only(web_db: str,
                                                             tmp_path: Path) -> None:
    """SQLite only: the file's journal mode (WAL or rollback), which a ``mode=ro``
    connection must take as it is."""
    copy = tmp_path / "delete-journal.db"
    source, target = sqlite3.connect(web_db), sqlite3.connect(copy)
    source.backup(target)  # the write-ahead log's pages too
    target.execute("PRAGMA journal_mode=DELETE")
    source.close()
    target.close()
    assert not Path(f"{copy}-wal").exists()
    with TestClient(create_app(str(copy))) as other:
        assert other.get("/api/events").json()["total"] > 5


def test_store_filters_match_the_api(web_db: str, client: TestClient) -> None:
    store = Store(web_db, read_only=True)
    try:
        ids = [e.id for e in store.events(EventFilter(disputed=True))]
    finally:
        store.close()
    page = client.get("/api/events", params={"disputed": "true", "limit": 1000}).json()
    assert [e["id"] for e in page["events"]] == ids


# -- the commands ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def foglight_command() -> str:
    return str(Path(sys.executable).with_name("foglight"))


def test_serve_command_answers_on_loopback(web_db: str) -> None:
    port = free_port()
    server = subprocess.Popen([foglight_command(), "serve", "--db", web_db, "--port",
                               str(port)], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/events", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "no answer"
                time.sleep(0.2)
        assert response.status_code == 200 and response.json()["total"] > 5
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in stderr
    assert "warning" not in stderr


def test_serve_warns_before_listening_beyond_loopback(web_db: str) -> None:
    server = subprocess.Popen([foglight_command(), "serve", "--db", web_db, "--host",
                               "0.0.0.0", "--port", str(free_port())],
                              stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        first_line = server.stderr.readline()
    finally:
        server.terminate()
        server.communicate(timeout=10)
    assert "warning" in first_line and "0.0.0.0" in first_line


def test_serve_without_a_database_fails_clearly(tmp_path: Path) -> None:
    """SQLite only: a path that names no file is refused, never created."""
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no database at" in result.output and "foglight ingest" in result.output
    assert not (tmp_path / "none.db").exists()


def test_serve_of_a_missing_postgresql_database_fails_clearly(
        postgres_server: PostgresServer) -> None:
    """PostgreSQL's counterpart: a URL naming no database is refused with the server's
    reason, and nothing is created."""
    result = CliRunner().invoke(main, ["serve", "--db", postgres_server.url("absent_ledger")])
    assert result.exit_code == 1
    assert 'database "absent_ledger" does not exist' in result.output
    assert "Traceback" not in result.output
    with psycopg.connect(postgres_server.admin_url) as conn:
        assert conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'absent_ledger'").fetchone() is None


def test_report_applies_the_filters_and_inlines_everything(web_db: str,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "missiles.html"
    result = CliRunner().invoke(main, ["report", "--db", web_db, "--weapon", "missile",
                                       "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    points = json.loads(re.search(r'id="foglight-points">(.*?)</script>', html, re.S)
                        .group(1))  # type: ignore[union-attr]
    assert points and {p["weapon"] for p in points} == {"missile"}
    assert "Filters: weapon = missile" in html
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert policy is not None
    directives = html_unescape(policy.group(1))
    assert "unsafe-inline" not in directives
    assert directives.count("'sha256-") == 4  # three scripts and one stylesheet
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', html)  # all inline


def test_article_segments_cover_the_text_once_with_clamped_mentions() -> None:
    from foglight.models import Certainty
    from foglight.service import ArticleMention, ArticleRecord, article_segments

    text = "First sentence. Second one here. Third."

    def mention(event_id: str, start: int, end: int) -> ArticleMention:
        return ArticleMention(event_id=event_id, sentence=text[start:end], start=start,
                              end=end, certainty=Certainty.ASSERTED, attributed_to=[])

    record = ArticleRecord(
        id="a" * 16, title=None, outlet=None, published=None, published_from="unknown",
        source="x", url=None, author=None, text=text,
        mentions=[mention("e1", 16, 32), mention("e2", 16, 32), mention("e3", 33, 999),
                  mention("e4", 5, 5)], copies=[])
    segments = article_segments(record)
    assert "".join(s.text for s in segments) == text
    marked = {s.text: (s.event_ids, s.ending) for s in segments if s.event_ids}
    assert marked == {"Second one here.": (["e1", "e2"], ["e1", "e2"]),
                      "Third.": (["e3"], ["e3"])}


def test_disputes_command_lists_the_events_whose_sources_disagree(
        web_db: str, records: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(main, ["disputes", "--db", web_db, "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert [r["id"] for r in rows] == [r["id"] for r in records if r["disagreements"]]
    assert all(row["fields"] for row in rows)
