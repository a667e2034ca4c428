// The compare tab: two plans of the round, the posts that changed listed and ringed on the map.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { PlanMap } from "./map.js";
import { el } from "./table.js";
import { failed } from "./app.js";
import { lookups, statusText } from "./plans.js";
import { kpiDelta, personText, postText } from "./words.js";

const $ = (id) => document.getElementById(id);

export class CompareView {
  constructor(state) {
    this.state = state;
    this.map = null;
    $("compare-go").addEventListener("click", () => this.compare().catch(failed));
    document.addEventListener("plans-changed", (e) => this.fill(e.detail));
  }

  async load(round) {
    this.round = round;
    this.look = lookups(round.round);
    $("compare-result").replaceChildren();
  }

  shown() {
    if (!this.map) this.map = new PlanMap($("compare-map"), () => {});
    this.map.resize();
  }

  // The language switch redraws the plan choices and, when one is shown, the comparison.
  relabel() {
    this.map?.relabel();
    if (!this.plans) return;
    const a = $("compare-a").value, b = $("compare-b").value;
    this.fill(this.plans);
    $("compare-a").value = a;
    $("compare-b").value = b;
    if ($("compare-result").children.length) this.compare().catch(failed);
  }

  fill(plans) {
    this.plans = plans;
    const options = () => plans.map((p) => el("option", { value: p.id },
      `${t("version", { v: p.round_version })} ${p.created_at.slice(5, 16).replace("T", " ")} · ${statusText(p.status)}`));
    $("compare-a").replaceChildren(...options());
    $("compare-b").replaceChildren(...options());
    if (plans.length >= 2) {
      $("compare-a").value = plans[plans.length - 2].id;
      $("compare-b").value = plans[plans.length - 1].id;
    }
  }

  who(id) {
    if (!id) return t("vacant");
    const c = this.look.cadre.get(id);
    return c ? personText(c) : id;
  }

  async compare() {
    const a = $("compare-a").value, b = $("compare-b").value;
    if (!a || !b) return;
    this.shown();
    const [diff, features] = await Promise.all([
      api.get(`/plans/${a}/diff/${b}`),
      api.get(`/plans/${b}/export/geojson`),
    ]);
    if (this.state.districts) this.map.showDistricts(this.state.districts);
    const changed = diff.changed.filter((c) => c.status !== "unchanged");
    const moved = new Set(changed.map((c) => c.community_id));
    this.map.showPlan(features, { highlight: moved });
    const rows = changed.map((c) => {
      const com = this.look.community.get(c.community_id) || {};
      return el("tr", { class: "moved", tabindex: "0", onclick: () => this.map.focus(c.community_id) },
        el("td", {}, com.district?.name || ""), el("td", {}, com.name || c.community_id),
        el("td", {}, postText(c.post_type, 0, 1)), el("td", {}, this.who(c.before)), el("td", {}, this.who(c.after)));
    });
    const wishes = (diff.kpis || []).some((k) => k.name === "wish_givers" && (k.before || k.after));
    const shown = (diff.kpis || []).filter((k) => wishes || !(k.name.startsWith("wish_") || k.name === "first_choice_share" || k.name === "top3_share"));
    const kpis = shown.map((k) => el("li", {}, `${t(`kpi_${k.name}`)}：${kpiDelta(k.name, k.before, k.after)}`));
    const changes = (diff.round_changes || []).map((line) => el("li", {}, line));
    const unchanged = diff.counts?.unchanged ?? 0;
    $("compare-result").replaceChildren(...[
      changes.length ? el("h3", {}, t("w21_round_changes")) : null,
      changes.length ? el("ul", { class: "terms" }, changes) : null,
      el("h3", {}, t("moved", { n: changed.length })),
      el("p", { class: "hint" }, t("unchanged", { n: unchanged })),
      el("table", { class: "grid", id: "diff-table" },
        el("thead", {}, el("tr", {}, [t("col_district"), t("col_community"), t("col_post"), t("change_from"), t("change_to")].map((h) => el("th", {}, h)))),
        el("tbody", {}, rows)),
      kpis.length ? el("h3", {}, t("kpi_delta")) : null,
      kpis.length ? el("ul", { class: "terms" }, kpis) : null,
    ].filter(Boolean));
  }
}

