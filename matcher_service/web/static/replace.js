// The replacement tab: recalled or unsuitable cadres out, their posts refilled with the fewest
// moves. It offers itself only when the service has the replacement endpoint. A worker decides
// the replacement: the tab follows its job (progress), then shows the report.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { failed, notify, openRound } from "./app.js";
import { lookups } from "./plans.js";
import { personText, postText } from "./words.js";

const $ = (id) => document.getElementById(id);
const TERMINAL = new Set(["succeeded", "failed", "cancelled", "timed_out", "interrupted"]);
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

  // Clerks type names (or ids): a unique name becomes its id; an unknown or shared name is
  // refused with the candidates listed, before anything is sent.
  resolve(text, look) {
    const out = [], problems = [];
    for (const ref of ids(text)) {
      if (look.cadre.has(ref)) { out.push(ref); continue; }
      const hits = [...look.cadre.values()].filter((c) => c.name === ref);
      if (hits.length === 1) out.push(hits[0].id);
      else if (!hits.length) problems.push(t("w21_no_such_cadre", { name: ref }));
      else problems.push(t("w21_ambiguous", { name: ref, n: hits.length, list: hits.map((c) => `${c.id}（${c.unit || ""}）`).join("；") }));
    }
    return { out, problems };
  }

  async replace() {
    notify("");
    const plan = document.getElementById("plan-select").value;
    if (!this.path || !plan) return notify(t("replace_missing"), "error");
    const look = lookups(this.state.round.round);
    const recall = this.resolve($("recall-ids").value, look);
    const unsuitable = this.resolve($("unsuitable-ids").value, look);
    const problems = [...recall.problems, ...unsuitable.problems];
    if (problems.length) return notify(problems.join("；"), "error");
    const body = {
      recall: recall.out,
      unsuitable: unsuitable.out.map((cadre) => ({ cadre, reason: "人岗不适" })),
    };
    const res = await api.call("POST", this.path.replace(/\{[^}]+\}/, encodeURIComponent(plan)), { json: body });
    // 202: a worker decides it (follow the job as the plan tab follows a solve); 201: a replay
    const out = res.status === 202 ? await this.follow(await res.json()) : await res.json();
    if (out) this.show(out, look);
  }

  // The job's progress until it ends; then its replacement report (null when it failed).
  async follow(job) {
    const bar = el("div", { class: "bar", id: "replace-bar" });
    const text = el("span", { id: "replace-progress-text" });
    $("replace-result").replaceChildren(el("div", { class: "progress", id: "replace-progress" }, bar, text));
    const show = (j) => {
      const p = j.progress || {};
      bar.style.width = `${Math.round(100 * (TERMINAL.has(j.state) ? 1 : p.fraction || 0))}%`;
      text.textContent = t("replace_progress", { state: t(`job_${j.state}`),
        t: j.started_at ? Math.max(0, (Date.now() - Date.parse(j.started_at)) / 1000).toFixed(1) : "0" });
    };
    show(job);
    $("replace-go").disabled = true;
    const done = new AbortController();
    try {
      await api.events(`/jobs/${encodeURIComponent(job.id)}/events`, (name, j) => {
        job = j;
        show(j);
        if (name === "end") done.abort();
      }, done.signal);
    } catch (err) {
      if (err.name !== "AbortError") throw err;
    } finally {
      $("replace-go").disabled = false;
    }
    if (job.state === "succeeded" && job.plan_id) {
      return (await api.call("GET", `/plans/${encodeURIComponent(job.plan_id)}/replacement`)).json();
    }
    // the worker's reason starts with its kind (no-plan:, invalid: …): the clerk reads the rest
    const why = (job.error || t(`job_${job.state}`)).replace(/^[a-z-]+: /, "");
    notify(t("replace_failed", { why }), "error");
    return null;
  }

  show(out, look) {
    const level = (name) => (out.levels || []).find((l) => l.name === name);
    const vac = level("vacancies"), moves = level("moves");
    const proven = [vac, moves].every((l) => !l || l.proven);
    const summary = t(proven ? "w21_replace_proven" : "w21_replace_found", { v: vac ? vac.value : 0, m: moves ? moves.value : 0 });
    const names = new Map(this.state.round.round.communities.map((c) => [c.id, c.name]));
    const place = (p) => (p ? `${names.get(p.community) || p.community} ${postText(p.post_type, 0, 1)}` : "—");
    const changes = (out.changes || []).map((c) => el("tr", {},
      el("td", {}, personText(look.cadre.get(c.cadre)) || c.cadre), el("td", {}, t(`kind_${c.kind}`)), el("td", {}, place(c.from)), el("td", {}, place(c.to)),
      el("td", { class: "wrap" }, c.reason)));
    const file = t("w21_file_adjustments", { round: this.state.round.name });
    const progress = $("replace-progress");  // the job just followed (none for a replay)
    $("replace-result").replaceChildren(...(progress ? [progress] : []),
      el("h3", {}, t("w21_replace_done", { status: t(`status_${out.status}`) })),
      el("p", { id: "levels" }, summary),
      el("table", { class: "grid", id: "changes" }, el("thead", {}, el("tr", {},
        [t("col_cadre"), t("change_kind"), t("change_from"), t("change_to"), t("why")].map((h) => el("th", {}, h)))),
      el("tbody", {}, changes)),
      el("div", { class: "row" },
        el("button", { type: "button", class: "link", id: "adjustments",
          onclick: () => api.download(`/plans/${out.plan_id}/adjustments.xlsx`, file).catch(failed) }, t("dl_adjustments")),
        el("button", { type: "button", class: "primary", id: "open-replacement",
          onclick: () => openRound(out.round_id).catch(failed) }, t("open_replacement"))));
  }
}
