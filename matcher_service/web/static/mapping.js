// Column mapping (列的识别): what each column of the chosen workbook means, shown before import
// so the planner confirms or corrects it once; the import then sends it with the files.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";

const ROLES = ["字段", "意愿", "保留", "私密", "不读取"];

export class MappingView {
  constructor(box) {
    this.box = box;
    this.mapping = null;
  }

  // Ask the service what every column means (nothing is stored).
  async propose(files) {
    const form = new FormData();
    for (const f of files) form.append("files", f, f.name);
    const res = await api.call("POST", "/rounds/upload/mapping", { form });
    this.mapping = await res.json();
    this.render();
  }

  clear() {
    this.mapping = null;
    this.box.hidden = true;
    this.box.replaceChildren();
  }

  // The mapping as the planner left it, for the import's form field (null: none shown).
  current() {
    return this.mapping ? JSON.stringify(this.mapping) : null;
  }

  render() {
    const m = this.mapping;
    if (!m) return this.clear();
    const asks = m.sheets.reduce((n, s) => n + s.columns.filter((c) => c.question).length, 0);
    const parts = [el("h2", {}, t("map_title")), el("p", { class: "hint" }, asks ? t("map_asks", { n: asks }) : t("map_sure"))];
    for (const sheet of m.sheets) {
      parts.push(el("h3", {}, `${sheet.sheet}（${sheet["表"]}）`));
      const rows = sheet.columns.map((c) => el("tr", { class: c.question ? "unsure" : "" },
        el("td", {}, c["列"]), el("td", {}, c.header),
        el("td", {}, el("select", { "aria-label": t("map_role"), onchange: (e) => { c.role = e.target.value; } },
          ROLES.map((r) => el("option", { value: r, selected: r === c.role }, t(`map_role_${r}`))))),
        el("td", {}, el("input", { type: "text", value: c.field ?? "", size: 14, "aria-label": t("map_field"),
          onchange: (e) => { c.field = e.target.value.trim() || null; } })),
        el("td", {}, c["说明"] ?? ""),
        el("td", {}, `${Math.round(100 * c.confidence)}%`),
        el("td", {}, c.question ?? "")));
      parts.push(el("table", { class: "grid mapping" },
        el("thead", {}, el("tr", {}, ["map_col", "map_header", "map_role", "map_field", "map_meaning", "map_confidence", "map_question"].map((k) => el("th", {}, t(k))))),
        el("tbody", {}, rows)));
    }
    this.box.replaceChildren(...parts);
    this.box.hidden = false;
  }
}
