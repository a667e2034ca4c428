"""Argument types of the ``matcher`` command, and the error for mistakes found after parsing."""

from __future__ import annotations

import argparse
import unicodedata

from matcher.engine.result import FIRST_SLOT, check_slot
from matcher.model.io.cells import parse_enum
from matcher.model.language import parse_lang
from matcher.model.messages import Text
from matcher_cli.errors import UsageProblem, WordedTypeError

__all__ = ["UsageProblem", "add_lang", "engine_seed", "ints", "language", "positive_seconds"]


def positive_seconds(text: str) -> float:
    """A time limit: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise WordedTypeError(
            Text(
                f"应为正数（秒），现为“{text}”", f"must be a positive number of seconds, got {text}"
            )
        )
    return value


def engine_seed(text: str) -> int:
    """A seed the engines accept (0 … 2**31-1)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 2**31 - 1:
        raise WordedTypeError(
            Text(
                f"随机种子应为 0 到 2147483647 之间的整数，现为“{text}”",
                f"seed must be between 0 and 2**31-1, got {text}",
            )
        )
    return value


def post_ref(text: str) -> tuple[str, str, int]:
    """``COMMUNITY/full-time`` or ``COMMUNITY/part-time[/SLOT]`` → (community, type, slot);
    SLOT counts from 1 as in the roster (default 1); 0, the old numbering, is refused. The
    type may be written as clerks write it (脱产, 非脱产, 专职, 兼职), in full-width too."""
    parts = unicodedata.normalize("NFKC", text).split("/")
    if len(parts) in (2, 3):
        parts[1] = parse_enum("post_type", parts[1])
    if len(parts) not in (2, 3) or parts[1] not in ("full-time", "part-time"):
        raise WordedTypeError(
            Text(
                f"岗位应写成 社区/第一书记 或 社区/兼职委员[/序号]，现为“{text}”",
                f"post must be COMMUNITY/full-time or COMMUNITY/part-time[/SLOT], got {text!r}",
            )
        )
    if len(parts) == 2:
        return parts[0], parts[1], FIRST_SLOT
    try:
        slot = int(parts[2])
        check_slot(slot)
    except ValueError as exc:
        number = parts[2].strip().lstrip("-").isdigit()
        why = str(exc) if number else f"{parts[2]!r} is no number"
        zh = str(exc).split(" / ")[0] if number else f"序号“{parts[2]}”不是数字"
        raise WordedTypeError(Text(f"岗位“{text}”：{zh}", f"post {text!r}: {why}")) from None
    return parts[0], parts[1], slot


def ints(text: str) -> list[int]:
    """Comma-separated integers, e.g. ``0,50,100``."""
    try:
        return [int(v) for v in unicodedata.normalize("NFKC", text).split(",") if v.strip()]
    except ValueError:
        raise WordedTypeError(
            Text(
                f"应为逗号分隔的整数，如 0,50,100，现为“{text}”",
                f"expected comma-separated integers, got {text!r}",
            )
        ) from None


def language(text: str) -> str:
    """``--lang``: zh (中文) or en."""
    try:
        found = parse_lang(text)
    except ValueError as exc:
        raise WordedTypeError(
            Text(f"语言“{text}”无法识别：可写 zh（中文）或 en", str(exc))
        ) from None
    if found is None:
        raise WordedTypeError(Text("语言应为 zh（中文）或 en", "expected zh or en"))
    return found


def add_lang(parser: argparse.ArgumentParser) -> None:
    """The ``--lang zh|en`` option (default: the round's own language)."""
    parser.add_argument(
        "--lang",
        type=language,
        default=None,
        metavar="zh|en",
        help="language of outputs and tables (default: the round's language)",
    )
