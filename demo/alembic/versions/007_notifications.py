"""notifications flag

Revision ID: 007_notifications
Revises: 006_add_tier
"""
from alembic import op
import sqlalchemy as sa

revision = '007_notifications'
down_revision = '006_add_tier'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('notifications_enabled', sa.Boolean, nullable=False, server_default=sa.true()))


def downgrade():
    pass
