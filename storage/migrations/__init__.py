"""Alembic migrations, shipped inside the package; `ncpflow init` applies them."""
