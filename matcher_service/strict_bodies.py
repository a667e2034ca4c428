"""Request bodies taken as written: every JSON body model of the service derives from
:class:`StrictBody`.

Pydantic's lax mode would read ``true`` as 1 and ``"5"`` as 5, a Unix timestamp as a date, and
store a NUL that PostgreSQL then refuses with a 500. A body is a program's or a planner's
statement, so none of that is guessed: before the model validates, the raw body is walked once
for booleans or text where numbers belong, dates that are not ``YYYY-MM-DD`` between 1900 and
2199 (:func:`matcher.model.strict.loose_values`) and forbidden characters in any text
(:mod:`matcher.model.text`); each is a 422 naming its field. Round bodies get the same checks in
:func:`matcher_service.deps.validate`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from matcher.model.strict import loose_values
from matcher.model.text import forbidden_text
from matcher.model.validate import field_path

_ZH = {
    "must be a number, not true or false": "应为数字，不能是 true/false",
    "must be a number, not text": "应为数字，不能是文字",
    "must be a date written YYYY-MM-DD": "应为日期，写作 YYYY-MM-DD",
    "is not a calendar date": "不是有效日期",
    "must lie between": "日期应在 1900-01-01 至 2199-12-31 之间",
    "contains the control character": "含有不允许的控制字符（只允许制表符和换行）",
    "the field name contains": "字段名含有不允许的控制字符",
}


def in_chinese(reason: str) -> str:
    """The Chinese words for a reason :func:`loose_fields` gives."""
    return next((zh for en, zh in _ZH.items() if reason.startswith(en)), "取值不符合要求")


def loose_fields(
    raw: Any, model: type[BaseModel], text: bool = True
) -> list[tuple[list[str | int], str]]:
    """``(path, reason)`` for every value of ``raw`` that ``model`` must not take (and, with
    ``text``, every string holding a forbidden character)."""
    return list(loose_values(raw, model)) + (list(forbidden_text(raw)) if text else [])


def refuse_loose(cls: type[BaseModel], data: Any) -> Any:
    """``data`` unchanged, or ValueError naming each loose field (a 422 from FastAPI)."""
    found = loose_fields(data, cls)
    if found:
        said = [f"{field_path(p) or 'body'}: {in_chinese(why)} / {why}" for p, why in found]
        raise ValueError("; ".join(said))
    return data


class StrictBody(BaseModel):
    """A JSON request body: unknown fields refused, values taken only as written."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _as_written(cls, data: Any) -> Any:
        return refuse_loose(cls, data)
