"""Cashiers and managers, identified by PIN; PINs are stored as scrypt hashes only."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from sqlalchemy import insert, select

from pos_app.core.ids import new_id
from pos_app.store import models
from pos_app.store.engine import Database

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
cashiers = models.table_of(models.Cashier)


class PinError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class CashierView:
    id: str
    name: str
    role: str

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    check_pin_format(pin)
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r),
                            p=int(p))
    return hmac.compare_digest(digest.hex(), digest_hex)


def check_pin_format(pin: str) -> None:
    if not (pin.isdigit() and pin.isascii() and 4 <= len(pin) <= 8):
        raise PinError("A PIN is 4 to 8 digits")


class CashierService:
    def __init__(self, database: Database) -> None:
        self._database = database

    def create(self, name: str, pin: str, role: str = "cashier") -> CashierView:
        if role not in ("cashier", "manager"):
            raise PinError(f"Unknown role {role!r}")
        if self.login(pin) is not None:
            raise PinError("That PIN is taken: choose another")
        view = CashierView(new_id(), name.strip() or "Cashier", role)
        with self._database.unit_of_work() as unit:
            unit.connection.execute(insert(cashiers), [{
                "id": view.id, "name": view.name, "pin_hash": hash_pin(pin), "role": role,
                "active": True,
            }])
            unit.commit()
        return view

    def login(self, pin: str) -> CashierView | None:
        if not (pin.isdigit() and 4 <= len(pin) <= 8):
            return None
        with self._database.unit_of_work() as unit:
            rows = unit.connection.execute(
                select(cashiers.c.id, cashiers.c.name, cashiers.c.role, cashiers.c.pin_hash)
                .where(cashiers.c.active.is_(True))
            ).all()
        for cashier_id, name, role, pin_hash in rows:
            if verify_pin(pin, pin_hash):
                return CashierView(cashier_id, name, role)
        return None

    def verify_manager(self, pin: str) -> CashierView | None:
        cashier = self.login(pin)
        return cashier if cashier is not None and cashier.is_manager else None

    def all(self) -> list[CashierView]:
        with self._database.unit_of_work() as unit:
            rows = unit.connection.execute(
                select(cashiers.c.id, cashiers.c.name, cashiers.c.role).order_by(cashiers.c.name)
            ).all()
        return [CashierView(*row) for row in rows]
