"""The SQLite ledger: one connection per request, explicit migrations, transactions."""

import fcntl
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager

import click
import sqlite_utils
from flask import current_app, g
from flask.cli import with_appcontext

from db.migrations import migrate


def connect(path, busy_ms=10000):
    """Open the ledger with a busy timeout, ready for concurrent writers.

    WAL mode is set once, when the ledger is migrated; it stays with the file.
    """
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA wal_autocheckpoint = 10000")
    database = sqlite_utils.Database(conn)
    database.writer_lock = None if path == ":memory:" else f"{path}-writer.lock"
    database.busy_ms = busy_ms
    return database


# Each server thread keeps its connections between requests: opening one costs more
# than most requests, and closing the last one makes SQLite checkpoint the WAL.
_pool = threading.local()
POOL_PER_THREAD = 4


def _pooled(path, busy_ms):
    connections = getattr(_pool, "connections", None)
    if connections is None:
        connections = _pool.connections = OrderedDict()
    database = connections.pop(path, None)
    if database is None:
        database = connect(path, busy_ms)
        if len(connections) >= POOL_PER_THREAD:
            _, oldest = connections.popitem(last=False)
            oldest.conn.close()
    connections[path] = database
    return database


def get_db():
    """The connection of the current request or command, one per request."""
    if "db" not in g:
        config = current_app.config
        busy_ms = int(config["DATABASE_BUSY_MS"])
        g.db = _pooled(config["DATABASE"], busy_ms)
        # A kept connection still waits as long as it was told to, unless the
        # setting changed since.
        if getattr(g.db, "busy_ms", None) != busy_ms:
            g.db.execute(f"PRAGMA busy_timeout = {busy_ms}")
            g.db.busy_ms = busy_ms
    return g.db


def close_db(exc=None):
    """Hand the connection back, never with a transaction left open."""
    database = g.pop("db", None)
    if database is not None and database.conn.in_transaction:
        database.execute("ROLLBACK")


# Writers queue in turn: the threads of one process on a lock, the processes (web
# workers, the outbox worker, an import) on a lock file beside the ledger. Both wake
# a waiter as soon as the writer is done, where SQLite's own busy handler would
# sleep in steps of 1 to 100 ms.
_writers = threading.RLock()
_lock_files = {}
_LOCK_POLL_SECONDS = (0.0002, 0.005)

# Once a wait for the lock has run out, later writers of this process do not wait
# again for a while: each would otherwise hold a server worker for the whole wait
# while texts pile up behind it. They fail at once and their texts are spooled.
_BUSY_BACKOFF_SECONDS = 2.0
_busy_until = 0.0


class LedgerBusy(sqlite3.OperationalError):
    """Another process held the ledger's write lock for longer than we may wait."""


@contextmanager
def _process_lock(database):
    path = getattr(database, "writer_lock", None)
    if path is None:
        yield
        return
    key = (path, os.getpid())
    if key not in _lock_files:
        _lock_files[key] = open(path, "a+b")  # noqa: SIM115 - kept for the process
    lock_file = _lock_files[key]
    _take(lock_file, database.busy_ms / 1000)
    try:
        yield
    finally:
        fcntl.flock(lock_file, fcntl.LOCK_UN)


def _take(lock_file, patience):
    """Take the lock file, waiting at most patience seconds; LedgerBusy if not."""
    global _busy_until
    now = time.monotonic()
    deadline = now if now < _busy_until else now + patience
    pause, longest = _LOCK_POLL_SECONDS
    while True:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                _busy_until = time.monotonic() + _BUSY_BACKOFF_SECONDS
                raise LedgerBusy("database is locked") from None
            time.sleep(pause)
            pause = min(pause * 2, longest)


@contextmanager
def transaction(database):
    """Run a block as one write transaction, taking the write lock up front.

    BEGIN IMMEDIATE makes two webhooks racing on the same provider id queue behind
    each other instead of both reading "not seen yet".
    """
    with _writers, _process_lock(database):
        database.execute("BEGIN IMMEDIATE")
        try:
            yield database
        except BaseException:
            database.execute("ROLLBACK")
            raise
        database.execute("COMMIT")


def insert(database, table, row):
    """Insert one row inside the caller's transaction and return its id."""
    columns = ", ".join(f"[{name}]" for name in row)
    marks = ", ".join("?" for _ in row)
    cursor = database.execute(
        f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(row.values())
    )
    return cursor.lastrowid


def insert_or_ignore(database, table, row):
    """Insert unless a unique key already holds it; return the new id or None."""
    columns = ", ".join(f"[{name}]" for name in row)
    marks = ", ".join("?" for _ in row)
    cursor = database.execute(
        f"INSERT OR IGNORE INTO [{table}] ({columns}) VALUES ({marks})",
        list(row.values()),
    )
    return cursor.lastrowid if cursor.rowcount else None


def update(database, table, row_id, values):
    """Update one row by id inside the caller's transaction."""
    assignments = ", ".join(f"[{name}] = ?" for name in values)
    database.execute(
        f"UPDATE [{table}] SET {assignments} WHERE id = ?", [*values.values(), row_id]
    )


def one(database, sql, params=()):
    """The first row of a statement as a dict, or None.

    The statement is always run to completion, so an UPDATE ... RETURNING never
    leaves its write half-done behind an unread cursor.
    """
    cursor = database.execute(sql, params)
    rows = cursor.fetchall()
    if not rows:
        return None
    columns = [column[0] for column in cursor.description]
    return dict(zip(columns, rows[0], strict=True))


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the ledger's tables."""
    applied = migrate(get_db())
    click.echo(f"Database ready at {current_app.config['DATABASE']} ({applied} new).")


def init_app(app):
    database = connect(app.config["DATABASE"])
    try:
        if app.config["DATABASE"] != ":memory:":
            database.enable_wal()
        migrate(database)
    finally:
        database.conn.close()
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
