"""Run the central Worker locally (``wrangler dev`` on workerd, D1 on SQLite), fully offline.

Used by the integration tests, the benchmarks and developers::

    python -m pos_app.devtools.local_worker --state /tmp/pos-d1

It applies the D1 migrations into ``state_dir``, then starts ``wrangler dev --local`` on a
loopback port the OS picks (retried if another process takes it first) in its own process
group, with a random ADMIN_TOKEN passed as a secret through an ``--env-file`` written (mode
0600) into ``state_dir`` -- never into the repository tree, the command line or a log -- and
waits until its own log says it listens there and ``GET /v1/health`` answers. ``stop()`` kills the
whole process group (wrangler, esbuild, workerd) and waits for it; it also runs at interpreter
exit, and ``main()`` turns SIGTERM/SIGHUP into a clean stop (only a SIGKILL of Python can
orphan the group).

wrangler also writes a debug log of everything it prints (every console line of the Worker
included: ~2 MB a push with the bench's statement log) to ``~/.config/.wrangler/logs`` by
default, GBs a bench run that nothing removes; ``WRANGLER_LOG_PATH`` points it into
``state_dir / "wrangler-logs"`` instead, which goes away with the state dir.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

from pos_app.devtools.statement_log import StatementCollector

WORKER_DIR = Path(__file__).resolve().parents[2] / "worker"
READY_TIMEOUT_S = 60.0
MIGRATE_TIMEOUT_S = 120.0
LOG_TAIL_CHARS = 4000


class WorkerNotAvailable(RuntimeError):
    """Node.js or npx is not installed: the Worker cannot run on this machine at all."""


class WorkerStartError(RuntimeError):
    """The Worker's npm packages are missing, or migrations / ``wrangler dev`` failed."""


class PortTaken(RuntimeError):
    """Another process bound the port chosen for wrangler before wrangler could."""


PORT_ATTEMPTS = 3
_PORT_TAKEN = re.compile(r"EADDRINUSE|address already in use|already in use", re.IGNORECASE)


def node_available() -> bool:
    return shutil.which("node") is not None and shutil.which("npx") is not None


def free_port() -> int:
    """A port the OS picked as free just now; wrangler binds it later, so callers retry."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _child_env(debug_log_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ADMIN_TOKEN", None)
    env.update(CI="true", WRANGLER_SEND_METRICS="false", NO_COLOR="1", FORCE_COLOR="0",
               WRANGLER_LOG_PATH=str(debug_log_dir))
    return env


class LocalWorker:
    """A ``wrangler dev --local`` process serving the Worker with D1 persisted in ``state_dir``."""

    def __init__(self, state_dir: Path, *, max_statements: int = 1000,
                 max_body_bytes: int = 4_000_000, port: int | None = None,
                 log_statements: bool = False) -> None:
        self.state_dir = Path(state_dir).resolve()
        # Every push's statements sent to a collector (worker/src/statement-log.ts): the bench.
        self.log_statements = log_statements
        self.statements: StatementCollector | None = None
        self.max_statements = max_statements
        self.max_body_bytes = max_body_bytes
        self._fixed_port = port is not None
        self.port = port or free_port()
        self.admin_token = secrets.token_urlsafe(32)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.state_dir / f"wrangler-{self.port}.log"
        # wrangler's own debug log, a file per wrangler command (module docstring)
        self.debug_log_dir = self.state_dir / "wrangler-logs"
        self.ready_seconds: float | None = None
        self._env_file = self.state_dir / f".admin-{self.port}.env"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> LocalWorker:
        """Migrate D1 and serve it; a port taken in the meantime is retried with a new one."""
        started = time.monotonic()
        npx = shutil.which("npx")
        if npx is None or shutil.which("node") is None:
            raise WorkerNotAvailable("node/npx is not on PATH: install Node.js 20 or newer")
        if not (WORKER_DIR / "node_modules" / "wrangler").is_dir():
            raise WorkerStartError(
                f"{WORKER_DIR / 'node_modules'} is missing: run `npm ci --prefix worker` first "
                "(scripts/test.sh does it)")
        self.state_dir.mkdir(parents=True, exist_ok=True)
        persist = ["--persist-to", str(self.state_dir)]
        self._migrate(npx, persist)
        if self.log_statements and self.statements is None:
            self.statements = StatementCollector()
        for attempt in range(1, PORT_ATTEMPTS + 1):
            try:
                self._serve(npx, persist)
                break
            except PortTaken:
                if self._fixed_port or attempt == PORT_ATTEMPTS:
                    raise WorkerStartError(
                        f"port {self.port} was taken by another process") from None
                self._use_port(free_port())
        self.ready_seconds = time.monotonic() - started
        return self

    def _use_port(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.state_dir / f"wrangler-{self.port}.log"
        self._env_file = self.state_dir / f".admin-{self.port}.env"

    def _serve(self, npx: str, persist: list[str]) -> None:
        fd = os.open(self._env_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as env_file:
            env_file.write(f"ADMIN_TOKEN={self.admin_token}\n")
        command = [
            npx, "wrangler", "dev", "--local", "--ip", "127.0.0.1", "--port", str(self.port),
            "--inspector-ip", "127.0.0.1", "--inspector-port", str(free_port()),
            *persist, "--show-interactive-dev-session=false", "--log-level", "info",
            "--env-file", str(self._env_file),
            "--var", f"MAX_STATEMENTS:{self.max_statements}",
            "--var", f"MAX_BODY_BYTES:{self.max_body_bytes}",
            *(["--var", f"STATEMENT_LOG_PORT:{self.statements.port}"] if self.statements else []),
        ]
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                command, cwd=WORKER_DIR, env=_child_env(self.debug_log_dir), stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )
        atexit.register(self.stop)
        self._wait_ready()

    def _migrate(self, npx: str, persist: list[str]) -> None:
        try:
            migrate = subprocess.run(
                [npx, "wrangler", "d1", "migrations", "apply", "DB", "--local", *persist],
                cwd=WORKER_DIR, env=_child_env(self.debug_log_dir), capture_output=True,
                timeout=MIGRATE_TIMEOUT_S, check=False, stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as error:
            raise WorkerStartError(f"D1 migrations took over {MIGRATE_TIMEOUT_S:.0f} s") from error
        if migrate.returncode != 0:
            output = (migrate.stdout + migrate.stderr).decode(errors="replace")
            raise WorkerStartError(f"D1 migrations failed:\n{output[-LOG_TAIL_CHARS:]}")

    def _wait_ready(self) -> None:
        """Ready when OUR process says it listens on our port and answers the health check.

        The log line matters: a health check alone could be answered by another process that
        took the port between :func:`free_port` and wrangler's bind.
        """
        deadline = time.monotonic() + READY_TIMEOUT_S
        with httpx.Client(timeout=httpx.Timeout(2.0)) as client:
            while time.monotonic() < deadline:
                if self._process is not None and self._process.poll() is not None:
                    break
                if f"Ready on {self.url}" in self.log_tail():
                    with contextlib.suppress(httpx.HTTPError):
                        if client.get(f"{self.url}/v1/health").status_code == 200:
                            return
                time.sleep(0.2)  # polling a child process's start-up; not a test assertion
        exited = self._process is not None and self._process.poll() is not None
        log_text = self.log_tail()
        self.stop()
        if exited and _PORT_TAKEN.search(log_text):
            raise PortTaken(self.port)
        why = "exited" if exited else f"was not ready within {READY_TIMEOUT_S:.0f} s"
        raise WorkerStartError(f"wrangler dev {why}; its log ({self.log_path}):\n{log_text}")

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-LOG_TAIL_CHARS:]
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Kill the whole process group and wait; safe to call twice (also runs at exit)."""
        atexit.unregister(self.stop)
        process, self._process = self._process, None
        try:
            if process is not None and process.poll() is None:
                self._kill_group(process)
        finally:
            self._env_file.unlink(missing_ok=True)
            statements, self.statements = self.statements, None
            if statements is not None:
                statements.close()

    @staticmethod
    def _kill_group(process: subprocess.Popen[bytes]) -> None:
        for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # Children (workerd) may outlive the leader briefly; make sure the group is gone.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def __enter__(self) -> LocalWorker:
        return self if self._process is not None else self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()


def start_local_worker(state_dir: Path, *, max_statements: int = 1000,
                       port: int | None = None) -> LocalWorker:
    """Migrate and start a local Worker; the caller must ``stop()`` it (or use ``with``)."""
    return LocalWorker(state_dir, max_statements=max_statements, port=port).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the central Worker locally (offline)")
    parser.add_argument("--state", type=Path, required=True, help="where local D1 keeps its data")
    parser.add_argument("--port", type=int)
    parser.add_argument("--max-statements", type=int, default=1000)
    args = parser.parse_args(argv)
    try:
        worker = start_local_worker(args.state, max_statements=args.max_statements,
                                    port=args.port)
    except (WorkerNotAvailable, WorkerStartError) as error:
        print(error, file=sys.stderr)
        return 1
    def _interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    with worker:
        print(f"Worker ready at {worker.url} in {worker.ready_seconds:.1f} s")
        print(f"ADMIN_TOKEN={worker.admin_token}")
        print(f"Log: {worker.log_path}. Ctrl-C stops it.", flush=True)
        try:
            while worker.running:
                time.sleep(1.0)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
