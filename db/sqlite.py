"""Everything that is specific to SQLite, behind a small interface.

Ledger code writes portable SQLAlchemy; the few places where SQLite needs its own way (connection
pragmas, who emits BEGIN, bulk inserts through the driver's executemany, dropping and rebuilding
indexes around a bulk insert, ids handed out as max(id)+1 before a bulk insert, the size of the page
cache) call these functions. A county server on PostgreSQL would supply the same functions.
"""
from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ContextDecorator, contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

# Applied to every connection (RELIABILITY.md T11). trusted_schema=OFF: no function in a view or
# trigger of a file someone sent us runs with our privileges.
PRAGMAS = ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL", "busy_timeout=5000",
           "secure_delete=ON", "trusted_schema=OFF")


def connect(path, *, read_only: bool = False, key: bytes | None = None) -> sqlite3.Connection:
    """Every connection to a ledger file is made here: the engine's pool (db.engine.make_engine),
    the checks on open, backups and restores.

    `read_only` opens the file without ever writing to it (checks of a file that may be damaged).
    `key` is where encryption at rest plugs in: with SQLCipher the driver module changes here and
    `PRAGMA key` is the first statement on the new connection (apply_key) — nothing else in the app
    opens the file.
    """
    uri = f"file:{_uri_path(path)}{'?mode=ro' if read_only else ''}"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    try:
        apply_key(conn, key)
    except BaseException:
        conn.close()
        raise
    return conn


def apply_key(conn, key: bytes | None) -> None:
    """The encryption key, before any other statement (none yet: the files are not encrypted)."""
    if key is not None:
        raise NotImplementedError("encryption at rest is not available yet")


def _uri_path(path) -> str:
    text = str(path).replace("\\", "/")
    if len(text) > 1 and text[1] == ":":        # C:/… on Windows
        text = "/" + text
    return quote(text, safe="/:")


def configure(engine: Engine) -> None:
    """Pragmas on connect, and transactions that SQLAlchemy begins itself.

    Python's sqlite3 module would otherwise begin a transaction only at the first INSERT/UPDATE and
    run DDL (CREATE TABLE …) outside any transaction: a migration killed halfway would leave tables
    behind with the old version number. With the driver in autocommit mode and BEGIN emitted here
    (SQLAlchemy's documented recipe), every transaction — DDL included — is all or nothing.
    """
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)


def _on_connect(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None            # the driver never begins on its own
    cur = dbapi_conn.cursor()
    for pragma in PRAGMAS:
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


def _on_begin(conn) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def begin_immediate(s: Session) -> None:
    """Take the write lock at the start of the session's transaction (call before anything else in
    it): a bulk write then reads a database that cannot change under it."""
    s.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def driver_cursor(s: Session):
    """The transaction's own DBAPI cursor: executemany of plain tuples, no Row objects."""
    return s.connection().connection.driver_connection.cursor()


def bulk_insert(cur, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)


def bulk_update(cur, table: str, columns: Sequence[str], rows: Iterable[Sequence], *, key: str = "id",
                touch: bool = True) -> None:
    """rows: the new values of `columns`, then the key."""
    sets = ", ".join(f"{c} = ?" for c in columns) + (", updated_at = CURRENT_TIMESTAMP" if touch else "")
    cur.executemany(f"UPDATE {table} SET {sets} WHERE {key} = ?", rows)


def bulk_delete(cur, table: str, ids: Iterable[int], *, key: str = "id") -> None:
    cur.executemany(f"DELETE FROM {table} WHERE {key} = ?", ((i,) for i in ids))


def next_id(s: Session, column) -> int:
    """The first free id of a table, for rows inserted in bulk with their ids given (their children
    are inserted in the same pass). Safe only inside the writer's transaction."""
    return (s.execute(select(func.max(column))).scalar() or 0) + 1


def drop_indexes(s: Session, tables: Sequence[str]) -> list[str]:
    """Drop the secondary indexes of `tables`; returns the DDL that builds them again. Inside the
    caller's transaction, so a failure or cancel brings them back with everything else."""
    found = s.connection().exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
        f"({', '.join('?' * len(tables))}) ORDER BY name", tuple(tables)).all()
    for name, _ in found:
        s.connection().exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def rebuild_indexes(cur, ddl: Sequence[str]) -> None:
    for statement in ddl:
        cur.execute(statement)


@contextmanager
def larger_cache(s: Session, kib: int) -> Iterator[None]:
    """A bigger page cache for one transaction (random inserts into several indexes)."""
    conn = s.connection()
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size={-int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


def database_file(s: Session) -> Path:
    """The file of the session's main database (to back it up before a bulk change)."""
    for _seq, name, file in s.connection().exec_driver_sql("PRAGMA database_list"):
        if name == "main" and file:
            return Path(file)
    raise ValueError("the database has no file")


def analyze(s: Session) -> None:
    """Fresh planner statistics after a bulk change."""
    s.connection().exec_driver_sql("ANALYZE")


def optimize(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA optimize")


class gc_paused(ContextDecorator):
    """Pause Python's cyclic garbage collector while 100,000 small objects are made: the records
    of a list hold no reference cycles, yet each young-generation pass walks them again (measured:
    ~0.8 s of a 100,000-row import). Reference counting still frees everything as usual."""

    def __enter__(self):
        self._was = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *exc) -> None:
        if self._was:
            gc.enable()


def raw_rows(s: Session, stmt) -> list[tuple]:
    """A Core select run on the transaction's DBAPI cursor: plain tuples, no Row objects (the
    100,000 rows of a term plan). Only for selects whose columns need no result processing
    (integers and text)."""
    conn = s.connection()
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    args = tuple(params[name] for name in compiled.positiontup or ())
    cur = conn.connection.driver_connection.cursor()
    try:
        return cur.execute(str(compiled), args).fetchall()
    finally:
        cur.close()
