"""Failed logins counted per name and address, and per address, in one table: for names that
are accounts and names that are not alike (no enumeration), and so that failures from one
address cannot lock an account out for everyone else. The per-account columns go.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("users") as table:
        table.drop_column("failed_logins")
        table.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(sa.Column("locked_until", TS, nullable=True))
    op.drop_table("login_throttle")
