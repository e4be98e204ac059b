"""The event store's Redis backend: for several replicas or nodes sharing one event log.

Keys (all under a prefix, ``retail:`` by default):
    events                  Stream: the log, one entry per event, the record as JSON in field "e"
    ev:id:<event_id>        set once per event id: a retried event is reported as a duplicate, never counted twice
    user:<user_id>:events   List: a shopper's latest USER_EVENTS_KEPT events as JSON, newest first
    shopper:<user_id>       Hash: a shopper's counters (n_<type>) and the time of their newest event (last_ts)
    pop:<day>:<type>        Sorted set: per product, events of a type on a day (day = floor(epoch / 86400))
    days                    Sorted set: the days that have popularity counts (score = member = day)
    latest_ts               the newest event's time

A batch is written by one Lua script, which Redis runs atomically: no other
client sees part of a batch. The records are checked here before the script
runs, so the script does not fail half way.

Durability: Redis answers before its append-only file reaches the disk unless
it runs with ``appendonly yes`` and ``appendfsync always``; the store checks
this when it opens and says so (``durable``, ``info()``, a warning).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis

from retail.recommend.events import EVENT_TYPES
from retail.recommend.store import RECORD_FIELDS, USER_EVENTS_KEPT

log = logging.getLogger(__name__)

DAY_S = 86400

# KEYS: 1 stream, 2 days, 3 latest_ts, then per record i (from 0) at 4 + 4i: id key, user list, shopper hash,
#       popularity key (a placeholder when the record has no product).
# ARGV: 1 events kept per shopper, then per record i at 2 + 5i: JSON, type, timestamp, product_id or "", day.
# Returns per record 1 (written) or 0 (its id was stored already).
_APPEND_LUA = """
local kept = tonumber(ARGV[1])
local n = (#KEYS - 3) / 4
local fresh = {}
local stored_latest = redis.call('GET', KEYS[3])
local latest = stored_latest and tonumber(stored_latest) or nil
local latest_text = nil
for i = 0, n - 1 do
  local k = 4 + 4 * i
  local a = 2 + 5 * i
  if redis.call('SET', KEYS[k], '1', 'NX') then
    local record, kind, ts, product, day = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
    local t = tonumber(ts)
    redis.call('XADD', KEYS[1], '*', 'e', record)
    redis.call('LPUSH', KEYS[k + 1], record)
    redis.call('LTRIM', KEYS[k + 1], 0, kept - 1)
    redis.call('HINCRBY', KEYS[k + 2], 'n_' .. kind, 1)
    local last = redis.call('HGET', KEYS[k + 2], 'last_ts')
    if not last or tonumber(last) < t then
      redis.call('HSET', KEYS[k + 2], 'last_ts', ts)
    end
    if product ~= '' then
      redis.call('ZINCRBY', KEYS[k + 3], 1, product)
      redis.call('ZADD', KEYS[2], day, day)
    end
    if latest == nil or latest < t then
      latest = t
      latest_text = ts
    end
    fresh[i + 1] = 1
  else
    fresh[i + 1] = 0
  end
end
if latest_text then
  redis.call('SET', KEYS[3], latest_text)
end
return fresh
"""


def _redacted(url: str) -> str:
    """The URL without its password (in the user part or as a query parameter)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}@{host}" if user else host
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "password"])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _check(index: int, record: dict) -> dict:
    """The record with every field, or ValueError naming what is wrong (before anything is written)."""
    r = {f: record.get(f) for f in RECORD_FIELDS}
    for field in ("event_id", "user_id"):
        if not isinstance(r[field], str) or not r[field]:
            raise ValueError(f"records[{index}].{field}: a non-empty string is required")
    if r["type"] not in EVENT_TYPES:
        raise ValueError(f"records[{index}].type: {r['type']!r} is not one of {', '.join(EVENT_TYPES)}")
    for field in ("product_id", "session_id"):
        if r[field] is not None and (not isinstance(r[field], str) or not r[field]):
            raise ValueError(f"records[{index}].{field}: a non-empty string or None is required")
    if r["text"] is not None and not isinstance(r["text"], str):
        raise ValueError(f"records[{index}].text: a string or None is required")
    if r["rating"] is not None and (isinstance(r["rating"], bool) or not isinstance(r["rating"], int)):
        raise ValueError(f"records[{index}].rating: an integer or None is required")
    ts = r["timestamp"]
    if isinstance(ts, bool) or not isinstance(ts, (int, float)) or not math.isfinite(ts):
        raise ValueError(f"records[{index}].timestamp: a finite number (epoch seconds) is required")
    r["timestamp"] = float(ts)
    return r


class RedisEventStore:
    def __init__(self, url: str, prefix: str = "retail:"):
        self.url = url
        self.prefix = prefix
        self._redis = redis.Redis.from_url(url, decode_responses=True)
        self._append = self._redis.register_script(_APPEND_LUA)
        self.durable = self._check_durability()

    def _key(self, *parts: object) -> str:
        return self.prefix + ":".join(str(p) for p in parts)

    def _check_durability(self) -> bool | None:
        where = _redacted(self.url)
        try:
            appendonly = self._redis.config_get("appendonly").get("appendonly")
            appendfsync = self._redis.config_get("appendfsync").get("appendfsync")
        except redis.ResponseError as e:  # CONFIG disabled or renamed (managed Redis), or not permitted
            log.warning("event store %s: cannot read the Redis configuration (%s); an acknowledged event is durable"
                        " only if the server runs with appendonly yes and appendfsync always", where, e)
            return None
        durable = appendonly == "yes" and appendfsync == "always"
        if not durable:
            log.warning("event store %s is not durable (appendonly %s, appendfsync %s): Redis acknowledges before"
                        " the disk write, so a crash can lose accepted events; configure appendonly yes and"
                        " appendfsync always", where, appendonly, appendfsync)
        return durable

    def info(self) -> dict:
        return {"backend": "redis", "url": _redacted(self.url), "prefix": self.prefix, "durable": self.durable,
                "events": self.count()}

    def append(self, records: list[dict]) -> list[bool]:
        checked = [_check(i, r) for i, r in enumerate(records)]
        if not checked:
            return []
        keys = [self._key("events"), self._key("days"), self._key("latest_ts")]
        args: list[object] = [USER_EVENTS_KEPT]
        for r in checked:
            day = math.floor(r["timestamp"] / DAY_S)
            id_key = self._key("ev", "id", r["event_id"])
            keys += [id_key, self._key("user", r["user_id"], "events"), self._key("shopper", r["user_id"]),
                     self._key("pop", day, r["type"]) if r["product_id"] else id_key]
            args += [json.dumps(r, separators=(",", ":")), r["type"], repr(r["timestamp"]), r["product_id"] or "",
                     day]
        return [flag == 1 for flag in self._append(keys=keys, args=args)]

    def user_events(self, user_id: str, limit: int = 200) -> list[dict]:
        n = min(limit, USER_EVENTS_KEPT)
        if n <= 0:
            return []
        rows = [json.loads(s) for s in self._redis.lrange(self._key("user", user_id, "events"), 0, n - 1)]
        return sorted(rows[::-1], key=lambda r: r["timestamp"])

    def popularity(self, since: float) -> dict[str, dict[str, int]]:
        # Counts are kept per day, so this is day-granular: the whole day holding `since` counts (a profile's
        # "this week" does not need finer).
        days = self._redis.zrangebyscore(self._key("days"), math.floor(since / DAY_S), "+inf")
        if not days:
            return {}
        pipe = self._redis.pipeline(transaction=False)
        slots = [(day, kind) for day in days for kind in EVENT_TYPES]
        for day, kind in slots:
            pipe.zrange(self._key("pop", day, kind), 0, -1, withscores=True)
        counts: dict[str, dict[str, int]] = {}
        for (_, kind), members in zip(slots, pipe.execute()):
            for product_id, n in members:
                by_type = counts.setdefault(product_id, {})
                by_type[kind] = by_type.get(kind, 0) + int(n)
        return counts

    def latest_timestamp(self) -> float | None:
        value = self._redis.get(self._key("latest_ts"))
        return None if value is None else float(value)

    def scan(self, batch: int = 10_000) -> Iterator[dict]:
        start = "-"
        while True:
            entries = self._redis.xrange(self._key("events"), min=start, max="+", count=batch)
            if not entries:
                return
            start = "(" + entries[-1][0]
            for _, fields in entries:
                yield json.loads(fields["e"])

    def read_after(self, cursor: str | None, limit: int = 5000) -> tuple[list[dict], str | None]:
        entries = self._redis.xrange(self._key("events"), min="(" + cursor if cursor else "-", max="+", count=limit)
        if not entries:
            return [], cursor
        return [json.loads(fields["e"]) for _, fields in entries], entries[-1][0]

    def count(self) -> int:
        return self._redis.xlen(self._key("events"))

    def close(self) -> None:
        self._redis.close()
