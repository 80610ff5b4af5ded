"""The one sync runner: every round on its thread, never two at once, results to who asked."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from pos_app.sync.client import SyncError
from pos_app.sync.service import SyncRunner
from pos_app.sync.status import StatusBoard


class GatedService:
    """A sync service whose rounds wait for the test to open a gate, and count overlaps."""

    def __init__(self) -> None:
        self.board = StatusBoard()
        self.gate = threading.Semaphore(0)
        self.started = threading.Semaphore(0)
        self.ended = threading.Semaphore(0)
        self.rounds = 0
        self.running = 0
        self.most_at_once = 0
        self.threads: set[str] = set()
        self.fail_next: Exception | None = None
        self._lock = threading.Lock()

    def run_once(self) -> int:
        with self._lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            self.threads.add(threading.current_thread().name)
        self.started.release()
        self.gate.acquire()
        with self._lock:
            self.running -= 1
            self.rounds += 1
            failure, self.fail_next = self.fail_next, None
        self.ended.release()
        if failure is not None:
            raise failure
        return self.rounds


@pytest.fixture
def service() -> GatedService:
    return GatedService()


@pytest.fixture
def runner(service: GatedService) -> Iterator[SyncRunner]:
    runner = SyncRunner(service, interval_s=3600)  # type: ignore[arg-type]
    runner.start()
    assert service.started.acquire(timeout=10)  # the first round, at start
    service.gate.release()
    assert service.ended.acquire(timeout=10)
    yield runner
    for _ in range(8):
        service.gate.release()  # let any round still waiting finish
    runner.stop()


def _ask(runner: SyncRunner, results: list[object]) -> threading.Thread:
    def ask() -> None:
        try:
            results.append(runner.sync_now(timeout_s=30))
        except Exception as error:
            results.append(error)

    thread = threading.Thread(target=ask)
    thread.start()
    return thread


def test_sync_now_waits_for_a_round_of_its_own(runner: SyncRunner,
                                               service: GatedService) -> None:
    results: list[object] = []
    asker = _ask(runner, results)
    assert service.started.acquire(timeout=10)
    assert results == []  # still waiting: the round has not finished
    service.gate.release()
    asker.join(30)
    assert results == [2]  # the second round (the first ran at start)
    assert service.threads == {"pos-sync"}


def test_concurrent_asks_and_nudges_never_run_two_rounds_at_once(
    runner: SyncRunner, service: GatedService
) -> None:
    results: list[object] = []
    first = _ask(runner, results)
    assert service.started.acquire(timeout=10)  # a round is running now
    others = [_ask(runner, results) for _ in range(3)]
    runner.nudge()
    runner.nudge()
    service.gate.release()  # the first round ends; the waiting asks share the next one
    assert service.started.acquire(timeout=10)
    service.gate.release()
    for thread in (first, *others):
        thread.join(30)
    assert service.most_at_once == 1
    assert sorted(results) == [2, 3, 3, 3]  # type: ignore[type-var]


def test_a_failed_round_is_told_to_who_asked_and_the_runner_goes_on(
    runner: SyncRunner, service: GatedService
) -> None:
    service.fail_next = SyncError("server unreachable")
    results: list[object] = []
    asker = _ask(runner, results)
    assert service.started.acquire(timeout=10)
    service.gate.release()
    asker.join(30)
    assert len(results) == 1 and isinstance(results[0], SyncError)
    again = _ask(runner, results)
    assert service.started.acquire(timeout=10)
    service.gate.release()
    again.join(30)
    assert results[1] == 3


def test_asking_a_stopped_runner_is_an_error(service: GatedService) -> None:
    runner = SyncRunner(service, interval_s=3600)  # type: ignore[arg-type]
    runner.stop()
    with pytest.raises(SyncError, match="stopped"):
        runner.sync_now(timeout_s=1)
