"""charity runs: the donations of one close of pick-up, named for the charity's receipt

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01 17:45:00

Issue 13: closing pick-up donates what is left as a "charity run" (a charity's name, the
time, the manager, a number per event at this register); ``charity_run_items`` says which
donation events it holds. Both tables are this register's own: the donations themselves
travel as item events.
NOTE for the merge: another branch adds 0005; this revision then revises "0005".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "charity_runs",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("register_id", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("charity", sa.String(), nullable=False),
        sa.Column("manager_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charity_runs")),
        sa.UniqueConstraint("event_id", "register_id", "number",
                            name=op.f("uq_charity_runs_event_id_register_id_number")),
    )
    op.create_table(
        "charity_run_items",
        sa.Column("item_event_id", sa.String(), nullable=False),
        sa.Column("run_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["item_event_id"], ["item_events.id"],
                                name=op.f("fk_charity_run_items_item_event_id_item_events")),
        sa.ForeignKeyConstraint(["run_id"], ["charity_runs.id"],
                                name=op.f("fk_charity_run_items_run_id_charity_runs")),
        sa.PrimaryKeyConstraint("item_event_id", name=op.f("pk_charity_run_items")),
    )
    with op.batch_alter_table("charity_run_items", schema=None) as batch_op:
        batch_op.create_index("ix_charity_run_items_run_id", ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("charity_run_items", schema=None) as batch_op:
        batch_op.drop_index("ix_charity_run_items_run_id")
    op.drop_table("charity_run_items")
    op.drop_table("charity_runs")
