"""payments

Revision ID: 002_payments
Revises: 001_initial
"""
from alembic import op
import sqlalchemy as sa

revision = '002_payments'
down_revision = '001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('payments', sa.Column('id', sa.BigInteger, primary_key=True))


def downgrade():
    pass
