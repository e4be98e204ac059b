"""The chat engines without Ray: streaming, stop sequences, limits, cancellation, continuous batching."""

from __future__ import annotations

import asyncio

import pytest

from retail.llm_engine import (
    EngineConfig, EngineOverloaded, GenerationParams, _TextStream, collect, load_engine,
)

HELLO = [{"role": "user", "content": "Name three colours."}]


@pytest.fixture(scope="module")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def engine(loop):
    engine = load_engine(EngineConfig(model="smollm2-135m", max_batch_size=4, max_queue=2, cpu_threads=2))
    loop.run_until_complete(engine.start())
    yield engine
    engine.stop()


def test_streams_text_in_pieces_and_reports_usage(engine, loop):
    async def run():
        return [c async for c in engine.stream(HELLO, GenerationParams(max_tokens=24))]

    chunks = loop.run_until_complete(run())
    assert len(chunks) > 3, "tokens arrive one step at a time, not all at the end"
    assert "".join(c.text for c in chunks).strip()
    assert chunks[-1].finish_reason in ("stop", "length")
    assert all(c.finish_reason is None for c in chunks[:-1])
    assert chunks[-1].prompt_tokens > 5 and 0 < chunks[-1].completion_tokens <= 24


def test_max_tokens_ends_with_length(engine, loop):
    text, last, _ = loop.run_until_complete(collect(engine, HELLO, GenerationParams(max_tokens=3)))
    assert last.completion_tokens == 3 and last.finish_reason == "length"


def test_stop_sequence_cuts_the_answer_and_frees_the_slot(engine, loop):
    full, _, _ = loop.run_until_complete(collect(engine, HELLO, GenerationParams(max_tokens=24)))
    word = full.split()[1]  # a word the greedy answer certainly contains
    cut, last, _ = loop.run_until_complete(collect(engine, HELLO, GenerationParams(max_tokens=24, stop=(word,))))
    assert word not in cut and full.startswith(cut.rstrip()[:5])
    assert last.finish_reason == "stop"
    assert engine.active == 0


def test_requests_join_a_running_batch(engine, loop):
    """A request submitted while another is decoding finishes long before the first one does."""

    async def run():
        long = asyncio.ensure_future(collect(engine, HELLO, GenerationParams(max_tokens=96, temperature=0.0)))
        await asyncio.sleep(0.5)  # the first is decoding now
        short_done = await collect(engine, HELLO, GenerationParams(max_tokens=4))
        still_running = not long.done()
        await long
        return still_running, short_done

    still_running, short = loop.run_until_complete(run())
    assert short[1].completion_tokens == 4
    assert still_running, "the short request did not wait for the long one to finish"


def test_a_consumer_that_stops_reading_cancels_its_sequence(engine, loop):
    async def run():
        stream = engine.stream(HELLO, GenerationParams(max_tokens=200))
        async for _ in stream:
            break
        await stream.aclose()
        return engine.active

    assert loop.run_until_complete(run()) == 0


def test_past_batch_and_queue_it_refuses_at_once(engine, loop):
    async def run():
        streams = [engine.stream(HELLO, GenerationParams(max_tokens=64)) for _ in range(6)]
        firsts = [asyncio.ensure_future(s.__anext__()) for s in streams]  # 4 batch slots + 2 queue places
        await asyncio.sleep(0.2)
        with pytest.raises(EngineOverloaded):
            await engine.stream(HELLO, GenerationParams(max_tokens=4)).__anext__()
        await asyncio.gather(*firsts)
        for s in streams:
            await s.aclose()
        return engine.active

    assert loop.run_until_complete(run()) == 0


def test_stop_sequence_is_held_back_until_it_cannot_match():
    class Tokenizer:  # token i decodes to the i-th piece
        pieces = ["Hel", "lo ", "wor", "ld", " END", " more"]

        def decode(self, ids, skip_special_tokens=True):
            return "".join(self.pieces[i] for i in ids)

    stream = _TextStream(Tokenizer(), stop=("ld END",))
    out = [stream.update(list(range(n)), final=False) for n in range(1, 6)]
    assert "".join(out) == "Hello wor" and stream.stopped
