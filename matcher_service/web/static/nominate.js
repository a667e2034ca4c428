// A unit (派出单位) puts its own people forward: tick them in its part of the round's pool with
// a reason, or upload its own list (read like the round import: title rows, its own headers,
// 出生年月 as written); then it sees its nominees and where each stands.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { when } from "./roles.js";
import { timelineBlock } from "./timeline.js";
import { problemsTable, say, sayError } from "./desk.js";

const $ = (id) => document.getElementById(id);

function decisionText(n, state) {
  if (n.decision === "rejected") return t("wf_nom_rejected", { why: n.decision_reason });
  if (n.decision === "accepted") return t("wf_nom_accepted");
  return state === "nominating" ? t("wf_nom_waiting") : state === "vetting" ? t("wf_nom_vetting") : t("wf_nom_review");
}

export class NominateView {
  constructor(state) { this.state = state; }

  async load(selection, after) {
    this.selection = selection;
    this.after = after;
    const rid = encodeURIComponent(selection.round_id);
    const [pool, mine, tl] = await Promise.all([
      api.get(`/rounds/${rid}/nominations/pool`),
      api.get(`/rounds/${rid}/nominations`),
      timelineBlock(selection.round_id),
    ]);
    const open = tl.timeline.state === "nominating";
    const parts = [el("h2", { id: "desk-title" }, t("wf_unit_title", { round: selection.name, unit: pool.unit || "" }))];
    if (open) parts.push(this.form(pool), this.upload());
    else parts.push(el("p", { class: "hint", id: "nominations-closed" }, t("wf_nominations_closed")));
    parts.push(this.nominees(mine.items, tl.timeline.state), tl.node);
    $("desk-body").replaceChildren(...parts);
  }

  form(pool) {
    const free = pool.items.filter((p) => !p.nominated);
    const rows = pool.items.map((p) => el("tr", {},
      el("td", {}, el("input", { type: "checkbox", name: "pick", value: p.cadre_id, disabled: p.nominated || null, "aria-label": p.name })),
      el("td", {}, p.name), el("td", {}, p.rank_title), el("td", {}, p.birth_year ?? ""),
      el("td", {}, p.nominated ? t("wf_already_nominated") : "")));
    return el("section", { class: "card", id: "nominate-form" },
      el("h3", {}, t("wf_pick_title")),
      pool.items.length ? el("table", { class: "grid" },
        el("thead", {}, el("tr", {}, ["", t("wf_col_name"), t("wf_col_rank_title"), t("wf_col_born"), ""].map((h) => el("th", {}, h)))),
        el("tbody", {}, rows)) : el("p", { class: "hint" }, t("wf_pool_empty")),
      el("label", { class: "wf-field" }, el("span", {}, t("wf_nominate_reason")),
        el("input", { type: "text", id: "nominate-reason", maxlength: "2000", placeholder: t("wf_nominate_reason_hint") })),
      el("button", { type: "button", class: "primary", id: "nominate-go", disabled: free.length ? null : true,
        onclick: () => this.nominate().catch(sayError) }, t("wf_nominate_go")));
  }

  upload() {
    return el("section", { class: "card", id: "nominate-upload" },
      el("h3", {}, t("wf_upload_nominees")), el("p", { class: "hint" }, t("wf_upload_nominees_hint")),
      el("div", { class: "row" },
        el("input", { type: "file", id: "nominate-file", accept: ".xlsx,.csv" }),
        el("button", { type: "button", id: "nominate-upload-go", onclick: () => this.send().catch(sayError) }, t("wf_upload_go"))),
      el("div", { id: "nominate-problems" }));
  }

  nominees(items, state) {
    return el("section", { class: "card", id: "my-nominees" },
      el("h3", {}, t("wf_my_nominees", { n: items.length })),
      items.length ? el("table", { class: "grid" },
        el("thead", {}, el("tr", {}, [t("wf_col_name"), t("wf_col_reason"), t("wf_col_when"), t("wf_col_stage")].map((h) => el("th", {}, h)))),
        el("tbody", {}, items.map((n) => el("tr", { "data-cadre": n.cadre_id },
          el("td", {}, n.name), el("td", { class: "wrap" }, n.reason), el("td", {}, when(n.nominated_at)),
          el("td", { class: "wrap stage" }, decisionText(n, state)))))) : el("p", { class: "hint" }, t("wf_none_yet")));
  }

  async nominate() {
    const picked = [...document.querySelectorAll("#nominate-form input[name=pick]:checked")].map((b) => b.value);
    if (!picked.length) return say(t("wf_pick_someone"), "error");
    const reason = $("nominate-reason").value.trim();
    const rid = encodeURIComponent(this.selection.round_id);
    let done = 0;
    try {
      for (const id of picked) {
        await api.call("POST", `/rounds/${rid}/nominations`, { json: { cadre_id: id, reason } });
        done += 1;
      }
    } finally {
      if (done) await this.after();
    }
    say(t("wf_nominated", { n: done }));
  }

  async send() {
    const file = $("nominate-file").files[0];
    if (!file) return say(t("wf_choose_file"), "error");
    const form = new FormData();
    form.append("file", file, file.name);
    try {
      const res = await api.call("POST", `/rounds/${encodeURIComponent(this.selection.round_id)}/nominations/upload`, { form });
      const body = await res.json();
      await this.after();
      say(t("wf_uploaded_nominees", { n: body.items.length }));
    } catch (err) {
      if (err instanceof api.ApiError && err.status === 422 && err.problem.errors) {
        $("nominate-problems").replaceChildren(el("p", { class: "error" }, t("wf_sheet_refused")), problemsTable(err.problem));
        return say(t("wf_sheet_refused"), "error");
      }
      throw err;
    }
  }
}
