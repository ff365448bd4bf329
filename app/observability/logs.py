"""Log lines as text (the default) or as one JSON object each (`RESNET_STUDIO_LOG_FORMAT=json`),
for the server and for each job's own process. Every line carries the request id and the job id
of the context it was logged in, when there is one."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Literal

from app.observability.context import current_job_id, current_request_id

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _context_of(record: logging.LogRecord) -> dict[str, str]:
    """The record's request and job ids: given with `extra=`, else from the context."""
    found = {
        "request_id": getattr(record, "request_id", None) or current_request_id(),
        "job_id": getattr(record, "job_id", None) or current_job_id(),
    }
    return {k: v for k, v in found.items() if v}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (RFC 3339, UTC), level, logger, message, request_id and
    job_id when known, and the exception's traceback as text when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        at = datetime.fromtimestamp(record.created, UTC)
        line: dict[str, object] = {
            "time": at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_context_of(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The plain format, with `request_id=... job_id=...` after the message when known."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        text = super().formatMessage(record)
        context = " ".join(f"{k}={v}" for k, v in _context_of(record).items())
        return f"{text} [{context}]" if context else text


def formatter_for(log_format: LogFormat) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure_logging(log_format: LogFormat, level: int = logging.INFO) -> None:
    """Route every logger (uvicorn's too, when it is started with log_config=None) through one
    stderr handler in the chosen format. Replaces the root logger's handlers."""
    handler = logging.StreamHandler()
    handler.setFormatter(formatter_for(log_format))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.captureWarnings(True)  # warnings become records too, not bare stderr text
