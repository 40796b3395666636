"""The one logging setup: JSON lines in production, readable text in development.

Every record gets the request id of the request (or WebSocket session) it was written in, so
one request's lines, the access line included, can be found together.
"""

import logging
from typing import Any, Literal

from pythonjsonlogger.core import RESERVED_ATTRS

from deskboard.core import context

LogFormat = Literal["json", "text"]
TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s"
# Fields every JSON line has (python-json-logger adds the record's extras after them).
JSON_FIELDS = ["asctime", "levelname", "name", "message", "request_id"]


class RequestIdFilter(logging.Filter):
    """Stamp the current request id on every record (an explicit `extra` one wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = context.request_id() or "-"
        return True


def logging_config(log_format: LogFormat, level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` dictionary, also handed to uvicorn for its workers."""
    formatter: dict[str, Any]
    if log_format == "json":
        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            # uvicorn adds an ANSI-coloured copy of some messages: not for a log collector.
            "reserved_attrs": [*RESERVED_ATTRS, "color_message"],
        }
    else:
        formatter = {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            # uvicorn's own records go through the same handler; its access log is replaced
            # by deskboard.access (one line per request, with the request id and the caller).
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


def setup_logging(log_format: LogFormat, level: str = "INFO") -> None:
    """Configure logging for this process (the CLI commands call it first)."""
    import logging.config

    logging.config.dictConfig(logging_config(log_format, level))
