"""Use cases, queries, configuration and the one wiring module (bootstrap)."""
