// What the plan views share: id → record lookups from the round, and how values read.

import { t } from "./i18n.js";

const RANKS = ["科员", "副科", "正科", "副县", "正县"];

// Built once per round body: the plan, rules, compare and replacement tabs share one.
const built = new WeakMap();

export function lookups(round) {
  if (!built.has(round)) built.set(round, build(round));
  return built.get(round);
}

function build(round) {
  const community = new Map(round.communities.map((c) => [c.id, c]));
  const cadre = new Map(round.cadres.map((c) => [c.id, { ...c, rankOrder: RANKS.indexOf(c.rank) }]));
  const districtNames = new Map();
  for (const c of round.communities) districtNames.set(c.district.code, c.district.name);
  return { community, cadre, districtNames: new Map([...districtNames].sort()) };
}

// Posts are counted as people count them: the API's slot numbers are shown as they come.
export function postLabel(postType, slot) {
  return `${t(postType.replace("-", "_"))} ${slot}`;
}

// The title as the roster wrote it (四级调研员), else the rung of the ladder (副县).
export function rankText(cadre) {
  return cadre.rank_title || cadre.rank || "";
}

export function statusText(status) { return t(`status_${status}`); }

export function km(metres) { return metres === null || metres === undefined ? null : metres / 1000; }

export function fmt(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isInteger(value) ? value.toLocaleString() : value.toFixed(1);
  return String(value);
}
