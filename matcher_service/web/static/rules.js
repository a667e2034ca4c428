// The rules and weights tab: each weight with what it does, the switchable rules, and the
// counts of the listed rules; saving writes a new version of the round (the old one is kept).

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { failed, notify, openRound } from "./app.js";

const WEIGHTS = ["distance_per_km", "skill_fit", "weak_priority", "preference_step", "change", "vacancy_full_time", "vacancy_part_time"];

export class RulesView {
  constructor(state) {
    this.state = state;
    this.form = document.getElementById("rules-form");
    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.save().catch(failed); });
  }

  async load(round) { this.round = round; this.render(); }
  relabel() { if (this.round) this.render(); }

  render() {
    const body = this.round.round;
    const w = body.weights || {};
    const r = body.rules || {};
    const on = (x, dflt = true) => (x && x.enabled !== undefined ? x.enabled : dflt);
    const check = (name, label, checked) => el("label", { class: "check" },
      el("input", { type: "checkbox", name, checked: checked || null }), ` ${label}`);
    this.form.replaceChildren(
      el("fieldset", {}, el("legend", {}, t("weights")), WEIGHTS.map((k) => el("label", { class: "weight" },
        el("span", { class: "name" }, k), el("input", { type: "number", name: `w.${k}`, min: "0", step: "1", value: w[k] ?? "" }),
        el("span", { class: "hint" }, t(`w_${k}`))))),
      el("fieldset", {}, el("legend", {}, t("rules")),
        check("r.allow_vacancies", t("r_allow_vacancies"), r.coverage?.allow_vacancies),
        check("r.one_post", t("r_one_post"), on(r.one_post_per_cadre)),
        check("r.max_distance_on", t("r_max_distance_on"), on(r.max_distance)),
        el("label", { class: "weight" }, el("span", { class: "name" }, t("r_max_distance")),
          el("input", { type: "number", name: "r.max_distance_km", min: "0.1", step: "0.1", value: r.max_distance?.km ?? 30 })),
        check("r.own_district", t("r_own_district"), on(r.own_district)),
        check("r.pairing", t("r_pairing"), on(r.pairing, false)),
        check("r.exclude_disqualified", t("r_exclude_disqualified"), on(r.exclude_disqualified)),
        el("ul", { class: "hint" },
          el("li", {}, t("r_floors", { n: (r.rank_floors || []).length })),
          el("li", {}, t("r_quotas", { n: (r.source_quotas || []).length })),
          el("li", {}, t("r_skill_mix", { n: (r.skill_mix || []).length })),
          el("li", {}, t("r_locks", { n: (r.locks || []).length })))),
      el("button", { type: "submit", class: "primary", id: "save-rules" }, t("save")));
  }

  async save() {
    const f = new FormData(this.form);
    const body = structuredClone(this.round.round);
    body.weights = { ...(body.weights || {}) };
    for (const k of WEIGHTS) {
      const v = f.get(`w.${k}`);
      if (v !== null && v !== "") body.weights[k] = Number(v);
    }
    const rules = (body.rules = { ...(body.rules || {}) });
    const flag = (name) => f.get(name) !== null;
    rules.coverage = { ...(rules.coverage || {}), allow_vacancies: flag("r.allow_vacancies") };
    rules.one_post_per_cadre = { ...(rules.one_post_per_cadre || {}), enabled: flag("r.one_post") };
    rules.max_distance = { ...(rules.max_distance || {}), enabled: flag("r.max_distance_on"), km: Number(f.get("r.max_distance_km")) };
    rules.own_district = { ...(rules.own_district || {}), enabled: flag("r.own_district") };
    rules.pairing = { ...(rules.pairing || {}), enabled: flag("r.pairing") };
    rules.exclude_disqualified = { ...(rules.exclude_disqualified || {}), enabled: flag("r.exclude_disqualified") };
    const id = this.round.id;
    const saved = await api.writeRound("PUT", `/rounds/${encodeURIComponent(id)}`, id, { json: body });
    await openRound(id);
    notify(t("saved", { v: saved.version }));
  }
}
