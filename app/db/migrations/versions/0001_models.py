"""models and their tags

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

from app.db.types import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "models",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200)),
        sa.Column("description", sa.Text()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("architecture", sa.String(64), nullable=False),
        sa.Column("family", sa.String(16), nullable=False),
        sa.Column("pretrained", sa.Boolean(), nullable=False),
        sa.Column("zero_init_residual", sa.Boolean(), nullable=False),
        sa.Column("memory_efficient", sa.Boolean(), nullable=False),
        sa.Column("weights_name", sa.String(100)),
        sa.Column("weights_file", sa.String(200)),
        sa.Column("weights_sha256", sa.String(64)),
        sa.Column("num_classes", sa.Integer()),
        sa.Column("storage_uri", sa.String(1024), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_models_created", "models", ["created_at", "id"])
    op.create_index("ix_models_status", "models", ["status"])
    op.create_index("ix_models_architecture", "models", ["architecture"])
    op.create_table(
        "model_tags",
        sa.Column("model_id", sa.String(36),
                  sa.ForeignKey("models.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag", sa.String(64), primary_key=True),
    )
    op.create_index("ix_model_tags_tag", "model_tags", ["tag"])


def downgrade() -> None:
    op.drop_table("model_tags")
    op.drop_table("models")
