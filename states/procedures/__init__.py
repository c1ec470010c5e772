"""Procedure definitions shipped with ncpflow, as TOML (docs/procedure-schema.md).

Read by workflow/procedures.py."""
