"""The app's log: a rotating file in the data folder (beside the database), a few MB at most.

Every unexpected exception goes there with its traceback, for the person who maintains the PC (a
frozen Windows build has no console). Nothing personal is written in clear: every line passes a
filter that masks ID numbers, bank cards and mobile numbers wherever they appear, tracebacks and
SQL parameters included.
"""
from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_NAME = "zhuxue.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 3
log = logging.getLogger("zhuxue")

# An 18-character ID (17 digits + digit/X), a 15-digit old ID, a 16–19-digit card, an 11-digit mobile;
# \d alone would also match full-width digits, which people paste too.
_SECRETS = re.compile(r"(?<![0-9０-９])([0-9０-９]{17}[0-9０-９Xx]|[0-9０-９]{15,19}|1[3-9][0-9]{9})(?![0-9０-９])")


def mask_text(text: str) -> str:
    """Every run of digits that could be an ID, a card or a phone, masked (keeps 3–4 at each end)."""
    def hide(m: re.Match) -> str:
        s = m.group(0)
        keep = 3 if len(s) == 11 else 4
        return s[:keep] + "*" * (len(s) - 2 * keep) + s[-keep:]
    return _SECRETS.sub(hide, text)


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_text(super().format(record))


_handler: logging.Handler | None = None


def setup(folder: Path) -> Path:
    """Log to `folder`/zhuxue.log (rotating). Returns the file's path. Safe to call again (a new
    database folder moves the log)."""
    global _handler
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    if _handler is not None:
        log.removeHandler(_handler)
        _handler.close()
    _handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    _handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    return path


def log_path() -> Path | None:
    return Path(_handler.baseFilename) if isinstance(_handler, logging.FileHandler) else None


def unexpected(what: str, exc: BaseException) -> None:
    """An exception nobody expected: its traceback to the log."""
    log.error("%s: %s", what, type(exc).__name__, exc_info=(type(exc), exc, exc.__traceback__))
