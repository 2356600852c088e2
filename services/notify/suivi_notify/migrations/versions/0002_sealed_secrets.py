"""Webhook secrets are stored sealed (longer than the secret): text columns.

The sealing itself needs SUIVI_SECRET_KEY, which migrations do not see: notify seals the
secrets an older version stored in clear when it starts (subscriptions/sealing.py).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as table:
        table.alter_column(
            "secret", type_=sa.Text(), existing_type=sa.String(length=100), existing_nullable=False
        )
        table.alter_column(
            "previous_secret", type_=sa.Text(), existing_type=sa.String(length=100), existing_nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as table:
        table.alter_column(
            "secret", type_=sa.String(length=100), existing_type=sa.Text(), existing_nullable=False
        )
        table.alter_column(
            "previous_secret", type_=sa.String(length=100), existing_type=sa.Text(), existing_nullable=True
        )
