"""People, not rows: citizen ID numbers checked, and the same person found twice.

A person is the same person by 公民身份号码 (GB 11643-1999: 17 digits and a check character by
ISO 7064 MOD 11-2, the birth date at characters 7–14); where either row has no ID number, by
name + birth year and month, or name + unit where the birth date is missing on either side.
Two rows with different valid ID numbers are two people whatever their names.

A duplicate is an error naming both rows, unless the round says what it is
(:class:`IdentityChoices`, the round's ``identity`` section): ``merge_duplicates: true`` merges
every duplicate found, ``same_person`` lists confirmed merges, ``distinct_people`` lists rows
confirmed to be different people (two 张伟 born the same month). After validation a cadre id
is a person, so one post per cadre is one post per person.

ID numbers are private: no message prints one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from matcher.model.messages import Text, localise_where

_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
_CHECK = "10X98765432"
_ID18 = re.compile(r"^\d{17}[\dX]$")
_ID15 = re.compile(r"^\d{15}$")

Locate = Callable[[str, int], tuple[str, str]]


def check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A checked ID number: its 18-character form (15-digit numbers upgraded) and birth date."""

    number: str
    birth: dt.date
    upgraded: bool = False


class IdNumberError(ValueError):
    """Why an ID number is not one (in both languages, never quoting the number)."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


def _birth(digits: str) -> dt.date:
    try:
        day = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise IdNumberError(
            Text("公民身份号码中的出生日期不存在", "the birth date inside the ID number is no date")
        ) from None
    if not dt.date(1900, 1, 1) <= day <= dt.date(2030, 12, 31):
        raise IdNumberError(
            Text(
                "公民身份号码中的出生日期不合理",
                "the birth date inside the ID number is implausible",
            )
        )
    return day


def read_id_number(text: str) -> IdNumber:
    """Check an ID number as written (spaces, full-width digits and a lower-case x allowed).

    18 characters: the check character must match. 15 digits (issued before 1999): the birth
    year is 19YY and the number is upgraded to 18 characters for comparisons.
    """
    raw = unicodedata.normalize("NFKC", text).replace(" ", "").replace("-", "").upper()
    if _ID18.match(raw):
        if check_char(raw[:17]) != raw[17]:
            raise IdNumberError(
                Text(
                    "公民身份号码校验位不符（GB 11643），请核对是否录错",
                    "the ID number's check character does not match (GB 11643): a typing error?",
                )
            )
        return IdNumber(raw, _birth(raw[6:14]))
    if _ID15.match(raw):
        first17 = raw[:6] + "19" + raw[6:]
        return IdNumber(first17 + check_char(first17), _birth("19" + raw[6:12]), upgraded=True)
    raise IdNumberError(
        Text(
            "公民身份号码应为18位（17位数字加校验位）或旧式15位数字",
            "an ID number has 18 characters (17 digits and a check character) or 15 old digits",
        )
    )


def id_key(text: str | None) -> str | None:
    """The 18-character form of an ID number for comparisons; None when absent or invalid."""
    if not text or not text.strip():
        return None
    try:
        return read_id_number(text).number
    except IdNumberError:
        return None


def person_key(cadre_id: str, id_number: str | None) -> str:
    """Who a cadre record is: the ID number when it reads, else the record's own id."""
    key = id_key(id_number)
    return f"id:{key}" if key else f"cadre:{cadre_id}"


class IdentityChoices(BaseModel):
    """What the planner confirmed about duplicates (the round's ``identity`` section)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    merge_duplicates: bool = Field(
        default=False, description="Merge every duplicate person found (the first row is kept)"
    )
    same_person: list[list[str]] = Field(
        default_factory=list, description="Cadre ids confirmed to be one person (merged)"
    )
    distinct_people: list[list[str]] = Field(
        default_factory=list, description="Cadre ids confirmed to be different people"
    )
    distinct_communities: list[list[str]] = Field(
        default_factory=list, description="Community ids confirmed to be different communities"
    )
    community_distance_m: float = Field(
        default=100.0,
        ge=0,
        le=5000,
        description="Two communities closer than this (metres) are one place twice (0 = off)",
    )

    def confirmed(self, groups: list[list[str]], a: str, b: str) -> bool:
        """Are ``a`` and ``b`` in one of ``groups``?"""
        return any(a in g and b in g for g in groups)


@dataclass(frozen=True, slots=True)
class Person:
    """What identifies one cadre record (from the parsed cadre)."""

    id: str
    name: str
    id_number: str | None  # 18-character form, when valid
    birth: tuple[int, int | None] | None
    unit: str


def _name(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("·", "").strip()


def person(
    cid: str, name: str, id_number: str | None, birth: tuple[int, int | None] | None, unit: str
) -> Person:
    """A cadre's identifying facts, normalised (full-width, spaces)."""
    return Person(cid, _name(name), id_key(id_number), birth, _name(unit))


def same_person(a: Person, b: Person) -> str | None:
    """Why ``a`` and ``b`` are one person, or None.

    Strong evidence (an error unless confirmed): ``id_number`` (both carry one number),
    ``name_birth`` (same name, birth year and month; or same year and unit when a month is
    missing). Weak evidence (a warning): ``name_unit`` (same name and unit, a birth date
    missing). Different ID numbers are different people."""
    if a.id_number and b.id_number:
        return "id_number" if a.id_number == b.id_number else None
    if a.name != b.name:
        return None
    if a.birth and b.birth:
        (ya, ma), (yb, mb) = a.birth, b.birth
        if ya != yb:
            return None
        if ma is not None and mb is not None:
            return "name_birth" if ma == mb else None
        return "name_birth" if a.unit == b.unit else None
    return "name_unit" if a.unit == b.unit else None


STRONG = ("id_number", "name_birth")
"""Reasons that make a duplicate an error (the weak one is a warning)."""


def duplicate_people(people: Sequence[Person]) -> list[tuple[int, int, str]]:
    """Pairs (earlier, later, why) of records that are one person; each later record is
    paired with the first record of its person only."""
    by_name: dict[str, list[int]] = {}
    by_id: dict[str, int] = {}
    out: list[tuple[int, int, str]] = []
    for j, p in enumerate(people):
        first = by_id.get(p.id_number) if p.id_number else None
        if first is not None:
            out.append((first, j, "id_number"))
        else:
            for i in by_name.get(p.name, []):
                why = same_person(people[i], p)
                if why:
                    out.append((i, j, why))
                    break
            else:
                if p.id_number:
                    by_id[p.id_number] = j
                by_name.setdefault(p.name, []).append(j)
    return out


WHY_PEOPLE = {
    "id_number": Text("公民身份号码相同", "same ID number"),
    "name_birth": Text("姓名和出生年月相同", "same name and birth month"),
    "name_unit": Text("姓名和单位相同（出生年月未填）", "same name and unit, no birth date"),
}


def duplicate_text(
    here: tuple[str, str], there: tuple[str, str], names: tuple[str, str], why: str
) -> Text:
    """The error for a person twice, naming both rows and both records (never the ID number).

    ``here``/``there`` are ``(file, where)`` of the later and earlier row; ``names`` their
    ``name（id）`` as shown."""
    (src, _), (other_src, other) = here, there
    seen = other if src == other_src else f"{other_src} {other}"
    seen_zh = localise_where(seen, "zh")
    w = WHY_PEOPLE[why]
    return Text(
        f"同一人出现两次：{names[0]} 与 {seen_zh} 的 {names[1]} {w.zh}；如确为同一人，请删除一行，"
        "或在轮次的 identity.same_person 中确认合并（或 merge_duplicates: true）；如为不同的人，"
        "请在 identity.distinct_people 中确认",
        f"the same person twice: {names[0]} and {names[1]} at {seen} ({w.en}); delete one "
        "row, or confirm the merge in identity.same_person (or merge_duplicates: true); if "
        "they are different people, confirm it in identity.distinct_people",
    )


def groups_of(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Each record → the first record of its person (union of the pairs, smallest kept)."""
    root: dict[int, int] = {}

    def find(x: int) -> int:
        while root.get(x, x) != x:
            x = root[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            root[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in list(root)}


__all__ = [
    "IdNumber",
    "IdNumberError",
    "IdentityChoices",
    "Person",
    "check_char",
    "duplicate_people",
    "duplicate_text",
    "groups_of",
    "id_key",
    "person",
    "person_key",
    "read_id_number",
    "same_person",
]
