"""Adapters for persistence: SQLModel tables, the SQL unit of work, the audit log, migrations."""
