// Rules as the sentences a department writes, each one editable in place:
// "【软弱涣散社区】的【第一书记】不低于【正科】", "【市直】选派的【第一书记】不少于【100】名",
// "【软弱涣散社区】的【兼职委员】中至少【1】名具备【财政、交通】专长". The same sentences as
// the CLI's rule check and diff (matcher/analysis/rule_sentences.py).

import { t, currentLang } from "./i18n.js";
import { el } from "./table.js";

// Mirror of matcher/model/skills.py SKILLS (tests/matcher_service/test_rule_sentences_page.py
// checks they agree).
export const SKILLS = {
  "party-building": "党建", petitions: "信访", "community-work": "社区工作", "mass-work": "群众工作",
  finance: "财政", transport: "交通", "business-environment": "营商环境", "political-legal": "政法",
  law: "法律", economy: "经济", "urban-planning": "规划", "civil-affairs": "民政", health: "卫生健康",
  education: "教育", emergency: "应急管理", "social-work": "社会工作", digital: "信息化", "elderly-care": "养老服务",
  "urban-management": "城市管理", audit: "审计", writing: "文字综合",
};
const BY_WORD = Object.fromEntries(Object.entries(SKILLS).map(([tag, zh]) => [zh, tag]));
const RANKS = ["科员", "副科", "正科", "副县", "正县"];
const RANK_EN = ["section member", "deputy section", "section", "deputy county", "county"];
const ALIASES = { "section-member": 0, "deputy-section": 1, section: 2, "deputy-county": 3, county: 4, 副处: 3, 正处: 4 };

export function skillWords(tags) {
  const zh = currentLang() !== "en";
  return (tags || []).map((s) => (zh ? SKILLS[s] || s : s)).join(zh ? "、" : ", ");
}

export function skillTags(text) {
  return text.split(/[、,，;；\s]+/).map((s) => s.trim()).filter(Boolean).map((s) => BY_WORD[s] || s);
}

function rungOf(rank) {
  const i = RANKS.indexOf(rank);
  return i >= 0 ? i : ALIASES[rank] ?? 1;
}

const isWeak = (where) => where && where.weak === true && Object.keys(where).every((k) => ["weak", "match"].includes(k) || (Array.isArray(where[k]) ? !where[k].length : where[k] === null || where[k] === undefined));
const isAll = (where) => !where || Object.values(where).every((v) => (Array.isArray(v) ? !v.length : v === null || v === undefined || v === "all"));

// The scope of a rule: weak communities, every community, or (kept as imported) something else.
function scopeSelect(name, where) {
  const value = isWeak(where) ? "weak" : isAll(where) ? "all" : "kept";
  const options = [["weak", t("w21_scope_weak")], ["all", t("w21_scope_all")]];
  if (value === "kept") options.push(["kept", t("w21_scope_kept")]);
  return el("select", { name, "aria-label": t("w21_scope") },
    options.map(([v, label]) => el("option", { value: v, selected: v === value || null }, label)));
}

function postSelect(name, postType) {
  return el("select", { name, "aria-label": t("col_post") }, ["full-time", "part-time"].map((p) =>
    el("option", { value: p, selected: p === postType || null }, t(p === "full-time" ? "w21_first_secretary" : "w21_part_time"))));
}

function rankSelect(name, rank) {
  const r = rungOf(rank), words = currentLang() === "en" ? RANK_EN : RANKS;
  return el("select", { name, "aria-label": t("col_rank") }, RANKS.map((v, i) => el("option", { value: v, selected: i === r || null }, words[i])));
}

function levelSelect(name, level) {
  return el("select", { name, "aria-label": t("w21_level") }, ["city", "county", "street"].map((v) =>
    el("option", { value: v, selected: v === level || null }, t(`w21_level_${v}`))));
}

const num = (name, value, attrs = {}) => el("input", { type: "number", name, value: value ?? "", min: "0", step: "1", class: "small", ...attrs });
const onBox = (name, on) => el("label", { class: "on" }, el("input", { type: "checkbox", name, checked: on !== false || null }), t("w21_on"));
const removeButton = (onclick) => el("button", { type: "button", class: "link remove", onclick }, t("w21_remove"));

// One editable sentence per listed rule; ``onChange(mutate)`` keeps the edits made so far,
// applies the add or remove and renders again.
export function ruleLists(rules, onChange) {
  const floors = (rules.rank_floors || []).map((f, i) => el("li", { class: "sentence" },
    scopeSelect(`floor.${i}.scope`, f.where), t("w21_of"), postSelect(`floor.${i}.post`, f.post_type || "full-time"),
    t("w21_not_below"), rankSelect(`floor.${i}.rank`, f.min_rank || "副科"),
    f.levels?.length ? t("w21_from_levels", { x: f.levels.map((l) => t(`w21_level_${l}`)).join("、") }) : "",
    onBox(`floor.${i}.on`, f.enabled), removeButton(() => onChange(() => rules.rank_floors.splice(i, 1)))));
  const quotas = (rules.source_quotas || []).map((q, i) => el("li", { class: "sentence" },
    q.level ? levelSelect(`quota.${i}.level`, q.level) : el("span", {}, (q.units || []).join("、")),
    t("w21_sent"), postSelect(`quota.${i}.post`, q.post_type || "full-time"),
    t("w21_at_least"), num(`quota.${i}.min`, q.min), t("w21_at_most"), num(`quota.${i}.max`, q.max), t("w21_persons"),
    onBox(`quota.${i}.on`, q.enabled), removeButton(() => onChange(() => rules.source_quotas.splice(i, 1)))));
  const mixes = (rules.skill_mix || []).map((m, i) => el("li", { class: "sentence" },
    scopeSelect(`mix.${i}.scope`, m.where), t("w21_of"), postSelect(`mix.${i}.post`, m.post_type || "part-time"),
    t("w21_among"), num(`mix.${i}.n`, m.min_count ?? 1, { min: "1" }), t("w21_with"),
    el("input", { type: "text", name: `mix.${i}.skills`, value: skillWords(m.any_of), class: "skills", "aria-label": t("w21_skills") }),
    t("w21_skills_tail"),
    onBox(`mix.${i}.on`, m.enabled), removeButton(() => onChange(() => rules.skill_mix.splice(i, 1)))));
  const add = (label, list, item) => el("button", { type: "button", class: "link add", onclick: () => onChange(() => (rules[list] ||= []).push(item)) }, label);
  return [
    el("h3", {}, t("w21_floors")), el("ul", { class: "sentences", id: "rank-floors" }, floors),
    add(t("w21_add_floor"), "rank_floors", { name: "职级要求", min_rank: "正科", post_type: "full-time", where: { weak: true } }),
    el("h3", {}, t("w21_quotas")), el("ul", { class: "sentences", id: "source-quotas" }, quotas),
    add(t("w21_add_quota"), "source_quotas", { name: "来源比例", level: "city", post_type: "full-time", min: 1 }),
    el("h3", {}, t("w21_mixes")), el("ul", { class: "sentences", id: "skill-mix" }, mixes),
    add(t("w21_add_mix"), "skill_mix", { name: "专长配备", post_type: "part-time", where: { weak: true }, any_of: ["finance"], min_count: 1 }),
  ];
}

// Read the edited sentences back into ``rules`` (fields the page does not show are kept).
export function readRuleLists(form, rules) {
  const f = new FormData(form);
  const scope = (value, where) => (value === "weak" ? { weak: true } : value === "all" ? {} : where);
  const int = (v) => (v === null || v === "" ? null : Number(v));
  (rules.rank_floors || []).forEach((x, i) => {
    x.where = scope(f.get(`floor.${i}.scope`), x.where);
    x.post_type = f.get(`floor.${i}.post`);
    x.min_rank = f.get(`floor.${i}.rank`);
    x.enabled = f.get(`floor.${i}.on`) !== null;
  });
  (rules.source_quotas || []).forEach((x, i) => {
    if (f.get(`quota.${i}.level`) !== null) x.level = f.get(`quota.${i}.level`);
    x.post_type = f.get(`quota.${i}.post`);
    x.min = int(f.get(`quota.${i}.min`));
    x.max = int(f.get(`quota.${i}.max`));
    x.enabled = f.get(`quota.${i}.on`) !== null;
  });
  (rules.skill_mix || []).forEach((x, i) => {
    x.where = scope(f.get(`mix.${i}.scope`), x.where);
    x.post_type = f.get(`mix.${i}.post`);
    x.min_count = int(f.get(`mix.${i}.n`)) ?? 1;
    x.any_of = skillTags(f.get(`mix.${i}.skills`) || "");
    x.enabled = f.get(`mix.${i}.on`) !== null;
  });
}

// Locks and forbidden pairs as sentences naming people and places.
export function pairSentences(rules, look) {
  const who = (id) => look.cadre.get(id)?.name || id;
  const where = (id) => look.community.get(id)?.name || id;
  const locks = (rules.locks || []).map((p) => el("li", {}, t("w21_lock", { who: who(p.cadre), where: where(p.community) })));
  const banned = (rules.forbidden_pairs || []).map((p) => el("li", {}, t("w21_forbid", { who: who(p.cadre), where: where(p.community) })));
  return [
    el("h3", {}, t("w21_locks")), el("ul", { class: "sentences", id: "locks" }, locks.length ? locks : el("li", { class: "hint" }, t("w21_none"))),
    el("h3", {}, t("w21_forbidden")), el("ul", { class: "sentences", id: "forbidden" }, banned.length ? banned : el("li", { class: "hint" }, t("w21_none"))),
  ];
}
