"""Tag codes: consignor-item Code128, EAN-13, UPC-A; everything else refused with a reason."""

from __future__ import annotations

import string

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from pos_app.core.tags import (
    MAX_TAG_LENGTH,
    TagCode,
    TagError,
    TagKind,
    consignor_item_code,
    gs1_check_digit,
    parse_tag,
)

EAN13 = "4006381333931"   # a real EAN-13 (check digit 1)
UPCA = "036000291452"     # a real UPC-A (check digit 2)


def _reason(raw: str) -> str:
    with pytest.raises(TagError) as caught:
        parse_tag(raw)
    error = caught.value
    assert error.code == raw
    assert str(error) == error.reason
    assert isinstance(error, ValueError)
    return error.reason


# --- consignor-item ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "consignor", "item", "canonical"),
    [
        ("1042-0017", 1042, 17, "1042-0017"),
        ("1042-17", 1042, 17, "1042-0017"),
        ("7-3", 7, 3, "0007-0003"),
        ("01042-000017", 1042, 17, "1042-0017"),
        ("123456-654321", 123456, 654321, "123456-654321"),
        ("12345-1", 12345, 1, "12345-0001"),
        ("10420017", 1042, 17, "1042-0017"),      # zero-padded 4+4 without the dash
        ("00070003", 7, 3, "0007-0003"),
        ("99999999", 9999, 9999, "9999-9999"),
        ("  1042-0017  ", 1042, 17, "1042-0017"),  # surrounding whitespace is not part of a tag
        ("\t10420017\r\n", 1042, 17, "1042-0017"),
    ],
)
def test_consignor_item_forms(raw: str, consignor: int, item: int, canonical: str) -> None:
    assert parse_tag(raw) == TagCode(TagKind.CONSIGNOR_ITEM, canonical, consignor, item)


def test_consignor_item_code_is_the_canonical_form() -> None:
    assert consignor_item_code(1042, 17) == "1042-0017"
    assert consignor_item_code(1, 1) == "0001-0001"
    assert consignor_item_code(123456, 7) == "123456-0007"


@pytest.mark.parametrize(
    "raw", ["0-17", "1042-0", "0000-0017", "1042-0000", "0-0", "000000-000001", "00000017",
            "10420000", "00000000"],
)
def test_zero_consignor_or_item_is_refused(raw: str) -> None:
    assert _reason(raw) == "Consignor and item numbers start at 1"


@pytest.mark.parametrize(
    "raw",
    [
        "1042-",
        "-0017",
        "1042--0017",
        "1042-0017-1",
        "1234567-1",        # seven digits before the dash
        "1-1234567",
        "1042 0017",        # a space is not a dash
        "1042_0017",
        "1042/0017",
        "1042-00a7",
        "A1042-0017",
        "1042-0017A",
        "abc",
        "ABCD-EFGH",
        "x",
        "-",
        "1",
        "1234567",          # 7 digits
        "123456789",        # 9 digits
        "12345678901",      # 11 digits
        "12345678901234",   # 14 digits (GTIN-14 is not accepted)
        "123456789012345",
    ],
)
def test_unknown_formats_are_refused_with_a_clear_message(raw: str) -> None:
    assert _reason(raw) == f"Unknown tag format: {raw.strip()!r}"


# --- EAN-13 and UPC-A ----------------------------------------------------------------------------


def test_gs1_check_digit_of_known_codes() -> None:
    assert gs1_check_digit(EAN13[:-1]) == 1
    assert gs1_check_digit(UPCA[:-1]) == 2
    assert gs1_check_digit("0" + UPCA[:-1]) == 2    # a leading zero never changes it
    assert gs1_check_digit("978030640615") == 7     # ISBN 978-0-306-40615-7
    assert gs1_check_digit("00000000000") == 0


def test_valid_ean13() -> None:
    assert parse_tag(EAN13) == TagCode(TagKind.EAN13, EAN13)
    assert parse_tag("9780306406157") == TagCode(TagKind.EAN13, "9780306406157")
    assert parse_tag(f" {EAN13}\n") == TagCode(TagKind.EAN13, EAN13)


def test_upca_is_normalised_to_ean13() -> None:
    tag = parse_tag(UPCA)
    assert tag == TagCode(TagKind.EAN13, "0" + UPCA)
    assert tag.consignor_number is None and tag.item_number is None
    assert parse_tag(tag.canonical) == tag
    assert parse_tag("0" + UPCA) == tag


@pytest.mark.parametrize("wrong", [d for d in "0123456789" if d != EAN13[-1]])
def test_every_wrong_ean13_check_digit_is_refused(wrong: str) -> None:
    raw = EAN13[:-1] + wrong
    assert _reason(raw) == (
        f"Wrong EAN-13 check digit: ends in {wrong}, expected {EAN13[-1]}"
    )


@pytest.mark.parametrize("wrong", [d for d in "0123456789" if d != UPCA[-1]])
def test_every_wrong_upca_check_digit_is_refused(wrong: str) -> None:
    raw = UPCA[:-1] + wrong
    assert _reason(raw) == f"Wrong UPC-A check digit: ends in {wrong}, expected {UPCA[-1]}"


def test_a_transposition_is_caught_by_the_check_digit() -> None:
    swapped = EAN13[1] + EAN13[0] + EAN13[2:]    # 0406... instead of 4006...
    assert "check digit" in _reason(swapped)


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", " ", "   ", "\t", "\r\n", "\u3000"])
def test_empty_scan(raw: str) -> None:
    assert _reason(raw) == "Empty scan"


@pytest.mark.parametrize(
    "raw",
    [
        "1042\x00-0017",
        "1042-\x1d0017",       # GS1 group separator
        "\x1b[A",
        "1042\t0017",
        "1042\n0017",
        "1042\x7f0017",
        "1042\u20130017",      # en dash
        "\uff11\uff10\uff14\uff12-\uff10\uff10\uff11\uff17",  # full-width
        "٤٠٠٦٣٨١٣٣٣٩٣١",       # Arabic-Indic digits that int() would accept
        "é",
        "1042-0017\u200b",     # zero-width space
    ],
)
def test_control_and_non_ascii_characters_are_refused(raw: str) -> None:
    assert _reason(raw) == "Code contains characters no tag has"


def test_too_long() -> None:
    assert _reason("1" * MAX_TAG_LENGTH).startswith("Unknown tag format")  # at the limit
    raw = "1" * (MAX_TAG_LENGTH + 1)
    assert _reason(raw) == f"Code too long ({MAX_TAG_LENGTH + 1} characters)"
    assert _reason("x" * 10_000) == "Code too long (10000 characters)"


def test_length_is_counted_after_stripping() -> None:
    raw = " " * 100 + "1042-0017" + " " * 100
    assert parse_tag(raw).canonical == "1042-0017"
    at_limit = "A" * MAX_TAG_LENGTH
    assert _reason(at_limit).startswith("Unknown tag format")


# --- fuzz ----------------------------------------------------------------------------------------

_tag_like = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=string.digits + "- \t", max_size=20),
    st.builds(lambda a, b: f"{a}-{b}", st.integers(0, 10**7), st.integers(0, 10**7)),
    st.builds(lambda a, b: f"{a:04d}{b:04d}", st.integers(0, 9999), st.integers(0, 9999)),
    st.from_regex(r"\A[0-9]{12,13}\Z"),
    st.from_regex(r"\A\d{8,13}\Z"),  # Unicode digits included: refused, never int()-ed
    st.builds(lambda body: body + str(gs1_check_digit(body)),
              st.from_regex(r"\A[0-9]{11,12}\Z")),
)


@settings(max_examples=500)
@given(_tag_like)
@example("4006381333931")
@example("036000291452")
@example("1042-0017")
@example("10420017")
def test_parse_tag_only_raises_tag_error_and_accepted_codes_round_trip(raw: str) -> None:
    try:
        tag = parse_tag(raw)
    except TagError as error:
        assert error.code == raw
        assert error.reason
        return
    again = parse_tag(tag.canonical)
    assert again == tag
    assert parse_tag(again.canonical).canonical == tag.canonical
    if tag.kind is TagKind.EAN13:
        assert len(tag.canonical) == 13 and tag.canonical.isdigit()
        assert gs1_check_digit(tag.canonical[:-1]) == int(tag.canonical[-1])
        assert tag.consignor_number is None and tag.item_number is None
    else:
        assert tag.consignor_number is not None and tag.item_number is not None
        assert tag.consignor_number >= 1 and tag.item_number >= 1
        assert tag.canonical == consignor_item_code(tag.consignor_number, tag.item_number)


@settings(max_examples=300)
@given(st.from_regex(r"\A[0-9]{12}\Z"), st.integers(1, 9))
def test_any_single_digit_error_in_the_check_digit_is_caught(body: str, delta: int) -> None:
    check = gs1_check_digit(body)
    good = body + str(check)
    assert parse_tag(good).canonical == good
    bad = body + str((check + delta) % 10)
    assume(bad != good)
    with pytest.raises(TagError, match="Wrong EAN-13 check digit"):
        parse_tag(bad)
