"""One PostgreSQL database for a network of NCPs: a tenant column on every table, row-level
security enabled and forced by NCP, natural keys per NCP, the application and network roles,
and the network's published figures (storage/tenancy.py). SQLite: nothing (one NCP).

Runs over whatever tables exist when it runs, so it comes after every migration that makes one;
a later migration's new table calls `storage.tenancy.enrol`.

Revision ID: 0038_tenancy
Revises: 0037_case_links
Create Date: 2026-12-02
"""

from alembic import op

from storage import tenancy

revision = "0038_tenancy"
down_revision = "0037_case_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    tenancy.install(op.get_bind())


def downgrade() -> None:
    tenancy.uninstall(op.get_bind())
