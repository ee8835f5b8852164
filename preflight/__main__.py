from preflight.console import main

main()
