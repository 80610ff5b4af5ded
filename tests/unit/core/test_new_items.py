"""Item numbers for items entered at check-in: each register's block, apart from the others'."""

from __future__ import annotations

import pytest

from pos_app.core.new_items import MAX_REGISTER_NUMBER, NewItemDraft, NewItemError, item_block
from pos_app.core.tags import parse_tag


def test_blocks_of_two_registers_never_meet_nor_the_organisers_numbers() -> None:
    first, second = item_block(1), item_block(2)
    assert (first.start, first.stop - 1) == (11_001, 11_999)
    assert set(first).isdisjoint(second)
    assert min(first) > 9_999  # the organiser's catalog numbers items 1 to 9,999
    last = item_block(MAX_REGISTER_NUMBER)
    assert max(last) == 999_999
    assert parse_tag(f"1042-{max(last)}").canonical == "1042-999999"  # the scanner reads it


@pytest.mark.parametrize("number", [0, -1, MAX_REGISTER_NUMBER + 1])
def test_a_register_number_without_a_block_is_refused(number: int) -> None:
    with pytest.raises(NewItemError, match="has no item block"):
        item_block(number)


def test_an_ean_tag_names_no_consignor_so_the_typed_one_counts() -> None:
    draft = NewItemDraft(consignor="1042", description="Kite", price="8", tag="4006381333931")
    assert draft.consignor_number() == 1042
    tag = draft.tag_code()
    assert tag is not None and not tag.consignor_item
