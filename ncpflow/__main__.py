from ncpflow.cli import run

run()
