"""Latency budgets and admission control for the request path; no Ray needed.

* ``Deadline``: a request's budget from its endpoint's SLO; every stage gets
  what remains.
* ``AdaptiveConcurrencyLimit``: how many requests the ingress lets in at once.
  AIMD on latency, as TCP and Envoy's adaptive concurrency filter do: while the
  mandatory stages answer within their share of the SLO the limit grows by
  about one per round trip; when they do not, it shrinks by a fifth (at most
  once per ``decrease_interval_s``). A request over the limit is refused at
  once, which is the fast "try again" a shopper is better served by than a
  20-second wait. The limit finds the machine's capacity by itself, so the
  same config holds on 2 CPU cores and on a GPU node.
* ``StageLatency``: what an optional stage (the cross-encoder) will cost now:
  its recent cost per item times the items queued ahead plus its own. The
  caller skips the stage before it queues when that exceeds the budget left.
* ``ClientRateLimit``: a token bucket per client, for 429s.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict


class Deadline:
    def __init__(self, budget_s: float, now: float | None = None):
        self.start = time.monotonic() if now is None else now
        self.at = self.start + budget_s

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.start


class AdaptiveConcurrencyLimit:
    def __init__(self, target_latency_s: float, initial: int = 8, min_limit: int = 2, max_limit: int = 512,
                 decrease_factor: float = 0.8, decrease_interval_s: float = 0.1):
        self.target_latency_s = target_latency_s
        self.limit = float(initial)
        self.min_limit, self.max_limit = min_limit, max_limit
        self.decrease_factor, self.decrease_interval_s = decrease_factor, decrease_interval_s
        self.inflight = 0
        self._last_decrease = -math.inf

    def try_acquire(self) -> bool:
        if self.inflight >= int(self.limit):
            return False
        self.inflight += 1
        return True

    def release(self, latency_s: float | None) -> None:
        """One admitted request has left the mandatory stages after `latency_s` (None: no sample, e.g. the
        client went away). The limit grows only while it is being used, so a quiet spell does not open it wide."""
        busy = self.inflight >= self.limit / 2
        self.inflight -= 1
        if latency_s is None:
            return
        now = time.monotonic()
        if latency_s > self.target_latency_s:
            if now - self._last_decrease >= self.decrease_interval_s:
                self.limit = max(self.min_limit, self.limit * self.decrease_factor)
                self._last_decrease = now
        elif busy:
            self.limit = min(self.max_limit, self.limit + 1.0 / self.limit)


class StageLatency:
    """What a call to a stage whose cost grows with its items (pairs scored) will take now.

    The stage reports each batch's service time and item count; the cost per
    item is a moving average. A new call waits for the items already in flight
    and then its own, as a stage on a CPU does (batching buys little there; on
    a GPU the estimate errs on the safe side). A call that missed its deadline
    raises the estimate by half, so one slow spell makes the next calls skip
    rather than queue behind work that is still running."""

    def __init__(self, initial_per_item_s: float = 0.002, alpha: float = 0.2, timeout_penalty: float = 1.5,
                 probe_interval_s: float = 1.0):
        self.per_item_s, self.alpha, self.timeout_penalty = initial_per_item_s, alpha, timeout_penalty
        self.probe_interval_s = probe_interval_s
        self.items_inflight = 0
        self.last_call = -math.inf

    def predicted_s(self, items: int) -> float:
        return (self.items_inflight + items) * self.per_item_s

    def admits(self, items: int, remaining_s: float, now: float | None = None) -> bool:
        """Whether a call of `items` fits in `remaining_s`. When it does not, an idle stage still gets
        one probe a `probe_interval_s`, so an estimate raised by a slow spell can come down again."""
        now = time.monotonic() if now is None else now
        if remaining_s <= 0:
            return False
        if self.predicted_s(items) <= remaining_s or (
            self.items_inflight == 0 and now - self.last_call >= self.probe_interval_s
        ):
            self.last_call = now
            return True
        return False

    def observe(self, service_s: float, items: int) -> None:
        measured = service_s / max(1, items)
        if measured < self.per_item_s / 2:  # recovering from a slow spell: believe the measurement
            self.per_item_s = measured
        else:
            self.per_item_s += self.alpha * (measured - self.per_item_s)

    def missed_deadline(self) -> None:
        self.per_item_s = min(self.per_item_s * self.timeout_penalty, 1.0)


class ClientRateLimit:
    """Token bucket per client id: `rate_per_s` sustained, `burst` at once. Least recently seen clients are forgotten."""

    def __init__(self, rate_per_s: float, burst: int, max_clients: int = 100_000):
        self.rate, self.burst, self.max_clients = rate_per_s, burst, max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        allowed = tokens >= 1.0
        self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return allowed

    def retry_after_s(self) -> int:
        return max(1, math.ceil(1.0 / self.rate))
