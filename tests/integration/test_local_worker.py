"""The local Worker keeps wrangler's own debug log in its state dir, not in the user's home.

wrangler writes everything it prints (the Worker's console lines included: ~2 MB a push with the
bench's statement log) to a debug log under its global config dir, ``~/.config/.wrangler/logs``
by default, which nothing removes: GBs a bench run. The test gives wrangler a home and config
dir of its own, so it sees exactly where wrangler writes.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from pos_app.devtools.local_worker import LocalWorker, node_available


@pytest.mark.worker
def test_wranglers_debug_log_goes_into_the_state_dir(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    if not node_available():
        pytest.skip("Node.js/npx is not installed: the Worker tests need Node.js 20+")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    state = tmp_path / "d1"

    with LocalWorker(state) as worker:
        assert httpx.get(f"{worker.url}/v1/health").status_code == 200

    assert worker.debug_log_dir.parent == state.resolve()
    logs = sorted(worker.debug_log_dir.glob("wrangler-*.log"))
    assert len(logs) >= 2  # the migrations' wrangler and `wrangler dev`, each its own file
    for log in logs:  # each starts by saying where it writes: here
        assert f'Writing logs to "{log}"' in log.read_text(errors="replace")
        assert worker.admin_token not in log.read_text(errors="replace")
    wrangler_homes = [home / ".config" / ".wrangler" / "logs", home / ".wrangler" / "logs"]
    assert [p for d in wrangler_homes if d.exists() for p in d.iterdir()] == []
