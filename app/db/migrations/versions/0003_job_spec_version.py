"""jobs: the version of the kind's spec, and max_runtime_seconds as a column of its own

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(
            sa.Column("spec_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(sa.Column("max_runtime_seconds", sa.Integer()))
    # The runner read the limit from the spec before; existing jobs keep theirs.
    jobs = sa.table(
        "jobs",
        sa.column("id", sa.String()),
        sa.column("spec", sa.JSON()),
        sa.column("max_runtime_seconds", sa.Integer()),
    )
    connection = op.get_bind()
    for job_id, spec in connection.execute(sa.select(jobs.c.id, jobs.c.spec)).all():
        limit = (spec or {}).get("max_runtime_seconds")
        if isinstance(limit, int):
            connection.execute(
                jobs.update().where(jobs.c.id == job_id).values(max_runtime_seconds=limit)
            )


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("max_runtime_seconds")
        batch.drop_column("spec_version")
