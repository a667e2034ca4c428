"""本人意愿: the words a clerk writes for the post types a cadre accepts.

兼职 / 非脱产 / 只愿兼职 → ``part-time`` (never sent 脱产); 脱产 / 全职 / 专职 → ``full-time``;
服从安排 / 均可 / 都可以 / 不限 → ``either``. Spaces, full-width letters and a trailing
punctuation mark are ignored; any other word is an error listing the accepted ones, since a
wish the tool cannot read must not be silently taken as "either".
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

AVAILABILITY_WORDS: dict[str, str] = {
    "full-time": "full-time",
    "part-time": "part-time",
    "either": "either",
    "脱产": "full-time",
    "全职": "full-time",
    "专职": "full-time",
    "只愿脱产": "full-time",
    "愿意脱产": "full-time",
    "仅脱产": "full-time",
    "第一书记": "full-time",
    "兼职": "part-time",
    "非脱产": "part-time",
    "不脱产": "part-time",
    "只愿兼职": "part-time",
    "仅兼职": "part-time",
    "愿意兼职": "part-time",
    "兼职委员": "part-time",
    "服从安排": "either",
    "服从组织安排": "either",
    "服从分配": "either",
    "均可": "either",
    "都可": "either",
    "都可以": "either",
    "均可以": "either",
    "不限": "either",
    "脱产或非脱产": "either",
    "脱产或兼职": "either",
    "脱产/兼职": "either",
    "脱产/非脱产": "either",
}
ACCEPTED = (
    "兼职、非脱产、只愿兼职（只任兼职）；脱产、全职（只任脱产）；服从安排、均可、都可以（均可）"
)
ACCEPTED_EN = (
    "part-time (兼职, 非脱产, 只愿兼职), full-time (脱产, 全职) or either (服从安排, 均可, 都可以)"
)


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).strip("。.;；,，").lower()


def availability_value(value: object) -> object:
    """The availability a 本人意愿 cell means; other values pass for the model to refuse."""
    if not isinstance(value, str):
        return value
    return _availability_text(value)


@lru_cache(maxsize=1024)  # a roster repeats a handful of words 40,000 times
def _availability_text(value: str) -> str:
    text = _plain(value)
    if not text:
        return "either"
    return AVAILABILITY_WORDS.get(text, value)


__all__ = ["ACCEPTED", "ACCEPTED_EN", "AVAILABILITY_WORDS", "availability_value"]
