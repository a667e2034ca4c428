// The selection tab (选派流程) for the roles that read rounds: where the round stands and, by
// role, the step it may take now. The organisation department (组织部干部科) opens the
// selection, closes nominations, follows vetting per department, reviews, solves (the plan
// tab) and proposes, starts publicity and answers objections; the 部务会 approves or returns
// the plan (approve.js) and publishes it; a viewer follows. The service refuses anything else.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { listRounds, openRound } from "./app.js";
import { problemText, when } from "./roles.js";
import { statusText } from "./plans.js";
import { timelineBlock } from "./timeline.js";
import { reviewSection, vettingProgress } from "./review.js";
import { publicitySection } from "./publicity.js";
import { approvalSection } from "./approve.js";
import { documentsSection } from "./documents.js";

const $ = (id) => document.getElementById(id);

export function wfSay(text, kind = "info") {
  const box = $("wf-notice");
  box.textContent = text;
  box.className = `notice ${kind}`;
  box.hidden = !text;
}

export function wfError(err) { wfSay(problemText(err), "error"); }

export function reasonField(id, label, required = false) {
  return el("label", { class: "wf-field" }, el("span", {}, label),
    el("textarea", { id, rows: "2", maxlength: "2000", required: required || null }));
}

export class WorkflowView {
  // Renders only when the round is opened, after a step, and when a solve adds a plan to
  // propose: never again on a tab switch, so nothing a clerk started typing is wiped out.
  constructor(state) {
    this.state = state;
    this.seq = 0;
    this.rendering = false;
    document.addEventListener("plans-changed", (e) => {
      if (this.round && !this.rendering && this.wf?.state === "reviewed" && e.detail.length !== this.planCount) {
        this.render().catch(wfError);
      }
    });
  }

  async load(round) { this.round = round; wfSay(""); await this.render().catch(wfError); }
  relabel() { if (this.round) this.render().catch(wfError); }

  path(tail = "") { return `/rounds/${encodeURIComponent(this.round.id)}${tail}`; }

  // A step of the workflow; the round is read again when it made a new version (review).
  async step(tail, body, done, reload = false) {
    await api.call("POST", this.path(tail), { json: body });
    if (reload) await openRound(this.round.id);
    else await Promise.all([this.render(), listRounds()]); // the list shows each round's stage
    wfSay(done);
  }

  // The last render started is the one shown; an earlier one finishing later is dropped.
  async render() {
    const seq = ++this.seq;
    this.rendering = true;
    try {
      await this.build(seq);
    } finally {
      if (seq === this.seq) this.rendering = false;
    }
  }

  async build(seq) {
    let wf = null;
    try {
      wf = await api.get(this.path("/workflow"));
    } catch (err) {
      if (!(err instanceof api.ApiError && err.status === 404)) throw err;
    }
    this.wf = wf;
    const parts = [];
    if (!wf) {
      parts.push(el("p", { class: "hint", id: "wf-none" }, t("wf_not_open")));
      if (this.state.may("review")) parts.push(this.openForm());
    } else {
      const tl = await timelineBlock(this.round.id);
      parts.push(...(await this.sections(wf)), tl.node);
    }
    if (seq === this.seq) $("workflow-view").replaceChildren(...parts.filter(Boolean));
  }

  async sections(wf) {
    const review = this.state.may("review"), approve = this.state.may("approve");
    const s = wf.state;
    const out = [];
    if (s === "nominating") out.push(await this.nominations(review));
    if (s === "vetting" && review) out.push(await vettingProgress(this));
    if (["vetting", "reviewed", "proposed", "publicity"].includes(s) && review) out.push(await reviewSection(this, s !== "vetting"));
    if (s === "reviewed" && review) out.push(await this.proposeForm(wf));
    if (s === "proposed" && review) out.push(this.publicityForm());
    if (["proposed", "publicity", "approved", "published"].includes(s) && wf.plan_id) out.push(await publicitySection(this, wf, review && s === "publicity"));
    if (s === "publicity" && approve) out.push(await approvalSection(this, wf));
    out.push(documentsSection(this, wf));
    if (s === "approved" && approve) out.push(this.publishForm());
    if (wf.next_round_id) out.push(el("p", { id: "wf-next" }, t("wf_next_round"), " ",
      el("button", { type: "button", class: "link", onclick: () => openRound(wf.next_round_id).catch(wfError) }, t("wf_open_next"))));
    return out;
  }

  openForm() {
    return el("section", { class: "card", id: "wf-open" }, el("h3", {}, t("wf_open_title")),
      el("p", { class: "hint" }, t("wf_open_hint")), reasonField("wf-open-reason", t("wf_reason")),
      el("button", { type: "button", class: "primary", id: "wf-open-go", onclick: () =>
        this.step("/workflow", { reason: $("wf-open-reason").value.trim() }, t("wf_opened")).catch(wfError) }, t("wf_open_go")));
  }

  async nominations(review) {
    const items = (await api.get(this.path("/nominations"))).items;
    const table = items.length ? el("table", { class: "grid", id: "wf-nominations" },
      el("thead", {}, el("tr", {}, [t("wf_col_name"), t("col_unit"), t("wf_col_reason"), t("wf_col_when")].map((h) => el("th", {}, h)))),
      el("tbody", {}, items.map((n) => el("tr", {}, el("td", {}, n.name), el("td", { class: "wrap" }, n.unit),
        el("td", { class: "wrap" }, n.reason), el("td", {}, when(n.nominated_at))))))
      : el("p", { class: "hint" }, t("wf_none_yet"));
    const close = review ? [reasonField("wf-vetting-reason", t("wf_reason")),
      el("button", { type: "button", class: "primary", id: "wf-vetting-go", disabled: items.length ? null : true, onclick: () =>
        this.step("/workflow/vetting", { reason: $("wf-vetting-reason").value.trim() }, t("wf_vetting_started")).catch(wfError) }, t("wf_vetting_go"))] : [];
    return el("section", { class: "card", id: "wf-nominated" }, el("h3", {}, t("wf_nominated_title", { n: items.length })), table, ...close);
  }

  async proposeForm(wf) {
    const all = (await api.get(this.path("/plans"))).items;
    this.planCount = all.length;
    const plans = all.filter((p) => p.round_version === wf.reviewed_version && ["optimal", "feasible"].includes(p.status));
    const select = el("select", { id: "wf-plan" }, plans.map((p) => el("option", { value: p.id },
      `${when(p.created_at)} · ${statusText(p.status)}`)).reverse());
    return el("section", { class: "card", id: "wf-propose" }, el("h3", {}, t("wf_propose_title")),
      el("p", { class: "hint" }, t("wf_propose_hint", { v: wf.reviewed_version })),
      el("div", { class: "row" },
        el("button", { type: "button", id: "wf-to-solve", onclick: () => document.querySelector("[data-tab=plan]").click() }, t("wf_to_solve")),
        plans.length ? select : el("span", { class: "hint" }, t("wf_no_reviewed_plan"))),
      reasonField("wf-propose-reason", t("wf_reason")),
      el("button", { type: "button", class: "primary", id: "wf-propose-go", disabled: plans.length ? null : true, onclick: () =>
        this.step("/workflow/propose", { plan_id: select.value, reason: $("wf-propose-reason").value.trim() }, t("wf_proposed")).catch(wfError) }, t("wf_propose_go")));
  }

  publicityForm() {
    return el("section", { class: "card", id: "wf-publicity-start" }, el("h3", {}, t("wf_publicity_title")),
      el("label", { class: "wf-field" }, el("span", {}, t("wf_publicity_days")),
        el("input", { type: "number", id: "wf-days", min: "1", max: "60", value: "5" })),
      reasonField("wf-publicity-reason", t("wf_reason")),
      el("button", { type: "button", class: "primary", id: "wf-publicity-go", onclick: () =>
        this.step("/workflow/publicity", { days: Number($("wf-days").value), reason: $("wf-publicity-reason").value.trim() }, t("wf_publicity_started")).catch(wfError) }, t("wf_publicity_go")));
  }

  publishForm() {
    return el("section", { class: "card", id: "wf-publish" }, el("h3", {}, t("wf_publish_title")),
      reasonField("wf-publish-reason", t("wf_reason")),
      el("button", { type: "button", class: "primary", id: "wf-publish-go", onclick: () =>
        this.step("/workflow/publish", { reason: $("wf-publish-reason").value.trim() }, t("wf_published")).catch(wfError) }, t("wf_publish_go")));
  }
}
