"""Build hook: everything else is in pyproject.toml.

``preflight demo`` replays the incident from the files in ``examples/incident``. They stay where users browse
them (there is no second copy in the repository to drift); the wheel gets them as ``preflight/_examples/incident``
through this copy step, so ``pip install .`` users can run the demo too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
EXAMPLES = ("incident",)


class BuildPyWithExamples(build_py):
    def run(self) -> None:
        super().run()
        for name in EXAMPLES:
            source = HERE / "examples" / name
            target = Path(self.build_lib) / "preflight" / "_examples" / name
            if target.exists():
                shutil.rmtree(target)
            # copytree keeps the file modes: the app's programs must stay executable in the demo's image.
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("build", "__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithExamples})
