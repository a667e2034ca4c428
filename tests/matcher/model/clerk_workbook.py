# ruff: noqa: E501
"""A clerk's own roster workbook, built in code so every quirk is visible in one place.

What an organisation department's clerk keeps, not what the round format asks for: sheets
named 社区名单 / 选派干部名单 / 规则, a merged title row, a note, headers in the clerk's words
with 序号, 性别, 联系电话 and 备注 columns, 2019 rank titles, birth dates as Excel dates or
1989.08, full-width digits in a district code, √ for yes, 区直 for a level, 兼职 for part-time,
10公里 for a distance, community names (not ids) as wishes and in a lock, rows numbered in
advance but never filled, and a footer with 填表人 and 审核人.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

# fmt: off
COMMUNITY_HEADER = [
    "序号", "社区编号", "社区名称", "所属区县", "区县代码", "所属街道",
    "经度", "纬度", "坐标系", "是否软弱涣散", "联系电话", "备注",
]
COMMUNITIES: list[list[Any]] = [
    [1, "GT01", "北街社区", "古塔区", "２１０７０２", "北街街道", 121.130, 41.130, "GCJ-02", "√", "0416-1234567", ""],
    [2, "GT02", "南街社区", "古塔区", "210702", "南街街道", 121.140, 41.120, "GCJ-02", "", "", "新建"],
    [3, "LH01", "东湖社区", "凌河区", "210703", "东湖街道", 121.150, 41.110, "GCJ-02", "否", "", ""],
]
CADRE_HEADER = [
    "序号", "干部编号", "姓名", "性别", "出生年月", "政治面貌", "工作单位", "单位层级",
    "区划代码", "职务职级", "特长", "岗位类型", "经度", "纬度", "坐标系", "志愿社区",
    "联系电话", "备注",
]
CADRES: list[list[Any]] = [
    [1, "C01", "王一", "男", dt.datetime(1985, 3, 1), "中共党员", "市委组织部", "市直", "210702", "四级调研员", "党建、信访", "脱产", 121.131, 41.128, "GCJ-02", "北街社区、南街社区", "13800000001", ""],
    [2, "C02", "李二", "女", "1989.08", "中共党员", "古塔区民政局", "区直", "210702", "二级主任科员", "民政", "兼职", 121.141, 41.121, "GCJ-02", "", "", "借调"],
    [3, "C03", "张三", "男", "1990年5月", "群众", "市财政局", "市直", "210702", "管理八级", "财政", "均可", 121.129, 41.131, "GCJ-02", "东湖社区", "", ""],
    [4, "C04", "赵四", "女", 1992, "中共党员", "凌河区信访局", "区直", "210703", "副科长", "信访", "兼职", 121.151, 41.112, "GCJ-02", "", "", ""],
    [5, "C05", "孙五", "男", "1987-11", "中共党员", "凌河区财政局", "区直", "210703", "科员", "财政", "均可", 121.149, 41.109, "GCJ-02", "", "", ""],
    [6, "C06", "周六", "男", "1991.1", "中共党员", "古塔区应急局", "区直", "210702", "一级科员", "应急管理", "均可", 121.139, 41.119, "GCJ-02", "", "", ""],
]
RULES: list[list[Any]] = [
    ["规则", "序号", "参数", "值", "说明"],
    ["就近距离", "", "km", "10公里", "离家不超过 10 公里"],
    ["锁定", 1, "cadre", "王一", "按姓名锁定"],
    ["锁定", 1, "community", "北街社区", ""],
]
# fmt: on


def _sheet(book: Any, title: str, heading: str, header: list[str], rows: list[list[Any]]) -> None:
    ws = book.create_sheet(title)
    ws.append([heading])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(["填报单位：锦州市委组织部", None, None, "2024年3月"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for n in range(len(rows) + 1, len(rows) + 4):  # numbered in advance, never filled
        ws.append([n])
    ws.append([])
    ws.append(["填表人：刘某", None, "审核人：陈某", None, "日期：2024年3月5日"])


def write_workbook(path: Path) -> Path:
    """The clerk's workbook as an XLSX file at ``path``."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    _sheet(book, "社区名单", "锦州市社区名单（2024年）", COMMUNITY_HEADER, COMMUNITIES)
    _sheet(book, "选派干部名单", "2024年选派干部名单", CADRE_HEADER, CADRES)
    rules = book.create_sheet("规则")
    for row in RULES:
        rules.append(row)
    book.save(path)
    return path


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{value.year}.{value.month:02d}"
    return "" if value is None else str(value)


def write_csv_folder(folder: Path, encoding: str = "gb18030") -> Path:
    """The same tables as CSV files named in Chinese (社区.csv, 干部.csv, 规则.csv), saved the
    way Excel on Chinese Windows saves them (GB18030) or with ``utf-8-sig`` (UTF-8 with BOM)."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "社区.csv": [["锦州市社区名单（2024年）"], COMMUNITY_HEADER, *COMMUNITIES],
        "干部.csv": [["2024年选派干部名单"], CADRE_HEADER, *CADRES, ["填表人：刘某"]],
        "规则.csv": RULES,
    }
    for name, rows in tables.items():
        with (folder / name).open("w", encoding=encoding, newline="") as f:
            csv.writer(f).writerows([[_text(v) for v in row] for row in rows])
    return folder
