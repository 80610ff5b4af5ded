"""Fixtures for integration tests against a real local Worker (``wrangler dev --local``).

``local_worker`` starts one Worker for the whole session with its D1 state in a temporary
directory. It skips only when Node.js / npx are not installed; missing npm packages
(``npm ci --prefix worker``) or a Worker that does not start fail loudly with wrangler's log.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from pos_app.devtools.admin_client import AdminClient
from pos_app.devtools.local_worker import LocalWorker, node_available, start_local_worker


def _start(tmp_path_factory: pytest.TempPathFactory, name: str,
           max_statements: int = 1000) -> LocalWorker:
    if not node_available():
        pytest.skip("Node.js/npx is not installed: the Worker tests need Node.js 20+")
    return start_local_worker(tmp_path_factory.mktemp(name), max_statements=max_statements)


@pytest.fixture(scope="session")
def local_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalWorker]:
    worker = _start(tmp_path_factory, "d1")
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture(scope="session")
def small_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalWorker]:
    """A second Worker with MAX_STATEMENTS=50 (the D1 Free plan's queries per invocation)."""
    worker = _start(tmp_path_factory, "d1-small", max_statements=50)
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture(scope="session")
def admin(local_worker: LocalWorker) -> Iterator[AdminClient]:
    with AdminClient(local_worker.url, local_worker.admin_token) as client:
        yield client


@pytest.fixture(scope="module")
def http(local_worker: LocalWorker) -> Iterator[httpx.Client]:
    """A plain HTTP client of the session's Worker (registers' and organiser's raw calls)."""
    with httpx.Client(base_url=local_worker.url, timeout=httpx.Timeout(30.0)) as client:
        yield client
