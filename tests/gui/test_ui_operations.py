"""Background operations: callbacks on the GUI thread, change flags, error routing."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from pos_app.core.tender import TenderError
from pos_app.services.changes import Changes, changes
from pos_app.store.errors import DatabaseLocked
from pos_app.ui.errors import ErrorKind, ErrorReporter
from pos_app.ui.operations import Operation, OperationRunner, find_runner
from pos_app.ui.qt import QApplication, QObject, QWidget
from pos_app.ui.taskman import Lane, TaskManager


class Host(QWidget):
    def __init__(self, runner: OperationRunner) -> None:
        super().__init__()
        self.operation_runner = runner


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[OperationRunner]:
    tasks = TaskManager()
    made = OperationRunner(tasks, ErrorReporter(interactive=False))
    yield made
    tasks.shutdown()


@pytest.fixture
def host(qtbot: QtBot, runner: OperationRunner) -> Host:
    widget = Host(runner)
    qtbot.addWidget(widget)
    return widget


def _wait_idle(qtbot: QtBot, runner: OperationRunner) -> None:
    qtbot.waitUntil(lambda: runner.tasks.idle, timeout=5000)


def test_success_runs_on_the_gui_thread_after_the_change_flags(
        qtbot: QtBot, runner: OperationRunner, host: Host) -> None:
    events: list[object] = []
    runner.changed.connect(events.append)
    worker_threads: list[str] = []

    def work() -> int:
        worker_threads.append(threading.current_thread().name)
        return 42

    Operation(host, work, lane=Lane.READ, changes=Changes.HOLDS | Changes.OUTBOX) \
        .success(lambda value: events.append((value, threading.current_thread().name))).run()
    _wait_idle(qtbot, runner)
    assert worker_threads[0].startswith("pos-read")
    assert events == [Changes.HOLDS | Changes.OUTBOX, (42, threading.main_thread().name)]


def test_call_broadcasts_what_the_use_case_declared(
        qtbot: QtBot, runner: OperationRunner, host: Host) -> None:
    events: list[object] = []
    runner.changed.connect(events.append)

    class Service:
        @changes(Changes.OUTBOX)
        def record(self, amount: int) -> int:
            return amount * 2

    Operation.call(host, Service().record, 21).success(events.append).run()
    _wait_idle(qtbot, runner)
    assert events == [Changes.OUTBOX, 42]


def test_no_change_no_signal(qtbot: QtBot, runner: OperationRunner, host: Host) -> None:
    changes: list[object] = []
    runner.changed.connect(changes.append)
    Operation(host, lambda: None).run()
    _wait_idle(qtbot, runner)
    assert changes == []


def test_a_store_error_nobody_handles_is_a_message_for_the_cashier(
        qtbot: QtBot, runner: OperationRunner, host: Host) -> None:
    def locked() -> None:
        raise DatabaseLocked("The database is busy: the sale was NOT saved. Try again.")

    Operation(host, locked).run()
    _wait_idle(qtbot, runner)
    [reported] = runner.errors.history
    assert reported.kind is ErrorKind.KNOWN
    assert reported.message.startswith("The database is busy")


def test_a_domain_error_is_known_too(qtbot: QtBot, runner: OperationRunner, host: Host) -> None:
    def short() -> None:
        raise TenderError("Enter the card terminal's reference")

    Operation(host, short).run()
    _wait_idle(qtbot, runner)
    assert runner.errors.history[0].kind is ErrorKind.KNOWN


def test_a_bug_goes_to_the_crash_dialog(qtbot: QtBot, runner: OperationRunner,
                                        host: Host) -> None:
    def bug() -> None:
        raise KeyError("oops")

    Operation(host, bug).run()
    _wait_idle(qtbot, runner)
    [reported] = runner.errors.history
    assert reported.kind is ErrorKind.BUG
    assert "KeyError" in reported.message


def test_a_handled_failure_is_not_reported(qtbot: QtBot, runner: OperationRunner,
                                           host: Host) -> None:
    seen: list[BaseException] = []

    def bug() -> None:
        raise RuntimeError("handled")

    Operation(host, bug).failure(seen.append).run()
    _wait_idle(qtbot, runner)
    assert [str(error) for error in seen] == ["handled"]
    assert runner.errors.history == []


def test_callbacks_of_a_closed_window_are_dropped(qtbot: QtBot,
                                                  runner: OperationRunner) -> None:
    host = Host(runner)
    release = threading.Event()
    called: list[object] = []
    Operation(host, lambda: release.wait(5)).success(called.append).run()
    host.deleteLater()
    qtbot.waitUntil(lambda: not _alive(host), timeout=2000)
    release.set()
    _wait_idle(qtbot, runner)
    assert called == []


def _alive(obj: QObject) -> bool:
    from pos_app.ui.qt import qt_object_alive

    return qt_object_alive(obj)


def test_the_runner_is_found_through_the_parent_chain(runner: OperationRunner,
                                                      host: Host) -> None:
    child = QObject(host)
    assert find_runner(child) is runner
    with pytest.raises(RuntimeError, match="no OperationRunner"):
        find_runner(QObject())


def test_the_error_reporter_shows_one_crash_dialog(qtbot: QtBot) -> None:
    reporter = ErrorReporter(interactive=True)
    reporter.bug(ValueError("first"))
    reporter.bug(ValueError("second"))
    boxes = [w for w in QApplication.topLevelWidgets()
             if w.objectName() == "crashBox" and w.isVisible()]
    assert len(boxes) == 1
    box = boxes[0]
    assert "first" in box.detailedText() and "second" in box.detailedText()  # type: ignore[attr-defined]
    box.close()
    box.deleteLater()
