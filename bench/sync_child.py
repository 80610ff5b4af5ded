"""The catalog pull in a fresh process, so its peak RSS is the register's own figure.

    POS_BENCH_TOKEN=... python -m bench.sync_child pull URL DB REGISTER EVENT ITEMS

Configures a register database at DB, pulls the whole catalog from the Worker at URL, pulls
again (which must bring nothing), and prints one JSON line: pages, items, seconds, peak RSS.
The token comes from the environment, not the command line (other users can read ``ps``).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from bench.gui_child import peak_rss_mb


def pull(url: str, db: Path, register: str, event: str) -> dict[str, object]:
    from pos_app.services.setup import MemoryTokenStore, configure_register
    from pos_app.store.engine import Database
    from pos_app.sync.client import CentralClient
    from pos_app.sync.pull import Puller

    token = os.environ["POS_BENCH_TOKEN"]
    database = Database.open(db)
    configure_register(database, MemoryTokenStore(), register_id=register, event_id=event,
                       name="Bench", server_url=url, token=token)
    client = CentralClient(url, token, register, event)
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    first = Puller(database, client, register).pull_catalog()
    seconds = time.perf_counter() - started
    rss_after = peak_rss_mb()
    again = time.perf_counter()
    second = Puller(database, client, register).pull_catalog()
    second_s = time.perf_counter() - again
    client.close()
    database.close()
    return {"pages": first.pages, "items": first.items, "seconds": seconds,
            "rss_before_mb": rss_before, "peak_rss_mb": rss_after,
            "second_items": second.items, "second_seconds": second_s}


if __name__ == "__main__":
    _mode, url, db, register, event = sys.argv[1:6]
    print(json.dumps(pull(url, Path(db), register, event)), flush=True)
