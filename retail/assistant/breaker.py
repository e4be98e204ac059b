"""A circuit breaker around the chat LLM.

closed     every turn tries the LLM; ``failure_threshold`` failures in a row open it.
open       turns skip the LLM (the grounded fallback answers at once) for ``cooldown_s``.
half-open  after the cool-down one turn at a time probes the LLM: a success closes the
           breaker, a failure opens it for another cool-down.

Failures are errors, time-outs to the first token and overload refusals: all
mean the shopper would have waited for nothing. Time comes from a clock
function so tests need not sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class CircuitBreaker:
    CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"

    def __init__(self, failure_threshold: int = 3, cooldown_s: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.failure_threshold, self.cooldown_s, self.clock = failure_threshold, cooldown_s, clock
        self.failures = 0
        self.opened_at: float | None = None
        self.probing = False
        self.transitions: list[tuple[float, str, str]] = []  # (time, state, why)

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return self.CLOSED
        if self.clock() - self.opened_at >= self.cooldown_s:
            return self.HALF_OPEN
        return self.OPEN

    def allow(self) -> bool:
        """May this turn call the LLM? In half-open, only one probe at a time."""
        state = self.state
        if state == self.CLOSED:
            return True
        if state == self.HALF_OPEN and not self.probing:
            self.probing = True
            return True
        return False

    def record_success(self) -> None:
        if self.opened_at is not None:
            self._move(self.CLOSED, "probe succeeded")
        self.failures, self.opened_at, self.probing = 0, None, False

    def record_failure(self, why: str) -> None:
        self.failures += 1
        if self.probing or (self.opened_at is None and self.failures >= self.failure_threshold):
            self.opened_at = self.clock()
            self._move(self.OPEN, why)
        self.probing = False

    def release_probe(self) -> None:
        """A probe that ended without a verdict (the shopper left): let another turn probe."""
        self.probing = False

    def retry_after_s(self) -> float:
        if self.opened_at is None:
            return 0.0
        return max(0.0, self.cooldown_s - (self.clock() - self.opened_at))

    def snapshot(self) -> dict:
        return {"state": self.state, "consecutive_failures": self.failures, "retry_llm_in_s": round(self.retry_after_s(), 1)}

    def _move(self, state: str, why: str) -> None:
        self.transitions.append((time.time(), state, why))
        del self.transitions[:-50]
