"""The workflow's documents: the 公示 list names each placed cadre by name, unit, rank title as
written and the post as departments write it, never an id, 身份证号 or private column (on many
generated rounds); the approval record carries the date, approver, 落款 and every objection
with its answer, in XLSX and PDF."""

from __future__ import annotations

import io
import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from matcher.engine.result import Assignment, Result, Status
from matcher.model.io import publicity as docs
from matcher.model.round import Round

TINY = Path(__file__).parents[2] / "data" / "rounds" / "tiny.json"
PERIOD = docs.Period(date(2026, 3, 2), date(2026, 3, 6), 5)


def _round(seed: int) -> tuple[Round, Result]:
    """tiny.json with secret ids, phones and addresses, and a random plan over it."""
    rng = random.Random(seed)
    raw: dict[str, Any] = json.loads(TINY.read_text(encoding="utf-8"))
    for i, cad in enumerate(raw["cadres"]):
        cad["id_number"] = (
            f"21070219{80 + i}0{rng.randint(1, 9)}0{rng.randint(10, 28)}{rng.randint(1000, 9999)}"
        )
        cad["private"] = {
            "联系电话": f"139{rng.randint(10**7, 10**8 - 1)}",
            "家庭住址": f"秘密路{seed}号",
        }
        if rng.random() < 0.5:
            cad["rank_title"] = rng.choice(["四级调研员", "二级主任科员", "副局长"])
    rnd = Round.model_validate(raw)
    people = [c.id for c in rnd.cadres]
    rng.shuffle(people)
    posts = []
    for com in rnd.communities:
        posts.append((com.id, "full-time"))
        posts += [(com.id, "part-time")] * com.posts.part_time
    assignments = [
        Assignment(
            community_id=c,
            post_type=t,
            slot=1,
            cadre_id=people[i] if i < len(people) and rng.random() < 0.8 else None,
            distance_m=None,
            cost=0,
        )
        for i, (c, t) in enumerate(posts)
    ]
    result = Result(
        status=Status.FEASIBLE,
        objective=0,
        bound=0.0,
        gap=0.0,
        terms={},
        method="test",
        time_s=0.0,
        assignments=tuple(assignments),
    )
    return rnd, result


def _secrets(rnd: Round) -> list[str]:
    out = [c.id for c in rnd.cadres] + [c.id_number or "" for c in rnd.cadres]
    return out + [v for c in rnd.cadres for v in c.private.values()]


def _cells(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        str(v)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    )


def _pdf(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


@pytest.mark.parametrize("seed", range(12))
def test_the_publicity_list_prints_no_id_and_no_private_data(seed: int) -> None:
    """Every placed cadre is listed with name, unit, title and post; no secret appears."""
    rnd, result = _round(seed)
    head, rows = docs.publicity_table(rnd, result)
    assert head == ["序号", "姓名", "工作单位", "职务职级", "拟任职务"]
    placed = [a for a in result.assignments if a.cadre_id]
    assert len(rows) == len(placed)
    cadres = {c.id: c for c in rnd.cadres}
    for row, a in zip(rows, placed, strict=True):
        cad = cadres[a.cadre_id or ""]
        assert row[1:4] == [cad.name, cad.unit, cad.rank_title or cad.rank.label]
        want = "第一书记" if a.post_type == "full-time" else "兼职委员"
        assert row[4].startswith("担任") and row[4].endswith(want)
    for text in (
        _cells(docs.publicity_xlsx(rnd, result, PERIOD)),
        _pdf(docs.publicity_pdf(rnd, result, PERIOD)),
    ):
        assert all(s not in text for s in _secrets(rnd) if s), seed
        assert "公示时间：2026年3月2日至2026年3月6日（5个工作日）" in text


def test_the_post_is_written_as_departments_write_it() -> None:
    """District, street and community once each: 担任古塔区北街社区第一书记."""
    rnd, _ = _round(0)
    com = rnd.communities[0]
    assert docs.post_words(com, com.id, "full-time", "zh") == "担任古塔区北街社区第一书记"
    assert docs.post_words(com, com.id, "part-time", "en") == "Part-time member of 古塔区北街社区"


def test_the_approval_record_has_date_approver_signatory_and_answered_objections() -> None:
    """XLSX: the record sheet and the objections sheet; PDF: the rows and the 落款 closing."""
    rnd, _ = _round(1)
    objection = docs.Objection(
        "张三",
        "群众来电反映其工作作风问题",
        date(2026, 3, 3),
        "经核查不属实",
        "组织科",
        date(2026, 3, 5),
    )
    decision = docs.Decision(
        date(2026, 3, 10), "市委组织部部务会", "中共锦州市委组织部", "同意", [objection]
    )
    book = openpyxl.load_workbook(io.BytesIO(docs.record_xlsx(rnd, "p_1", PERIOD, decision, 4)))
    record = {r[0]: r[1] for r in book["审批记录"].iter_rows(min_row=3, values_only=True)}
    assert record["落款"] == "中共锦州市委组织部" and record["审批人"] == "市委组织部部务会"
    assert record["审批日期"] == "2026年3月10日" and record["审批决定"] == "同意"
    answered = list(book["公示反映"].iter_rows(min_row=2, values_only=True))
    assert answered == [
        (
            1,
            "张三",
            "群众来电反映其工作作风问题",
            "2026-03-03",
            "经核查不属实",
            "组织科",
            "2026-03-05",
        )
    ]
    text = _pdf(docs.record_pdf(rnd, "p_1", PERIOD, decision, 4))
    assert "中共锦州市委组织部" in text and "经核查不属实" in text and "2026年3月10日" in text
