"""projects, their API keys and audit events; every resource belongs to a project

Existing rows move into the `default` project, which this migration creates.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from app.db.types import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OWNED = ["models", "transforms", "datasets", "jobs"]


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("quotas", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_projects_created", "projects", ["created_at", "id"])
    projects = sa.table(
        "projects",
        sa.column("id", sa.String()),
        sa.column("name", sa.String()),
        sa.column("quotas", sa.JSON()),
        sa.column("created_at", UtcDateTime()),
        sa.column("updated_at", UtcDateTime()),
    )
    now = sa.func.current_timestamp()
    op.execute(
        projects.insert().values(
            id="default", name="default", quotas={}, created_at=now, updated_at=now
        )
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "project_id",
            sa.String(36),
            sa.ForeignKey("projects.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("expires_at", UtcDateTime()),
        sa.Column("revoked_at", UtcDateTime()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_api_keys_hash", "api_keys", ["key_hash"], unique=True)
    op.create_index("ix_api_keys_project", "api_keys", ["project_id", "created_at", "id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("key_id", sa.String(36)),
        sa.Column("caller", sa.String(64), nullable=False),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("route", sa.String(200), nullable=False),
        sa.Column("resource_id", sa.String(200)),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(128)),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_audit_events_project", "audit_events", ["project_id", "created_at", "id"])
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("project_id", sa.String(36), nullable=False, server_default="default")
            )
            batch.create_foreign_key(f"fk_{table}_project", "projects", ["project_id"], ["id"])
            batch.create_index(f"ix_{table}_project_id", ["project_id"])
    with op.batch_alter_table("jobs") as batch:
        batch.drop_index("ix_jobs_idempotency")
        batch.create_index(
            "ix_jobs_idempotency", ["project_id", "kind", "idempotency_key"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_index("ix_jobs_idempotency")
        batch.create_index("ix_jobs_idempotency", ["kind", "idempotency_key"], unique=True)
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_project_id")
            batch.drop_constraint(f"fk_{table}_project", type_="foreignkey")
            batch.drop_column("project_id")
    op.drop_table("audit_events")
    op.drop_table("api_keys")
    op.drop_table("projects")
