"""add accounts plan

Revision ID: c7d9e0f1a2b4
Revises: 8a4e6d2c1b33
"""
from alembic import op
import sqlalchemy as sa

revision = "c7d9e0f1a2b4"
down_revision = '8a4e6d2c1b33'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("plan", sa.Text))


def downgrade() -> None:
    pass
