// A sortable, filterable, paginated table: only one page of rows is ever in the DOM, so a
// Datong-sized plan (thousands of posts) stays responsive.

import { t } from "./i18n.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export class Table {
  constructor(host, columns, { pageSize = 50, onRow, rowClass } = {}) {
    this.host = host;
    this.columns = columns; // [{key, label, value(row), text(row)?, numeric?, wrap?}]
    this.pageSize = pageSize;
    this.onRow = onRow;
    this.rowClass = rowClass;
    this.rows = [];
    this.shown = [];
    this.filter = () => true;
    this.sortKey = null;
    this.sortDir = 1;
    this.page = 0;
  }

  setRows(rows) { this.rows = rows; this.page = 0; this.refresh(); }
  setFilter(fn) { this.filter = fn; this.page = 0; this.refresh(); }

  sortBy(key) {
    this.sortDir = this.sortKey === key ? -this.sortDir : 1;
    this.sortKey = key;
    this.refresh();
  }

  refresh() {
    const shown = this.rows.filter(this.filter);
    const col = this.columns.find((c) => c.key === this.sortKey);
    if (col) {
      const dir = this.sortDir;
      shown.sort((a, b) => {
        const x = col.value(a), y = col.value(b);
        if (x === y) return 0;
        if (x === null || x === undefined || x === "") return 1;
        if (y === null || y === undefined || y === "") return -1;
        return (x < y ? -1 : 1) * dir;
      });
    }
    this.shown = shown;
    this.render();
  }

  showRow(predicate) {
    const i = this.shown.findIndex(predicate);
    if (i >= 0) { this.page = Math.floor(i / this.pageSize); this.render(); }
    return i >= 0;
  }

  render() {
    const pages = Math.max(1, Math.ceil(this.shown.length / this.pageSize));
    this.page = Math.min(this.page, pages - 1);
    const start = this.page * this.pageSize;
    const head = el("tr", {}, this.columns.map((c) => el("th", {
      class: c.numeric ? "num sortable" : "sortable",
      "aria-sort": this.sortKey === c.key ? (this.sortDir > 0 ? "ascending" : "descending") : null,
      onclick: () => this.sortBy(c.key),
    }, c.label, this.sortKey === c.key ? (this.sortDir > 0 ? " ▲" : " ▼") : "")));
    const body = this.shown.slice(start, start + this.pageSize).map((row) => el("tr", {
      class: this.rowClass ? this.rowClass(row) : null,
      tabindex: "0",
      onclick: () => this.onRow && this.onRow(row),
      onkeydown: (e) => { if (e.key === "Enter" && this.onRow) this.onRow(row); },
    }, this.columns.map((c) => el("td", { class: c.numeric ? "num" : c.wrap ? "wrap" : null },
      c.text ? c.text(row) : c.value(row) ?? ""))));
    const pager = el("div", { class: "pager" },
      el("button", { type: "button", disabled: this.page === 0 || null, onclick: () => { this.page--; this.render(); } }, t("prev")),
      el("span", { class: "pageinfo" }, t("rows", { n: this.shown.length, p: this.page + 1, q: pages })),
      el("button", { type: "button", disabled: this.page >= pages - 1 || null, onclick: () => { this.page++; this.render(); } }, t("next")));
    this.host.replaceChildren(el("table", { class: "grid" }, el("thead", {}, head), el("tbody", {}, body)), pager);
  }
}
