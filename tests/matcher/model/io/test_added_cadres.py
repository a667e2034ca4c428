"""Cadres added mid-term are read like a round's: new header words, unit+post, private columns."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from matcher.model.io.cadre_file import read_cadres
from tests.matcher.model.io.clerk_variants import make


def test_added_cadres_read_by_meaning(tmp_path: Path) -> None:
    """The cadre sheet of a generated workbook, alone, reads with titles, ids and private data."""
    v = make(8, tmp_path)
    book = openpyxl.load_workbook(v.path)
    for title in book.sheetnames:
        if title != "选派干部名单":
            del book[title]
    path = tmp_path / "新增干部.xlsx"
    book.save(path)
    cadres = read_cadres(path)
    assert [c.id_number for c in cadres] == v.id_numbers
    assert [c.rank_title for c in cadres] == [c["rank"] for c in v.cadres]
    assert all(c.private and not set(c.private.values()) & set(c.extra.values()) for c in cadres)
