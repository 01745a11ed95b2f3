"""balance transactions

Revision ID: 003_balance_transactions
Revises: 002_payments
"""
from alembic import op
import sqlalchemy as sa

revision = '003_balance_transactions'
down_revision = '002_payments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('balance_transactions', sa.Column('id', sa.BigInteger, primary_key=True))


def downgrade():
    pass
