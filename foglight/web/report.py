"""``foglight report``: the map, timeline, event list and outlet table as one HTML file that
opens from disk with no server and fetches nothing.

The page is the web app's templates rendered with every asset inlined: styles, scripts and
the country borders. Its Content-Security-Policy admits exactly the inlined scripts and styles
by their SHA-256 hashes, so article text, which is escaped, could not run even if it were not.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import asdict
from datetime import UTC, datetime

from markupsafe import Markup

from foglight import __version__
from foglight.outlets import profiles
from foglight.service import event_records, map_points
from foglight.store import EventFilter, Store
from foglight.web.render import STATIC, VENDOR, check_assets, environment

# Our scripts and styles, and the packages', in the order the page needs them.
SCRIPTS = (VENDOR / "leaflet.js", VENDOR / "topojson-client.min.js", STATIC / "map.js")
STYLES = (VENDOR / "leaflet.css", STATIC / "app.css")
_CSS_IMAGE = re.compile(r"url\((images/[\w.-]+\.png)\)")


def _digest(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def _inline_images(css: str) -> str:
    """Leaflet's stylesheet names a few images; they become data: URLs so that nothing is
    looked up beside the report file."""

    def data_url(match: re.Match[str]) -> str:
        encoded = base64.b64encode((VENDOR / match.group(1)).read_bytes()).decode()
        return f"url(data:image/png;base64,{encoded})"

    return _CSS_IMAGE.sub(data_url, css)


def _raw_text(source: str) -> str:
    """Text for a <script> or <style> element, which ends at the first "</script" or
    "</style": every "</" becomes "<\\/", which means the same inside the JS strings and
    regular expressions (leaflet.js writes "</a>" in one) and JSON where it occurs."""
    return source.replace("</", "<\\/")


def render_report(store: Store, filters: EventFilter) -> str:
    """The report of the events matching ``filters``, as an HTML document."""
    check_assets()
    scripts = [_raw_text(path.read_text(encoding="utf-8")) for path in SCRIPTS]
    style = _raw_text("\n".join(_inline_images(p.read_text(encoding="utf-8")) for p in STYLES))
    policy = "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_digest(s) for s in scripts),
            "style-src " + _digest(style),
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    points = map_points(store, filters)
    records = event_records(store, filters)
    world = _raw_text((VENDOR / "countries-50m.json").read_text(encoding="utf-8"))
    return (
        environment()
        .get_template("report.html")
        .render(
            policy=policy,
            style=Markup(style),
            scripts=[Markup(s) for s in scripts],
            world=Markup(world),
            filters={name: value for name, value in asdict(filters).items() if value},
            points=[p.model_dump(mode="json") for p in points],
            events=records,
            total=len(records),
            articles=len({m.article_id for e in records for m in e.mentions}),
            profiles=profiles(store),
            config={"eventHref": "#event-", "listLimit": len(points)},
            list_limit=len(points),
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            version=__version__,
        )
    )
