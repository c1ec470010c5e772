"""Entry points: the `ncpflow` command line (and, later, the web app)."""

__version__ = "0.1.0"
