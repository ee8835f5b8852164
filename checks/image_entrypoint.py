"""Passes when the image's default command can start: the program its ENTRYPOINT (or, without one, its CMD) runs
is in the image, is a regular file and is executable.

The program is found the way a container runtime finds it: an absolute path is looked up in the image (symlinks
followed inside the image), a relative one against the config's WorkingDir, and a bare name through the config's
PATH. The shell form (``ENTRYPOINT /app/start``) runs ``/bin/sh -c``, so there the shell is the program. When the
program is a script, its ``#!`` interpreter must be in the image too (``#!/usr/bin/env python3`` looks
``python3`` up on PATH): a ``bash`` script in an image without bash fails here, not at 3 a.m.

Unknown is never a pass. A recipe (``dockerfile:``) whose base image is not read cannot show the ENTRYPOINT the
base sets, nor whether ``/bin/sh`` is there: such an answer ends the check ``error`` ("could not decide"), with
its grounds, or ``warn`` with ``on_unknown = "warn"``. A program presumed executable (a Go program a ``RUN``
builds) passes, and the report says on what presumption.

Example::

    [[check]]
    id = "entrypoint-starts"
    uses = "image.entrypoint"
    expect = "/app/server"      # optional: the program the container must start
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from preflight.api import CheckContext, PlatformVerdicts, ReaderError, Result, doc, image_result

if TYPE_CHECKING:
    from preflight.api import ImageView, PathInfo

needs = ("image",)

SHEBANG_LIMIT = 256


@dataclass
class Config:
    expect: str | None = doc('The program the container must start, e.g. "/app/server" (compared after '
                             'following symlinks).', default=None)
    interpreter: bool = doc("When the program is a script, its #! interpreter must be in the image and "
                            "executable too.", default=True)
    on_unknown: Literal["error", "warn"] = doc(
        'What an answer the image source cannot give does (a recipe whose base image is not read): "error" '
        'blocks the rollout (could not decide), "warn" lets it through with the grounds printed.', default="error")

    def __post_init__(self) -> None:
        if self.expect is not None and not self.expect.startswith("/"):
            raise ValueError(f"expect: {self.expect!r} is not absolute (image paths start with /)")


def run(config: Config, ctx: CheckContext) -> Result:
    image = ctx.image
    verdicts = []
    for view in image.views():
        if view.config is None:
            why = "; ".join(view.caveats) or "the source has no image config"
            return Result.errored(f"{image.ref}: no ENTRYPOINT or CMD to check: {why}",
                                  details={"image": image.ref})
        verdicts.append(_check_view(config, view))
    program = verdicts[0].details.get("program")
    return image_result(image.ref, verdicts, on_unknown=config.on_unknown,
                        passed=f"the entrypoint {program} is in the image and executable",
                        fix_problems="ship the program (and its interpreter) in the final stage, or fix "
                                     "ENTRYPOINT/CMD, then rebuild",
                        fix_unknowns="check the built image (docker-archive:, oci:, docker://), or map the base "
                                     "image in [targets.image] base_images")


def _grounds(info: PathInfo) -> str:
    return "; ".join(info.grounds)


def _check_view(config: Config, view: ImageView) -> PlatformVerdicts:
    assert view.config is not None
    c = view.config
    o = PlatformVerdicts(view, notes=list(view.caveats))
    out = o.details
    out.update({"entrypoint": list(c.entrypoint) if c.entrypoint is not None else None,
                "cmd": list(c.cmd) if c.cmd is not None else None})
    if c.unknown:
        out["unknown"] = list(c.unknown)
    if not c.program_known:
        o.unknowns.append("what the container runs is unknown: " + "; ".join(c.grounds))
        return o
    argv = c.argv
    if not argv or not argv[0]:
        o.problems.append("the image sets no ENTRYPOINT or CMD: the container has nothing to run")
        return o
    source = "ENTRYPOINT" if c.entrypoint else "CMD"
    program = argv[0]
    info, searched = _find_program(view, program)
    out["program"] = program
    if info is None:
        o.problems.append(f"{source} runs {program}, which is not on PATH ({':'.join(searched)})")
        out["searched"] = searched
        return o
    out["found"] = info.to_details()
    if "/" not in program and "PATH" in c.presumed:
        o.presumed.append(f"{program} was looked up on a presumed PATH: " + "; ".join(c.grounds))
    if info.unknown:
        o.unknowns.append(f"{source} runs {program}: {info.path}: the source cannot show that it ships: "
                          f"{_grounds(info)}")
        return o
    if not info.exists:
        o.problems.append(f"{source} runs {info.describe_missing()}")
        return o
    if info.type is None:
        o.unknowns.append(f"{source} runs {info.path}, whose type is unknown: {_grounds(info)}")
        return o
    if info.type != "file":
        o.problems.append(f"{source} runs {info.path}, which is a {info.type}, not a file")
        return o
    if info.executable_is_known:
        if not info.executable:
            o.problems.append(f"{source} runs {info.path}, which is not executable "
                              f"({'mode ' + format(info.mode, '04o') if info.mode is not None else 'no execute bit'})")
    elif "executable" in info.presumed:
        o.presumed.append(f"{info.path}: executable on a presumption: {_grounds(info)}")
    else:
        o.unknowns.append(f"{source} runs {info.path}, whether it is executable is unknown (the source does not "
                          f"state its mode): {_grounds(info)}")
    if info.presumed and any(p in info.presumed for p in ("present", "file")):
        o.presumed.append(f"{info.path}: found on a presumption: {_grounds(info)}")
    if config.expect is not None:
        (want,) = view.stat([config.expect], follow=True)
        if want.unknown:
            o.unknowns.append(f"{config.expect}: the source cannot show that it ships: {_grounds(want)}")
        elif not want.exists or want.resolved != info.resolved:
            o.problems.append(f"{source} runs {info.path}, not {config.expect}")
    if config.interpreter:
        try:
            head = view.read_file(info.path, limit=SHEBANG_LIMIT) if info.size != 0 else b""
        except ReaderError as e:
            o.unknowns.append(f"{info.path}: whether it is a script, and for which interpreter, is unknown: {e}")
            return o
        interp = _interpreter(view, head, source, info.path, o)
        if interp is not None:
            out["interpreter"] = interp
    return o


def _find_program(view: ImageView, program: str) -> tuple[PathInfo | None, list[str]]:
    """The program's PathInfo (None when a bare name is on no PATH directory) and the directories searched. A
    directory whose answer is unknown stops the search there, with that answer."""
    assert view.config is not None
    workdir = view.config.working_dir or "/"
    if "/" in program:
        path = program if program.startswith("/") else posixpath.join(workdir, program)
        return view.stat([path], follow=True)[0], []
    dirs, _ = view.config.path_dirs
    dirs = [d if d.startswith("/") else posixpath.join(workdir, d) for d in dirs]
    infos = view.stat([posixpath.join(d, program) for d in dirs], follow=True)
    for info in infos:
        if info.unknown:
            return info, dirs
        if info.exists and info.type in ("file", None) and (not info.executable_is_known or info.executable):
            return info, dirs
    return None, dirs


def _interpreter(view: ImageView, head: bytes, source: str, script: str, o: PlatformVerdicts) -> dict[str, Any] | None:
    if not head.startswith(b"#!"):
        return None
    line = head[2:].split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    words = line.split()
    if not words:
        o.problems.append(f"{source} runs {script}, whose #! line names no interpreter")
        return {"line": "#!" + line}
    out: dict[str, Any] = {"line": "#!" + line, "program": words[0]}
    assert view.config is not None
    # The kernel resolves a relative interpreter against the process's working directory.
    interp = words[0] if words[0].startswith("/") else posixpath.join(view.config.working_dir or "/", words[0])
    (info,) = view.stat([interp], follow=True)
    if info.unknown:
        o.unknowns.append(f"{source} runs {script}, a script for {words[0]}: the source cannot show that it ships: "
                          f"{_grounds(info)}")
        return out
    if not info.exists:
        o.problems.append(f"{source} runs {script}, a script for {info.describe_missing()}")
        return out
    if info.type not in ("file", None) or (info.executable_is_known and not info.executable):
        o.problems.append(f"{source} runs {script}, a script for {words[0]}, which is not an executable file")
        return out
    if posixpath.basename(words[0]) == "env":
        args = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        if args:
            found, searched = _find_program(view, args[0])
            out["env_program"] = args[0]
            if found is not None and found.unknown:
                o.unknowns.append(f"{source} runs {script}, a script for {args[0]} (through env): the source "
                                  f"cannot show that it ships: {_grounds(found)}")
            elif found is None or not found.exists:
                o.problems.append(f"{source} runs {script}, a script for {args[0]} (through env), which is not on "
                                  f"PATH ({':'.join(searched)})")
            else:
                out["env_found"] = found.path
    return out
