"""Turn raw round data (from JSON, CSV, XLSX or an API body) into a :class:`Round`.

Every problem is collected — type errors per item, duplicate ids, unknown references, unknown
skills, missing coordinates — and raised together as one :class:`InvalidInput`. Items are
validated one by one so that one bad row does not hide the problems of the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from matcher.model.community_twins import twin_communities
from matcher.model.default_rules import default_rule_notes
from matcher.model.gc_pause import collector_paused
from matcher.model.identity import IdentityChoices
from matcher.model.messages import Text
from matcher.model.people import rename_in_rules, resolve_people
from matcher.model.problems import InputProblem, InvalidInput, Severity
from matcher.model.resolve import (
    Finding,
    ambiguous_names,
    resolve_crs,
    resolve_names,
    resolve_ranks,
)
from matcher.model.round import Cadre, Community, Round
from matcher.model.rules import PairRef, Rules, Selector
from matcher.model.settings import SolveSettings
from matcher.model.skill_words import RoundVocabulary
from matcher.model.standing import resolve_disqualifications
from matcher.model.strict import booleans_as_numbers
from matcher.model.text import forbidden_text
from matcher.model.weights import Weights

_ITEMS = {"communities", "cadres"}
_T = TypeVar("_T", Community, Cadre)
_SECTION_MODELS: dict[str, type[BaseModel]] = {
    "rules": Rules,
    "identity": IdentityChoices,
    "weights": Weights,
    "settings": SolveSettings,
}
_TOP_FIELDS = {
    "format_version",
    "name",
    "description",
    "organisation",
    "extra_skills",
    "rank_titles",
    "default_crs",
    "disqualification_conditions",
}


@dataclass(frozen=True)
class Origin:
    """Where each item came from, so problems name a file and row rather than an index.

    ``rows[collection][i]`` is ``(file, row_number)`` of item ``i``; collections without rows
    are reported as field paths inside ``source``.
    """

    source: str
    rows: Mapping[str, Sequence[tuple[str, int]]] = field(default_factory=dict)

    def locate(self, collection: str, index: int | None, path: str = "") -> tuple[str, str]:
        """Return ``(file, where)`` for a field of an item (or of a section if index is None)."""
        rows = self.rows.get(collection)
        if index is not None and rows is not None and index < len(rows):
            file, row = rows[index]
            return file, f"row {row}"
        if index is None:
            return self.source, ".".join(p for p in (collection, path) if p)
        tail = f".{path}" if path else ""
        return self.source, f"{collection}[{index}]{tail}"

    def sheet(self, collection: str) -> str:
        """The file or sheet a collection came from (its name when it has no rows)."""
        rows = self.rows.get(collection)
        return rows[0][0] if rows else collection


def field_path(loc: Iterable[int | str]) -> str:
    """A pydantic error location as a field path: ``cadres[3].rank``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def error_message(err: Mapping[str, Any]) -> str:
    """A pydantic error in words a planner can act on (with the value it got)."""
    msg = str(err["msg"])
    msg = msg.removeprefix("Value error, ")
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] == "extra_forbidden":
        return "unknown field"
    got = err.get("input")
    if err["type"] not in {"value_error"} and not isinstance(got, dict | list):
        msg = f"{msg} (got {got!r})"
    return msg


class _Collector:
    def __init__(self, origin: Origin) -> None:
        self.origin = origin
        self.problems: list[InputProblem] = []
        self.warnings: list[InputProblem] = []

    def add(
        self,
        collection: str,
        index: int | None,
        message: str | Text,
        *,
        path: str = "",
        id: str | None = None,
        severity: Severity = "error",
    ) -> None:
        source, where = self.origin.locate(collection, index, path)
        if index is not None and collection in self.origin.rows and path:
            where = f"{where}, field '{path}'"
        text = message if isinstance(message, Text) else Text("", message)
        problem = InputProblem(
            source,
            where,
            text.en,
            id=id,
            field=path.split(".")[-1] or None,
            severity=severity,
            zh=text.zh or None,
        )
        (self.warnings if severity == "warning" else self.problems).append(problem)

    def findings(self, found: list[Finding]) -> None:
        for f in found:
            self.add(f.collection, f.index, f.text, path=f.path, id=f.id, severity=f.severity)

    def pydantic(
        self, collection: str, index: int | None, exc: ValidationError, id: str | None
    ) -> None:
        for err in exc.errors():
            self.add(collection, index, error_message(err), path=field_path(err["loc"]), id=id)


def _check_text(raw: Mapping[str, Any], out: _Collector, text_checked: bool = False) -> None:
    """Control characters and the like, anywhere (see :mod:`matcher.model.text`; skipped when
    the reader has ``text_checked`` the source), and booleans where numbers belong
    (:mod:`matcher.model.strict`)."""
    found = [] if text_checked else list(forbidden_text(raw))
    found += [(p, "must be a number, not true or false") for p in booleans_as_numbers(raw)]
    for path, reason in found:
        head = path[0] if path else ""
        if head in _ITEMS and len(path) > 1 and isinstance(path[1], int):
            item = raw[str(head)][path[1]]
            rest = field_path(path[2:])
            out.add(str(head), path[1], reason, path=rest, id=_raw_id(item))
        else:
            out.add(field_path(path), None, reason)


def _raw_id(item: object) -> str | None:
    if isinstance(item, Mapping):
        value = item.get("id")
        return str(value) if value is not None else None
    return None


def _parse_items(
    raw: Mapping[str, Any], name: str, model: type[_T], out: _Collector
) -> list[tuple[int, _T]]:
    items = raw.get(name, [])
    if not isinstance(items, list):
        out.add(name, None, f"must be a list, got {type(items).__name__}")
        return []
    try:  # all at once is several times faster; item by item only to name the bad ones
        return list(enumerate(TypeAdapter(list[model]).validate_python(items)))  # type: ignore[valid-type]
    except ValidationError:
        pass
    adapter: TypeAdapter[_T] = TypeAdapter(model)
    parsed: list[tuple[int, _T]] = []
    for i, item in enumerate(items):
        try:
            parsed.append((i, adapter.validate_python(item)))
        except ValidationError as exc:
            out.pydantic(name, i, exc, _raw_id(item))
    return parsed


def _raw_ids(raw: Mapping[str, Any], name: str) -> list[tuple[int, str]]:
    """Ids as written, including those of items that fail to parse: a bad row still exists,
    so references to it are not "unknown" and its id can still be a duplicate."""
    items = raw.get(name, [])
    if not isinstance(items, list):
        return []
    return [(i, rid) for i, item in enumerate(items) if (rid := _raw_id(item)) is not None]


def _check_duplicates(name: str, ids: Sequence[tuple[int, str]], out: _Collector) -> None:
    counts = Counter(rid for _, rid in ids)
    first: dict[str, int] = {}
    for i, rid in ids:
        if counts[rid] > 1:
            if rid in first:
                src, where = out.origin.locate(name, first[rid])
                here, _ = out.origin.locate(name, i)
                seen = where if src == here else f"{src} {where}"
                out.add(name, i, f"duplicate id (first seen at {seen})", path="id", id=rid)
            else:
                first[rid] = i


def _check_selector(
    sel: Selector,
    path: str,
    known_communities: set[str],
    known_districts: set[str],
    out: _Collector,
) -> None:
    for cid in sel.communities:
        if cid not in known_communities:
            out.add("rules", None, f"community {cid!r} does not exist", path=path, id=cid)
    for code in sel.districts:
        if code not in known_districts:
            out.add("rules", None, f"district {code!r} has no community in this round", path=path)


def _check_pair_refs(
    kind: str,
    pairs: Iterable[tuple[int, PairRef]],
    communities: set[str],
    cadres: set[str],
    out: _Collector,
) -> None:
    for i, pair in pairs:
        if pair.cadre not in cadres:
            out.add(
                "rules",
                None,
                f"cadre {pair.cadre!r} does not exist",
                path=f"{kind}[{i}].cadre",
                id=pair.cadre,
            )
        if pair.community not in communities:
            out.add(
                "rules",
                None,
                f"community {pair.community!r} does not exist",
                path=f"{kind}[{i}].community",
                id=pair.community,
            )


def _parsable_pairs(raw_rules: object, kind: str) -> list[tuple[int, PairRef]]:
    """Pairs that parse on their own, for reference checks when the rules section does not."""
    items = raw_rules.get(kind) if isinstance(raw_rules, Mapping) else None
    if not isinstance(items, list):
        return []
    good: list[tuple[int, PairRef]] = []
    for i, item in enumerate(items):
        try:
            good.append((i, PairRef.model_validate(item)))
        except ValidationError:
            continue  # already reported by the section's own validation
    return good


def _check_rules(
    rules: Rules,
    communities: set[str],
    cadres: set[str],
    districts: set[str],
    vocab: RoundVocabulary,
    out: _Collector,
) -> None:
    for i, floor in enumerate(rules.rank_floors):
        _check_selector(floor.where, f"rank_floors[{i}].where", communities, districts, out)
    for i, mix in enumerate(rules.skill_mix):
        _check_selector(mix.where, f"skill_mix[{i}].where", communities, districts, out)
        vocab.check("rules", None, mix.any_of, f"skill_mix[{i}].any_of", None)
    for kind in ("forbidden_pairs", "locks"):
        _check_pair_refs(kind, enumerate(getattr(rules, kind)), communities, cadres, out)
    locked = Counter(p.cadre for p in rules.locks)
    for cadre_id, n in sorted(locked.items()):
        if n > 1 and rules.one_post_per_cadre.enabled:
            out.add(
                "rules",
                None,
                f"cadre is locked to {n} posts but may hold only one",
                path="locks",
                id=cadre_id,
            )


def validate_round(raw: Mapping[str, Any], origin: Origin | None = None) -> Round:
    """Validate raw round data; return a :class:`Round` or raise :class:`InvalidInput`.

    Parameters
    ----------
    raw:
        A mapping shaped like the JSON round file (see ``docs/round.md``).
    origin:
        Where the data came from, used to name files and rows in problems.
    """
    with collector_paused():  # a large API body: see matcher.model.gc_pause
        return validate_round_report(raw, origin)[0]


def validate_round_report(
    raw: Mapping[str, Any], origin: Origin | None = None, *, text_checked: bool = False
) -> tuple[Round, list[InputProblem]]:
    """As :func:`validate_round`, and the warnings (the round reads, but look).

    Rank titles, coordinate systems and names used as references are resolved first
    (:mod:`matcher.model.resolve`); :class:`InvalidInput` carries the warnings too.
    ``text_checked``: the reader scanned the source text and it can hold no forbidden
    character (:func:`matcher.model.text.json_source_clean`), so the walk is skipped.
    """
    origin = origin or Origin("round")
    out = _Collector(origin)
    if not isinstance(raw, Mapping):
        out.add("", None, "a round must be a JSON object")
        raise InvalidInput(out.problems)
    raw = dict(raw)
    found: list[Finding] = []
    if isinstance(raw.get("cadres"), list):
        titles = raw.get("rank_titles")
        raw["cadres"] = resolve_ranks(
            raw["cadres"], titles if isinstance(titles, Mapping) else {}, found
        )
    resolve_crs(raw, raw.get("default_crs"), origin.sheet, found)
    resolve_names(raw, found)
    for key in sorted(set(raw) - _TOP_FIELDS - _ITEMS - set(_SECTION_MODELS)):
        out.add(str(key), None, "unknown top-level field")
    _check_text(raw, out, text_checked)

    communities = _parse_items(raw, "communities", Community, out)
    cadres = _parse_items(raw, "cadres", Cadre, out)
    out.findings(found)
    sections: dict[str, Any] = {}
    for name, model in _SECTION_MODELS.items():
        try:
            sections[name] = model.model_validate(raw.get(name, {}))
        except ValidationError as exc:
            out.pydantic(name, None, exc, None)
    choices = sections.get("identity", IdentityChoices())
    people = resolve_people(cadres, choices, origin.locate)
    cadres = people.cadres
    out.findings(people.findings)
    out.findings(twin_communities(communities, choices, origin.locate))
    head: dict[str, Any] = {k: raw[k] for k in _TOP_FIELDS if k in raw}
    extra = head.get("extra_skills", [])
    extra_list = extra if isinstance(extra, list) else []
    vocab = RoundVocabulary(extra_list)

    raw_community_ids = _raw_ids(raw, "communities")
    raw_cadre_ids = _raw_ids(raw, "cadres")
    _check_duplicates("communities", raw_community_ids, out)
    _check_duplicates("cadres", raw_cadre_ids, out)
    # Ambiguous names were reported by resolve_names; they are not "unknown" on top.
    community_ids = {rid for _, rid in raw_community_ids} | ambiguous_names(raw, "communities")
    cadre_ids = {rid for _, rid in raw_cadre_ids} | ambiguous_names(raw, "cadres")
    districts = {c.district.code for _, c in communities}
    for i, com in communities:
        if com.location is None and com.polygon is None:
            out.add(
                "communities",
                i,
                "missing coordinates: give a location or a polygon",
                path="location",
                id=com.id,
            )
        for kind in ("full_time", "part_time"):
            tags = getattr(com.required_skills, kind)
            vocab.check("communities", i, tags, f"required_skills.{kind}", com.id)
    for i, cad in cadres:
        vocab.check("cadres", i, cad.skills, "skills", cad.id)
        for j, pref in enumerate(cad.preferences):
            if pref not in community_ids:
                out.add(
                    "cadres",
                    i,
                    f"preferred community {pref!r} does not exist",
                    path=f"preferences[{j}]",
                    id=cad.id,
                )
        if cad.current_post and cad.current_post.community not in community_ids:
            out.add(
                "cadres",
                i,
                f"current post community {cad.current_post.community!r} does not exist",
                path="current_post.community",
                id=cad.id,
            )
    if "rules" in sections:
        sections["rules"] = rename_in_rules(sections["rules"], people.renamed)
        out.findings(default_rule_notes(sections["rules"], cadres))
        _check_rules(sections["rules"], community_ids, cadre_ids, districts, vocab, out)
    else:
        for kind in ("forbidden_pairs", "locks"):
            pairs = _parsable_pairs(raw.get("rules"), kind)
            _check_pair_refs(kind, pairs, community_ids, cadre_ids, out)

    out.findings(vocab.warnings())
    if vocab.new_words() and isinstance(extra, list):
        head["extra_skills"] = [*extra_list, *vocab.new_words()]
    if out.problems:
        raise InvalidInput(out.problems, out.warnings)
    try:
        rnd = Round(
            **head,
            communities=[c for _, c in communities],
            cadres=[c for _, c in cadres],
            **sections,
        )
    except ValidationError as exc:  # top-level fields (name, format_version, extra_skills)
        out.pydantic("", None, exc, None)
        raise InvalidInput(out.problems, out.warnings) from None
    return resolve_disqualifications(rnd), out.warnings
