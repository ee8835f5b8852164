def check_nothing() -> None:
    pass
