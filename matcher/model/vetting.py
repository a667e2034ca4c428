"""Joint vetting (资格联审): each department's clearance of a cadre, and what a round requires.

Departments are named by a short key (``discipline`` 纪检监察, ``political-legal`` 政法/公安,
``petitions`` 信访, ``audit`` 审计, ``personnel-files`` 组织人事档案 …); Chinese names and common
spellings are accepted and mapped to the key, and any other department (the five-precision
district vets with 18) is kept as written. A cadre is eligible only when every department the
round requires has cleared it: a pending or refused clearance, or none at all, bars the cadre.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEPARTMENTS: dict[str, str] = {
    "discipline": "纪检监察",
    "political-legal": "政法/公安",
    "petitions": "信访",
    "audit": "审计",
    "personnel-files": "组织人事档案",
    "civil-affairs": "民政",
    "credit": "信用",
}
_ALIASES: dict[str, str] = {
    "纪委": "discipline",
    "纪委监委": "discipline",
    "纪检": "discipline",
    "监委": "discipline",
    "政法": "political-legal",
    "政法委": "political-legal",
    "公安": "political-legal",
    "公检法": "political-legal",
    "信访局": "petitions",
    "审计局": "audit",
    "组织部": "personnel-files",
    "人事档案": "personnel-files",
    "档案": "personnel-files",
    "民政局": "civil-affairs",
    "发改委": "credit",
} | {zh: key for key, zh in DEPARTMENTS.items()}


def department_key(name: str) -> str:
    """The department's key for a Chinese or English spelling (unknown names kept as written)."""
    text = name.strip()
    return _ALIASES.get(text, text.lower() if text.lower() in DEPARTMENTS else text)


def department_words(key: str) -> str:
    """The department's Chinese name (the key itself when it is not a known department)."""
    return DEPARTMENTS.get(key, key)


class ClearanceStatus(StrEnum):
    """A department's answer on one cadre."""

    PENDING = "pending"  # 待审
    CLEARED = "cleared"  # 通过
    REFUSED = "refused"  # 不通过


STATUS_WORDS = {"pending": "待审", "cleared": "通过", "refused": "不通过"}
_STATUS_ALIASES = {"待审": "pending", "审查中": "pending", "通过": "cleared", "无异议": "cleared"}
_STATUS_ALIASES |= {"同意": "cleared", "不通过": "refused", "有异议": "refused"}
_STATUS_ALIASES |= {"不同意": "refused"}


def status_value(text: str) -> str:
    """A status as written (通过, 不通过, 待审, or the English value) → its value."""
    return _STATUS_ALIASES.get(text.strip(), text.strip().lower())


class Clearance(BaseModel):
    """One department's clearance of a cadre: status, date and note."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    department: str = Field(min_length=1, max_length=64)
    status: ClearanceStatus = ClearanceStatus.PENDING
    date: dt.date | None = None
    note: str = Field(default="", max_length=2000)

    @field_validator("department")
    @classmethod
    def _department(cls, v: str) -> str:
        return department_key(v)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, v: object) -> object:
        return status_value(v) if isinstance(v, str) else v


def conflicting(clearances: list[Clearance]) -> list[str]:
    """Departments that appear more than once (one cadre has one answer per department)."""
    seen: set[str] = set()
    twice: list[str] = []
    for c in clearances:
        if c.department in seen and c.department not in twice:
            twice.append(c.department)
        seen.add(c.department)
    return twice


def missing(clearances: list[Clearance], required: list[str]) -> list[tuple[str, str | None]]:
    """Required departments that have not cleared: (department, status or None if absent)."""
    by_dept = {c.department: c.status.value for c in clearances}
    return [(d, by_dept.get(d)) for d in required if by_dept.get(d) != "cleared"]


def answered_against(
    clearances: list[Clearance], required: list[str], pending_any: bool = True
) -> list[tuple[str, str]]:
    """The vetting answers that bar a cadre whatever the round requires: every refusal, and
    every pending answer (``pending_any``) or only those of ``required`` departments."""
    need = set(required)
    return [
        (c.department, c.status.value)
        for c in clearances
        if c.status is ClearanceStatus.REFUSED
        or (c.status is ClearanceStatus.PENDING and (pending_any or c.department in need))
    ]


def answer_words(gaps: list[tuple[str, str]]) -> str:
    """``纪检监察审查待定、信访审查未通过`` for the answers that bar a cadre."""
    return "、".join(
        f"{department_words(d)}审查{'未通过' if s == 'refused' else '待定'}" for d, s in gaps
    )


def missing_words(gaps: list[tuple[str, str | None]]) -> str:
    """``纪检监察（待审）、信访（无意见）`` for the missing clearances."""
    return "、".join(
        f"{department_words(d)}（{STATUS_WORDS.get(s, '无意见') if s else '无意见'}）"
        for d, s in gaps
    )


class RequiredClearances(BaseModel):
    """Rule: a cadre is eligible only when every listed department has cleared them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = True
    required: list[str] = Field(
        default_factory=list, description="Department keys or names, e.g. 纪检监察, 信访"
    )

    @field_validator("required")
    @classmethod
    def _required(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(department_key(d) for d in v if d.strip()))


__all__ = [
    "DEPARTMENTS",
    "STATUS_WORDS",
    "Clearance",
    "ClearanceStatus",
    "RequiredClearances",
    "answer_words",
    "answered_against",
    "conflicting",
    "department_key",
    "department_words",
    "missing",
    "missing_words",
]
