"""The ``preflight`` console script.

``preflight --version`` answers at once: a deploy script that checks the version should not wait for the command
line's imports (click alone takes longer than the interpreter's start). Everything else goes to
:func:`preflight.cli.main.main`.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from preflight import __version__

        print(f"preflight {__version__}")
        return
    from preflight.cli.main import main as cli

    cli()
