"""Live sources, entirely on loopback: a real HTTP server started here serves feeds and pages
written for these tests (and failures: 500, 429 with Retry-After, a slow answer, a redirect
loop, a gigantic body, Cyrillic pages in windows-1251 and KOI8-R, malformed XML, robots.txt),
and foglight fetches them with its real fetcher and ingests them into a real database: the
tests about what is stored run on a SQLite file and on a PostgreSQL database."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from loopback import LoopbackServer, Reply, Route, endless, serving
from sqlalchemy import text

from foglight.cli import main
from foglight.feeds import parse_every, parse_feed, poll
from foglight.fetch import (
    BlockedAddress,
    Fetcher,
    FetchError,
    FetchOptions,
    RobotsDisallowed,
    retry_after_seconds,
)
from foglight.ingest import read_page
from foglight.options import Options
from foglight.store import Store
from foglight.syndication import CopyFinder, signature, similarity

# Written for these tests, in our own words.
STORY_DEPOT = [
    "Drones struck a fuel depot on the edge of Novozybkov in the Bryansk region early on "
    "Tuesday, setting two storage tanks on fire, the regional governor said.",
    "Firefighters worked through the morning to contain the blaze, and residents of two "
    "nearby streets were told to keep their windows closed because of the smoke.",
    "The governor said nobody was hurt. Local officials did not say how many drones were "
    "involved or where they had been launched from, and the defence ministry did not comment.",
    "The depot supplies diesel to farms and transport companies across the district, and "
    "queues formed at two filling stations in the town by midday.",
]
STORY_PORT = [
    "A missile hit a grain terminal in the port of Izmail in the Odesa region on Wednesday "
    "night, damaging a warehouse and a loading crane, regional officials said.",
    "Two workers were injured and taken to hospital, the officials said, adding that the "
    "terminal would resume loading ships once the debris had been cleared.",
    "Izmail lies on the Danube across the river from Romania, and its terminals have carried "
    "a growing share of the region's grain exports since the summer.",
]


def article_html(site: str, title: str, paragraphs: list[str], published: str,
                 byline: str = "", footer: str = "", charset: str = "utf-8") -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html><head><meta charset="{charset}">
<title>{title}</title><meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{published}T08:00:00Z"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<article><h1>{title}</h1><p class="byline">{byline}</p>{body}<p>{footer}</p></article>
<footer>© {site}</footer></body></html>""".encode(charset)


def rss(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{date}</pubDate></item>" for title, link, date in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Test wire</title><link>http://127.0.0.1/</link><description>t</description>"
            f"{entries}</channel></rss>").encode()


def html_reply(body: bytes, content_type: str = "text/html; charset=utf-8") -> Reply:
    return Reply(200, body, {"Content-Type": content_type})


def page_route(body: bytes) -> Route:
    return lambda _headers: html_reply(body)


def add_feed_site(server: LoopbackServer) -> None:
    """Two stories from two sites, and a wire copy of the first on a third site."""
    server.routes["/robots.txt"] = lambda _: Reply(200, b"User-agent: *\nDisallow: /private/\n")
    pages = {
        "/steppe/depot": article_html("Steppe Herald", "Drones set fuel depot ablaze",
                                      STORY_DEPOT, "2024-05-07", byline="By A. Reporter"),
        "/delta/izmail": article_html("Delta News", "Missile hits Izmail grain terminal",
                                      STORY_PORT, "2024-05-08", byline="Staff writer"),
        "/wire/depot-copy": article_html(
            "Wire Daily", "Fuel depot burns after drone raid, governor says", STORY_DEPOT,
            "2024-05-07", byline="Wire Daily staff",
            footer="Reporting by the Wire Daily desk; editing by the night team."),
    }
    for path, body in pages.items():
        server.routes[path] = page_route(body)
    feed = rss([("Drones set fuel depot ablaze", server.url("/steppe/depot"),
                 "Tue, 07 May 2024 08:00:00 GMT"),
                ("Missile hits Izmail grain terminal", server.url("/delta/izmail"),
                 "Wed, 08 May 2024 08:00:00 GMT"),
                ("Fuel depot burns after drone raid", server.url("/wire/depot-copy"),
                 "Tue, 07 May 2024 09:00:00 GMT")])

    def feed_route(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(200, feed, {"Content-Type": "application/rss+xml", "ETag": '"v1"'})

    server.routes["/feed.xml"] = feed_route


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serving() as running:
        yield running


def fast(**changes: object) -> FetchOptions:
    """Fetch options for loopback tests: private addresses allowed, short waits."""
    settings: dict[str, object] = {"allow_private": True, "timeout": 2.0, "min_interval": 0.0,
                                   "backoff": 0.01}
    settings.update(changes)
    return FetchOptions(**settings)  # type: ignore[arg-type]


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def query(db: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a query on either backend, read through the store's engine."""
    store = Store(db, read_only=True)
    try:
        with store.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        store.close()


# -- the acceptance ---------------------------------------------------------------


def test_feed_with_two_stories_and_a_copy_ingests_two_articles(server: LoopbackServer,
                                                              db: str) -> None:
    add_feed_site(server)
    code, output = run("watch", server.url("/feed.xml"), "--once", "--allow-private",
                       "--db", db, "--json")
    assert code == 0, output
    summary = json.loads(output.strip().splitlines()[-1])
    assert (summary["new"], summary["copies"], summary["failed"]) == (2, 1, 0), summary
    articles = dict(query(db, "SELECT outlet, source FROM articles"))
    copies = query(db, "SELECT outlet, source FROM article_copies")
    assert set(articles) == {"Steppe Herald", "Delta News"}
    assert copies == [("Wire Daily", server.url("/wire/depot-copy"))]

    store = Store(db, read_only=True)
    try:
        depot = [r for r in store.export_records()
                 if any(m["outlet"] == "Steppe Herald" for m in r["mentions"])]
    finally:
        store.close()
    assert depot, "the depot strike is in the ledger"
    mention = depot[0]["mentions"][0]
    assert [c["outlet"] for c in mention["copies"]] == ["Wire Daily"]
    assert len({m["article_id"] for m in depot[0]["mentions"]}) == 1  # one source, not two

    # A second poll: the feed answers 304 to the conditional request; nothing is fetched.
    before = len(server.requests)
    code, output = run("watch", server.url("/feed.xml"), "--once", "--allow-private",
                       "--db", db, "--json")
    assert code == 0, output
    again = json.loads(output.strip().splitlines()[-1])
    assert (again["new"], again["copies"], again["feeds_unchanged"]) == (0, 0, 1)
    assert [p for p in server.paths()[before:] if p != "/robots.txt"] == ["/feed.xml"]
    assert server.requests[-1].headers["if-none-match"] == '"v1"'


def test_fetch_of_a_loopback_url_is_refused_before_any_request(server: LoopbackServer,
                                                               tmp_path: Path) -> None:
    add_feed_site(server)
    code, output = run("fetch", server.url("/steppe/depot"), "--db", tmp_path / "x.db")
    assert code != 0
    assert "refused" in output and "--allow-private" in output
    assert server.requests == []


def test_fetch_with_allow_private_ingests_the_page(server: LoopbackServer, db: str) -> None:
    add_feed_site(server)
    code, output = run("fetch", server.url("/steppe/depot"), "--allow-private", "--db", db,
                       "--json")
    assert code == 0, output
    assert json.loads(output)["new"] == 1
    [row] = query(db, "SELECT url, path, outlet, published, title FROM articles")
    assert row == (server.url("/steppe/depot"), None, "Steppe Herald", "2024-05-07",
                   "Drones set fuel depot ablaze")
    # The same url again is a no-op; robots.txt was read once.
    code, output = run("fetch", server.url("/steppe/depot"), "--allow-private", "--db", db,
                       "--json")
    assert json.loads(output)["unchanged"] == 1
    assert server.paths().count("/robots.txt") == 2  # once per run


def test_fetch_retry_failed_fetches_the_skipped_pages_again(server: LoopbackServer,
                                                             db: str) -> None:
    add_feed_site(server)
    depot = server.routes.pop("/steppe/depot")
    code, output = run("fetch", server.url("/steppe/depot"), "--allow-private", "--db", db)
    assert code == 2, output
    # A failed feed is watch's to poll again, never fetched as a page.
    store = Store(db)
    store.save_feed_poll(server.url("/feed.xml"), error="HTTP 500")
    store.record_failure(server.url("/feed.xml"), "feed failed: HTTP 500")
    store.close()

    server.routes["/steppe/depot"] = depot
    before = len(server.requests)
    code, output = run("fetch", "--retry-failed", "--allow-private", "--db", db, "--json")
    assert code == 0, output
    assert json.loads(output)["new"] == 1
    assert [p for p in server.paths()[before:] if p != "/robots.txt"] == ["/steppe/depot"]
    store = Store(db, read_only=True)
    try:
        assert [f["source"] for f in store.failures()] == [server.url("/feed.xml")]
    finally:
        store.close()
    code, output = run("fetch", "--retry-failed", "--allow-private", "--db", db)
    assert code == 0 and "nothing to retry" in output


def test_a_page_reached_by_a_redirect_leaves_the_failures(server: LoopbackServer,
                                                          db: str) -> None:
    add_feed_site(server)
    depot = server.routes.pop("/steppe/depot")
    server.routes["/short/42"] = lambda _: Reply(301, b"", {"Location": "/steppe/depot"})
    code, output = run("fetch", server.url("/short/42"), "--allow-private", "--db", db)
    assert code == 2, output
    server.routes["/steppe/depot"] = depot
    code, output = run("fetch", "--retry-failed", "--allow-private", "--db", db, "--json")
    assert code == 0 and json.loads(output)["new"] == 1, output
    # Stored under the address it was found at, and no longer listed under the one asked for.
    [(source, extra)] = query(db, "SELECT source, extra FROM articles")
    assert source == server.url("/steppe/depot")
    assert json.loads(extra)["requested_url"] == server.url("/short/42")
    assert query(db, "SELECT source FROM failures") == []


# -- address safety -------------------------------------------------------------------------


class LoopbackServerOnly(Fetcher):
    """Treats the test server's own address as public; every other address is checked as
    usual, before the request and at connect time."""

    def address_allowed(self, address: str) -> bool:
        return address == "127.0.0.1" or super().address_allowed(address)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every connection these tests open goes to 127.0.0.0/8, whatever the code under test
    decides: a bug can make a test fail, never send traffic elsewhere."""
    connect = socket.socket.connect

    def checked(sock: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else ""
        assert str(host).startswith("127."), f"test tried to connect to {address}"
        return connect(sock, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", checked)


@pytest.mark.parametrize("url", [
    "http://10.1.2.3/", "http://192.168.0.1/admin", "http://172.16.5.4/", "http://169.254.169.254/",
    "http://[::1]:8080/", "http://0.0.0.0/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/",
    "http://224.0.0.1/", "http://localhost/", "ftp://example.org/file", "file:///etc/passwd",
    "javascript:alert(1)", "http:///no-host", "http://100.100.100.200/latest/meta-data/",
    "http://100.64.0.1/", "http://[2002:7f00:1::1]/", "http://[fec0::1]/",
    # Numeric forms that getaddrinfo reads as 127.0.0.1 without asking DNS:
    "http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/",
    "http://user:secret@93.184.216.34/", "http://[::1/", "http://93.184.216.34:99999/",
])
def test_guard_refuses_non_public_addresses(url: str) -> None:
    with Fetcher(FetchOptions()) as fetcher, pytest.raises(BlockedAddress):
        fetcher.guard(url)


def test_guard_checks_what_a_name_resolves_to() -> None:
    fetcher = Fetcher(FetchOptions(), resolver=lambda host: ["93.184.216.34", "10.0.0.7"])
    with fetcher, pytest.raises(BlockedAddress, match=r"10\.0\.0\.7"):
        fetcher.guard("https://rebinding.example/")
    public = Fetcher(FetchOptions(), resolver=lambda host: ["93.184.216.34"])
    with public:
        public.guard("https://news.example/story")  # no connection is made by the guard


def test_connections_are_checked_when_they_are_made(server: LoopbackServer) -> None:
    """DNS rebinding: a name that looked public to the guard and resolves to a private
    address when the connection is made is still refused, before any byte is sent."""

    class FooledGuard(Fetcher):
        def guard(self, url: str) -> None:
            pass  # as if the name had resolved to a public address a moment ago

    server.routes["/secret"] = lambda _: Reply(200, b"internal")
    with FooledGuard(fast(allow_private=False)) as fetcher, \
            pytest.raises(FetchError, match="not a public address"):
        fetcher.get(server.url("/secret"))
    assert server.requests == []


def test_redirect_to_a_private_address_is_refused_after_the_hop(server: LoopbackServer) -> None:
    with serving("127.0.0.2") as other:
        other.routes["/secret"] = lambda _: Reply(200, b"internal")
        server.routes["/robots.txt"] = lambda _: Reply(404)
        server.routes["/go"] = lambda _: Reply(302, headers={"Location": other.url("/secret")})
        with LoopbackServerOnly(fast(allow_private=False)) as fetcher, \
                pytest.raises(BlockedAddress, match=r"127\.0\.0\.2"):
            fetcher.get(server.url("/go"))
        assert other.requests == []
        assert server.paths() == ["/robots.txt", "/go"]


# -- failures -------------------------------------------------------------------------------


def test_server_error_is_retried_then_reported(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = lambda _: Reply(404)
    server.routes["/broken"] = lambda _: Reply(500, b"oops")
    waits: list[float] = []
    with Fetcher(fast(retries=2), sleep=waits.append) as fetcher, \
            pytest.raises(FetchError, match="HTTP 500 after 3 attempt"):
        fetcher.get(server.url("/broken"))
    assert server.paths().count("/broken") == 3
    assert waits == [0.01, 0.02]  # backoff doubles


def test_429_waits_for_retry_after_then_succeeds(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = lambda _: Reply(404)
    answers = iter([Reply(429, b"slow down", {"Retry-After": "1"}), html_reply(b"<p>ok</p>")])
    server.routes["/busy"] = lambda _: next(answers)
    waits: list[float] = []
    with Fetcher(fast(), sleep=waits.append) as fetcher:
        page = fetcher.get(server.url("/busy"))
    assert page.status == 200 and page.body == b"<p>ok</p>"
    assert waits == [1.0]


def test_retry_after_as_a_date_and_over_the_cap(server: LoopbackServer) -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT",
                               now=datetime(2015, 10, 21, 7, 27, 30, tzinfo=UTC)) == 30.0
    assert retry_after_seconds("²") is None and retry_after_seconds("soon") is None
    server.routes["/robots.txt"] = lambda _: Reply(404)
    server.routes["/later"] = lambda _: Reply(503, headers={"Retry-After": "86400"})
    waits: list[float] = []
    with Fetcher(fast(), sleep=waits.append) as fetcher, \
            pytest.raises(FetchError, match="HTTP 503 after 1 attempt"):
        fetcher.get(server.url("/later"))
    assert waits == []  # a day is not waited for: the next poll tries again


def test_slow_answer_times_out(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = lambda _: Reply(404)
    server.routes["/slow"] = lambda _: Reply(200, b"late", delay=2.0)
    with Fetcher(fast(timeout=0.3, retries=0)) as fetcher, \
            pytest.raises(FetchError, match="timed out"):
        fetcher.get(server.url("/slow"))


def test_redirect_loop_is_detected(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = lambda _: Reply(404)
    server.routes["/a"] = lambda _: Reply(301, headers={"Location": "/b"})
    server.routes["/b"] = lambda _: Reply(301, headers={"Location": "/a"})
    with Fetcher(fast()) as fetcher, pytest.raises(FetchError, match="redirect loop"):
        fetcher.get(server.url("/a"))
    assert server.paths().count("/a") == 1


def test_gigantic_body_is_cut_off(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = lambda _: Reply(404)
    server.routes["/huge"] = lambda _: Reply(200, endless(), {"Content-Type": "text/html"})
    server.routes["/declared"] = lambda _: Reply(
        200, iter([b"x"]), {"Content-Length": str(10**12)})
    with Fetcher(fast(max_bytes=1_000_000)) as fetcher:
        with pytest.raises(FetchError, match="over the limit"):
            fetcher.get(server.url("/huge"))
        with pytest.raises(FetchError, match="over the limit"):
            fetcher.get(server.url("/declared"))


CYRILLIC = ["Беспилотники атаковали нефтебазу в Брянской области во вторник, сообщил губернатор.",
            "Пожар на двух резервуарах потушили к полудню; пострадавших нет, сказал он."]


@pytest.mark.parametrize("charset, declared_in", [
    ("windows-1251", "meta"), ("koi8-r", "header"), ("windows-1251", "nowhere")])
def test_cyrillic_pages_are_decoded(server: LoopbackServer, charset: str,
                                    declared_in: str) -> None:
    server.routes["/robots.txt"] = lambda _: Reply(404)
    body = article_html("Vestnik", "Нефтебаза горит", CYRILLIC, "2024-05-07",
                        charset=charset if declared_in == "meta" else "utf-8")
    if declared_in != "meta":
        body = body.decode("utf-8").replace('<meta charset="utf-8">', "").encode(charset)
    content_type = f"text/html; charset={charset}" if declared_in == "header" else "text/html"
    server.routes["/ru"] = lambda _: Reply(200, body, {"Content-Type": content_type})
    with Fetcher(fast()) as fetcher:
        page = fetcher.get(server.url("/ru"))
    article = read_page(page.body, page.url, Options(), charset=page.charset)
    assert "Беспилотники атаковали нефтебазу" in article.text
    assert article.url == server.url("/ru") and article.path is None


def test_robots_txt_is_obeyed(server: LoopbackServer) -> None:
    add_feed_site(server)
    server.routes["/private/page"] = lambda _: html_reply(b"<p>hidden</p>")
    with Fetcher(fast()) as fetcher, pytest.raises(RobotsDisallowed):
        fetcher.get(server.url("/private/page"))
    assert "/private/page" not in server.paths()


def test_robots_txt_is_obeyed_after_a_redirect(server: LoopbackServer) -> None:
    add_feed_site(server)
    server.routes["/go"] = lambda _: Reply(302, headers={"Location": "/private/page"})
    server.routes["/private/page"] = lambda _: html_reply(b"<p>hidden</p>")
    with Fetcher(fast()) as fetcher, pytest.raises(RobotsDisallowed):
        fetcher.get(server.url("/go"))
    assert "/private/page" not in server.paths()


def test_unreachable_robots_txt_postpones_the_site(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = lambda _: Reply(503)
    server.routes["/page"] = lambda _: html_reply(b"<p>x</p>")
    with Fetcher(fast(retries=0)) as fetcher, pytest.raises(FetchError, match="retry later"):
        fetcher.get(server.url("/page"))
    assert "/page" not in server.paths()


def test_requests_to_one_host_are_paced(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = lambda _: Reply(404)
    server.routes["/p"] = lambda _: html_reply(b"<p>x</p>")
    waits: list[float] = []
    with Fetcher(fast(min_interval=0.5), sleep=waits.append) as fetcher:
        fetcher.get(server.url("/p"))
        fetcher.get(server.url("/p"))
    assert len(waits) == 2 and all(0.3 < w <= 0.5 for w in waits)  # after robots.txt, after /p


def test_a_failing_feed_never_stops_the_others(server: LoopbackServer, db: str) -> None:
    add_feed_site(server)
    server.routes["/broken.xml"] = lambda _: Reply(
        200, b"<?xml version='1.0'?><rss><channel><<<>>> &broken;",
        {"Content-Type": "application/rss+xml"})
    server.routes["/down.xml"] = lambda _: Reply(500)
    store = Store(db)
    try:
        with Fetcher(fast(retries=0)) as fetcher:
            summary = poll([server.url("/broken.xml"), server.url("/down.xml"),
                            server.url("/feed.xml")], fetcher, Options(), store)
        reasons = {f["source"]: f["reason"] for f in store.failures()}
    finally:
        store.close()
    assert (summary.feeds, summary.feeds_failed, summary.new, summary.copies) == (3, 2, 2, 1)
    assert "not a readable RSS or Atom feed" in reasons[server.url("/broken.xml")]
    assert "HTTP 500" in reasons[server.url("/down.xml")]


def test_a_failed_item_is_retried_while_its_feed_answers_304(server: LoopbackServer,
                                                              db: str) -> None:
    add_feed_site(server)
    depot = server.routes["/steppe/depot"]
    server.routes["/steppe/depot"] = lambda _: Reply(503)
    store = Store(db)
    feed = server.url("/feed.xml")
    try:
        with Fetcher(fast(retries=0)) as fetcher:
            first = poll([feed], fetcher, Options(), store)
            # The depot page failed; the port story and the wire copy are stored (the wire
            # copy stands for the depot story, whose original could not be read).
            assert (first.new, first.copies, first.failed) == (2, 0, 1)
            assert not store.has_source(server.url("/steppe/depot"))
            server.routes["/steppe/depot"] = depot
            second = poll([feed], fetcher, Options(), store)
        # The feed has not changed (304), yet the failed page is tried again, and folded into
        # the wire copy it matches.
        assert second.feeds_unchanged == 1
        assert (second.new, second.copies, second.failed) == (0, 1, 0)
        assert server.paths().count("/steppe/depot") == 2
        assert store.has_source(server.url("/steppe/depot"))
        assert store.feed_item_attempts(feed)[server.url("/steppe/depot")] == ("done", 2)
    finally:
        store.close()


def test_a_copy_whose_original_fails_is_analysed_itself(server: LoopbackServer, db: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from foglight.extract import Extractor

    add_feed_site(server)
    real = Extractor.extract

    def fails_for_the_original(self: Extractor, doc: object, article: object) -> object:
        if getattr(article, "outlet", None) == "Steppe Herald":
            raise RuntimeError("simulated extractor crash")
        return real(self, doc, article)  # type: ignore[arg-type]

    monkeypatch.setattr(Extractor, "extract", fails_for_the_original)
    store = Store(db)
    try:
        with Fetcher(fast()) as fetcher:
            summary = poll([server.url("/feed.xml")], fetcher, Options(), store)
        assert (summary.new, summary.copies, summary.failed) == (2, 0, 1)
        assert store.has_source(server.url("/wire/depot-copy"))  # stored as an article itself
    finally:
        store.close()


def test_local_feed_file(server: LoopbackServer, tmp_path: Path, db: str) -> None:
    add_feed_site(server)
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([("Missile hits Izmail", server.url("/delta/izmail"), "")]))
    store = Store(db)
    try:
        with Fetcher(fast()) as fetcher:
            summary = poll([str(feed)], fetcher, Options(), store)
        assert summary.new == 1
        assert store.has_source(server.url("/delta/izmail"))
    finally:
        store.close()


# -- parts ----------------------------------------------------------------------------------


def test_copies_and_different_reports_are_told_apart() -> None:
    original = signature(" ".join(STORY_DEPOT))
    wire = signature("Fuel depot burns after drone raid, governor says. Wire Daily staff. "
                     + " ".join(STORY_DEPOT)
                     + " Reporting by the Wire Daily desk; editing by the night team.")
    other = signature(" ".join(STORY_PORT))
    assert similarity(original.minhash, wire.minhash) > 0.7
    assert similarity(original.minhash, other.minhash) < 0.1
    assert sum(a == b for a, b in zip(original.bands, wire.bands, strict=True)) > 0

    stored = {"depot": original, "port": other}

    def lookup(bands: Sequence[int]) -> list[tuple[str, bytes]]:
        return [(name, sig.minhash) for name, sig in stored.items()
                if any(a == b for a, b in zip(sig.bands, bands, strict=True))]

    finder = CopyFinder(lookup)
    assert finder.original_of(wire) == "depot"
    assert finder.original_of(signature("An unrelated text about the weather in May.")) is None
    del stored["depot"]
    assert finder.original_of(wire) is None
    finder.hold("held-depot", original)  # analysed in this batch, not yet stored
    assert finder.original_of(wire) == "held-depot"
    finder.release("held-depot")
    assert finder.original_of(wire) is None
    assert original.foldable and not signature("Accept cookies to continue reading.").foldable


def test_feed_parser_keeps_items_with_links() -> None:
    items = parse_feed(rss([("One", "http://news.example/1", "Tue, 07 May 2024 08:00:00 GMT"),
                            ("Two", "", "")]), base="http://news.example/feed")
    assert [(i.link, i.title, str(i.published)) for i in items] == [
        ("http://news.example/1", "One", "2024-05-07")]
    with pytest.raises(FetchError, match="not a readable"):
        parse_feed(b"<<<not xml", base="http://news.example/feed")


@pytest.mark.parametrize("text, seconds", [("15m", 900), ("1h", 3600), ("90s", 90), ("2d", 172800),
                                           ("120", 120)])
def test_every_is_parsed(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["5s", "soon", "-1m", "1w"])
def test_bad_every_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_every(text)
