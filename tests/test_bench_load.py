"""The load generator (bench.load, bench.loadgen, bench.reporting) against a small local server, no Ray.

The server runs in a thread of this process (uvicorn on 127.0.0.1, a free
port), so it reads the same perf_counter clock as the client and can record
when each request arrived. Its endpoints: fast 200, one stall that holds every
request arriving during it, 503/429 with Retry-After, 500, a slow one past the
client timeout, an SSE stream, and the app's four API paths, which validate
the bodies with the app's own request schemas. Bounds on time are only those
the constructed delays guarantee, plus generous slack: the machine is shared.
"""

from __future__ import annotations

import asyncio
import json
import math
import socket
import threading
import time
from dataclasses import dataclass, field

import numpy as np
import pytest
import uvicorn
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route

from bench import load, loadgen
from bench.loadgen import Call, Outcome
from bench.reporting import account, percentiles, summarize
from retail.chat_schemas import ChatCompletionRequest
from retail.recommend.events import EventBatch
from retail.recommend.schemas import RecommendRequest
from retail.schemas import SearchRequest

STALL_AT, STALL_S, RATE = 20, 1.0, 20.0  # request 20 (due at 1.0 s) stalls the server for 1 s
SLOW_S = 3.0  # /slow answers after this; the client gives up before
SLOWER_S = 0.2  # the API under /slower answers this much later (the B side of --compare)


@dataclass
class ServerState:
    arrivals: dict[int, float] = field(default_factory=dict)  # request index -> perf_counter when it arrived
    stall_until: float = 0.0
    event_ids: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # bodies the app's schemas refused


# -- the test server ------------------------------------------------------------------------------
def make_app(state: ServerState) -> Starlette:
    async def ok(request: Request) -> Response:
        return JSONResponse({"i": (await request.json()).get("i")})

    async def stall(request: Request) -> Response:
        i, now = (await request.json())["i"], time.perf_counter()
        state.arrivals[i] = now
        if i == STALL_AT:
            state.stall_until = now + STALL_S
        if (wait := state.stall_until - now) > 0:
            await asyncio.sleep(wait)
        return JSONResponse({"i": i})

    async def refuse(request: Request) -> Response:
        return JSONResponse({"detail": "at capacity"}, 503, headers={"Retry-After": "1"})

    async def limit(request: Request) -> Response:
        return JSONResponse({"detail": "over your rate"}, 429, headers={"Retry-After": "2"})

    async def fail(request: Request) -> Response:
        return JSONResponse({"detail": "boom"}, 500)

    async def slow(request: Request) -> Response:
        await asyncio.sleep(SLOW_S)
        return JSONResponse({})

    def sse(pieces: list[str], done: bool = True, first_delay_s: float = 0.3, gap_s: float = 0.2):
        async def events():
            def chunk(delta: dict, finish=None) -> str:
                body = {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                return f"data: {json.dumps(body)}\n\n"

            yield chunk({"role": "assistant", "content": ""})
            await asyncio.sleep(first_delay_s)
            for k, piece in enumerate(pieces):
                if k:
                    await asyncio.sleep(gap_s)
                yield chunk({"content": piece})
            yield chunk({}, "stop")
            if done:
                yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    async def stream(request: Request) -> Response:
        return sse(["Hello", " world"])

    async def broken_stream(request: Request) -> Response:
        return sse(["Hello"], done=False)

    def api(delay_s: float) -> list[Route]:
        def endpoint(schema):
            async def handle(request: Request) -> Response:
                body = await request.json()
                try:
                    parsed = schema.model_validate(body)
                except ValidationError as exc:
                    state.invalid.append(f"{request.url.path}: {exc}")
                    return JSONResponse({"detail": str(exc)}, 422)
                await asyncio.sleep(delay_s)
                if isinstance(parsed, EventBatch):
                    state.event_ids.extend(e.event_id for e in parsed.events)
                    return JSONResponse({"accepted": len(parsed.events), "duplicates": 0, "event_ids": []})
                if isinstance(parsed, ChatCompletionRequest):
                    assert parsed.stream
                    return sse(["Try", " the", " [P00001]."], first_delay_s=0.02, gap_s=0.01)
                return JSONResponse({"results": []})
            return handle

        return [Route("/v1/search", endpoint(SearchRequest), methods=["POST"]),
                Route("/v1/recommend", endpoint(RecommendRequest), methods=["POST"]),
                Route("/v1/events", endpoint(EventBatch), methods=["POST"]),
                Route("/v1/chat/completions", endpoint(ChatCompletionRequest), methods=["POST"])]

    routes = [Route(path, fn, methods=["POST"]) for path, fn in (
        ("/ok", ok), ("/stall", stall), ("/refuse", refuse), ("/limit", limit), ("/fail", fail), ("/slow", slow),
        ("/stream", stream), ("/broken-stream", broken_stream))]
    return Starlette(routes=routes + api(0.0) + [Mount("/slower", routes=api(SLOWER_S))])


@pytest.fixture(scope="module")
def server():
    state = ServerState()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(make_app(state), log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=1, backlog=2048)
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True, name="test-http")
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", state
    uv.should_exit = True
    thread.join(10)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- percentiles, schedule, accounting (no server) ----------------------------------------------------
def test_percentiles_match_numpy_and_hand_computed_values():
    rng = np.random.default_rng(0)
    values = rng.lognormal(3, 1, 1001)
    got = percentiles(values)
    for q in (50, 95, 99, 99.9):
        assert got[f"p{q:g}_ms"] == pytest.approx(np.percentile(values, q))
    # Linear interpolation between closest ranks, by hand: rank q/100 * (n - 1).
    assert percentiles([40, 10, 30, 20]) == pytest.approx(
        {"p50_ms": 25.0, "p95_ms": 38.5, "p99_ms": 39.7, "p99.9_ms": 39.97})
    assert percentiles(range(1, 101), (50, 99)) == pytest.approx({"p50_ms": 50.5, "p99_ms": 99.01})
    assert percentiles([7.0]) == {"p50_ms": 7.0, "p95_ms": 7.0, "p99_ms": 7.0, "p99.9_ms": 7.0}
    assert all(math.isnan(v) for v in percentiles([]).values())
    # The older summary keeps its keys and values (the other benchmarks read them).
    assert summarize([0.010, 0.020, 0.030, 0.040], 2.0, errors=1) == pytest.approx(
        {"n": 4, "errors": 1, "p50_ms": 25.0, "p95_ms": 38.5, "p99_ms": 39.7, "throughput_per_s": 2.0})


def test_schedule_constant_and_poisson():
    offsets = loadgen.schedule(20, 3)
    assert len(offsets) == 60 and offsets[0] == 0 and offsets[-1] == pytest.approx(2.95)
    assert np.allclose(np.diff(offsets), 0.05)
    assert len(loadgen.schedule(0.5, 4)) == 2 and len(loadgen.schedule(10, 2.9)) == 29
    poisson = loadgen.schedule(200, 10, poisson=True, seed=3)
    assert poisson == loadgen.schedule(200, 10, poisson=True, seed=3)  # seeded: the same arrivals
    assert poisson != loadgen.schedule(200, 10, poisson=True, seed=4)
    assert poisson == sorted(poisson) and 0 < poisson[0] and poisson[-1] < 10
    assert 1800 < len(poisson) < 2200  # 2000 expected, sd ~45
    gaps = np.diff(poisson)
    assert np.mean(gaps) == pytest.approx(1 / 200, rel=0.1) and np.std(gaps) == pytest.approx(1 / 200, rel=0.15)


def test_outcome_kinds_and_account_keep_refusals_errors_and_timeouts_apart():
    outcomes = [Outcome(0.001, 0.010 * k, 200) for k in range(1, 11)]  # ok: 10..100 ms
    outcomes += [Outcome(0.0, 0.002, 503, retry_after="1"), Outcome(0.0, 0.002, 429, retry_after="2"),
                 Outcome(0.0, 0.002, 503),  # refused without Retry-After
                 Outcome(0.0, 0.5, 500), Outcome(0.0, 0.3, 404), Outcome(0.0, 0.001, None, "ConnectError"),
                 Outcome(0.0, 0.9, 200, "incomplete_stream"),  # a stream that broke off is not ok
                 Outcome(0.02, 5.0, None, "timeout"), Outcome(0.0, 5.0, 200, "timeout")]
    row = account(outcomes, wall_s=2.0)
    assert (row["sent"], row["ok"], row["refused"], row["errors"], row["timeouts"]) == (19, 10, 3, 4, 2)
    assert row["errors_by_cause"] == {"500": 1, "404": 1, "ConnectError": 1, "incomplete_stream": 1}
    assert row["refused_share"] == pytest.approx(3 / 19) and row["failed_share"] == pytest.approx(6 / 19)
    assert row["retry_after_share"] == pytest.approx(2 / 3)
    ok_ms = [10.0 * k for k in range(1, 11)]
    for q in (50, 95, 99, 99.9):  # of the ok answers only: not pulled up by the 5 s timeouts
        assert row[f"p{q:g}_ms"] == pytest.approx(np.percentile(ok_ms, q))
    assert row["throughput_per_s"] == pytest.approx(10 / 2.0)
    assert row["late_share"] == pytest.approx(1 / 19) and row["max_late_ms"] == pytest.approx(20)


# -- against the server -------------------------------------------------------------------------------
def test_open_loop_keeps_its_schedule_through_a_server_stall(server):
    url, state = server
    state.arrivals.clear()
    offsets = loadgen.schedule(RATE, 3.0)
    calls = [Call("/stall", {"i": i}) for i in range(len(offsets))]
    outcomes, wall = loadgen.send_parallel(url, calls, offsets, timeout_s=10)

    assert len(outcomes) == len(state.arrivals) == int(RATE * 3.0) == 60  # rate x duration, all sent
    assert all(o.kind == "ok" for o in outcomes)
    assert max(o.late_s for o in outcomes) < 0.5  # the stall did not hold the sender back
    stall_end = state.arrivals[STALL_AT] + STALL_S
    for j in range(STALL_AT, STALL_AT + 10):  # due in the stall's first half: 500 ms of slack for a busy machine
        assert state.arrivals[j] < stall_end, "sent while the server stalled, not held back until it answered"
    for j in range(STALL_AT, STALL_AT + int(STALL_S * RATE)):
        # From j's scheduled send to the end of the stall. A lower bound whatever the machine does: sent in the
        # stall, j waits for its end; sent after it, j was late by more than this, and lateness counts.
        remaining = STALL_S - (j - STALL_AT) / RATE
        assert outcomes[j].latency_s >= remaining - 0.005, (j, outcomes[j].latency_s, remaining)
        if j < STALL_AT + 10:
            assert outcomes[j].latency_s <= remaining + 0.75, (j, outcomes[j].latency_s, remaining)
    # The stall's queue shows in the tail; requests well before and after it do not wait for it.
    row = account(outcomes, wall)
    assert row["p99.9_ms"] >= STALL_S * 1000 - 5 and row["p50_ms"] < row["p99_ms"]
    assert np.median([o.latency_s for o in outcomes[:STALL_AT - 1] + outcomes[STALL_AT + 25:]]) < 0.25


def test_refusals_errors_and_timeouts_are_counted_apart(server):
    url, _ = server
    dead = f"http://127.0.0.1:{closed_port()}/ok"  # nothing listens: a connection error
    paths = ["/ok"] * 8 + ["/refuse"] * 4 + ["/limit"] * 3 + ["/fail"] * 5 + ["/missing"] * 2 + ["/slow"] * 3 \
        + [dead] * 2
    calls = [Call(path, {"i": i}) for i, path in enumerate(paths)]
    outcomes, wall = loadgen.send_parallel(url, calls, loadgen.schedule(50, len(calls) / 50), timeout_s=0.5)
    row = account(outcomes, wall)

    assert (row["sent"], row["ok"], row["refused"], row["errors"], row["timeouts"]) == (27, 8, 7, 9, 3)
    assert row["errors_by_cause"] == {"500": 5, "404": 2, "ConnectError": 2}
    assert row["retry_after_share"] == 1.0
    assert [o.retry_after for o in outcomes if o.kind == "refused"] == ["1"] * 4 + ["2"] * 3
    for o in outcomes[-5:-2]:  # /slow: given up 0.5 s after the scheduled send, not after the server's 3 s
        assert o.error == "timeout" and 0.5 <= o.latency_s < 0.5 + 1.5
    ok_ms = [o.latency_s * 1000 for o in outcomes if o.kind == "ok"]
    assert row["p99.9_ms"] == pytest.approx(np.percentile(ok_ms, 99.9))


def test_streams_time_the_first_token_and_the_end(server):
    url, _ = server
    calls = [Call("/stream", {}, "chat", stream=True), Call("/broken-stream", {}, "chat", stream=True)]
    whole, broken = loadgen.send_parallel(url, calls, [0.0, 0.0], timeout_s=10)[0]
    assert whole.kind == "ok" and whole.chunks == 2
    assert 0.3 <= whole.ttft_s < 0.3 + 1.5 and whole.ttft_s + 0.2 <= whole.latency_s < 0.5 + 1.5
    assert broken.kind == "error" and broken.error == "incomplete_stream" and broken.chunks == 1
    row = account([whole, broken], 1.0)
    assert row["ttft_p50_ms"] == pytest.approx(whole.ttft_s * 1000) and row["errors"] == 1


def test_worker_processes_share_one_schedule(server):
    url, _ = server
    offsets = loadgen.schedule(40, 1.0)
    calls = [Call("/ok", {"i": i}) for i in range(len(offsets))]
    outcomes, _ = loadgen.send_parallel(url, calls, offsets, timeout_s=10, workers=2, keep_body=True)
    assert [o.body["i"] for o in outcomes] == list(range(40))  # merged back in call order
    assert all(o.kind == "ok" for o in outcomes)


def test_cli_sweeps_a_mix_of_real_request_bodies_and_writes_json_and_png(server, tmp_path, capsys):
    url, state = server
    state.event_ids.clear()
    out = tmp_path / "load.json"
    results = load.main(["--url", url, "--mix", "search=6,recommend=2,events=1,chat=1", "--sweep", "10,20",
                         "--duration", "1", "--slo-ms", "5000", "--pause", "0", "--warmup", "1",
                         "--events-batch", "3", "--out", str(out)])
    printed = capsys.readouterr().out

    assert state.invalid == []  # every body passed the app's own request schemas
    rows = results["runs"]["app"]
    assert [r["offered_per_s"] for r in rows] == [10, 20] and [r["sent"] for r in rows] == [10, 20]
    assert all(r["ok"] == r["sent"] and r["verdict"] == "ok" for r in rows)
    assert results["max_rate_within_slo"]["app"] == 20
    assert set(rows[1]["targets"]) == {"search", "recommend", "events", "chat"}
    assert sum(t["sent"] for t in rows[1]["targets"].values()) == 20
    assert rows[1]["targets"]["chat"]["ttft_p50_ms"] > 0
    assert len(state.event_ids) == len(set(state.event_ids)) > 0  # every event id unique, warm-up included
    assert "percentiles over ok (2xx) answers only" in printed and "highest rate within the bars: 20" in printed

    saved = json.loads(out.read_text())
    assert saved["runs"]["app"][1]["p99.9_ms"] == pytest.approx(rows[1]["p99.9_ms"])
    assert out.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_sweep_stops_at_the_first_rate_over_the_bars(server, capsys):
    url, _ = server
    results = load.main(["--url", url + "/slower", "--target", "search", "--sweep", "5:2:3", "--duration", "0.6",
                         "--slo-ms", "search=50", "--pause", "0", "--warmup", "0"])
    rows = results["runs"]["app"]
    assert len(rows) == 1 and rows[0]["verdict"].startswith("search P99")  # every answer takes >= 200 ms
    assert results["max_rate_within_slo"]["app"] is None
    assert "stopping the sweep" in capsys.readouterr().out


def test_cli_compare_runs_one_schedule_against_two_endpoints(server, capsys):
    url, _ = server
    results = load.main(["--compare", url, url + "/slower", "--target", "search", "--rate", "10",
                         "--duration", "0.5", "--slo-ms", "5000", "--pause", "0", "--warmup", "0"])
    a, b = results["runs"]["A"][0], results["runs"]["B"][0]
    assert a["sent"] == b["sent"] == 5 and a["ok"] == b["ok"] == 5
    assert b["p50_ms"] >= SLOWER_S * 1000
    ratio = results["compare"][0]
    assert ratio["p99_B/A"] == pytest.approx(b["p99_ms"] / a["p99_ms"])
    assert ratio["throughput_B/A"] == pytest.approx(b["throughput_per_s"] / a["throughput_per_s"])
    assert "B / A at the same schedule" in capsys.readouterr().out


def test_self_test_drives_its_own_noop_server(capsys):
    results = load.main(["--self-test", "--self-test-rates", "20,40", "--self-test-duration", "0.5",
                         "--self-test-p99-ms", "10000"])
    rows = results["self_test"]["rows"]
    assert 20 in {r["offered_per_s"] for r in rows}  # 40 too, unless the machine was too busy to sustain 20
    assert all(r["sent"] == int(r["offered_per_s"] * 0.5) and r["ok"] == r["sent"] for r in rows)
    assert "ceiling_per_s" in results["self_test"] and "generator ceiling" in capsys.readouterr().out
