// Who is who, in the words departments use: roles, vetting departments, workflow states and
// steps; and an API refusal turned into a sentence a clerk can act on (never raw English).

import * as api from "./api.js";
import { t, currentLang } from "./i18n.js";

// A vetting department by its key (discipline → 纪委监委); an unknown one as the key says it.
export function deptName(key) {
  const text = t(`dept_${key}`);
  return text === `dept_${key}` ? key : text;
}

// The signed-in key as a department says it: 市财政局（派出单位）, 纪委监委（资格审查部门）.
export function roleName(me) {
  if (me.role === "vetter") return me.department ? deptName(me.department) : t("role_vetter");
  return t(`role_${me.role}`);
}

// An event's actor: the key's name, with its role when the name does not say it already.
export function actorName(who, role) {
  const r = t(`role_${role}`);
  return who && !who.includes(r) ? t("signed_in_as", { name: who, role: r }) : who || r;
}

export function stateName(state) { return t(`wf_state_${state}`); }

export function actionName(action, subject) {
  if (action === "reviewed" && subject === "returned") return t("wf_act_returned");
  const text = t(`wf_act_${action}`);
  return text === `wf_act_${action}` ? action : text;
}

const CJK = /[\u4e00-\u9fff]/;

// The Chinese half of a "中文 (English)" detail, when there is one.
function chinesePart(detail) {
  if (!detail || !CJK.test(detail)) return "";
  const cut = detail.search(/\s\((?=[A-Za-z])/);
  return cut > 0 ? detail.slice(0, cut) : detail;
}

// One line for an API error: the role refusals and states in words, the service's own
// Chinese where it wrote one, and problem lists counted (the caller shows their rows).
export function problemText(err) {
  if (!(err instanceof api.ApiError)) return t("wf_err_network");
  const p = err.problem || {};
  const kind = (p.type || "").split("/").pop();
  const zh = currentLang() === "zh";
  const own = zh ? chinesePart(p.detail) : p.detail;
  if (err.status === 401) return t("bad_key");
  if (err.status === 403) return own && kind === "forbidden" && CJK.test(own) && zh ? own : t("forbidden");
  if (err.status === 404) return own || t("wf_err_not_found");
  if (err.status === 422 && Array.isArray(p.errors) && p.errors.length) {
    const first = p.errors[0];
    const msg = (zh && first.message_zh) || first.message || "";
    const row = first.where ? `${first.where.replace(/^row (\d+).*/, zh ? "第$1行" : "row $1")}：` : "";
    return t("wf_err_rows", { n: p.errors.length, first: `${row}${msg}` });
  }
  if (own) return own;
  return t(`wf_err_${err.status}`) === `wf_err_${err.status}` ? t("wf_err_other") : t(`wf_err_${err.status}`);
}

// Dates and times as a clerk writes them: 2026-12-07 14:05.
export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
