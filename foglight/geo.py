"""Geometry of places: great-circle distance, how specific a place is, and whether one place
lies in another. Shared by the places, extract and merge stages and the evaluation."""

from __future__ import annotations

import math
from typing import Protocol

from foglight.models import PlacePrecision

# The mean Earth radius (IUGG), in kilometres.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class Located(Protocol):
    """A gazetteer entry or a resolved place."""

    @property
    def precision(self) -> PlacePrecision: ...
    @property
    def country(self) -> str | None: ...
    @property
    def admin1(self) -> str | None: ...
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...


_BREADTH = (
    PlacePrecision.FACILITY,
    PlacePrecision.SETTLEMENT,
    PlacePrecision.ADMIN1,
    PlacePrecision.COUNTRY,
    PlacePrecision.UNKNOWN,
)

# A settlement "contains" a facility that lies within this distance: air bases and
# refineries sit on the edge of the town they are named after.
FACILITY_IN_TOWN_KM = 30.0


def place_breadth(place: Located) -> int:
    """0 for a facility up to 4 for an unknown place: smaller is more specific."""
    return _BREADTH.index(place.precision)


def contains(outer: Located, inner: Located) -> bool:
    """True when ``outer`` is a less specific place that ``inner`` lies in (or beside)."""
    if PlacePrecision.UNKNOWN in (outer.precision, inner.precision):
        return False
    if place_breadth(outer) <= place_breadth(inner):
        return False
    if outer.precision is PlacePrecision.COUNTRY:
        return outer.country == inner.country
    if outer.precision is PlacePrecision.ADMIN1:
        return outer.admin1 is not None and outer.admin1 == inner.admin1
    if outer.lat is None or outer.lon is None or inner.lat is None or inner.lon is None:
        return False
    return haversine_km(outer.lat, outer.lon, inner.lat, inner.lon) <= FACILITY_IN_TOWN_KM
