from tally.main import run

run()
