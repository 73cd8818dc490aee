"""What a service call changed, for the window to broadcast (habit 5: changes are announced, not polled)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    """The kinds of entity a call changed ("student", "household", "aid" …) and, where known, their ids."""
    entities: frozenset[str]
    ids: frozenset[int] = frozenset()
