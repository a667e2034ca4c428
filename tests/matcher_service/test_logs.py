"""Structured logs: JSON lines whose exceptions keep their type and frames but never their
message (which may quote a cadre's name or SQL parameters)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from matcher_service.logs import JsonFormatter
from matcher_service.tables import make_engine


def record(exc: BaseException | None) -> logging.LogRecord:
    info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("matcher", logging.ERROR, "f.py", 1, "job %s failed", ("j_1",), info)


def test_a_log_line_is_json_without_the_exception_message() -> None:
    """An exception quoting a name is logged with its type and frames, not the name."""
    try:
        try:
            raise KeyError("王一")
        except KeyError as inner:
            raise ValueError("cadre 王一 has no rank") from inner
    except ValueError as exc:
        line = JsonFormatter().format(record(exc))
    out = json.loads(line)
    assert out["message"] == "job j_1 failed" and out["level"] == "error"
    assert out["error"]["type"] == "builtins.ValueError"
    chain = [c["type"] for c in out["error"]["chain"]]
    assert chain == ["builtins.ValueError", "builtins.KeyError"]
    assert "王一" not in line and "test_logs.py" in line


def test_a_plain_record_has_no_error_field() -> None:
    """A record without an exception is one JSON object with its message and no error."""
    out = json.loads(JsonFormatter().format(record(None)))
    assert "error" not in out and out["logger"] == "matcher"


def test_sql_errors_do_not_carry_their_parameters(tmp_path: Path) -> None:
    """The engine hides SQL parameters: a failed insert's error text has no stored value."""
    engine = make_engine(f"sqlite:///{tmp_path}/p.sqlite3")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (name TEXT UNIQUE)")
    caught = None
    try:
        with engine.begin() as conn:
            for _ in range(2):
                conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": "王一"})
    except IntegrityError as exc:
        caught = str(exc)
    engine.dispose()
    assert caught is not None and "UNIQUE" in caught and "王一" not in caught
