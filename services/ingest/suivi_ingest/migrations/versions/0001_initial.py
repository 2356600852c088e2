"""Documents, their contents and extracted items, the outbox and the inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("content_type", sa.String(200), nullable=True),
        sa.Column("format", sa.String(20), nullable=True),
        sa.Column("language", sa.String(10), nullable=True),
        sa.Column("language_hint", sa.String(10), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("commitment_count", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claim_token", sa.String(64), nullable=True),
        sa.Column("claimed_by", sa.String(200), nullable=True),
        sa.Column("lease_expires_at", TZ, nullable=True),
        sa.Column("created_at", TZ, nullable=True),
        sa.Column("updated_at", TZ, nullable=True),
        sa.UniqueConstraint("sha256"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_documents_status", "documents", ["status"])

    op.create_table(
        "document_contents",
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
    )

    op.create_table(
        "extracted_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("item_key", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("locator", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("actors", sa.JSON(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("negotiation_status", sa.String(20), nullable=False),
        sa.Column("deadline", sa.String(40), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.String(64), nullable=True),
        sa.UniqueConstraint("item_key"),
    )
    op.create_index("ix_extracted_items_document_id", "extracted_items", ["document_id"])
    op.create_index("ix_extracted_items_commitment_id", "extracted_items", ["commitment_id"])

    op.create_table(
        "ingest_state",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", TZ, nullable=True),
    )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=True),
        sa.Column("published_at", TZ, nullable=True),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index("ix_outbox_published_at", "outbox", ["published_at"])

    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("processed_at", TZ, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("inbox")
    op.drop_index("ix_outbox_published_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("ingest_state")
    op.drop_index("ix_extracted_items_commitment_id", table_name="extracted_items")
    op.drop_index("ix_extracted_items_document_id", table_name="extracted_items")
    op.drop_table("extracted_items")
    op.drop_table("document_contents")
    op.drop_index("ix_documents_status", table_name="documents")
    op.drop_table("documents")
