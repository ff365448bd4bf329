"""transforms, datasets, jobs and job events; trained models' classes and metrics

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from app.db.types import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("models") as batch:
        batch.add_column(sa.Column("class_names", sa.JSON()))
        batch.add_column(sa.Column("training_job_id", sa.String(36)))
        batch.add_column(sa.Column("metrics", sa.JSON()))
    op.create_table(
        "transforms",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200)),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_transforms_created", "transforms", ["created_at", "id"])
    op.create_table(
        "datasets",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200)),
        sa.Column("description", sa.Text()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source_uri", sa.String(2048), nullable=False),
        sa.Column("source_format", sa.String(32), nullable=False),
        sa.Column("labelled", sa.Boolean()),
        sa.Column("parent_id", sa.String(36)),
        sa.Column("job_id", sa.String(36)),
        sa.Column("image_count", sa.Integer()),
        sa.Column("skipped_count", sa.Integer()),
        sa.Column("classes", sa.JSON()),
        sa.Column("class_counts", sa.JSON()),
        sa.Column("image_stats", sa.JSON()),
        sa.Column("storage_uri", sa.String(1024), nullable=False),
        sa.Column("error_code", sa.String(64)),
        sa.Column("error_message", sa.Text()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_datasets_created", "datasets", ["created_at", "id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("sub_status", sa.String(32)),
        sa.Column("waiting_reason", sa.String(200)),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON()),
        sa.Column("progress", sa.JSON()),
        sa.Column("checkpoint", sa.JSON()),
        sa.Column("transitions", sa.JSON(), nullable=False),
        sa.Column("error_code", sa.String(64)),
        sa.Column("error_message", sa.Text()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("lease_token", sa.String(36)),
        sa.Column("lease_owner", sa.String(200)),
        sa.Column("lease_expires_at", UtcDateTime()),
        sa.Column("model_id", sa.String(36)),
        sa.Column("dataset_id", sa.String(36)),
        sa.Column("idempotency_key", sa.String(200)),
        sa.Column("request_hash", sa.String(64)),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime()),
        sa.Column("finished_at", UtcDateTime()),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_jobs_claim", "jobs", ["status", "kind", "created_at"])
    op.create_index("ix_jobs_created", "jobs", ["created_at", "id"])
    op.create_index("ix_jobs_idempotency", "jobs", ["kind", "idempotency_key"], unique=True)
    op.create_table(
        "job_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "job_id", sa.String(36), sa.ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_job_events_job", "job_events", ["job_id", "id"])


def downgrade() -> None:
    op.drop_table("job_events")
    op.drop_table("jobs")
    op.drop_table("datasets")
    op.drop_table("transforms")
    with op.batch_alter_table("models") as batch:
        batch.drop_column("metrics")
        batch.drop_column("training_job_id")
        batch.drop_column("class_names")
