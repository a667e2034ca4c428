// The organisation department's review (组织审核): vetting progress per department, then each
// nominee with every department's answer, what is missing and any disqualifying condition in
// words; it rejects some with a reason, the rest go forward (a new round version to solve).

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { deptName } from "./roles.js";
import { reasonField, wfError, wfSay } from "./workflow.js";

const $ = (id) => document.getElementById(id);

function required(view) {
  const c = view.round.round.rules?.clearances;
  return c && c.enabled !== false ? c.required || [] : [];
}

async function nominees(view) {
  const all = (await api.get(view.path("/workflow/cadres"))).items;
  return all.filter((c) => c.stage !== "pool");
}

export async function vettingProgress(view) {
  const people = (await nominees(view)).filter((c) => c.stage !== "rejected");
  const rows = required(view).map((d) => {
    const n = { cleared: 0, refused: 0, pending: 0, none: 0 };
    for (const p of people) n[p.clearances[d] || "none"] += 1;
    const done = n.cleared + n.refused;
    return el("tr", { "data-dept": d, class: done === people.length ? "complete" : "" },
      el("td", {}, deptName(d)), el("td", { class: "num" }, n.cleared), el("td", { class: "num" }, n.refused),
      el("td", { class: "num" }, n.pending), el("td", { class: "num" }, n.none),
      el("td", {}, t("wf_dept_done", { done, n: people.length })));
  });
  return el("section", { class: "card", id: "wf-vetting-progress" }, el("h3", {}, t("wf_vetting_progress")),
    rows.length ? el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, [t("wf_col_dept"), t("wf_vet_cleared"), t("wf_vet_refused"), t("wf_vet_pending"), t("wf_vet_none"), t("wf_col_progress")].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows)) : el("p", { class: "hint" }, t("wf_no_depts")));
}

export async function reviewSection(view, again) {
  const depts = required(view);
  const people = await nominees(view);
  const rows = people.map((p) => el("tr", { "data-cadre": p.cadre_id, class: p.stage === "rejected" ? "rejected" : "" },
    el("td", {}, p.name), el("td", { class: "wrap" }, p.unit),
    depts.map((d) => el("td", {}, p.clearances[d] ? t(`wf_vet_${p.clearances[d]}`) : t("wf_vet_none"))),
    el("td", { class: "wrap" }, p.missing), el("td", { class: "wrap" }, p.disqualifications.join("；")),
    el("td", {}, el("input", { type: "checkbox", "data-reject": p.cadre_id, checked: p.stage === "rejected" || null, disabled: p.stage === "rejected" || null, "aria-label": t("wf_reject") })),
    el("td", {}, el("input", { type: "text", "data-reject-why": p.cadre_id, maxlength: "2000", "aria-label": t("wf_reject_why") }))));
  const body = [
    el("p", { class: "hint" }, t("wf_review_hint")),
    el("div", { class: "scroll-x" }, el("table", { class: "grid", id: "wf-review-table" },
      el("thead", {}, el("tr", {}, [t("wf_col_name"), t("col_unit"), ...depts.map(deptName), t("wf_col_missing"), t("wf_col_disq"), t("wf_reject"), t("wf_reject_why")].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows))),
    reasonField("wf-review-reason", t("wf_reason")),
    el("button", { type: "button", class: "primary", id: "wf-review-go", onclick: () => review(view).catch(wfError) }, t(again ? "wf_review_again" : "wf_review_go")),
  ];
  if (again) return el("details", { class: "card", id: "wf-review" }, el("summary", {}, t("wf_review_again_title")), ...body);
  return el("section", { class: "card", id: "wf-review" }, el("h3", {}, t("wf_review_title")), ...body);
}

async function review(view) {
  const rejected = [];
  for (const box of document.querySelectorAll("#wf-review-table input[data-reject]:checked:not(:disabled)")) {
    const id = box.dataset.reject;
    const why = document.querySelector(`input[data-reject-why="${CSS.escape(id)}"]`).value.trim();
    if (!why) return wfSay(t("wf_reject_needs_reason"), "error");
    rejected.push({ cadre_id: id, reason: why });
  }
  await view.step("/workflow/review", { rejected, reason: $("wf-review-reason").value.trim() },
    t("wf_reviewed", { n: rejected.length }), true);
}
