def main() -> None:
    print("pulse")
