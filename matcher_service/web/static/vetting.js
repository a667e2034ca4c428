// A vetting department (纪委监委, 信访局, 政法委 …) answers its own check on the nominees: one
// by one (通过 / 不通过 / 待审 with a note) or by uploading its own sheet. It sees only who the
// nominees are and its own answers; nothing of other departments.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { deptName } from "./roles.js";
import { timelineBlock } from "./timeline.js";
import { problemsTable, say, sayError } from "./desk.js";

const $ = (id) => document.getElementById(id);
const STATUSES = ["cleared", "refused", "pending"];

export class VettingView {
  constructor(state) { this.state = state; }

  async load(selection, after) {
    this.selection = selection;
    this.after = after;
    const rid = encodeURIComponent(selection.round_id);
    const [queue, tl] = await Promise.all([api.get(`/rounds/${rid}/vetting`), timelineBlock(selection.round_id)]);
    const open = tl.timeline.state === "vetting";
    const answered = queue.items.filter((i) => i.status && i.status !== "pending").length;
    const parts = [
      el("h2", { id: "desk-title" }, t("wf_vet_title", { round: selection.name, dept: deptName(queue.department) })),
      el("p", { id: "vet-progress" }, t("wf_vet_progress", { done: answered, n: queue.items.length })),
      open ? null : el("p", { class: "hint", id: "vetting-closed" }, t(tl.timeline.state === "nominating" ? "wf_vetting_not_yet" : "wf_vetting_closed")),
      this.queue(queue.items, open),
      open ? this.upload() : null,
      tl.node,
    ];
    $("desk-body").replaceChildren(...parts.filter(Boolean));
  }

  queue(items, open) {
    const rows = items.map((i) => {
      const status = el("select", { "data-status": i.cadre_id, disabled: open ? null : true, "aria-label": t("wf_col_answer") },
        el("option", { value: "" }, t("wf_vet_none")),
        STATUSES.map((s) => el("option", { value: s, selected: i.status === s || null }, t(`wf_vet_${s}`))));
      const note = el("input", { type: "text", "data-note": i.cadre_id, value: i.note || "", maxlength: "2000", disabled: open ? null : true, "aria-label": t("wf_col_note") });
      const save = open ? el("button", { type: "button", "data-save": i.cadre_id, onclick: () => this.answer(i, status, note).catch(sayError) }, t("wf_save")) : null;
      return el("tr", { "data-cadre": i.cadre_id, class: i.status ? `answered ${i.status}` : "" },
        el("td", {}, i.name), el("td", { class: "wrap" }, i.unit), el("td", {}, i.birth_year ?? ""),
        el("td", {}, status), el("td", {}, note), el("td", {}, i.date || ""), el("td", {}, save));
    });
    return el("section", { class: "card", id: "vet-queue" },
      el("h3", {}, t("wf_vet_queue", { n: items.length })),
      items.length ? el("table", { class: "grid" },
        el("thead", {}, el("tr", {}, [t("wf_col_name"), t("col_unit"), t("wf_col_born"), t("wf_col_answer"), t("wf_col_note"), t("wf_col_date"), ""].map((h) => el("th", {}, h)))),
        el("tbody", {}, rows)) : el("p", { class: "hint" }, t("wf_vet_empty")));
  }

  upload() {
    return el("section", { class: "card", id: "vet-upload" },
      el("h3", {}, t("wf_vet_upload")), el("p", { class: "hint" }, t("wf_vet_upload_hint")),
      el("div", { class: "row" },
        el("input", { type: "file", id: "vet-file", accept: ".xlsx,.csv" }),
        el("button", { type: "button", id: "vet-upload-go", onclick: () => this.send().catch(sayError) }, t("wf_upload_go"))),
      el("div", { id: "vet-problems" }));
  }

  async answer(item, status, note) {
    if (!status.value) return say(t("wf_vet_choose"), "error");
    const rid = encodeURIComponent(this.selection.round_id);
    await api.call("POST", `/rounds/${rid}/clearances`, {
      json: { items: [{ cadre_id: item.cadre_id, status: status.value, note: note.value.trim() }], reason: t("wf_vet_one_reason") },
    });
    await this.after();
    say(t("wf_vet_saved", { name: item.name, status: t(`wf_vet_${status.value}`) }));
  }

  async send() {
    const file = $("vet-file").files[0];
    if (!file) return say(t("wf_choose_file"), "error");
    const form = new FormData();
    form.append("file", file, file.name);
    try {
      const res = await api.call("POST", `/rounds/${encodeURIComponent(this.selection.round_id)}/clearances/upload`, { form });
      const body = await res.json();
      await this.after();
      say(t("wf_vet_uploaded", { n: body.applied }));
    } catch (err) {
      if (err instanceof api.ApiError && err.status === 422 && err.problem.errors) {
        $("vet-problems").replaceChildren(el("p", { class: "error" }, t("wf_sheet_refused")), problemsTable(err.problem));
        return say(t("wf_sheet_refused"), "error");
      }
      throw err;
    }
  }
}
