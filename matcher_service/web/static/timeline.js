// Where the round stands, for every role: the steps of the selection with the current one
// marked, and the log of what happened (who, when, what, why). Units and departments get
// the part of the log that concerns them (the service decides; see GET /rounds/{id}/timeline).

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { actionName, actorName, deptName, stateName, when } from "./roles.js";

const STEPS = ["nominating", "vetting", "reviewed", "proposed", "publicity", "approved", "published"];

export function stepper(state) {
  const at = STEPS.indexOf(state);
  return el("ol", { class: "wf-steps", id: "wf-steps" }, STEPS.map((s, i) => el("li", {
    class: i < at ? "done" : i === at ? "current" : "",
    "data-state": s,
    "aria-current": i === at ? "step" : null,
  }, stateName(s))));
}

// What the log says about its subject and reason, in words (the store logs them tersely).
function subjectText(e) {
  const s = e.subject || "";
  let m;
  if (e.action === "clear") return deptName(s);
  if (s === "returned") return "";
  if ((m = s.match(/^(\d+) days$/))) return t("wf_days", { n: m[1] });
  if ((m = s.match(/^(\d+) working days$/))) return t("page_working_days", { n: m[1] });
  if ((m = s.match(/^objection (\d+)$/))) return t("wf_objection_n", { n: m[1] });
  if ((m = s.match(/^version (\d+)$/))) return t("version", { v: m[1] });
  if (/^p_[0-9a-f]+$/.test(s)) return t("wf_the_plan");
  return s;
}

function reasonText(e) {
  const sheet = (text) => text.replace(/^sheet (.+)$/, (_, name) => t("wf_by_sheet", { name }));
  const m = (e.reason || "").match(/^(\d+) answers: (\d+) cleared, (\d+) refused\.?\s*(.*)$/s);
  if (!m) return sheet(e.reason || "");
  const rest = sheet(m[4]);
  return `${t("wf_answers", { n: m[1], c: m[2], r: m[3] })}${rest ? ` ${rest}` : ""}`;
}

export function eventTable(events) {
  if (!events.length) return el("p", { class: "hint" }, t("wf_no_events"));
  return el("table", { class: "grid wf-log", id: "wf-log" },
    el("thead", {}, el("tr", {}, [t("wf_col_when"), t("wf_col_who"), t("wf_col_what"), t("wf_col_subject"), t("wf_col_why")].map((h) => el("th", {}, h)))),
    el("tbody", {}, [...events].reverse().map((e) => el("tr", { "data-action": e.action },
      el("td", {}, when(e.at)), el("td", { class: "wrap" }, actorName(e.who, e.role)),
      el("td", {}, actionName(e.action, e.subject)),
      el("td", { class: "wrap" }, subjectText(e)),
      el("td", { class: "wrap" }, reasonText(e))))));
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
