"""Column mapping: which role every column of a sheet has, proposed from header words and cell
contents, confirmed or overridden by the planner, and saved for next year's workbook.

A column's role is ``field`` (a round field, with the unit or coordinate system its header
names), ``intent`` (what the clerk asks for: 本人意愿, post counts, 所需专长, 政治面貌 …),
``kept`` (travels with the record as ``extra``), ``private`` (身份证号 → ``Cadre.id_number``;
联系电话, 家庭住址 → ``Cadre.private``; never printed) or ``ignored``. :func:`propose` weighs
:func:`header_words.header_score` with the shares of :func:`sniff.profile`, gives each field to
at most one column (the most confident first), and turns a required field nobody claimed into
the best plausible column rather than a missing column. A proposal under :data:`SURE` becomes
a question naming the column and its candidates; it is still read as proposed (at least
half as likely as a sure one) until the planner answers, and a column likelier than nothing is
kept.

A :class:`Mapping` read from ``mapping.json`` (:mod:`matcher.model.io.mapping_file`) overrides
the proposal column by column, matched by header text; columns it does not name are proposed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from matcher.model.io.header_words import FIELDS, field_of, header_score, header_unit, norm
from matcher.model.io.headers import CADRE_COLUMNS, COMMUNITY_COLUMNS
from matcher.model.io.sniff import profile

SURE = 0.7  # confidence from which a proposal is used without asking
MARGIN = 0.15  # lead over the next meaning a proposal needs to be sure
PLAUSIBLE = 0.25  # a required field takes a column this likely rather than be missing
ROLES = ("field", "intent", "kept", "private", "ignored")
ROLE_ZH = {
    "field": "字段",
    "intent": "意愿",
    "kept": "保留",
    "private": "私密",
    "ignored": "不读取",
}
_REQUIRED = {
    "cadres": {c.key for c in CADRE_COLUMNS if c.required},
    "communities": {c.key for c in COMMUNITY_COLUMNS if c.required},
}
# Content so telling that an unknown header still gets the field (a column of valid ID
# numbers is private whatever it is called).
_STRONG = {"id_number", "phone", "lonlat", "latlon", "lon", "lat", "district_code", "unit_post"}


@dataclass(frozen=True)
class ColumnRole:
    """The role of one column (see module docstring).

    ``field``: the meaning's key (``name``, ``lon``, ``location``, ``id_number``, ``phone`` …;
    see :data:`header_words.FIELDS`); ``unit``: a coordinate system or unit from the header;
    ``order``: ``latlon`` when a coordinate pair is written latitude first; ``candidates``:
    the meanings a question offers; ``confirmed``: set by the planner's mapping file.
    """

    position: int
    header: str
    role: str
    field: str | None = None
    unit: str | None = None
    confidence: float = 1.0
    candidates: tuple[str, ...] = ()
    order: str | None = None
    confirmed: bool = False

    @property
    def unsure(self) -> bool:
        """A proposal the planner should confirm."""
        return not self.confirmed and self.confidence < SURE and self.role != "ignored"


@dataclass
class SheetMapping:
    """The roles of a sheet's columns, and which table the sheet is."""

    sheet: str
    table: str
    columns: list[ColumnRole] = field(default_factory=list)

    def by_field(self, key: str) -> ColumnRole | None:
        """The column given ``key``, if any."""
        return next((c for c in self.columns if c.field == key), None)


@dataclass
class Mapping:
    """Sheet mappings of one workbook (or CSV folder), as confirmed by the planner."""

    sheets: list[SheetMapping] = field(default_factory=list)
    name: str | None = None

    def for_sheet(self, sheet: str, table: str) -> SheetMapping | None:
        """The mapping of a sheet by its name, else the one for the same table."""
        for s in self.sheets:
            if norm(s.sheet) == norm(sheet):
                return s
        return next((s for s in self.sheets if s.table == table), None)


def _scores(kind: str, header: str, values: list[str]) -> dict[str, float]:
    """Every meaning of a column with its likelihood (header words and contents weighed)."""
    words = header_score(kind, header)
    shares = profile(values)
    out: dict[str, float] = {}
    for f in FIELDS[kind]:
        h = words.get(f.key, 0.0)
        c = max((shares.get(k, 0.0) for k in f.content), default=None) if f.content else None
        if f.key == "id_number" and c is not None:
            c = max(c, shares.get("id_valid", 0.0))
        if f.key == "sequence" and shares.get("sequence"):
            c = 1.0
        if c is None or not values:
            score = h if f.content == () or values else h * 0.95
        else:
            strong = any(k in _STRONG for k in f.content) or f.key == "sequence"
            score = (0.85 if strong else 0.5) * c if c >= 0.8 else 0.3 * c  # contents alone
            if h > 0:
                score = max(score, 0.6 * h + 0.4 * c if c > 0.2 else 0.7 * h)
        if score > 0.05:
            out[f.key] = round(score, 3)
    return out


def _order(values: list[str]) -> str | None:
    shares = profile(values)
    return "latlon" if shares.get("latlon", 0) > shares.get("lonlat", 0) else None


def propose(kind: str, sheet: str, header: list[str], columns: list[list[str]]) -> SheetMapping:
    """A mapping for one sheet of table ``kind`` from its header and column values."""
    scored = [
        _scores(kind, h, columns[i] if i < len(columns) else []) for i, h in enumerate(header)
    ]
    roles: dict[int, ColumnRole] = {}
    taken: set[str] = set()
    pairs = sorted(
        ((s, i, key) for i, found in enumerate(scored) for key, s in found.items()),
        key=lambda t: (-t[0], t[1]),
    )
    for s, i, key in pairs:
        if i in roles or s < SURE * 0.5:
            continue
        f = field_of(kind, key)
        if f is None or (key in taken and not f.many):
            continue
        roles[i] = _role(kind, i, header[i], key, s, scored[i], columns, taken)
        taken.add(key)
    for i, role in list(roles.items()):
        if role.field == "own":  # the clerk's own column: kept as it is
            roles[i] = replace(role, role="kept", field=None, candidates=())
            taken.discard("own")
    covered = taken | _implied(taken) | {"id"}  # a sheet without ids gets stable ones
    for key in sorted(_REQUIRED.get(kind, set()) - covered):
        best = max(
            ((scored[i].get(key, 0.0), i) for i in range(len(header)) if i not in roles),
            default=(0.0, -1),
        )
        if best[0] >= PLAUSIBLE:
            i = best[1]
            roles[i] = _role(
                kind, i, header[i], key, min(best[0], SURE - 0.01), scored[i], columns, taken
            )
            taken.add(key)
    out = SheetMapping(sheet, kind)
    for i, h in enumerate(header):
        if i in roles:
            out.columns.append(roles[i])
            continue
        empty = not any(columns[i]) if i < len(columns) else True
        cands = _candidates(scored[i], kind)
        what = "ignored" if not h.strip() and empty else "kept"
        conf = 1.0 if not cands else max(0.3, 1.0 - max(scored[i].values()))
        out.columns.append(ColumnRole(i, h, what, None, None, round(conf, 2), cands))
    return out


def _implied(taken: set[str]) -> set[str]:
    """Required fields another column already provides (a pair cell gives both coordinates,
    a unit+post cell gives unit and rank)."""
    out: set[str] = set()
    if "location" in taken:
        out |= {"lon", "lat"}
    if "unit_post" in taken:
        out |= {"unit", "rank"}
    return out


def _candidates(found: dict[str, float], kind: str, but: str | None = None) -> tuple[str, ...]:
    ranked = sorted(found.items(), key=lambda kv: -kv[1])
    return tuple(k for k, s in ranked if k != but and s >= PLAUSIBLE)[:3]


def _role(
    kind: str,
    i: int,
    header: str,
    key: str,
    score: float,
    found: dict[str, float],
    columns: list[list[str]],
    taken: set[str],
) -> ColumnRole:
    f = field_of(kind, key)
    assert f is not None
    others = [s for k, s in found.items() if k != key and k not in taken]
    conf = score if not others or score - max(others) >= MARGIN else min(score, SURE - 0.01)
    values = columns[i] if i < len(columns) else []
    order = _order(values) if key == "location" else None
    unit = header_unit(header) if key in ("lon", "lat", "location") or f.role == "field" else None
    cands = _candidates(found, kind, key) if conf < SURE else ()
    return ColumnRole(i, header, f.role, key, unit, round(conf, 2), cands, order)


def apply_confirmed(proposed: SheetMapping, given: SheetMapping | None) -> SheetMapping:
    """The proposal with the planner's confirmed roles laid over it, column by header."""
    if given is None:
        return proposed
    mine = {norm(c.header): c for c in given.columns}
    out: list[ColumnRole] = []
    for col in proposed.columns:
        said = mine.get(norm(col.header))
        if said is None:
            out.append(col)
            continue
        out.append(
            replace(
                col,
                role=said.role,
                field=said.field,
                unit=said.unit if said.unit is not None else col.unit,
                order=said.order if said.order is not None else col.order,
                confidence=1.0,
                candidates=(),
                confirmed=True,
            )
        )
    return SheetMapping(proposed.sheet, proposed.table, out)
