"""A bound on the work an XLSX workbook can cause, checked before any reader opens it.

An XLSX file is a zip of XML parts. A 741 KB file can unpack to two million rows, a 117 KB
sheet can declare ``A1:XFD16000`` (a reader pads every row to 16,384 columns), and a part with a
DTD can expand entities without end. :func:`check_workbook` streams every part once, in chunks,
with byte-pattern scans (no XML tree, no per-element Python work) and stops at the first limit
crossed, so refusing a bomb costs well under a second and a few megabytes whatever its size:

- the zip: number of parts, declared and actual uncompressed bytes;
- the workbook part: number of sheets;
- each sheet part: its declared ``<dimension>``, the number of ``<row>`` elements, the
  highest column and row a cell or row names;
- every XML part: no ``<!DOCTYPE``/``<!ENTITY`` (so no entity expansion), UTF-8 text.

Limits crossed raise :class:`WorkbookTooLarge` (the service answers 413); a file that is not
a zip at all raises :class:`InvalidInput`. What the check cannot see (a damaged cell
reference, a truncated part) is left to the reader, which reports it as a problem too.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO

from matcher.model.problems import InputProblem, InvalidInput

_CHUNK = 1 << 20
_TAIL = 256  # longer than any pattern below, so a match split between chunks is still seen
_PREFIXED_ROW = re.compile(rb"<[A-Za-z_][\w.-]{0,30}:row[\s/>]")
_SHEET = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?sheet[\s/>]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
# A cell or row reference past the limits: three column letters (AAA = 703 on), two letters
# past ``max_columns`` (see :func:`_far_pattern`), or a row number of six digits or more. The
# pattern starts with a literal, so it is scanned at memory speed; its ``r`` must follow
# whitespace (``operator="between"`` is no reference), checked per hit.
_FAR = r"""r=["'](?:(?P<wide>[A-Za-z]{{3}}|{two})\d|(?P<row>\d{{6,}}))"""
_ROW_NUMBER = re.compile(rb"""r=["'](\d{4,9})["']""")  # a row's own r: digits only
_DIMENSION = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]{0,30}:)?dimension\s+ref=["']"""
    rb"""([A-Za-z]{0,4})(\d{0,8})(?::([A-Za-z]{0,4})(\d{0,8}))?["']"""
)


@dataclass(frozen=True)
class XlsxLimits:
    """What a round workbook may hold. The defaults are far above any real round (60,000
    cadres in a few dozen columns) and far below what stalls a reader."""

    max_parts: int = 1_000
    max_sheets: int = 50
    max_rows: int = 100_000  # per sheet, header and blank rows included
    max_columns: int = 200
    max_cells: int = 4_000_000  # declared rows × columns of one sheet
    max_part_bytes: int = 200 * 1024 * 1024  # one part, unpacked
    max_total_bytes: int = 300 * 1024 * 1024  # all parts, unpacked


class WorkbookTooLarge(InvalidInput):
    """The workbook crosses an :class:`XlsxLimits` bound (the service answers 413)."""


def column_number(letters: str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16,384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def check_workbook(
    path: str | Path | IO[bytes], limits: XlsxLimits | None = None, *, source: str | None = None
) -> None:
    """Raise :class:`WorkbookTooLarge` or :class:`InvalidInput` when the workbook at ``path``
    (a file, or its bytes as a file object named ``source``) crosses a limit or is not a zip;
    return quietly otherwise."""
    source = source or str(path)
    lim = limits or XlsxLimits()
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        problem = InputProblem(source, "", "cannot read workbook: not an XLSX workbook")
        raise InvalidInput([problem]) from None
    with book:
        _Scan(source, lim, book).run()


class _Scan:
    """One pass over a workbook's parts, counting against the limits."""

    def __init__(self, source: str, limits: XlsxLimits, book: zipfile.ZipFile) -> None:
        self.source, self.lim, self.book = source, limits, book
        self.total = 0
        self.far = _far_pattern(limits.max_columns)

    def too_large(self, where: str, message: str) -> WorkbookTooLarge:
        return WorkbookTooLarge([InputProblem(self.source, where, message)])

    def run(self) -> None:
        parts = self.book.infolist()
        if len(parts) > self.lim.max_parts:
            raise self.too_large("", f"{len(parts)} parts in the zip; at most {self.lim.max_parts}")
        declared = sum(p.file_size for p in parts)
        if declared > self.lim.max_total_bytes:
            raise self.too_large(
                "", f"unpacks to {_mb(declared)}; at most {_mb(self.lim.max_total_bytes)}"
            )
        for part in parts:
            if part.file_size > self.lim.max_part_bytes:
                raise self.too_large(
                    part.filename,
                    f"unpacks to {_mb(part.file_size)}; at most {_mb(self.lim.max_part_bytes)}",
                )
        for part in parts:
            name = part.filename.lower()
            if name.endswith((".xml", ".rels", ".vml")):
                self.part(part, name)

    def problem(self, where: str, message: str) -> InvalidInput:
        return InvalidInput([InputProblem(self.source, where, message)])

    def chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The part's unpacked bytes in chunks, counted against the total."""
        try:
            with self.book.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    self.total += len(chunk)
                    if self.total > self.lim.max_total_bytes:
                        limit = _mb(self.lim.max_total_bytes)
                        raise self.too_large("", f"unpacks to more than {limit}")
                    yield chunk
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError) as exc:
            raise self.problem(info.filename, f"damaged part: {exc}") from None
        except zlib.error as exc:
            raise self.problem(info.filename, f"damaged part: {exc}") from None

    def part(self, info: zipfile.ZipInfo, name: str) -> None:
        where = info.filename
        is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
        is_book = name == "xl/workbook.xml"
        rows = sheets = 0
        extent = _Extent()
        tail = b""
        for chunk in self.chunks(info):
            if not tail:
                self.text_encoding(where, chunk)
                if is_sheet:
                    self.dimension(where, chunk)
            buf, seen = tail + chunk, len(tail)
            if _DTD.search(buf):
                raise self.problem(where, "XML with a DTD or entity declarations is not accepted")
            if is_sheet:
                rows += _rows_in(buf, seen)
                if rows > self.lim.max_rows:
                    raise self.too_large(where, f"more than {self.lim.max_rows} rows in one sheet")
                self.cells(where, buf)
                extent.scan(buf)
                if extent.cells(rows) > self.lim.max_cells:
                    raise self.too_large(
                        where,
                        f"spans {max(extent.rows, rows)} rows × {extent.columns} columns; at most "
                        f"{self.lim.max_cells} cells",
                    )
            if is_book:
                sheets += _count_new(_SHEET, buf, seen)
                if sheets > self.lim.max_sheets:
                    raise self.too_large(where, f"more than {self.lim.max_sheets} sheets")
            tail = buf[-_TAIL:]

    def text_encoding(self, where: str, head: bytes) -> None:
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
            raise InvalidInput(
                [InputProblem(self.source, where, "XML part is not UTF-8 (Excel writes UTF-8)")]
            )

    def dimension(self, where: str, head: bytes) -> None:
        m = _DIMENSION.search(head)
        if m is None:
            return
        first_col, first_row = column_number(m[1].decode()), int(m[2] or 1)
        last_col = column_number((m[3] or m[1]).decode())
        last_row = int(m[4] or m[2] or 1)
        cols, rows = (
            last_col - min(first_col, last_col) + 1,
            last_row - min(first_row, last_row) + 1,
        )
        ref = m.group(0).decode(errors="replace")
        if last_col > self.lim.max_columns:
            raise self.too_large(
                where, f"declares {last_col} columns ({ref}); at most {self.lim.max_columns}"
            )
        if last_row > self.lim.max_rows or rows * cols > self.lim.max_cells:
            bound = f"at most {self.lim.max_rows} rows, {self.lim.max_cells} cells"
            raise self.too_large(where, f"declares {rows} rows × {cols} columns ({ref}); {bound}")

    def cells(self, where: str, buf: bytes) -> None:
        for m in self.far.finditer(buf):
            if not buf[m.start() - 1 : m.start()].isspace():
                continue
            if m["wide"]:
                raise self.too_large(where, f"a cell beyond column {self.lim.max_columns}")
            if int(m["row"]) > self.lim.max_rows:
                raise self.too_large(
                    where, f"row {int(m['row'])} named; at most {self.lim.max_rows} rows"
                )


def _two_letters_past(n: int) -> str:
    """A regex alternation of the two-letter columns past column ``n`` (26 ≤ n < 702)."""
    if not 26 <= n < 702:
        raise ValueError("a column limit must be from 26 to 701")
    a, b = divmod(n - 1, 26)  # the last allowed column is letters a, b+1 (1-based)
    up, low = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
    alts = []
    if a < 26:  # a first letter past the last allowed one
        alts.append(f"[{up[a]}-Z{low[a]}-z][A-Za-z]")
    if a >= 1 and b < 25:  # the last allowed first letter, a second one past the limit
        alts.append(f"[{up[a - 1]}{low[a - 1]}][{up[b + 1]}-Z{low[b + 1]}-z]")
    return "|".join(alts) or "(?!)"


def _far_pattern(max_columns: int) -> re.Pattern[bytes]:
    """:data:`_FAR` for this column limit (26 ≤ max_columns < 702)."""
    return re.compile(_FAR.format(two=_two_letters_past(max_columns)).encode())


@cache
def _wider_than(n: int) -> re.Pattern[bytes]:
    """A cell reference in a two-letter column past ``n`` (the letters as group 1)."""
    return re.compile(rf"""r=["']({_two_letters_past(n)})\d""".encode())


class _Extent:
    """The area a reader will fill for one sheet: the highest row number named (a reader pads
    the rows skipped) times the widest column used (it pads every row to it). Found with few
    Python steps: row numbers from 1,000 on, and only columns wider than the widest so far."""

    def __init__(self) -> None:
        self.rows, self.columns = 0, 26  # one-letter columns: 26 × max_rows is within bounds

    def scan(self, buf: bytes) -> None:
        # No whitespace check here: another attribute ending in "r" (firstPageNumber) can only
        # make the estimate larger, never let a bomb through.
        numbers = _ROW_NUMBER.findall(buf)
        if numbers:
            self.rows = max(self.rows, *map(int, numbers))
        pos = 0
        while self.columns < 701:
            hit = _wider_than(self.columns).search(buf, pos)
            if hit is None:
                return
            if buf[hit.start() - 1 : hit.start()].isspace():
                self.columns = column_number(hit[1].decode())
            pos = hit.end()

    def cells(self, counted_rows: int) -> int:
        return max(self.rows, counted_rows) * self.columns


def _rows_in(buf: bytes, seen: int) -> int:
    """``<row`` start tags in ``buf`` not within its first ``seen`` bytes; ``bytes.count`` for
    the usual unprefixed tags, a regex only when a prefix (``<x:row``) occurs at all. The
    ``<rowBreaks`` tag also counts, once: harmless for a bound."""
    n = buf.count(b"<row") - buf[:seen].count(b"<row")
    if b":row" in buf:
        n += _count_new(_PREFIXED_ROW, buf, seen)
    return n


def _count_new(pattern: re.Pattern[bytes], buf: bytes, seen: int) -> int:
    """Matches in ``buf`` that end after its first ``seen`` bytes (those were counted before)."""
    return sum(1 for m in pattern.finditer(buf) if m.end() > seen)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"
