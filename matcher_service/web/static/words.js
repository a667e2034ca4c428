// Figures as a department reads them: each with its unit, shares beside the head counts they
// come from, ranks as rungs (副县), people by name and title — never ids, points or solver terms.
// The same words as the CLI and the documents (matcher/analysis/kpi_words.py).

import { t, currentLang } from "./i18n.js";

const RUNGS = { zh: ["科员", "副科", "正科", "副县", "正县"], en: ["section member", "deputy section", "section", "deputy county", "county"] };

// key → unit kind (km, post, community, person, rank, share, wish, wish3)
export const KPI_UNITS = {
  posts: "post", filled: "post", vacancies: "post", vacancies_full_time: "post", vacancies_part_time: "post",
  total_km: "km", mean_km: "km", p90_km: "km", max_km: "km",
  weak_communities: "community", weak_rank_floor_met: "community", weak_skill_mix_met: "community",
  weak_mean_rank: "rank", skill_fit_rate: "share", first_choice_share: "wish", top3_share: "wish3",
  wish_givers: "person", wish_first: "person", wish_top3: "person", wish_elsewhere: "person", wish_unplaced: "person",
};

export function rankText(mean) {
  const rungs = RUNGS[currentLang()] || RUNGS.zh;
  const r = Math.min(Math.max(Math.round(mean), 0), rungs.length - 1);
  return Math.abs(mean - r) < 0.05 ? rungs[r] : t("w21_about", { x: rungs[r] });
}

export function kmText(value) {
  return value === null || value === undefined ? "—" : t("w21_km", { x: Number(value).toFixed(1) });
}

export function kpiText(key, value, k = {}) {
  if (value === null || value === undefined) return "—";
  const unit = KPI_UNITS[key];
  if (unit === "km") return kmText(value);
  if (unit === "post" || unit === "community") return t("w21_count", { n: value });
  if (unit === "person") return t("w21_people", { n: value });
  if (unit === "rank") return rankText(value);
  if (unit === "share" || unit === "wish" || unit === "wish3") {
    const pct = `${Math.round(100 * value)}%`;
    if (unit !== "share" && k.wish_givers) {
      return t("w21_share_of", { pct, n: k.wish_givers, hits: unit === "wish" ? k.wish_first : k.wish_top3 });
    }
    return pct;
  }
  return String(value);
}

export function kpiDelta(key, before, after) {
  const a = kpiText(key, before), b = kpiText(key, after);
  if (before === after || before === null || after === null || before === undefined || after === undefined) {
    return before === after ? t("w21_same", { x: a }) : `${a} → ${b}`;
  }
  const unit = KPI_UNITS[key];
  const d = after - before;
  let amount;
  if (unit === "km") amount = kmText(Math.abs(d));
  else if (unit === "share" || unit === "wish" || unit === "wish3") amount = t("w21_pp", { n: Math.round(Math.abs(100 * d)) });
  else if (unit === "rank") amount = t("w21_rungs", { n: Math.abs(d).toFixed(1) });
  else if (unit === "person") amount = t("w21_people", { n: Math.abs(d) });
  else amount = t("w21_count", { n: Math.abs(d) });
  return t(d > 0 ? "w21_up" : "w21_down", { a, b, x: amount });
}

// A person as the roster writes them: 张三（四级调研员）.
export function personText(cadre) {
  if (!cadre) return "";
  const title = cadre.rank_title || cadre.rank || "";
  return title ? t("w21_person", { name: cadre.name, title }) : cadre.name;
}

// A post as departments name it: 第一书记 / 兼职委员（2）(numbered, as in the roster, where a
// community has several).
export function postText(postType, slot, count = 2) {
  const base = t(postType === "full-time" ? "w21_first_secretary" : "w21_part_time");
  return count <= 1 || !slot ? base : t("w21_numbered", { base, n: slot });
}
