"""The audit journal's hash chain: a valid chain verifies, and each kind of tampering is found."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.journal import (
    GENESIS_HASH,
    ChainBreak,
    JournalEntry,
    chain_hash,
    next_entry,
    verify_chain,
)


def build_chain(payloads: list[str]) -> list[JournalEntry]:
    entries: list[JournalEntry] = []
    prev = GENESIS_HASH
    for seq, payload in enumerate(payloads, start=1):
        entry = next_entry(seq, "sale", f"sale-{seq}", prev, payload)
        entries.append(entry)
        prev = entry.entry_hash
    return entries


CHAIN = build_chain([f'{{"id":"sale-{n}","total_cents":{n * 100}}}' for n in range(1, 7)])


def test_genesis_and_hash_formula() -> None:
    assert GENESIS_HASH == "0" * 64
    expected = hashlib.sha256(("0" * 64 + "\n" + '{"a":1}').encode("utf-8")).hexdigest()
    assert chain_hash(GENESIS_HASH, '{"a":1}') == expected


def test_known_answer_shared_with_the_worker() -> None:
    # sha256("000...000\n{}"): the Worker must compute the same bytes (UTF-8, one "\n").
    assert chain_hash(GENESIS_HASH, "{}") == hashlib.sha256(
        b"0000000000000000000000000000000000000000000000000000000000000000\n{}"
    ).hexdigest()
    assert chain_hash(GENESIS_HASH, "é") == hashlib.sha256(
        ("0" * 64 + "\né").encode()
    ).hexdigest()


def test_next_entry_links_to_the_previous_hash() -> None:
    entry = next_entry(1, "void", "void-1", GENESIS_HASH, "{}")
    assert entry == JournalEntry(1, "void", "void-1", GENESIS_HASH,
                                 chain_hash(GENESIS_HASH, "{}"), "{}")
    assert len(entry.entry_hash) == 64
    assert entry.entry_hash == entry.entry_hash.lower()
    assert all(c in "0123456789abcdef" for c in entry.entry_hash)
    assert CHAIN[1].prev_hash == CHAIN[0].entry_hash


def test_valid_chain_verifies() -> None:
    assert verify_chain(CHAIN) is None
    assert verify_chain(iter(CHAIN)) is None
    assert verify_chain(CHAIN[:1]) is None


def test_empty_journal_verifies() -> None:
    assert verify_chain([]) is None


def test_edited_payload_is_found_at_its_seq() -> None:
    entries = list(CHAIN)
    entries[2] = replace(entries[2], payload=entries[2].payload.replace("300", "3"))
    assert verify_chain(entries) == ChainBreak(3, "payload or hash was edited")


def test_edited_hash_is_found_at_its_seq() -> None:
    entries = list(CHAIN)
    entries[3] = replace(entries[3], entry_hash="f" * 64)
    assert verify_chain(entries) == ChainBreak(4, "payload or hash was edited")


def test_edited_and_rehashed_entry_breaks_the_next_link() -> None:
    entries = list(CHAIN)
    forged = next_entry(3, "sale", "sale-3", entries[2].prev_hash,
                        '{"id":"sale-3","total_cents":1}')
    entries[2] = forged
    assert verify_chain(entries) == ChainBreak(4, "does not follow the previous entry")


def test_edited_prev_hash_is_found_at_its_seq() -> None:
    entries = list(CHAIN)
    entries[4] = replace(entries[4], prev_hash=entries[2].entry_hash)
    assert verify_chain(entries) == ChainBreak(5, "does not follow the previous entry")


@pytest.mark.parametrize("missing", [2, 3, 4, 5])
def test_deleted_entry_is_found_at_its_seq(missing: int) -> None:
    entries = [e for e in CHAIN if e.seq != missing]
    assert verify_chain(entries) == ChainBreak(missing, f"entry {missing} is missing")


def test_deleted_first_entry_is_found_at_seq_1() -> None:
    # A chain starts at seq 1 after the genesis hash (the store numbers it so).
    assert verify_chain(CHAIN[1:]) == ChainBreak(1, "entry 1 is missing")
    assert verify_chain(CHAIN[3:]) == ChainBreak(1, "entry 1 is missing")


def test_chain_must_start_at_seq_1() -> None:
    renumbered = [replace(e, seq=e.seq + 10) for e in CHAIN]
    assert verify_chain(renumbered) == ChainBreak(1, "entry 1 is missing")


def test_first_entry_must_follow_genesis() -> None:
    entries = list(CHAIN)
    entries[0] = next_entry(1, "sale", "sale-1", "a" * 64, CHAIN[0].payload)
    assert verify_chain(entries) == ChainBreak(1, "does not follow the previous entry")


def test_deleted_entry_with_renumbering_is_found() -> None:
    entries = [e for e in CHAIN if e.seq != 3]
    entries = [replace(e, seq=n) for n, e in enumerate(entries, start=1)]
    assert verify_chain(entries) == ChainBreak(3, "does not follow the previous entry")


def test_reordered_entries_are_found_at_the_first_out_of_place_seq() -> None:
    entries = [CHAIN[0], CHAIN[1], CHAIN[3], CHAIN[2], CHAIN[4], CHAIN[5]]
    assert verify_chain(entries) == ChainBreak(3, "entry 3 is missing")


def test_swapped_payloads_are_found() -> None:
    entries = list(CHAIN)
    entries[1], entries[2] = (replace(entries[1], payload=CHAIN[2].payload),
                              replace(entries[2], payload=CHAIN[1].payload))
    assert verify_chain(entries) == ChainBreak(2, "payload or hash was edited")


def test_duplicated_entry_is_found() -> None:
    entries = [CHAIN[0], CHAIN[1], CHAIN[1], *CHAIN[2:]]
    found = verify_chain(entries)
    assert found is not None and found.seq == 3


def test_the_first_break_is_reported() -> None:
    entries = list(CHAIN)
    entries[1] = replace(entries[1], payload="x")
    entries[4] = replace(entries[4], payload="y")
    assert verify_chain(entries) == ChainBreak(2, "payload or hash was edited")


# --- fuzz: any single edit of a stored field is found, at or right after the edited entry -----

_field = st.sampled_from(["payload", "entry_hash", "prev_hash", "delete", "swap"])


@settings(max_examples=300)
@given(st.lists(st.text(max_size=30), min_size=2, max_size=12), st.data())
def test_any_tampering_is_detected(payloads: list[str], data: st.DataObject) -> None:
    entries = build_chain(payloads)
    assert verify_chain(entries) is None
    index = data.draw(st.integers(0, len(entries) - 2))   # not the tail: see below
    target = entries[index]
    kind = data.draw(_field)
    if kind == "payload":
        new = data.draw(st.text(max_size=30).filter(lambda p: p != target.payload))
        entries[index] = replace(target, payload=new)
        expected_seq = target.seq
    elif kind == "entry_hash":
        new = data.draw(st.from_regex(r"\A[0-9a-f]{64}\Z").filter(lambda h: h != target.entry_hash))
        entries[index] = replace(target, entry_hash=new)
        expected_seq = target.seq
    elif kind == "prev_hash":
        new = data.draw(st.from_regex(r"\A[0-9a-f]{64}\Z").filter(lambda h: h != target.prev_hash))
        entries[index] = replace(target, prev_hash=new)
        expected_seq = target.seq
    elif kind == "delete":
        del entries[index]
        expected_seq = target.seq
    else:
        entries[index], entries[index + 1] = entries[index + 1], entries[index]
        expected_seq = target.seq
    found = verify_chain(entries)
    assert found is not None
    assert found.seq == expected_seq
