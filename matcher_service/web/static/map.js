// The plan on a map: district outlines (no tile server: the page works offline), communities
// coloured by star rating with weak communities ringed in red, lines from home to post.
// Everything is drawn on one canvas so a Datong-sized plan stays fluid.

import { t } from "./i18n.js";

const L = window.L;
export const STAR_COLOURS = ["#7f1d1d", "#c2410c", "#d97706", "#65a30d", "#0f766e", "#1d4ed8"];
const NO_STARS = "#6b7280";

// Leaflet tooltips take HTML: names from uploaded workbooks are escaped first.
export function escape(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Leaflet's scale says "km" and "m"; a department reads 公里 and 米 (English keeps km and m).
const Scale = L.Control.Scale.extend({
  _updateMetric(maxMeters) {
    const metres = this._getRoundNum(maxMeters);
    const label = metres < 1000 ? t("page_scale_m", { n: metres }) : t("page_scale_km", { n: metres / 1000 });
    this._updateScale(this._mScale, label, metres / maxMeters);
  },
});

function starColour(stars) {
  return stars === null || stars === undefined ? NO_STARS : STAR_COLOURS[Math.max(0, Math.min(5, stars))];
}

export class PlanMap {
  constructor(host, onCommunity) {
    this.onCommunity = onCommunity;
    this.renderer = L.canvas({ padding: 0.3 });
    this.map = L.map(host, { preferCanvas: true, zoomSnap: 0.25, attributionControl: false });
    this.scale = new Scale({ imperial: false, metric: true }).addTo(this.map);
    this.districts = L.layerGroup().addTo(this.map);
    this.lines = L.layerGroup().addTo(this.map);
    this.points = L.layerGroup().addTo(this.map);
    this.markers = new Map();
    this.legend = L.control({ position: "bottomright" });
    this.legend.onAdd = () => this.legendBox();
    this.legend.addTo(this.map);
    this.map.setView([39.9, 116.4], 5);
  }

  legendBox() {
    const box = L.DomUtil.create("div", "legend");
    const rows = STAR_COLOURS.map((_, n) => `<div><i class="star${n}"></i>${t("legend_stars", { n })}</div>`);
    rows.push(`<div><i class="weak"></i>${t("legend_weak")}</div>`);
    rows.push(`<div><i class="vacant"></i>${t("legend_vacant")}</div>`);
    rows.push(`<div><i class="moved"></i>${t("legend_moved")}</div>`);
    box.innerHTML = rows.join("");
    return box;
  }

  relabel() {
    this.legend.remove();
    this.legend.addTo(this.map);
    this.scale._update(); // its words follow the language
  }

  showDistricts(collection) {
    this.districts.clearLayers();
    const layer = L.geoJSON(collection, {
      renderer: this.renderer,
      style: { color: "#475569", weight: 1.2, fillColor: "#e2e8f0", fillOpacity: 0.35 },
      onEachFeature: (f, l) => l.bindTooltip(escape(f.properties.name), { sticky: true, className: "district-tip" }),
    });
    this.districts.addLayer(layer);
  }

  showPlan(collection, { highlight = new Set() } = {}) {
    this.lines.clearLayers();
    this.points.clearLayers();
    this.markers.clear();
    const box = [Infinity, Infinity, -Infinity, -Infinity]; // south, west, north, east
    const extend = ([lat, lon]) => {
      box[0] = Math.min(box[0], lat); box[1] = Math.min(box[1], lon);
      box[2] = Math.max(box[2], lat); box[3] = Math.max(box[3], lon);
    };
    for (const f of collection.features) {
      const p = f.properties;
      if (p.kind === "assignment") {
        const moved = highlight.has(p.community_id);
        const latlngs = f.geometry.coordinates.map(([x, y]) => [y, x]);
        extend(latlngs[0]);
        L.polyline(latlngs, {
          renderer: this.renderer, interactive: false,
          color: moved ? "#ea580c" : "#64748b", weight: moved ? 2.5 : 1, opacity: moved ? 0.9 : 0.45,
        }).addTo(this.lines);
        continue;
      }
      if (p.kind !== "community") continue;
      const [lon, lat] = f.geometry.coordinates;
      extend([lat, lon]);
      const moved = highlight.has(p.id);
      const marker = L.circleMarker([lat, lon], {
        renderer: this.renderer,
        radius: moved ? 8 : 6,
        color: moved ? "#ea580c" : p.weak ? "#dc2626" : "#1f2937",
        weight: moved || p.weak ? 3 : 1,
        dashArray: p.vacancies ? "3 3" : null,
        fillColor: starColour(p.stars),
        fillOpacity: p.vacancies ? 0.35 : 0.9,
      });
      marker.bindTooltip(escape(`${p.name}（${p.district}）`), { direction: "top", offset: [0, -6] });
      marker.on("click", () => this.onCommunity(p.id));
      marker.addTo(this.points);
      this.markers.set(p.id, marker);
    }
    // A map in a hidden tab has no size: fit it when it is shown (resize), not now (NaN).
    this.pending = box[0] <= box[2] ? [[box[0], box[1]], [box[2], box[3]]] : null;
    this.fit();
  }

  fit() {
    if (!this.pending || !this.map.getContainer().clientWidth) return;
    // The map may have been made while its panel was hidden (size 0): measure it again, or
    // the canvas keeps the old size and leaves the district outlines out.
    this.map.invalidateSize({ pan: false });
    this.map.fitBounds(this.pending, { padding: [24, 24] });
    this.pending = null;
  }

  focus(communityId) {
    const m = this.markers.get(communityId);
    if (!m) return;
    this.map.panTo(m.getLatLng());
    m.openTooltip();
  }

  resize() { this.map.invalidateSize(); this.fit(); }
}
