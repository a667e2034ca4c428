"""The ordered rank ladder (职级), the spellings accepted for each rung, and the titles
cadres actually carry, mapped to the ladder.

Ranks are compared as integers inside the engine: 0 is the bottom of the ladder. Input may use
the Chinese rung, the English alias, the division-level synonym (处 = 县), or a title as written
on a roster since the 2019 regulation (:data:`TITLES`, documented in ``docs/round.md``).

Where titles come from, and the rung each maps to:

- 《公务员职务与职级并行规定》(2019) sets the correspondence of 职级 to leadership levels:
  一级、二级主任科员 ↔ 乡科级正职 (正科); 三级、四级主任科员 ↔ 乡科级副职 (副科);
  一级、二级调研员 ↔ 县处级正职 (正县); 三级、四级调研员 ↔ 县处级副职 (副县);
  一级、二级科员 ↔ 科员级; 一级巡视员 ↔ 厅局级正职, 二级巡视员 ↔ 厅局级副职.
- The older 非领导职务 (before 2019): 主任科员 ↔ 正科, 副主任科员 ↔ 副科, 调研员 ↔ 正县,
  副调研员 ↔ 副县, 巡视员/副巡视员 ↔ 厅局级, 办事员 ↔ below 科员.
- Leadership posts are their level: 科长/乡长/镇长 ↔ 正科, 副科长 ↔ 副科, 处长/县长/区长 ↔ 正县,
  副处长 ↔ 副县. A 局长 heads a 县处级 bureau in a city (正县) but a 乡科级 bureau in a county
  (正科), so 局长/副局长 follow the cadre's level.
- 《事业单位岗位设置管理试行办法》(2006): management grades 一至十级职员 follow 部正 … 办事员,
  so 五级 ↔ 处级正职 (正县), 六级 ↔ 处级副职 (副县), 七级 ↔ 正科, 八级 ↔ 副科, 九级 ↔ 科员,
  十级 ↔ 办事员.

- The same 办法 sets 专业技术岗位 一至十三级 (正高 一至四级, 副高 五至七级, 中级 八至十级,
  初级 十一至十三级). A professional grade is no 职级, but rosters of public institutions carry
  it in the rank column (专技十级, 专业技术十级); it is read with the correspondence used for
  treatment (待遇) when a technical cadre is compared with administrative ones: 正高 ↔ 正处
  (正县), 副高 ↔ 副处 (副县), 八级 ↔ 正科, 九级、十级 ↔ 副科, 初级 ↔ 科员. Management grades
  written with the institution's word (事业九级, 事业管理九级, 九级职员) read as 管理九级.

The ladder ends at 正县 and starts at 科员: 厅局级 titles (巡视员, 管理三级/四级) map to 正县 and
办事员 to 科员. A round may map any title differently (``Round.rank_titles``).
"""

from __future__ import annotations

import re
import unicodedata
from enum import IntEnum
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema


class Rank(IntEnum):
    """A cadre's rank; a larger value is a higher rank."""

    SECTION_MEMBER = 0  # 科员
    DEPUTY_SECTION = 1  # 副科
    SECTION = 2  # 正科
    DEPUTY_COUNTY = 3  # 副县 / 副处
    COUNTY = 4  # 正县 / 正处

    @property
    def label(self) -> str:
        """The canonical Chinese rung (科员 … 正县); a cadre's title as written is kept apart."""
        return CANONICAL[self]

    @property
    def english(self) -> str:
        """The canonical English alias."""
        return ENGLISH[self]


CANONICAL: dict[Rank, str] = {
    Rank.SECTION_MEMBER: "科员",
    Rank.DEPUTY_SECTION: "副科",
    Rank.SECTION: "正科",
    Rank.DEPUTY_COUNTY: "副县",
    Rank.COUNTY: "正县",
}

ENGLISH: dict[Rank, str] = {
    Rank.SECTION_MEMBER: "section-member",
    Rank.DEPUTY_SECTION: "deputy-section",
    Rank.SECTION: "section",
    Rank.DEPUTY_COUNTY: "deputy-county",
    Rank.COUNTY: "county",
}

_ALIASES: dict[str, Rank] = {
    **{label: rank for rank, label in CANONICAL.items()},
    **{alias: rank for rank, alias in ENGLISH.items()},
    "科员级": Rank.SECTION_MEMBER,
    "副科级": Rank.DEPUTY_SECTION,
    "正科级": Rank.SECTION,
    "副县级": Rank.DEPUTY_COUNTY,
    "副处": Rank.DEPUTY_COUNTY,
    "副处级": Rank.DEPUTY_COUNTY,
    "正县级": Rank.COUNTY,
    "正处": Rank.COUNTY,
    "正处级": Rank.COUNTY,
    "section member": Rank.SECTION_MEMBER,
    "deputy section": Rank.DEPUTY_SECTION,
    "deputy county": Rank.DEPUTY_COUNTY,
    "deputy-division": Rank.DEPUTY_COUNTY,
    "division": Rank.COUNTY,
}

ACCEPTED = tuple(CANONICAL.values()) + tuple(ENGLISH.values())


_S, _D, _C, _DC, _K = (
    Rank.SECTION_MEMBER,
    Rank.DEPUTY_SECTION,
    Rank.SECTION,
    Rank.DEPUTY_COUNTY,
    Rank.COUNTY,
)
TITLES: dict[str, Rank] = {
    # 2019 职级 (公务员职务与职级并行规定)
    "一级巡视员": _K,
    "二级巡视员": _K,
    "一级调研员": _K,
    "二级调研员": _K,
    "三级调研员": _DC,
    "四级调研员": _DC,
    "一级主任科员": _C,
    "二级主任科员": _C,
    "三级主任科员": _D,
    "四级主任科员": _D,
    "一级科员": _S,
    "二级科员": _S,
    # older 非领导职务
    "巡视员": _K,
    "副巡视员": _K,
    "调研员": _K,
    "副调研员": _DC,
    "主任科员": _C,
    "副主任科员": _D,
    "办事员": _S,
    # leadership posts
    "厅长": _K,
    "副厅长": _K,
    "县长": _K,
    "区长": _K,
    "处长": _K,
    "副县长": _DC,
    "副区长": _DC,
    "副处长": _DC,
    "科长": _C,
    "乡长": _C,
    "镇长": _C,
    "乡镇长": _C,
    "街道办事处主任": _C,
    "副科长": _D,
    "副乡长": _D,
    "副镇长": _D,
    "副乡镇长": _D,
    "街道办事处副主任": _D,
    # public institutions: 管理岗位 三级 … 十级 (事业单位岗位设置管理试行办法)
    "管理三级": _K,
    "管理四级": _K,
    "管理五级": _K,
    "管理六级": _DC,
    "管理七级": _C,
    "管理八级": _D,
    "管理九级": _S,
    "管理十级": _S,
    # public institutions: 专业技术岗位 一级 … 十三级 (see module doc for the correspondence)
    **{f"专技{g}级": _K for g in ("一", "二", "三", "四")},
    **{f"专技{g}级": _DC for g in ("五", "六", "七")},
    "专技八级": _C,
    "专技九级": _D,
    "专技十级": _D,
    **{f"专技{g}级": _S for g in ("十一", "十二", "十三")},
}
# Titles whose rung depends on the unit's level: a city bureau is 县处级, a county one 乡科级.
BY_LEVEL: dict[str, dict[str, Rank]] = {
    "局长": {"city": _K, "county": _C, "street": _C},
    "副局长": {"city": _DC, "county": _D, "street": _D},
}
_GRADE = re.compile(
    r"^(?:事业单位|事业)?(?:管理岗位?|管理|事业)([三四五六七八九十])级(?:职员|岗位?)?$"
    r"|^([三四五六七八九十])级职员$"
)
_TECH = re.compile(r"^(?:专业技术|专技)(?:岗位?)?([一二三四五六七八九十]|十[一二三])级(?:岗位?)?$")
_GLOSS = re.compile(r"[(（][^)）]*[)）]$")


def title_key(text: str) -> str:
    """A title in the table's spelling: NFKC, no spaces or trailing gloss, Chinese grade digits
    (4级调研员 → 四级调研员, 管理岗8级 / 八级职员 → 管理八级)."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    key = _GLOSS.sub("", key) or key
    key = re.sub(r"1([1-3])(?=级)", lambda m: "十" + "一二三"[int(m.group(1)) - 1], key)
    key = re.sub(r"10(?=级)", "十", key)
    key = re.sub(r"[1-9](?=级)", lambda m: "一二三四五六七八九"[int(m.group()) - 1], key)
    m = _GRADE.match(key)
    if m:
        return f"管理{m.group(1) or m.group(2)}级"
    t = _TECH.match(key)
    return f"专技{t.group(1)}级" if t else key


def title_rank(text: str, level: str | None = None) -> Rank | None:
    """The rung of a title as written (四级调研员, 副科长, 管理八级), or None if unknown."""
    key = title_key(text)
    if key in TITLES:
        return TITLES[key]
    by_level = BY_LEVEL.get(key)
    if by_level is not None:
        return by_level.get(level or "city", by_level["city"])
    return None


def rung(text: str) -> Rank | None:
    """The rung a ladder spelling names (科员 … 正县, English, 副处级 …), or None."""
    key = text.strip()
    rank = _ALIASES.get(key)
    return rank if rank is not None else _ALIASES.get(key.lower())


def parse_rank(text: str) -> Rank:
    """Return the rank a spelling or a title names; raise ValueError listing what is accepted.

    Titles (四级调研员, 副科长, 管理八级) are read with the built-in table of
    :data:`TITLES`; a round's own table is applied by the validator first.
    """
    rank = rung(text)
    if rank is None:
        rank = title_rank(text)
    if rank is None:
        raise ValueError(f"rank {text!r} unknown; expected one of {', '.join(ACCEPTED)}")
    return rank


def _coerce_rank(value: object) -> Rank:
    if isinstance(value, Rank):
        return value
    if isinstance(value, str):
        return parse_rank(value)
    raise ValueError(f"rank {value!r} unknown; expected one of {', '.join(ACCEPTED)}")


RankField = Annotated[
    Rank,
    BeforeValidator(_coerce_rank),
    PlainSerializer(lambda r: CANONICAL[r], return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "enum": list(ACCEPTED),
            "description": "Rank on the ladder 科员 < 副科 < 正科 < 副县 < 正县 (or English alias)",
        }
    ),
]
"""A rank as it appears in a round: parsed from any accepted spelling, written in Chinese."""
