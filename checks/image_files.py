"""Passes when the image about to be promoted ships every path the rollout needs; never when it cannot know.

Reads the image of ``[targets.image]`` without a Docker daemon and looks each path up in its merged filesystem,
the way a container would see it: whiteouts and opaque directories hide what lower layers held, and symlinks are
followed inside the image (an absolute link target is the image's root, never the host's).

Every path is answered *present*, *absent* or *unknown*, with its grounds. A built image (``docker-archive:``,
``oci:``, ``oci-archive:``, ``docker://``, ``dir:``) answers present or absent, from its layers. A recipe
(``dockerfile:``) answers what it can show and says *unknown* where it cannot (a ``RUN`` step that names the
path, a base image that is not read); a few answers rest on a stated presumption (a program a ``RUN`` builds is
presumed a file, a Go program executable, a path under a directory the recipe makes presumed absent from an
unread base image).

- A path passes only when present (and, with ``executable = true``, only on a known execute bit, or one
  presumed for a Go program a ``RUN`` builds); a presumed answer decides, and the report says so.
- An absent path fails, naming the nearest directory that does exist and what it holds ("/app has server,
  worker, migrate"), so a binary the runtime stage never copied in is obvious.
- An unknown answer is never a pass: the check ends ``error`` ("could not decide"), or ``warn`` with
  ``on_unknown = "warn"`` (for pull requests, where the built image is checked later).

The grounds of every unknown or presumed answer are printed on the check's own lines of the text report, and
the JSON details carry, per path, ``presence``, ``grounds``, ``presumed``, type, mode, owner, size, the layer
it comes from and the symlinks followed.

With ``platform = "all"`` in ``[targets.image]`` every platform of a multi-platform image is checked, and the
check fails if any platform fails.

Example::

    [[check]]
    id = "backfill-binary"
    uses = "image.files"
    paths = ["/app/backfill_task_usage_hourly", "/app/migrate"]
    executable = true          # regular files (after symlinks) with an execute bit
    on_path = ["psql"]         # found through the image's PATH, like `which`
    on_unknown = "error"       # or "warn": a path the source cannot show does not block
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from preflight.api import CheckContext, PlatformVerdicts, Result, doc, image_result

if TYPE_CHECKING:
    from preflight.api import ImageView, PathInfo

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
    on_unknown: Literal["error", "warn"] = doc(
        'What an answer the image source cannot give (a recipe that cannot show a path) does: "error" blocks '
        'the rollout (could not decide), "warn" lets it through with the grounds printed.', default="error")

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
    verdicts = [_check_view(config, view) for view in image.views()]
    what = []
    if config.paths:
        what.append(f"{len(config.paths)} path{'s' if len(config.paths) != 1 else ''} present"
                    + (" and executable" if config.executable else ""))
    if config.on_path:
        what.append(f"{', '.join(config.on_path)} on PATH")
    return image_result(image.ref, verdicts, on_unknown=config.on_unknown, passed="; ".join(what),
                        fix_problems="ship the missing files in the image's final stage (COPY them in, with "
                                     "--chmod where they must be executable), rebuild, and check again",
                        fix_unknowns="check the built image (docker-archive:, oci:, docker://), map the base image "
                                     "in [targets.image] base_images, or ship the path with COPY where the recipe "
                                     "shows it")


def _check_view(config: Config, view: ImageView) -> PlatformVerdicts:
    v = PlatformVerdicts(view, notes=list(view.caveats))
    out = v.details
    if config.paths:
        followed = view.stat(config.paths, follow=True)
        links = view.stat(config.paths, follow=False) if config.type == "symlink" else followed
        found: dict[str, Any] = {}
        for path, info, link in zip(config.paths, followed, links, strict=True):
            shown = link if config.type == "symlink" else info
            entry = shown.to_details()
            verdict, message = _judge(config, view, info, link)
            if verdict == "fail":
                v.problems.append(message)
                entry.setdefault("problem", message.removeprefix(f"{path}: "))
            elif verdict == "unknown":
                v.unknowns.append(message)
                entry["undecided"] = message.removeprefix(f"{path}: ")
            elif verdict == "presumed":
                v.presumed.append(message)
            found[path] = entry
        out["paths"] = found
    if config.on_path:
        out["on_path"] = _on_path(config.on_path, view, v)
    v.notes = _dedupe(v.notes)
    return v


_PRESUMPTION_ORDER = ("present", "absent", "file", "executable")


def _grounds(info: PathInfo) -> str:
    return "; ".join(info.grounds)


def _judge(config: Config, view: ImageView, info: PathInfo, link: PathInfo) -> tuple[str, str]:
    """("pass" | "presumed" | "fail" | "unknown", the sentence that says why)."""
    path = info.path
    if config.type == "symlink":
        if link.unknown:
            return "unknown", f"{path}: the source cannot show whether it is a symlink: {_grounds(link)}"
        if not link.exists:
            return "fail", link.describe_missing()
        if link.type != "symlink":
            return ("unknown", f"{path}: its type is unknown: {_grounds(link)}") if link.type is None else \
                ("fail", f"{path}: is a {link.type}, not a symlink")
    if info.unknown:
        return "unknown", f"{path}: the source cannot show that it ships: {_grounds(info)}"
    if not info.exists:
        message = info.describe_missing()
        if info.presumed:
            # After a semicolon, not in brackets: the nearest directory's listing comes just before.
            message += f"; {_grounds(info)}"
        return "fail", message
    kind = info.type
    wanted = config.type if config.type in ("file", "directory") else ("file" if config.executable else None)
    # Only the presumptions this check's answer rests on: a presumed type does not matter to "is it there".
    presumed: list[str] = [p for p in info.presumed if p == "present" or (p == "file" and wanted is not None)]
    if wanted is not None:
        if kind is None:
            return "unknown", f"{path}: ships, but whether it is a {wanted} is unknown: {_grounds(info)}"
        if kind != wanted:
            return "fail", (f"{path}: is a {kind}, not an executable file" if config.executable and
                            config.type is None else f"{path}: is a {kind}, not a {wanted}")
    if config.executable:
        if info.executable_is_known:
            if not info.executable:
                mode = f"mode {info.mode:04o}" if info.mode is not None else "no execute bit"
                return "fail", f"{path}: not executable ({mode})"
        elif "executable" in info.presumed:
            presumed.append("executable")
        else:
            return "unknown", f"{path}: ships, but whether it is executable is unknown (the source does not " \
                              f"state its mode): {_grounds(info)}"
    if config.non_empty:
        if kind == "file":
            if info.size is None:
                return "unknown", f"{path}: ships, but its size is unknown: {_grounds(info)}"
            if info.size == 0:
                return "fail", f"{path}: is an empty file"
        if kind == "directory" and info.resolved is not None:
            names = view.list_directory(info.resolved)
            listing = getattr(view, "listing", None)
            if not names:
                complete = listing(info.resolved).complete if listing is not None else True
                if complete:
                    return "fail", f"{path}: is an empty directory"
                return "unknown", f"{path}: whether it holds anything is unknown"
    if presumed:
        kinds = sorted(set(presumed), key=_PRESUMPTION_ORDER.index)
        return "presumed", f"{path}: passes on a presumption ({', '.join(kinds)}): {_grounds(info)}"
    return "pass", ""


def _on_path(names: list[str], view: ImageView, v: PlatformVerdicts) -> dict[str, Any]:
    if view.config is None:
        from preflight.api import DEFAULT_PATH

        dirs, from_config = DEFAULT_PATH.split(":"), False
    else:
        dirs, from_config = view.config.path_dirs
    if not from_config:
        v.notes.append("the image config sets no PATH: Docker's default PATH was searched")
    if view.config is not None and "PATH" in view.config.presumed:
        v.notes += list(g for g in view.config.grounds if g.startswith("PATH"))
    workdir = (view.config.working_dir if view.config else "") or "/"
    dirs = [d if d.startswith("/") else posixpath.join(workdir, d) for d in dirs]
    candidates = [posixpath.join(d, n) for n in names for d in dirs]
    infos = dict(zip(candidates, view.stat(candidates, follow=True), strict=True))
    out: dict[str, Any] = {}
    for name in names:
        hit = None
        not_exec = []
        undecided: list[PathInfo] = []
        for d in dirs:
            info = infos[posixpath.join(d, name)]
            if info.unknown:
                undecided.append(info)
                break
            if not info.exists or info.type not in ("file", None):
                continue
            if info.executable_is_known and not info.executable:
                not_exec.append(info.path)
                continue
            if info.type is None or not (info.executable_is_known or "executable" in info.presumed):
                undecided.append(info)
                break
            hit = info
            break
        if hit is not None:
            out[name] = {"found": hit.path, **hit.to_details()}
            if hit.presumed:
                v.presumed.append(f"{name}: found on PATH as {hit.path} on a presumption: {_grounds(hit)}")
        elif undecided:
            u = undecided[0]
            v.unknowns.append(f"{name}: whether it is on PATH cannot be decided: {u.path}: {_grounds(u)}")
            out[name] = {"found": None, "searched": dirs, "undecided": u.to_details()}
        else:
            searched = ":".join(dirs)
            msg = f"{name}: not found on PATH ({searched})"
            if not_exec:
                msg += f"; {', '.join(not_exec)} exists but is not executable"
            v.problems.append(msg)
            out[name] = {"found": None, "searched": dirs}
    return out


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x in seen or seen.add(x))]  # type: ignore[func-returns-value]
