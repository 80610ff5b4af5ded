"""item events (check-in, pick-up, donation), the donated status, the volunteer role

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01 15:20:00

Issue 13: each status change of an item at the hall is an append-only ``item_events`` row,
an item may now be ``donated``, and a check-in ``volunteer`` may log in. SQLite cannot
change a CHECK, so ``items`` and ``cashiers`` are rebuilt (Alembic batch mode, from the
tables as defined here) with their rows and indexes.
NOTE for the merge: another branch adds 0003; this revision then revises "0003".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = "status IN ('pending','approved','rejected','sold','returned')"
_NEW = "status IN ('pending','approved','rejected','sold','returned','donated')"


def _items(status_check: str) -> sa.Table:
    return sa.Table(
        "items", sa.MetaData(),
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
        sa.CheckConstraint("condition IN ('new','like_new','good','fair')",
                           name="ck_items_condition"),
        sa.CheckConstraint(status_check, name="ck_items_status"),
        sa.CheckConstraint("price_cents >= 0", name="ck_items_price"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name="fk_items_event_id_events"),
        sa.PrimaryKeyConstraint("id", name="pk_items"),
        sa.UniqueConstraint("event_id", "tag_code", name="uq_items_event_id_tag_code"),
        sa.Index("ix_items_event_consignor_item", "event_id", "consignor_number",
                 "item_number"),
    )


def _cashiers(role_check: str) -> sa.Table:
    return sa.Table(
        "cashiers", sa.MetaData(),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("pin_hash", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(role_check, name="ck_cashiers_role"),
        sa.PrimaryKeyConstraint("id", name="pk_cashiers"),
    )


_OLD_ROLES = "role IN ('cashier','manager')"
_NEW_ROLES = "role IN ('cashier','manager','volunteer')"


def _rebuild_items(status_check: str) -> None:
    """Recreate ``items`` as :func:`_items` defines it (rows copied, indexes rebuilt)."""
    with op.batch_alter_table("items", copy_from=_items(status_check), recreate="always"):
        pass


def upgrade() -> None:
    _rebuild_items(_NEW)
    with op.batch_alter_table("cashiers", copy_from=_cashiers(_NEW_ROLES), recreate="always"):
        pass
    op.create_table(
        "item_events",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("register_id", sa.String(), nullable=False),
        sa.Column("item_id", sa.String(), nullable=False),
        sa.Column("tag_code", sa.String(), nullable=False),
        sa.Column("from_status", sa.String(), nullable=False),
        sa.Column("to_status", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("cashier_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"],
                                name=op.f("fk_item_events_item_id_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_events")),
    )
    with op.batch_alter_table("item_events", schema=None) as batch_op:
        batch_op.create_index("ix_item_events_item_id", ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("item_events", schema=None) as batch_op:
        batch_op.drop_index("ix_item_events_item_id")
    op.drop_table("item_events")
    op.execute("UPDATE items SET status = 'approved' WHERE status = 'donated'")
    _rebuild_items(_OLD)
    op.execute("UPDATE cashiers SET active = 0, role = 'cashier' WHERE role = 'volunteer'")
    with op.batch_alter_table("cashiers", copy_from=_cashiers(_OLD_ROLES), recreate="always"):
        pass
