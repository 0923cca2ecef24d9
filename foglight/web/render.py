"""What the web app and the HTML report share: the Jinja environment with its filters, the
security policy, and the front-end assets (ours in ``static/``, the npm packages' copied into
``static/vendor/`` at set-up by ``make assets``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from foglight.errors import FoglightError
from foglight.models import count_text
from foglight.outlets import tally

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
VENDOR = STATIC / "vendor"

# Copied from node_modules by `make assets` (see package.json for the pinned versions).
VENDOR_FILES = ("leaflet.js", "leaflet.css", "topojson-client.min.js", "countries-50m.json")

# Scripts and styles only from our own origin: no inline script, no CDN, nothing from the
# internet. Leaflet positions its panes through the CSSOM, which style-src does not govern.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class AssetsMissing(FoglightError):
    """The map's front-end packages have not been copied into the package."""


def check_assets() -> None:
    missing = [name for name in VENDOR_FILES if not (VENDOR / name).is_file()]
    if missing:
        raise AssetsMissing(
            f"the web assets {', '.join(missing)} are missing from {VENDOR}: run `make assets` "
            "in the foglight checkout (it installs leaflet, world-atlas and topojson-client "
            "with npm and copies them there)."
        )


def count_label(value: Any) -> str:
    """A stated count (a ``Count`` or an export record's count) as people write it; a dash
    when not stated."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return count_text(value["min"], value["max"])
    return count_text(value.min, value.max)


def claim_label(value: Any) -> str:
    """A claim's value as text: counts as counts, lists joined, the rest as it is."""
    if isinstance(value, dict) and "min" in value:
        return count_text(value["min"], value.get("max"))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "—" if value is None else str(value).replace("_", " ")


def share_label(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def safe_href(url: str | None) -> str | None:
    """A link target only for http(s) URLs: an article's url is input, and a
    ``javascript:`` or ``data:`` link must not become clickable."""
    if not url:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["count"] = count_label
    env.filters["share"] = share_label
    env.filters["safe_href"] = safe_href
    env.filters["claim"] = claim_label
    env.globals["tally"] = tally
    return env
