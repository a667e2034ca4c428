"""Cell text → round values, and back: booleans, numbers, lists, enumerations, polygons.

Spreadsheets hold text; the round model holds typed values. A cell that cannot be parsed is
passed through unchanged where the model's own validation gives a clear message (e.g. an
unknown rank), and raises :class:`CellError` where it would not (e.g. malformed polygon JSON).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from typing import Any

from matcher.model.attributes import SecretaryType
from matcher.model.io.headers import ENUM_ZH, ENUMS, FALSE_WORDS, TRUE_WORDS
from matcher.model.messages import Text, say
from matcher.model.round import Availability, CoordSystem, Level, PostType
from matcher.model.skills import SKILLS
from matcher.model.vetting import STATUS_WORDS, department_words

LIST_SEPARATORS = re.compile(r"[;；、,，\n]")
ITEM_SEPARATORS = re.compile(r"[;；\n]")
_INT = re.compile(r"^[+-]?\d+$")
_CANONICAL: dict[str, set[str]] = {
    "level": {v.value for v in Level},
    "availability": {v.value for v in Availability},
    "post_type": {v.value for v in PostType},
    "crs": {v.value for v in CoordSystem},
    "secretary_type": {v.value for v in SecretaryType},
}


class CellError(ValueError):
    """A cell whose text cannot be turned into a value; the message says what is expected
    (``zh``: the same in Chinese, when written)."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh


def _both(text: Text) -> tuple[str, str]:
    return text.en, text.zh


def normalise_text(text: str) -> str:
    """A cell's text as the checks see it: NFKC (full-width ２１０７０２ → 210702), trimmed."""
    return unicodedata.normalize("NFKC", text).strip() if not text.isascii() else text.strip()


def cell_text(value: object) -> str:
    """Normalise a CSV or XLSX cell to text (integral floats lose their ``.0``; dates are
    ``YYYY-MM-DD``), NFKC-normalised."""
    if value is None or value == "":
        return ""
    if type(value) is str:
        return value.strip() if value.isascii() else normalise_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return normalise_text(str(value))


def sheet_text(rows: list[list[Any]]) -> list[list[str]]:
    """:func:`cell_text` of every cell of a sheet, NFKC applied to the sheet at once (one C
    call instead of one per cell; the separators are starters, so nothing composes across
    cells), falling back to cell by cell if a cell holds a separator itself."""
    texts = [[v if type(v) is str else cell_text(v) for v in row] for row in rows]
    flat = "\x1e".join("\x1f".join(r) for r in texts)
    if flat.isascii():
        return [[c.strip() for c in r] for r in texts]
    lines = unicodedata.normalize("NFKC", flat).split("\x1e")
    out = [[c.strip() for c in line.split("\x1f")] for line in lines]
    if len(out) != len(texts) or any(len(a) != len(b) for a, b in zip(out, texts, strict=True)):
        return [[normalise_text(c) for c in r] for r in texts]
    return out


_BIRTH = re.compile(
    r"^(\d{4})(?:\s*(?:[.\-/年]|\s)\s*(\d{1,2})(?:\s*(?:[.\-/月]|\s)\s*(\d{1,2})?\s*日?)?)?\s*月?$"
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_birth(text: str) -> tuple[int, int | None]:
    """Year and month of a birth cell: 1989, 1989.08, 1989年8月, 1989-08-15, 198908, or an
    Excel date serial (32721 = 1989-08-01); raises :class:`CellError` otherwise."""
    t = text.strip()
    if re.fullmatch(r"\d{6}", t) and 1 <= int(t[4:]) <= 12:
        return int(t[:4]), int(t[4:])
    if re.fullmatch(r"\d{5}(\.\d+)?", t) and 7000 <= float(t) <= 45000:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(float(t)))
        return day.year, day.month
    m = _BIRTH.match(t)
    if m is None:
        raise CellError(*_both(say("bad_date", value=text)))
    month = int(m.group(2)) if m.group(2) else None
    if month is not None and not 1 <= month <= 12:
        raise CellError(*_both(say("bad_date", value=text)))
    return int(m.group(1)), month


_KM = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*(公里|千米|km|kilometres?|kilometers?|米|m)?$", re.I)


def parse_km(text: str) -> Any:
    """Kilometres from 10, 10公里, 8 km, 800米 (metres are divided by 1,000); else the text."""
    m = _KM.match(text.strip())
    if m is None:
        return text
    value = float(m.group(1))
    unit = (m.group(2) or "").lower()
    return value / 1000 if unit in ("米", "m") else value


def split_list(text: str) -> list[str]:
    """Split a list cell on ; ； 、 , ， or newlines, dropping blanks."""
    return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]


def parse_number(text: str) -> Any:
    """An int or float (``1,000`` too); other text is returned as is for the model to reject."""
    if _INT.match(text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        pass
    if re.fullmatch(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text):
        return parse_number(text.replace(",", ""))
    return text


def parse_bool(text: str) -> Any:
    """是/否, true/false, yes/no, 1/0 (any case); other text returned as is."""
    low = text.strip().lower()
    if low in TRUE_WORDS:
        return True
    if low in FALSE_WORDS:
        return False
    return text


def parse_enum(name: str, text: str) -> str:
    """A Chinese or variant spelling → the canonical value; unknown text returned as is."""
    low = text.strip().lower()
    if low in _CANONICAL.get(name, ()):
        return low
    return ENUMS[name].get(low, text)


def parse_polygon(text: str) -> Any:
    """Polygon rings as JSON: ``[[[lon, lat], [lon, lat], ...], ...]`` (first ring = outline)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CellError(
            f"polygon is not valid JSON ({exc.msg}); expected rings like "
            "[[[121.1, 41.1], [121.2, 41.1], [121.2, 41.2]]]"
        ) from None


def parse_disqualifications(text: str) -> list[dict[str, str]]:
    """``code:reason; code:reason`` (full-width ： and ； too) → disqualification records."""
    out: list[dict[str, str]] = []
    for part in ITEM_SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        code, _, reason = part.replace("：", ":").partition(":")
        if not code.strip():
            raise CellError(f"disqualification {part!r} has no code; write code:reason")
        out.append({"code": code.strip(), "reason": reason.strip()})
    return out


def parse_clearances(text: str) -> list[dict[str, str]]:
    """``部门:状态[:日期[:说明]]; …`` (``纪检监察:通过:2024-05-06; 信访:待审``) → clearances."""
    out: list[dict[str, str]] = []
    for part in ITEM_SEPARATORS.split(text):
        fields = [f.strip() for f in part.replace("：", ":").split(":", 3)]
        if not fields[0]:
            continue
        if len(fields) < 2 or not fields[1]:
            raise CellError(
                f"clearance {part.strip()!r} has no status; write 部门:通过/不通过/待审"
            )
        item = {"department": fields[0], "status": fields[1]}
        if len(fields) > 2 and fields[2]:
            item["date"] = fields[2]
        if len(fields) > 3 and fields[3]:
            item["note"] = fields[3]
        out.append(item)
    return out


def _clearance_cell(c: dict[str, Any], zh: bool) -> str:
    dept, status = str(c["department"]), str(c["status"])
    if zh:
        dept, status = department_words(dept), STATUS_WORDS.get(status, status)
    parts = [dept, status, str(c.get("date") or ""), str(c.get("note") or "")]
    return ":".join(parts).rstrip(":")


def parse_cell(kind: str, text: str) -> Any:
    """Parse a non-empty cell of the given column kind (see :class:`headers.Column`)."""
    if kind == "number":
        return parse_number(text)
    if kind == "bool":
        return parse_bool(text)
    if kind in ("list", "skills"):
        return split_list(text)
    if kind.startswith("enum:"):
        return parse_enum(kind[5:], text)
    if kind == "polygon":
        return parse_polygon(text)
    if kind == "disqualifications":
        return parse_disqualifications(text)
    if kind == "birth":
        return parse_birth(text)
    if kind == "clearances":
        return parse_clearances(text)
    return text


def format_cell(kind: str, value: Any, headers: str) -> str:
    """A model value → cell text; Chinese words for booleans and enumerations unless ``en``."""
    zh = headers != "en"
    if value is None:
        return ""
    if kind == "bool" or isinstance(value, bool):
        return ("是" if value else "否") if zh else ("true" if value else "false")
    if kind.startswith("enum:"):
        return ENUM_ZH[kind[5:]].get(str(value), str(value)) if zh else str(value)
    if kind == "polygon":
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if kind == "disqualifications":
        return "; ".join(
            f"{d['code']}:{d['reason']}" if d.get("reason") else str(d["code"]) for d in value
        )
    if kind == "clearances":
        return "; ".join(_clearance_cell(c, zh) for c in value)
    if kind == "skills" and zh:
        return "; ".join(SKILLS.get(str(v), str(v)) for v in value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
