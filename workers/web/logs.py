"""What `hoso serve` writes to its log about requests: method, path and status, never the query string. The
paths name dossier codes and page numbers only; the queries carry what staff typed (`/search?q=001099012345`,
a citizen's ID number or name) and where they were going (`?next=`), so uvicorn's access log drops them."""

from __future__ import annotations

import copy
import logging
from typing import Any


class NoQueryString(logging.Filter):
    """Cuts the query off the path of uvicorn's access records (`client, method, path, version, status`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (args[0], args[1], args[2].split("?", 1)[0], args[3], args[4])
        return True


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's own logging configuration, with the access log's query strings dropped."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["no_query"] = {"()": NoQueryString}
    config["loggers"]["uvicorn.access"]["filters"] = ["no_query"]
    return config
