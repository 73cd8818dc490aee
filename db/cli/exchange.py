"""`import`, `export` and `reconcile` subcommands (county exchange). Filled in by the exchange work."""
from __future__ import annotations


def register(sub) -> None:
    pass
