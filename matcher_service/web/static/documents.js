// The selection's documents as files for the clerk's folder: the 公示 list (posted while
// publicity runs and kept after) and, once the 部务会 has approved, the approval record
// (审批记录, with every objection and its answer). Named as the department files them; the
// service writes them in the page's language.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { el } from "./table.js";
import { wfError } from "./workflow.js";

const PUBLICISED = ["publicity", "approved", "published"];
const APPROVED = ["approved", "published"];

// A round's name may hold characters no folder accepts (Windows refuses \\ / : * ? " < > |).
export function fileName(text) { return text.replace(/[\\/:*?"<>|]/g, "_").trim(); }

function button(id, label, path, filename) {
  return el("button", { type: "button", class: "link", id, onclick: () => api.download(path, fileName(filename)).catch(wfError) }, label);
}

// The buttons for this stage and role; null when there is no document yet.
export function documentsSection(view, wf) {
  if (!PUBLICISED.includes(wf.state) || !wf.plan_id) return null;
  const round = view.round.name;
  const files = [];
  for (const fmt of ["xlsx", "pdf"]) {
    files.push(button(`wf-dl-publicity-${fmt}`, t(`page_dl_publicity_${fmt}`),
      view.path(`/workflow/publicity-list.${fmt}`), t("page_file_publicity", { round, ext: fmt })));
  }
  if (APPROVED.includes(wf.state) && view.state.may("read approval records")) {
    for (const fmt of ["xlsx", "pdf"]) {
      files.push(button(`wf-dl-record-${fmt}`, t(`page_dl_record_${fmt}`),
        view.path(`/workflow/approval-record.${fmt}`), t("page_file_record", { round, ext: fmt })));
    }
  }
  return el("section", { class: "card", id: "wf-documents" }, el("h3", {}, t("page_documents")),
    el("p", { class: "hint" }, t(APPROVED.includes(wf.state) ? "page_documents_after" : "page_documents_during")),
    el("div", { class: "row" }, files));
}
