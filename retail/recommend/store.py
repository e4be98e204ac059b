"""The event store: one interface, two backends.

    sqlite:///path/events.db  (or a bare path)  embedded default: no server; WAL with synchronous=FULL, so a
                                                commit is on disk before the 2xx; several processes on one node
    redis://host:port/db                        several replicas or nodes: a Stream is the log, a list per shopper
                                                their recent events, a hash per shopper their counters

Every record carries an ``event_id``; appending one already stored is a no-op
reported as a duplicate, so a client's retry never counts twice.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

RECORD_FIELDS = ("event_id", "user_id", "type", "product_id", "text", "rating", "session_id", "timestamp")
USER_EVENTS_KEPT = 500  # a profile reads at most this many of a shopper's latest events


class EventStore(Protocol):
    url: str

    def append(self, records: list[dict]) -> list[bool]:
        """Write records durably, all or none; per record, whether it was new (False: its id was stored)."""

    def user_events(self, user_id: str, limit: int = 200) -> list[dict]:
        """A shopper's latest events, oldest first."""

    def popularity(self, since: float) -> dict[str, dict[str, int]]:
        """Per product, event counts by type since a time (epoch seconds)."""

    def latest_timestamp(self) -> float | None:
        """The newest event's time: "this week" is measured back from it."""

    def scan(self, batch: int = 10_000) -> Iterator[dict]:
        """Every event in arrival order (training export)."""

    def read_after(self, cursor: str | None, limit: int = 5000) -> tuple[list[dict], str | None]:
        """Events stored after a cursor (None: from the start), in arrival order, and the cursor past them
        (unchanged when there are none): how a follower (the insights deployment) tails the log."""

    def count(self) -> int: ...

    def close(self) -> None: ...


def open_store(url: str | Path) -> EventStore:
    url = str(url)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from retail.recommend.redis_store import RedisEventStore

        return RedisEventStore(url)
    return SQLiteEventStore(url.removeprefix("sqlite://"))


class SQLiteEventStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.url = f"sqlite://{self.path}"
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # in WAL mode: fsync at every commit
        self._db.execute("""CREATE TABLE IF NOT EXISTS events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL,
            type TEXT NOT NULL, product_id TEXT, text TEXT, rating INTEGER, session_id TEXT,
            timestamp REAL NOT NULL, received_at REAL NOT NULL)""")
        self._db.execute("CREATE INDEX IF NOT EXISTS events_by_user ON events (user_id, seq)")
        self._db.execute("CREATE INDEX IF NOT EXISTS events_by_time ON events (timestamp)")

    def append(self, records: list[dict]) -> list[bool]:
        now = time.time()
        fresh = []
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for r in records:
                    # Only a known id is skipped; any other constraint (a missing field) fails the whole batch.
                    cursor = self._db.execute(
                        "INSERT INTO events (event_id, user_id, type, product_id, text, rating, session_id,"
                        " timestamp, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT(event_id) DO NOTHING",
                        (*(r.get(f) for f in RECORD_FIELDS), now))
                    fresh.append(cursor.rowcount == 1)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return fresh

    def _rows(self, sql: str, args: tuple) -> list[dict]:
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [dict(zip(RECORD_FIELDS, row)) for row in rows]

    def user_events(self, user_id: str, limit: int = 200) -> list[dict]:
        columns = ", ".join(RECORD_FIELDS)
        rows = self._rows(f"SELECT {columns} FROM events WHERE user_id = ? ORDER BY seq DESC LIMIT ?",
                          (user_id, min(limit, USER_EVENTS_KEPT)))
        return sorted(rows[::-1], key=lambda r: r["timestamp"])

    def popularity(self, since: float) -> dict[str, dict[str, int]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT product_id, type, COUNT(*) FROM events WHERE timestamp >= ? AND product_id IS NOT NULL"
                " GROUP BY product_id, type", (since,)).fetchall()
        counts: dict[str, dict[str, int]] = {}
        for product_id, kind, n in rows:
            counts.setdefault(product_id, {})[kind] = n
        return counts

    def latest_timestamp(self) -> float | None:
        with self._lock:
            return self._db.execute("SELECT MAX(timestamp) FROM events").fetchone()[0]

    def scan(self, batch: int = 10_000) -> Iterator[dict]:
        last, columns = 0, ", ".join(RECORD_FIELDS)
        while True:
            with self._lock:
                rows = self._db.execute(f"SELECT seq, {columns} FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                                        (last, batch)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            for row in rows:
                yield dict(zip(RECORD_FIELDS, row[1:]))

    def read_after(self, cursor: str | None, limit: int = 5000) -> tuple[list[dict], str | None]:
        columns = ", ".join(RECORD_FIELDS)
        with self._lock:
            rows = self._db.execute(f"SELECT seq, {columns} FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                                    (int(cursor or 0), limit)).fetchall()
        if not rows:
            return [], cursor
        return [dict(zip(RECORD_FIELDS, row[1:])) for row in rows], str(rows[-1][0])

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0]

    def info(self) -> dict:
        return {"backend": "sqlite", "path": str(self.path), "durable": True, "events": self.count()}

    def close(self) -> None:
        with self._lock:
            self._db.close()


def read_event_log(path: str | Path) -> list[dict]:
    """A JSONL event log (optionally .gz), as records."""
    import gzip

    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
