from ncpflow.program import run

run()
