"""The one audit path: `record()` writes every change — who, when (UTC), what, to which record, the
before/after snapshot — into the audit log, inside the transaction of the change itself, so a change
and its entry are committed or rolled back together. The log is append-only (database triggers);
ID, card and phone numbers in snapshots are masked: the log may be shown to an inspector.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping

from sqlalchemy.orm import Session

from db.context import ServiceContext
from db.models.core import AuditLog
from db.validators import mask_card, mask_id, mask_phone


def mask_value(key: str, value: object) -> object:
    """A snapshot field as the log keeps it: personal numbers masked by the name of their field."""
    if not isinstance(value, str) or not value:
        return value
    if key == "student_no":
        return value[:1] + mask_id(value[1:])
    if key.endswith("id_number"):
        return mask_id(value)
    if key in ("bank_card_no", "card_no"):
        return mask_card(value)
    if "phone" in key:
        return mask_phone(value)
    return value


def snapshot(obj: object) -> str:
    """JSON of a dataclass or mapping with personal numbers masked ("" for None)."""
    if obj is None:
        return ""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        obj = dataclasses.asdict(obj)
    if isinstance(obj, Mapping):
        obj = {k: mask_value(str(k), v) for k, v in obj.items()}
    return json.dumps(obj, ensure_ascii=False, default=_json_default, sort_keys=True)


def _json_default(v: object) -> object:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (set, frozenset, tuple)):
        return sorted(v) if isinstance(v, (set, frozenset)) else list(v)
    return str(v)


def record(s: Session, ctx: ServiceContext, action: str, entity: str, entity_id: int | None = None, *,
           summary: str = "", before: object = None, after: object = None, ok: bool = True) -> None:
    """Add one entry to the log of the session's transaction."""
    s.add(AuditLog(at=ctx.clock.now(), actor=ctx.actor.name, action=action, entity=entity,
                   entity_id=entity_id, summary=summary, before=snapshot(before), after=snapshot(after), ok=ok))
