"""Crafted uploads an attacker (or a broken export) sends, built in memory on demand.

Each builder returns ``(file name, bytes)``. The XLSX ones start from a real round workbook
(the tiny test round, written by the project's own writer) and replace one part, so
everything but the attack is valid. Nothing big is committed: the 2,000,000-row and
200,000-row workbooks are streamed into a zip here in a second or two.
Used by the service tests (each must be refused with a 4xx) and by
``python -m benchmarks.bench_uploads`` (latency and peak memory of each refusal).
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from matcher.model.io import read_round, write_round_xlsx

TINY = Path(__file__).parents[1] / "tests" / "data" / "rounds" / "tiny.json"
CADRES_SHEET = "xl/worksheets/sheet2.xml"  # the writer's order: 社区, 干部, 规则
_HEAD = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s<sheetData>'
)
_FOOT = b"</sheetData></worksheet>"


@cache
def tiny_workbook() -> bytes:
    """The tiny round as an XLSX workbook (valid; the base of every XLSX bomb)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tiny.xlsx"
        write_round_xlsx(read_round(TINY), path)
        return path.read_bytes()


def _replace(
    parts: dict[str, Callable[[zipfile.ZipFile], Iterator[bytes]]], level: int = 1
) -> bytes:
    """The tiny workbook with some parts replaced by streamed content."""
    base = zipfile.ZipFile(io.BytesIO(tiny_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        for info in base.infolist():
            make = parts.get(info.filename)
            if make is None:
                book.writestr(info.filename, base.read(info.filename))
                continue
            with book.open(info.filename, "w", force_zip64=True) as part:
                for chunk in make(base):
                    part.write(chunk)
    return out.getvalue()


def _edit(name: str, edit: Callable[[bytes], bytes]) -> bytes:
    return _replace({name: lambda base: iter([edit(base.read(name))])})


@cache
def many_identical_rows(rows: int = 2_000_000) -> tuple[str, bytes]:
    """The issue's 741 KB workbook: two million identical cadre rows (no ``r`` attributes)."""
    row = (
        b'<row><c t="inlineStr"><is><t>C01</t></is></c><c t="inlineStr"><is><t>x</t></is></c></row>'
    )

    def sheet(_: zipfile.ZipFile) -> Iterator[bytes]:
        yield _HEAD % b""
        block = row * 10_000
        for _ in range(rows // 10_000):
            yield block
        yield _FOOT

    return "rows.xlsx", _replace({CADRES_SHEET: sheet}, level=6)


def wide_dimension() -> tuple[str, bytes]:
    """A sheet that declares ``A1:XFD16000`` (a reader pads every row to 16,384 cells)."""
    row = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>C%d</t></is></c></row>'

    def sheet(_: zipfile.ZipFile) -> Iterator[bytes]:
        yield _HEAD % b'<dimension ref="A1:XFD16000"/>'
        yield b"".join(row % (i, i, i) for i in range(1, 16_001))
        yield _FOOT

    return "wide.xlsx", _replace({CADRES_SHEET: sheet})


def far_cell() -> tuple[str, bytes]:
    """No dimension, but one cell in column XFD (the reader would pad the row to it)."""
    return "far-cell.xlsx", _edit(CADRES_SHEET, lambda xml: xml.replace(b'r="B2"', b'r="XFD2"', 1))


@cache
def many_varied_rows(rows: int = 200_000, seed: int = 7) -> tuple[str, bytes]:
    """The issue's 15 MB workbook: 200,000 rows of distinct cadres (random text, seeded)."""
    rng = random.Random(seed)
    row = (
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c>'
        b'<c r="B%d" t="inlineStr"><is><t>%s</t></is></c></row>'
    )

    def sheet(_: zipfile.ZipFile) -> Iterator[bytes]:
        yield _HEAD % b""
        for start in range(1, rows + 1, 10_000):
            stop = min(start + 10_000, rows + 1)
            noise = rng.randbytes(50 * (stop - start)).hex().encode()
            yield b"".join(
                row % (r, r, noise[k : k + 50], r, noise[k + 50 : k + 100])
                for k, r in zip(range(0, len(noise), 100), range(start, stop), strict=False)
            )
        yield _FOOT

    return "varied.xlsx", _replace({CADRES_SHEET: sheet})


@cache
def csv_rows(rows: int = 200_000, seed: int = 7) -> tuple[str, bytes]:
    """The issue's CSV bomb: a cadres.csv of 200,000 distinct rows (seeded), ~17 MB."""
    rng = random.Random(seed)
    head = "干部编号,姓名,派出单位,层级,所在区县代码,职级,技能,可任岗位,经度,纬度\n"
    lines = [head]
    for i in range(rows):
        lon, lat = 121 + rng.random(), 41 + rng.random()
        lines.append(f"K{i},干部{i},市财政局,市直,210702,科员,党建,脱产,{lon:.5f},{lat:.5f}\n")
    return "cadres.csv", "".join(lines).encode()


def billion_laughs() -> tuple[str, bytes]:
    """Entity expansion: a DTD whose entities expand to 10⁹ copies of a word."""
    lol = [b'<!ENTITY lol0 "lol">'] + [
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)
    ]
    doctype = b"<!DOCTYPE worksheet [" + b"".join(lol) + b"]>"

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b"<is><t>", b"<is><t>&lol9;", 1)
        return b'<?xml version="1.0" encoding="UTF-8"?>' + doctype + xml

    return "laughs.xlsx", _edit(CADRES_SHEET, edit)


def bad_cell_reference() -> tuple[str, bytes]:
    """A cell whose reference is not a cell reference."""
    return "bad-ref.xlsx", _edit(CADRES_SHEET, lambda xml: xml.replace(b'r="B2"', b'r="2B!"', 1))


def truncated_sheet() -> tuple[str, bytes]:
    """A sheet part cut off in the middle of its XML."""
    return "truncated.xlsx", _edit(CADRES_SHEET, lambda xml: xml[: len(xml) // 2])


def not_a_zip() -> tuple[str, bytes]:
    """An ``.xlsx`` name on bytes that are no zip at all."""
    return "fake.xlsx", b"PK\x03\x04 this is not really a workbook"


def deep_json(depth: int = 100_000) -> tuple[str, bytes]:
    """A JSON round file nested 100,000 deep."""
    return "deep.json", b"[" * depth + b"]" * depth


def long_integer(digits: int = 5_000) -> tuple[str, bytes]:
    """A JSON round whose settings carry a 5,000-digit integer."""
    raw = json.loads(TINY.read_text(encoding="utf-8"))
    text = json.dumps(raw).replace('"seed": 7', '"seed": ' + "9" * digits)
    return "long-int.json", text.encode()


BOMBS: dict[str, Callable[[], tuple[str, bytes]]] = {
    "2,000,000 identical rows": many_identical_rows,
    "A1:XFD16000 declared": wide_dimension,
    "one cell in column XFD": far_cell,
    "200,000 distinct rows": many_varied_rows,
    "CSV of 200,000 rows": csv_rows,
    "billion laughs (DTD entities)": billion_laughs,
    "bad cell reference": bad_cell_reference,
    "truncated sheet XML": truncated_sheet,
    "not a zip": not_a_zip,
    "JSON nested 100,000 deep": deep_json,
    "JSON 5,000-digit integer": long_integer,
}
