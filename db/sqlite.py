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

try:                                    # SQLCipher (encryption at rest): the driver of encrypted ledgers
    from sqlcipher3 import dbapi2 as cipher
except ImportError:  # pragma: no cover - a pinned dependency; without it encrypted ledgers cannot open
    cipher = None

# The errors of both drivers: a plain ledger opens with Python's sqlite3, an encrypted one with
# sqlcipher3 (its own exception classes, the same SQLite result codes).
Error: tuple[type[Exception], ...] = (sqlite3.Error,) + ((cipher.Error,) if cipher is not None else ())
DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError,) + (
    (cipher.DatabaseError,) if cipher is not None else ())

# Applied to every connection (RELIABILITY.md T11). trusted_schema=OFF: no function in a view or
# trigger of a file someone sent us runs with our privileges.
PRAGMAS = ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL", "busy_timeout=5000",
           "secure_delete=ON", "trusted_schema=OFF")


def connect(path, *, read_only: bool = False, key: bytes | None = None) -> sqlite3.Connection:
    """Every connection to a ledger file is made here: the engine's pool (db.engine.make_engine),
    the checks on open, backups and restores.

    `read_only` opens the file without ever writing to it (checks of a file that may be damaged).
    `key` (32 bytes, db.access.keys) opens an encrypted ledger: the connection is SQLCipher's and
    `PRAGMA key` is its first statement (apply_key) — nothing else in the app opens the file.
    """
    uri = f"file:{_uri_path(path)}{'?mode=ro' if read_only else ''}"
    conn = driver(key).connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    try:
        apply_key(conn, key)
    except BaseException:
        conn.close()
        raise
    return conn


def driver(key: bytes | None):
    """The DBAPI module for a ledger with or without a key."""
    if key is None:
        return sqlite3
    if cipher is None:  # pragma: no cover - sqlcipher3 is a pinned dependency
        from db.errors import LedgerError  # noqa: PLC0415 - start-up: only on a broken install
        raise LedgerError("这个数据库是加密的，但本机缺少加密组件 sqlcipher3，请重新安装助学台账")
    return cipher


def apply_key(conn, key: bytes | None) -> None:
    """The encryption key, before any other statement: a raw 256-bit key (no passphrase derivation on
    every connection; the key is derived once, db.access.keys). SQLCipher's own log of a failed
    page check is silenced: a wrong key is reported by the app, not as lines on stderr."""
    if key is None:
        return
    if len(key) != 32:
        raise ValueError("the data key has 32 bytes")
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")


def export_encrypted(plain_path, target, key: bytes) -> None:
    """A plain ledger copied into a new encrypted file (SQLCipher's sqlcipher_export: the backup API
    cannot copy between a plain and an encrypted database). `target` must not exist."""
    conn = cipher.connect(f"file:{_uri_path(plain_path)}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("ATTACH DATABASE ? AS enc KEY \"x'" + key.hex() + "'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('enc')")
        conn.execute("DETACH DATABASE enc")
    finally:
        conn.close()


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
