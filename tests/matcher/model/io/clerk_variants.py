"""Clerk workbooks written afresh for every seed: new header words, layouts and quirks.

Each seed draws, per column, one of several ways clerks write its header (synonyms, spaces
inside words, full-width brackets, a coordinate system in brackets) and a layout: column order
shuffled, a two-row merged header (基本情况 / 岗位需求 / 下沉意向 …) or one row, coordinates as
"lon,lat" in one cell or two columns, no id column (only 序号), unit and post in one cell,
hidden 身份证号 and 联系电话 columns, title rows above and footer rows below. :func:`expected`
says which field each header must be mapped to, so a test can check every role.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

# field → header spellings (one is drawn per seed); spaces inside words are added at random.
COMMUNITY_WORDS: dict[str, list[str]] = {
    "name": ["社区名称", "社区", "社区名", "社区(居委会)"],
    "district_code": ["区县代码", "所属区县代码", "行政区划代码", "区划代码"],
    "district_name": ["所属区县", "区县", "县区", "区县名称"],
    "street": ["所属街道", "街道", "街道办事处", "所在街道"],
    "weak": ["是否软弱涣散", "软弱涣散", "软弱涣散社区"],
    "full_time_posts": ["第一书记（脱产）", "脱产岗位数", "第一书记人数"],
    "part_time_posts": ["兼职委员（非脱产）", "非脱产岗位数", "兼职委员"],
    "needed_skills": ["所需专长", "需求专长", "急需专长"],
    "phone": ["联系电话", "社区电话", "书记电话"],
}
CADRE_WORDS: dict[str, list[str]] = {
    "name": ["姓名", "姓 名", "干部姓名", "名字"],
    "gender": ["性别", "性 别"],
    "birth_year": ["出生年月", "出生日期", "出生年份"],
    "political_status": ["政治面貌", "政治 面貌"],
    "level": ["单位层级", "单位级别", "层级"],
    "home_district": ["所在区县代码", "家庭住址区划", "居住地区划", "区划代码"],
    "availability": ["本人意愿", "下沉意向", "意向岗位", "任职意向"],
    "skills": ["专长", "特长", "擅长领域"],
    "id_number": ["身份证号", "公民身份号码", "身份证号码"],
    "phone": ["联系电话", "手机", "手机号码"],
}
UNIT_POST = ["单位及职务", "工作单位及职务", "单位职务"]
UNIT = ["工作单位", "派出单位", "所在单位"]
RANK = ["职级", "现职级", "职务职级"]
LON = ["经度", "东经", "经度（高德）"]
LAT = ["纬度", "北纬", "纬度（高德）"]
PAIR = ["坐标（经,纬）", "经纬度", "位置坐标", "坐标"]
PARENTS = {
    "communities": {
        "name": "基本情况",
        "district_code": "基本情况",
        "district_name": "基本情况",
        "street": "基本情况",
        "weak": "基本情况",
        "full_time_posts": "岗位需求",
        "part_time_posts": "岗位需求",
        "needed_skills": "岗位需求",
    },
    "cadres": {
        "name": "基本情况",
        "gender": "基本情况",
        "birth_year": "基本情况",
        "political_status": "基本情况",
        "availability": "下沉意向",
        "skills": "下沉意向",
    },
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华"
UNITS = ["市财政局", "市交通局", "古塔区民政局", "凌河区信访局", "市委组织部", "市卫健委"]
TITLES = [
    "二级主任科员",
    "四级调研员",
    "副科级",
    "正科级",
    "副处级",
    "专技十级",
    "事业九级",
    "一级科员",
]
WISHES = ["脱产", "兼职", "均可", "非脱产"]
SKILLS = ["党建", "信访", "财政", "民政", "社区工作", "法律"]
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random, year: int) -> str:
    """A 公民身份号码 with a correct GB 11643 check character."""
    body = f"210702{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


@dataclass
class Variant:
    """One generated workbook: where it is and what each header means."""

    path: Path
    roles: dict[str, dict[str, str]]  # table → header as flattened → expected field
    cadres: list[dict[str, Any]]
    id_numbers: list[str]
    phones: list[str]
    first_row: int = 3
    part_time_posts: int = 0


def _spaced(rng: random.Random, word: str) -> str:
    if len(word) == 2 and rng.random() < 0.3:
        return f"{word[0]} {word[1]}"
    return word


def _header(rng: random.Random, words: list[str]) -> str:
    return _spaced(rng, rng.choice(words))


def _write(
    ws: Any,
    title: str,
    columns: list[tuple[str, str, str | None]],
    rows: list[list[Any]],
    two_rows: bool,
    hidden: set[int],
) -> dict[str, str]:
    """Write a sheet; return the flattened header → field."""
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    flat: dict[str, str] = {}
    if two_rows:
        top = [parent or head for head, _, parent in columns]
        low = [head if parent else None for head, _, parent in columns]
        ws.append(top)
        ws.append(low)
        start = 0
        while start < len(columns):
            parent = columns[start][2]
            end = start
            while end + 1 < len(columns) and parent and columns[end + 1][2] == parent:
                end += 1
            if parent and end > start:
                ws.merge_cells(start_row=2, start_column=start + 1, end_row=2, end_column=end + 1)
            if not parent:
                ws.merge_cells(start_row=2, start_column=start + 1, end_row=3, end_column=start + 1)
            start = end + 1
        for head, key, parent in columns:
            flat[f"{parent}/{head}" if parent else head] = key
    else:
        ws.append([head for head, _, _ in columns])
        flat = {head: key for head, key, _ in columns}
    for row in rows:
        ws.append(row)
    ws.append([])
    ws.append(["填表人：刘某", None, "审核人：陈某", None, "日期：2024年3月5日"])
    from openpyxl.utils import get_column_letter

    for i in hidden:
        ws.column_dimensions[get_column_letter(i + 1)].hidden = True
    return flat


def make(seed: int, folder: Path, swap: int | None = None) -> Variant:
    """The workbook of ``seed`` in ``folder``; ``swap``: the cadre (0-based) whose longitude
    and latitude are planted swapped."""
    rng = random.Random(seed)
    crs_word = rng.randrange(len(LON))  # both sheets name the same system (or none)
    two_rows = rng.random() < 0.5
    pair_cell = rng.random() < 0.5
    unit_post = rng.random() < 0.5
    shuffle = rng.random() < 0.6
    n_com, n_cad = 6, 24
    # communities
    com_cols: list[tuple[str, str, str | None]] = [("序号", "sequence", None)]
    for key, words in COMMUNITY_WORDS.items():
        com_cols.append((_header(rng, words), key, PARENTS["communities"].get(key)))
    if pair_cell:
        com_cols.append((rng.choice(PAIR), "location", None))
    else:
        com_cols += [(LON[crs_word], "lon", None), (LAT[crs_word], "lat", None)]
    coms: list[dict[str, Any]] = []
    for i in range(n_com):
        lon, lat = round(121.10 + 0.01 * i, 4), round(41.10 + 0.01 * i, 4)
        coms.append(
            {
                "sequence": i + 1,
                "name": f"{'东西南北中新'[i]}街社区",
                "district_code": "210702",
                "district_name": "古塔区",
                "street": f"{'东西南北中新'[i]}街街道",
                "weak": rng.choice(["是", "否", "√", ""]),
                "full_time_posts": 1,
                "part_time_posts": rng.choice([1, 2]),
                "needed_skills": "、".join(rng.sample(SKILLS, 2)),
                "phone": f"0416-{2000000 + i}",
                "location": f"{lon},{lat}",
                "lon": lon,
                "lat": lat,
            }
        )
    # cadres
    cad_cols: list[tuple[str, str, str | None]] = [("序号", "sequence", None)]
    for key, words in CADRE_WORDS.items():
        cad_cols.append((_header(rng, words), key, PARENTS["cadres"].get(key)))
    if unit_post:
        cad_cols.append((rng.choice(UNIT_POST), "unit_post", None))
    else:
        cad_cols += [(rng.choice(UNIT), "unit", None), (rng.choice(RANK), "rank", None)]
    if pair_cell:
        cad_cols.append((rng.choice(PAIR), "location", None))
    else:
        cad_cols += [(LON[crs_word], "lon", None), (LAT[crs_word], "lat", None)]
    cads: list[dict[str, Any]] = []
    for i in range(n_cad):
        year = rng.randint(1970, 1995)
        unit, title = rng.choice(UNITS), rng.choice(TITLES)
        lon, lat = round(121.11 + 0.005 * i, 4), round(41.11 + 0.004 * i, 4)
        cads.append(
            {
                "sequence": i + 1,
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN]),
                "gender": rng.choice(["男", "女"]),
                "birth_year": rng.choice(
                    [f"{year}.{rng.randint(1, 12)}", f"{year}年{rng.randint(1, 12)}月", str(year)]
                ),
                "political_status": "群众" if i % 4 == 3 else "中共党员",
                "level": "市直" if unit.startswith("市") else "区直",
                "home_district": "210702",
                "availability": "均可" if i < 8 else rng.choice(WISHES),
                "skills": rng.choice(SKILLS),
                "id_number": id_number(rng, year),
                "phone": f"13{rng.randint(100000000, 999999999)}",
                "unit_post": unit + title,
                "unit": unit,
                "rank": title,
                "location": f"{lon},{lat}",
                "lon": lon,
                "lat": lat,
            }
        )
    if swap is not None:
        c = cads[swap]
        c["lon"], c["lat"] = c["lat"], c["lon"]
        c["location"] = f"{c['lon']},{c['lat']}"
    if shuffle:
        for cols in (com_cols, cad_cols):
            head, rest = cols[0], cols[1:]
            rng.shuffle(rest)
            cols[:] = [head, *rest]
    if two_rows:  # parents must be next to their children
        for cols in (com_cols, cad_cols):
            cols.sort(key=lambda c: (c[2] or "",))
    book = openpyxl.Workbook()
    book.remove(book.active)
    roles: dict[str, dict[str, str]] = {}
    for sheet, table, cols, items in (
        ("社区名单", "communities", com_cols, coms),
        ("选派干部名单", "cadres", cad_cols, cads),
    ):
        rows = [[item[key] for _, key, _ in cols] for item in items]
        hidden = {i for i, (_, key, _) in enumerate(cols) if key in ("id_number", "phone")}
        flat = _write(book.create_sheet(sheet), f"2024年{sheet}", cols, rows, two_rows, hidden)
        roles[table] = flat
    notes = book.create_sheet("填表说明")
    notes.append(["1. 身份证号、联系电话不得外传。"])
    notes.append(["2. 本人意愿填 脱产 / 兼职 / 服从安排。"])
    path = folder / f"名单{seed}.xlsx"
    book.save(path)
    first = 4 if two_rows else 3  # the sheet row of the first cadre
    parts = sum(c["part_time_posts"] for c in coms)
    ids, phones = [c["id_number"] for c in cads], [c["phone"] for c in cads]
    return Variant(path, roles, cads, ids, phones, first, parts)
