"""The pages in a real browser: Playwright drives Debian's Chromium (/usr/bin/chromium,
headless, never a browser downloaded by Playwright) against ``foglight serve``'s app under a
real uvicorn server on loopback, and against the report opened from disk. The app serves the
example ledger from SQLite and from PostgreSQL (``web_db``): the second run adds about ten
seconds, so both backends are driven through the browser.

Every page is also checked for what a person would not see in a screenshot: no script
error, no Content-Security-Policy violation (Chromium reports both on the console) and no
request leaving the page's own origin."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from conftest import LiveServer
from playwright.sync_api import Browser, Page, sync_playwright

from foglight.cli import main

CHROMIUM = Path("/usr/bin/chromium")
# As the machine's own probe starts it: no sandbox as root, and no background connections
# (the network is closed; Chromium would otherwise try Google's hosts at every start).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update",
]
HOSTILE_OUTLET = "<b>hostile</b>.example"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is not installed at /usr/bin/chromium: `make browser` installs "
                    "Debian's package (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen = Visit(page)
    page.on("pageerror", lambda exc: seen.errors.append(f"page error: {exc}"))
    page.on("console",
            lambda msg: seen.errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda request: seen.requests.append(request.url))

    def refuse(dialog: Any) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    yield seen
    context.close()


def api(server: LiveServer, path: str, **params: Any) -> Any:
    return httpx.get(server.url + path, params=params, timeout=10).json()


def mapped_events(server: LiveServer) -> list[dict[str, Any]]:
    events = api(server, "/api/events", limit=1000)["events"]
    return [e for e in events if e["place"]["lat"] is not None]


def assert_clean(seen: Visit, origin: str) -> None:
    assert seen.errors == [], seen.errors
    assert seen.dialogs == []
    foreign = [url for url in seen.requests if not url.startswith(origin)]
    assert foreign == [], foreign


def borders_drawn(page: Page) -> None:
    """Wait until map.js has drawn the countries. Polled from here: Playwright's in-page
    wait_for_function evaluates its predicate with eval, which the pages' policy forbids."""
    deadline = time.monotonic() + 15
    while not page.evaluate("() => Boolean(window.foglight && window.foglight.countries)"):
        assert time.monotonic() < deadline, "the map never drew its country borders"
        page.wait_for_timeout(50)


def open_map(seen: Visit, url: str) -> None:
    seen.page.goto(url)
    borders_drawn(seen.page)


def test_map_shows_markers_and_a_click_reaches_the_event_page(
        live_server: LiveServer, visit: Visit, tmp_path: Path) -> None:
    events = mapped_events(live_server)
    open_map(visit, live_server.url + "/")
    page = visit.page
    markers = page.locator("path.foglight-marker")
    assert markers.count() == len(events) > 5
    page.screenshot(path=str(tmp_path / "map.png"))

    # Markers of one place overlap; whichever is on top answers the click, and its popup
    # names the event the link leads to.
    unique = [e for e in events
              if sum(o["place"]["lat"] == e["place"]["lat"] for o in events) == 1]
    page.locator(f'path.foglight-marker[data-event-id="{unique[0]["id"]}"]').click()
    link = page.locator(".leaflet-popup a.popup-link")
    link.wait_for()
    href = link.get_attribute("href")
    assert href is not None and href.startswith("/events/")
    target = next(e for e in events if e["id"] == href.removeprefix("/events/"))
    assert target["id"] == unique[0]["id"]
    assert target["place"]["name"] in page.locator(".leaflet-popup").inner_text()
    link.click()
    page.wait_for_url(f"**/events/{target['id']}")
    assert target["place"]["name"] in page.locator("h1").inner_text()
    for mention in target["mentions"]:
        assert page.get_by_text(mention["sentence"], exact=False).count() >= 1
    page.screenshot(path=str(tmp_path / "event.png"), full_page=True)
    assert_clean(visit, live_server.url)


def test_timeline_brush_filters_the_map_and_the_list(live_server: LiveServer,
                                                     visit: Visit) -> None:
    events = api(live_server, "/api/events", limit=1000)["events"]
    mapped = {e["id"] for e in mapped_events(live_server)}
    open_map(visit, live_server.url + "/")
    page = visit.page
    box = page.locator("#timeline").bounding_box()
    assert box is not None
    # Drag across the first fifth of the timeline: the earliest events only.
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.2, y, steps=5)
    page.mouse.up()
    label = page.locator("#timeline-label").inner_text()
    assert label.startswith("Showing ")
    first, last = label.removeprefix("Showing ").rstrip(".").split(" to ")
    inside = {e["id"] for e in events
              if e["date_precision"] == "day" and first <= e["date"] <= last}
    assert 0 < len(inside) < len(events)
    shown = page.locator("path.foglight-marker")
    assert {shown.nth(i).get_attribute("data-event-id")
            for i in range(shown.count())} == inside & mapped
    rows = page.locator("#event-list tbody tr")
    assert {rows.nth(i).get_attribute("data-event-id") for i in range(rows.count())} == inside
    assert page.locator("#shown").inner_text() == str(len(inside))

    page.locator("#timeline-clear").click()
    assert page.locator("path.foglight-marker").count() == len(mapped)
    assert page.locator("#event-list tbody tr").count() == len(events)
    assert_clean(visit, live_server.url)


def test_filter_form_narrows_the_map(live_server: LiveServer, visit: Visit) -> None:
    open_map(visit, live_server.url + "/")
    page = visit.page
    page.select_option("select[name=weapon]", "missile")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**weapon=missile**")
    borders_drawn(page)
    missiles = [e for e in mapped_events(live_server) if e["weapon"] == "missile"]
    assert page.locator("path.foglight-marker").count() == len(missiles) > 0
    assert_clean(visit, live_server.url)


def test_crimea_is_drawn_as_ukraine(live_server: LiveServer, visit: Visit) -> None:
    open_map(visit, live_server.url + "/")
    owners = visit.page.evaluate("""(point) => window.foglight.countries.filter((f) => {
        const g = f.geometry;
        const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
        return polygons.some((rings) => {
          let inside = false;
          const ring = rings[0];
          for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            const [xi, yi] = ring[i], [xj, yj] = ring[j];
            if ((yi > point[1]) !== (yj > point[1]) &&
                point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) inside = !inside;
          }
          return inside;
        });
      }).map((f) => f.properties.name)""", [33.52, 44.6])  # Sevastopol
    assert owners == ["Ukraine"]


def test_hostile_article_runs_no_script(live_server: LiveServer, visit: Visit) -> None:
    [article] = api(live_server, "/api/articles", outlet=HOSTILE_OUTLET)["articles"]
    page = visit.page
    page.goto(f"{live_server.url}/articles/{article['id']}")
    text = page.locator(".article-text").inner_text()
    assert "<script>alert('body')</script>" in text  # shown as the text it is
    assert "<b>hostile</b>.example" in page.locator(".byline").inner_text()
    assert page.locator(".article-text script, .article-text img").count() == 0
    page.goto(f"{live_server.url}/?outlet={HOSTILE_OUTLET}")
    borders_drawn(page)
    page.locator("path.foglight-marker").first.click(force=True)
    page.locator(".leaflet-popup a.popup-link").wait_for()
    assert visit.dialogs == []
    assert_clean(visit, live_server.url)


def test_report_opens_from_disk_and_fetches_nothing(web_db: str, visit: Visit,
                                                    tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "-o", str(report), "--db", web_db],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    store_events = [e for e in CliRunner().invoke(main, ["events", "--db", web_db,
                                                         "--json"]).output.splitlines() if e]
    page = visit.page
    open_map(visit, report.as_uri())
    markers = page.locator("path.foglight-marker")
    assert 5 < markers.count() <= len(store_events)
    markers.first.click(force=True)
    link = page.locator(".leaflet-popup a.popup-link")
    href = link.get_attribute("href")
    assert href is not None and href.startswith("#event-")
    link.click()
    assert page.locator(f"section{href}").is_visible()
    assert page.locator("table.outlets tbody tr").count() >= 5
    page.screenshot(path=str(tmp_path / "report.png"))
    assert visit.errors == [], visit.errors
    assert [u for u in visit.requests if not u.startswith(("file:", "data:"))] == []
