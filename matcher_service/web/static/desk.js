// The desk of a nominating unit (派出单位) or a vetting department: it cannot read rounds, so
// its list is the selections it takes part in (GET /selections), and a selection opens its own
// view: nominations for a unit (nominate.js), the department's queue for a vetter (vetting.js).

import * as api from "./api.js";
import { t, currentLang } from "./i18n.js";
import { el } from "./table.js";
import { problemText, stateName } from "./roles.js";
import { NominateView } from "./nominate.js";
import { VettingView } from "./vetting.js";

const $ = (id) => document.getElementById(id);

// One status line per desk: a new message replaces the last, success or error.
export function say(text, kind = "info") {
  const box = $("desk-notice");
  box.textContent = text;
  box.className = `notice ${kind}`;
  box.hidden = !text;
}

export function sayError(err) { say(problemText(err), "error"); }

// Every problem of a refused sheet, by row, in the clerk's language.
export function problemsTable(problem) {
  const rows = problem.errors || [];
  const zh = currentLang() === "zh";
  return el("table", { class: "grid problems-list" },
    el("thead", {}, el("tr", {}, [t("col_row"), t("col_message")].map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((p) => el("tr", {},
      el("td", {}, (p.where || "").replace(/^row (\d+).*/, zh ? "第$1行" : "row $1")),
      el("td", { class: "wrap" }, (zh && p.message_zh) || p.message)))));
}

export class Desk {
  constructor(state) {
    this.state = state;
    this.view = state.me.role === "unit" ? new NominateView(state) : new VettingView(state);
    this.selection = null;
  }

  async list() {
    const box = $("rounds");
    box.replaceChildren(el("li", { class: "hint" }, t("loading")));
    const items = (await api.get("/selections")).items;
    if (!items.length) return box.replaceChildren(el("li", { class: "hint", id: "no-selections" }, t("wf_no_selections")));
    box.replaceChildren(...items.map((s) => el("li", {}, el("button", {
      type: "button", class: s.round_id === this.selection?.round_id ? "round active" : "round",
      "data-round": s.round_id, onclick: () => this.open(s).catch(sayError),
    }, el("strong", {}, s.name), el("span", { class: "wf-badge", "data-state": s.state }, stateName(s.state))))));
    if (!this.selection && items.length === 1) await this.open(items[0]);
  }

  async open(selection) {
    this.selection = selection;
    say("");
    $("desk").hidden = false;
    await this.view.load(selection, () => this.refresh());
    for (const b of document.querySelectorAll("#rounds .round")) b.classList.toggle("active", b.dataset.round === selection.round_id);
  }

  // After a step: the list (states change) and the open selection again.
  async refresh() {
    const items = (await api.get("/selections")).items;
    const now = items.find((s) => s.round_id === this.selection.round_id) || this.selection;
    this.selection = now;
    await this.list();
    await this.view.load(now, () => this.refresh());
  }

  relabel() { if (this.selection) this.view.load(this.selection, () => this.refresh()).catch(sayError); this.list().catch(sayError); }
}
