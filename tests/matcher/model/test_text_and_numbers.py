"""Text and number rules at the boundary: control characters refused with their place
(tab and line breaks allowed), booleans refused where numbers belong (not where booleans
belong), and exports that strip what older stored text holds."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from matcher.model.io import write_roster_xlsx, write_round_csv
from matcher.model.io.round_files import read_round
from matcher.model.problems import InvalidInput
from matcher.model.strict import booleans_as_numbers
from matcher.model.text import clean, forbidden_text
from matcher.model.validate import validate_round
from tests.matcher_service.conftest import tiny
from tests.matcher_service.solve_doubles import greedy


def test_control_characters_are_found_with_their_path() -> None:
    """NUL, BEL, a lone surrogate and U+FFFF are found in values and keys; tab, line feed,
    carriage return and Chinese text are not."""
    raw = {"a": ["ok\t\n\r", "北\x00京"], "b": {"k\x07": "x", "c": "\ud800", "d": "\uffff"}}
    found = {tuple(p) for p, _ in forbidden_text(raw)}
    assert found == {("a", 1), ("b", "k\x07"), ("b", "c"), ("b", "d")}
    assert list(forbidden_text({"a": "ok\t\n\r 北京 \\u0000 \\b"})) == []  # escapes as text


def test_control_character_in_a_csv_names_file_row_and_field(tmp_path: Path) -> None:
    """A control character in a CSV cell is a problem naming cadres.csv, the row and the
    field; without it the same folder reads."""
    rnd = validate_round(tiny())
    write_round_csv(rnd, tmp_path, headers="en")
    read_round(tmp_path)
    path = tmp_path / "cadres.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("张三", "张\x0b三"), "utf-8")
    with pytest.raises(InvalidInput) as err:
        read_round(tmp_path)
    (p,) = err.value.problems
    assert p.source.endswith("cadres.csv") and p.where.startswith("row 4") and p.id == "C03"
    assert "U+000B" in p.message


def test_booleans_where_numbers_belong_are_refused() -> None:
    """`lat: false`, `posts.full_time: true` and `settings.time_limit_s: true` are problems;
    `weak: true` (a boolean field) is not."""
    raw = tiny()
    assert list(booleans_as_numbers(raw)) == []  # tiny has weak: true
    raw["cadres"][0]["location"]["lat"] = False
    raw["communities"][0]["posts"]["full_time"] = True
    raw["settings"]["time_limit_s"] = True
    paths = {tuple(p) for p in booleans_as_numbers(raw)}
    assert paths == {
        ("cadres", 0, "location", "lat"),
        ("communities", 0, "posts", "full_time"),
        ("settings", "time_limit_s"),
    }
    with pytest.raises(InvalidInput, match="must be a number"):
        validate_round(raw)


def test_roster_export_strips_control_characters(tmp_path: Path) -> None:
    """A round holding a control character (stored before the check) still exports to XLSX,
    the character removed."""
    rnd = validate_round(tiny())
    cadres = list(rnd.cadres)
    cadres[2] = cadres[2].model_copy(update={"name": "张\x01三"})
    bad = rnd.model_copy(update={"cadres": cadres})
    path = tmp_path / "roster.xlsx"
    write_roster_xlsx(bad, greedy(bad), path)
    book = openpyxl.load_workbook(path, read_only=True)
    cells = {c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row}
    assert "张三" in cells and clean("张\x01三") == "张三"


@pytest.mark.parametrize(
    "written",
    ["\\u0001", "\\u001F", "\\b", "\\f", "\\ud800", "\\uDFFF", "\\uffff", "\ufffe"],
)
def test_control_character_in_a_json_file_is_found_from_its_source(
    tmp_path: Path, written: str
) -> None:
    """However a JSON file writes it (escaped in any case, or raw U+FFFE), a forbidden
    character in a name is a problem naming cadres[i].name; the source-text scan that lets
    a clean file skip the walk never hides one."""
    import json

    path = tmp_path / "round.json"
    text = json.dumps(tiny(), ensure_ascii=False).replace("张三", "张" + written + "三")
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with pytest.raises(InvalidInput) as err:
        read_round(path)
    (p,) = [p for p in err.value.problems if "control character" in p.message]
    assert p.where.startswith("cadres[") and p.id == "C03"


def test_json_source_scan_passes_clean_text_and_escapes_that_are_text() -> None:
    """Tab, line feed, Chinese, an escaped backslash and ordinary \\u escapes are clean;
    an escaped control character is not; the clean file reads."""
    from matcher.model.text import json_source_clean

    assert json_source_clean('{"a": "北京\\t\\n\\u4e2d\\\\"}')
    assert not json_source_clean('{"a": "\\u0007"}')
    assert not json_source_clean('{"a": "x\\\\b"}')  # escaped backslash then b: full check


def test_booleans_are_reported_in_the_data_order() -> None:
    """Several booleans in one item come out in the order the data holds them, as the
    general walk yields them."""
    from matcher.model.strict import _round_tree, _walk

    raw = tiny()
    loc = raw["cadres"][1]["location"]
    raw["cadres"][1]["location"] = {"lat": True, "lon": False, **loc}
    raw["cadres"][1]["location"].update(lat=True, lon=False)
    raw["cadres"][0]["birth_year"] = True
    paths = list(booleans_as_numbers(raw))
    general = [p for p, why in _walk(raw, _round_tree(), [], strict=False) if "true" in why]
    assert paths == general and len(paths) == 3
    assert paths[1][-1] == "lat" and paths[2][-1] == "lon"
