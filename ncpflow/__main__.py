from ncpflow.cli import main

main()
