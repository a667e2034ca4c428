// The plan tab: solve with live progress and a stop button, the plan as a map beside a table,
// a post's explanation with its best alternatives, lock and unlock with a click.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { PlanMap } from "./map.js";
import { Table, el } from "./table.js";
import { failed, notify, openRound } from "./app.js";
import { lookups, rankText, statusText, km, fmt } from "./plans.js";
import { kpiText, postText } from "./words.js";

const $ = (id) => document.getElementById(id);
const TERMINAL = new Set(["succeeded", "failed", "cancelled", "interrupted"]);

export class PlanView {
  constructor(state) {
    this.state = state;
    this.planId = null;
    this.job = null;
    this.map = null;
    this.table = new Table($("post-table"), this.columns(), {
      onRow: (row) => this.explain(row).catch(failed),
      rowClass: (row) => [row.vacant ? "vacant" : "", row.locked ? "locked" : "", row.key === this.selected ? "selected" : ""].join(" "),
    });
    $("solve").addEventListener("click", () => this.solve().catch(failed));
    $("stop").addEventListener("click", () => this.stop().catch(failed));
    $("plan-select").addEventListener("change", (e) => this.show(e.target.value).catch(failed));
    for (const id of ["search", "district-filter", "weak-only", "vacant-only", "locked-only"]) {
      $(id).addEventListener("input", () => this.applyFilter());
    }
    for (const b of document.querySelectorAll("[data-dl]")) {
      b.addEventListener("click", () => this.download(b.dataset.dl).catch(failed));
    }
  }

  columns() {
    return [
      { key: "district", label: t("col_district"), value: (r) => r.district },
      { key: "community", label: t("col_community"), value: (r) => r.community, wrap: true },
      { key: "post", label: t("col_post"), value: (r) => r.postOrder, text: (r) => r.post },
      { key: "cadre", label: t("col_cadre"), value: (r) => r.cadre, text: (r) => r.vacant ? t("vacant") : r.cadre },
      { key: "rank", label: t("col_rank"), value: (r) => r.rankOrder, text: (r) => r.rank },
      { key: "unit", label: t("col_unit"), value: (r) => r.unit, wrap: true },
      { key: "km", label: t("col_km"), numeric: true, value: (r) => r.km, text: (r) => r.km === null ? "" : r.km.toFixed(1) },
      { key: "weak", label: t("col_weak"), value: (r) => (r.weak ? 1 : 0), text: (r) => (r.weak ? t("yes") : "") },
      { key: "locked", label: t("col_locked"), value: (r) => (r.locked ? 1 : 0), text: (r) => (r.locked ? t("yes") : "") },
    ];
  }

  relabel() {
    this.table.columns = this.columns();
    this.table.render();
    this.map?.relabel();
    if (this.result) this.score();
    if (this.look) this.fillDistricts();
    if (this.plans) this.fillPlans(this.plans);
    if (this.job) this.progress(this.job);
  }

  // The district filter and the plan list speak the page's language too (kept on relabel).
  fillDistricts() {
    const select = $("district-filter"), chosen = select.value;
    select.replaceChildren(el("option", { value: "" }, t("all_districts")),
      ...[...this.look.districtNames].map(([code, name]) => el("option", { value: code }, name)));
    select.value = chosen;
  }

  fillPlans(plans) {
    const select = $("plan-select"), chosen = select.value;
    select.replaceChildren(...plans.map((p) => el("option", { value: p.id },
      t("plan_label", { when: `${t("version", { v: p.round_version })} ${p.created_at.slice(5, 16).replace("T", " ")}`, status: statusText(p.status) }))));
    if (chosen) select.value = chosen;
  }

  shown() { this.map?.resize(); }

  // The plan view's reads start with the round's own (openRound calls this first): the
  // outlines, the plans and the newest plan with its map and figures need only the round's
  // id, so they travel beside the round, not after it.
  prefetch(roundId) {
    const rid = encodeURIComponent(roundId);
    const districts = api.get(`/rounds/${rid}/districts`);
    const plans = api.get(`/rounds/${rid}/plans`).then((p) => p.items);
    const newest = plans.then((items) => (items.length ? this.fetchPlan(items[items.length - 1].id) : null));
    for (const p of [districts, plans, newest]) p.catch(() => {}); // awaited (and reported) in load
    this.early = { roundId, districts, plans, newest };
  }

  fetchPlan(planId) {
    return Promise.all([
      api.get(`/plans/${planId}`),
      api.get(`/plans/${planId}/export/geojson`),
      api.get(`/plans/${planId}/kpis`).catch(() => null),
    ]).then(([plan, features, kpis]) => ({ planId, plan, features, kpis }));
  }

  async load(round) {
    this.round = round;
    this.look = lookups(round.round);
    if (!this.map) this.map = new PlanMap($("map"), (id) => this.community(id));
    if (this.early?.roundId !== round.id) this.prefetch(round.id);
    const early = this.early;
    this.early = null;
    const districts = early.districts.then((d) => {
      this.state.districts = d;
      this.map.showDistricts(d);
    });
    $("district-filter").value = "";
    this.fillDistricts();
    await Promise.all([this.listPlans(undefined, early), districts]);
  }

  async listPlans(pick, early = null) {
    const plans = early ? await early.plans : (await api.get(`/rounds/${encodeURIComponent(this.round.id)}/plans`)).items;
    this.plans = plans;
    const select = $("plan-select");
    this.fillPlans(plans);
    document.dispatchEvent(new CustomEvent("plans-changed", { detail: plans }));
    const chosen = pick || (plans.length ? plans[plans.length - 1].id : null);
    if (chosen) { select.value = chosen; await this.show(chosen, early && !pick ? await early.newest : null); }
    else {
      this.planId = null;
      this.table.setRows([]);
      $("score").replaceChildren(el("p", { class: "hint" }, t("no_plan")));
    }
  }

  async show(planId, fetched = null) {
    this.planId = planId;
    this.lastWhy = null;
    const { plan, features, kpis } = fetched?.planId === planId ? fetched : await this.fetchPlan(planId);
    if (this.planId !== planId) return; // another plan was chosen meanwhile
    this.result = plan.result;
    this.kpis = kpis && kpis.plan;
    this.counts = new Map(); // posts per (community, type): "第一书记 2/3" needs the total
    for (const a of plan.result.assignments) {
      const k = `${a.community}/${a.post_type}`;
      this.counts.set(k, (this.counts.get(k) || 0) + 1);
    }
    this.rows = plan.result.assignments.map((a) => this.row(a));
    this.table.rows = this.rows;
    this.applyFilter(); // renders the table's first page once
    this.map.showPlan(features);
    this.score();
    $("detail").hidden = true;
    $("map").dataset.plan = planId; // drawn: what a test or the benchmark waits for
  }

  row(a) {
    const c = this.look.community.get(a.community) || {};
    const p = a.cadre ? this.look.cadre.get(a.cadre) || {} : {};
    return {
      key: `${a.community}/${a.post_type}/${a.slot}`,
      assignment: a,
      communityId: a.community,
      districtCode: c.district?.code,
      district: c.district?.name || "",
      community: c.name || a.community,
      post: postText(a.post_type, a.slot, this.postCount(a)),
      postOrder: `${a.post_type === "full-time" ? 0 : 1}${String(a.slot).padStart(3, "0")}`,
      cadreId: a.cadre,
      cadre: a.cadre ? p.name || "" : "",
      rank: a.cadre ? rankText(p) : "",
      rankOrder: p.rankOrder ?? -1,
      unit: p.unit || "",
      km: km(a.distance_m),
      weak: !!c.weak,
      vacant: !a.cadre,
      locked: a.locked,
    };
  }

  postCount(a) { return this.counts.get(`${a.community}/${a.post_type}`) || 0; }

  applyFilter() {
    const q = $("search").value.trim().toLowerCase();
    const district = $("district-filter").value;
    const weak = $("weak-only").checked, vacant = $("vacant-only").checked, locked = $("locked-only").checked;
    this.table.setFilter((r) => (!district || r.districtCode === district)
      && (!weak || r.weak) && (!vacant || r.vacant) && (!locked || r.locked)
      && (!q || `${r.community} ${r.communityId} ${r.cadre} ${r.cadreId || ""} ${r.unit}`.toLowerCase().includes(q)));
  }

  // The plan in figures with their units, people left without a post and empty posts named;
  // the solver's record (objective, bound, gap, method, terms) goes to the technical tab.
  score() {
    const r = this.result, k = this.kpis;
    const facts = [];
    if (k) {
      for (const key of ["posts", "filled", "vacancies", "mean_km", "max_km", "weak_rank_floor_met", "skill_fit_rate"]) {
        const value = key === "weak_rank_floor_met" ? `${k.weak_rank_floor_met} / ${kpiText("weak_communities", k.weak_communities)}` : kpiText(key, k[key], k);
        facts.push([t(`kpi_${key}`), value]);
      }
      if (k.wish_givers) {
        for (const key of ["wish_givers", "first_choice_share", "wish_elsewhere", "wish_unplaced"]) facts.push([t(`kpi_${key}`), kpiText(key, k[key], k)]);
      }
    }
    const name = (id) => this.look.cadre.get(id)?.name || id;
    const gaps = r.assignments.filter((a) => !a.cadre).map((a) => `${this.look.community.get(a.community)?.name || a.community} ${postText(a.post_type, a.slot, this.postCount(a))}`);
    const left = (r.unplaced_cadres || []).map(name);
    const list = (items) => (items.length > 20 ? t("w21_and_more", { list: items.slice(0, 20).join("、"), n: items.length }) : items.join("、"));
    const conflicts = (r.conflicts || []).map((c) => el("li", {}, c.message));
    $("score").replaceChildren(...[
      el("p", { class: `status ${r.status}` }, statusText(r.status)),
      el("dl", {}, facts.flatMap(([a, b]) => [el("dt", {}, a), el("dd", {}, b)])),
      gaps.length ? el("p", { class: "names", id: "vacant-names" }, t("w21_vacant_posts", { list: list(gaps) })) : null,
      left.length ? el("p", { class: "names", id: "unplaced-names" }, t("w21_unplaced", { list: list(left) })) : null,
      conflicts.length ? el("div", { class: "conflicts" }, el("h3", {}, t("conflicts")), el("ul", {}, conflicts)) : null,
    ].filter(Boolean));
    this.technical();
  }

  // The technical tab: the solver's own record, for the engineer, not for the 部务会.
  technical() {
    const box = $("technical");
    if (!box) return;
    const r = this.result;
    const facts = [
      [t("objective"), fmt(r.objective)], [t("bound"), fmt(r.bound)],
      [t("gap"), r.gap === null ? "" : `${(100 * r.gap).toFixed(2)}%`], [t("method"), r.method],
      [t("time_s"), r.time_s.toFixed(2)],
    ];
    const terms = Object.entries(r.terms || {}).map(([n, v]) => el("li", {}, `${t(`term_${n}`)}：${fmt(v)}`));
    const notes = (r.notes || []).map((n) => el("li", {}, n));
    box.replaceChildren(...[
      el("p", { class: "hint" }, t("w21_technical_hint")),
      el("dl", {}, facts.flatMap(([a, b]) => [el("dt", {}, a), el("dd", {}, b)])),
      terms.length ? el("div", {}, el("h3", {}, t("terms")), el("ul", { class: "terms" }, terms)) : null,
      notes.length ? el("ul", { class: "hint" }, notes) : null,
      this.lastWhy ? el("div", {}, el("h3", {}, t("w21_post_record")), el("p", {}, this.lastWhy.technical),
        el("ul", { class: "terms" }, this.lastWhy.alternatives.map((x) => el("li", {}, `${x.name}：${x.technical}`)))) : null,
    ].filter(Boolean));
  }

  community(id) {
    $("search").value = id;
    this.applyFilter();
    const row = this.rows.find((r) => r.communityId === id);
    if (row) this.explain(row).catch(failed);
  }

  async explain(row) {
    this.selected = row.key;
    this.table.render();
    this.map.focus(row.communityId);
    const a = row.assignment;
    const why = await api.get(`/plans/${this.planId}/why/${encodeURIComponent(a.community)}/${a.post_type}/${a.slot}?k=3`);
    const box = $("detail");
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
    this.lastWhy = why;
    this.technical();
    const alts = why.alternatives.map((x) => {
      const p = this.look.cadre.get(x.cadre_id) || {};
      const take = this.state.may("lock") && x.cadre_id !== row.cadreId
        ? el("button", { type: "button", class: "link take", onclick: () => this.lock(row, x.cadre_id).catch(failed) }, t("take"))
        : null;
      return el("tr", {}, el("td", {}, p.name || x.name), el("td", {}, rankText(p)),
        el("td", { class: "num" }, km(x.distance_m)?.toFixed(1) ?? ""),
        el("td", { class: "wrap" }, x.why), el("td", {}, take));
    });
    const actions = [];
    if (this.state.may("lock") && row.cadreId) {
      actions.push(row.locked
        ? el("button", { type: "button", id: "unlock", onclick: () => this.unlock(row).catch(failed) }, t("unlock"))
        : el("button", { type: "button", id: "lock", class: "primary", onclick: () => this.lock(row).catch(failed) }, t("lock")));
    }
    box.replaceChildren(...[
      el("h3", {}, t("detail_title", { community: row.community, post: row.post })),
      el("p", {}, el("strong", {}, row.vacant ? t("vacant") : row.cadre), row.rank ? `　${row.rank}　${row.unit}` : "",
        row.km === null ? "" : `　${kpiText("mean_km", row.km)}`),
      row.locked ? el("p", { class: "hint" }, t("locked_note")) : null,
      el("h4", {}, t("why")), el("p", { class: "why" }, why.why),
      alts.length ? el("h4", {}, t("alternatives")) : null,
      alts.length ? el("table", { class: "grid alternatives" }, el("thead", {}, el("tr", {},
        [t("col_cadre"), t("col_rank"), t("col_km"), t("alt_why"), ""].map((h) => el("th", {}, h)))), el("tbody", {}, alts)) : null,
      el("div", { class: "row" }, actions),
    ].filter(Boolean));
  }

  // Lock the post's cadre (or another one, from the alternatives) to this community and type.
  async lock(row, cadre = row.cadreId) {
    const a = row.assignment;
    const body = await api.writeRound("PUT", `/rounds/${encodeURIComponent(this.round.id)}/locks`, this.round.id,
      { json: { cadre, community: a.community, post_type: a.post_type, reason: "规划人员在工作台锁定" } });
    await openRound(this.round.id);
    notify(t("lock_done", { v: body.version }));
  }

  async unlock(row) {
    const body = await api.writeRound("POST", `/rounds/${encodeURIComponent(this.round.id)}/locks/remove`, this.round.id,
      { json: { cadre: row.cadreId } });
    await openRound(this.round.id);
    notify(t("unlock_done", { v: body.version }));
  }

  async solve() {
    notify("");
    const limit = Number($("time-limit").value) || 60;
    const res = await api.call("POST", `/rounds/${encodeURIComponent(this.round.id)}/solve?time_limit_s=${limit}`);
    this.job = await res.json();
    $("solve").disabled = true;
    $("stop").disabled = false;
    $("progress").hidden = false;
    this.progress(this.job);
    const done = new AbortController();
    try {
      await api.events(`/jobs/${this.job.id}/events`, (name, job) => {
        this.job = job;
        this.progress(job);
        if (name === "end") done.abort();
      }, done.signal);
    } catch (err) {
      if (err.name !== "AbortError") throw err;
    } finally {
      $("solve").disabled = false;
      $("stop").disabled = true;
    }
    if (this.job.plan_id) await this.listPlans(this.job.plan_id);
    else notify(this.job.error || t(`job_${this.job.state}`), "error");
  }

  progress(job) {
    const p = job.progress || {};
    $("progress-bar").style.width = `${Math.round(100 * (TERMINAL.has(job.state) ? 1 : p.fraction || 0))}%`;
    $("progress-text").textContent = t("w21_progress", {
      state: t(`job_${job.state}`), t: job.started_at ? Math.max(0, (Date.now() - Date.parse(job.started_at)) / 1000).toFixed(1) : "0",
    });
  }

  async stop() {
    if (!this.job) return;
    await api.call("DELETE", `/jobs/${this.job.id}`);
  }

  // Files named for the clerk's folder: the round's name, its version and what the file is.
  async download(fmt) {
    if (!this.planId) return;
    const plan = (this.plans || []).find((p) => p.id === this.planId);
    const v = plan ? plan.round_version : this.round.version;
    const name = t("w21_file", { round: this.round.name, v, what: t(`w21_file_${fmt}`), ext: fmt });
    await api.download(`/plans/${this.planId}/export/${fmt}`, name);
  }
}
