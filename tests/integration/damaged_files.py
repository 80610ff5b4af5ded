"""Damaged and held register files for the tests, made the same way on every run.

:func:`damage` overwrites 512-byte blocks of a closed (checkpointed) SQLite file with bytes from
a seeded RNG: twenty blocks anywhere after the header (``random``), the first block with the
header (``header``), or the first block (page header and cell pointers) of up to three pages of
the audit journal (``journal``, found with SQLite's ``dbstat`` table) or of the catalog's items
table (``catalog``, which the GUI's start-up checks behind the login). :func:`write_lock` and
:func:`exclusive_lock` hold a file from a second connection, as another program would.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

BLOCK = 512
KINDS = ("random", "header", "journal", "catalog")


def damage(path: Path, kind: str, seed: int = 11) -> list[int]:
    """Overwrite blocks of ``path`` as ``kind`` says; return their numbers."""
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "close the database first"
    rng = random.Random(seed)
    blocks = _blocks(path, kind, rng)
    with path.open("r+b") as handle:
        for block in blocks:
            handle.seek(block * BLOCK)
            handle.write(rng.randbytes(BLOCK))
    return blocks


def _blocks(path: Path, kind: str, rng: random.Random) -> list[int]:
    if kind == "header":
        return [0]
    if kind == "random":
        return sorted(rng.sample(range(1, path.stat().st_size // BLOCK), 20))
    if kind in ("journal", "catalog"):  # a page's first block: its header and cell pointers
        pages = _pages(path, "journal" if kind == "journal" else "items")
        per_page = _page_size(path) // BLOCK
        return sorted((page - 1) * per_page for page in rng.sample(pages, min(3, len(pages))))
    raise ValueError(kind)


def _pages(path: Path, table: str) -> list[int]:
    with closing(sqlite3.connect(path)) as connection:
        return [int(page) for (page,) in connection.execute(
            "SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", (table,))]


def _page_size(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("PRAGMA page_size").fetchone()[0])


def digest(path: Path) -> str:
    """The file's SHA-256: equal before and after means nothing was written."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sqlite_finds_damage(path: Path) -> bool:
    """Whether SQLite's own quick check, run directly, reports ``path`` as damaged."""
    try:
        with closing(sqlite3.connect(path)) as connection:
            connection.text_factory = bytes  # findings can quote bytes that are not UTF-8
            return connection.execute("PRAGMA quick_check").fetchall() != [(b"ok",)]
    except (sqlite3.DatabaseError, UnicodeDecodeError):  # the latter: a damaged schema
        return True


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another connection holds the write lock (BEGIN IMMEDIATE); WAL readers still read."""
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Another connection holds the file exclusively: nobody else can even read it."""
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
