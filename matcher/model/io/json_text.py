"""Indented JSON text exactly as ``json.dumps(obj, ensure_ascii=False, indent=2)`` writes it,
several times faster.

With ``indent`` the standard library encodes in pure Python, a generator per container (its C
encoder serves unindented output only), so a province plan of 60,000 posts took seconds. Here
every container whose members are all plain scalars is encoded by the C encoder, its line
breaks given as the item separator, and only the containers above those are walked in Python,
with the scalars encoded by the same functions the standard library uses. The text is the
standard library's byte for byte (``tests/matcher/model/test_json_text.py`` compares them).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

_FLAT_TYPES = frozenset({str, int, float, bool, type(None)})
_PLACEHOLDER = "\x00json_text placeholder\x00"
_PLACEHOLDER_TEXT = encode_basestring(_PLACEHOLDER)


def dumps_indented(obj: Any, indent: int = 2) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=indent)``, faster (see module docstring)."""
    out: list[str] = []
    _Writer(indent, out).value(obj, 0)
    return "".join(out)


def _refuse(o: object) -> None:
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == float("inf"):
        return "Infinity"
    if o == -float("inf"):
        return "-Infinity"
    return float.__repr__(o)


def _key(k: object) -> str:
    """A dict key as the standard library turns it into a JSON string."""
    if isinstance(k, str):
        text = k
    elif isinstance(k, float):
        text = _float(k)
    elif k is True:
        text = "true"
    elif k is False:
        text = "false"
    elif k is None:
        text = "null"
    elif isinstance(k, int):
        text = int.__repr__(k)
    else:
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")
    return encode_basestring(text)


class _Writer:
    def __init__(self, indent: int, out: list[str]) -> None:
        self.indent = indent
        self.out = out
        self.flat: dict[int, Callable[[Any], str]] = {}  # depth → C encoder for that depth
        self.keys: dict[object, str] = {}

    def _flat_encoder(self, level: int) -> Callable[[Any], str]:
        enc = self.flat.get(level)
        if enc is None:
            pad = "\n" + " " * (self.indent * (level + 1))
            if c_make_encoder is None:  # no C accelerator: the library's own encoder
                enc = json.JSONEncoder(ensure_ascii=False, separators=("," + pad, ": ")).encode
            else:  # called directly: JSONEncoder.encode costs more than encoding a post
                chunks = c_make_encoder(
                    None, _refuse, encode_basestring, None, ": ", "," + pad, False, False, True
                )
                enc = lambda o: "".join(chunks(o, 0))  # noqa: E731
            self.flat[level] = enc
        return enc

    def value(self, o: Any, level: int) -> None:
        out = self.out
        if isinstance(o, str):
            out.append(encode_basestring(o))
        elif o is None:
            out.append("null")
        elif o is True:
            out.append("true")
        elif o is False:
            out.append("false")
        elif isinstance(o, int):
            out.append(int.__repr__(o))
        elif isinstance(o, float):
            out.append(_float(o))
        elif isinstance(o, list | tuple):
            self.array(o, level)
        elif isinstance(o, dict):
            self.object(o, level)
        else:
            json.dumps(o)  # raises the standard library's TypeError
            raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")

    def _flat_text(self, o: Any, level: int) -> str:
        text = self._flat_encoder(level)(o)
        inner, outer = " " * (self.indent * (level + 1)), " " * (self.indent * level)
        return f"{text[0]}\n{inner}{text[1:-1]}\n{outer}{text[-1]}"

    def _two_level(self, o: dict[str, Any], level: int) -> str | None:
        """A dict of scalars and flat containers (a post and its terms) in two C calls: the
        containers are encoded one level deeper and put in place of a placeholder; None when
        the shape differs or the data holds the placeholder itself."""
        inner: list[str] = []
        shallow: dict[str, Any] = {}
        for k, v in o.items():
            kind = type(v)
            if kind in _FLAT_TYPES:
                shallow[k] = v
            elif kind is dict and all(type(x) is str for x in v):
                if not all(type(x) in _FLAT_TYPES for x in v.values()):
                    return None
                inner.append(self._flat_text(v, level + 1) if v else "{}")
                shallow[k] = _PLACEHOLDER
            elif kind is list:
                if not all(type(x) in _FLAT_TYPES for x in v):
                    return None
                inner.append(self._flat_text(v, level + 1) if v else "[]")
                shallow[k] = _PLACEHOLDER
            else:
                return None
        parts = self._flat_text(shallow, level).split(_PLACEHOLDER_TEXT)
        if len(parts) != len(inner) + 1:
            return None
        pieces = [parts[0]]
        for text, part in zip(inner, parts[1:], strict=True):
            pieces += (text, part)
        return "".join(pieces)

    def array(self, o: list[Any] | tuple[Any, ...], level: int) -> None:
        if not o:
            self.out.append("[]")
            return
        if all(type(v) in _FLAT_TYPES for v in o):
            self.out.append(self._flat_text(list(o), level))
            return
        pad = "\n" + " " * (self.indent * (level + 1))
        self.out.append("[")
        sep = pad
        for v in o:
            self.out.append(sep)
            sep = "," + pad
            self.value(v, level + 1)
        self.out.append("\n" + " " * (self.indent * level) + "]")

    def object(self, o: dict[Any, Any], level: int) -> None:
        if not o:
            self.out.append("{}")
            return
        if all(type(k) is str for k in o):
            if all(type(v) in _FLAT_TYPES for v in o.values()):
                self.out.append(self._flat_text(o, level))
                return
            text = self._two_level(o, level)
            if text is not None:
                self.out.append(text)
                return
        pad = "\n" + " " * (self.indent * (level + 1))
        keys = self.keys
        self.out.append("{")
        sep = pad
        for k, v in o.items():
            key = keys.get(k) if type(k) is str else None
            if key is None:
                key = _key(k)
                if type(k) is str:
                    keys[k] = key
            self.out.append(f"{sep}{key}: ")
            sep = "," + pad
            self.value(v, level + 1)
        self.out.append("\n" + " " * (self.indent * level) + "}")


__all__ = ["dumps_indented"]
