"""The audit journal's hash chain: each entry hashes the previous hash and its payload.

``entry_hash = sha256_hex(prev_hash + "\\n" + payload)``, starting from 64 zeros. The
Worker computes the same, so an entry edited or removed on either side is detected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class JournalEntry:
    seq: int
    kind: str
    ref_id: str
    prev_hash: str
    entry_hash: str
    payload: str


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def next_entry(seq: int, kind: str, ref_id: str, prev_hash: str, payload: str) -> JournalEntry:
    return JournalEntry(seq, kind, ref_id, prev_hash, chain_hash(prev_hash, payload), payload)


@dataclass(frozen=True, slots=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(entries: Iterable[JournalEntry]) -> ChainBreak | None:
    """Return the first break in ``entries`` (in seq order), or None if the chain holds.

    A chain starts at seq 1 after :data:`GENESIS_HASH`, so a deleted first entry is reported
    as entry 1 missing.
    """
    expected_prev, expected_seq = GENESIS_HASH, 1
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(expected_seq, f"entry {expected_seq} is missing")
        if entry.prev_hash != expected_prev:
            return ChainBreak(entry.seq, "does not follow the previous entry")
        if chain_hash(entry.prev_hash, entry.payload) != entry.entry_hash:
            return ChainBreak(entry.seq, "payload or hash was edited")
        expected_prev, expected_seq = entry.entry_hash, entry.seq + 1
    return None
