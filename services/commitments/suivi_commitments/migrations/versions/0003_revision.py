"""A revision number of the commitments, for exact cached list totals.

Every list answer carries its total (Content-Range), and counting the matches of a filter
cost 5-25 ms on 100,000 commitments, far more than reading the page itself (bench/api.py).
Triggers bump a revision on any write to the tables a filter reads (commitments, their tags
and sources); a reader reads the revision in the same snapshot as its count, so a total
cached under (filter, revision) is exact, across every replica, until the next write.

On PostgreSQL the revision is the sum of 16 slots and a transaction bumps the slot of its
backend once (a transaction-local setting remembers it): concurrent writers rarely wait on
the same row, and a transaction of many statements does not pile up versions of one row.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("commitments", "commitment_tags", "sources")
SLOTS = 16


def upgrade() -> None:
    op.execute("CREATE TABLE commitments_revision (slot INTEGER PRIMARY KEY, value BIGINT NOT NULL)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"INSERT INTO commitments_revision SELECT g, 0 FROM generate_series(0, {SLOTS - 1}) g")
        # The table by its schema-qualified name: a SET search_path clause on the function would
        # also undo the transaction-local setting at every return.
        schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
        op.execute(
            "CREATE FUNCTION bump_commitments_revision() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF coalesce(current_setting('suivi.revision_bumped', true), '') = '' THEN "
            f'UPDATE "{schema}".commitments_revision SET value = value + 1 '
            f"WHERE slot = pg_backend_pid() % {SLOTS}; "
            "PERFORM set_config('suivi.revision_bumped', '1', true); "
            "END IF; RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_commitments_revision()"
            )
        return
    op.execute("INSERT INTO commitments_revision VALUES (0, 0)")
    for table in TABLES:
        for operation in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_revision_{operation.lower()} AFTER {operation} ON {table} "
                "BEGIN UPDATE commitments_revision SET value = value + 1; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_revision ON {table}")
        op.execute("DROP FUNCTION bump_commitments_revision()")
    else:
        for table in TABLES:
            for operation in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_revision_{operation}")
    op.execute("DROP TABLE commitments_revision")
