"""The push benchmark's statement collector: a loopback HTTP server that receives every push's
D1 statements from the local Worker (worker/src/statement-log.ts).

``LocalWorker(log_statements=True)`` starts one and passes its port to the Worker as the var
``STATEMENT_LOG_PORT``. Each POST body is one record, ``{"register": ..., "reads": [[sql,
params], ...], "batch": [[sql, params], ...]}``; the Worker sends it just after the push's reply
(so the measured push does not wait for its own measurement), and :meth:`StatementCollector.take`
waits for the records still on their way.

The records used to go to the Worker's console (one ~2 MB line a push, read back from wrangler's
log), which wrangler's inspector proxy kept in memory until workerd ran out of heap.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_RECORD_BYTES = 64_000_000


def _is_record(value: object) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("register"), str)
            and isinstance(value.get("reads"), list) and isinstance(value.get("batch"), list))


class StatementCollector:
    """Keeps the records POSTed to it, in arrival order, until :meth:`take` hands them over."""

    def __init__(self) -> None:
        self._records: list[dict[str, Any]] = []
        self._lock = threading.Condition()
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if not 0 < length <= MAX_RECORD_BYTES:
                    self._answer(400, b"a record needs a body of at most 64 MB")
                    return
                try:
                    record = json.loads(self.rfile.read(length))
                except ValueError:
                    self._answer(400, b"not JSON")
                    return
                if not _is_record(record):
                    self._answer(400, b"not a record: register, reads, batch")
                    return
                with collector._lock:
                    collector._records.append(record)
                    collector._lock.notify_all()
                self._answer(204, b"")

            def _answer(self, status: int, message: bytes) -> None:
                self.send_response(status)
                self.send_header("content-length", str(len(message)))
                self.end_headers()
                self.wfile.write(message)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: one line a push on stderr is noise in a benchmark."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="statement-collector", daemon=True)
        self._thread.start()

    def take(self, expected: int = 0, timeout: float = 60.0) -> list[dict[str, Any]]:
        """The records received since the last call, oldest first; first waits (up to
        ``timeout`` seconds) until there are ``expected`` of them, as each push's record comes
        just after its reply. Fewer come back when some never came (a push cancelled after its
        batch): the caller counts them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._records) < expected and (left := deadline - time.monotonic()) > 0:
                self._lock.wait(left)
            records, self._records = self._records, []
        return records

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
