"""Settings shared by every test: the one Hypothesis profile.

A test asserts behaviour, never the machine's speed, so Hypothesis's per-example deadline (a
wall-clock assertion of 200 ms) is off here, once, for the whole suite; timings belong in
``bench/``. Health checks stay on. The example database is off, so a run depends only on
its seed (pytest-randomly seeds Hypothesis too; a failure prints the seed and the blob to
reproduce it).
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("pos_app", deadline=None, database=None, print_blob=True)
settings.load_profile("pos_app")
