"""A corrupt database at start-up: a clear message with the way back, not a traceback."""

import subprocess
import sys
from pathlib import Path


def test_corrupt_file_at_start_names_the_restore_command(tmp_path: Path) -> None:
    broken = tmp_path / "register.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)

    done = subprocess.run([sys.executable, "-m", "pos_app", "--db", str(broken)], check=False,
                          capture_output=True, text=True, timeout=60,
                          env={"QT_QPA_PLATFORM": "offscreen", "POS_APP_HOME": str(tmp_path),
                               "PATH": "/usr/bin:/bin"})

    assert done.returncode == 1
    assert "damaged" in done.stderr or "not a database" in done.stderr
    assert "pos-app restore" in done.stderr
    assert "Traceback" not in done.stderr
