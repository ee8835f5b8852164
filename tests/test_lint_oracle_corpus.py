"""Placeholder: replaced below."""
from typing import Any


def summarize(terminalreporter: Any) -> None:
    return None
