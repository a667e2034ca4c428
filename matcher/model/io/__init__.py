"""Reading and writing rounds and plans: JSON, CSV folders, XLSX workbooks, Markdown.

Readers turn any format into the raw round shape and validate it with
:func:`matcher.model.validate.validate_round`, so every problem names file, row, column, id and why.
Writers are atomic: a file or folder appears complete or not at all.
"""

from matcher.model.io.json_round import read_round_json, write_round_json
from matcher.model.io.results import (
    write_plan_json,
    write_roster_csv,
    write_roster_xlsx,
    write_summary,
)
from matcher.model.io.round_files import (
    read_round,
    read_round_report,
    round_tables,
    write_round_csv,
    write_round_xlsx,
)

__all__ = [
    "read_round",
    "read_round_json",
    "read_round_report",
    "round_tables",
    "write_plan_json",
    "write_roster_csv",
    "write_roster_xlsx",
    "write_round_csv",
    "write_round_json",
    "write_round_xlsx",
    "write_summary",
]
