"""Structured logs: one JSON object per line, with no personal data.

A record keeps its time, level, logger, process and message (the service's own messages name
ids and counts, never a cadre's name). An exception keeps its type and the frames it passed
through (file, line, function) but not its message or arguments: those can quote stored text
— a cadre's name in a validation or export error, an SQL statement's parameters — and logs
are shipped and kept where personal data must not go. The database engine hides SQL
parameters too (``hide_parameters=True`` in :func:`matcher_service.tables.make_engine`).

``make serve`` passes ``--log-config matcher_service/log_config.json`` to uvicorn, which
routes uvicorn's and the service's loggers through :class:`JsonFormatter`.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime
from typing import Any

LOG_CONFIG = "matcher_service/log_config.json"


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON; exceptions without their messages."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "process": record.process,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            out["error"] = error_summary(record.exc_info[1])
        return json.dumps(out, ensure_ascii=False)


def error_summary(exc: BaseException) -> dict[str, Any]:
    """An exception's type and frames, and those of its causes — never their messages."""
    chain: list[dict[str, Any]] = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        frames = traceback.extract_tb(cur.__traceback__)
        chain.append(
            {
                "type": f"{type(cur).__module__}.{type(cur).__qualname__}",
                "frames": [f"{f.filename}:{f.lineno} in {f.name}" for f in frames],
            }
        )
        cur = cur.__cause__ or cur.__context__
    return {"type": chain[0]["type"], "chain": chain}
