"""The register's local database schema, as SQLAlchemy Core tables.

Catalog tables (event, discount rules, consignors, items) are a copy pulled from central;
sales, lines, tenders, voids, shifts and the journal are this register's append-only records;
the outbox, sync state and conflicts belong to the sync module. Money is integer cents;
timestamps are ISO-8601 UTC strings (see ``pos_app.core.sale.utc_timestamp``).

Every query goes through Core (the hot paths often as driver-level SQL on a Core connection),
so the schema is plain ``Table`` objects: no ORM classes, and no ``sqlalchemy.orm`` import at
start-up (it cost about 150 ms of a cold start; see docs/benchmarks.md). Alembic compares
:data:`metadata` with the migrated file (``tests/integration/store/test_migrations.py``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def key(name: str = "id", *extra: Any) -> Column[str]:
    """A text primary key (UUIDv7 ids, or the parent's id in a composite key)."""
    return Column(name, String, *extra, primary_key=True)


def text(name: str, *extra: Any, default: str | None = None, **options: Any) -> Column[str]:
    """A NOT NULL text column."""
    return Column(name, String, *extra, nullable=False, default=default, **options)


def number(name: str, *extra: Any, default: int | None = None, **options: Any) -> Column[int]:
    """A NOT NULL integer column (cents, counts, sequence numbers)."""
    return Column(name, Integer, *extra, nullable=False, default=default, **options)


def flag(name: str, default: bool) -> Column[bool]:
    """A NOT NULL boolean column with a default."""
    return Column(name, Boolean, nullable=False, default=default)


def optional_text(name: str) -> Column[str | None]:
    return Column(name, String, nullable=True)


def optional_number(name: str) -> Column[int | None]:
    return Column(name, Integer, nullable=True)


events = Table(
    "events", metadata,
    key(),
    text("name"),
    text("starts_on"),
    text("ends_on"),
    text("location", default=""),
    text("status", default="published"),
    number("tax_rate_bp", default=0),
    text("timezone", default="UTC"),
    number("change_seq", default=0),
)

discount_rules = Table(
    "discount_rules", metadata,
    key(),
    text("event_id", ForeignKey("events.id"), index=True),
    text("starts_at"),
    optional_text("ends_at"),
    number("percent_bp"),
    CheckConstraint("percent_bp > 0 AND percent_bp <= 10000", name="pct"),
)

consignors = Table(
    "consignors", metadata,
    key(),
    text("event_id", ForeignKey("events.id")),
    number("number"),
    text("name"),
    text("email", default=""),
    text("phone", default=""),
    number("split_bp", default=6500),
    number("change_seq", default=0),
    UniqueConstraint("event_id", "number"),
)

items = Table(
    "items", metadata,
    key(),
    text("event_id", ForeignKey("events.id")),
    number("consignor_number"),
    number("item_number"),
    text("tag_code"),
    text("description"),
    text("category", default=""),
    text("size", default=""),
    number("price_cents"),
    text("condition", default="good"),
    flag("discountable", True),
    flag("donate_if_unsold", False),
    text("status", default="approved"),
    optional_text("sold_sale_id"),
    optional_text("sold_register_id"),
    number("change_seq", default=0),
    # A tag is unique in its event. A separate index, not a table constraint, so that a first
    # catalog load can build it after its last page (pos_app/store/item_indexes.py).
    Index("uq_items_event_id_tag_code", "event_id", "tag_code", unique=True),
    Index("ix_items_event_consignor_item", "event_id", "consignor_number", "item_number"),
    CheckConstraint("price_cents >= 0", name="price"),
    CheckConstraint("condition IN ('new','like_new','good','fair')", name="condition"),
    CheckConstraint(
        "status IN ('pending','approved','rejected','sold','returned','donated')", name="status"),
)

#: This register's identity (one row). The sync token lives in the OS keyring.
registers = Table(
    "registers", metadata,
    key(),
    text("event_id", ForeignKey("events.id")),
    text("name"),
    optional_text("server_url"),
    flag("is_demo", False),
)

cashiers = Table(
    "cashiers", metadata,
    key(),
    text("name"),
    text("pin_hash"),
    text("role", default="cashier"),
    flag("active", True),
    CheckConstraint("role IN ('cashier','manager','volunteer')", name="role"),
)

shifts = Table(
    "shifts", metadata,
    key(),
    text("event_id"),
    text("register_id"),
    text("cashier_id", ForeignKey("cashiers.id")),
    text("opened_at"),
    number("opening_float_cents"),
    optional_text("closed_at"),
    optional_number("counted_cents"),
    optional_number("expected_cents"),
)

cash_drops = Table(
    "cash_drops", metadata,
    key(),
    text("shift_id", ForeignKey("shifts.id"), index=True),
    number("amount_cents"),
    text("created_at"),
)

no_sales = Table(  # the drawer opened without a sale, with a reason and a manager's approval
    "no_sales", metadata,
    key(),
    text("event_id"),
    text("register_id"),
    text("shift_id", ForeignKey("shifts.id"), index=True),
    text("cashier_id"),
    text("manager_id"),
    text("reason"),
    text("created_at"),
)

sales = Table(
    "sales", metadata,
    key(),
    text("event_id"),
    text("register_id"),
    number("seq"),
    optional_text("shift_id"),
    text("cashier_id"),
    text("created_at"),
    number("subtotal_cents"),
    number("discount_cents"),
    number("tax_cents"),
    number("total_cents"),
    number("item_count"),
    text("status", default="completed"),
    UniqueConstraint("register_id", "seq"),
    Index("ix_sales_shift", "shift_id"),
    Index("ix_sales_created_at", "created_at"),
    CheckConstraint("total_cents >= 0", name="total"),
)

sale_lines = Table(
    "sale_lines", metadata,
    key("sale_id", ForeignKey("sales.id")),
    number("line_no", primary_key=True),
    text("item_id", index=True),
    text("tag_code"),
    number("consignor_number"),
    text("description"),
    number("unit_price_cents"),
    number("discount_cents"),
    number("price_cents"),
)

price_overrides = Table(  # a line sold at a manager's price instead of the tag's
    "price_overrides", metadata,
    key("sale_id", ForeignKey("sales.id")),
    number("line_no", primary_key=True),
    number("tag_price_cents"),
    number("price_cents"),
    text("manager_id"),
    text("reason"),
)

refunds = Table(  # one line of an earlier sale paid back (append-only; the sale stands)
    "refunds", metadata,
    key(),
    text("sale_id", ForeignKey("sales.id"), index=True),
    number("line_no"),
    text("event_id"),
    text("register_id"),
    optional_text("shift_id"),
    text("cashier_id"),
    text("manager_id"),
    text("reason"),
    text("tender"),
    number("amount_cents"),
    text("created_at"),
    UniqueConstraint("sale_id", "line_no"),
)

tenders = Table(
    "tenders", metadata,
    key("sale_id", ForeignKey("sales.id")),
    number("line_no", primary_key=True),
    text("kind"),
    number("amount_cents"),
    optional_number("given_cents"),
    number("change_cents", default=0),
    optional_text("reference"),
    CheckConstraint("kind IN ('cash','card','other')", name="kind"),
)

#: A void is a new record referring to the sale; the sale row is never edited.
voids = Table(
    "voids", metadata,
    key(),
    text("sale_id", ForeignKey("sales.id"), unique=True),
    text("event_id"),
    text("register_id"),
    text("cashier_id"),
    optional_text("manager_id"),
    text("reason"),
    text("created_at"),
)

#: An item's status changes at check-in, pick-up and donation: append-only, like sales.
item_events = Table(
    "item_events", metadata,
    key(),
    text("event_id"),
    text("register_id"),
    text("item_id", ForeignKey("items.id")),
    text("tag_code"),
    text("from_status"),
    text("to_status"),
    optional_text("reason"),
    text("cashier_id"),
    text("created_at"),
    Index("ix_item_events_item_id", "item_id"),
)

#: The donations of one close of pick-up at this register, named for the charity's receipt.
charity_runs = Table(
    "charity_runs", metadata,
    key(),
    text("event_id"),
    text("register_id"),
    number("number"),
    text("charity"),
    text("manager_id"),
    text("created_at"),
    UniqueConstraint("event_id", "register_id", "number"),
)

#: Which donation events each charity run holds (an event is in at most one run).
charity_run_items = Table(
    "charity_run_items", metadata,
    key("item_event_id", ForeignKey("item_events.id")),
    text("run_id", ForeignKey("charity_runs.id")),
    Index("ix_charity_run_items_run_id", "run_id"),
)

held_carts = Table(
    "held_carts", metadata,
    key(),
    text("created_at"),
    text("cashier_id"),
    text("label"),
    text("payload"),
)

#: Append-only audit journal, hash-chained (see ``pos_app.core.journal``).
journal = Table(
    "journal", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    text("kind"),
    text("ref_id"),
    text("prev_hash"),
    text("entry_hash"),
    text("payload"),
    text("created_at"),
)

#: One sale's or void's rows waiting for the server; removed once acknowledged.
outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    text("kind"),
    text("ref_id"),
    text("payload"),
    text("created_at"),
    number("attempts", default=0),
    optional_text("last_error"),
    optional_text("quarantined_at"),
    Index("ix_outbox_quarantined", "quarantined_at"),
    sqlite_autoincrement=True,
)

sync_state = Table(
    "sync_state", metadata,
    key("key"),
    text("value"),
)

conflicts = Table(
    "conflicts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    text("kind"),
    optional_text("item_id"),
    optional_text("sale_id"),
    optional_text("register_id"),
    optional_text("winning_sale_id"),
    optional_text("winning_register_id"),
    text("received_at"),
    optional_text("acknowledged_at"),
)
