"""The one audit path: `record()` writes every change — who, when (UTC), what, to which record, the
before/after snapshot — into the audit log, inside the transaction of the change itself, so a change
and its entry are committed or rolled back together. The log is append-only (database triggers);
ID, card and phone numbers in snapshots are masked: the log may be shown to an inspector.

Tamper evidence: each entry's `hash` is sha256 over the previous entry's hash and the entry itself
(`entry_hash`), so editing, deleting or reordering entries in the file breaks the chain from there on;
`verify_chain` names the first broken entry (`main.py audit verify`, and the window at start). Entries
are kept at least RETENTION_YEARS; `purge` removes older ones, records the purge itself and leaves an
anchor (the hash before the first kept entry) that verification starts from.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.context import ServiceContext
from db.errors import LedgerError
from db.models.core import AuditLog, Setting
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


GENESIS = "0" * 64
ANCHOR_KEY = "audit.anchor"                 # "<first kept id>:<hash before it>" after a purge
PURGE_KEY = "audit.purge_before"            # the append-only trigger lets older entries go (migration 0007)
RETENTION_YEARS = 3


def entry_hash(prev: str, at: dt.datetime, actor: str, action: str, entity: str, entity_id: int | None,
               summary: str, before: str, after: str, ok: bool) -> str:
    """The chain link of one entry. Frozen: migration 0007 holds a copy; change it only with a new
    version of the chain."""
    body = json.dumps([prev, at.isoformat(sep=" ", timespec="microseconds"), actor, action, entity, entity_id,
                       summary, before, after, bool(ok)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _last_hash(s: Session) -> str:
    last = s.scalar(select(AuditLog.hash).order_by(AuditLog.id.desc()).limit(1))   # autoflush: sees pending entries
    return last or _anchor(s)[1]


def record(s: Session, ctx: ServiceContext, action: str, entity: str, entity_id: int | None = None, *,
           summary: str = "", before: object = None, after: object = None, ok: bool = True) -> None:
    """Add one entry to the log of the session's transaction (chained to the one before it)."""
    entry = AuditLog(at=ctx.clock.now(), actor=ctx.actor.name, action=action, entity=entity,
                     entity_id=entity_id, summary=summary, before=snapshot(before), after=snapshot(after), ok=ok)
    entry.hash = entry_hash(_last_hash(s), entry.at, entry.actor, action, entity, entity_id, summary,
                            entry.before, entry.after, ok)
    s.add(entry)
    s.flush()


def log_event(ctx: ServiceContext, action: str, entity: str, entity_id: int | None = None, *,
              summary: str = "", after: object = None, ok: bool = True) -> None:
    """An event that is not itself a change (export, print, backup, restore): its own small write."""
    with ctx.write(audit_only=True) as s:
        record(s, ctx, action, entity, entity_id, summary=summary, after=after, ok=ok)


def can_record(ctx: ServiceContext) -> None:
    """Raise before an export starts when its event could not be recorded afterwards (a command
    while the window holds the database): no file leaves the app unrecorded."""
    with ctx.writer.hold():
        pass


# ---- verification ------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_id: int | None = None        # the first entry whose hash does not follow
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None and not self.reason

    def text(self) -> str:
        if self.ok:
            return f"审计日志完整：{self.entries} 条记录，哈希链没有断开"
        where = f"第 {self.broken_id} 号记录" if self.broken_id is not None else "日志开头"
        return f"审计日志被改动过：{where}{self.reason}（共检查 {self.entries} 条）"


def _anchor(s: Session) -> tuple[int, str]:
    raw = s.scalar(select(Setting.value).where(Setting.key == ANCHOR_KEY)) or ""
    first, _, prev = raw.partition(":")
    return (int(first), prev) if first.isdigit() and prev else (0, GENESIS)


def verify_chain(s: Session, *, batch: int = 5000) -> ChainReport:
    """Recompute every link in id order; the first entry that does not follow is reported."""
    first_id, prev = _anchor(s)
    n, last_id = 0, None
    stmt = select(AuditLog).order_by(AuditLog.id).execution_options(yield_per=batch)
    for e in s.scalars(stmt):
        if n == 0 and first_id and e.id != first_id:
            return ChainReport(n, e.id, "：日志开头的记录被删除了（与保留期清理的记录不符）")
        want = entry_hash(prev, e.at, e.actor, e.action, e.entity, e.entity_id, e.summary, e.before, e.after, e.ok)
        if e.hash != want:
            return ChainReport(n, e.id, _why_broken(s, e, last_id))
        prev, last_id, n = e.hash, e.id, n + 1
    return ChainReport(n)


def _why_broken(s: Session, e: AuditLog, last_id: int | None) -> str:
    if last_id is not None and e.id != last_id + 1:
        return f"：之前的第 {last_id + 1}–{e.id - 1} 号记录被删除了"
    return "的内容被修改、删除或调换了顺序"


# ---- retention ---------------------------------------------------------------------------------------
def retention_horizon(now: dt.datetime, years: int = RETENTION_YEARS) -> dt.datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:                  # 29 February
        return now.replace(year=now.year - years, day=28)


def purge(ctx: ServiceContext, *, years: int = RETENTION_YEARS) -> int:
    """Remove entries older than `years` (at least RETENTION_YEARS); the purge is itself recorded.
    Returns the number of entries removed."""
    if years < RETENTION_YEARS:
        raise LedgerError(f"审计日志至少保留 {RETENTION_YEARS} 年")
    horizon = retention_horizon(ctx.clock.now(), years)
    with ctx.write() as s:
        old = s.execute(select(AuditLog.id, AuditLog.hash).where(AuditLog.at < horizon)
                        .order_by(AuditLog.id)).all()
        if not old:
            return 0
        last_id, last_hash = old[-1]
        first_kept = s.scalar(select(AuditLog.id).where(AuditLog.id > last_id).order_by(AuditLog.id).limit(1))
        _set(s, PURGE_KEY, horizon.strftime("%Y-%m-%d %H:%M:%S.%f"))
        s.execute(delete(AuditLog).where(AuditLog.id <= last_id))
        _set(s, PURGE_KEY, "")
        _set(s, ANCHOR_KEY, f"{first_kept or 0}:{last_hash}")
        record(s, ctx, "purge", "audit_log", None,
               summary=f"清理保留期（{years} 年）以前的审计记录 {len(old)} 条（{horizon:%Y-%m-%d} 以前）",
               after={"removed": len(old), "before": horizon.date().isoformat(), "anchor_hash": last_hash})
        if first_kept is None:          # nothing newer was kept: the purge entry itself starts the chain
            _set(s, ANCHOR_KEY, f"{s.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))}:{last_hash}")
    return len(old)


def _set(s: Session, key: str, value: str) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value
    s.flush()


def entries(s: Session, ids: Iterable[int] | None = None):
    """The log in order (for the inspector's export)."""
    stmt = select(AuditLog).order_by(AuditLog.id)
    if ids is not None:
        stmt = stmt.where(AuditLog.id.in_(list(ids)))
    return s.scalars(stmt.execution_options(yield_per=2000))
