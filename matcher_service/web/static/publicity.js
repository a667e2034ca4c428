// Publicity (公示): the list as it is posted — name, unit, rank title, community and post; no
// ids, nothing private — and the objections received, each with how it was settled. The
// organisation department records objections and their resolution while publicity runs.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { Table, el } from "./table.js";
import { when } from "./roles.js";
import { postLabel, rankText } from "./plans.js";
import { wfError, wfSay } from "./workflow.js";

const $ = (id) => document.getElementById(id);

// The plan under publicity and the round version it was solved on (names, units, titles).
export async function publicised(view, planId) {
  const plan = await api.get(`/plans/${encodeURIComponent(planId)}`);
  const round = await api.get(view.path(`?version=${plan.round_version}`));
  const cadres = new Map(round.round.cadres.map((c) => [c.id, c]));
  const communities = new Map(round.round.communities.map((c) => [c.id, c]));
  const rows = plan.result.assignments.filter((a) => a.cadre).map((a) => {
    const c = cadres.get(a.cadre) || {}, m = communities.get(a.community) || {};
    return { id: a.cadre, name: c.name || "", unit: c.unit || "", title: rankText(c), community: m.name || "",
      district: m.district?.name || "", post: postLabel(a.post_type, a.slot) };
  }).sort((x, y) => `${x.district}${x.community}`.localeCompare(`${y.district}${y.community}`, "zh"));
  return { plan, round, rows, names: new Map(rows.map((r) => [r.id, r.name])) };
}

// A province's list is tens of thousands of names: one page of rows in the DOM at a time.
export function publicityTable(rows) {
  const host = el("div", { id: "wf-publicity-list" });
  const text = (key) => ({ key, label: "", value: (r) => r[key] });
  const columns = [["name", "wf_col_name"], ["unit", "col_unit"], ["title", "wf_col_rank_title"],
    ["district", "col_district"], ["community", "col_community"], ["post", "col_post"]]
    .map(([key, label]) => ({ ...text(key), label: t(label), wrap: key === "unit" || key === "community" }));
  const table = new Table(host, columns, { pageSize: 100 });
  table.setRows(rows);
  return host;
}

function objections(view, wf, names, record) {
  const items = wf.objections;
  const rows = items.map((o) => {
    const open = !o.resolution;
    const answer = open && record ? el("span", { class: "row" },
      el("input", { type: "text", "data-resolution": o.id, maxlength: "4000", "aria-label": t("wf_resolution"), placeholder: t("wf_resolution_hint") }),
      el("button", { type: "button", "data-resolve": o.id, onclick: () => resolve(view, o.id).catch(wfError) }, t("wf_resolve_go"))) : null;
    return el("tr", { "data-objection": o.id, class: open ? "open" : "resolved" },
      el("td", {}, when(o.recorded_at)), el("td", {}, o.cadre_id ? names.get(o.cadre_id) || t("wf_someone") : t("wf_whole_plan")),
      el("td", { class: "wrap" }, o.text),
      el("td", { class: "wrap" }, open ? (answer || t("wf_objection_open")) : `${o.resolution}（${o.resolved_by}）`));
  });
  const form = record ? el("div", { class: "wf-objection-form" },
    el("label", { class: "wf-field" }, el("span", {}, t("wf_objection_about")),
      el("select", { id: "wf-objection-cadre" }, el("option", { value: "" }, t("wf_whole_plan")),
        [...names].map(([id, name]) => el("option", { value: id }, name)))),
    el("label", { class: "wf-field" }, el("span", {}, t("wf_objection_text")),
      el("textarea", { id: "wf-objection-text", rows: "2", maxlength: "4000" })),
    el("button", { type: "button", id: "wf-objection-go", onclick: () => record_(view).catch(wfError) }, t("wf_objection_go"))) : null;
  return el("div", { id: "wf-objections" }, el("h4", {}, t("wf_objections", { n: items.length, open: items.filter((o) => !o.resolution).length })),
    items.length ? el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, [t("wf_col_when"), t("wf_objection_about"), t("wf_objection_text"), t("wf_resolution")].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows)) : el("p", { class: "hint" }, t("wf_no_objections")), form);
}

async function record_(view) {
  const text = $("wf-objection-text").value.trim();
  if (!text) return wfSay(t("wf_objection_needs_text"), "error");
  const cadre = $("wf-objection-cadre").value || null;
  await api.call("POST", view.path("/objections"), { json: { cadre_id: cadre, text } });
  await view.render();
  wfSay(t("wf_objection_recorded"));
}

async function resolve(view, id) {
  const text = document.querySelector(`input[data-resolution="${id}"]`).value.trim();
  if (!text) return wfSay(t("wf_resolution_needs_text"), "error");
  await api.call("POST", view.path(`/objections/${id}/resolve`), { json: { resolution: text } });
  await view.render();
  wfSay(t("wf_objection_resolved"));
}

export async function publicitySection(view, wf, record) {
  const { rows, names } = await publicised(view, wf.plan_id);
  const title = wf.state === "proposed" ? t("wf_publicity_preview") : t("wf_publicity_list");
  const ends = wf.publicity_ends ? el("p", { class: "hint" }, t("wf_publicity_until", { when: when(wf.publicity_ends) })) : null;
  return el("section", { class: "card", id: "wf-publicity" }, el("h3", {}, title, t("wf_count", { n: rows.length })), ends,
    el("div", { class: "scroll-x" }, publicityTable(rows)),
    wf.state === "proposed" ? null : objections(view, wf, names, record));
}
