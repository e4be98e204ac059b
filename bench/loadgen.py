"""The open-loop HTTP sender shared by the load benchmarks.

Open loop: request i leaves at its scheduled time whether or not earlier ones
have answered, and its latency counts from that scheduled time, so a slow
server cannot hide its queue by slowing the client down (no coordinated
omission). One asyncio client with a pool large enough that no request waits
for a connection; each request records how late it actually left, so a run
can tell when the generator itself fell behind.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import Callable

import httpx

LATE_S = 0.010  # sent more than this after its schedule: the generator, not the server, was slow


@dataclass
class Outcome:
    """One request: when it was due, how late it left, what came back."""

    late_s: float  # actual send - scheduled send
    latency_s: float  # answer (or give-up) - scheduled send
    status: int | None = None  # None: no HTTP answer (see error)
    error: str | None = None  # "timeout" (client gave up) or the transport error's class name
    retry_after: str | None = None
    body: dict | None = None  # parsed JSON of a 200


def schedule(rate: float, duration_s: float, poisson: bool = False, seed: int = 0) -> list[float]:
    """Send offsets in seconds: evenly spaced at 1/rate, or Poisson arrivals (exponential gaps)."""
    if not poisson:
        return [i / rate for i in range(int(rate * duration_s))]
    rng, offsets, t = random.Random(seed), [], 0.0
    while (t := t + rng.expovariate(rate)) < duration_s:
        offsets.append(t)
    return offsets


def client(base_url: str, timeout_s: float = 60) -> httpx.AsyncClient:
    """One keep-alive client for a whole run; its pool never makes a request wait for a connection."""
    limits = httpx.Limits(max_connections=4096, max_keepalive_connections=4096)
    return httpx.AsyncClient(base_url=base_url, timeout=timeout_s, limits=limits)


async def open_loop(http: httpx.AsyncClient, path: str, body: Callable[[int], dict], offsets: list[float],
                    timeout_s: float = 60) -> tuple[list[Outcome], float]:
    """POST body(i) to path at t0 + offsets[i]; returns the outcomes and the wall time until the last one ended.

    timeout_s counts from the scheduled send, like the latency: a shopper waits
    from when they asked, not from when an overloaded client got round to it."""

    async def one(i: int, scheduled: float) -> Outcome:
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        late = time.perf_counter() - scheduled
        try:
            left_s = max(0.001, scheduled + timeout_s - time.perf_counter())
            response = await asyncio.wait_for(http.post(path, json=body(i)), timeout=left_s)
        except (asyncio.TimeoutError, httpx.TimeoutException):
            return Outcome(late, time.perf_counter() - scheduled, error="timeout")
        except httpx.HTTPError as exc:
            return Outcome(late, time.perf_counter() - scheduled, error=type(exc).__name__)
        outcome = Outcome(late, time.perf_counter() - scheduled, response.status_code,
                          retry_after=response.headers.get("retry-after"))
        if response.status_code == 200:
            outcome.body = response.json()
        return outcome

    t0 = time.perf_counter() + 0.05  # let every task be created before the first one is due
    outcomes = await asyncio.gather(*(one(i, t0 + offset) for i, offset in enumerate(offsets)))
    return list(outcomes), time.perf_counter() - t0


async def closed_loop(http: httpx.AsyncClient, path: str, body: Callable[[int], dict], concurrency: int,
                      duration_s: float) -> tuple[int, int, float]:
    """`concurrency` workers each send their next request when the last answers, for duration_s.

    It finds the ceiling, which an open loop at a guessed rate would not.
    Returns (answered with 200, other answers or errors, wall seconds)."""
    counts, sent = [0, 0], 0
    deadline = time.perf_counter() + duration_s

    async def worker() -> None:
        nonlocal sent
        while time.perf_counter() < deadline:
            sent += 1
            try:
                ok = (await http.post(path, json=body(sent))).status_code == 200
            except httpx.HTTPError:
                ok = False
            counts[0 if ok else 1] += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return counts[0], counts[1], time.perf_counter() - started
