// The replacement tab: recalled or unsuitable cadres out, their posts refilled with the fewest
// moves. It offers itself only when the service has the replacement endpoint.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { failed, notify, openRound } from "./app.js";

const $ = (id) => document.getElementById(id);
const ids = (text) => text.split(/[\s,，、;；]+/).map((s) => s.trim()).filter(Boolean);

export class ReplaceView {
  constructor(state) {
    this.state = state;
    this.path = null;
    $("replace-go").addEventListener("click", () => this.replace().catch(failed));
  }

  async load() {
    if (this.path === null) {
      const spec = await (await fetch("/openapi.json", { cache: "no-store" })).json();
      this.path = Object.keys(spec.paths).find((p) => /^\/plans\/\{[^}]+\}\/replace/.test(p)) || "";
    }
    document.querySelector('[data-tab="replace"]').hidden = !this.path || !this.state.may("write");
  }

  async replace() {
    const plan = document.getElementById("plan-select").value;
    if (!this.path || !plan) return notify(t("replace_missing"), "error");
    const body = {
      recall: ids($("recall-ids").value),
      unsuitable: ids($("unsuitable-ids").value).map((cadre) => ({ cadre, reason: "人岗不适" })),
    };
    const res = await api.call("POST", this.path.replace(/\{[^}]+\}/, encodeURIComponent(plan)), { json: body });
    const out = await res.json();
    const levels = (out.levels || []).map((l) => el("tr", {},
      el("td", {}, t(`level_${l.name}`)), el("td", { class: "num" }, l.value),
      el("td", { class: "num" }, l.bound), el("td", {}, l.proven ? t("proven") : t("not_proven"))));
    const names = new Map(this.state.round.round.communities.map((c) => [c.id, c.name]));
    const place = (p) => (p ? `${names.get(p.community) || p.community} ${t(p.post_type.replace("-", "_"))}` : "—");
    const changes = (out.changes || []).map((c) => el("tr", {},
      el("td", {}, c.cadre), el("td", {}, t(`kind_${c.kind}`)), el("td", {}, place(c.from)), el("td", {}, place(c.to)),
      el("td", { class: "wrap" }, c.reason)));
    $("replace-result").replaceChildren(
      el("h3", {}, t("replace_done", { status: t(`status_${out.status}`) })),
      el("table", { class: "grid", id: "levels" }, el("thead", {}, el("tr", {},
        [t("level"), t("value"), t("bound"), t("proof")].map((h) => el("th", {}, h)))), el("tbody", {}, levels)),
      el("table", { class: "grid", id: "changes" }, el("thead", {}, el("tr", {},
        [t("col_cadre"), t("change_kind"), t("change_from"), t("change_to"), t("why")].map((h) => el("th", {}, h)))),
      el("tbody", {}, changes)),
      el("ul", { class: "hint" }, (out.notes || []).map((n) => el("li", {}, n))),
      el("div", { class: "row" },
        el("button", { type: "button", class: "link", id: "adjustments",
          onclick: () => api.download(`/plans/${out.plan_id}/adjustments.xlsx`, "调整名单.xlsx").catch(failed) }, t("dl_adjustments")),
        el("button", { type: "button", class: "primary", id: "open-replacement",
          onclick: () => openRound(out.round_id).catch(failed) }, t("open_replacement"))));
  }
}
