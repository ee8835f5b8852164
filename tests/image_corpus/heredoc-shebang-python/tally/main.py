def run():
    print("tally")
