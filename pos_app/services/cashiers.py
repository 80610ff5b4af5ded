"""Cashiers and managers, identified by PIN; PINs are stored as scrypt hashes only.

A stored hash reads ``scrypt$n$r$p$salt_hex$hash_hex``; checking compares digests in constant
time. Log-in is by PIN alone, so PINs are unique among active cashiers. PINs are 4 to 8 digits.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass

from pos_app.core.ids import new_id
from pos_app.store import people
from pos_app.store.engine import Database

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES, DIGEST_BYTES = 16, 32
ROLES = ("cashier", "manager", "volunteer")  # a volunteer works check-in and pick-up


class PinError(ValueError):
    """A PIN or cashier that cannot be accepted; the message is for the manager."""


@dataclass(frozen=True, slots=True)
class CashierView:
    id: str
    name: str
    role: str

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


def is_valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """The storable scrypt hash of ``pin`` (random salt unless given)."""
    if not is_valid_pin(pin):
        raise PinError("A PIN is 4 to 8 digits")
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches ``stored``; False for a malformed hash, never an exception."""
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        expected = bytes.fromhex(digest_hex)
        if scheme != "scrypt" or not is_valid_pin(pin):
            return False
        actual = _scrypt(pin, bytes.fromhex(salt_hex), int(n), int(r), int(p), size=len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, *, size: int = DIGEST_BYTES) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=size,
                          maxmem=256 * 1024 * 1024)


class CashierService:
    """Who may use the register."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def create(self, name: str, pin: str, role: str = "cashier") -> CashierView:
        if role not in ROLES:
            raise PinError(f"Unknown role {role!r}")
        pin_hash = hash_pin(pin)
        if self.login(pin) is not None:
            raise PinError("That PIN is taken: choose another")
        view = CashierView(new_id(), " ".join(name.split()) or "Cashier", role)
        with self._database.unit_of_work(immediate=True) as unit:
            people.insert_cashier(unit.connection,
                                  people.CashierRow(view.id, view.name, role, pin_hash))
            unit.commit()
        return view

    def login(self, pin: str) -> CashierView | None:
        """The active cashier with this PIN, or None."""
        if not is_valid_pin(pin):
            return None
        with self._database.unit_of_work() as unit:
            rows = people.active_cashiers(unit.connection)
        for row in rows:
            if verify_pin(pin, row.pin_hash):
                return CashierView(row.id, row.name, row.role)
        return None

    def verify_manager(self, pin: str) -> CashierView | None:
        """The manager with this PIN (for voids and overrides), or None."""
        cashier = self.login(pin)
        return cashier if cashier is not None and cashier.is_manager else None

    def as_manager[T](self, pin: str, action: Callable[[CashierView], T]) -> T | None:
        """``action(manager)`` if ``pin`` is a manager's; None (nothing done) if it is not."""
        manager = self.verify_manager(pin)
        return None if manager is None else action(manager)

    def list(self) -> list[CashierView]:
        with self._database.unit_of_work() as unit:
            rows = people.active_cashiers(unit.connection)
        return [CashierView(row.id, row.name, row.role) for row in rows]
