"""Run the central Worker locally (``wrangler dev`` on workerd, D1 on SQLite), fully offline.

Used by the integration tests, the benchmarks and developers::

    python -m pos_app.devtools.local_worker --state /tmp/pos-d1

It applies the D1 migrations into ``state_dir``, starts ``wrangler dev --local`` on a free
loopback port in its own process group with a random ADMIN_TOKEN, waits until
``/v1/health`` answers, and stops the whole group on exit.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

import httpx

WORKER_DIR = Path(__file__).resolve().parents[2] / "worker"
READY_TIMEOUT_S = 90.0


class WorkerNotAvailable(RuntimeError):
    """Node, npm packages or wrangler itself are missing or failed to start."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(CI="true", WRANGLER_SEND_METRICS="false", NO_COLOR="1", FORCE_COLOR="0")
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalWorker:
    def __init__(self, state_dir: Path, *, max_statements: int = 1000,
                 max_body_bytes: int = 4_000_000, port: int | None = None) -> None:
        self.state_dir = Path(state_dir)
        self.max_statements = max_statements
        self.max_body_bytes = max_body_bytes
        self.port = port or free_port()
        self.admin_token = secrets.token_urlsafe(32)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.state_dir / f"wrangler-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def start(self) -> LocalWorker:
        npx = shutil.which("npx")
        if npx is None:
            raise WorkerNotAvailable("npx is not on PATH: install Node.js 20+")
        if not (WORKER_DIR / "node_modules" / "wrangler").exists():
            raise WorkerNotAvailable("Run `npm ci --prefix worker` first (scripts/test.sh does)")
        self.state_dir.mkdir(parents=True, exist_ok=True)
        persist = ["--persist-to", str(self.state_dir)]
        migrate = subprocess.run(
            [npx, "wrangler", "d1", "migrations", "apply", "DB", "--local", *persist],
            cwd=WORKER_DIR, env=_env(), capture_output=True, timeout=180, check=False,
        )
        if migrate.returncode != 0:
            raise WorkerNotAvailable(f"D1 migrations failed: {migrate.stderr.decode()[-2000:]}")
        command = [
            npx, "wrangler", "dev", "--local", "--ip", "127.0.0.1", "--port", str(self.port),
            *persist, "--show-interactive-dev-session=false",
            "--var", f"ADMIN_TOKEN:{self.admin_token}",
            "--var", f"MAX_STATEMENTS:{self.max_statements}",
            "--var", f"MAX_BODY_BYTES:{self.max_body_bytes}",
        ]
        log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            command, cwd=WORKER_DIR, env=_env(), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        tail = self.log_path.read_text(errors="replace")[-3000:]
        self.stop()
        raise WorkerNotAvailable(f"wrangler dev did not become ready:\n{tail}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def __enter__(self) -> LocalWorker:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()


def start_local_worker(state_dir: Path, *, max_statements: int = 1000,
                       port: int | None = None) -> LocalWorker:
    return LocalWorker(state_dir, max_statements=max_statements, port=port).start()


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the central Worker locally")
    parser.add_argument("--state", type=Path, required=True, help="where local D1 keeps its data")
    parser.add_argument("--port", type=int)
    parser.add_argument("--max-statements", type=int, default=1000)
    args = parser.parse_args()
    with LocalWorker(args.state, max_statements=args.max_statements, port=args.port) as worker:
        print(f"Worker ready at {worker.url}\nADMIN_TOKEN={worker.admin_token}\nCtrl-C stops it.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
