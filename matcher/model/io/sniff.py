"""What a column holds, judged from its cells: the content half of column mapping.

Each sniffer looks at one cell's text and says whether it is that kind of value; :func:`profile`
gives, for a column's non-empty cells (a sample of :data:`SAMPLE` of them), the share of cells
of each kind. The kinds are chosen because a clerk's header may say anything while the cells
cannot lie: an 18-character 公民身份号码 whose GB 11643 check character is right, an 11-digit
mobile number starting with 1, a "lon,lat" pair inside China (or the same pair swapped), a
longitude or latitude alone, a birth date, a rank title, a unit with its post
(市财政局二级主任科员), yes/no, a 6-digit district code, a Chinese personal name, small counts,
and the words of availability, level and party membership.

Nothing here decides a role; :mod:`matcher.model.io.mapping` weighs these shares with the
header's words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from matcher.model.io.cells import CellError, parse_birth
from matcher.model.io.headers import ENUMS, FALSE_WORDS, TRUE_WORDS
from matcher.model.ranks import rung, title_key, title_rank

SAMPLE = 200  # cells looked at per column: enough to be sure, cheap on a 100,000-row roster
# China's extent with a margin: longitude 73–136 °E, latitude 3–54 °N (the ranges never overlap,
# so a swapped pair is told by range alone).
LON = (73.0, 136.0)
LAT = (3.0, 54.0)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID = re.compile(r"^[1-9]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx]$")
_PHONE = re.compile(r"^(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}$|^0\d{2,3}-?\d{7,8}$")
_PAIR = re.compile(r"^\s*\(?\s*([+-]?\d+(?:\.\d+)?)\s*[,，;；/ ]\s*([+-]?\d+(?:\.\d+)?)\s*\)?\s*$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_CODE = re.compile(r"^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|81|82)\d{4}$")
_HAN = re.compile(r"^[\u3400-\u9fff·]{2,5}$")
# The commonest surnames (about 85% of the population): a name starts with one of them.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_NOT_NAME_END = re.compile(
    r"(社区|小区|街道|居委会|局|委|办|厅|院|部|中心|公司|县|区|市|镇|乡|村)$"
)
PARTY_STATUS = ("中共党员", "中共预备党员", "预备党员", "党员", "群众", "共青团员", "团员")
_MINOR_PARTY = re.compile(r"^(民革|民盟|民建|民进|农工党|致公党|九三学社|台盟|无党派)")
_UNIT_END = re.compile(r"(局|委|办|厅|院|部|中心|公司|政府|法院|检察院|学校|医院|所|站|队|社|会)$")
_COMMUNITY_END = re.compile(r"(社区|小区|居委会|社区居委会|村)$")
_STREET_END = re.compile(r"(街道|街道办事处|镇|乡)$")
_DISTRICT_END = re.compile(r"..(区|县|市|旗)$")
_AVAILABILITY = {**ENUMS["availability"], "服从安排": "either", "服从组织安排": "either"}


def id_number_valid(text: str) -> bool:
    """A 公民身份号码 with a plausible birth date and the right GB 11643 check character
    (ISO 7064 MOD 11-2)."""
    t = text.strip()
    if _ID.match(t) is None:
        return False
    total = sum(int(d) * w for d, w in zip(t[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == t[17].upper()


def looks_like_id_number(text: str) -> bool:
    """18 characters shaped like an ID number (the check digit may be wrong: still private)."""
    return _ID.match(text.strip()) is not None


def is_phone(text: str) -> bool:
    """An 11-digit mobile number starting with 1, or a landline with its area code."""
    return _PHONE.match(text.strip()) is not None


def pair(text: str) -> tuple[float, float] | None:
    """The two numbers of a "a,b" cell (also ， ; / or a space between them), or None."""
    m = _PAIR.match(text)
    return (float(m.group(1)), float(m.group(2))) if m else None


def _within(value: float, span: tuple[float, float]) -> bool:
    return span[0] <= value <= span[1]


def is_lonlat(text: str) -> bool:
    """A "lon,lat" pair inside China."""
    p = pair(text)
    return p is not None and _within(p[0], LON) and _within(p[1], LAT)


def is_latlon(text: str) -> bool:
    """A pair written latitude first ("41.1,121.1")."""
    p = pair(text)
    return p is not None and _within(p[0], LAT) and _within(p[1], LON)


def _decimal(text: str, span: tuple[float, float]) -> bool:
    return _NUMBER.match(text) is not None and "." in text and _within(float(text), span)


def is_lon(text: str) -> bool:
    """A longitude inside China, with decimals (a count or a year is no longitude)."""
    return _decimal(text, LON)


def is_lat(text: str) -> bool:
    """A latitude inside China, with decimals."""
    return _decimal(text, LAT)


def is_birth(text: str) -> bool:
    """A birth date or month of someone of working age (1940–2010): 1974.12, 1989-08-15 …"""
    if len(text) > 12:
        return False
    try:
        year, _ = parse_birth(text)
    except CellError:
        return False
    return 1940 <= year <= 2010


def is_rank(text: str) -> bool:
    """A rung of the ladder (副处级) or a title the rank table knows (四级调研员, 专技十级)."""
    return rung(text) is not None or title_rank(text) is not None


def split_unit_post(text: str) -> tuple[str, str] | None:
    """ "市财政局二级主任科员" → ("市财政局", "二级主任科员"): a unit followed by a title the
    rank table reads (the longest that ends the cell); None when the cell is not such a pair."""
    key = re.sub(r"\s+", "", text)
    if rung(key) is not None or title_rank(key) is not None:
        return None  # a title alone (二级主任科员) is no unit
    for cut in range(2, len(key) - 1):  # the longest title first
        unit, title = key[:cut].rstrip("·-—/、,，"), key[cut:]
        if len(unit) >= 2 and (rung(title) is not None or title_rank(title) is not None):
            return unit, title
    return None


def is_unit_post(text: str) -> bool:
    """A unit and a title in one cell (市财政局二级主任科员)."""
    return split_unit_post(text) is not None and not is_rank(text)


def is_yes_no(text: str) -> bool:
    """是/否, √/×, yes/no …"""
    return text.strip().lower() in TRUE_WORDS | FALSE_WORDS and not text.strip().isdigit()


def is_district_code(text: str) -> bool:
    """A 6-digit GB/T 2260 code whose first two digits are a province."""
    return _CODE.match(text.strip()) is not None


def is_person_name(text: str) -> bool:
    """A Chinese personal name: 2–5 Han characters starting with a common surname, not a
    place or unit word."""
    t = re.sub(r"\s+", "", text)
    return bool(_HAN.match(t)) and t[0] in SURNAMES and not _NOT_NAME_END.search(t)


def is_count(text: str) -> bool:
    """A small whole number (0–20): posts asked per community."""
    return text.isdigit() and int(text) <= 20


def is_sequence(values: Sequence[str]) -> bool:
    """1, 2, 3 … in order: a 序号 column."""
    nums = [int(v) for v in values if v.isdigit()]
    return len(nums) == len(values) >= 2 and nums == list(range(nums[0], nums[0] + len(nums)))


def is_availability(text: str) -> bool:
    """Words of the post type a cadre wishes (脱产, 兼职, 服从安排 …)."""
    return text.strip().lower() in _AVAILABILITY or text.strip() in ("full-time", "part-time")


def is_level(text: str) -> bool:
    """Words of a unit's level (市直, 区直, 县区 …)."""
    return text.strip() in ENUMS["level"] or text.strip() in ("city", "county", "street")


def is_party(text: str) -> bool:
    """Words of 政治面貌 (中共党员, 群众, 民盟盟员 …)."""
    return text.strip() in PARTY_STATUS or _MINOR_PARTY.match(text.strip()) is not None


def is_gender(text: str) -> bool:
    """男 / 女."""
    return text.strip() in ("男", "女", "男性", "女性")


def is_unit(text: str) -> bool:
    """A unit's name (市财政局, 古塔区民政局)."""
    return len(text) >= 3 and _UNIT_END.search(text) is not None and not is_unit_post(text)


def is_community(text: str) -> bool:
    """A community's name (北街社区, 东湖社区居委会)."""
    return len(text) >= 3 and _COMMUNITY_END.search(text) is not None


def is_street(text: str) -> bool:
    """A street office or township (北街街道, 大凌河镇)."""
    return len(text) >= 3 and _STREET_END.search(text) is not None


def is_district_name(text: str) -> bool:
    """A county-level district's name (古塔区, 黑山县)."""
    return _DISTRICT_END.match(text) is not None and not is_community(text)


SNIFFERS: dict[str, Callable[[str], bool]] = {
    "id_number": looks_like_id_number,
    "phone": is_phone,
    "lonlat": is_lonlat,
    "latlon": is_latlon,
    "lon": is_lon,
    "lat": is_lat,
    "birth": is_birth,
    "rank": is_rank,
    "unit_post": is_unit_post,
    "yes_no": is_yes_no,
    "district_code": is_district_code,
    "person_name": is_person_name,
    "count": is_count,
    "availability": is_availability,
    "level": is_level,
    "party": is_party,
    "gender": is_gender,
    "unit": is_unit,
    "community": is_community,
    "street": is_street,
    "district_name": is_district_name,
}


def profile(values: Sequence[str]) -> dict[str, float]:
    """Share of a column's non-empty cells (first :data:`SAMPLE`) of each kind; ``sequence``
    is 1.0 for 1, 2, 3 …; ``id_valid`` is the share of ID numbers whose check digit is right."""
    cells = [v for v in values if v][:SAMPLE]
    if not cells:
        return {}
    n = len(cells)
    out = {kind: sum(1 for c in cells if test(c)) / n for kind, test in SNIFFERS.items()}
    out["sequence"] = 1.0 if is_sequence(cells) else 0.0
    out["id_valid"] = sum(1 for c in cells if id_number_valid(c)) / n
    return {k: v for k, v in out.items() if v > 0}


__all__ = [
    "LAT",
    "LON",
    "SNIFFERS",
    "id_number_valid",
    "pair",
    "profile",
    "split_unit_post",
    "title_key",
]
