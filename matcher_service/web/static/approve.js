// The 部务会's approval (审批): the plan under publicity with its figures, each hard rule
// checked on it, what changed since the review, the objections; then approve it, or return
// it to the organisation department with the reason.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { statusText } from "./plans.js";
import { eventTable } from "./timeline.js";
import { publicised } from "./publicity.js";
import { reasonField, wfSay, wfError } from "./workflow.js";

const $ = (id) => document.getElementById(id);

function ruleTable(items) {
  const mark = (h) => (h === null ? "—" : h ? "✓" : "✗");
  return el("table", { class: "grid", id: "wf-rule-check" },
    el("thead", {}, el("tr", {}, [t("wf_col_rule"), t("wf_col_requires"), t("wf_col_plan_shows"), ""].map((h) => el("th", {}, h)))),
    el("tbody", {}, items.map((c) => el("tr", { class: c.holds === false ? "broken" : "" },
      el("td", {}, c.rule), el("td", { class: "wrap" }, c.requires), el("td", { class: "wrap" }, c.plan),
      el("td", { class: c.holds === false ? "error" : "" }, mark(c.holds))))));
}

function sinceReview(view, wf) {
  const last = wf.events.map((e) => e.action).lastIndexOf("reviewed");
  const after = last >= 0 ? wf.events.slice(last + 1) : wf.events;
  const same = view.round.version === wf.reviewed_version;
  return el("div", { id: "wf-since-review" },
    el("p", { class: same ? "" : "error" }, same
      ? t("wf_unchanged_since_review", { v: wf.reviewed_version })
      : t("wf_changed_since_review", { v: view.round.version, r: wf.reviewed_version })),
    eventTable(after));
}

export async function approvalSection(view, wf) {
  const [{ plan, rows }, check] = await Promise.all([
    publicised(view, wf.plan_id),
    api.get(`/plans/${encodeURIComponent(wf.plan_id)}/rule-check`),
  ]);
  const posts = plan.result.assignments.length;
  const open = wf.objections.filter((o) => !o.resolution).length;
  const broken = check.items.filter((c) => c.holds === false).length;
  return el("section", { class: "card approval", id: "wf-approval" },
    el("h3", {}, t("wf_approval_title")),
    el("p", { id: "wf-approval-plan" }, t("wf_approval_plan", { status: statusText(plan.status), filled: rows.length, posts }), " ",
      el("button", { type: "button", class: "link", onclick: () => showPlan(plan.id) }, t("wf_see_plan"))),
    el("h4", {}, t("wf_rule_check", { n: broken })), el("div", { class: "scroll-x" }, ruleTable(check.items)),
    el("h4", {}, t("wf_since_review")), sinceReview(view, wf),
    el("p", { class: open ? "error" : "" }, open ? t("wf_open_objections", { n: open }) : t("wf_all_resolved")),
    gaps(wf),
    reasonField("wf-approve-reason", t("wf_approve_reason")),
    el("div", { class: "row" },
      el("button", { type: "button", class: "primary", id: "wf-approve-go", onclick: () => approve(view, wf).catch(wfError) }, t("wf_approve_go")),
      el("button", { type: "button", id: "wf-return-go", onclick: () => giveBack(view).catch(wfError) }, t("wf_return_go"))));
}

// What approval still needs, as the service says it (when it says it: approval_gaps).
function gaps(wf) {
  const items = wf.approval_gaps || [];
  if (!items.length) return null;
  return el("div", { id: "wf-gaps", class: "error" }, el("h4", {}, t("wf_gaps")),
    el("ul", {}, items.map((g) => el("li", { "data-gap": g.code }, g.message))));
}

function showPlan(planId) {
  document.querySelector("[data-tab=plan]").click();
  const select = document.getElementById("plan-select");
  if ([...select.options].some((o) => o.value === planId)) {
    select.value = planId;
    select.dispatchEvent(new Event("change"));
  }
}

async function approve(view, wf) {
  await view.step("/workflow/approve", { plan_id: wf.plan_id, reason: $("wf-approve-reason").value.trim() }, t("wf_approved"));
}

async function giveBack(view) {
  const reason = $("wf-approve-reason").value.trim();
  if (!reason) return wfSay(t("wf_return_needs_reason"), "error");
  await view.step("/workflow/return", { reason }, t("wf_returned"));
}
