"""data safety: a hash chain over the audit log; entries older than the retention period may be purged

Revision ID: 0007
Revises: 0006

Every existing entry gets its link (sha256 of the previous hash and the entry, in id order). The
append-only triggers stay; the DELETE one now lets an entry go only when it is older than the
horizon a purge sets in `setting` ('audit.purge_before', empty outside a purge — db.audit.purge).
"""
import datetime as dt
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
NO_UPDATE = ("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
             "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
OLD_NO_DELETE = ("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                 "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
NO_DELETE = ("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
             "WHEN old.at >= coalesce((SELECT value FROM setting WHERE key = 'audit.purge_before'), '') "
             "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")


def _link(prev, at, actor, action, entity, entity_id, summary, before, after, ok) -> str:
    """db.audit.entry_hash as it was when this migration was written (frozen here)."""
    body = json.dumps([prev, at.isoformat(sep=" ", timespec="microseconds"), actor, action, entity, entity_id,
                       summary, before, after, bool(ok)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("hash", sa.String(length=64), server_default="", nullable=False))
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    conn = op.get_bind()
    rows = conn.exec_driver_sql("SELECT id, at, actor, action, entity, entity_id, summary, before, after, ok "
                                "FROM audit_log ORDER BY id").fetchall()
    prev = GENESIS
    for rid, at, *rest in rows:
        prev = _link(prev, dt.datetime.fromisoformat(str(at)), *rest)
        conn.exec_driver_sql("UPDATE audit_log SET hash = ? WHERE id = ?", (prev, rid))
    op.execute(NO_UPDATE)
    op.execute(NO_DELETE)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    with op.batch_alter_table("audit_log") as b:
        b.drop_column("hash")
    op.execute(NO_UPDATE)
    op.execute(OLD_NO_DELETE)
