"""The web entry point: FastAPI JSON API (api.py), sign-in helpers (auth.py), pages (pages.py)."""
