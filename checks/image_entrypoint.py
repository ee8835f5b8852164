"""Passes when the image's default command can start: the program its ENTRYPOINT (or, without one, its CMD) runs
is in the image, is a regular file and is executable.

The program is found the way a container runtime finds it: an absolute path is looked up in the image (symlinks
followed inside the image), a relative one against the config's WorkingDir, and a bare name through the config's
PATH. The shell form (``ENTRYPOINT /app/start``) runs ``/bin/sh -c``, so there the shell is the program. When the
program is a script, its ``#!`` interpreter must be in the image too (``#!/usr/bin/env python3`` looks
``python3`` up on PATH): a ``bash`` script in an image without bash fails here, not at 3 a.m.

Example::

    [[check]]
    id = "entrypoint-starts"
    uses = "image.entrypoint"
    expect = "/app/server"      # optional: the program the container must start
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from preflight.api import CheckContext, Finding, Result, Severity, doc

if TYPE_CHECKING:
    from preflight.image import ImageView, PathInfo

needs = ("image",)

SHEBANG_LIMIT = 256


@dataclass
class Config:
    expect: str | None = doc('The program the container must start, e.g. "/app/server" (compared after '
                             'following symlinks).', default=None)
    interpreter: bool = doc("When the program is a script, its #! interpreter must be in the image and "
                            "executable too.", default=True)

    def __post_init__(self) -> None:
        if self.expect is not None and not self.expect.startswith("/"):
            raise ValueError(f"expect: {self.expect!r} is not absolute (image paths start with /)")


def run(config: Config, ctx: CheckContext) -> Result:
    image = ctx.image
    views = image.views()
    multi = len(views) > 1
    findings: list[Finding] = []
    per_platform: dict[str, Any] = {}
    for view in views:
        prefix = f"[{view.label()}] " if multi else ""
        if view.config is None:
            why = "; ".join(view.caveats) or "the source has no image config"
            return Result.errored(f"{image.ref}: no ENTRYPOINT or CMD to check: {why}",
                                  details={"image": image.ref})
        view_details, problems, notes = _check_view(config, view)
        per_platform[view.label()] = view_details
        findings += [Finding(Severity.FAILURE, prefix + p) for p in problems]
        findings += [Finding(Severity.INFO, prefix + n) for n in notes]
    details: dict[str, Any] = {"image": image.ref}
    if multi:
        details["platforms"] = per_platform
    else:
        if views[0].platform:
            details["platform"] = views[0].platform
        details.update(next(iter(per_platform.values())))
    failures = [f for f in findings if f.severity is Severity.FAILURE]
    if failures:
        summary = failures[0].message + (f" (and {len(failures) - 1} more)" if len(failures) > 1 else "")
        return Result.failed(summary, details=details, findings=findings,
                             remediation="ship the program (and its interpreter) in the final stage, or fix "
                                         "ENTRYPOINT/CMD, then rebuild")
    program = next(iter(per_platform.values())).get("program")
    where = f" on {len(views)} platforms" if multi else ""
    return Result.passed(f"the entrypoint {program} is in the image and executable{where}", details=details,
                         findings=findings)


def _check_view(config: Config, view: ImageView) -> tuple[dict[str, Any], list[str], list[str]]:
    assert view.config is not None
    c = view.config
    notes = list(view.caveats)
    problems: list[str] = []
    out: dict[str, Any] = {"entrypoint": list(c.entrypoint) if c.entrypoint is not None else None,
                           "cmd": list(c.cmd) if c.cmd is not None else None}
    argv = c.argv
    if not argv or not argv[0]:
        problems.append("the image sets no ENTRYPOINT or CMD: the container has nothing to run")
        return out, problems, notes
    source = "ENTRYPOINT" if c.entrypoint else "CMD"
    program = argv[0]
    info, searched = _find_program(view, program)
    out["program"] = program
    if info is None:
        problems.append(f"{source} runs {program}, which is not on PATH ({':'.join(searched)})")
        out["searched"] = searched
        return out, problems, notes
    out["found"] = info.to_details()
    if not info.exists:
        problems.append(f"{source} runs {info.describe_missing()}")
        return out, problems, notes
    if info.type not in ("file", None):
        problems.append(f"{source} runs {info.path}, which is a {info.type}, not a file")
        return out, problems, notes
    if info.mode is None:
        notes.append(f"{info.path}: executable not verified: the source does not state its mode")
    elif not info.executable:
        problems.append(f"{source} runs {info.path}, which is not executable (mode {info.mode:04o})")
    if config.expect is not None:
        (want,) = view.stat([config.expect], follow=True)
        if not want.exists or want.resolved != info.resolved:
            problems.append(f"{source} runs {info.path}, not {config.expect}")
    if config.interpreter and info.type == "file" and info.size:
        head = view.read_file(info.path, limit=SHEBANG_LIMIT)
        interp = _interpreter(view, head, source, info.path, problems)
        if interp is not None:
            out["interpreter"] = interp
    elif config.interpreter and info.size is None:
        notes.append(f"{info.path}: the source holds no file contents: a #! interpreter is not checked")
    return out, problems, notes


def _find_program(view: ImageView, program: str) -> tuple[PathInfo | None, list[str]]:
    """The program's PathInfo (None when a bare name is on no PATH directory) and the directories searched."""
    assert view.config is not None
    workdir = view.config.working_dir or "/"
    if "/" in program:
        path = program if program.startswith("/") else posixpath.join(workdir, program)
        return view.stat([path], follow=True)[0], []
    dirs, _ = view.config.path_dirs
    dirs = [d if d.startswith("/") else posixpath.join(workdir, d) for d in dirs]
    infos = view.stat([posixpath.join(d, program) for d in dirs], follow=True)
    for info in infos:
        if info.exists and info.type in ("file", None) and (info.mode is None or info.executable):
            return info, dirs
    return None, dirs


def _interpreter(view: ImageView, head: bytes, source: str, script: str, problems: list[str]) -> dict[str, Any] | None:
    if not head.startswith(b"#!"):
        return None
    line = head[2:].split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    words = line.split()
    if not words:
        problems.append(f"{source} runs {script}, whose #! line names no interpreter")
        return {"line": "#!" + line}
    out: dict[str, Any] = {"line": "#!" + line, "program": words[0]}
    assert view.config is not None
    # The kernel resolves a relative interpreter against the process's working directory.
    interp = words[0] if words[0].startswith("/") else posixpath.join(view.config.working_dir or "/", words[0])
    (info,) = view.stat([interp], follow=True)
    if not info.exists:
        problems.append(f"{source} runs {script}, a script for {info.describe_missing()}")
        return out
    if info.type not in ("file", None) or (info.mode is not None and not info.executable):
        problems.append(f"{source} runs {script}, a script for {words[0]}, which is not an executable file")
        return out
    if posixpath.basename(words[0]) == "env":
        args = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        if args:
            found, searched = _find_program(view, args[0])
            out["env_program"] = args[0]
            if found is None or not found.exists:
                problems.append(f"{source} runs {script}, a script for {args[0]} (through env), which is not on "
                                f"PATH ({':'.join(searched)})")
            else:
                out["env_found"] = found.path
    return out
