"""Indexes for the commitments list: live rows by status and by recency.

Every list filters `deleted_at IS NULL` and the UI sorts by `updated_at DESC`. With only
single-column indexes the database fetched every row of a status (30% of the table), checked
it, then sorted; and each COUNT(*) read the wide rows (text, search_text) just to test
`deleted_at`. These composite indexes let a page be read in order and stop after 25 rows,
and let the counts be answered from the index alone (see docs/benchmarks.md, API).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_commitments_live_status_updated", "commitments", ["deleted_at", "status", "updated_at", "id"]
    )
    op.create_index("ix_commitments_live_updated", "commitments", ["deleted_at", "updated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_commitments_live_updated", table_name="commitments")
    op.drop_index("ix_commitments_live_status_updated", table_name="commitments")
