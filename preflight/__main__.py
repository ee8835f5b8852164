from preflight.cli.console import main

main()
