"""A loopback HTTP proxy that injects network faults between the sync client and the Worker.

Each request gets one fault from the schedule (or none): drop the connection before
forwarding, forward and then lose the reply (the server applied it!), delay past the client's
timeout, answer 500/502/429 without forwarding, truncate the reply body, or answer garbage.
Only loopback addresses are used; every loop is bounded by the caller.
"""

from __future__ import annotations

import contextlib
import random
import select
import socket
import threading
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

FAULTS = ("drop_before", "lost_reply", "delay", "status_500", "status_502", "status_429",
          "truncate", "garbage", "applied_then_502")
Schedule = Callable[[], str | None]


def random_schedule(rate: float, seed: int, faults: tuple[str, ...] = FAULTS) -> Schedule:
    rng = random.Random(seed)
    return lambda: rng.choice(faults) if rng.random() < rate else None


class _QuietServer(ThreadingHTTPServer):
    """A client that gave up (timeout) before the reply is part of the test, not an error."""

    def handle_error(self, request: object, client_address: object) -> None:
        return


class FaultProxy:
    def __init__(self, upstream: str, schedule: Schedule, delay_s: float = 60.0) -> None:
        self.upstream = upstream.rstrip("/")
        self.schedule = schedule
        self.delay_s = delay_s
        self.injected: Counter[str] = Counter()
        self.forwarded = 0
        self._lock = threading.Lock()
        self._http = httpx.Client(base_url=self.upstream, timeout=httpx.Timeout(60.0))
        self._server = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def total_faults(self) -> int:
        return sum(self.injected.values())

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._http.close()

    def _next_fault(self) -> str | None:
        with self._lock:
            fault = self.schedule()
            if fault is not None:
                self.injected[fault] += 1
            return fault

    def _forward(self, method: str, path: str, headers: dict[str, str],
                 body: bytes) -> httpx.Response:
        with self._lock:
            self.forwarded += 1
        keep = {k: v for k, v in headers.items() if k.lower() in ("authorization", "content-type")}
        return self._http.request(method, path, headers=keep, content=body)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def _handle(self) -> None:  # noqa: PLR0911 (one branch per fault)
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                fault = proxy._next_fault()
                if fault == "drop_before":
                    return self._drop()
                if fault in ("status_500", "status_429"):
                    return self._reply(int(fault[-3:]), b'{"error":"injected"}')
                if fault == "status_502":
                    return self._reply(502, b"<html>bad gateway</html>")
                if fault == "garbage":
                    return self._reply(200, b'{"acked_seq": "not json')
                if fault == "delay":
                    self._hold_until_client_gives_up(proxy.delay_s)
                response = proxy._forward(self.command, self.path, dict(self.headers), body)
                if fault == "lost_reply":
                    return self._drop()
                if fault == "applied_then_502":
                    return self._reply(502, b"upstream went away")
                if fault == "truncate":
                    return self._reply(response.status_code, response.content,
                                       cut=len(response.content) // 2)
                return self._reply(response.status_code, response.content)

            def _hold_until_client_gives_up(self, limit_s: float) -> None:
                # The client's read timeout ends the wait (it closes the socket), not a sleep
                # tuned to it: the fault is a timeout on any machine, fast or slow.
                with contextlib.suppress(OSError):
                    readable, _, _ = select.select([self.connection], [], [], limit_s)
                    if readable:
                        self.connection.recv(1, socket.MSG_PEEK)

            def _reply(self, status: int, content: bytes, cut: int | None = None) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(content)))
                self.end_headers()
                self.wfile.write(content if cut is None else content[:cut])
                if cut is not None:
                    self._drop()

            def _drop(self) -> None:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)

            do_GET = do_POST = do_PUT = _handle  # noqa: N815 (http.server names)

        return Handler
