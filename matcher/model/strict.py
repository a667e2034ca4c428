"""No booleans where a number belongs: ``"lat": false`` is a mistake, not 0.0.

Pydantic's lax mode turns ``true``/``false`` into 1/0 for a number field, and lax mode is
what lets CSV and XLSX cells (text) become numbers, so the models keep it; instead, before
validation, :func:`booleans_as_numbers` follows only the numeric fields of the round's JSON
schema through the raw data and names every boolean found there. The walk touches a handful
of fields per item, so it costs little even for 60,000 cadres.

A JSON body sent to the service is stricter still (:func:`loose_values`): no text where a number
belongs (``"5"``), and every date written ``YYYY-MM-DD`` within :data:`FIRST_DAY` …
:data:`LAST_DAY` — dates far outside any term make date arithmetic overflow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

_NUMERIC = {"number", "integer"}
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class _Node:
    """Where numbers live under one point of the schema."""

    numeric: bool = False  # a number is expected here ...
    boolean: bool = False  # ... and a boolean is not also allowed
    text: bool = False  # a string is allowed here
    day: bool = False  # a date (a string, format "date") is expected here
    props: dict[str, _Node] = field(default_factory=dict)
    extra: _Node | None = None  # additionalProperties
    items: _Node | None = None

    def empty(self) -> bool:
        return (
            not self.numeric
            and not self.day
            and not self.props
            and self.extra is None
            and self.items is None
        )


def _types(schema: Mapping[str, Any]) -> set[str]:
    t = schema.get("type")
    return {t} if isinstance(t, str) else set(t or ())


def _build(schema: Any, defs: Mapping[str, Any], seen: frozenset[str]) -> _Node:
    node = _Node()
    if not isinstance(schema, Mapping):
        return node
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            return node
        return _build(defs.get(name, {}), defs, seen | {name})
    types = _types(schema)
    node.numeric = bool(types & _NUMERIC)
    node.boolean = "boolean" in types
    node.day = "string" in types and schema.get("format") == "date"
    node.text = "string" in types and not node.day
    for key in ("anyOf", "oneOf", "allOf"):
        for alt in schema.get(key, ()):
            _merge(node, _build(alt, defs, seen))
    for name, sub in (schema.get("properties") or {}).items():
        child = _build(sub, defs, seen)
        if not child.empty():
            node.props[name] = _merge(node.props.get(name, _Node()), child)
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping):
        child = _build(extra, defs, seen)
        node.extra = None if child.empty() else child
    items = schema.get("items")
    if isinstance(items, Mapping):
        child = _build(items, defs, seen)
        node.items = None if child.empty() else child
    return node


def _merge(into: _Node, other: _Node) -> _Node:
    into.numeric |= other.numeric
    into.boolean |= other.boolean
    into.text |= other.text
    into.day |= other.day
    for name, child in other.props.items():
        into.props[name] = _merge(into.props.get(name, _Node()), child)
    if other.extra is not None:
        into.extra = _merge(into.extra or _Node(), other.extra)
    if other.items is not None:
        into.items = _merge(into.items or _Node(), other.items)
    return into


@cache
def tree_of(model: Any) -> _Node:
    """Where numbers and dates live in a pydantic ``model``'s validation schema."""
    schema = model.model_json_schema(mode="validation")
    return _build(schema, schema.get("$defs", {}), frozenset())


def _round_tree() -> _Node:
    from matcher.model.round import Round

    return tree_of(Round)


def booleans_as_numbers(raw: Any) -> Iterator[list[str | int]]:
    """The path of every boolean in ``raw`` (a raw round) where the schema wants a number.

    The same paths, in the same order, as the general walk (``_walk(..., strict=False)``),
    found by a plain recursive function that builds a path only for a hit: a province round
    has some 400,000 values to pass over."""
    hits: list[_Path] = []
    _bool_walk(raw, _round_tree(), None, hits)
    paths = [_unlink(hit) for hit in hits]
    if len(paths) > 1:  # the walk follows the schema's field order; report in the data's
        paths.sort(key=lambda path: _data_order(raw, path))
    yield from paths


def _data_order(raw: Any, path: list[str | int]) -> list[int]:
    """The position of each step of ``path`` in its container (a dict's key order)."""
    out: list[int] = []
    for key in path:
        out.append(list(raw).index(key) if isinstance(raw, Mapping) else int(key))
        raw = raw[key]
    return out


_Path = tuple[Any, str | int] | None  # (parent path, key): built in O(1) per step


def _unlink(path: _Path) -> list[str | int]:
    out: list[str | int] = []
    while path is not None:
        path, key = path
        out.append(key)
    out.reverse()
    return out


_LEAVES = frozenset({str, int, float, type(None)})  # nothing below them, and not a boolean


def _bool_walk(value: Any, node: _Node, path: _Path, hits: list[_Path]) -> None:
    if type(value) in _LEAVES or value is None or isinstance(value, str):
        return
    if isinstance(value, bool):
        if node.numeric and not node.boolean:
            hits.append(path)
    elif isinstance(value, Mapping):
        props, extra = node.props, node.extra
        if extra is None:  # only the schema's few fields with numbers below them
            for key, child in props.items():
                item = value.get(key)
                if item is True or item is False:
                    if child.numeric and not child.boolean:
                        hits.append((path, key))
                elif (
                    type(item) not in _LEAVES
                    and (type(item) is dict or type(item) is list or isinstance(item, Mapping))
                    and item
                    and (child.props or child.items is not None or child.extra)
                ):
                    _bool_walk(item, child, (path, key), hits)
            return
        for key, item in value.items():
            under = (props.get(key) if isinstance(key, str) else None) or extra
            if under is not None:
                _bool_walk(item, under, (path, key), hits)
    elif isinstance(value, list) and node.items is not None:
        each = node.items
        for i, item in enumerate(value):
            _bool_walk(item, each, (path, i), hits)


def loose_values(raw: Any, model: Any) -> Iterator[tuple[list[str | int], str]]:
    """``(path, reason)`` for every value of a JSON body ``raw`` for ``model`` that lax
    validation would turn into something else: a boolean or a string where a number belongs,
    a date not written ``YYYY-MM-DD`` or outside :data:`FIRST_DAY` … :data:`LAST_DAY`."""
    yield from _walk(raw, tree_of(model), [], strict=True)


_BOOL = "must be a number, not true or false"


def _day(value: Any) -> str | None:
    """Why ``value`` is not a date a body may carry, or None."""
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        return "must be a date written YYYY-MM-DD"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return "is not a calendar date"
    if not FIRST_DAY <= day <= LAST_DAY:
        return f"must lie between {FIRST_DAY} and {LAST_DAY}"
    return None


def _walk(
    value: Any, node: _Node, path: list[str | int], strict: bool
) -> Iterator[tuple[list[str | int], str]]:
    if value is None:
        return
    if strict and node.day and not (node.text or node.numeric or node.props):
        reason = _day(value)
        if reason is not None:
            yield path, reason
        return
    if isinstance(value, bool):
        if node.numeric and not node.boolean:
            yield path, _BOOL
    elif isinstance(value, str):
        if strict and node.numeric and not node.text and not node.day:
            yield path, "must be a number, not text"
    elif isinstance(value, Mapping):
        for key, item in value.items():
            child = node.props.get(key) if isinstance(key, str) else None
            child = child or node.extra
            if child is not None:
                yield from _walk(item, child, [*path, key], strict)
    elif isinstance(value, list) and node.items is not None:
        for i, item in enumerate(value):
            yield from _walk(item, node.items, [*path, i], strict)
