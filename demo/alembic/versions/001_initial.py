"""initial tables

Revision ID: 001_initial
Revises: None
"""
from alembic import op
import sqlalchemy as sa

revision = '001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('users', sa.Column('id', sa.BigInteger, primary_key=True))


def downgrade():
    pass
