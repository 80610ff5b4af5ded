"""UUIDv7 ids made on the register: layout bits, order, and uniqueness across threads."""

from __future__ import annotations

import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.ids import Uuid7Generator, new_id

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _ms(text: str) -> int:
    return uuid.UUID(text).int >> 80


def _counter(text: str) -> int:
    return (uuid.UUID(text).int >> 64) & 0xFFF


def test_version_and_variant_bits() -> None:
    for text in [new_id() for _ in range(200)]:
        value = uuid.UUID(text)
        assert UUID_RE.match(text), text
        assert value.version == 7
        assert value.variant == uuid.RFC_4122
        assert (value.int >> 76) & 0xF == 0x7
        assert (value.int >> 62) & 0b11 == 0b10
        assert str(value) == text                     # canonical lowercase form


def test_timestamp_is_unix_milliseconds() -> None:
    before = time.time_ns() // 1_000_000
    text = new_id()
    after = time.time_ns() // 1_000_000
    assert before <= _ms(text) <= after + 1


def test_given_time_is_encoded() -> None:
    generator = Uuid7Generator()
    text = generator.new(now_ms=1_776_000_000_123)
    assert _ms(text) == 1_776_000_000_123
    assert _counter(text) == 0
    assert text.startswith(f"{1_776_000_000_123:012x}"[:8])


def test_monotonic_across_10000_ids() -> None:
    generator = Uuid7Generator()
    ids = [generator.new() for _ in range(10_000)]
    assert len(set(ids)) == 10_000
    assert ids == sorted(ids)                                    # as text
    ints = [uuid.UUID(i).int for i in ids]
    assert all(a < b for a, b in pairwise(ints))   # strictly, as numbers


def test_same_millisecond_is_ordered_by_the_counter() -> None:
    generator = Uuid7Generator()
    ids = [generator.new(now_ms=5_000) for _ in range(10)]
    assert [_counter(i) for i in ids] == list(range(10))
    assert {_ms(i) for i in ids} == {5_000}
    assert ids == sorted(ids)


def test_counter_resets_on_a_new_millisecond() -> None:
    generator = Uuid7Generator()
    generator.new(now_ms=5_000)
    generator.new(now_ms=5_000)
    text = generator.new(now_ms=5_001)
    assert (_ms(text), _counter(text)) == (5_001, 0)


def test_counter_overflow_moves_to_the_next_millisecond() -> None:
    generator = Uuid7Generator()
    ids = [generator.new(now_ms=5_000) for _ in range(0x1000 + 3)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert (_ms(ids[0x0FFF]), _counter(ids[0x0FFF])) == (5_000, 0xFFF)
    assert (_ms(ids[0x1000]), _counter(ids[0x1000])) == (5_001, 0)
    assert (_ms(ids[-1]), _counter(ids[-1])) == (5_001, 2)


def test_monotonic_when_the_clock_goes_backwards() -> None:
    generator = Uuid7Generator()
    times = [10_000, 10_001, 9_000, 5, 10_001, 10_000, 10_002, 1, 10_003]
    ids = [generator.new(now_ms=t) for t in times]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert [_ms(i) for i in ids] == [10_000, 10_001, 10_001, 10_001, 10_001, 10_001, 10_002,
                                     10_002, 10_003]


def test_monotonic_when_the_wall_clock_steps_back(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([2_000_000_000_000_000_000, 1_000_000_000_000_000_000,
                  1_000_000_000_000_000_000, 2_000_000_000_001_000_000])
    monkeypatch.setattr(time, "time_ns", lambda: next(clock))
    generator = Uuid7Generator()
    ids = [generator.new() for _ in range(4)]
    assert ids == sorted(ids) and len(set(ids)) == 4
    assert _ms(ids[-1]) == 2_000_000_000_001


@settings(max_examples=200)
@given(st.lists(st.integers(0, 2**48 - 2), min_size=1, max_size=300))
def test_monotonic_for_any_clock(times: list[int]) -> None:
    generator = Uuid7Generator()
    ids = [generator.new(now_ms=t) for t in times]
    ints = [uuid.UUID(i).int for i in ids]
    assert all(a < b for a, b in pairwise(ints))
    assert all(uuid.UUID(i).version == 7 for i in ids)
    assert _ms(ids[-1]) >= max(times)


def test_unique_across_threads_with_one_generator() -> None:
    generator = Uuid7Generator()
    start = threading.Barrier(8)

    def make(_: int) -> list[str]:
        start.wait()
        return [generator.new() for _ in range(5_000)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        batches = list(pool.map(make, range(8)))
    everything = [i for batch in batches for i in batch]
    assert len(set(everything)) == 8 * 5_000
    for batch in batches:                       # each thread sees its own ids increase
        assert batch == sorted(batch)


def test_unique_across_threads_with_the_process_generator() -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        batches = list(pool.map(lambda _: [new_id() for _ in range(3_000)], range(6)))
    everything = [i for batch in batches for i in batch]
    assert len(set(everything)) == len(everything)


def test_separate_generators_in_the_same_millisecond_differ() -> None:
    # two registers (or processes) at the same instant: the random bits keep them apart
    ids = {Uuid7Generator().new(now_ms=1_000) for _ in range(2_000)}
    assert len(ids) == 2_000
