"""Errors the services raise; every message is Chinese and meant for the user."""
from __future__ import annotations


class LedgerError(Exception):
    """An expected failure with a message that can be shown to the user as it is."""


class ValidationError(LedgerError):
    """Every problem found in one piece of input, keyed by field name."""

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        super().__init__("；".join(f"{v}" for v in self.problems.values()))


class NotFound(LedgerError):
    pass


class DatabaseTooNew(LedgerError):
    pass


class DatabaseLocked(LedgerError):
    pass
