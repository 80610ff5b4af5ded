"""SQLAlchemy 2.x models of the register's local database.

Catalog tables (event, discount rules, consignors, items) are a copy pulled from central;
sales, lines, tenders, voids, shifts and the journal are this register's append-only records;
the outbox, sync state and conflicts belong to the sync module. Money is integer cents;
timestamps are ISO-8601 UTC strings (see ``pos_app.core.sale.utc_timestamp``).
Hot paths (tag lookup, sale commit) use these tables through SQLAlchemy Core.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    MetaData,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Event(Base):
    __tablename__ = "events"
    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    starts_on: Mapped[str]
    ends_on: Mapped[str]
    location: Mapped[str] = mapped_column(default="")
    status: Mapped[str] = mapped_column(default="published")
    tax_rate_bp: Mapped[int] = mapped_column(default=0)
    timezone: Mapped[str] = mapped_column(default="UTC")
    change_seq: Mapped[int] = mapped_column(default=0)


class DiscountRule(Base):
    __tablename__ = "discount_rules"
    id: Mapped[str] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    starts_at: Mapped[str]
    ends_at: Mapped[str | None]
    percent_bp: Mapped[int]
    __table_args__ = (CheckConstraint("percent_bp > 0 AND percent_bp <= 10000", name="pct"),)


class Consignor(Base):
    __tablename__ = "consignors"
    id: Mapped[str] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    number: Mapped[int]
    name: Mapped[str]
    email: Mapped[str] = mapped_column(default="")
    phone: Mapped[str] = mapped_column(default="")
    split_bp: Mapped[int] = mapped_column(default=6500)
    change_seq: Mapped[int] = mapped_column(default=0)
    __table_args__ = (UniqueConstraint("event_id", "number"),)


class Item(Base):
    __tablename__ = "items"
    id: Mapped[str] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    consignor_number: Mapped[int]
    item_number: Mapped[int]
    tag_code: Mapped[str]
    description: Mapped[str]
    category: Mapped[str] = mapped_column(default="")
    size: Mapped[str] = mapped_column(default="")
    price_cents: Mapped[int]
    condition: Mapped[str] = mapped_column(default="good")
    discountable: Mapped[bool] = mapped_column(default=True)
    donate_if_unsold: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(default="approved")
    sold_sale_id: Mapped[str | None]
    sold_register_id: Mapped[str | None]
    change_seq: Mapped[int] = mapped_column(default=0)
    __table_args__ = (
        UniqueConstraint("event_id", "tag_code"),
        Index("ix_items_event_consignor_item", "event_id", "consignor_number", "item_number"),
        CheckConstraint("price_cents >= 0", name="price"),
        CheckConstraint("condition IN ('new','like_new','good','fair')", name="condition"),
        CheckConstraint(
            "status IN ('pending','approved','rejected','sold','returned')", name="status"
        ),
    )


class Register(Base):
    """This register's identity (one row). The sync token lives in the OS keyring."""

    __tablename__ = "registers"
    id: Mapped[str] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    name: Mapped[str]
    server_url: Mapped[str | None]
    is_demo: Mapped[bool] = mapped_column(default=False)


class Cashier(Base):
    __tablename__ = "cashiers"
    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    pin_hash: Mapped[str]
    role: Mapped[str] = mapped_column(default="cashier")
    active: Mapped[bool] = mapped_column(default=True)
    __table_args__ = (CheckConstraint("role IN ('cashier','manager')", name="role"),)


class Shift(Base):
    __tablename__ = "shifts"
    id: Mapped[str] = mapped_column(primary_key=True)
    event_id: Mapped[str]
    register_id: Mapped[str]
    cashier_id: Mapped[str] = mapped_column(ForeignKey("cashiers.id"))
    opened_at: Mapped[str]
    opening_float_cents: Mapped[int]
    closed_at: Mapped[str | None]
    counted_cents: Mapped[int | None]
    expected_cents: Mapped[int | None]


class CashDrop(Base):
    __tablename__ = "cash_drops"
    id: Mapped[str] = mapped_column(primary_key=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    amount_cents: Mapped[int]
    created_at: Mapped[str]


class Sale(Base):
    __tablename__ = "sales"
    id: Mapped[str] = mapped_column(primary_key=True)
    event_id: Mapped[str]
    register_id: Mapped[str]
    seq: Mapped[int]
    shift_id: Mapped[str | None]
    cashier_id: Mapped[str]
    created_at: Mapped[str]
    subtotal_cents: Mapped[int]
    discount_cents: Mapped[int]
    tax_cents: Mapped[int]
    total_cents: Mapped[int]
    item_count: Mapped[int]
    status: Mapped[str] = mapped_column(default="completed")
    __table_args__ = (
        UniqueConstraint("register_id", "seq"),
        Index("ix_sales_shift", "shift_id"),
        Index("ix_sales_created_at", "created_at"),
        CheckConstraint("total_cents >= 0", name="total"),
    )


class SaleLine(Base):
    __tablename__ = "sale_lines"
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(index=True)
    tag_code: Mapped[str]
    consignor_number: Mapped[int]
    description: Mapped[str]
    unit_price_cents: Mapped[int]
    discount_cents: Mapped[int]
    price_cents: Mapped[int]


class Tender(Base):
    __tablename__ = "tenders"
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str]
    amount_cents: Mapped[int]
    given_cents: Mapped[int | None]
    change_cents: Mapped[int] = mapped_column(default=0)
    reference: Mapped[str | None]
    __table_args__ = (CheckConstraint("kind IN ('cash','card','other')", name="kind"),)


class Void(Base):
    """A void is a new record referring to the sale; the sale row is never edited."""

    __tablename__ = "voids"
    id: Mapped[str] = mapped_column(primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), unique=True)
    event_id: Mapped[str]
    register_id: Mapped[str]
    cashier_id: Mapped[str]
    manager_id: Mapped[str | None]
    reason: Mapped[str]
    created_at: Mapped[str]


class HeldCart(Base):
    __tablename__ = "held_carts"
    id: Mapped[str] = mapped_column(primary_key=True)
    created_at: Mapped[str]
    cashier_id: Mapped[str]
    label: Mapped[str]
    payload: Mapped[str]


class JournalEntry(Base):
    """Append-only audit journal, hash-chained (see ``pos_app.core.journal``)."""

    __tablename__ = "journal"
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[str]
    ref_id: Mapped[str]
    prev_hash: Mapped[str]
    entry_hash: Mapped[str]
    payload: Mapped[str]
    created_at: Mapped[str]


class OutboxEntry(Base):
    """One sale's or void's rows waiting for the server; removed once acknowledged."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_quarantined", "quarantined_at"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str]
    ref_id: Mapped[str]
    payload: Mapped[str]
    created_at: Mapped[str]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None]
    quarantined_at: Mapped[str | None]


class SyncState(Base):
    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[str]


class Conflict(Base):
    __tablename__ = "conflicts"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[str]
    item_id: Mapped[str | None]
    sale_id: Mapped[str | None]
    register_id: Mapped[str | None]
    winning_sale_id: Mapped[str | None]
    winning_register_id: Mapped[str | None]
    received_at: Mapped[str]
    acknowledged_at: Mapped[str | None]


def table_of(model: type[Base]) -> Table:
    """The Core ``Table`` of a model, for the hot paths that bypass the ORM."""
    return cast(Table, model.__table__)
