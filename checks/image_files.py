"""Passes when the image about to be promoted ships every path the rollout needs.

Reads the image of ``[targets.image]`` (a ``docker save`` archive, an OCI layout, a registry, an unpacked root
filesystem or, statically, a Dockerfile) without a Docker daemon and looks each path up in its merged filesystem,
the way a container would see it: whiteouts and opaque directories hide what lower layers held, and symlinks are
followed inside the image (an absolute link target is the image's root, never the host's).

A missing path fails, naming the nearest directory that does exist and what it holds ("/app has server,
worker, migrate"), so a binary the runtime stage never copied in is obvious. The details list, per path, what was
found: type, mode, size, owner, the layer it comes from and the symlinks followed.

With ``platform = "all"`` in ``[targets.image]`` every platform of a multi-platform image is checked, and the
check fails if any platform fails.

Example::

    [[check]]
    id = "backfill-binary"
    uses = "image.files"
    paths = ["/app/backfill_task_usage_hourly", "/app/migrate"]
    executable = true          # regular files (after symlinks) with an execute bit
    on_path = ["psql"]         # found through the image's PATH, like `which`
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from preflight.api import CheckContext, Finding, Result, Severity, doc

if TYPE_CHECKING:
    from preflight.image import ImageView, PathInfo

needs = ("image",)


@dataclass
class Config:
    paths: list[str] = doc('Absolute paths that must exist in the image, e.g. ["/app/migrate"].',
                           default_factory=list)
    executable: bool = doc("Each path must be a regular file (after symlinks) with an execute bit.",
                           default=False)
    on_path: list[str] = doc('Commands that must be found through the image config\'s PATH, like `which`: an '
                             'executable regular file in one of its directories, e.g. ["psql"].',
                             default_factory=list)
    type: Literal["file", "directory", "symlink"] | None = doc(
        'What each path must be: "file" and "directory" after following symlinks, "symlink" the path itself.',
        default=None)
    non_empty: bool = doc("Files must not be empty and directories must hold at least one entry.",
                          default=False)

    def __post_init__(self) -> None:
        if not self.paths and not self.on_path:
            raise ValueError("paths: give at least one path (or on_path)")
        for p in self.paths:
            if not p.startswith("/"):
                raise ValueError(f"paths: {p!r} is not absolute (image paths start with /)")
        for name in self.on_path:
            if not name or "/" in name:
                raise ValueError(f"on_path: {name!r} is not a command name (use paths for a path)")
        if self.type == "directory" and self.executable:
            raise ValueError("executable: a directory cannot be an executable file (drop type or executable)")


def run(config: Config, ctx: CheckContext) -> Result:
    image = ctx.image
    views = image.views()
    multi = len(views) > 1
    findings: list[Finding] = []
    per_platform: dict[str, Any] = {}
    for view in views:
        prefix = f"[{view.label()}] " if multi else ""
        view_details, problems, notes = _check_view(config, view)
        per_platform[view.label()] = view_details
        for message in problems:
            findings.append(Finding(Severity.FAILURE, prefix + message, data={"platform": view.platform}
                                    if multi else {}))
        for note in notes:
            findings.append(Finding(Severity.INFO, prefix + note))
    details: dict[str, Any] = {"image": image.ref}
    if multi:
        details["platforms"] = per_platform
    else:
        (only,) = per_platform.values()
        if views[0].platform:
            details["platform"] = views[0].platform
        details.update(only)
    failures = [f for f in findings if f.severity is Severity.FAILURE]
    if failures:
        summary = failures[0].message
        if len(failures) > 1:
            summary += f" (and {len(failures) - 1} more)"
        return Result.failed(summary, details=details, findings=findings,
                             remediation="ship the missing files in the image's final stage (COPY them in, with "
                                         "--chmod where they must be executable), rebuild, and check again")
    what = []
    if config.paths:
        what.append(f"{len(config.paths)} path{'s' if len(config.paths) != 1 else ''} present"
                    + (" and executable" if config.executable else ""))
    if config.on_path:
        what.append(f"{', '.join(config.on_path)} on PATH")
    where = f" on {len(views)} platforms" if multi else ""
    return Result.passed(f"{'; '.join(what)}{where}", details=details, findings=findings)


def _check_view(config: Config, view: ImageView) -> tuple[dict[str, Any], list[str], list[str]]:
    problems: list[str] = []
    notes: list[str] = list(view.caveats)
    out: dict[str, Any] = {}
    if config.paths:
        followed = view.stat(config.paths, follow=True)
        links = view.stat(config.paths, follow=False) if config.type == "symlink" else followed
        found: dict[str, Any] = {}
        for path, info, link in zip(config.paths, followed, links, strict=True):
            shown = link if config.type == "symlink" else info
            entry = shown.to_details()
            problem = _judge(config, view, info, link)
            if problem:
                problems.append(problem)
                entry.setdefault("problem", problem.removeprefix(f"{path}: "))
            elif config.executable and info.exists and info.mode is None:
                notes.append(f"{path}: executable not verified: the source does not state its mode")
            found[path] = entry
        out["paths"] = found
    if config.on_path:
        out["on_path"] = _on_path(config.on_path, view, problems, notes)
    return out, problems, _dedupe(notes)


def _judge(config: Config, view: ImageView, info: PathInfo, link: PathInfo) -> str | None:
    """What is wrong with one path, in one sentence; None when it is as required."""
    if config.type == "symlink":
        if not link.exists:
            return link.describe_missing()
        if link.type != "symlink":
            return f"{link.path}: is a {link.type}, not a symlink"
    if not info.exists:
        return info.describe_missing()
    kind = info.type
    if config.type in ("file", "directory") and kind is not None and kind != config.type:
        return f"{info.path}: is a {kind}, not a {config.type}"
    if config.executable:
        if kind is not None and kind != "file":
            return f"{info.path}: is a {kind}, not an executable file"
        if info.mode is not None and not info.executable:
            return f"{info.path}: not executable (mode {info.mode:04o})"
    if config.non_empty:
        if kind == "file" and info.size == 0:
            return f"{info.path}: is an empty file"
        if kind == "directory" and info.resolved is not None and not view.list_directory(info.resolved):
            return f"{info.path}: is an empty directory"
    return None


def _on_path(names: list[str], view: ImageView, problems: list[str], notes: list[str]) -> dict[str, Any]:
    if view.config is None:
        from preflight.image import DEFAULT_PATH

        dirs, from_config = DEFAULT_PATH.split(":"), False
    else:
        dirs, from_config = view.config.path_dirs
    if not from_config:
        notes.append("the image config sets no PATH: Docker's default PATH was searched")
    workdir = (view.config.working_dir if view.config else "") or "/"
    dirs = [d if d.startswith("/") else posixpath.join(workdir, d) for d in dirs]
    candidates = [posixpath.join(d, n) for n in names for d in dirs]
    infos = dict(zip(candidates, view.stat(candidates, follow=True), strict=True))
    out: dict[str, Any] = {}
    for name in names:
        hit = None
        not_exec = []
        for d in dirs:
            info = infos[posixpath.join(d, name)]
            if not info.exists or info.type not in ("file", None):
                continue
            if info.mode is not None and not info.executable:
                not_exec.append(info.path)
                continue
            hit = info
            break
        if hit is None:
            searched = ":".join(dirs)
            msg = f"{name}: not found on PATH ({searched})"
            if not_exec:
                msg += f"; {', '.join(not_exec)} exists but is not executable"
            problems.append(msg)
            out[name] = {"found": None, "searched": dirs}
        else:
            out[name] = {"found": hit.path, **hit.to_details()}
    return out


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x in seen or seen.add(x))]  # type: ignore[func-returns-value]
