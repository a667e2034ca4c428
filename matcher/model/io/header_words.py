"""The words clerks put in headers, per field a column may feed: the header half of mapping.

A :class:`Field` is one thing a column can mean: a round field (a :class:`headers.Column`
by ``column``), an intent of the clerk (本人意愿, post counts, 所需专长, 政治面貌), a private
column (身份证号, 联系电话, 家庭住址) or a layout column (序号). Its ``words`` are whole or
partial headers; :func:`header_score` says how well a header matches them: a header equal to a
word is certain, a header that contains a word (所属区县代码 ⊃ 区县代码) is likely in
proportion to how much of it the word covers, a header that is part of a word (单位 ⊂ 派出单位)
is a weak hint. ``content`` names the sniffers (:mod:`matcher.model.io.sniff`) whose cells
support the field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from matcher.model.io.headers import CADRE_COLUMNS, COMMUNITY_COLUMNS, ENUMS, Column


@dataclass(frozen=True)
class Field:
    """One meaning a column can have (see module docstring).

    ``role``: ``field`` (a round field), ``intent`` (what the clerk asks for), ``private``
    (never printed), ``ignored`` (layout only). ``column``: the round column it feeds, if any.
    ``zh``: how the mapping names it to the planner. ``many``: several columns may have it.
    """

    key: str
    zh: str
    role: str
    words: tuple[str, ...]
    content: tuple[str, ...] = ()
    column: str | None = None
    many: bool = False


def norm(text: str) -> str:
    """A header as words are compared: NFKC, no spaces or ``*``, lower case, ASCII brackets."""
    t = unicodedata.normalize("NFKC", text.replace("\ufeff", ""))
    return re.sub(r"[\s*_\-]+", "", t).lower()


_INTENTS = {
    "availability",
    "full_time_posts",
    "part_time_posts",
    "full_time_skills",
    "part_time_skills",
    "needed_skills",
    "political_status",
    "party_member",
    "preferences",
}
# Words beyond each column's own spellings (headers.py); a field's zh and aliases are words too.
_MORE: dict[str, dict[str, tuple[str, ...]]] = {
    "cadres": {
        "id": ("干部编号", "人员编号", "工号", "人员代码", "干部代码", "人员id"),
        "name": ("姓名", "名字", "干部姓名", "人员姓名", "选派干部", "干部名称"),
        "unit": ("工作单位", "所在单位", "单位名称", "原单位", "派出单位名称", "推荐单位"),
        "level": ("单位层级", "单位级别", "层级", "单位类别", "单位类型"),
        "home_district": (
            "所在区县代码",
            "区县代码",
            "区划代码",
            "行政区划代码",
            "家庭住址区划",
            "住址区划",
            "居住地区划",
            "户籍区划",
            "所在区县",
            "居住区县代码",
        ),
        "rank": ("职级", "现职级", "职务职级", "级别", "现任职级", "职级职务", "职级(职称)"),
        "post_held": ("职务", "现任职务", "现职务", "岗位职务"),
        "birth_year": ("出生年月", "出生日期", "出生年份", "出生年", "生日", "出生时间"),
        "skills": ("专长", "特长", "技能", "擅长", "擅长领域", "专业特长", "工作经历", "经历"),
        "availability": (
            "本人意愿",
            "下沉意向",
            "意向岗位",
            "可任岗位",
            "岗位意向",
            "任职意向",
            "个人意愿",
            "意愿",
            "选派意向",
        ),
        "lon": ("经度", "东经", "longitude", "lng", "lon", "x坐标"),
        "lat": ("纬度", "北纬", "latitude", "lat", "y坐标"),
        "preferences": ("志愿社区", "意向社区", "希望下沉社区", "志愿"),
        "gender": ("性别",),
        "political_status": ("政治面貌", "党派"),
        "party_member": ("中共党员", "是否党员", "是否中共党员"),
        "education": ("学历", "文化程度", "最高学历", "学历学位"),
        "major": ("专业", "所学专业"),
    },
    "communities": {
        "id": ("社区编号", "社区代码", "社区编码", "编号", "社区id"),
        "name": ("社区名称", "社区", "名称", "社区(居委会)", "居委会", "社区名"),
        "district_code": ("区县代码", "所属区县代码", "区划代码", "行政区划代码", "区县编码"),
        "district_name": ("区县", "所属区县", "区县名称", "县区", "县(市、区)", "所在区县"),
        "street": ("街道", "所属街道", "街道办事处", "街道(乡镇)", "乡镇街道", "所在街道"),
        "lon": ("经度", "东经", "longitude", "lng", "lon", "x坐标"),
        "lat": ("纬度", "北纬", "latitude", "lat", "y坐标"),
        "weak": ("软弱涣散", "是否软弱涣散", "软弱涣散社区", "是否软弱"),
        "full_time_posts": (
            "脱产岗位数",
            "第一书记(脱产)",
            "第一书记",
            "第一书记人数",
            "脱产",
            "需派第一书记",
            "脱产干部数",
            "脱产人数",
        ),
        "part_time_posts": (
            "非脱产岗位数",
            "兼职委员(非脱产)",
            "兼职委员",
            "非脱产",
            "兼职",
            "兼职干部数",
            "非脱产人数",
            "非脱产干部数",
        ),
        "paired_units": ("结对单位", "包保单位", "联系单位"),
    },
}
_SPECIAL: dict[str, tuple[Field, ...]] = {
    "cadres": (
        Field(
            "unit_post",
            "单位及职务（拆为单位、职级）",
            "field",
            (
                "单位及职务",
                "工作单位及职务",
                "单位职务",
                "单位和职务",
                "单位及职级",
                "工作单位及职级",
            ),
            ("unit_post",),
        ),
        Field(
            "location",
            "坐标（经度,纬度 同一格）",
            "field",
            ("坐标", "经纬度", "位置坐标", "坐标(经,纬)", "家庭坐标", "居住地坐标", "住址坐标"),
            ("lonlat", "latlon"),
        ),
    ),
    "communities": (
        Field(
            "needed_skills",
            "所需专长",
            "intent",
            ("所需专长", "需求专长", "所需技能", "需要专长", "急需专长", "专长需求"),
            (),
            "full_time_skills",
        ),
        Field(
            "location",
            "坐标（经度,纬度 同一格）",
            "field",
            ("坐标", "经纬度", "位置坐标", "坐标(经,纬)", "社区坐标", "中心点坐标"),
            ("lonlat", "latlon"),
        ),
    ),
}
_PRIVATE = (
    Field(
        "id_number",
        "公民身份号码（私密）",
        "private",
        ("身份证号", "公民身份号码", "身份证号码", "身份证", "证件号码", "身份号码"),
        ("id_number",),
    ),
    Field(
        "phone",
        "联系电话（私密）",
        "private",
        ("联系电话", "手机", "电话", "手机号码", "联系方式", "手机号", "移动电话", "办公电话"),
        ("phone",),
        many=True,
    ),
    Field(
        "address",
        "家庭住址（私密）",
        "private",
        ("家庭住址", "住址", "居住地址", "现住址", "家庭地址", "现居住地"),
        (),
        many=True,
    ),
)
# Headers clerks add that are plainly their own: kept, never taken for a round field by content.
_OWN = Field(
    "own",
    "其他（保留）",
    "kept",
    (
        "邮编",
        "邮政编码",
        "备注",
        "民族",
        "籍贯",
        "说明",
        "附注",
        "照片",
        "任职时间",
        "参加工作时间",
    ),
    many=True,
)
_SEQUENCE = Field("sequence", "序号（不读取）", "ignored", ("序号", "序", "no", "no.", "#", "行号"))
# Sniffers that support each round column (by Column.key); columns not listed have none.
_CONTENT: dict[str, tuple[str, ...]] = {
    "name": ("person_name", "community"),
    "unit": ("unit",),
    "level": ("level",),
    "home_district": ("district_code",),
    "district_code": ("district_code",),
    "district_name": ("district_name",),
    "street": ("street",),
    "rank": ("rank",),
    "birth_year": ("birth",),
    "availability": ("availability",),
    "lon": ("lon",),
    "lat": ("lat",),
    "gender": ("gender",),
    "political_status": ("party",),
    "party_member": ("yes_no",),
    "weak": ("yes_no",),
    "full_time_posts": ("count",),
    "part_time_posts": ("count",),
    "reserve": ("yes_no",),
    "leading_group": ("yes_no",),
}
_NAME_CONTENT = {"cadres": ("person_name",), "communities": ("community",)}


def _fields(kind: str, columns: tuple[Column, ...]) -> tuple[Field, ...]:
    more = _MORE.get(kind, {})
    out: list[Field] = []
    for col in columns:
        words = tuple(dict.fromkeys((col.zh, col.key, *col.aliases, *more.get(col.key, ()))))
        role = "intent" if col.key in _INTENTS else "field"
        content = _NAME_CONTENT[kind] if col.key == "name" else _CONTENT.get(col.key, ())
        out.append(Field(col.key, col.zh, role, words, content, col.key))
    return (*out, *_SPECIAL.get(kind, ()), *_PRIVATE, _OWN, _SEQUENCE)


FIELDS: dict[str, tuple[Field, ...]] = {
    "cadres": _fields("cadres", CADRE_COLUMNS),
    "communities": _fields("communities", COMMUNITY_COLUMNS),
}
_WORDS: dict[str, list[tuple[str, Field]]] = {
    kind: [(norm(w), f) for f in fields for w in f.words if norm(w)]
    for kind, fields in FIELDS.items()
}


def field_of(kind: str, key: str) -> Field | None:
    """The field ``key`` of a table kind."""
    return next((f for f in FIELDS.get(kind, ()) if f.key == key), None)


def header_score(kind: str, header: str) -> dict[str, float]:
    """How well ``header`` names each field of ``kind`` (0–1; see module docstring).

    A parent/child header (基本情况/姓名) is scored by its child, and by the whole when that
    says more (下沉意向/岗位 → 意向).
    """
    parts = [p for p in norm(header).split("/") if p]
    if not parts:
        return {}
    tries = [parts[-1], "".join(parts)] if len(parts) > 1 else parts
    out: dict[str, float] = {}
    for n, text in enumerate(tries):
        bare = re.sub(r"\([^)]*\)$", "", text) or text
        for word, f in _WORDS[kind]:
            if text == word or bare == word:
                score = 1.0
            elif word in text and len(word) >= 2:
                score = 0.5 + 0.45 * len(word) / len(text)
            elif text in word and len(text) >= 2:
                score = 0.35 * len(text) / len(word)
            else:
                continue
            score *= 0.9 if n else 1.0  # the child alone speaks first
            out[f.key] = max(out.get(f.key, 0.0), score)
    return out


# Words in brackets that say the coordinate system (经度（高德）) or a unit (距离（公里）).
_CRS_WORDS = {
    **ENUMS["crs"],
    "wgs84": "wgs84",
    "gcj02": "gcj02",
    "bd09": "bd09",
    "cgcs2000": "cgcs2000",
    "高德地图": "gcj02",
    "腾讯地图": "gcj02",
    "百度地图": "bd09",
    "gps坐标": "wgs84",
    "国测局": "gcj02",
}
_UNITS = {"公里": "km", "千米": "km", "km": "km", "米": "m", "m": "m", "分钟": "min"}
_GLOSS = re.compile(r"\(([^)]*)\)")


def header_unit(header: str) -> str | None:
    """The coordinate system or unit a header's brackets (or words) name: 经度（高德）→ gcj02,
    距离(公里) → km; None when it names none."""
    text = norm(header)
    for gloss in _GLOSS.findall(text):
        g = gloss.strip()
        if g in _CRS_WORDS:
            return _CRS_WORDS[g]
        if g in _UNITS:
            return _UNITS[g]
    for word, crs in _CRS_WORDS.items():
        if len(word) >= 2 and not word.isascii() and word in text:
            return crs
    return None
