"""What clerks write, resolved into the round's own terms before the round is validated.

- **Rank titles** (四级调研员, 副科长, 管理八级, 专技十级, 副处级) become a rung of the
  ladder; the title as written is kept in ``rank_title`` (the round's ``rank_titles`` table
  first, then the built-in one).
- **Coordinate systems** are never guessed silently: points that declare none take the round's
  ``default_crs`` (with a warning saying so); without one, a round where some points declare
  GCJ-02 or BD-09 and others declare nothing is an error naming both sheets.
- **Names as references**: preferences, current posts, locks, forbidden pairs and selectors may
  name a community (or a cadre) by name where the name is unique; an ambiguous name is an error
  listing the candidates with their districts.

Each function works on copies of the raw items and returns what it found as :class:`Finding`
items; :mod:`matcher.model.validate` turns them into located problems.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from matcher.model.messages import Text, say, suggest
from matcher.model.problems import Severity
from matcher.model.ranks import ACCEPTED, TITLES, Rank, rung, title_key, title_rank


@dataclass(frozen=True)
class Finding:
    """A problem found while resolving: which item (or rules path) and what."""

    collection: str
    index: int | None
    text: Text
    path: str = ""
    id: str | None = None
    severity: Severity = "error"


def _key(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def _any_rank(text: str, level: str | None) -> Rank | None:
    r = rung(text)
    return r if r is not None else title_rank(text, level)


def title_reads_as(title: str, level: str | None, overrides: Mapping[str, Any]) -> Rank | None:
    """The rung a title reads as in a round with ``overrides`` (its ``rank_titles``)."""
    key = title_key(title)
    for name, value in overrides.items():
        if title_key(str(name)) == key:
            return value if isinstance(value, Rank) else _any_rank(str(value), None)
    return _any_rank(key, level)


def resolve_ranks(
    cadres: list[Any], overrides: Mapping[str, Any], found: list[Finding]
) -> list[Any]:
    """Cadres with ``rank`` on the ladder and ``rank_title`` as written (see module doc)."""
    table: dict[str, Rank] = {}
    for title, value in overrides.items():
        r = value if isinstance(value, Rank) else _any_rank(str(value), None)
        if r is not None:  # a bad value is reported by the Round model itself
            table[title_key(str(title))] = r
    known = [*ACCEPTED, *TITLES, *overrides]
    memo: dict[tuple[str, str | None], tuple[str, Rank | None]] = {}
    out: list[Any] = []
    for i, cad in enumerate(cadres):
        text = cad.get("rank") if isinstance(cad, dict) else None
        if not isinstance(text, str):
            out.append(cad)
            continue
        level = cad.get("level") if isinstance(cad.get("level"), str) else None
        if (text, level) not in memo:
            k = title_key(text)
            memo[text, level] = k, table[k] if k in table else _any_rank(k, level)
        key, r = memo[text, level]
        if r is None:
            hint = suggest(key, known)
            msg = say("rank_unknown", value=text)
            if hint:
                near = say("did_you_mean", known=hint)
                msg = Text(msg.zh + near.zh, msg.en + near.en)
            found.append(Finding("cadres", i, msg, "rank", str(cad.get("id") or "") or None))
            cad = dict(cad, rank=Rank.SECTION_MEMBER)  # reported: the row's other checks still run
            out.append(cad)
            continue
        new = dict(cad, rank=r)
        if key not in ACCEPTED or key in table:  # 副处级 / 正科级 print as written too
            new.setdefault("rank_title", text.strip())
        out.append(new)
    return out


_LOOSE = {"wgs84", "cgcs2000"}  # within centimetres of each other


def _crs_of(item: Any) -> list[tuple[str, Any]]:
    """(field, its raw crs or None) of an item's location and polygon, if present."""
    if not isinstance(item, dict):
        return []
    return [
        (f, item[f].get("crs")) for f in ("location", "polygon") if isinstance(item.get(f), dict)
    ]


def resolve_crs(
    raw: dict[str, Any], default: Any, sheet: Callable[[str], str], found: list[Finding]
) -> None:
    """Fill or refuse points without a coordinate system (module doc); edits ``raw`` copies."""
    silent: dict[str, list[int]] = {}
    declared: dict[str, set[str]] = {}
    for name in ("communities", "cadres"):
        items = raw.get(name)
        if not isinstance(items, list):
            continue
        rows: list[int] = []
        systems: set[str] = set()
        for i, item in enumerate(items):  # _crs_of, inlined: this runs for every row
            if not isinstance(item, dict):
                continue
            for f in ("location", "polygon"):
                place = item.get(f)
                if isinstance(place, dict):
                    crs = place.get("crs")
                    if crs is None:
                        rows.append(i)
                    else:
                        systems.add(str(crs))
        if rows:
            silent[name] = rows
        if systems:
            declared[name] = systems
    if not silent:
        return
    if default is not None:
        for name, rows in silent.items():
            items = raw[name] = list(raw[name])
            for i in set(rows):
                items[i] = dict(items[i])
                for f, crs in _crs_of(items[i]):
                    if crs is None:
                        items[i][f] = {**items[i][f], "crs": default}
        sheets = "、".join(sheet(n) for n in silent)
        text = say("crs_default", sheets=sheets, crs=default)
        found.append(Finding("", None, text, "default_crs", severity="warning"))
        return
    strict = {n: sorted(v - _LOOSE) for n, v in declared.items() if v - _LOOSE}
    if not strict:
        return  # nobody declared anything but GPS-like systems: WGS-84 is what they meant
    for name, rows in silent.items():
        others = [n for n in strict if n != name] or [name]
        crs = "/".join(sorted({c for n in others for c in strict[n]}))
        text = say(
            "crs_mixed",
            declared="、".join(sheet(n) for n in others),
            crs=crs,
            silent=sheet(name),
            n=len(set(rows)),
        )
        found.append(Finding(name, min(rows), text, "location.crs"))  # at its first point


def _lookup(items: Any, describe: Callable[[dict[str, Any]], str]) -> dict[str, list[str]]:
    """Name → ``["id (district)", …]`` of the items carrying it."""
    out: dict[str, list[str]] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("name") and item.get("id"):
            out.setdefault(_key(item["name"]), []).append(f"{item['id']} ({describe(item)})")
    return out


def _community_place(item: dict[str, Any]) -> str:
    d = item.get("district")
    return str(d.get("name") or d.get("code")) if isinstance(d, dict) else "?"


def _cadre_place(item: dict[str, Any]) -> str:
    return f"{item.get('unit', '?')}, {item.get('home_district', '?')}"


def _items(value: Any) -> list[Any]:
    """A list field's items; anything else (a string, a number) is reported by validation."""
    return value if isinstance(value, list) else []


class _Names:
    """Turns a name into an id where it is unique; records ambiguous names."""

    def __init__(self, raw: Mapping[str, Any], found: list[Finding]) -> None:
        self.found = found
        self.ids = {
            kind: {str(it.get("id")) for it in _items(raw.get(kind)) if isinstance(it, dict)}
            for kind in ("communities", "cadres")
        }
        self.raw = raw
        self.names: dict[str, dict[str, list[str]]] = {}  # built on the first name seen

    def __call__(self, kind: str, ref: Any, at: tuple[str, int | None, str]) -> Any:
        if not isinstance(ref, str) or ref in self.ids[kind]:
            return ref
        if kind not in self.names:
            place = _community_place if kind == "communities" else _cadre_place
            self.names[kind] = _lookup(self.raw.get(kind), place)
        hits = self.names[kind].get(_key(ref), [])
        if len(hits) == 1:
            return hits[0].split(" (")[0]
        if len(hits) > 1:
            label = {"communities": "社区/communities", "cadres": "干部/cadres"}[kind]
            text = say(
                "ambiguous_name", name=ref, n=len(hits), kind=label, candidates="; ".join(hits)
            )
            self.found.append(Finding(at[0], at[1], text, at[2], ref))
        return ref


def resolve_names(raw: dict[str, Any], found: list[Finding]) -> None:
    """Replace unique names by ids in every reference of ``raw`` (copies edited items)."""
    name = _Names(raw, found)
    cadres = raw.get("cadres")
    if isinstance(cadres, list):
        raw["cadres"] = cadres = list(cadres)
        for i, cad in enumerate(cadres):
            if not isinstance(cad, dict):
                continue
            if not cad.get("preferences") and not cad.get("current_post"):
                continue
            cad = cadres[i] = dict(cad)
            prefs = cad.get("preferences")
            if isinstance(prefs, list):
                cad["preferences"] = [
                    name("communities", p, ("cadres", i, f"preferences[{j}]"))
                    for j, p in enumerate(prefs)
                ]
            post = cad.get("current_post")
            if isinstance(post, dict):
                at = ("cadres", i, "current_post.community")
                cad["current_post"] = dict(
                    post, community=name("communities", post.get("community"), at)
                )
    rules = raw.get("rules")
    if not isinstance(rules, dict):
        return
    raw["rules"] = rules = dict(rules)
    for kind in ("locks", "forbidden_pairs"):
        pairs = rules.get(kind)
        if not isinstance(pairs, list):
            continue
        rules[kind] = pairs = [dict(p) if isinstance(p, dict) else p for p in pairs]
        for i, pair in enumerate(pairs):
            if isinstance(pair, dict):
                for field, coll in (("cadre", "cadres"), ("community", "communities")):
                    if field in pair:
                        pair[field] = name(
                            coll, pair[field], ("rules", None, f"{kind}[{i}].{field}")
                        )
    for kind in ("rank_floors", "skill_mix"):
        entries = rules.get(kind)
        if not isinstance(entries, list):
            continue
        rules[kind] = entries = [dict(e) if isinstance(e, dict) else e for e in entries]
        for i, entry in enumerate(entries):
            where = entry.get("where") if isinstance(entry, dict) else None
            if isinstance(where, dict) and isinstance(where.get("communities"), list):
                path = f"{kind}[{i}].where.communities"
                entry["where"] = dict(
                    where,
                    communities=[
                        name("communities", c, ("rules", None, path)) for c in where["communities"]
                    ],
                )


def ambiguous_names(raw: Mapping[str, Any], kind: str) -> set[str]:
    """Names carried by several items of ``kind``: a reference by such a name is reported as
    ambiguous (by :func:`resolve_names`), not again as unknown."""
    items = raw.get(kind)
    seen = Counter(
        _key(item["name"])
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict) and item.get("name") and item.get("id")
    )  # the names _lookup would list, counted without building its texts
    return {name for name, n in seen.items() if n > 1}


class AmbiguousName(ValueError):
    """A name that several items carry; the message lists them (id and district / unit)."""


def id_by_name(items: list[Any], ref: str, kind: str, lang: str = "zh") -> str:
    """The id ``ref`` names among ``items`` (communities or cadres of a round): an id is kept,
    a unique name becomes its id; an unknown reference or a name several items carry raises
    :class:`ValueError` (:class:`AmbiguousName`) saying which, with the candidates."""
    ids = {str(getattr(it, "id", "")) for it in items}
    if ref in ids:
        return ref
    hits = [it for it in items if _key(getattr(it, "name", "")) == _key(ref)]
    if len(hits) == 1:
        return str(hits[0].id)
    noun = {"communities": ("社区", "community"), "cadres": ("干部", "cadre")}[kind]
    if not hits:
        raise ValueError(
            f"没有名为“{ref}”的{noun[0]}" if lang != "en" else f"no {noun[1]} named {ref!r}"
        )
    where = "; ".join(f"{it.id}（{_place(it)}）" for it in hits)
    raise AmbiguousName(
        f"有{len(hits)}个{noun[0]}名为“{ref}”，请用编号指明：{where}"
        if lang != "en"
        else f"{len(hits)} {noun[1]}s are named {ref!r}; give the id: {where}"
    )


def _place(item: Any) -> str:
    district = getattr(item, "district", None)
    if district is not None:
        street = getattr(item, "street", None) or ""
        return f"{getattr(district, 'name', '') or district}{street}"
    return str(getattr(item, "unit", "") or "")
