"""items: UNIQUE (event_id, tag_code) becomes a separate unique index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 23:10:00

Issue 16: a register's first catalog load builds the items table's indexes once after its
last page instead of updating them row by row (pos_app/store/item_indexes.py). The tag's
uniqueness was a table constraint, which SQLite cannot drop; as ``CREATE UNIQUE INDEX
uq_items_event_id_tag_code`` (same name, same columns, same refusal of a duplicate) it can be
deferred like the plain index. SQLite cannot drop a table constraint either, so ``items`` is
rebuilt (Alembic batch mode, from the table as defined here) with its rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNIQUE = "uq_items_event_id_tag_code"


def _items(*, tag_constraint: bool) -> sa.Table:
    """``items`` as of 0004, with the tag's uniqueness as a table constraint or without it."""
    unique = ([sa.UniqueConstraint("event_id", "tag_code", name=_UNIQUE)]
              if tag_constraint else [])
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
        sa.CheckConstraint(
            "status IN ('pending','approved','rejected','sold','returned','donated')",
            name="ck_items_status"),
        sa.CheckConstraint("price_cents >= 0", name="ck_items_price"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name="fk_items_event_id_events"),
        sa.PrimaryKeyConstraint("id", name="pk_items"),
        *unique,
        sa.Index("ix_items_event_consignor_item", "event_id", "consignor_number",
                 "item_number"),
    )


def upgrade() -> None:
    with op.batch_alter_table("items", copy_from=_items(tag_constraint=False),
                              recreate="always"):
        pass
    op.create_index(_UNIQUE, "items", ["event_id", "tag_code"], unique=True)


def downgrade() -> None:
    op.drop_index(_UNIQUE, table_name="items")
    with op.batch_alter_table("items", copy_from=_items(tag_constraint=True),
                              recreate="always"):
        pass
