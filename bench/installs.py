"""preflight installed the way users get it, for the benchmarks: a wheel in a virtualenv of its own under
bench/out/, byte-compiled by pip (an editable install adds an import hook that costs every start-up).

``preflight_bin(None)`` installs this checkout; ``preflight_bin("main")`` installs the tree of a git ref of this
repository (``git archive``), for before/after runs interleaved in one bench.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"


def preflight_bin(ref: str | None = None) -> Path:
    """The ``bin`` directory of a virtualenv holding preflight (this checkout, or git ref ``ref``)."""
    name = "checkout" if ref is None else "ref-" + re.sub(r"[^A-Za-z0-9._-]", "_", ref)
    venv = OUT / f"preflight-{name}"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    source = ROOT
    if ref is not None:
        source = OUT / f"src-{name}"
        shutil.rmtree(source, ignore_errors=True)
        source.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    # --force-reinstall of preflight alone: the tree's code, not the last bench run's; dependencies as they are.
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(source)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", str(source)],
                   check=True)
    return venv / "bin"


def label(ref: str | None) -> str:
    return "this checkout" if ref is None else ref
