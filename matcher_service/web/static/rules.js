// The rules and weights tab: every rule as the sentence a department writes, editable in place
// (rank floors, source quotas, skill mixes, distance, own district, pairing, disqualification),
// locks and forbidden pairs named, weights named in words; saving writes a new version of the
// round (the old one is kept).

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { failed, notify, openRound } from "./app.js";
import { lookups } from "./plans.js";
import { pairSentences, readRuleLists, ruleLists } from "./rule_sentences.js";

const WEIGHTS = ["distance_per_km", "skill_fit", "weak_priority", "preference_step", "change", "vacancy_full_time", "vacancy_part_time"];

export class RulesView {
  constructor(state) {
    this.state = state;
    this.form = document.getElementById("rules-form");
    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.save().catch(failed); });
  }

  async load(round) {
    this.round = round;
    this.draft = structuredClone(round.round);
    this.draft.rules ||= {};
    this.look = lookups(round.round);
    this.render();
  }

  relabel() { if (this.round) this.render(); }

  // Keep what was typed, apply an add or remove, show the sentences again.
  change(mutate) {
    this.keep();
    mutate();
    this.render();
  }

  render() {
    const body = this.draft;
    const w = body.weights || {};
    const r = body.rules;
    const on = (x, dflt = true) => (x && x.enabled !== undefined ? x.enabled : dflt);
    const check = (name, label, checked) => el("label", { class: "check" },
      el("input", { type: "checkbox", name, checked: checked || null }), ` ${label}`);
    this.form.replaceChildren(
      el("fieldset", {}, el("legend", {}, t("rules")),
        check("r.allow_vacancies", t("r_allow_vacancies"), r.coverage?.allow_vacancies),
        check("r.one_post", t("r_one_post"), on(r.one_post_per_cadre)),
        el("label", { class: "check sentence" },
          el("input", { type: "checkbox", name: "r.max_distance_on", checked: on(r.max_distance) || null }),
          ` ${t("w21_distance_a")}`,
          el("input", { type: "number", name: "r.max_distance_km", min: "0.1", step: "0.1", class: "small", value: r.max_distance?.km ?? 30, "aria-label": t("r_max_distance") }),
          t("w21_distance_b")),
        check("r.own_district", t("r_own_district"), on(r.own_district)),
        check("r.pairing", t("r_pairing"), on(r.pairing, false)),
        check("r.exclude_disqualified", t("r_exclude_disqualified"), on(r.exclude_disqualified)),
        ruleLists(r, (mutate) => this.change(mutate)),
        pairSentences(r, this.look)),
      el("fieldset", {}, el("legend", {}, t("weights")), WEIGHTS.map((k) => el("label", { class: "weight" },
        el("span", { class: "name" }, t(`w21_weight_${k}`)),
        el("input", { type: "number", name: `w.${k}`, min: "0", step: "1", value: w[k] ?? "" }),
        el("span", { class: "hint" }, t(`w_${k}`))))),
      el("button", { type: "submit", class: "primary", id: "save-rules" }, t("save")));
  }

  // The form's values into the draft (fields the page does not show are kept).
  keep() {
    const f = new FormData(this.form);
    const body = this.draft;
    body.weights = { ...(body.weights || {}) };
    for (const k of WEIGHTS) {
      const v = f.get(`w.${k}`);
      if (v !== null && v !== "") body.weights[k] = Number(v);
    }
    const rules = body.rules;
    const flag = (name) => f.get(name) !== null;
    rules.coverage = { ...(rules.coverage || {}), allow_vacancies: flag("r.allow_vacancies") };
    rules.one_post_per_cadre = { ...(rules.one_post_per_cadre || {}), enabled: flag("r.one_post") };
    rules.max_distance = { ...(rules.max_distance || {}), enabled: flag("r.max_distance_on"), km: Number(f.get("r.max_distance_km")) };
    rules.own_district = { ...(rules.own_district || {}), enabled: flag("r.own_district") };
    rules.pairing = { ...(rules.pairing || {}), enabled: flag("r.pairing") };
    rules.exclude_disqualified = { ...(rules.exclude_disqualified || {}), enabled: flag("r.exclude_disqualified") };
    readRuleLists(this.form, rules);
  }

  async save() {
    this.keep();
    const id = this.round.id;
    const saved = await api.writeRound("PUT", `/rounds/${encodeURIComponent(id)}`, id, { json: this.draft });
    await openRound(id);
    notify(t("saved", { v: saved.version }));
  }
}
