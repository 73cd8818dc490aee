"""`aid` subcommands. Filled in by the aid work."""
from __future__ import annotations


def register(sub) -> None:
    pass
