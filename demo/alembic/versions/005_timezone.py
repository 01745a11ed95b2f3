"""user timezone

Revision ID: 005_timezone
Revises: 004_subscriptions
"""
from alembic import op
import sqlalchemy as sa

revision = '005_timezone'
down_revision = '004_subscriptions'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('timezone', sa.Text, nullable=False, server_default='UTC'))


def downgrade():
    pass
