"""The open-loop HTTP sender shared by the load benchmarks.

Open loop: request i leaves at its scheduled time whether or not earlier ones
have answered, and its latency counts from that scheduled time, so a slow
server cannot hide its queue by slowing the client down (no coordinated
omission). One asyncio client with a pool large enough that no request waits
for a connection; each request records how late it actually left, so a run
can tell when the generator itself fell behind.

A run is a list of `Call`s (path, JSON body, streamed or not) and their send
offsets from `schedule`. `send` drives them from one event loop: a single
dispatcher wakes at each send time and starts that request as its own task, so
a stalled answer never delays the next send. `send_parallel` splits the same
schedule over worker processes (every k-th request each, one shared start)
when one loop cannot keep up; `Outcome.kind` sorts what came back into ok,
refused, error and timeout. `noop_server` answers everything at once, so a
run against it measures the sender alone (bench.load --self-test).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import multiprocessing
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

import httpx

LATE_S = 0.010  # sent more than this after its schedule: the generator, not the server, was slow
REFUSED = (503, 429)  # the server said "not now" (overload, rate limit): counted apart from errors
START_DELAY_S = 0.05  # between building the run and its first send, so the first request is not already late
POOL_SHARDS = 32  # connection pools per client (ShardedTransport)


@dataclass(frozen=True)
class Call:
    """One request to send: POST path with a JSON body; `stream`: the answer is server-sent events (chat)."""

    path: str  # relative to the client's base URL, or absolute
    body: dict
    target: str = ""  # what it exercises ("search", "chat", ...): results are broken down by it
    stream: bool = False


@dataclass
class Outcome:
    """One request: when it was due, how late it left, what came back."""

    late_s: float  # actual send - scheduled send
    latency_s: float  # answer (or give-up) - scheduled send; streamed: the end of the stream
    status: int | None = None  # None: no HTTP answer (see error)
    error: str | None = None  # "timeout" (client gave up), the transport error's class name, or a broken stream
    retry_after: str | None = None
    body: dict | None = None  # parsed JSON of a 200, when the run keeps bodies
    target: str = ""
    ttft_s: float | None = None  # streamed: first non-empty content delta - scheduled send
    chunks: int = 0  # streamed: content deltas received

    @property
    def kind(self) -> str:
        """ok (2xx, complete), refused (503/429), timeout (the client gave up) or error (anything else)."""
        if self.error == "timeout":
            return "timeout"
        if self.status in REFUSED:
            return "refused"
        if self.status is not None and 200 <= self.status < 300 and self.error is None:
            return "ok"
        return "error"

    @property
    def error_label(self) -> str | None:
        """What went wrong, for a count by cause: the status code, or the error's name."""
        if self.kind != "error":
            return None
        return self.error or str(self.status)


def schedule(rate: float, duration_s: float, poisson: bool = False, seed: int = 0) -> list[float]:
    """Send offsets in seconds: evenly spaced at 1/rate, or Poisson arrivals (exponential gaps)."""
    if not poisson:
        return [i / rate for i in range(int(round(rate * duration_s, 9)))]
    rng, offsets, t = random.Random(seed), [], 0.0
    while (t := t + rng.expovariate(rate)) < duration_s:
        offsets.append(t)
    return offsets


class ShardedTransport(httpx.AsyncBaseTransport):
    """Requests spread round-robin over several connection pools.

    httpcore's pool does work on every request that grows with the requests in
    flight times its connections: at 64 in flight one pool costs about 8x the
    CPU per request of 8 pools (measured on the no-op server, see --self-test),
    and a server stall, which piles requests up, would make the generator
    itself fall behind just when its schedule matters."""

    def __init__(self, shards: int, limits: httpx.Limits):
        tls = httpx.create_ssl_context()  # one for all: each pool loading the CA bundle costs ~30 ms of CPU
        self._pools = [httpx.AsyncHTTPTransport(verify=tls, limits=limits) for _ in range(shards)]
        self._turn = itertools.count()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._pools[next(self._turn) % len(self._pools)].handle_async_request(request)

    async def aclose(self) -> None:
        for pool in self._pools:
            await pool.aclose()


def client(base_url: str, timeout_s: float = 60, shards: int = POOL_SHARDS) -> httpx.AsyncClient:
    """One keep-alive client for a whole run; its pools never make a request wait for a connection."""
    limits = httpx.Limits(max_connections=4096 // shards, max_keepalive_connections=4096 // shards)
    return httpx.AsyncClient(base_url=base_url, timeout=timeout_s, transport=ShardedTransport(shards, limits))


async def _read(http: httpx.AsyncClient, call: Call, outcome: Outcome, keep_body: bool) -> None:
    response = await http.post(call.path, json=call.body)
    outcome.status, outcome.retry_after = response.status_code, response.headers.get("retry-after")
    if keep_body and response.status_code == 200:
        try:
            outcome.body = response.json()
        except ValueError:
            outcome.error = "invalid_json"


async def _read_stream(http: httpx.AsyncClient, call: Call, outcome: Outcome, due: float) -> None:
    """An OpenAI-style SSE answer: TTFT at the first non-empty content delta; complete at ``data: [DONE]``."""
    async with http.stream("POST", call.path, json=call.body) as response:
        outcome.status, outcome.retry_after = response.status_code, response.headers.get("retry-after")
        if response.status_code != 200:
            await response.aread()
            return
        async for line in response.aiter_lines():
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                return
            try:
                delta = json.loads(data)["choices"][0].get("delta") or {}
            except (ValueError, KeyError, IndexError, TypeError, AttributeError):
                outcome.error = "invalid_chunk"
                return
            if delta.get("content"):
                outcome.chunks += 1
                if outcome.ttft_s is None:
                    outcome.ttft_s = time.perf_counter() - due
        outcome.error = "incomplete_stream"  # the answer ended without [DONE]


async def _one(http: httpx.AsyncClient, call: Call, due: float, timeout_s: float, keep_body: bool) -> Outcome:
    """Send one call now (it was due at `due`); timeout_s counts from `due`, like the latency."""
    outcome = Outcome(time.perf_counter() - due, 0.0, target=call.target)
    try:
        async with asyncio.timeout(max(0.001, due + timeout_s - time.perf_counter())):
            if call.stream:
                await _read_stream(http, call, outcome, due)
            else:
                await _read(http, call, outcome, keep_body)
    except (TimeoutError, httpx.TimeoutException):
        outcome.error = "timeout"
    except httpx.HTTPError as exc:
        outcome.error = type(exc).__name__
    outcome.latency_s = time.perf_counter() - due
    return outcome


async def send(http: httpx.AsyncClient, calls: Sequence[Call], offsets: Sequence[float], timeout_s: float = 60,
               keep_body: bool = False, t0: float | None = None) -> tuple[list[Outcome], float]:
    """Send calls[i] at t0 + offsets[i] (perf_counter clock; default: just after now), open loop.

    Returns the outcomes, in the order of `calls`, and the wall time from t0
    until the last one ended. timeout_s counts from the scheduled send: a
    shopper waits from when they asked, not from when an overloaded client got
    round to it."""
    if len(calls) != len(offsets):
        raise ValueError(f"{len(calls)} calls for {len(offsets)} send times")
    t0 = time.perf_counter() + START_DELAY_S if t0 is None else t0
    tasks = []
    for call, offset in zip(calls, offsets):
        due = t0 + offset
        await asyncio.sleep(max(0.0, due - time.perf_counter()))  # 0 when behind: still let started requests run
        tasks.append(asyncio.create_task(_one(http, call, due, timeout_s, keep_body)))
    outcomes = await asyncio.gather(*tasks)
    return list(outcomes), time.perf_counter() - t0


async def open_loop(http: httpx.AsyncClient, path: str, body: Callable[[int], dict], offsets: list[float],
                    timeout_s: float = 60) -> tuple[list[Outcome], float]:
    """POST body(i) to path at t0 + offsets[i]; returns the outcomes (with the JSON of each 200) and the wall
    time until the last one ended."""
    return await send(http, [Call(path, body(i)) for i in range(len(offsets))], offsets, timeout_s, keep_body=True)


async def _send_from(base_url: str, calls: Sequence[Call], offsets: Sequence[float], timeout_s: float,
                     keep_body: bool) -> tuple[list[Outcome], float]:
    async with client(base_url, timeout_s) as http:
        return await send(http, calls, offsets, timeout_s, keep_body)


def send_parallel(base_url: str, calls: Sequence[Call], offsets: Sequence[float], timeout_s: float = 60,
                  workers: int = 1, keep_body: bool = False) -> tuple[list[Outcome], float]:
    """`send` from `workers` processes, each every workers-th request of the one schedule, from one shared start.

    One process: `send` in this one. More: each worker starts its loop and
    client, says ready, and all begin at the same wall-clock instant, so the
    merged schedule is the one asked for. Outcomes come back in call order."""
    if workers <= 1:
        return asyncio.run(_send_from(base_url, calls, offsets, timeout_s, keep_body))
    context = multiprocessing.get_context("spawn")  # no forked copy of the parent's event loop or threads
    pipes, processes = [], []
    try:
        for k in range(workers):
            parent, child = context.Pipe()
            process = context.Process(target=_worker, daemon=True, name=f"loadgen-{k}",
                                      args=(child, base_url, list(calls[k::workers]), list(offsets[k::workers]),
                                            timeout_s, keep_body))
            process.start()
            pipes.append(parent)
            processes.append(process)
        for pipe in pipes:
            pipe.recv()  # "ready"
        start_at = time.time() + 0.5  # every worker past pipe.recv() and into its loop by then
        for pipe in pipes:
            pipe.send(start_at)
        results = [pipe.recv() for pipe in pipes]
    except EOFError:
        raise RuntimeError("a load generator worker process died (see its traceback above)") from None
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():  # only after a failure: a healthy worker has sent its results and exited
                process.terminate()
    outcomes: list = [None] * len(calls)
    for k, (part, _) in enumerate(results):
        outcomes[k::workers] = part
    return outcomes, max(wall for _, wall in results)


async def _first_request_here() -> None:
    """One request to a throwaway no-op server in this process: the first request a process makes pays for
    imports and set-up (anyio's backend, the resolver thread: 30-300 ms), which must not land on a schedule."""
    server = await asyncio.start_server(_noop_connection, "127.0.0.1", 0)
    async with server, client(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", 10, shards=1) as http:
        await http.post("/", json={})


def _worker(pipe, base_url: str, calls: list[Call], offsets: list[float], timeout_s: float, keep_body: bool) -> None:
    async def run() -> tuple[list[Outcome], float]:
        await _first_request_here()
        async with client(base_url, timeout_s) as http:
            pipe.send("ready")
            start_at = pipe.recv()
            t0 = time.perf_counter() + (start_at - time.time())  # the shared instant, on this process's clock
            return await send(http, calls, offsets, timeout_s, keep_body, t0)

    pipe.send(asyncio.run(run()))


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


# -- a server that does nothing: what the sender alone can sustain (bench.load --self-test) -----------
NOOP_BODY = b'{"ok": true, "pad": "' + b"x" * 1000 + b'"}'  # about the size of a small search answer
NOOP_RESPONSE = (b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                 + str(len(NOOP_BODY)).encode() + b"\r\n\r\n" + NOOP_BODY)


async def _noop_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """HTTP/1.1 keep-alive, every request answered 200 at once; bodies by content-length (what httpx sends)."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            writer.write(NOOP_RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        pass
    finally:
        writer.close()


def _serve_noop(pipe) -> None:
    async def serve() -> None:
        server = await asyncio.start_server(_noop_connection, "127.0.0.1", 0, backlog=4096)
        pipe.send(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(serve())


@contextmanager
def noop_server() -> Iterator[str]:
    """A no-op HTTP server on 127.0.0.1, a free port, in its own process (it does not share the sender's loop)."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_serve_noop, args=(child,), daemon=True, name="noop-http")
    process.start()
    try:
        deadline = time.monotonic() + 60
        while not parent.poll(0.2):
            if not process.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the no-op server did not start (see its traceback above)")
        yield f"http://127.0.0.1:{parent.recv()}"
    finally:
        process.terminate()
        process.join(5)
