"""Structured logs for the cluster: one JSON object a line, naming the dossier, page and stage.

What a log line may carry is a fixed list of fields: dossier codes, page numbers, stage names, error
kinds, durations and counts. Never file names, recognised text or error messages: those can hold a
citizen's name or ID number. They are kept in the record database, where access is controlled.
Exceptions are logged as their class and the code locations of the traceback, without their message.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

FIELDS = ("dossier", "page", "stage", "seconds", "error", "attempt", "pages", "count", "worker", "queue", "status")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for name in FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                out[name] = value
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            out["exception"] = type(exc).__name__
            frames = traceback.extract_tb(exc.__traceback__)
            out["where"] = [f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in frames[-8:]]
        return json.dumps(out, ensure_ascii=False, default=str)


def setup(*, verbose: bool = False) -> None:
    """Send every log line to stderr as JSON (replaces the handlers the CLI set up)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # dramatiq logs each message it handles at DEBUG; at INFO it says when it retries or gives up.
    logging.getLogger("dramatiq").setLevel(logging.INFO)
    logging.getLogger("urllib3").setLevel(logging.WARNING)
