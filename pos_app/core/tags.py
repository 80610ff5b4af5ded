"""Parse what the scanner (or a cashier) typed into a tag code, or say clearly why not.

Accepted forms, and nothing else (an unknown format is rejected, never guessed):

* consignor-item Code128 tags: ``1042-0017`` (1 to 6 digits each side of the dash), or the
  same zero-padded to 4+4 digits without the dash, ``10420017``. The canonical code is
  ``{consignor:04d}-{item:04d}``.
* EAN-13: 13 digits whose last is the GS1 check digit.
* UPC-A: 12 digits with a valid check digit; canonical form is the EAN-13 with a leading 0.

A wrong check digit is reported as such: ``python-barcode`` silently replaces it, so the
check is done here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MAX_TAG_LENGTH = 64

_DASHED = re.compile(r"^(\d{1,6})-(\d{1,6})$")
_PADDED = re.compile(r"^(\d{4})(\d{4})$")
_DIGITS = re.compile(r"^\d+$")


class TagKind(StrEnum):
    CONSIGNOR_ITEM = "consignor_item"
    EAN13 = "ean13"


class TagErrorKind(StrEnum):
    """Why a code is not a tag: its shape, or a check digit that does not match."""

    BAD_FORMAT = "bad_format"
    BAD_CHECK_DIGIT = "bad_check_digit"


class TagError(ValueError):
    """A scanned or typed code that is not a tag this register accepts."""

    def __init__(self, code: str, reason: str,
                 kind: TagErrorKind = TagErrorKind.BAD_FORMAT) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.kind = kind


@dataclass(frozen=True, slots=True)
class TagCode:
    kind: TagKind
    canonical: str
    consignor_number: int | None = None
    item_number: int | None = None


def gs1_check_digit(body: str) -> int:
    """The GS1 (EAN/UPC) check digit for the digits ``body`` (without the check digit)."""
    total = 0
    for position, char in enumerate(reversed(body)):
        weight = 3 if position % 2 == 0 else 1
        total += int(char) * weight
    return (10 - total % 10) % 10


def parse_tag(raw: str) -> TagCode:
    """Parse ``raw`` into a :class:`TagCode`, or raise :class:`TagError` with the reason."""
    code = raw.strip()
    if not code:
        raise TagError(raw, "Empty scan")
    if len(code) > MAX_TAG_LENGTH:
        raise TagError(raw, f"Code too long ({len(code)} characters)")
    if not code.isprintable() or not code.isascii():
        raise TagError(raw, "Code contains characters no tag has")
    if (match := _DASHED.match(code)) or (match := _PADDED.match(code)):
        return _consignor_item(raw, int(match.group(1)), int(match.group(2)))
    if _DIGITS.match(code) and len(code) in (12, 13):
        return _gs1(raw, code)
    raise TagError(raw, f"Unknown tag format: {code!r}")


def consignor_item_code(consignor_number: int, item_number: int) -> str:
    """The canonical tag code printed on a consignor-item tag."""
    return f"{consignor_number:04d}-{item_number:04d}"


def _consignor_item(raw: str, consignor: int, item: int) -> TagCode:
    if consignor == 0 or item == 0:
        raise TagError(raw, "Consignor and item numbers start at 1")
    return TagCode(TagKind.CONSIGNOR_ITEM, consignor_item_code(consignor, item), consignor, item)


def _gs1(raw: str, digits: str) -> TagCode:
    name = "UPC-A" if len(digits) == 12 else "EAN-13"
    expected = gs1_check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        raise TagError(raw, f"Wrong {name} check digit: ends in {digits[-1]}, expected {expected}",
                       TagErrorKind.BAD_CHECK_DIGIT)
    return TagCode(TagKind.EAN13, digits.zfill(13))
