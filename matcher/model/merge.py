"""Merging partial round sections: one rule for every place that layers settings.

A rules sheet over a ``round.json``, a what-if scenario over its base round: values of the top
layer win, nested sections merge key by key, lists are replaced whole (a list of quotas is one
decision, not items to splice).
"""

from __future__ import annotations

from typing import Any


def merge_sections(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """Return ``base`` overlaid with ``top`` (neither argument is modified)."""
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_sections(out[key], value)
        else:
            out[key] = value
    return out
