"""Column headers of the round tables, in English and Chinese, and the cell values they take.

Each column has a canonical English key (written with ``headers="en"``), a Chinese title
(written with ``headers="zh"``) and further accepted spellings. Headers are matched ignoring
case, surrounding spaces, ``_``/``-``/space differences and a trailing English gloss in
brackets (``社区编号 (id)``), after NFKC, a leading ``*`` (required-field marks) and line breaks
inside Chinese words, so a planner's own spreadsheet usually reads as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a round table.

    ``path`` is where the cell goes in the raw round item (dotted); ``kind`` says how the cell
    text is parsed: ``text``, ``number``, ``bool``, ``list``, ``skills`` (a list, written in
    Chinese), ``enum:<name>``, ``polygon``, ``disqualifications``, ``clearances``.
    """

    key: str
    zh: str
    path: str
    kind: str = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()


COMMUNITY_COLUMNS: tuple[Column, ...] = (
    Column("id", "社区编号", "id", required=True, aliases=("编号", "社区代码", "社区编码")),
    Column("name", "名称", "name", required=True, aliases=("社区名称", "社区")),
    Column(
        "district_code",
        "区县代码",
        "district.code",
        required=True,
        aliases=("区划代码", "行政区划代码", "所属区县代码"),
    ),
    Column(
        "district_name",
        "区县",
        "district.name",
        required=True,
        aliases=("区县名称", "所属区县", "县区", "县(市、区)"),
    ),
    Column("street", "街道", "street", aliases=("街道办事处", "所属街道", "街道(乡镇)")),
    Column("lon", "经度", "location.lon", "number", aliases=("longitude",)),
    Column("lat", "纬度", "location.lat", "number", aliases=("latitude",)),
    Column("crs", "坐标系", "location.crs", "enum:crs"),
    Column("polygon", "边界", "polygon.rings", "polygon"),
    Column("polygon_crs", "边界坐标系", "polygon.crs", "enum:crs"),
    Column("weak", "软弱涣散", "weak", "bool", aliases=("是否软弱涣散", "软弱涣散社区")),
    Column("stars", "星级", "stars", "number"),
    Column("tags", "标签", "tags", "list"),
    Column("full_time_posts", "脱产岗位数", "posts.full_time", "number"),
    Column("part_time_posts", "非脱产岗位数", "posts.part_time", "number"),
    Column("full_time_skills", "脱产岗位技能", "required_skills.full_time", "skills"),
    Column("part_time_skills", "非脱产岗位技能", "required_skills.part_time", "skills"),
    Column("paired_units", "结对单位", "paired_units", "list", aliases=("包保单位",)),
)
# Headers a clerk adds that carry no data of their own (row numbers): neither read nor kept.
IGNORED_HEADERS = frozenset({"序号", "序", "no", "no.", "#", "行号"})

CADRE_COLUMNS: tuple[Column, ...] = (
    Column("id", "干部编号", "id", required=True, aliases=("编号", "人员编号")),
    Column("name", "姓名", "name", required=True),
    Column("unit", "派出单位", "unit", required=True, aliases=("单位", "工作单位", "选派单位")),
    Column("level", "层级", "level", "enum:level", required=True, aliases=("单位层级",)),
    Column(
        "home_district",
        "所在区县代码",
        "home_district",
        required=True,
        aliases=("区县代码", "区划代码"),
    ),
    Column("rank", "职级", "rank", required=True, aliases=("职务职级", "职务/职级", "现职级")),
    Column("birth_year", "出生年份", "birth_year", "birth", aliases=("出生年月", "出生日期")),
    Column("skills", "技能", "skills", "skills", aliases=("专长", "经历", "特长")),
    Column("availability", "可任岗位", "availability", "enum:availability", aliases=("岗位类型",)),
    Column("lon", "经度", "location.lon", "number", required=True, aliases=("longitude",)),
    Column("lat", "纬度", "location.lat", "number", required=True, aliases=("latitude",)),
    Column("crs", "坐标系", "location.crs", "enum:crs"),
    Column("preferences", "志愿社区", "preferences", "list"),
    Column("disqualifications", "不得当选情形", "disqualifications", "disqualifications"),
    Column("current_community", "现任社区", "current_post.community"),
    Column("current_post_type", "现任岗位", "current_post.post_type", "enum:post_type"),
    Column("gender", "性别", "gender"),
    Column("political_status", "政治面貌", "political_status"),
    Column("party_member", "中共党员", "party_member", "bool", aliases=("党员",)),
    Column("education", "学历", "education"),
    Column("major", "专业", "major"),
    Column("post_held", "职务", "post_held", aliases=("现任职务",)),
    Column("leading_group", "班子成员", "leading_group", "bool"),
    Column("secretary_type", "书记类型", "secretary_type", "enum:secretary_type"),
    Column("reserve", "后备干部", "reserve", "bool"),
    Column("tags", "标签", "tags", "list"),
    Column("clearances", "资格联审", "clearances", "clearances", aliases=("联审意见",)),
)

RULE_COLUMNS: tuple[Column, ...] = (
    Column("rule", "规则", "rule", required=True, aliases=("section",)),
    Column("item", "序号", "item", "number"),
    Column("parameter", "参数", "parameter", required=True),
    Column("value", "值", "value"),
    Column("note", "说明", "note"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "communities": COMMUNITY_COLUMNS,
    "cadres": CADRE_COLUMNS,
    "rules": RULE_COLUMNS,
}
SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "communities": ("communities", "社区"),
    "cadres": ("cadres", "干部"),
    "rules": ("rules", "规则"),
}
# Words in a sheet or CSV file name that say which table it is (社区名单, 选派干部名单 …),
# used when its headers do not decide.
SHEET_WORDS: dict[str, tuple[str, ...]] = {
    "communities": ("社区", "小区", "communit"),
    "cadres": ("干部", "花名册", "人员", "cadre"),
    "rules": ("规则", "参数", "设置", "rule"),
}

# Cell values accepted for enumerations, mapped to the canonical model value.
ENUMS: dict[str, dict[str, str]] = {
    "level": {
        "市直": "city",
        "市级": "city",
        "市属": "city",
        "市直属": "city",
        "县区": "county",
        "县": "county",
        "区": "county",
        "县级": "county",
        "区县": "county",
        "区直": "county",
        "县直": "county",
        "区属": "county",
        "县属": "county",
        "县直属": "county",
        "区直属": "county",
        "街道": "street",
        "乡镇": "street",
        "街道办": "street",
    },
    "availability": {
        "脱产": "full-time",
        "非脱产": "part-time",
        "均可": "either",
        "都可": "either",
        "全职": "full-time",
        "专职": "full-time",
        "兼职": "part-time",
        "脱产或非脱产": "either",
        "不限": "either",
    },
    "post_type": {
        "脱产": "full-time",
        "非脱产": "part-time",
        "全职": "full-time",
        "专职": "full-time",
        "兼职": "part-time",
        "第一书记": "full-time",
        "兼职委员": "part-time",
    },
    "secretary_type": {
        "示范型": "model",
        "示范": "model",
        "骨干型": "backbone",
        "骨干": "backbone",
        "潜力型": "potential",
        "潜力": "potential",
        "守摊型": "caretaker",
        "守摊": "caretaker",
    },
    "crs": {
        "wgs-84": "wgs84",
        "gps": "wgs84",
        "gcj-02": "gcj02",
        "高德": "gcj02",
        "腾讯": "gcj02",
        "火星坐标": "gcj02",
        "bd-09": "bd09",
        "百度": "bd09",
        "cgcs-2000": "cgcs2000",
        "国家2000": "cgcs2000",
    },
}
# Chinese cell values the writer uses for each enumeration (the reverse of ENUMS).
ENUM_ZH: dict[str, dict[str, str]] = {
    "level": {"city": "市直", "county": "县区", "street": "街道"},
    "availability": {"full-time": "脱产", "part-time": "非脱产", "either": "均可"},
    "post_type": {"full-time": "脱产", "part-time": "非脱产"},
    "crs": {},
    "secretary_type": {
        "model": "示范型",
        "backbone": "骨干型",
        "potential": "潜力型",
        "caretaker": "守摊型",
    },
}
TRUE_WORDS = frozenset({"是", "true", "1", "yes", "y", "t", "√", "✓", "✔", "对", "有"})
FALSE_WORDS = frozenset({"否", "false", "0", "no", "n", "f", "×", "✗", "✘", "无", "不是"})

_GLOSS = re.compile(r"\s*[(（][^)）]*[)）]\s*$")


def normalise_header(text: str) -> str:
    """Canonical form of a header cell for matching (see module docstring)."""
    head = unicodedata.normalize("NFKC", text.replace("\ufeff", "")).strip().strip("*").strip()
    head = re.sub(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])", "", head)
    if _GLOSS.search(head) and _GLOSS.sub("", head):
        head = _GLOSS.sub("", head)
    return re.sub(r"[\s_\-]+", "_", head.lower())


def header_lookup(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Every accepted spelling (normalised) → its column."""
    out: dict[str, Column] = {}
    for col in columns:
        for name in (col.key, col.zh, *col.aliases):
            out.setdefault(normalise_header(name), col)
    return out


def header_text(col: Column, headers: str) -> str:
    """The header a writer puts on ``col``: ``zh``, ``en`` or ``both`` (``社区编号 (id)``)."""
    if headers == "en":
        return col.key
    if headers == "both":
        return f"{col.zh} ({col.key})"
    return col.zh
