"""index accounts email

Revision ID: 8a4e6d2c1b33
Revises: 3f1c2a9b7d10
"""
from alembic import op
import sqlalchemy as sa

revision = "8a4e6d2c1b33"
down_revision = '3f1c2a9b7d10'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("accounts_email_idx", "accounts", ["email"])


def downgrade() -> None:
    pass
