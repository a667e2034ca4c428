"""The posting lifecycle: terms, events after approval, and replacement with proven fewest moves.

:mod:`~matcher.lifecycle.terms` (postings, outcomes, the next round from a plan),
:mod:`~matcher.lifecycle.events` (recall, promotion, unsuitable, new cadres, community changes),
:mod:`~matcher.lifecycle.network` and :mod:`~matcher.lifecycle.augment` (the incremental
method), :mod:`~matcher.lifecycle.levels` (the exact MIP fallback),
:mod:`~matcher.lifecycle.replace` (the decision), :mod:`~matcher.lifecycle.report` (who moves
and why) and :mod:`~matcher.lifecycle.adjustment` (a situation in, a replacement out).
"""
