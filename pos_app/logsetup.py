"""Logging for the register: a rotating file in the logs folder, secrets redacted.

The file gets INFO and up (what happened, for the organiser afterwards); the console only
WARNING and up unless ``--log-level`` says otherwise, so a normal start prints nothing.
Alembic's INFO chatter (plugins, "Running upgrade") is kept out of both: pos_app logs one line
per upgrade itself.

Tokens, PINs and card references must never reach a log line. Code avoids logging them in the
first place; this filter is the second line of defence for anything that slips through
(an exception message quoting a header, say).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

_SECRET_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)((?:token|pin|reference|authorization|admin_token)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"),
)


def redact(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1[redacted]", text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


LOG_FILE = "pos-app.log"
MAX_BYTES = 5_000_000
BACKUPS = 5
QUIET_LOGGERS = ("alembic",)


def configure_logging(log_dir: Path | None, level: str = "WARNING",
                      file_level: str = "INFO") -> Path | None:
    """Console at ``level``, and a rotating ``pos-app.log`` (5 x 5 MB) in ``log_dir``.

    Returns the log file's path (None without ``log_dir``).
    """
    console = logging.StreamHandler()
    console.setLevel(level.upper())
    handlers: list[logging.Handler] = [console]
    path = None
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / LOG_FILE
        file = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES,
                                                    backupCount=BACKUPS, encoding="utf-8")
        file.setLevel(file_level.upper())
        handlers.append(file)
    for handler in handlers:
        handler.addFilter(RedactingFilter())
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    lowest = min(logging.getLevelName(level.upper()), logging.getLevelName(file_level.upper()))
    logging.basicConfig(level=lowest, handlers=handlers, force=True)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return path
