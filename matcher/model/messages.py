"""Texts shown to planners, in Chinese (first) and English, and the language to show them in.

A :class:`Text` holds both languages; :func:`say` fills a catalogue template, so a problem
carries both and the display picks one (``--lang``, by default the language of the headers the
planner wrote: :func:`language_of`). Messages written before this catalogue existed (and
pydantic's own) are English; :func:`localise` translates the common ones and the location part
(``row 3, column '职级'`` → ``第 3 行，“职级”列``). Other modules may add their own
``Text`` constants; nothing here is specific to input problems except the catalogue.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Literal, NamedTuple

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


class Text(NamedTuple):
    """One text in both languages."""

    zh: str
    en: str

    def pick(self, lang: Lang) -> str:
        """The text in ``lang``."""
        return self.zh if lang == "zh" else self.en


CATALOGUE: dict[str, Text] = {
    "problems": Text("输入中有 {n} 个问题：", "{n} problem(s) in the input:"),
    "warnings": Text("{n} 条提示（不影响读取）：", "{n} warning(s) (the round still reads):"),
    "valid": Text("{source}：可以使用", "{source}: valid"),
    "more": Text(
        "……另有 {n} 处同类问题（加 --all 显示全部）",
        "… {n} more of the same (--all lists every one)",
    ),
    "unknown_columns": Text(
        "以下列不属于轮次格式，已原样保留并随每条记录输出到名单：{columns}",
        "columns not used by the round are kept and travel with each record to the roster: "
        "{columns}",
    ),
    "near_column": Text("“{text}”列可能是“{known}”？", "column '{text}' may be '{known}'?"),
    "skipped_rows": Text(
        "跳过 {n} 行（{kinds}）：第 {rows} 行", "skipped {n} row(s) ({kinds}): rows {rows}"
    ),
    "header_row": Text(
        "表头在第 {row} 行，上方 {n} 行标题或说明未读取",
        "the header is row {row}; {n} title or note row(s) above it were not read",
    ),
    "sheet_by_headers": Text(
        "工作表“{sheet}”按表头识别为{table}", "sheet '{sheet}' recognised by its headers as {table}"
    ),
    "not_ascii_digits": Text(
        "“{value}”应为 {n} 位数字（半角 0–9）", "'{value}' must be {n} plain digits (0–9)"
    ),
    "id_scientific": Text(
        "编号“{value}”已被 Excel 改成科学计数法，原值已丢失：请把该列设为“文本”格式后重新录入编号",
        "id '{value}' was turned into scientific notation by Excel and its digits are lost: "
        "format the column as text and re-enter the ids",
    ),
    "id_trailing_zero": Text(
        "编号“{value}”末尾多了“.0”（Excel 把它当成了数字）："
        "请把该列设为“文本”格式后重新录入，应为“{fixed}”",
        "id '{value}' carries a trailing '.0' (Excel took it for a number): format the column as "
        "text and re-enter it as '{fixed}'",
    ),
    "id_lost_zero": Text(
        "编号“{value}”只有 {n} 位，本列其他编号为 {m} 位：Excel 可能去掉了开头的 0，"
        "请把该列设为“文本”格式后重新录入（可能应为“{fixed}”）",
        "id '{value}' has {n} digits where the others in this column have {m}: Excel may have "
        "dropped a leading zero; format the column as text and re-enter it (perhaps '{fixed}')",
    ),
    "ambiguous_name": Text(
        "“{name}”不唯一，有 {n} 个{kind}同名：{candidates}；请改用编号",
        "'{name}' is not unique: {n} {kind} have this name ({candidates}); use the id",
    ),
    "crs_mixed": Text(
        "{declared}声明坐标系为 {crs}，而{silent}有 {n} 个点未写坐标系：请在未写的表中补上"
        "“坐标系”列，或在规则表“轮次 / default_crs”为本轮统一设定",
        "{declared} declares the coordinate system {crs} but {n} point(s) in {silent} declare "
        "none: add a 坐标系/crs column there, or set it once for the round (rules: 轮次/round, "
        "default_crs)",
    ),
    "crs_default": Text(
        "{sheets}未写坐标系，按本轮默认 {crs} 处理",
        "{sheets} declare no coordinate system; the round's default {crs} is used",
    ),
    "outside_district": Text(
        "位置（{lon}, {lat}）不在所填区县 {district} 内（距边界约 {km} 公里）："
        "请核对坐标、坐标系或区县代码",
        "the point ({lon}, {lat}) lies outside its district {district} (about {km} km from its "
        "boundary): check the coordinates, their system or the district code",
    ),
    "did_you_mean": Text("，是否为“{known}”？", "; did you mean '{known}'?"),
    "rank_unknown": Text(
        "职级“{value}”无法识别；可填 科员、副科、正科、副县、正县，或 2019 年以后的职级"
        "（如 四级调研员、二级主任科员）、领导职务（如 副科长）、管理岗（如 管理八级）",
        "rank '{value}' unknown; write 科员, 副科, 正科, 副县, 正县, a title since the 2019 "
        "regulation (四级调研员, 二级主任科员), a post (副科长) or a management grade (管理八级)",
    ),
    "bad_date": Text(
        "出生年月“{value}”无法识别：可写 1989.08、1989年8月、1989-08 或 Excel 日期",
        "birth date '{value}' not understood: write 1989.08, 1989年8月, 1989-08 or an Excel date",
    ),
    "bad_distance": Text(
        "距离“{value}”无法识别：可写 10、10公里、8 km、800米",
        "distance '{value}' not understood: write 10, 10公里, 8 km or 800米",
    ),
}


def say(key: str, **fields: object) -> Text:
    """The catalogue text ``key`` with ``fields`` filled in, in both languages."""
    t = CATALOGUE[key]
    return Text(t.zh.format(**fields), t.en.format(**fields))


_CJK = re.compile(r"[\u3400-\u9fff]")


def is_chinese(text: str) -> bool:
    """True when the text holds a Chinese character."""
    return bool(_CJK.search(text))


def language_of(texts: Iterable[str]) -> Lang:
    """``zh`` when at least half the non-blank texts (e.g. headers) hold Chinese, else ``en``."""
    cells = [t for t in texts if t and t.strip()]
    if not cells:
        return "zh"
    return "zh" if 2 * sum(is_chinese(t) for t in cells) >= len(cells) else "en"


# Location parts of a problem ("row 3, column '职级', field 'rank'") in Chinese.
_WHERE_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^rows (\d+)[–-](\d+)"), r"第 \1–\2 行"),
    (re.compile(r"^row (\d+)"), r"第 \1 行"),
    (re.compile(r", column ('[^']*'(?:/'[^']*')*)"), r"，\1 列"),
    (re.compile(r", field '([^']*)'"), r"（字段 \1）"),
)

# Common English messages (pydantic's and older readers') → Chinese. First match wins.
_MESSAGES_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^required field is missing$"), "必填项为空"),
    (re.compile(r"^unknown field$"), "未知字段"),
    (re.compile(r"^file is missing$"), "缺少该文件"),
    (re.compile(r"^Input should be a valid boolean.*\(got (.*)\)$"), r"应填 是/否（现为 \1）"),
    (re.compile(r"^Input should be a valid integer.*\(got (.*)\)$"), r"应为整数（现为 \1）"),
    (re.compile(r"^Input should be a valid number.*\(got (.*)\)$"), r"应为数字（现为 \1）"),
    (
        re.compile(r"^Input should be greater than or equal to (\S+) \(got (.*)\)$"),
        r"应不小于 \1（现为 \2）",
    ),
    (
        re.compile(r"^Input should be less than or equal to (\S+) \(got (.*)\)$"),
        r"应不大于 \1（现为 \2）",
    ),
    (
        re.compile(r"^Input should be (.*) \(got (.*?)\)(; also accepted: (.*))?$"),
        r"应为 \1\3（现为 \2）",
    ),
    (re.compile(r"^duplicate id \(first seen at row (\d+)\)$"), r"编号重复（首次出现在第 \1 行）"),
    (re.compile(r"^duplicate id \(first seen at (.*)\)$"), r"编号重复（首次出现在 \1）"),
    (re.compile(r"^invalid JSON: (.*)$"), r"JSON 格式错误：\1"),
    (re.compile(r"^a source quota needs (.*)$"), r"来源配额设置不全（needs \1）"),
    (
        re.compile(r"^disqualification '(.*)' has no code; write code:reason$"),
        r"不得当选情形“\1”缺少代码：请写成 代码:原因",
    ),
    (
        re.compile(r"^rule (\S+) is a list: give 序号/item 1, 2, … \(got (.*)\)$"),
        r"规则 \1 可设多条：请在“序号”列填写 1、2……（现为 \2）",
    ),
    (
        re.compile(r"^rule (\S+) is a single rule; leave 序号/item empty$"),
        r"规则 \1 只有一条：“序号”列请留空",
    ),
    (
        re.compile(r"^parameter '([^']*)' is a group; name one of (.*)$"),
        r"参数“\1”是一组参数，请写其中一项：\2",
    ),
    (
        re.compile(r"^parameter set twice \(first at row (\d+)\)$"),
        r"参数重复设置（首次在第 \1 行）",
    ),
    (
        re.compile(r"^polygon is not valid JSON \((.*)\); expected rings like (.*)$"),
        r"边界不是有效的 JSON（\1）；应写成 \2",
    ),
    (
        re.compile(r"^unknown parameter '([^']*)' of rule (\S+); expected one of (.*)$"),
        r"规则 \2 没有参数“\1”；可用参数：\3",
    ),
    (re.compile(r"^unknown rule '([^']*)'; expected one of (.*)$"), r"未知规则“\1”；可用规则：\2"),
    (re.compile(r"^unknown top-level field$"), "未知的顶层字段"),
    (
        re.compile(r"^availability \(本人意愿\) '(.*)' not understood; write .*$"),
        r"本人意愿“\1”无法识别，可写：兼职、非脱产、只愿兼职（只任兼职）；脱产、全职（只任脱产）；"
        r"服从安排、均可、都可以（均可）",
    ),
    (
        re.compile(r"^row has (\d+) cells but the header has (\d+) columns$"),
        r"本行有 \1 个单元格，但表头只有 \2 列",
    ),
    (re.compile(r"^sheet (.*) is missing$"), r"缺少工作表 \1"),
    (re.compile(r"^cannot read workbook: (.*)$"), r"无法读取工作簿（\1）：请用 Excel 另存为 .xlsx"),
    (re.compile(r"^cannot read file: (.*)$"), r"无法读取文件（\1）"),
    (
        re.compile(r"^cannot decode: save the file as UTF-8 or GB18030$"),
        "无法识别文件编码：请另存为 UTF-8 或 GB18030（Excel 的“CSV（逗号分隔）”）",
    ),
    (re.compile(r"^is empty: expected a header row.*$"), "表为空：应有一行表头，其下每行一条记录"),
    (re.compile(r"^no such file or folder$"), "找不到该文件或文件夹"),
    (re.compile(r"^must be a JSON object$"), "应为 JSON 对象"),
    (
        re.compile(r"^missing coordinates: give a location or a polygon$"),
        "缺少坐标：请填经纬度或边界",
    ),
    (
        re.compile(r"^skill '([^']*)' unknown; .*$"),
        r"技能“\1”不在词表中；如确需使用，请加入 extra_skills（轮次/extra_skills）",
    ),
    (re.compile(r"^preferred community '([^']*)' does not exist$"), r"志愿社区“\1”不存在"),
    (re.compile(r"^cadre '([^']*)' does not exist$"), r"干部“\1”不存在"),
    (re.compile(r"^community '([^']*)' does not exist$"), r"社区“\1”不存在"),
    (
        re.compile(r"^missing required column '([^']*)' \(or '([^']*)'\)$"),
        r"缺少必填列“\1”（或 \2）",
    ),
    (
        re.compile(r"^district code '([^']*)' must be six plain digits.*$"),
        r"区县代码“\1”应为 6 位半角数字（0–9），如 210702",
    ),
    (
        re.compile(r"^point \((.*) WGS-84\) lies in (.*), not in the stated (.*)$"),
        r"坐标（\1，WGS-84）位于\2，不在所填的\3内：请核对坐标、坐标系或区县代码",
    ),
    (
        re.compile(r"^point \((.*) WGS-84\) lies outside every district of city (\d+)$"),
        r"坐标（\1，WGS-84）不在城市 \2 的任何区县内：请核对坐标和坐标系",
    ),
    (re.compile(r"^column repeats '([^']*)' \(both mean (.*)\)$"), r"与“\1”列重复（都表示 \2）"),
)


def localise_where(where: str, lang: Lang) -> str:
    """The location part of a problem in ``lang`` (English is the stored form)."""
    if lang == "en":
        return where
    out = where
    for pattern, repl in _WHERE_ZH:
        out = pattern.sub(repl, out)
    return out


def localise(message: str, lang: Lang) -> str:
    """An English message in ``lang`` where a translation is known (else as it is)."""
    if lang == "en" or is_chinese(message[:1]):
        return message
    for pattern, repl in _MESSAGES_ZH:
        if pattern.match(message):
            return pattern.sub(repl, message)
    return message


def suggest(text: str, choices: Iterable[str]) -> str | None:
    """The known spelling ``text`` most likely means (卫生 → 卫生健康), or None.

    A choice that contains the text (or is contained in it) wins; otherwise the closest by
    :func:`difflib.get_close_matches` at a cut-off of 0.6.
    """
    key = text.strip().lower()
    if not key:
        return None
    pool = list(dict.fromkeys(c for c in choices if c))
    inside = [c for c in pool if key in c.lower() or (len(c) >= 2 and c.lower() in key)]
    if inside:
        return min(inside, key=lambda c: abs(len(c) - len(key)))
    close = difflib.get_close_matches(key, [c.lower() for c in pool], n=1, cutoff=0.6)
    return next((c for c in pool if c.lower() == close[0]), None) if close else None
