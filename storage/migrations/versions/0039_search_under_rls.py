"""Full-text search uses its GIN indexes under row-level security (PostgreSQL): the lookup runs
in two SECURITY DEFINER functions of the owner that keep the caller's NCP themselves, and
`case_search` no longer forces its policy on the owner (storage/search.py `install_functions`).
SQLite: nothing.

Revision ID: 0039_search_under_rls
Revises: 0038_tenancy
Create Date: 2026-12-02
"""

from alembic import op

from storage import search

revision = "0039_search_under_rls"
down_revision = "0038_tenancy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search.install_functions(op.get_bind())


def downgrade() -> None:
    search.uninstall_functions(op.get_bind())
