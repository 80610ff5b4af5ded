"""till records: no sales (the drawer opened without a sale, with a reason and a manager)
and price overrides (lines sold at a manager's price: the tag's price, the reason) and
refunds (single lines of earlier sales paid back)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 15:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "no_sales",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("register_id", sa.String(), nullable=False),
        sa.Column("shift_id", sa.String(), nullable=False),
        sa.Column("cashier_id", sa.String(), nullable=False),
        sa.Column("manager_id", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name=op.f("fk_no_sales_shift_id_shifts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_no_sales")),
    )
    with op.batch_alter_table("no_sales", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_no_sales_shift_id"), ["shift_id"], unique=False)
    op.create_table(
        "price_overrides",
        sa.Column("sale_id", sa.String(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("tag_price_cents", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_price_overrides_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("sale_id", "line_no", name=op.f("pk_price_overrides")),
    )
    op.create_table(
        "refunds",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("sale_id", sa.String(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("register_id", sa.String(), nullable=False),
        sa.Column("shift_id", sa.String(), nullable=True),
        sa.Column("cashier_id", sa.String(), nullable=False),
        sa.Column("manager_id", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("tender", sa.String(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_refunds_sale_id_sales")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
        sa.UniqueConstraint("sale_id", "line_no", name=op.f("uq_refunds_sale_id_line_no")),
    )
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refunds_sale_id"), ["sale_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refunds_sale_id"))
    op.drop_table("refunds")
    op.drop_table("price_overrides")
    with op.batch_alter_table("no_sales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_no_sales_shift_id"))
    op.drop_table("no_sales")
