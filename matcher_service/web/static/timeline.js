// Where the round stands, for every role: the steps of the selection with the current one
// marked, and the log of what happened (who, when, what, why). Units and departments get
// the part of the log that concerns them (the service decides; see GET /rounds/{id}/timeline).

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { actionName, actorName, stateName, when } from "./roles.js";

const STEPS = ["nominating", "vetting", "reviewed", "proposed", "publicity", "approved", "published"];

export function stepper(state) {
  const at = STEPS.indexOf(state);
  return el("ol", { class: "wf-steps", id: "wf-steps" }, STEPS.map((s, i) => el("li", {
    class: i < at ? "done" : i === at ? "current" : "",
    "data-state": s,
    "aria-current": i === at ? "step" : null,
  }, stateName(s))));
}

export function eventTable(events) {
  if (!events.length) return el("p", { class: "hint" }, t("wf_no_events"));
  return el("table", { class: "grid wf-log", id: "wf-log" },
    el("thead", {}, el("tr", {}, [t("wf_col_when"), t("wf_col_who"), t("wf_col_what"), t("wf_col_subject"), t("wf_col_why")].map((h) => el("th", {}, h)))),
    el("tbody", {}, [...events].reverse().map((e) => el("tr", { "data-action": e.action },
      el("td", {}, when(e.at)), el("td", { class: "wrap" }, actorName(e.who, e.role)),
      el("td", {}, actionName(e.action, e.subject)),
      el("td", { class: "wrap" }, e.subject === "returned" ? "" : e.subject),
      el("td", { class: "wrap" }, e.reason)))));
}

// The whole block: title, where it stands, the publicity period, the log.
export async function timelineBlock(roundId) {
  const tl = await api.get(`/rounds/${encodeURIComponent(roundId)}/timeline`);
  const ends = tl.publicity_ends && tl.state === "publicity"
    ? el("p", { class: "hint" }, t("wf_publicity_until", { when: when(tl.publicity_ends) })) : null;
  return {
    timeline: tl,
    node: el("section", { class: "card wf-timeline", id: "wf-timeline" },
      el("h3", {}, t("wf_where", { state: stateName(tl.state) })),
      stepper(tl.state), ends, el("h4", {}, t("wf_log")), eventTable(tl.events)),
  };
}
