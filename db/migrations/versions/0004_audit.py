"""the house: one audit path — who did it, before/after snapshots (masked), append-only

Revision ID: 0004
Revises: 0003

Old snapshots move to `before` with ID, card and phone numbers masked (they used to keep the full
numbers of a deleted student). Triggers make the log append-only: an entry can be added, never
changed or removed.
"""
import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NO_UPDATE = ("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
             "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
NO_DELETE = ("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
             "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")


def _mask(key: str, value):
    """The masking of db.audit as it was when this migration was written (frozen here)."""
    if not isinstance(value, str) or not value:
        return value
    if key == "student_no":
        return value[:1] + _mask("id_number", value[1:])
    if key.endswith("id_number"):
        return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) >= 10 else "*" * len(value)
    if key in ("bank_card_no", "card_no"):
        return value[:4] + "*" * max(len(value) - 8, 0) + value[-4:]
    if "phone" in key:
        return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)
    return value


def _masked(snapshot: str) -> str:
    try:
        data = json.loads(snapshot)
    except ValueError:
        return re.sub(r"\d{15,19}|\d{17}[\dXx]", lambda m: m.group(0)[:4] + "*" * (len(m.group(0)) - 8) + m.group(0)[-4:],
                      snapshot)
    if isinstance(data, dict):
        data = {k: _mask(k, v) for k, v in data.items()}
    return json.dumps(data, ensure_ascii=False)


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as b:
        b.add_column(sa.Column("actor", sa.String(length=60), server_default="", nullable=False))
        b.add_column(sa.Column("before", sa.Text(), server_default="", nullable=False))
        b.add_column(sa.Column("after", sa.Text(), server_default="", nullable=False))
        b.add_column(sa.Column("ok", sa.Boolean(), server_default=sa.true(), nullable=False))
    conn = op.get_bind()
    rows = conn.exec_driver_sql("SELECT id, snapshot FROM audit_log WHERE snapshot <> ''").fetchall()
    for rid, snap in rows:
        conn.exec_driver_sql("UPDATE audit_log SET before = ? WHERE id = ?", (_masked(snap), rid))
    with op.batch_alter_table("audit_log") as b:
        b.drop_column("snapshot")
        b.create_index("ix_audit_log_entity", ["entity", "entity_id"], unique=False)
    op.execute(NO_UPDATE)
    op.execute(NO_DELETE)


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_log_no_update")
    op.execute("DROP TRIGGER audit_log_no_delete")
    with op.batch_alter_table("audit_log") as b:
        b.drop_index("ix_audit_log_entity")
        b.add_column(sa.Column("snapshot", sa.Text(), server_default="", nullable=False))
    op.execute("UPDATE audit_log SET snapshot = before")
    with op.batch_alter_table("audit_log") as b:
        b.drop_column("ok")
        b.drop_column("after")
        b.drop_column("before")
        b.drop_column("actor")
