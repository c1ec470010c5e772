"""Command groups of the `ncpflow` command line, one module each; cli.py registers them."""
