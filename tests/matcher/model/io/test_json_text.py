"""The fast indented JSON writer gives the standard library's text byte for byte."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.model.io.json_text import dumps_indented

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
)
_keys = st.text(max_size=6) | st.integers() | st.booleans() | st.none() | st.floats()
_json = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(_keys, inner, max_size=4)
    ),
    max_leaves=30,
)


def _stdlib(obj: Any, indent: int = 2) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


@settings(max_examples=400, deadline=None)
@given(_json)
def test_same_text_as_the_standard_library(obj: Any) -> None:
    """Any JSON-able data (nested, empty, odd keys, NaN, Chinese) encodes to the same text."""
    assert dumps_indented(obj) == _stdlib(obj)


@pytest.mark.parametrize("indent", [0, 1, 4])
def test_other_indents(indent: int) -> None:
    """Indents other than 2 match as well."""
    obj = {"a": [1, {"b": [], "c": {}}, [2.5, "社区\n"]], "d": {"e": None, "f": True}}
    assert dumps_indented(obj, indent) == _stdlib(obj, indent)


def test_a_plan_shape() -> None:
    """Posts with nested term dicts, the bulk of plan.json, encode the same."""
    posts = [
        {"community": f"C{i}", "slot": i, "cadre": None if i % 3 else f"G{i}", "cost": -i,
         "distance_m": i * 1.5, "terms": {"distance": i, "rank": -2}, "reason": "就近"}
        for i in range(50)
    ]  # fmt: skip
    obj = {"format_version": 2, "result": {"assignments": posts, "terms": {}, "gap": math.inf}}
    assert dumps_indented(obj) == _stdlib(obj)


def test_unserialisable_values_raise_type_error() -> None:
    """A value JSON cannot hold is a TypeError, as with the standard library."""
    with pytest.raises(TypeError):
        dumps_indented({"a": [{1, 2}]})
    with pytest.raises(TypeError):
        dumps_indented({("a",): 1, "b": [1]})


def test_data_holding_the_placeholder_still_encodes_the_same() -> None:
    """A string that happens to be the writer's internal placeholder changes nothing."""
    from matcher.model.io.json_text import _PLACEHOLDER

    obj = [{"a": _PLACEHOLDER, "t": {"x": 1}}, {"a": 1, "t": [_PLACEHOLDER], "u": []}]
    assert dumps_indented(obj) == _stdlib(obj)
