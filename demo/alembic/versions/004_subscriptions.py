"""subscriptions

Revision ID: 004_subscriptions
Revises: 003_balance_transactions
"""
from alembic import op
import sqlalchemy as sa

revision = '004_subscriptions'
down_revision = '003_balance_transactions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('subscriptions', sa.Column('id', sa.BigInteger, primary_key=True))


def downgrade():
    pass
