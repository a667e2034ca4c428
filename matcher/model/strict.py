"""No booleans where a number belongs: ``"lat": false`` is a mistake, not 0.0.

Pydantic's lax mode turns ``true``/``false`` into 1/0 for a number field, and lax mode is
what lets CSV and XLSX cells (text) become numbers, so the models keep it; instead, before
validation, :func:`booleans_as_numbers` follows only the numeric fields of the round's JSON
schema through the raw data and names every boolean found there. The walk touches a handful
of fields per item, so it costs little even for 60,000 cadres.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

_NUMERIC = {"number", "integer"}


@dataclass
class _Node:
    """Where numbers live under one point of the schema."""

    numeric: bool = False  # a number is expected here ...
    boolean: bool = False  # ... and a boolean is not also allowed
    props: dict[str, _Node] = field(default_factory=dict)
    extra: _Node | None = None  # additionalProperties
    items: _Node | None = None

    def empty(self) -> bool:
        return not self.numeric and not self.props and self.extra is None and self.items is None


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
    for name, child in other.props.items():
        into.props[name] = _merge(into.props.get(name, _Node()), child)
    if other.extra is not None:
        into.extra = _merge(into.extra or _Node(), other.extra)
    if other.items is not None:
        into.items = _merge(into.items or _Node(), other.items)
    return into


@cache
def _round_tree() -> _Node:
    from matcher.model.round import Round

    schema = Round.model_json_schema(mode="validation")
    return _build(schema, schema.get("$defs", {}), frozenset())


def booleans_as_numbers(raw: Any) -> Iterator[list[str | int]]:
    """The path of every boolean in ``raw`` (a raw round) where the schema wants a number."""
    yield from _walk(raw, _round_tree(), [])


def _walk(value: Any, node: _Node, path: list[str | int]) -> Iterator[list[str | int]]:
    if isinstance(value, bool):
        if node.numeric and not node.boolean:
            yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            child = node.props.get(key) if isinstance(key, str) else None
            child = child or node.extra
            if child is not None:
                yield from _walk(item, child, [*path, key])
    elif isinstance(value, list) and node.items is not None:
        for i, item in enumerate(value):
            yield from _walk(item, node.items, [*path, i])
