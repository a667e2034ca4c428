// The replacement tab: recalled or unsuitable cadres out, their posts refilled with the fewest
// moves. It offers itself only when the service has the replacement endpoint.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { failed, notify } from "./app.js";

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
    const body = { recall: ids($("recall-ids").value), unsuitable: ids($("unsuitable-ids").value) };
    const res = await api.call("POST", this.path.replace(/\{[^}]+\}/, encodeURIComponent(plan)), { json: body });
    const out = await res.json();
    const moves = out.moves || out.changes || [];
    $("replace-result").replaceChildren(
      el("pre", { class: "summary" }, out.summary || JSON.stringify({ status: out.status, vacancies: out.vacancies, moves: moves.length }, null, 2)),
      el("ul", {}, moves.map((m) => el("li", {}, m.why || m.reason || JSON.stringify(m)))));
    document.dispatchEvent(new CustomEvent("replacement-made", { detail: out }));
  }
}
