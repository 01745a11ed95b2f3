"""user tier

Revision ID: 006_add_tier
Revises: 005_timezone
"""
from alembic import op
import sqlalchemy as sa

revision = '006_add_tier'
down_revision = '005_timezone'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('tier', sa.String(20), nullable=False, server_default='free'))


def downgrade():
    pass
