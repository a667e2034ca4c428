"""The roster's records resolved into people, during validation (see :mod:`.identity`).

Every ID number is checked (a bad one is an error at its row naming the field); a birth date
missing from the roster is read from the ID number, and one that disagrees with it is a
warning; records that are one person are an error naming both rows unless the round confirms
the merge or the difference. Merged records keep the first row's id and values, take what
it lacks from the others, and keep every restriction any of them carries (the narrower
本人意愿, every disqualification, the strictest vetting answer, the union of skills); rules
naming a merged-away id are renamed to the kept one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matcher.model.identity import (
    STRONG,
    IdentityChoices,
    IdNumberError,
    duplicate_people,
    duplicate_text,
    groups_of,
    person,
    read_id_number,
)
from matcher.model.messages import Text
from matcher.model.problems import Severity
from matcher.model.resolve import Finding
from matcher.model.round import Availability, Cadre
from matcher.model.rules import Rules
from matcher.model.vetting import Clearance

_STRICTNESS = {"refused": 2, "pending": 1, "cleared": 0}


@dataclass(frozen=True)
class People:
    """The cadres after identity resolution, and what was found on the way."""

    cadres: list[tuple[int, Cadre]]
    findings: list[Finding]
    renamed: dict[str, str]  # merged-away cadre id → kept cadre id


def _check_numbers(
    cadres: list[tuple[int, Cadre]], found: list[Finding]
) -> list[tuple[int, Cadre]]:
    out: list[tuple[int, Cadre]] = []
    for i, cad in cadres:
        if not cad.id_number or not cad.id_number.strip():
            out.append((i, cad))
            continue
        try:
            num = read_id_number(cad.id_number)
        except IdNumberError as exc:
            found.append(Finding("cadres", i, exc.text, path="id_number", id=cad.id))
            out.append((i, cad))
            continue
        born = num.birth
        if cad.birth_year is None:
            cad = cad.model_copy(update={"birth_year": born.year, "birth_month": born.month})
        elif cad.birth_year != born.year or cad.birth_month not in (None, born.month):
            stated = f"{cad.birth_year}" + (f".{cad.birth_month:02d}" if cad.birth_month else "")
            found.append(
                Finding(
                    "cadres",
                    i,
                    Text(
                        f"出生年月{stated}与公民身份号码中的出生日期"
                        f"（{born.year}.{born.month:02d}）不一致，请核对",
                        f"birth {stated} disagrees with the birth date in the ID number "
                        f"({born.year}.{born.month:02d})",
                    ),
                    path="birth_year",
                    id=cad.id,
                    severity="warning",
                )
            )
        out.append((i, cad))
    return out


def _stricter(a: Availability, b: Availability) -> Availability | None:
    if a == b or b is Availability.EITHER:
        return a
    return b if a is Availability.EITHER else None


def _merge(kept: Cadre, other: Cadre) -> Cadre | None:
    """One record of two; None when their 本人意愿 contradict (脱产 only vs 兼职 only)."""
    avail = _stricter(kept.availability, other.availability)
    if avail is None:
        return None
    data = kept.model_dump()
    for key, value in other.model_dump().items():
        if data.get(key) in (None, "", [], {}):
            data[key] = value
    answers: dict[str, Clearance] = {}
    for c in [*kept.clearances, *other.clearances]:
        held = answers.get(c.department)
        if held is None or _STRICTNESS[c.status.value] > _STRICTNESS[held.status.value]:
            answers[c.department] = c
    data |= {
        "availability": avail,
        "skills": sorted({*kept.skills, *other.skills}),
        "tags": sorted({*kept.tags, *other.tags}),
        "disqualifications": [
            *kept.disqualifications,
            *(d for d in other.disqualifications if d not in kept.disqualifications),
        ],
        "clearances": list(answers.values()),
        "extra": other.extra | kept.extra,
        "private": other.private | kept.private,
    }
    return Cadre.model_validate(data)


def resolve_people(
    cadres: list[tuple[int, Cadre]],
    choices: IdentityChoices,
    locate: Any,
) -> People:
    """Check ID numbers, find duplicate people, merge the confirmed ones (see module doc).

    ``locate(collection, index)`` gives ``(file, where)`` of a row, to name the other row.
    """
    found: list[Finding] = []
    cadres = _check_numbers(cadres, found)
    people = [
        person(
            c.id,
            c.name,
            c.id_number,
            (c.birth_year, c.birth_month) if c.birth_year else None,
            c.unit,
        )
        for _, c in cadres
    ]
    merges: list[tuple[int, int]] = []
    for a, b, why in duplicate_people(people):
        (ia, ca), (ib, cb) = cadres[a], cadres[b]
        if ca.id == cb.id:
            continue  # the same id twice is already an error of its own
        if choices.confirmed(choices.distinct_people, ca.id, cb.id):
            continue
        strong = why in STRONG
        if choices.confirmed(choices.same_person, ca.id, cb.id) or (
            strong and choices.merge_duplicates
        ):
            merges.append((a, b))
            continue
        names = (f"{cb.name}（{cb.id}）", f"{ca.name}（{ca.id}）")
        text = duplicate_text(locate("cadres", ib), locate("cadres", ia), names, why)
        path = "id_number" if why == "id_number" else "name"
        severity: Severity = "error" if strong else "warning"
        found.append(Finding("cadres", ib, text, path=path, id=cb.id, severity=severity))
    for group in choices.same_person:
        at = {c.id: k for k, (_, c) in enumerate(cadres)}
        known = [at[cid] for cid in group if cid in at]
        merges += [(known[0], k) for k in known[1:]]
        for cid in group:
            if cid not in at:
                found.append(
                    Finding(
                        "identity",
                        None,
                        Text(f"干部 {cid} 不存在", f"cadre {cid!r} does not exist"),
                        path="same_person",
                        id=cid,
                    )
                )
    root = groups_of(merges)
    merged: dict[int, Cadre] = {}
    renamed: dict[str, str] = {}
    for k in sorted(root):
        r = root[k]
        if r == k:
            continue
        base = merged.get(r, cadres[r][1])
        (ik, other) = cadres[k]
        both = _merge(base, other)
        if both is None:
            found.append(
                Finding(
                    "cadres",
                    ik,
                    Text(
                        f"与 {base.id} 合并为同一人，但本人意愿矛盾（只愿脱产/只愿兼职），请核对",
                        f"merged with {base.id} as one person, but their wishes contradict "
                        "(full-time only / part-time only)",
                    ),
                    path="availability",
                    id=other.id,
                )
            )
            continue
        merged[r] = both
        renamed[other.id] = base.id
    kept = [(i, merged.get(k, c)) for k, (i, c) in enumerate(cadres) if root.get(k, k) == k]
    return People(kept, found, renamed)


def rename_in_rules(rules: Rules, renamed: dict[str, str]) -> Rules:
    """Locks and forbidden pairs naming a merged-away cadre name the kept one."""
    if not renamed:
        return rules

    def fix(pairs: list[Any]) -> list[Any]:
        return [p.model_copy(update={"cadre": renamed.get(p.cadre, p.cadre)}) for p in pairs]

    return rules.model_copy(
        update={"locks": fix(rules.locks), "forbidden_pairs": fix(rules.forbidden_pairs)}
    )


__all__ = ["People", "rename_in_rules", "resolve_people"]
