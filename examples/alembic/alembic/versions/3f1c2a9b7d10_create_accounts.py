"""create accounts

Revision ID: 3f1c2a9b7d10
Revises: 
"""
from alembic import op
import sqlalchemy as sa

revision = "3f1c2a9b7d10"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("accounts", sa.Column("id", sa.BigInteger, primary_key=True),
                    sa.Column("email", sa.Text, nullable=False))


def downgrade() -> None:
    pass
