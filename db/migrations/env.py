"""Alembic environment: the whole upgrade runs in ONE transaction (db.sqlite makes SQLAlchemy emit
BEGIN, so DDL is inside it too): a migration that fails or is killed leaves the old version intact.

Foreign keys are switched off for the upgrade (batch mode rebuilds tables, and dropping a parent
table must not cascade into its children) and checked before the commit."""
from alembic import context

from db.crash import crash_point
from db.errors import LedgerError
from db.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # command-line use: alembic -x db=PATH ...
    from pathlib import Path

    from db.engine import make_engine
    engine = make_engine(Path(context.get_x_argument(as_dictionary=True)["db"]))

with engine.connect() as connection:
    raw = connection.connection.driver_connection      # the driver itself: outside any transaction,
    raw.execute("PRAGMA foreign_keys=OFF")              # where this pragma takes effect
    try:
        with connection.begin():
            context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                              compare_type=True)
            with context.begin_transaction():
                context.run_migrations()
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise LedgerError(f"数据库升级后发现 {len(broken)} 处引用不一致，已撤销升级，数据未改动")
            crash_point("migration.step")           # every step run and its version written, not committed
    finally:
        raw.execute("PRAGMA foreign_keys=ON")
