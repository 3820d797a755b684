"""Engine creation for the audit database: SQLite (WAL, busy timeout, foreign keys) or
PostgreSQL, chosen by URL."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import weakref
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["make_engine", "normalise_url", "write_lock"]

#: How long a SQLite writer waits for another worker's lock before failing, in ms.
SQLITE_BUSY_TIMEOUT_MS = 10_000


class _SqliteWriteLock:
    """One writer at a time across threads (a mutex) and processes (``flock`` on a file
    beside the database).

    SQLite allows one writer; left to its busy handler, waiting writers sleep 1, 2, 5, 10,
    ... ms between retries and the unlucky ones starve, which made p99 latency hundreds of
    ms under load. A blocking ``flock`` wakes the next writer as soon as the lock is free.
    """

    def __init__(self, lock_path: str | None) -> None:
        self._mutex = threading.Lock()
        self._path = lock_path
        self._fd: int | None = None

    def __enter__(self) -> None:
        self._mutex.acquire()
        if self._path is None:
            return
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except OSError:
            # No lock file (read-only directory...): SQLite's own locking still applies.
            pass

    def __exit__(self, *exc: object) -> None:
        try:
            if self._fd is not None:
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


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer, so several workers can share the file;
    # synchronous=NORMAL is durable across application crashes in WAL mode and keeps
    # a commit cheap; busy_timeout makes a worker wait for the lock instead of failing.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine for the audit database.

    Parameters are hidden from SQLAlchemy's error messages: they hold hashes of concern
    text and redacted text, which must never reach a log.
    """
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            hide_parameters=True,
            pool_size=pool_size,
            max_overflow=20,
            pool_pre_ping=False,
            connect_args={
                "check_same_thread": False,
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                # The driver opens write transactions with BEGIN IMMEDIATE (before the
                # first INSERT/UPDATE), so a writer takes the lock up front and waits for
                # it, instead of failing on a stale read snapshot.
                "isolation_level": "IMMEDIATE",
            },
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # Writers queue on our lock rather than on SQLite's busy handler (see below).
        database = parsed.database or ""
        file_backed = database not in ("", ":memory:") and not database.startswith("file:")
        _WRITE_LOCKS[engine] = _SqliteWriteLock(f"{database}-writelock" if file_backed else None)
        return engine
    return create_engine(
        url,
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=20,
        pool_pre_ping=True,
    )


def write_lock(engine: Engine) -> contextlib.AbstractContextManager[Any]:
    """The writers' lock for ``engine`` (SQLite: threads and processes), or a no-op
    (PostgreSQL, which has row locks)."""
    lock = _WRITE_LOCKS.get(engine)
    return lock if lock is not None else contextlib.nullcontext()
