"""What the ``matcher`` command says when the input or the command line is wrong.

Chinese first, in a department's words; English with ``--lang en``. Each problem names the
file (or 命令行), the row or field, the id and why; every problem is printed at once and the
command exits 2, never with a traceback. The readers under :mod:`matcher.model` word most of
their problems in both languages (:mod:`matcher.model.messages`); this module words the rest:
argparse's own complaints (:class:`CommandParser`), the messages of older readers, OS errors
(:func:`worded`) and pydantic's (:func:`validation_problems`).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from pydantic import ValidationError

from matcher.model.messages import Lang, Text, is_chinese, localise
from matcher.model.problems import InputProblem

COMMAND_LINE = Text("命令行", "command line")


class UsageProblem(Exception):
    """A command-line mistake (found by argparse or after parsing, e.g. OUTDIR holds foreign
    files), said in both languages: exit 2."""

    def __init__(self, text: Text | str) -> None:
        self.text = text if isinstance(text, Text) else Text(worded_text(text), text)
        super().__init__(self.text.en)

    def problem(self) -> InputProblem:
        """The mistake as an input problem of the command line."""
        return InputProblem.said(COMMAND_LINE.en, "", self.text)


class WordedTypeError(argparse.ArgumentTypeError):
    """An argument type's refusal in both languages (argparse keeps only its English)."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(text.en)


# argparse names a value's type by its function's name; what to write instead, in Chinese
_TYPE_ZH = {
    "int": "应为整数",
    "float": "应为数字",
    "fromisoformat": "应为日期，如 2026-12-01",
    "positive_seconds": "应为正数（秒）",
    "engine_seed": "应为 0 到 2147483647 之间的整数",
}


# positional arguments by their name in the usage line
_POSITIONAL_ZH = {
    "command": "命令",
    "practice": "做法（mentors、exchange、committees、scenario）",
    "round": "轮次文件",
    "ROUND": "轮次文件",
    "PLAN": "方案文件",
    "plan": "方案文件",
    "input": "输入文件",
    "workbook": "工作簿",
    "scenario": "场景名",
    "name": "场景名",
}


def _argparse_zh(message: str) -> str | None:
    """argparse's English complaint in Chinese (None when it is none of argparse's own)."""
    if m := re.match(r"^the following arguments are required: (.*)$", message):
        names = [_POSITIONAL_ZH.get(n, n) for n in m.group(1).split(", ")]
        return f"缺少必填参数：{'、'.join(names)}"
    if m := re.match(r"^unrecognized arguments: (.*)$", message):
        return f"无法识别的参数：{m.group(1)}"
    if m := re.match(r"^argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)$", message):
        choices = m.group(3).replace("'", "").replace(", ", "、")
        if m.group(1) in ("command", "practice"):
            return f"没有“{m.group(2)}”这个命令；可用的命令：{choices}"
        name = _POSITIONAL_ZH.get(m.group(1), m.group(1))
        return f"参数 {name} 不能取“{m.group(2)}”；可选：{choices}"
    if m := re.match(r"^argument (\S+): invalid (\w+) value: '([^']*)'$", message):
        hint = _TYPE_ZH.get(m.group(2), "无法识别")
        return f"参数 {m.group(1)} 的值“{m.group(3)}”{hint}"
    if m := re.match(r"^argument (\S+): expected (one|at least one) argument$", message):
        return f"参数 {m.group(1)} 后面应{'写一个值' if m.group(2) == 'one' else '至少写一个值'}"
    if m := re.match(r"^argument (\S+): not allowed with argument (\S+)$", message):
        return f"参数 {m.group(1)} 不能与 {m.group(2)} 同时使用"
    if m := re.match(r"^argument (\S+): (.*)$", message):
        return f"参数 {m.group(1)}：{worded_text(m.group(2))}"
    return None


class CommandParser(argparse.ArgumentParser):
    """An argument parser whose complaints are :class:`UsageProblem` in both languages (the
    command prints them as every other problem, exit 2) instead of English on stderr."""

    def error(self, message: str) -> NoReturn:
        cause = sys.exc_info()[1]  # argparse calls error() inside ``except ArgumentError``
        while cause is not None and not isinstance(cause, WordedTypeError):
            cause = cause.__context__
        if isinstance(cause, WordedTypeError):
            name = message.split(":", 1)[0].removeprefix("argument ")
            zh, en = f"参数 {name}：{cause.text.zh}", message
        else:
            zh, en = _argparse_zh(message) or worded_text(message), message
        raise UsageProblem(Text(f"{zh}（加 -h 查看用法）", en)) from None


# Messages of readers that predate the catalogue, OS and JSON errors → Chinese. First wins.
_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^unknown round format: use .json, .xlsx or a CSV folder$"),
        "无法识别的轮次文件：请用 JSON 文件、Excel 工作簿或 CSV 文件夹",
    ),
    (
        re.compile(r"^a column mapping is made for an .xlsx workbook or a folder of CSV files$"),
        "列的识别只适用于 Excel 工作簿或 CSV 文件夹",
    ),
    (
        re.compile(r"^no such mapping file or template \(templates: (.*)\)$"),
        r"找不到该列识别文件或模板（模板文件夹：\1）",
    ),
    (re.compile(r"^(?:not valid|invalid) JSON: (.*?)(?: at line \d+)?$"), "JSON 格式错误：{json}"),
    (re.compile(r"^cannot read (?:the )?file: (.*)$"), "无法读取文件：{os}"),
    (
        re.compile(r"^cannot read workbook: not an XLSX workbook$"),
        "无法读取工作簿：这不是 Excel 工作簿，请用 Excel 打开后另存为 Excel 工作簿",
    ),
    (
        re.compile(r"^not an XLSX workbook$"),
        "不是 Excel 工作簿：请用 Excel 打开后另存为 Excel 工作簿",
    ),
    (re.compile(r"^no such file$"), "找不到该文件"),
    (
        re.compile(r"^(.*) holds other files \((.*)\); choose an empty folder$"),
        r"\1 中已有其他文件（\2）：请选一个空文件夹或新文件夹",
    ),
    (re.compile(r"^(.*) exists and is not a folder$"), r"\1 已存在且不是文件夹：请另选输出文件夹"),
    (
        re.compile(r"^--include-private: no private column (.*) \(the round has: (.*)\)$"),
        r"没有名为 \1 的内部信息列（本轮有：\2）",
    ),
    (re.compile(r"^no such community in the round$"), "本轮没有该社区"),
    (re.compile(r"^no such community$"), "本轮没有该社区"),
    (re.compile(r"^no such cadre in the plan's round$"), "方案所在的轮次中没有该干部"),
    (re.compile(r"^named by two events$"), "同一干部出现在两项调整中"),
    (
        re.compile(r"^holds no post in the plan, so cannot be unsuitable for one$"),
        "该干部在方案中没有岗位，谈不上人岗不适",
    ),
    (
        re.compile(r"^merged into a community that is itself closed or merged$"),
        "并入的社区本身已撤销或合并",
    ),
    (re.compile(r"^Field required$"), "必填项为空"),
    (re.compile(r"^Extra inputs are not permitted$"), "未知字段"),
    (
        re.compile(r"^unknown scenario '([^']*)'; expected one of (.*)$"),
        r"没有“\1”这个示范场景；可选：\2",
    ),
    (
        re.compile(r"^seed must be a non-negative integer, got (.*)$"),
        r"随机种子应为非负整数（现为 \1）",
    ),
    (
        re.compile(r"^unknown weight '([^']*)'; expected one of (.*)$"),
        r"没有名为“\1”的权重；可选：\2",
    ),
    (
        re.compile(r"^fraction must be between 0 and 1, got (.*)$"),
        r"退出比例应在 0 与 1 之间（现为 \1）",
    ),
    (re.compile(r"^must be a JSON object$"), "应为 JSON 对象（以 { 开头）"),
)

# Python's json messages, for "JSON 格式错误：…"
_JSON_ZH = (
    ("Expecting property name enclosed in double quotes", "名称应加英文双引号"),
    ("key must be a string", "名称应加英文双引号"),
    ("EOF while parsing", "文件提前结束（括号未闭合）"),
    ("Expecting value", "此处缺少值"),
    ("Expecting ',' delimiter", "此处缺少逗号"),
    ("Expecting ':' delimiter", "此处缺少冒号"),
    ("Unterminated string", "引号未闭合"),
    ("Extra data", "结尾有多余内容"),
    ("Invalid control character", "含有非法控制字符"),
    ("Invalid \\escape", "含有非法转义"),
)

# OS errors by errno name
_OS_ZH = {
    "No such file or directory": "找不到该文件",
    "Permission denied": "没有读取权限",
    "Is a directory": "这是文件夹，不是文件",
    "Not a directory": "路径中有一段不是文件夹",
    "No space left on device": "磁盘已满",
    "Read-only file system": "磁盘只读",
}


def os_words(text: str) -> str:
    """An OS error (``[Errno 2] No such file or directory: 'x'``) in Chinese."""
    for en, zh in _OS_ZH.items():
        if en in text:
            return zh
    return f"系统报告：{text}"


def json_words(text: str) -> str:
    """A ``json`` module message in Chinese (its position is said by the location)."""
    for en, zh in _JSON_ZH:
        if text.startswith(en):
            return zh
    return "无法解析"


def worded_text(message: str) -> str:
    """An English message in Chinese: the catalogue's translation, then this module's;
    what neither knows keeps a Chinese lead-in, so no line is English alone."""
    for pattern, repl in _ZH:
        m = pattern.match(message)
        if m is None:
            continue
        if repl == "JSON 格式错误：{json}":
            return repl.format(json=json_words(m.group(1)))
        if repl == "无法读取文件：{os}":
            return repl.format(os=os_words(m.group(1)))
        return m.expand(repl)
    if is_chinese(message[:1]):
        return message
    found = localise(message, "zh")
    if found != message and is_chinese(found):
        return found
    return _argparse_zh(message) or f"无法使用：{message}"


_SOURCE_ZH = {"command line": "命令行", "events": "调整事项", "request": "请求"}
_WHERE_ZH = (
    (re.compile(r"^line (\d+), column (\d+)$"), r"第 \1 行第 \2 列"),
    (re.compile(r"^communities$"), "社区"),
    (re.compile(r"^unsuitable(\.not_back_to)?$"), "人岗不适"),
    (re.compile(r"^recall$"), "召回"),
    (re.compile(r"^promote$"), "提拔"),
    (re.compile(r"^withdraw$"), "退出"),
    (re.compile(r"^merge$"), "合并"),
)


def worded(p: InputProblem) -> InputProblem:
    """The problem with its Chinese message filled in (what ``--json`` prints)."""
    return p if p.zh and is_chinese(p.zh) else p.moved(zh=worded_text(p.message))


def render(p: InputProblem, lang: Lang) -> str:
    """One problem as one line in ``lang``, its location in the same language."""
    if lang == "en":
        return str(p)
    where = p.where
    for pattern, repl in _WHERE_ZH:
        where = pattern.sub(repl, where)
    return worded(p).moved(source=_SOURCE_ZH.get(p.source, p.source), where=where).render("zh")


def validation_problems(source: str, exc: ValidationError) -> list[InputProblem]:
    """pydantic's errors as problems located by field path, worded in both languages."""
    out = []
    for e in exc.errors():
        where = ".".join(str(x) for x in e["loc"])
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "json_invalid":
            where, msg = "", f"invalid JSON: {e['ctx'].get('error', '')}"
        out.append(worded(InputProblem(source, where, msg)))
    return out


__all__ = [
    "COMMAND_LINE",
    "CommandParser",
    "UsageProblem",
    "WordedTypeError",
    "render",
    "validation_problems",
    "worded",
    "worded_text",
]
