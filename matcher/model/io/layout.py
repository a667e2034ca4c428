"""Find the table in a sheet the way a clerk lays it out, and which table each sheet is.

A clerk's sheet often starts with a merged title row (XX市选派干部名单), a note or a date, then
the header; below the data come footer rows (填表人、审核人、日期) and rows numbered in advance
but never filled. :func:`locate` finds the header as the row among the first
:data:`SCAN_ROWS` that matches most known column headers, and keeps only data rows; what it
skipped is reported as one warning per kind. :func:`assign` decides which sheet (or CSV file)
holds communities, cadres and rules: by its headers first, by its name (社区名单, 选派干部名单,
干部花名册, 规则 …) where the headers do not decide.

Row numbers stay those of the sheet, as the spreadsheet shows them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from matcher.model.io.header_words import header_score
from matcher.model.io.headers import (
    IGNORED_HEADERS,
    SHEET_NAMES,
    SHEET_WORDS,
    TABLES,
    Column,
    header_lookup,
    normalise_header,
)
from matcher.model.io.rows import Table
from matcher.model.messages import Text, say
from matcher.model.problems import InputProblem

SCAN_ROWS = 30  # a header further down than this is not looked for
MIN_SCORE = 2  # known headers a row needs to count as a header row
FOOTER = re.compile(
    r"^(填表人|填报人|制表人|审核人|审核|负责人|联系人|填表日期|填报日期|日期|单位盖章|盖章|注[:：]|备注[:：]|说明[:：])"
)
_FOOTER_STARTS = frozenset("填制审负联日单盖注备说")
_LOOKUPS = {kind: header_lookup(cols) for kind, cols in TABLES.items()}
_KIND_ZH = {"communities": "社区表", "cadres": "干部表", "rules": "规则表"}


@dataclass
class Located:
    """A table found in a sheet: its kind by headers (if any), score and the table."""

    name: str
    table: Table
    kind: str | None
    score: int
    notes: list[InputProblem] = field(default_factory=list)


def header_scores(cells: list[str]) -> dict[str, int]:
    """How many distinct cells of a row are headers of each table kind: known spellings, and
    for communities and cadres also the clerks' words (:mod:`matcher.model.io.header_words`)."""
    keys = [normalise_header(c) for c in cells if c.strip()]
    out = {
        kind: len({lookup[k].key for k in keys if k in lookup}) for kind, lookup in _LOOKUPS.items()
    }
    for kind in ("communities", "cadres"):
        meant: set[str] = set()
        for c in cells:
            if c.strip() and len(c) <= 40:
                scores = header_score(kind, c)
                best = max(scores, key=lambda k: scores[k], default=None)
                if best is not None and scores[best] >= WORD_SCORE and best != "sequence":
                    meant.add(best)
        out[kind] = max(out[kind], len(meant))
    return out


WORD_SCORE = 0.78  # a cell naming a field this well counts as a header cell
_PARENT_TEXT = re.compile(r"^[^:：0-9]{1,12}$")


def flatten(upper: list[str], lower: list[str]) -> list[str] | None:
    """Two header rows as one, parent/child (基本情况/姓名), or None when ``upper`` is not a
    parent row: a parent spans at least two children and no parent cell is a note or number.
    A cell merged down both rows (序号) keeps its own text."""
    width = max(len(upper), len(lower))
    up = [*upper, *[""] * (width - len(upper))]
    low = [*lower, *[""] * (width - len(lower))]
    filled = [u for u in up if u]
    if len(filled) < 2 or not all(_PARENT_TEXT.match(u) for u in filled):
        return None
    if any(_NUMBERISH.match(c) for c in low if c):
        return None
    out: list[str] = []
    parent, spans = "", 0
    for u, c in zip(up, low, strict=True):
        if u:
            parent = u if c else ""
            out.append(f"{u}/{c}" if c else u)
        elif c and parent:
            spans += 1
            out.append(f"{parent}/{c}")
        else:
            parent = "" if not c else parent
            out.append(c)
    return out if spans else None


_NUMBERISH = re.compile(r"^[0-9.,\-: ]+$")


def _two_rows(
    numbered: list[tuple[int, list[str]]], at: int, score: int
) -> tuple[int, list[str]] | None:
    """(index of the lower row, flattened header) when the header found at ``at`` is one of
    two rows; None when it stands alone."""
    for upper_at in (at - 1, at):
        lower_at = upper_at + 1
        if upper_at < 0 or lower_at >= len(numbered):
            continue
        if numbered[lower_at][0] != numbered[upper_at][0] + 1:
            continue  # the two rows of a header are adjacent
        flat = flatten(numbered[upper_at][1], numbered[lower_at][1])
        if flat is None:
            continue
        scores = header_scores([h.split("/")[-1] for h in flat])
        if max(scores.values()) >= score:
            return lower_at, flat
    return None


def _rows_text(rows: list[int]) -> str:
    """Row numbers as ranges: 3–5, 9."""
    parts: list[str] = []
    start = prev = rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if r is not None:
            start = prev = r
    return ", ".join(parts)


def locate(
    source: str, name: str, records: list[list[str]], columns: tuple[Column, ...] | None = None
) -> Located:
    """The header row, data rows and skipped rows of one sheet (see module docstring); cells
    come trimmed (:func:`matcher.model.io.cells.row_text`). ``columns``: find the header of
    that table instead (a vetting department's sheet), by its known spellings."""
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(r)]  # cells come stripped
    if not numbered:
        return Located(name, Table(source, [], []), None, 0)
    lookup = header_lookup(columns) if columns else None
    best, best_at, kind = 0, 0, None
    for at, (_, cells) in enumerate(numbered[:SCAN_ROWS]):
        if lookup is not None:
            keys = {lookup[k].key for c in cells if (k := normalise_header(c)) in lookup}
            scores = {"sheet": len(keys)}
        else:
            scores = header_scores(cells)
        top = max(scores, key=lambda k: scores[k])
        if scores[top] > best:
            best, best_at, kind = scores[top], at, top
    if best < MIN_SCORE:
        best_at, kind = 0, None
    head_no, header = numbered[best_at]
    header = [h.strip() for h in header]
    notes: list[InputProblem] = []
    two = _two_rows(numbered, best_at, best) if kind in ("communities", "cadres") else None
    if two is not None:
        best_at, header = two[0], two[1]
        head_no = numbered[best_at][0]
        text = Text(
            f"表头占两行（第 {head_no - 1}–{head_no} 行），已按“上级/下级”合并读取",
            f"the header takes two rows ({head_no - 1}–{head_no}), read as parent/child",
        )
        notes.append(InputProblem.said(source, f"row {head_no}", text, severity="warning"))
    elif best_at:
        text = say("header_row", row=head_no, n=best_at)
        notes.append(InputProblem.said(source, f"row {head_no}", text, severity="warning"))
    index_cols = {i for i, h in enumerate(header) if normalise_header(h) in IGNORED_HEADERS}
    body: list[tuple[int, list[str]]] = []
    skipped: dict[str, list[int]] = {}
    footer_seen = False
    for number, cells in numbered[best_at + 1 :]:
        first = next(c for c in cells if c)
        if footer_seen or (first[:1] in _FOOTER_STARTS and FOOTER.match(first)):
            footer_seen = True
            skipped.setdefault("footer", []).append(number)
        elif index_cols and {i for i, c in enumerate(cells) if c} <= index_cols:
            skipped.setdefault("numbered", []).append(number)
        else:
            body.append((number, cells))
    if body:
        last = body[-1][0]
        inside = {n for n, _ in body} | {n for rows in skipped.values() for n in rows}
        blank = [n for n in range(head_no + 1, last) if n not in inside]
        if blank:
            skipped["blank"] = blank
    for what, rows in skipped.items():
        kinds = {
            "footer": Text("页脚：填表人、审核人、日期等", "footer: 填表人, 审核人, dates …"),
            "numbered": Text("只有序号的空行", "numbered but empty"),
            "blank": Text("空行", "blank"),
        }[what]
        rows_text = _rows_text(sorted(rows))
        zh = say("skipped_rows", n=len(rows), kinds=kinds.zh, rows=rows_text).zh
        en = say("skipped_rows", n=len(rows), kinds=kinds.en, rows=rows_text).en
        notes.append(InputProblem.said(source, "", Text(zh, en), severity="warning"))
    return Located(name, Table(source, header, body, head_no), kind, best, notes)


def _kind_by_name(name: str) -> str | None:
    key = normalise_header(name)
    for kind, titles in SHEET_NAMES.items():
        if key in {normalise_header(t) for t in titles}:
            return kind
    hits = [kind for kind, words in SHEET_WORDS.items() if any(w in key for w in words)]
    return hits[0] if len(hits) == 1 else None


def assign(found: list[Located]) -> tuple[dict[str, Located], list[InputProblem]]:
    """Which located sheet holds which table; warnings for sheets recognised or left out."""
    claims: dict[str, list[tuple[int, Located]]] = {}
    notes: list[InputProblem] = []
    for loc in found:
        by_name = _kind_by_name(loc.name)
        kind = loc.kind if loc.score >= MIN_SCORE + 1 or by_name is None else by_name
        if kind is None:
            continue
        strength = loc.score * 2 + (kind == by_name)
        claims.setdefault(kind, []).append((strength, loc))
        if by_name != kind:
            text = say("sheet_by_headers", sheet=loc.name, table=_KIND_ZH[kind])
            en = f"sheet '{loc.name}' recognised by its headers as the {kind} table"
            notes.append(
                InputProblem.said(loc.table.source, "", Text(text.zh, en), severity="warning")
            )
    chosen: dict[str, Located] = {}
    for kind, options in claims.items():
        options.sort(key=lambda so: -so[0])
        chosen[kind] = options[0][1]
        for _, other in options[1:]:
            text = Text(
                f"工作表“{other.name}”也像{_KIND_ZH[kind]}，已采用“{options[0][1].name}”，本表未读取",
                f"'{other.name}' also looks like the {kind} table; '{options[0][1].name}' is "
                "used and this one is not read",
            )
            notes.append(InputProblem.said(other.table.source, "", text, severity="warning"))
    return chosen, notes
