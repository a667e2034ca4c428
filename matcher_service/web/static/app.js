// The page's shell: sign-in, language, rounds, import and the round's tabs.
// Each tab is its own module; all of them talk to the service through api.js only.

import * as api from "./api.js";
import { setLang, currentLang, t, translate } from "./i18n.js";
import { el } from "./table.js";
import { PlanView } from "./plan.js";
import { RulesView } from "./rules.js";
import { CompareView } from "./compare.js";
import { ReplaceView } from "./replace.js";
import { WorkflowView } from "./workflow.js";
import { Desk } from "./desk.js";
import { problemText, roleName, stateName } from "./roles.js";
import { MappingView } from "./mapping.js";

const $ = (id) => document.getElementById(id);

export const state = {
  me: null,          // {key_id, name, role, permissions}
  roundId: null,
  round: null,       // RoundOut of the version shown
  may(permission) { return !!this.me && this.me.permissions.includes(permission); },
};

export function notify(text, kind = "info") {
  const box = $("notice");
  box.textContent = text;
  box.className = `notice ${kind}`;
  box.hidden = !text;
}

export function failed(err) {
  if (err instanceof api.ApiError && err.status === 403) return notify(t("forbidden"), "error");
  if (err instanceof api.ApiError && err.status === 401) return signOut(t("bad_key"));
  if (err instanceof api.ApiError && err.status === 412) {
    notify(t("stale"), "error");
    return openRound(state.roundId);
  }
  if (!(err instanceof api.ApiError)) console.error(err); // a fault of the page: in the console
  notify(problemText(err), "error");
}

const views = {};
let desk = null; // a unit's or a vetting department's own view (they cannot read rounds)

function signOut(message = "") {
  api.signOut();
  state.me = null;
  $("workspace").hidden = true;
  $("desk").hidden = true;
  desk = null;
  $("who").hidden = true;
  $("sign-out").hidden = true;
  $("sign-in").hidden = false;
  $("sign-in-error").textContent = message;
  $("key").value = "";
}

async function signIn(event) {
  event.preventDefault();
  api.signIn($("key").value);
  $("key").value = ""; // the field does not keep it either
  try {
    state.me = await api.get("/me");
  } catch (err) {
    return signOut(problemText(err));
  }
  $("sign-in").hidden = true;
  $("workspace").hidden = false;
  $("sign-out").hidden = false;
  showWho();
  applyRole();
  if (!state.may("read")) { // units and vetting departments: their own desk
    desk = new Desk(state);
    return desk.list().catch(failedDesk);
  }
  if (state.me.role === "approver") switchTab("workflow"); // the 部务会 comes to approve
  await listRounds();
}

function failedDesk(err) {
  if (err instanceof api.ApiError && err.status === 401) return signOut(t("bad_key"));
  $("desk").hidden = false;
  $("desk-notice").hidden = false;
  $("desk-notice").className = "notice error";
  $("desk-notice").textContent = problemText(err);
}

function showWho() {
  const who = $("who");
  who.hidden = !state.me;
  if (!state.me) return;
  const role = roleName(state.me); // 市委组织部部务会 says its role already
  who.textContent = state.me.name.includes(role) ? state.me.name : t("signed_in_as", { name: state.me.name, role });
}

// Roles hide what they may not do; the service refuses it anyway.
function applyRole() {
  const write = state.may("write");
  $("import-card").hidden = !write;
  $("round-view").hidden = true;
  $("solve").hidden = !write;
  $("stop").hidden = !write;
  document.querySelector('[data-tab="rules"]').hidden = !write;
  document.querySelector('[data-tab="replace"]').hidden = !write;
}

export async function listRounds() {
  const list = $("rounds");
  if (!list.children.length) list.replaceChildren(el("li", { class: "hint" }, t("loading")));
  const [page, flows] = await Promise.all([api.get("/rounds?limit=200"),
    api.get("/workflows").then((w) => new Map(w.items.map((f) => [f.round_id, f.state]))).catch(() => new Map())]);
  if (!page.items.length) return list.replaceChildren(el("li", { class: "hint" }, t("no_rounds")));
  list.replaceChildren(...page.items.map((r) => el("li", {},
    el("button", {
      type: "button", class: r.id === state.roundId ? "round active" : "round", "data-round": r.id,
      onclick: () => openRound(r.id, { relist: false }).catch(failed),
    }, el("strong", {}, r.name), el("span", {}, t("version", { v: r.version })),
    el("small", {}, t("counts", { c: r.communities, k: r.cadres })),
    flows.has(r.id) ? el("span", { class: "wf-badge", "data-state": flows.get(r.id) }, stateName(flows.get(r.id))) : null))));
}

function markActive() {
  for (const b of document.querySelectorAll("#rounds [data-round]")) {
    b.classList.toggle("active", b.dataset.round === state.roundId);
  }
}

// Open a round: its body and the plan view's reads travel together; the tab in view is drawn
// first and the others load after it. ``relist``: read the list of rounds again (after a
// change); a click in the list only marks the round chosen.
export async function openRound(roundId, { relist = true } = {}) {
  state.roundId = roundId;
  views.plan.prefetch(roundId);
  const listed = relist ? listRounds() : (markActive(), null);
  state.round = await api.getRound(roundId);
  notify(""); // a message about the last round or step is superseded
  $("round-view").hidden = false;
  $("problems").hidden = true;
  $("import-update").disabled = false;
  $("round-title").textContent = `${state.round.name} · ${t("version", { v: state.round.version })}`;
  const tab = document.querySelector("[data-tab].active")?.dataset.tab;
  const first = views[tab] || views.plan;
  await first.load(state.round);
  await Promise.all([listed, ...Object.values(views).filter((v) => v !== first).map((v) => v.load(state.round))]);
}

function showProblems(problem) {
  const box = $("problems");
  const rows = problem.errors || [];
  box.hidden = false;
  const cell = (p, ...keys) => keys.map((k) => p[k]).find((v) => v !== undefined && v !== null && v !== "") ?? "";
  const table = el("table", { class: "grid" },
    el("thead", {}, el("tr", {}, ["col_sheet", "col_row", "col_column", "col_id", "col_message"].map((k) => el("th", {}, t(k))))),
    el("tbody", {}, rows.map((p) => el("tr", {},
      el("td", {}, cell(p, "sheet", "source")), el("td", {}, cell(p, "row", "where")),
      el("td", {}, cell(p, "column", "field")), el("td", {}, cell(p, "id")),
      el("td", {}, cell(p, `message_${currentLang()}`, "message"))))));
  const children = [el("h2", {}, t("problems_title", { n: rows.length || 1 }))];
  if (!rows.length) children.push(el("p", {}, problem.detail || problem.title));
  children.push(table);
  if (problem.marked) {
    children.push(el("button", { type: "button", class: "link", onclick: () => api.download(problem.marked, "marked.xlsx").catch(failed) }, t("marked")));
  } else if (lastUpload && lastUpload.some((f) => f.name.endsWith(".xlsx"))) {
    children.push(el("button", { type: "button", class: "link", id: "marked", onclick: () => downloadMarked().catch(failed) }, t("marked")));
  }
  box.replaceChildren(...children);
}

let lastUpload = null;

let mapping = null; // the column mapping shown for the chosen files, sent with the import

function formOf(files) {
  const form = new FormData();
  for (const f of files) form.append("files", f, f.name);
  const confirmed = mapping?.current();
  if (confirmed) form.append("mapping", confirmed);
  return form;
}

async function mapColumns() {
  const files = [...$("files").files];
  if (!files.length) return;
  try {
    await mapping.propose(files);
  } catch (err) {
    if (err instanceof api.ApiError && err.status === 422) return showProblems(err.problem);
    failed(err);
  }
}

// The marked workbook: the clerk's own file back, each problem cell highlighted and commented.
async function downloadMarked() {
  const lang = currentLang() === "en" ? "en" : "zh";
  const res = await api.call("POST", `/rounds/upload/validate?mark=xlsx&lang=${lang}`, { form: formOf(lastUpload) });
  const blob = await res.blob();
  const a = el("a", { href: URL.createObjectURL(blob), download: "问题标注.xlsx" });
  document.body.append(a);
  a.click();
  a.remove();
}

async function importFiles(update) {
  const files = [...$("files").files];
  if (!files.length) return;
  lastUpload = files;
  const status = $("import-status");
  status.textContent = t("importing");
  try {
    const body = update
      ? await api.writeRound("PUT", `/rounds/${encodeURIComponent(state.roundId)}/upload`, state.roundId, { form: formOf(files) })
      : await (await api.call("POST", "/rounds/upload", { form: formOf(files) })).json();
    status.textContent = t("imported", { name: body.name, v: body.version });
    await listRounds();
    await openRound(body.id, { relist: false }); // listed just now
  } catch (err) {
    status.textContent = "";
    if (err instanceof api.ApiError && err.status === 422) return showProblems(err.problem);
    failed(err);
  }
}

function switchTab(name) {
  notify(""); // a banner speaks of the last action; a new tab supersedes it
  for (const b of document.querySelectorAll("[data-tab]")) b.classList.toggle("active", b.dataset.tab === name);
  for (const p of document.querySelectorAll("[data-panel]")) p.hidden = p.dataset.panel !== name;
  views[name]?.shown?.();
}

// The chosen files by name (the browser's own label would be in the browser's language).
function showFiles() {
  const names = [...$("files").files].map((f) => f.name);
  $("file-names").textContent = names.length ? names.join("、") : t("page_no_files");
}

function relabel() {
  translate();
  showFiles();
  $("lang").textContent = t("lang_switch");
  showWho();
  if (state.may("read")) listRounds().catch(failed); // versions and counts in the new language
  if (state.round) $("round-title").textContent = `${state.round.name} · ${t("version", { v: state.round.version })}`;
  for (const v of Object.values(views)) v.relabel?.();
  desk?.relabel();
}

function start() {
  setLang("zh"); // Chinese first, whatever the browser says; the switch is one click away
  relabel();
  views.plan = new PlanView(state);
  views.rules = new RulesView(state);
  views.compare = new CompareView(state);
  views.replace = new ReplaceView(state);
  views.workflow = new WorkflowView(state);
  $("sign-in-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", () => signOut());
  $("lang").addEventListener("click", () => { setLang(currentLang() === "zh" ? "en" : "zh"); relabel(); });
  $("import-new").addEventListener("click", () => importFiles(false));
  $("import-update").addEventListener("click", () => importFiles(true));
  mapping = new MappingView($("mapping"));
  $("map-columns").addEventListener("click", () => mapColumns());
  $("files").addEventListener("change", () => { mapping.clear(); showFiles(); }); // a mapping is for its files
  for (const b of document.querySelectorAll("[data-tab]")) b.addEventListener("click", () => switchTab(b.dataset.tab));
}

window.addEventListener("DOMContentLoaded", start);
