"""Cashiers, the register's identity and held carts: the small tables, through Core."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos_app.store import models

cashiers = models.cashiers
registers = models.registers
events = models.events
held_carts = models.held_carts


@dataclass(frozen=True, slots=True)
class CashierRow:
    id: str
    name: str
    role: str
    pin_hash: str


@dataclass(frozen=True, slots=True)
class RegisterRow:
    id: str
    event_id: str
    name: str
    server_url: str | None
    is_demo: bool


@dataclass(frozen=True, slots=True)
class HeldCartRow:
    id: str
    created_at: str
    cashier_id: str
    label: str
    payload: str


def insert_cashier(connection: Connection, row: CashierRow) -> None:
    connection.execute(insert(cashiers), {
        "id": row.id, "name": row.name, "role": row.role, "pin_hash": row.pin_hash,
        "active": True,
    })


def active_cashiers(connection: Connection) -> list[CashierRow]:
    rows = connection.execute(
        select(cashiers.c.id, cashiers.c.name, cashiers.c.role, cashiers.c.pin_hash)
        .where(cashiers.c.active.is_(True)).order_by(cashiers.c.name, cashiers.c.id)
    )
    return [CashierRow(*row) for row in rows]


def cashier_role(connection: Connection, cashier_id: str) -> str | None:
    role = connection.execute(
        select(cashiers.c.role).where(cashiers.c.id == cashier_id, cashiers.c.active.is_(True))
    ).scalar_one_or_none()
    return None if role is None else str(role)


def replace_register(connection: Connection, row: RegisterRow) -> None:
    """Make ``row`` this database's only register identity.

    The event row is created as a placeholder when it has not been pulled yet; the first
    catalog pull fills it in.
    """
    connection.execute(
        sqlite_insert(events).on_conflict_do_nothing(index_elements=["id"]),
        {"id": row.event_id, "name": row.event_id, "starts_on": "", "ends_on": "",
         "status": "published"},
    )
    connection.execute(delete(registers))
    connection.execute(insert(registers), {
        "id": row.id, "event_id": row.event_id, "name": row.name,
        "server_url": row.server_url, "is_demo": row.is_demo,
    })


def load_register(connection: Connection) -> RegisterRow | None:
    row = connection.execute(
        select(registers.c.id, registers.c.event_id, registers.c.name, registers.c.server_url,
               registers.c.is_demo).limit(1)
    ).first()
    return None if row is None else RegisterRow(row[0], row[1], row[2], row[3], bool(row[4]))


def insert_hold(connection: Connection, row: HeldCartRow) -> None:
    connection.execute(insert(held_carts), {
        "id": row.id, "created_at": row.created_at, "cashier_id": row.cashier_id,
        "label": row.label, "payload": row.payload,
    })


def list_holds(connection: Connection) -> list[HeldCartRow]:
    rows = connection.execute(
        select(held_carts.c.id, held_carts.c.created_at, held_carts.c.cashier_id,
               held_carts.c.label, held_carts.c.payload)
        .order_by(held_carts.c.created_at, held_carts.c.id)
    )
    return [HeldCartRow(*row) for row in rows]


def take_hold(connection: Connection, hold_id: str) -> str | None:
    """Delete the held cart and return its payload (None if it is gone already)."""
    payload = connection.execute(
        select(held_carts.c.payload).where(held_carts.c.id == hold_id)
    ).scalar_one_or_none()
    if payload is None:
        return None
    connection.execute(delete(held_carts).where(held_carts.c.id == hold_id))
    return str(payload)
