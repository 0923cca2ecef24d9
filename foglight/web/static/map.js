/* foglight map page: events drawn on country borders, a timeline of events per day that
 * filters the map and the list when dragged across, and the list of events shown.
 *
 * Reads three JSON blocks of the page: foglight-config (links, where the borders are),
 * foglight-points (the events, as foglight.service.MapPoint) and, in the self-contained
 * report, foglight-world (the borders themselves). Everything taken from the data is put
 * into the page as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  const WEAPON_COLOURS = {
    drone: "#d95f02",
    sea_drone: "#1b9e77",
    missile: "#7570b3",
    artillery: "#e7298a",
    explosive: "#66a61e",
    aircraft: "#a6761d",
    unknown: "#666666",
  };
  // ISO 3166-1 (and UN General Assembly resolution 68/262) count Crimea as part of Ukraine;
  // Natural Earth draws the line of control, with Crimea inside Russia. A point inside the
  // peninsula (near Simferopol, lon/lat) finds its polygon, which is given back to Ukraine.
  const CRIMEA_POINT = [34.1, 45.0];
  const DAY_MS = 86400000;

  const config = readJson("foglight-config");
  const points = readJson("foglight-points") || [];
  const listBody = document.querySelector("#event-list tbody");
  const listMore = document.getElementById("list-more");
  const shownCount = document.getElementById("shown");

  const map = L.map("map", { worldCopyJump: true, zoomSnap: 0.5, minZoom: 2 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(
    "Borders: Natural Earth 1:50m (public domain); Crimea shown as Ukraine, per ISO 3166-1"
  );
  const markerLayer = L.featureGroup().addTo(map);
  // Events without coordinates are listed and counted, but have no marker.
  const markers = points.filter((p) => p.lat !== null && p.lon !== null).map(makeMarker);
  markers.forEach((m) => m.addTo(markerLayer));
  if (markers.length) {
    map.fitBounds(markerLayer.getBounds(), { padding: [30, 30], maxZoom: 7 });
  } else {
    map.setView([49, 33], 4);
  }
  drawLegend();
  drawTimeline();

  loadWorld()
    .then(drawCountries)
    .catch((err) => notice("Country borders could not be drawn: " + err.message));

  window.foglight = { map: map, markers: markers, countries: null };

  function readJson(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function notice(text) {
    const box = el("p", text, "notice");
    document.getElementById("map").before(box);
  }

  function countText(c) {
    if (!c) return "—";
    if (c.max === null) return "≥" + c.min;
    return c.min === c.max ? String(c.min) : c.min + "–" + c.max;
  }

  function words(value) {
    return String(value).replace(/_/g, " ");
  }

  function placeLabel(p) {
    return (p.place || "unnamed place") + (p.country ? ", " + p.country : "");
  }

  function eventHref(p) {
    return config.eventHref + encodeURIComponent(p.id);
  }

  // -- markers --------------------------------------------------------------------------

  function makeMarker(p) {
    const colour = WEAPON_COLOURS[p.weapon] || WEAPON_COLOURS.unknown;
    // A region or a whole country is drawn hollow and dashed: its point is not where the
    // strike landed.
    const approximate = p.precision === "admin1" || p.precision === "country";
    const marker = L.circleMarker([p.lat, p.lon], {
      radius: 6 + Math.min(6, 2 * (p.mentions - 1)),
      color: p.disputed ? "#b30000" : colour,
      weight: p.disputed ? 3 : 1.5,
      fillColor: colour,
      fillOpacity: approximate ? 0.15 : 0.8,
      dashArray: approximate ? "4 3" : null,
      className: "foglight-marker",
    });
    // Leaflet inserts a string as HTML; a text node keeps place names text.
    marker.bindTooltip(el("span", placeLabel(p) + " · " + (p.date || "undated") + " · " + words(p.weapon)));
    marker.bindPopup(() => popup(p));
    marker.on("add", () => {
      const path = marker.getElement();
      if (path) path.setAttribute("data-event-id", p.id);
    });
    marker.point = p;
    return marker;
  }

  function popup(p) {
    const box = el("div", null, "popup");
    box.append(el("strong", placeLabel(p)));
    box.append(el("div", (p.date || "undated") + (p.disputed ? " · sources disagree" : "")));
    box.append(
      el(
        "div",
        words(p.weapon) + " → " + words(p.target_type) + ", " + words(p.outcome) +
          "; killed " + countText(p.killed) + ", injured " + countText(p.injured)
      )
    );
    box.append(
      el(
        "div",
        p.mentions + (p.mentions === 1 ? " report" : " reports") +
          (p.outlets.length ? " from " + p.outlets.join(", ") : ""),
        "muted"
      )
    );
    const link = el("a", "Open the event →", "popup-link");
    link.href = eventHref(p);
    box.append(link);
    return box;
  }

  function drawLegend() {
    const legend = document.getElementById("legend");
    if (!legend) return;
    const present = new Set(points.map((p) => p.weapon));
    Object.keys(WEAPON_COLOURS)
      .filter((w) => present.has(w))
      .forEach((w) => {
        const item = el("span", words(w), "legend-item");
        const swatch = el("i", null, "swatch");
        swatch.style.backgroundColor = WEAPON_COLOURS[w];
        item.prepend(swatch);
        legend.append(item);
      });
    legend.append(el("span", "hollow, dashed: region or country only", "legend-item muted"));
    legend.append(el("span", "red ring: sources disagree", "legend-item muted"));
  }

  // -- countries ------------------------------------------------------------------------

  function loadWorld() {
    const inline = readJson("foglight-world");
    if (inline) return Promise.resolve(inline);
    return fetch(config.worldUrl).then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  function ringContains(ring, point) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > point[1] !== yj > point[1] &&
          point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }

  // The countries as GeoJSON features, with Crimea's polygon moved from Russia to Ukraine
  // (merged, so no border is drawn across the isthmus); also the peninsula's own outline.
  function countriesOf(topology) {
    const object = topology.objects.countries;
    const named = (name) => object.geometries.find((g) => g.properties && g.properties.name === name);
    const russia = named("Russia");
    const ukraine = named("Ukraine");
    let crimea = -1;
    if (russia && ukraine && russia.type === "MultiPolygon") {
      crimea = russia.arcs.findIndex((polygon) => {
        const shape = topojson.feature(topology, { type: "Polygon", arcs: polygon });
        return ringContains(shape.geometry.coordinates[0], CRIMEA_POINT);
      });
    }
    if (crimea < 0) {
      return { features: topojson.feature(topology, object).features, crimea: null };
    }
    const crimeaPolygon = { type: "Polygon", arcs: russia.arcs[crimea] };
    const features = object.geometries.map((g) => {
      if (g === russia) {
        const rest = { type: "MultiPolygon", arcs: russia.arcs.filter((_, i) => i !== crimea) };
        return { type: "Feature", id: g.id, properties: g.properties, geometry: topojson.feature(topology, rest).geometry };
      }
      if (g === ukraine) {
        return { type: "Feature", id: g.id, properties: g.properties, geometry: topojson.merge(topology, [g, crimeaPolygon]) };
      }
      return topojson.feature(topology, g);
    });
    return { features: features, crimea: topojson.feature(topology, crimeaPolygon) };
  }

  function drawCountries(topology) {
    const world = countriesOf(topology);
    window.foglight.countries = world.features;
    const borders = L.geoJSON(world.features, {
      style: { color: "#8a8f98", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 },
      interactive: false,
    }).addTo(map);
    borders.bringToBack();
    if (world.crimea) {
      L.geoJSON(world.crimea, {
        style: { color: "#5a6270", weight: 1, dashArray: "3 3", fill: false },
      })
        .bindTooltip(el("span", "Crimea: Ukraine under ISO 3166-1; occupied by Russia since 2014"))
        .addTo(map)
        .bringToBack();
      borders.bringToBack();
    }
  }

  // -- list -----------------------------------------------------------------------------

  function renderList(visible) {
    if (!listBody) return;
    const limit = config.listLimit;
    listBody.replaceChildren(
      ...visible.slice(0, limit).map((p) => {
        const row = el("tr");
        row.setAttribute("data-event-id", p.id);
        const place = el("td");
        const link = el("a", p.place || "unnamed place");
        link.href = eventHref(p);
        place.append(link);
        if (p.disputed) place.append(" ", el("span", "disputed", "badge disputed"));
        row.append(
          el("td", p.date || "undated"),
          place,
          el("td", p.country || "—"),
          el("td", words(p.weapon)),
          el("td", words(p.target_type)),
          el("td", words(p.outcome)),
          el("td", countText(p.killed)),
          el("td", countText(p.injured)),
          el("td", p.mentions),
          el("td", p.outlets.join(", ") || "—")
        );
        return row;
      })
    );
    if (listMore) listMore.hidden = visible.length <= limit;
  }

  // -- timeline -------------------------------------------------------------------------

  function dayNumber(iso) {
    return Math.floor(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY_MS);
  }

  function isoDay(n) {
    return new Date(n * DAY_MS).toISOString().slice(0, 10);
  }

  // The days an event's date covers: one day, a whole month, a whole year, or none.
  function dayRange(p) {
    if (!p.date) return null;
    if (p.date.length === 10) return [dayNumber(p.date), dayNumber(p.date)];
    if (p.date.length === 7) {
      const first = dayNumber(p.date + "-01");
      const [y, m] = [+p.date.slice(0, 4), +p.date.slice(5, 7)];
      return [first, Math.floor(Date.UTC(y, m, 1) / DAY_MS) - 1];
    }
    return [dayNumber(p.date + "-01-01"), dayNumber(p.date + "-12-31")];
  }

  function inRange(p, range) {
    const span = dayRange(p);
    return !range || (span !== null && span[0] <= range[1] && span[1] >= range[0]);
  }

  function applyRange(range) {
    markers.forEach((marker) => {
      const shown = inRange(marker.point, range);
      if (shown && !markerLayer.hasLayer(marker)) marker.addTo(markerLayer);
      if (!shown && markerLayer.hasLayer(marker)) markerLayer.removeLayer(marker);
    });
    const visible = points.filter((p) => inRange(p, range));
    if (shownCount) shownCount.textContent = String(visible.length);
    renderList(visible);
  }

  function drawTimeline() {
    const svg = document.getElementById("timeline");
    const clear = document.getElementById("timeline-clear");
    const label = document.getElementById("timeline-label");
    if (!svg) return;
    const perDay = new Map();
    points.forEach((p) => {
      if (p.date && p.date.length === 10) {
        const d = dayNumber(p.date);
        perDay.set(d, (perDay.get(d) || 0) + 1);
      }
    });
    if (!perDay.size) {
      label.textContent = "No event on the map has a day-precise date.";
      svg.setAttribute("hidden", "");
      return;
    }
    const ns = "http://www.w3.org/2000/svg";
    const days = [...perDay.keys()];
    const first = Math.min(...days) - 1;
    const last = Math.max(...days) + 1;
    const span = last - first + 1;
    const width = svg.clientWidth || 900;
    const height = 90;
    const axis = 16;
    const top = 6;
    const highest = Math.max(...perDay.values());
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    const x = (day) => ((day - first) / span) * width;
    const barWidth = Math.max(1, width / span - 1);
    const node = (tag, attrs) => {
      const n = document.createElementNS(ns, tag);
      Object.entries(attrs).forEach(([k, v]) => n.setAttribute(k, v));
      return n;
    };
    perDay.forEach((count, day) => {
      const h = ((height - axis - top) * count) / highest;
      const bar = node("rect", {
        x: x(day), y: height - axis - h, width: barWidth, height: Math.max(h, 1), class: "bar",
      });
      const title = node("title", {});
      title.textContent = isoDay(day) + ": " + count + (count === 1 ? " event" : " events");
      bar.append(title);
      svg.append(bar);
    });
    const ticks = Math.min(6, span);
    for (let i = 0; i <= ticks; i++) {
      const day = Math.round(first + ((span - 1) * i) / ticks);
      const text = node("text", {
        x: Math.min(Math.max(x(day), 30), width - 30), y: height - 3, class: "tick",
        "text-anchor": "middle",
      });
      text.textContent = isoDay(day);
      svg.append(text);
    }
    const brush = node("rect", { x: 0, y: 0, width: 0, height: height - axis, class: "brush" });
    brush.setAttribute("visibility", "hidden");
    svg.append(brush);

    // Pointer position → day, through the SVG's own transform, so that the answer stays
    // right however the drawing was scaled or centred since it was drawn.
    const dayAt = (event) => {
      const at = new DOMPoint(event.clientX, event.clientY).matrixTransform(
        svg.getScreenCTM().inverse()
      );
      const fraction = Math.min(Math.max(at.x / width, 0), 1);
      return first + Math.min(span - 1, Math.floor(fraction * span));
    };
    let anchor = null;
    let range = null;
    const show = (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      brush.setAttribute("x", x(lo));
      brush.setAttribute("width", Math.max(x(hi + 1) - x(lo), 2));
      brush.setAttribute("visibility", "visible");
      return [lo, hi];
    };
    const select = (r) => {
      range = r;
      applyRange(r);
      clear.hidden = !r;
      label.textContent = r
        ? "Showing " + isoDay(r[0]) + " to " + isoDay(r[1]) + "."
        : "Events per day. Drag across the timeline to show a period.";
      if (!r) brush.setAttribute("visibility", "hidden");
    };
    svg.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      anchor = dayAt(event);
      svg.setPointerCapture(event.pointerId);
      show(anchor, anchor);
    });
    const abandon = () => {
      if (anchor === null) return;
      anchor = null;
      if (range) show(range[0], range[1]);
      else brush.setAttribute("visibility", "hidden");
    };
    svg.addEventListener("pointercancel", abandon);
    svg.addEventListener("lostpointercapture", abandon);
    svg.addEventListener("pointermove", (event) => {
      if (anchor !== null) show(anchor, dayAt(event));
    });
    svg.addEventListener("pointerup", (event) => {
      if (anchor === null) return;
      const picked = show(anchor, dayAt(event));
      anchor = null;
      select(picked);
    });
    clear.addEventListener("click", () => select(null));
  }
})();
