"""Engine creation for the audit database: SQLite (WAL, busy timeout, foreign keys) or
PostgreSQL, chosen by URL.

Every wait is bounded by the engine's ``timeout`` (``AUDIT_TIMEOUT_SECONDS``): the
writers' lock, SQLite's busy handler, a PostgreSQL lock (``lock_timeout``), and a pooled
connection; past it the caller gets an error it turns into 503. A connection that failed
because the file was read-only or the disk failed is discarded, never handed out again:
SQLite keeps a connection opened on a read-only file read-only for its whole life, so
without this the trail would stay broken after the file is writable again.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
import weakref
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import ExceptionContext, make_url

__all__ = [
    "DEFAULT_TIMEOUT_SECONDS",
    "AuditLockTimeout",
    "make_engine",
    "normalise_url",
    "write_lock",
]

#: The default bound on every wait of the audit database (``AUDIT_TIMEOUT_SECONDS``).
DEFAULT_TIMEOUT_SECONDS = 1.5
#: SQLite result codes (primary, the low byte) after which a connection is not reused:
#: READONLY (opened on a read-only file, it stays so), IOERR, CANTOPEN.
_DISCARD_SQLITE_CODES = frozenset({8, 10, 14})


class AuditLockTimeout(sa_exc.TimeoutError):
    """The writers' lock was not free within the engine's timeout."""


class _SqliteWriteLock:
    """One writer at a time across threads (a mutex) and processes (``flock`` on a file
    beside the database).

    SQLite allows one writer; left to its busy handler, waiting writers sleep 1, 2, 5, 10,
    ... ms between retries and the unlucky ones starve, which made p99 latency hundreds of
    ms under load. The file lock is polled (``LOCK_NB``, then sleeps of 0.5 to 2 ms), which
    wakes the next writer within 2 ms of the lock being free; ``flock`` itself has no
    timeout.

    Both waits end after ``timeout`` seconds with :class:`AuditLockTimeout`: a process
    holding the lock (a stuck worker, a backup) makes writers fail fast, not queue for
    ever.
    """

    def __init__(self, lock_path: str | None, *, timeout: float) -> None:
        self._mutex = threading.Lock()
        self._path = lock_path
        self._fd: int | None = None
        self._timeout = timeout
        self._locked = False

    def __enter__(self) -> None:
        deadline = time.monotonic() + self._timeout
        if not self._mutex.acquire(timeout=self._timeout):
            raise AuditLockTimeout("the audit writers' lock is busy")
        self._locked = False
        if self._path is None:
            return
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._flock(self._fd, deadline)
        except AuditLockTimeout:
            self._mutex.release()
            raise
        except OSError:
            # No lock file (read-only directory...): SQLite's own locking still applies.
            pass

    def _flock(self, fd: int, deadline: float) -> None:
        pause = 0.0005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise AuditLockTimeout(
                        "another process holds the audit writers' lock"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.002)
            else:
                self._locked = True
                return

    def __exit__(self, *exc: object) -> None:
        try:
            if self._fd is not None and self._locked:
                self._locked = False
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._mutex.release()


#: Engine -> its write lock (SQLite engines only).
_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, _SqliteWriteLock] = weakref.WeakKeyDictionary()


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy's default is psycopg2)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        # WAL lets readers run beside the one writer, so several workers can share the
        # file; synchronous=NORMAL is durable across application crashes in WAL mode and
        # keeps a commit cheap; busy_timeout makes a worker wait (boundedly) for the lock.
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    return on_connect


def _postgres_timeouts(timeout_ms: int) -> Any:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Set per connection, not in the URL's options (tests put search_path there). Lock
        # waits only: a statement timeout would also cut an auditor's long read; a score's
        # wait for its commit is bounded by the request (``serving.scoring``).
        autocommit = dbapi_conn.autocommit
        dbapi_conn.autocommit = True
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = {timeout_ms}")
        dbapi_conn.autocommit = autocommit

    return on_connect


def _discard_broken_sqlite(context: ExceptionContext) -> None:
    """Treat a read-only, I/O or cannot-open error as a lost connection: SQLAlchemy then
    invalidates it (and the pool's older ones) instead of returning it to the pool."""
    orig = context.original_exception
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in _DISCARD_SQLITE_CODES:
            context.is_disconnect = True


def make_engine(
    url: str, *, pool_size: int = 10, timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> Engine:
    """An engine for the audit database whose every wait ends after ``timeout`` seconds.

    Parameters are hidden from SQLAlchemy's error messages: they hold hashes of concern
    text and redacted text, which must never reach a log.
    """
    url = normalise_url(url)
    parsed = make_url(url)
    timeout_ms = max(1, int(timeout * 1000))
    pooled: dict[str, Any] = {
        "hide_parameters": True,
        "pool_size": pool_size,
        "max_overflow": 20,
        "pool_timeout": timeout,
    }
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            **pooled,
            pool_pre_ping=False,
            connect_args={
                "check_same_thread": False,
                "timeout": timeout,
                # The driver opens write transactions with BEGIN IMMEDIATE (before the
                # first INSERT/UPDATE), so a writer takes the lock up front and waits for
                # it, instead of failing on a stale read snapshot.
                "isolation_level": "IMMEDIATE",
            },
        )
        event.listen(engine, "connect", _sqlite_pragmas(timeout_ms))
        event.listen(engine, "handle_error", _discard_broken_sqlite)
        # Writers queue on our lock rather than on SQLite's busy handler (see below).
        database = parsed.database or ""
        file_backed = database not in ("", ":memory:") and not database.startswith("file:")
        _WRITE_LOCKS[engine] = _SqliteWriteLock(
            f"{database}-writelock" if file_backed else None, timeout=timeout
        )
        return engine
    engine = create_engine(
        url,
        **pooled,
        pool_pre_ping=True,
        connect_args={"connect_timeout": max(1, round(timeout))},
    )
    event.listen(engine, "connect", _postgres_timeouts(timeout_ms))
    return engine


def write_lock(engine: Engine) -> contextlib.AbstractContextManager[Any]:
    """The writers' lock for ``engine`` (SQLite: threads and processes), or a no-op
    (PostgreSQL, which has row locks)."""
    lock = _WRITE_LOCKS.get(engine)
    return lock if lock is not None else contextlib.nullcontext()
