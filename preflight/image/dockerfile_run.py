"""What a ``RUN`` step names: the paths whose answer it makes unknown.

A recipe's ``RUN`` steps are not executed, so whatever a step could have made, removed or changed is unknown.
A step *names* a path when, after the recipe's own variables are expanded, one of its words

- resolves (against the step's working directory) to the path or to a directory above it (``rm /app/server``,
  ``chown -R app /app``, ``find / -delete``);
- ends in the path's basename (``rm server``, ``chmod +x bin/server``);
- is a program or script it runs that lies in the path's directory or a directory above it
  (``/app/cleanup.sh``, ``sh ./configure``), which could touch it;
- is a wildcard, or holds a variable or command substitution the recipe does not set (``$f``, ``$(pwd)``), that
  could match any of the above;

or when a command of the step that may write anywhere in its working directory runs in the path's directory
or a directory above it (the ``WORKDIR``, other than ``/``, or where a ``cd`` took it): ``make`` and
``npm run build`` write where they run. Commands whose writes are known do not count as such:

- those that write only what they name: file commands (``rm``, ``mv``, ``cp``, ``chmod``, ``mkdir``...),
  ``echo``, ``cd``, user commands (``adduser``...), the system package managers (``apk add``,
  ``apt-get install``, ``dnf install``...), ``go build -o <path>``, ``go mod download``, ``python -m venv``,
  ``npm install -g``;
- ``pip install``, which writes ``build/`` and ``*.egg-info`` where it runs (setuptools builds a local project
  there), unless the environment's ``PATH`` or a ``PIP_``/``VIRTUAL_ENV`` variable puts the Python it installs
  into under that directory (a virtual environment there: then anything in it may change); what it only reads
  (``-r requirements.txt``, a local project whose build runs none of its own code: see :func:`pure_project`)
  is not named; ``uv sync`` likewise, with ``.venv`` and ``uv.lock``;
- ``npm ci`` and ``npm install``, which write ``node_modules`` (and ``package-lock.json``, ``package.json``
  for ``npm install``), provided that the ``package.json`` the stage holds there at that step has no
  install-time script (``preinstall``, ``install``, ``postinstall``, ``prepare``...), or ``--ignore-scripts``
  is given: a script could write anything.

A step that runs a program written in the recipe in another language than the shell (a ``RUN <<EOF`` heredoc
whose first line is ``#!/usr/bin/env python3``, ``python3 <<EOF``, ``node -e '...'``) names every path: its
words are not shell words, and it may change anything.

A bare word (``app``) names ``/app`` from ``/`` only in a step that runs a file command (``rm``, ``mv``,
``chmod``...), so that ``adduser app`` leaves ``/app`` alone. A step that names none of these leaves the answer
as it was.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from preflight.image.dockerfile_fs import image_path
from preflight.image.dockerignore import glob_to_regex

_SPLIT = re.compile(r"[\s;|&()<>`'\"=,:{}]+")
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_DYNAMIC = re.compile(r"\$\{[^}]*\}|\$\([^)]*\)?|\$[A-Za-z_0-9@*#?$!-]|`[^`]*`?")
DYNAMIC_MARK = "\x00"
FILE_COMMANDS = frozenset({
    "rm", "mv", "cp", "ln", "chmod", "chown", "chgrp", "mkdir", "rmdir", "touch", "install", "find", "tar",
    "unzip", "rsync", "truncate", "dd",
})
USER_COMMANDS = frozenset({"useradd", "adduser", "groupadd", "addgroup", "usermod", "groupmod", "passwd",
                           "chpasswd", "deluser", "delgroup"})
"""Their words are user and group names, not files (``adduser app`` does not touch ``/app``)."""
OWNER_COMMANDS = frozenset({"chown", "chgrp"})
INTERPRETERS = frozenset({"sh", "bash", "ash", "dash", "zsh", "source", ".", "exec", "python", "python3", "node",
                          "perl", "ruby", "php"})
QUIET_COMMANDS = (FILE_COMMANDS - {"tar", "unzip"}) | USER_COMMANDS | frozenset({
    "echo", "printf", "true", "false", ":", "set", "export", "unset", "test", "[", "exit", "sleep", "cd", "id",
    "ls", "cat", "which", "type", "whoami", "uname", "date", "sed", "grep", "update-ca-certificates",
    "ldconfig", "locale-gen", "update-alternatives", "dpkg", "corepack", "rpm", "setcap", "sync",
})
"""Commands that write nothing in their working directory but what their words name (``tar`` and ``unzip``
extract members there: not these)."""
PACKAGE_MANAGERS = {
    "apk": {"add", "del", "update", "upgrade", "cache", "info", "search", "version", "policy", "fix"},
    "apt-get": {"update", "install", "remove", "purge", "autoremove", "clean", "autoclean", "upgrade",
                "dist-upgrade", "full-upgrade"},
    "apt": {"update", "install", "remove", "purge", "autoremove", "clean", "autoclean", "upgrade",
            "dist-upgrade", "full-upgrade"},
    "yum": {"install", "remove", "erase", "clean", "update", "upgrade", "makecache"},
    "dnf": {"install", "remove", "erase", "clean", "update", "upgrade", "makecache"},
    "microdnf": {"install", "remove", "clean", "update", "upgrade", "makecache"},
    "tdnf": {"install", "remove", "erase", "clean", "update", "upgrade", "makecache"},
    "zypper": {"install", "in", "remove", "rm", "clean", "refresh", "ref", "update", "up"},
}
"""The system package managers and the subcommands that write only system directories (not ``apk fetch`` or
``apt-get download``, which write into the working directory)."""
NPM_SCRIPTS = ("preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare")
"""The root package's scripts that ``npm ci`` and ``npm install`` run (npm's lifecycle order)."""
PIP_ENV = re.compile(r"^(?:PATH|VIRTUAL_ENV|PIP_[A-Z_]+|PYTHONUSERBASE|UV_PROJECT_ENVIRONMENT)$")
class Absent:
    """What a :data:`Reader` returns for a path the stage certainly does not hold."""


ABSENT_FILE = Absent()
Reader = Callable[[str], "bytes | Absent | None"]
"""Reads a file of the stage as it stands before the step: its bytes, :data:`ABSENT_FILE` when the stage
certainly does not hold it, None when the recipe does not show it."""
_COMMANDS = re.compile(r"&&|\|\||[;|&\n()`]")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
GO_BUILD = re.compile(r"(?:^|[\s;&|(])go\s+(?:build|install)\b")


@dataclass
class RunStep:
    """One ``RUN`` (or ``ONBUILD RUN``) of a stage: its words and where it runs."""

    line: int
    where: str
    """"Dockerfile:12", for grounds."""
    cwd: str
    text: str
    """The command as written (shell form, JSON words joined, heredoc bodies), variables expanded."""
    statics: list[str] = field(default_factory=list)
    """Absolute paths its words resolve to."""
    basenames: set[str] = field(default_factory=set)
    executed: list[str] = field(default_factory=list)
    """Absolute paths of the programs and scripts it runs (a script may touch its own directory)."""
    patterns: list[tuple[str, re.Pattern[str], bool]] = field(default_factory=list)
    """(word, regex over absolute paths, whether it may also stand for a basename)."""
    file_command: bool = False
    go_build: bool = False
    writes_in: dict[str, str] = field(default_factory=dict)
    """Directory -> the command that runs there and may write anything in it."""
    program: str | None = None
    """Why the step may change anything anywhere (a program in another language than the shell)."""

    @classmethod
    def of(cls, line: int, where: str, cwd: str, text: str, env: dict[str, str | None] | None = None,
           read: Reader | None = None, program: str | None = None) -> RunStep:
        step = cls(line, where, cwd, text, program=program)
        step.go_build = GO_BUILD.search(text) is not None
        commands = []
        for command in _COMMANDS.split(text):
            words = [w.replace("'", "").replace('"', "") for w in command.split()]
            start = 0
            while start < len(words) and _ASSIGNMENT.match(words[start]):
                start += 1
            name = posixpath.basename(words[start]) if start < len(words) else ""
            commands.append((name, words, start))
        step.file_command = any(name in FILE_COMMANDS for name, _, _ in commands)
        step._working_directories(commands, env or {}, read)
        for name, words, start in commands:
            runs = [words[start]] if start < len(words) else []
            if name in INTERPRETERS:
                runs += [w for w in words[start + 1:] if not w.startswith("-")][:1]
            for program in runs:
                if "/" in program and DYNAMIC_MARK not in program:
                    step.executed.append(image_path(posixpath.join(cwd, program)))
            owner_pending = name in OWNER_COMMANDS
            read_only = _pip_reads(name, words, start)
            for j, word in enumerate(words):
                if j in read_only and DYNAMIC_MARK not in word and not any(c in word for c in "*?[") and (
                        not read_only[j] or pure_project(image_path(posixpath.join(cwd, word)), read)):
                    # a project or requirements file pip reads; a project gets build/ and *.egg-info
                    if read_only[j]:
                        step._outputs(image_path(posixpath.join(cwd, word)), PIP_OUTPUTS, "pip")
                    continue
                plain = name not in USER_COMMANDS
                if owner_pending and j > start and not word.startswith("-"):
                    owner_pending, plain = False, False     # chown's user:group, not a file
                for piece in _SPLIT.split(word):
                    if piece:
                        step._add(piece, plain)
        return step

    def _working_directories(self, commands: list[tuple[str, list[str], int]], env: dict[str, str | None],
                             read: Reader | None) -> None:
        """Where commands that may write anything in their directory run, and the known outputs of the others.
        After ``cd DIR`` a command is taken to run both where the step started and in DIR (a subshell's ``cd``
        does not last)."""
        dirs = [self.cwd]
        for name, words, start in commands:
            args = [w for w in words[start + 1:] if w]
            if name == "cd":
                target = next((w for w in args if not w.startswith("-")), None)
                if target is None:
                    target = env.get("HOME") or "/root"          # a bare cd goes home
                if DYNAMIC_MARK not in target:
                    dirs = [*dirs, image_path(posixpath.join(dirs[-1], target))]
                continue
            if not name:
                continue
            for d in dirs:
                outputs = _known_outputs(name, args, d, env, read)
                if outputs is None:
                    self.writes_in.setdefault(d, name)
                    continue
                self._outputs(d, outputs, name)

    def _outputs(self, directory: str, outputs: Sequence[str], command: str) -> None:
        """Names a command writes in ``directory``: a relative path, or a ``*`` pattern (``**/`` or not) matched at
        any depth."""
        for rel in outputs:
            if "*" in rel:
                name = rel.removeprefix("**/")
                rx = re.compile(re.escape(directory.rstrip("/")) + "/(?:.*/)?" + name.replace(".", r"\.").replace(
                    "*", "[^/]*") + r"(?:/.*)?\Z", re.DOTALL)
                word = f"{posixpath.join(directory, '**', name)} ({command} writes it)"
                # made in directories that are there (a workspace's own node_modules), not above them
                self.patterns.append((word, rx, False))
            else:
                self.statics.append(image_path(posixpath.join(directory, rel)))

    def _add(self, word: str, plain: bool = True) -> None:
        dynamic = DYNAMIC_MARK in word
        globby = any(c in word for c in "*?[")
        if word.startswith("-"):
            # "-o/out/x", "--output=/out" is split at "="; a flag word itself names nothing.
            rest = word.lstrip("-")
            if "/" not in rest:
                return
            word = rest[rest.index("/"):] if not rest.startswith("/") else rest
        if dynamic or globby:
            self._add_pattern(word)
            return
        clean = word.rstrip("/") or "/"
        base = posixpath.basename(clean)
        if base and base not in (".", "..") and plain:
            self.basenames.add(base)
        if "/" in word or (plain and (self.cwd != "/" or self.file_command)):
            resolved = image_path(posixpath.join(self.cwd, word))
            if resolved != "/" or word.startswith("/"):
                # "." or ".." from / names no more than running there does; only a written "/" names the root
                self.statics.append(resolved)

    def _add_pattern(self, word: str) -> None:
        parts = word.split(DYNAMIC_MARK)
        rx = ""
        for i, part in enumerate(parts):
            if i:
                rx += ".*"
            try:
                rx += glob_to_regex(part).pattern.removesuffix(r"\Z") if part else ""
            except (ValueError, IndexError):
                rx += re.escape(part)
        absolute = word.startswith("/") or word.startswith(DYNAMIC_MARK)
        anchored = rx if absolute else re.escape(self.cwd.rstrip("/")) + "/" + rx
        try:
            compiled = re.compile(anchored + r"\Z", re.DOTALL)
            bare = re.compile(rx + r"\Z", re.DOTALL)
        except re.error:
            compiled = bare = re.compile(r".*\Z", re.DOTALL)
        self.patterns.append((word.replace(DYNAMIC_MARK, "$?"), compiled, "/" not in word))
        if "/" not in word:
            self.patterns.append((word.replace(DYNAMIC_MARK, "$?"), bare, True))

    def names(self, path: str) -> str | None:
        """Why this step may have changed ``path`` (a phrase for grounds), or None when it names none of it."""
        if self.program is not None:
            return f"{self.program}, which may change anything"
        ancestors = _ancestors(path)
        base = posixpath.basename(path)
        for p in self.statics:
            if p == path:
                return f"names {path}"
            if p in ancestors:
                return f"names {p}, a directory above it"

        for p in self.executed:
            if posixpath.dirname(p) in ancestors and posixpath.dirname(p) != "/":
                return f"runs {p}, in a directory above it"
        for d, command in self.writes_in.items():
            if d != "/" and (path == d or path.startswith(d.rstrip("/") + "/")):
                return f"runs in {d} ({command} may write anything there)"
        for word, rx, bare in self.patterns:
            if rx.match(path) or any(rx.match(a) for a in ancestors) or (bare and rx.match(base)):
                return f"has {word}, which may stand for it"
        if base in self.basenames:
            return f"names {base}"
        return None

    def names_only_basename(self, path: str) -> bool:
        """Whether the step names ``path`` by its basename alone (a bare word like ``app``): that word may be
        a file it touches, but does not remove a directory of that name (``adduser app`` leaves ``/app``)."""
        reason = self.names(path)
        return reason is not None and reason == f"names {posixpath.basename(path)}" and not any(
            p == path for p in self.statics)

    def names_below(self, directory: str) -> str | None:
        """A path under ``directory`` this step names (which it may have made, and ``directory`` with it)."""
        prefix = directory.rstrip("/") + "/"
        for p in self.statics:
            if p.startswith(prefix) and directory != "/":
                return p
        return None

    def may_add_under(self, directory: str) -> bool:
        """Whether the step may have put something in ``directory`` the recipe does not show."""
        if self.program is not None:
            return True
        if self.names(directory):
            return True
        prefix = directory.rstrip("/") + "/"
        if any(p.startswith(prefix) for p in self.statics):
            return True
        if any(d != "/" and d.startswith(prefix) for d in self.writes_in):
            return True
        return any(rx.match(prefix + "x") for _, rx, _ in self.patterns)


def _known_outputs(name: str, args: list[str], cwd: str, env: dict[str, str | None],
                   read: Reader | None) -> list[str] | None:
    """What a command writes in its working directory beyond what it names (relative names, ``*`` patterns at
    any depth), or None when that is not known (it may write anything there)."""
    words = [a for a in args if not a.startswith("-")]
    sub = words[0] if words else ""
    if name in QUIET_COMMANDS or name in PACKAGE_MANAGERS and sub in PACKAGE_MANAGERS[name]:
        return []
    if name == "go":
        if sub == "mod" and words[1:2] == ["download"] or sub == "build" and any(
                a == "-o" or a.startswith("-o=") or a.startswith("-o/") for a in args):
            return []
        return None
    if name.startswith("python") and args[:2] == ["-m", "venv"]:
        return []
    if name.startswith("python") and args[:2] == ["-m", "pip"]:
        name, args = "pip", args[2:]
        words = [a for a in args if not a.startswith("-")]
        sub = words[0] if words else ""
    if name.startswith("python") and args[:2] == ["-m", "compileall"]:
        return []                                # __pycache__ under the directories it names
    if name == "uv" and sub == "sync":
        if "--no-install-project" not in args and not pure_project(cwd, read):
            return None
        venv = env.get("UV_PROJECT_ENVIRONMENT") or ".venv"
        return [venv, *(["uv.lock"] if "--frozen" not in args and "--locked" not in args else []), *PIP_OUTPUTS]
    if name == "uv" and sub == "pip":
        name, args = "pip", args[args.index("pip") + 1:]
        words = [a for a in args if not a.startswith("-")]
        sub = words[0] if words else ""
    if name in ("pip", "pip3") and sub in ("install", "uninstall"):
        prefix = cwd.rstrip("/") + "/"
        if any("://" in a or a.startswith("git+") for a in args):
            return None                          # a VCS requirement is cloned into ./src
        for key, value in env.items():
            if value and PIP_ENV.match(key) and any(
                    (p.rstrip("/") + "/").startswith(prefix) for p in value.split(":") if p.startswith("/")):
                return None                      # the Python it installs into lives here
        return list(PIP_OUTPUTS)
    if name == "npm" and sub in ("ci", "clean-install", "install", "i", "install-clean"):
        if "-g" in args or "--global" in args:
            return []
        # node_modules at any depth: workspaces get their own
        outputs = ["**/node_modules"] if sub in ("ci", "clean-install", "install-clean") else [
            "**/node_modules", "package-lock.json", "package.json"]
        if "--ignore-scripts" in args:
            return outputs
        data = read(posixpath.join(cwd, "package.json")) if read is not None else None
        if not isinstance(data, bytes):
            return None
        try:
            scripts = json.loads(data).get("scripts") or {}
        except (ValueError, AttributeError):
            return None
        return outputs if isinstance(scripts, dict) and not any(s in scripts for s in NPM_SCRIPTS) else None
    return None


BUILD_SCRIPTS = ("setup.py", "hatch_build.py", "pdm_build.py", "build.py")
"""Files of a Python project whose code its build runs (setuptools, hatch and pdm hooks, poetry's script)."""
_PYPROJECT_CODE = re.compile(r"backend-path|hooks|build-script|^\s*script\s*=", re.MULTILINE)


def pure_project(directory: str, read: Reader | None) -> bool:
    """Whether building the Python project in ``directory`` runs none of its own code: the recipe shows its
    ``pyproject.toml``, which names no in-tree backend, hook or build script, and shows that none of the files
    such code lives in is there. Otherwise its build may write anything."""
    if read is None:
        return False
    pyproject = read(posixpath.join(directory, "pyproject.toml"))
    if not isinstance(pyproject, bytes) or _PYPROJECT_CODE.search(pyproject.decode("utf-8", "replace")):
        return False
    return all(isinstance(read(posixpath.join(directory, name)), Absent) for name in BUILD_SCRIPTS)


PIP_OUTPUTS = ("build", "*.egg-info")
"""What building a local project writes in it (setuptools, which pip runs in the project's directory)."""
_PIP_READS = {"-e": True, "--editable": True, "-r": False, "--requirement": False, "-c": False,
              "--constraint": False}
_PIP_VALUED = {"-t", "--target", "--prefix", "--root", "--src", "-i", "--index-url", "--extra-index-url", "-f",
               "--find-links", "--cache-dir", "--python", "-p"}


def _pip_reads(name: str, words: list[str], start: int) -> dict[int, bool]:
    """The words of a ``pip install`` that name local paths it only reads: index -> whether it is a project
    (``.``, ``-e ./lib``; True) or a requirements file (``-r requirements.txt``; False). What ``--target`` and
    the like name stays named: pip writes there."""
    rest = words[start + 1:]
    offset = start + 1
    if name.startswith("python") and rest[:2] == ["-m", "pip"]:
        rest, offset = rest[2:], offset + 2
    elif name == "uv" and rest[:1] == ["pip"]:
        rest, offset = rest[1:], offset + 1
    elif name not in ("pip", "pip3"):
        return {}
    if "install" not in rest:
        return {}
    out: dict[int, bool] = {}
    i = rest.index("install") + 1
    while i < len(rest):
        word = rest[i]
        if word in _PIP_READS and i + 1 < len(rest):
            out[offset + i + 1] = _PIP_READS[word]
            i += 2
            continue
        if word in _PIP_VALUED:
            i += 2
            continue
        if not word.startswith("-") and (word == "." or word.startswith(("./", "../", "/")) or "/" in word):
            out[offset + i] = not word.endswith((".whl", ".tar.gz", ".zip"))
        i += 1
    return out


def _ancestors(path: str) -> set[str]:
    out = set()
    path = image_path(path)
    while path != "/":
        path = posixpath.dirname(path)
        out.add(path)
    return out


def expand_for_run(text: str, env: dict[str, str | None]) -> str:
    """The recipe's variables expanded in a RUN's text; what the shell alone knows (its own variables, command
    substitutions) becomes a marker that may stand for anything."""
    def known(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        value = env.get(name)
        return value if value is not None else DYNAMIC_MARK

    text = _VAR.sub(known, text)
    return _DYNAMIC.sub(DYNAMIC_MARK, text)
