"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 00:55:36.000455
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Written out table by table; test_migrations.py checks it against models.py.
    op.create_table(
        "cashiers",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("pin_hash", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("role IN ('cashier','manager')", name=op.f("ck_cashiers_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cashiers")),
    )
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("item_id", sa.String(), nullable=True),
        sa.Column("sale_id", sa.String(), nullable=True),
        sa.Column("register_id", sa.String(), nullable=True),
        sa.Column("winning_sale_id", sa.String(), nullable=True),
        sa.Column("winning_register_id", sa.String(), nullable=True),
        sa.Column("received_at", sa.String(), nullable=False),
        sa.Column("acknowledged_at", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("starts_on", sa.String(), nullable=False),
        sa.Column("ends_on", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_table(
        "held_carts",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("cashier_id", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_carts")),
    )
    op.create_table(
        "journal",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("ref_id", sa.String(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("entry_hash", sa.String(), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_journal")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("ref_id", sa.String(), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("quarantined_at", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_quarantined", ["quarantined_at"], unique=False)

    op.create_table(
        "sales",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("register_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.String(), nullable=True),
        sa.Column("cashier_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("subtotal_cents", sa.Integer(), nullable=False),
        sa.Column("discount_cents", sa.Integer(), nullable=False),
        sa.Column("tax_cents", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.CheckConstraint("total_cents >= 0", name=op.f("ck_sales_total")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales")),
        sa.UniqueConstraint("register_id", "seq", name=op.f("uq_sales_register_id_seq")),
    )
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.create_index("ix_sales_shift", ["shift_id"], unique=False)

    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "consignors",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("split_bp", sa.Integer(), nullable=False),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_consignors_event_id_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consignors")),
        sa.UniqueConstraint("event_id", "number", name=op.f("uq_consignors_event_id_number")),
    )
    op.create_table(
        "discount_rules",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("starts_at", sa.String(), nullable=False),
        sa.Column("ends_at", sa.String(), nullable=True),
        sa.Column("percent_bp", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "percent_bp > 0 AND percent_bp <= 10000", name=op.f("ck_discount_rules_pct")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_discount_rules_event_id_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discount_rules")),
    )
    with op.batch_alter_table("discount_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_discount_rules_event_id"), ["event_id"], unique=False)

    op.create_table(
        "items",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("consignor_number", sa.Integer(), nullable=False),
        sa.Column("item_number", sa.Integer(), nullable=False),
        sa.Column("tag_code", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("size", sa.String(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("condition", sa.String(), nullable=False),
        sa.Column("discountable", sa.Boolean(), nullable=False),
        sa.Column("donate_if_unsold", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("sold_sale_id", sa.String(), nullable=True),
        sa.Column("sold_register_id", sa.String(), nullable=True),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "condition IN ('new','like_new','good','fair')", name=op.f("ck_items_condition")
        ),
        sa.CheckConstraint(
            "status IN ('pending','approved','rejected','sold','returned')",
            name=op.f("ck_items_status"),
        ),
        sa.CheckConstraint("price_cents >= 0", name=op.f("ck_items_price")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_items_event_id_events")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
        sa.UniqueConstraint("event_id", "tag_code", name=op.f("uq_items_event_id_tag_code")),
    )
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_items_event_consignor_item",
            ["event_id", "consignor_number", "item_number"],
            unique=False,
        )

    op.create_table(
        "registers",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("server_url", sa.String(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_registers_event_id_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registers")),
    )
    op.create_table(
        "sale_lines",
        sa.Column("sale_id", sa.String(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(), nullable=False),
        sa.Column("tag_code", sa.String(), nullable=False),
        sa.Column("consignor_number", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("discount_cents", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_sale_lines_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("sale_id", "line_no", name=op.f("pk_sale_lines")),
    )
    with op.batch_alter_table("sale_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sale_lines_item_id"), ["item_id"], unique=False)

    op.create_table(
        "shifts",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("register_id", sa.String(), nullable=False),
        sa.Column("cashier_id", sa.String(), nullable=False),
        sa.Column("opened_at", sa.String(), nullable=False),
        sa.Column("opening_float_cents", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.String(), nullable=True),
        sa.Column("counted_cents", sa.Integer(), nullable=True),
        sa.Column("expected_cents", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cashier_id"], ["cashiers.id"], name=op.f("fk_shifts_cashier_id_cashiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
    )
    op.create_table(
        "tenders",
        sa.Column("sale_id", sa.String(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("given_cents", sa.Integer(), nullable=True),
        sa.Column("change_cents", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(), nullable=True),
        sa.CheckConstraint("kind IN ('cash','card','other')", name=op.f("ck_tenders_kind")),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_tenders_sale_id_sales")),
        sa.PrimaryKeyConstraint("sale_id", "line_no", name=op.f("pk_tenders")),
    )
    op.create_table(
        "voids",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("sale_id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("register_id", sa.String(), nullable=False),
        sa.Column("cashier_id", sa.String(), nullable=False),
        sa.Column("manager_id", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_voids_sale_id_sales")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voids")),
        sa.UniqueConstraint("sale_id", name=op.f("uq_voids_sale_id")),
    )
    op.create_table(
        "cash_drops",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("shift_id", sa.String(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name=op.f("fk_cash_drops_shift_id_shifts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_drops")),
    )
    with op.batch_alter_table("cash_drops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cash_drops_shift_id"), ["shift_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cash_drops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cash_drops_shift_id"))

    op.drop_table("cash_drops")
    op.drop_table("voids")
    op.drop_table("tenders")
    op.drop_table("shifts")
    with op.batch_alter_table("sale_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sale_lines_item_id"))

    op.drop_table("sale_lines")
    op.drop_table("registers")
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index("ix_items_event_consignor_item")

    op.drop_table("items")
    with op.batch_alter_table("discount_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discount_rules_event_id"))

    op.drop_table("discount_rules")
    op.drop_table("consignors")
    op.drop_table("sync_state")
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.drop_index("ix_sales_shift")

    op.drop_table("sales")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_quarantined")

    op.drop_table("outbox")
    op.drop_table("journal")
    op.drop_table("held_carts")
    op.drop_table("events")
    op.drop_table("conflicts")
    op.drop_table("cashiers")
