"""The static evaluation of a recipe: each stage's filesystem and image config, from its instructions.

The recipe is evaluated the way BuildKit builds it, without running anything:

- ``ARG`` (before and after ``FROM``, with ``build_args`` like ``--build-arg``), ``ENV``, ``WORKDIR``, ``USER``,
  ``SHELL``, ``ENTRYPOINT`` and ``CMD`` as BuildKit applies them; ``ONBUILD`` triggers run in the stage built
  ``FROM`` the stage that declares them.
- ``FROM scratch`` starts empty; ``FROM <stage>`` continues that stage; ``FROM <image>`` reads the image that
  ``base_images`` maps it to, and otherwise is a base image *not read*.
- ``COPY``/``ADD`` from the build context ship what the context holds (after ``.dockerignore``); ``COPY --from``
  ships what the named stage (recursively) or mapped image holds; ``ADD`` unpacks a local tar archive (read
  member by member) and downloads URLs (unknown contents); ``--chmod``, ``--chown``, ``--parents``,
  ``--exclude``, ``--link``, heredocs, JSON form and destinations relative to ``WORKDIR`` are honoured.
- ``RUN`` steps make unknown what they name (:mod:`preflight.image.dockerfile.run`).

The presumptions, each said in the grounds of every answer that rests on it:

1. A single source copied by name (no wildcard) whose type the recipe cannot know (a ``RUN`` output, or a file
   of a base image that is not read) is presumed a *file*: ``COPY --from=build /src/bin/server /app/`` ships
   ``/app/server`` and nothing else under ``/app``. (Copied to an explicit path, the path is certain to ship;
   only its type is presumed, and what would be under it is unknown.) Copied into a directory, a ``RUN`` output
   is presumed a file only when that ``RUN`` names it; otherwise what lands there is unknown.
2. Such a file, built by a ``RUN`` that runs ``go build``/``go install`` and copied without ``--chmod``, is
   presumed *executable*.
3. A path the recipe does not ship, under a directory the recipe itself makes (a ``WORKDIR``, a ``COPY``
   destination) outside the system directories (``/usr``, ``/etc``, ``/var``, ``/lib``...), is presumed *absent*
   from a base image that is not read. Anywhere else such a path is unknown.
4. A single file copied to a destination without a trailing ``/`` that a base image not read might already have
   as a directory: onto a standard directory (``/usr/local/bin``, ``/usr/bin``, ``/etc``, ``/opt``... every
   Linux image has them) it is presumed to land inside, as ``/usr/local/bin/x``; onto any other path it is
   presumed to be that path (``COPY x /app/server`` ships ``/app/server``).
5. Without a ``WORKDIR``, a relative destination is presumed relative to ``/`` when the base image is not read,
   and its PATH is presumed Docker's default.
"""

from __future__ import annotations

import platform as host_platform
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from preflight.errors import ReaderError
from preflight.image.dockerfile.context import BuildContext, clean_rel
from preflight.image.dockerfile.dockerignore import (
    Filter,
    PatternError,
    PatternMatcher,
    glob_to_regex,
    has_glob,
)
from preflight.image.dockerfile.expand import Expander, ExpansionBudget
from preflight.image.dockerfile.fs import (
    ABSENT,
    DIRECTORY,
    FILE,
    PRESENT,
    STANDARD_DIRS,
    SYMLINK,
    UNKNOWN,
    Attrs,
    Base,
    BytesContent,
    CallContent,
    Fact,
    ImageBase,
    Listing,
    Merge,
    Put,
    Run,
    ScratchBase,
    StageFS,
    Tree,
    UnknownRegion,
    UnreadBase,
    Workdir,
    _unknown_over,
    canonical_parent,
    image_path,
    resolve,
)
from preflight.image.dockerfile.modes import ModeError, parse_chmod, parse_chown
from preflight.image.dockerfile.parse import (
    HEREDOC_WORD,
    Instruction,
    onbuild_instruction,
    parse_dockerfile,
    unquote,
)
from preflight.image.dockerfile.run import ABSENT_FILE, Absent, RunStep, expand_for_run
from preflight.image.model import DEFAULT_PATH, ImageConfig, ImageView

_KNOWN_FLAGS = {
    "COPY": {"from", "chmod", "chown", "link", "parents", "exclude"},
    "ADD": {"chmod", "chown", "link", "checksum", "keep-git-dir", "exclude", "unpack"},
    "FROM": {"platform"},
    "RUN": {"mount", "network", "security", "device"},
    "HEALTHCHECK": {"interval", "timeout", "start-period", "start-interval", "retries"},
}
_PLATFORM_ARGS = ("TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
                  "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT")
_KNOWN_INSTRUCTIONS = {"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
                       "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
                       "WORKDIR"}
_URL = re.compile(r"^(https?|git)://|^git@")
MAX_STAGES = 256
MAX_INSTRUCTIONS = 10_000
"""More instructions than this in one recipe is an error (real recipes hold a few hundred at most)."""
MAX_ARCHIVE_MEMBERS = 200_000
CONFIG_FIELDS = ("Entrypoint", "Cmd", "Env", "WorkingDir", "User")
MAX_READ_BY_RUN = 1 << 20
"""The most of a file (a package.json) read to know what a RUN's command does."""

BaseOpener = Callable[[str], "tuple[str, ImageView] | None"]
"""Maps a base image name (as the recipe writes it, variables expanded) to (the ref it is read from, its view),
or None when ``base_images`` does not map it."""


def platform_args(platform: str | None) -> dict[str, str | None]:
    machine = host_platform.machine().lower()
    host_arch, host_variant = {"x86_64": ("amd64", ""), "amd64": ("amd64", ""), "aarch64": ("arm64", ""),
                               "arm64": ("arm64", ""), "armv7l": ("arm", "v7"), "armv6l": ("arm", "v6"),
                               "ppc64le": ("ppc64le", ""), "s390x": ("s390x", ""),
                               "riscv64": ("riscv64", "")}.get(machine, (machine, ""))
    build = ["linux", host_arch] + ([host_variant] if host_variant else [])
    target = build
    if platform and platform != "all":
        target = platform.split("/")
    args: dict[str, str | None] = {}
    for prefix, parts in (("TARGET", target), ("BUILD", build)):
        args[prefix + "PLATFORM"] = "/".join(parts)
        args[prefix + "OS"] = parts[0]
        args[prefix + "ARCH"] = parts[1] if len(parts) > 1 else ""
        args[prefix + "VARIANT"] = parts[2] if len(parts) > 2 else ""
    return args


# -- the sources of COPY and ADD ---------------------------------------------------------------------------------


def _filter_for(excludes: PatternMatcher | None, list_names: Callable[[str], list[str]],
                is_dir: Callable[[str], bool], what: str) -> Filter | None:
    return Filter(excludes, list_names, is_dir, what) if excludes is not None and excludes.patterns else None


def _visible(flt: Filter | None, rel: str) -> bool:
    if flt is None or rel == "":
        return True
    try:
        return flt.visible(rel)[0]
    except PatternError as e:
        raise ReaderError(str(e)) from None


class ContextTree(Tree):
    """A directory of the build context, as a COPY copies it."""

    def __init__(self, ctx: BuildContext, root: str, origin: str, attrs: Attrs, excludes: PatternMatcher | None):
        self.ctx, self.root, self.origin, self.attrs = ctx, root, origin, attrs
        self.filter = _filter_for(excludes, lambda r: ctx.names(self._full(r)),
                                  lambda r: (ctx.lstat(self._full(r)) or _NONE).type == DIRECTORY,
                                  f"COPY --exclude at {origin}")

    def _full(self, rel: str) -> str:
        return f"{self.root}/{rel}".strip("/") if rel else self.root

    def lstat(self, rel: str) -> Fact | Merge | None:
        full = self._full(rel)
        if not _visible(self.filter, rel):
            return None
        entry = self.ctx.lstat(full)
        if entry is None:
            ignored = self.ctx.excluded_by(full)
            if ignored:
                ground = f"{ignored} keeps {full} out of the build context"
                return Merge(lambda below: replace(below, grounds=below.grounds + (ground,))
                             if below.presence == ABSENT else below)
            return None
        return self.attrs.apply(context_fact(self.ctx, full, entry, self.origin))

    def list(self, rel: str) -> Listing:
        base = f"{rel}/" if rel else ""
        return Listing({n for n in self.ctx.names(self._full(rel)) if _visible(self.filter, base + n)})


_NONE = Fact(ABSENT)


def context_fact(ctx: BuildContext, rel: str, entry: object, origin: str) -> Fact:
    from preflight.image.dockerfile.context import ContextEntry

    assert isinstance(entry, ContextEntry)
    content = CallContent(lambda limit: ctx.read(rel, limit)) if entry.type == FILE else None
    return Fact(PRESENT, entry.type, entry.mode, 0, 0, entry.size if entry.type == FILE else None, entry.linkname,
                grounds=(f"{origin} copies {rel or '.'} from the build context",), origin=origin, content=content,
                executable=bool(entry.mode & 0o111))


class CopiedTree(Tree):
    """A directory of an earlier stage, or of a mapped image, as ``COPY --from`` copies it: what ``source`` holds
    under ``root`` (with ``made``, the directories its RUNs made), less what ``--exclude`` leaves out."""

    def __init__(self, source: StageFS | Base, made: frozenset[str], root: str, label: str, origin: str,
                 attrs: Attrs, excludes: PatternMatcher | None):
        self.source, self.made, self.root, self.label, self.origin, self.attrs = \
            source, made, root, label, origin, attrs
        self.filter = _filter_for(excludes, lambda r: sorted(source.list(self._full(r), made).names),
                                  lambda r: source.lstat(self._full(r), made).type == DIRECTORY,
                                  f"COPY --exclude at {origin}")

    def _full(self, rel: str) -> str:
        return posixpath.join(self.root, rel) if rel else self.root

    def lstat(self, rel: str) -> Fact | Merge | None:
        if not _visible(self.filter, rel):
            return None
        full = self._full(rel)
        return carried(self.source.lstat(full, self.made), f"{self.label}'s {full}", self.origin, self.attrs)

    def list(self, rel: str) -> Listing:
        got = self.source.list(self._full(rel), self.made)
        base = f"{rel}/" if rel else ""
        got.names = {n for n in got.names if _visible(self.filter, base + n)}
        return got


def carried(fact: Fact, what: str, origin: str, attrs: Attrs) -> Fact | Merge | None:
    """An entry of a stage or image, as a COPY carries it to its destination."""
    if fact.presence == PRESENT:
        grounds = (f"{origin} copies {what}",) + (fact.grounds if fact.presumed else ())
        return attrs.apply(replace(fact, grounds=grounds, origin=origin))
    if fact.presence == ABSENT:
        if not fact.presumed:
            return None
        inner = fact.grounds[0].removeprefix("presumed absent: ") if fact.grounds else ""
        ground = f"{what} is presumed absent: {inner}".rstrip(": ")

        def presume(below: Fact) -> Fact:
            return below.with_presumption("absent", ground) if below.presence == ABSENT else below

        return Merge(presume)
    unknown = Fact(UNKNOWN, grounds=tuple(f"{origin} copies {what}, where {g}" for g in fact.grounds) or
                   (f"{origin} copies {what}, which is unknown",), origin=origin, run=fact.run,
                   base_image=fact.base_image, unreadable=fact.unreadable)
    return Merge(lambda below: _unknown_over(unknown, below))


class ArchiveTree(Tree):
    """The members of a local tar archive that ``ADD`` unpacks."""

    def __init__(self, entries: dict[str, Fact], listing: dict[str, set[str]]):
        self.entries = entries
        self.listing = listing

    def lstat(self, rel: str) -> Fact | Merge | None:
        return self.entries.get(rel)

    def list(self, rel: str) -> Listing:
        return Listing(set(self.listing.get(rel, set())))


class OneNameTree(Tree):
    """Under a destination that may be a directory of the base image or the copied file itself: the copied name
    is unknown, the rest is as it was."""

    def __init__(self, name: str, ground: str, origin: str):
        self.name, self.ground, self.origin = name, ground, origin

    def lstat(self, rel: str) -> Fact | Merge | None:
        if rel == self.name or rel.startswith(self.name + "/"):
            fact = Fact(UNKNOWN, grounds=(self.ground,), origin=self.origin, unreadable=self.ground)
            return Merge(lambda below: _unknown_over(fact, below))
        return None

    def list(self, rel: str) -> Listing:
        return Listing(complete=False, grounds=[self.ground]) if rel == "" else Listing()


# -- stages -------------------------------------------------------------------------------------------------------


@dataclass
class Stage:
    index: int
    name: str | None
    base: str
    """The FROM image as expanded ("scratch", "debian:12", or a stage's name)."""
    line: int
    fs: StageFS
    parent: Stage | None = None
    root: Base | None = None
    env: dict[str, str] = field(default_factory=dict)
    env_order: list[str] = field(default_factory=list)
    workdir: str | None = "/"
    """None: set by a base image that is not read."""
    user: str | None = ""
    entrypoint: tuple[str, ...] | None = None
    cmd: tuple[str, ...] | None = None
    entrypoint_line: int | None = None
    cmd_line: int | None = None
    cmd_set_here: bool = False
    unknown: set[str] = field(default_factory=set)
    """Config fields a base image that is not read decides."""
    shell: tuple[str, ...] = ("/bin/sh", "-c")
    onbuild: list[Instruction] = field(default_factory=list)
    copies_from: list[Stage] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"stage {self.name}" if self.name else f"stage {self.index}"

    @property
    def root_base(self) -> str:
        stage: Stage = self
        while stage.parent is not None:
            stage = stage.parent
        return stage.base

    def lineage(self) -> list[Stage]:
        out: list[Stage] = []
        stage: Stage | None = self
        while stage is not None:
            out.append(stage)
            stage = stage.parent
        return list(reversed(out))


class Recipe:
    """A parsed and evaluated Dockerfile."""

    def __init__(self, text: str, display: str, *, platform: str | None = None,
                 build_args: dict[str, str] | None = None, context: BuildContext | None = None,
                 open_base: BaseOpener | None = None):
        self.display = display
        self.instructions, self.escape = parse_dockerfile(text, display)
        if len(self.instructions) > MAX_INSTRUCTIONS:
            raise ReaderError(f"{display}: {len(self.instructions)} instructions, more than the {MAX_INSTRUCTIONS} "
                              "a recipe is read with")
        self.build_args = dict(build_args or {})
        self.context = context
        self.open_base = open_base
        self.stages: list[Stage] = []
        self.notes: list[str] = []
        self.budget = ExpansionBudget()
        self._unset: dict[str, set[int]] = {}
        self._platform_args = platform_args(platform)
        self._bases: dict[str, Base] = {}
        self._evaluate()

    # -- helpers -----------------------------------------------------------------------------------------------

    def where(self, ins: Instruction) -> str:
        return f"{self.display}:{ins.start_line}"

    def expand(self, text: str, env: dict[str, str | None], ins: Instruction) -> str:
        ex = Expander(env, self.escape, self.where(ins), self.budget)
        out = ex.word(text)
        for name in ex.unset:
            self._unset.setdefault(name, set()).add(ins.start_line)
        return out

    def stage_by_name(self, name: str) -> Stage | None:
        low = name.lower()
        for stage in self.stages:
            if stage.name == low:
                return stage
        if name.isdigit() and int(name) < len(self.stages):
            return self.stages[int(name)]
        return None

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def base_for(self, image: str) -> Base:
        if image in self._bases:
            return self._bases[image]
        base: Base
        if image.lower() == "scratch":
            base = ScratchBase()
        else:
            opened = self.open_base(image) if self.open_base is not None else None
            base = ImageBase(image, opened[0], opened[1]) if opened is not None else UnreadBase(image)
        self._bases[image] = base
        return base

    # -- the walk ----------------------------------------------------------------------------------------------

    def _evaluate(self) -> None:
        global_args: dict[str, str | None] = dict(self._platform_args)
        stage: Stage | None = None
        stage_args: dict[str, str | None] = {}
        for ins in self.instructions:
            if ins.cmd not in _KNOWN_INSTRUCTIONS:
                raise ReaderError(f"{self.where(ins)}: unknown instruction: {ins.cmd}")
            self._check_flags(ins)
            if ins.cmd == "ARG":
                target = global_args if stage is None else stage_args
                env_now = global_args if stage is None else self._env_for(stage, stage_args)
                for word in ins.value:
                    name, eq, default = word.partition("=")
                    if not name:
                        raise ReaderError(f"{self.where(ins)}: ARG requires a name")
                    if name in self.build_args:
                        target[name] = self.build_args[name]
                    elif eq:
                        target[name] = self.expand(default, env_now, ins)
                    elif stage is not None and name in global_args:
                        target[name] = global_args[name]
                    elif stage is not None and name in _PLATFORM_ARGS:
                        target[name] = self._platform_args[name]
                    else:
                        target.setdefault(name, None)
                continue
            if ins.cmd == "FROM":
                stage = self._from(ins, global_args)
                stage_args = {}
                if stage.parent is not None and stage.parent.onbuild:
                    for trigger in stage.parent.onbuild:
                        self._instruction(stage, trigger, self._env_for(stage, stage_args))
                continue
            if stage is None:
                raise ReaderError(f"{self.where(ins)}: {ins.cmd} before the first FROM (only ARG may come "
                                  "before it)")
            self._instruction(stage, ins, self._env_for(stage, stage_args))
        if not self.stages:
            raise ReaderError(f"{self.display}: no FROM instruction")

    def _check_flags(self, ins: Instruction) -> None:
        known = _KNOWN_FLAGS.get(ins.cmd, set())
        for flag in ins.flags:
            key = flag[2:].split("=", 1)[0]
            if key not in known:
                raise ReaderError(f"{self.where(ins)}: unknown flag for {ins.cmd}: --{key}")

    def _env_for(self, stage: Stage, stage_args: dict[str, str | None]) -> dict[str, str | None]:
        env: dict[str, str | None] = dict(stage_args)
        env.update(stage.env)
        return env

    def _from(self, ins: Instruction, global_args: dict[str, str | None]) -> Stage:
        words = list(ins.value)
        if len(words) not in (1, 3) or (len(words) == 3 and words[1].lower() != "as"):
            raise ReaderError(f"{self.where(ins)}: FROM takes an image and an optional 'AS name'")
        if len(self.stages) >= MAX_STAGES:
            raise ReaderError(f"{self.where(ins)}: more than {MAX_STAGES} stages")
        image = self.expand(words[0], global_args, ins)
        if not image:
            raise ReaderError(f"{self.where(ins)}: FROM names no image ({words[0]} expands to nothing)")
        name = self.expand(words[2], global_args, ins).lower() if len(words) == 3 else None
        if name is not None and self.stage_by_name(name) is not None and not name.isdigit():
            raise ReaderError(f"{self.where(ins)}: duplicate stage name {name!r}")
        parent = None
        if ":" not in image and "@" not in image and "/" not in image and not image.isdigit():
            parent = self.stage_by_name(image)
        index = len(self.stages)
        if parent is not None:
            stage = Stage(index, name, image.lower(), ins.start_line, StageFS(None, parent.fs), parent=parent,
                          root=parent.root, env=dict(parent.env), env_order=list(parent.env_order),
                          workdir=parent.workdir, user=parent.user, entrypoint=parent.entrypoint,
                          cmd=parent.cmd, entrypoint_line=parent.entrypoint_line, cmd_line=parent.cmd_line,
                          unknown=set(parent.unknown), shell=parent.shell)
        else:
            base = self.base_for(image)
            stage = Stage(index, name, image, ins.start_line, StageFS(base, None), root=base)
            self._base_config(stage, base)
        self.stages.append(stage)
        return stage

    def _base_config(self, stage: Stage, base: Base) -> None:
        if isinstance(base, ImageBase) and base.view.config is not None:
            c = base.view.config
            for item in c.env:
                k, sep, v = item.partition("=")
                if sep:
                    stage.env[k] = v
                    if k in stage.env_order:
                        stage.env_order.remove(k)
                    stage.env_order.append(k)
            if "PATH" not in stage.env:
                stage.env["PATH"] = DEFAULT_PATH
                stage.env_order.insert(0, "PATH")
            stage.entrypoint, stage.cmd = c.entrypoint, c.cmd
            stage.workdir = c.working_dir or "/"
            stage.user = c.user
            return
        # BuildKit gives every image a PATH (the default when the base sets none).
        stage.env["PATH"] = DEFAULT_PATH
        stage.env_order.append("PATH")
        if isinstance(base, UnreadBase):
            stage.workdir = None
            stage.user = None
            stage.unknown = set(CONFIG_FIELDS)

    def _instruction(self, stage: Stage, ins: Instruction, env: dict[str, str | None]) -> None:
        cmd = ins.cmd
        where = self.where(ins)
        if cmd == "RUN":
            self._run(stage, ins, env)
        elif cmd == "ENV":
            if not ins.value:
                raise ReaderError(f"{where}: ENV requires at least one argument")
            pairs = list(ins.value)
            for key, raw in zip(pairs[0::2], pairs[1::2], strict=True):
                value = self.expand(raw, env, ins)
                stage.env[key] = value
                if key in stage.env_order:
                    stage.env_order.remove(key)
                stage.env_order.append(key)
        elif cmd == "WORKDIR":
            if not ins.value:
                raise ReaderError(f"{where}: WORKDIR requires a path")
            path = self.expand(ins.value[0], env, ins)
            if not path.startswith("/") and stage.workdir is None:
                self.note(f"{where}: WORKDIR {path} is relative to the base image's WORKDIR, which is not read: "
                          "taken relative to /")
            stage.workdir = image_path(posixpath.join(stage.workdir or "/", path))
            stage.unknown.discard("WorkingDir")
            uid, gid = _user_ids(stage.user)
            stage.fs.add(Workdir(ins.start_line, f"{where} (WORKDIR)", stage.workdir, uid, gid))
        elif cmd == "USER":
            stage.user = self.expand(ins.value[0], env, ins) if ins.value else ""
            stage.unknown.discard("User")
        elif cmd == "SHELL":
            if not ins.json or not ins.value:
                raise ReaderError(f"{where}: SHELL requires a JSON array")
            stage.shell = ins.value
        elif cmd in ("ENTRYPOINT", "CMD"):
            argv = ins.value if ins.json else ((*stage.shell, ins.value[0]) if ins.value else ())
            if cmd == "ENTRYPOINT":
                stage.entrypoint, stage.entrypoint_line = argv, ins.start_line
                stage.unknown.discard("Entrypoint")
                # An ENTRYPOINT resets a CMD that came from the base, not one this stage set.
                if not stage.cmd_set_here:
                    stage.cmd, stage.cmd_line = None, None
                    stage.unknown.discard("Cmd")
            else:
                stage.cmd, stage.cmd_line = argv, ins.start_line
                stage.cmd_set_here = True
                stage.unknown.discard("Cmd")
        elif cmd in ("COPY", "ADD"):
            self._copy(stage, ins, env)
        elif cmd == "ONBUILD":
            sub = onbuild_instruction(ins, self.escape, self.display)
            if sub is not None:
                if sub.cmd in ("ONBUILD", "FROM", "MAINTAINER"):
                    raise ReaderError(f"{where}: {sub.cmd} isn't allowed as an ONBUILD trigger")
                stage.onbuild.append(sub)

    # -- RUN ---------------------------------------------------------------------------------------------------

    def _run(self, stage: Stage, ins: Instruction, env: dict[str, str | None]) -> None:
        parts = list(ins.value)
        parts += [h.content for h in ins.heredocs]
        text = "\n".join(parts)
        known = {k: v for k, v in env.items()}
        expanded = expand_for_run(text, known)
        self.budget.spend(len(expanded), self.where(ins))
        fs = stage.fs

        def read(path: str) -> bytes | Absent | None:
            fact = resolve(fs, path).fact
            if fact.presence == ABSENT:
                return ABSENT_FILE
            if fact.presence != PRESENT or fact.type != FILE or fact.content is None:
                return None
            return fact.content.read(MAX_READ_BY_RUN)

        step = RunStep.of(ins.start_line, self.where(ins), stage.workdir or "/", expanded, env, read,
                          program=inline_program(ins))
        stage.fs.add(Run(step))

    # -- COPY and ADD --------------------------------------------------------------------------------------------

    def _copy(self, stage: Stage, ins: Instruction, env: dict[str, str | None]) -> None:
        where = self.where(ins)
        flags: dict[str, str] = {}
        excludes: list[str] = []
        for flag in ins.flags:
            key, _, value = flag[2:].partition("=")
            value = self.expand(value, env, ins)
            if key == "exclude":
                excludes.append(value)
            else:
                flags[key] = value
        heredocs = {h.name: h for h in ins.heredocs}
        words = []
        for w in ins.value:
            m = HEREDOC_WORD.match(w)
            words.append(w if m and unquote(m.group(3)) in heredocs else self.expand(w, env, ins))
        if len(words) < 2:
            raise ReaderError(f"{where}: {ins.cmd} requires at least two arguments: source(s) and destination")
        *sources, dest = words
        if not dest:
            raise ReaderError(f"{where}: {ins.cmd} destination expands to nothing")
        if len(sources) > 1 and not dest.endswith("/"):
            raise ReaderError(f"{where}: {ins.cmd} with more than one source needs a destination that is a "
                              "directory ending in / (BuildKit refuses it otherwise)")
        attrs = Attrs()
        if flags.get("chmod"):
            try:
                attrs.mode, attrs.symbolic = parse_chmod(flags["chmod"])
            except ModeError as e:
                raise ReaderError(f"{where}: {e}") from None
        if "chown" in flags and flags["chown"]:
            attrs.chown_given, attrs.chown_text = True, flags["chown"]
            attrs.uid, attrs.gid = parse_chown(flags["chown"])
        try:
            exclude = PatternMatcher.of(excludes) if excludes else None
        except PatternError as e:
            raise ReaderError(f"{where}: --exclude: {e}") from None
        from_name = flags.get("from")
        parents = "parents" in flags and flags["parents"].lower() not in ("false", "0")
        origin = f"{where} ({ins.cmd}{' --from=' + from_name if from_name else ''})"
        presumption = None
        if not dest.startswith("/") and stage.workdir is None:
            presumption = ("present", f"presumed relative to /: {dest} is relative, no WORKDIR precedes it and "
                                      f"the base image {stage.root_base}'s WORKDIR is not read")
        dest_abs = image_path(posixpath.join(stage.workdir or "/", dest))
        dest_abs = canonical_parent(stage.fs, dest_abs, len(stage.fs.ops))
        dest_dir = dest.endswith("/") or dest.endswith("/.") or dest in (".", "..")
        job = _Copy(self, stage, ins, origin, dest_abs, dest_dir, attrs, exclude, parents, presumption)
        for src in sources:
            m = HEREDOC_WORD.match(src)
            if m and unquote(m.group(3)) in heredocs:
                job.heredoc(heredocs[unquote(m.group(3))], env)
                continue
            if not src:
                raise ReaderError(f"{where}: {ins.cmd} has an empty source")
            if _URL.match(src):
                if ins.cmd == "COPY":
                    raise ReaderError(f"{where}: COPY cannot take a URL ({src}): use ADD")
                job.url(src)
                continue
            if from_name:
                from_stage = self.stage_by_name(from_name)
                if from_stage is None and from_name.isdigit():
                    raise ReaderError(f"{where}: --from={from_name}: there is no stage {from_name} before this one")
                if from_stage is stage:
                    raise ReaderError(f"{where}: --from={from_name} names the stage it is in")
                if from_stage is not None:
                    stage.copies_from.append(from_stage)
                    job.from_stage(from_stage, src)
                else:
                    job.from_image(self.base_for(from_name), src)
                continue
            job.from_context(src)

    def final_stage(self, target: str | None = None) -> Stage:
        if target is None:
            return self.stages[-1]
        stage = self.stage_by_name(target)
        if stage is None:
            names = ", ".join(s.name for s in self.stages if s.name) or "none"
            raise ReaderError(f"{self.display}: no stage named {target!r} (named stages: {names})")
        return stage

    def unset_notes(self) -> list[str]:
        out = []
        for name, lines in sorted(self._unset.items()):
            where = ", ".join(str(n) for n in sorted(lines))
            out.append(f"${name} is not set by the recipe (an ARG without a default or not declared in its "
                       f"stage, or an ENV of a base image that is not read): expanded to an empty string "
                       f"(line {where})")
        return out

    def config(self, stage: Stage) -> ImageConfig:
        line = stage.entrypoint_line or stage.cmd_line
        origin = f"{self.display}:{line}" if line else self.display
        unknown = tuple(f for f in CONFIG_FIELDS if f in stage.unknown and f != "Env")
        grounds: list[str] = []
        presumed: tuple[str, ...] = ()
        root = stage.root
        if unknown:
            grounds.append(f"{', '.join(unknown)}: set by the base image {stage.root_base}, which is not read "
                           "(map it in [targets.image] base_images)")
        if isinstance(root, UnreadBase) and "PATH" in stage.env and stage.env["PATH"] == DEFAULT_PATH:
            presumed = ("PATH",)
            grounds.append(f"PATH presumed Docker's default: the base image {stage.root_base} is not read")
        return ImageConfig(entrypoint=stage.entrypoint, cmd=stage.cmd,
                           env=tuple(f"{k}={stage.env[k]}" for k in stage.env_order if k in stage.env),
                           working_dir=stage.workdir or "", user=stage.user or "", origin=origin,
                           unknown=unknown, presumed=presumed, grounds=tuple(grounds))


def _user_ids(user: str | None) -> tuple[int | None, int | None]:
    if user is None:
        return None, None
    if not user:
        return 0, 0
    u, sep, g = user.partition(":")
    uid = int(u) if u.isdigit() else None
    gid = (int(g) if g.isdigit() else None) if sep else uid
    return uid, gid


class _Copy:
    """One COPY/ADD instruction being evaluated: its destination, attributes and flags, source by source."""

    def __init__(self, recipe: Recipe, stage: Stage, ins: Instruction, origin: str, dest: str, dest_dir: bool,
                 attrs: Attrs, exclude: PatternMatcher | None, parents: bool, presumption: tuple[str, str] | None):
        self.recipe, self.stage, self.ins, self.origin = recipe, stage, ins, origin
        self.dest, self.dest_dir, self.attrs, self.exclude = dest, dest_dir, attrs, exclude
        self.parents, self.presumption = parents, presumption
        self.where = recipe.where(ins)
        self.fs = stage.fs

    def put(self, target: str, root: Fact, tree: Tree | None = None) -> None:
        self.fs.add(Put(self.ins.start_line, self.origin, target, root, tree, self.attrs,
                               presumption=self.presumption))

    def unknown_region(self, ground: str) -> None:
        """What lands at the destination is unknown (a wildcard over unknown contents). A destination written as a
        directory is made whatever matches; otherwise even whether anything lands there is unknown (a wildcard
        may match nothing)."""
        root = Fact(PRESENT, DIRECTORY, grounds=(ground,), origin=self.origin) if self.dest_dir else None
        self.fs.add(UnknownRegion(self.ins.start_line, self.origin, self.dest, ground, root))

    def make_dest(self) -> None:
        """BuildKit makes the destination directory (or the one above a file destination) before copying."""
        target = self.dest if self.dest_dir else posixpath.dirname(self.dest)
        if target != "/":
            self.put(target, Fact(PRESENT, DIRECTORY, 0o755, 0, 0, grounds=(f"{self.origin} makes it",),
                                  origin=self.origin))

    # -- where a file-like source lands ------------------------------------------------------------------------

    def _into_dir(self) -> tuple[bool | None, str | None]:
        """Whether a single file lands inside the destination (True), as it (False), or either (None); with
        the presumption's grounds when one decides it."""
        if self.dest_dir:
            return True, None
        res = resolve(self.fs, self.dest, upto=len(self.fs.ops))
        fact = res.fact
        if fact.presence == PRESENT:
            return fact.type == DIRECTORY, None
        if fact.presence == ABSENT:
            return False, None
        if fact.base_image is not None:
            if self.dest in STANDARD_DIRS:
                return True, (f"presumed a directory: {self.dest} is a standard directory of every Linux base "
                              f"image, and the base image {fact.base_image} is not read")
            return False, (f"presumed not a directory of the base image {fact.base_image} (not read): "
                           f"{self.dest}, written without a trailing /, names the file itself")
        return None, None

    def _either_way(self, what: str, name: str) -> str:
        """Why a copy to a destination that may or may not be a directory lands where it does."""
        why = resolve(self.fs, self.dest, upto=len(self.fs.ops)).fact.grounds
        return (f"{self.origin} copies {what} to {self.dest}: it lands in {self.dest} as {name} if {self.dest} is "
                f"a directory, else it is {self.dest}; which it is, is unknown: {'; '.join(why) or 'unknown'}")

    def file(self, name: str, root: Fact) -> None:
        """Ship a file-like source called ``name`` (symlink, device, or a file whose type is presumed)."""
        into, presumed_dir = self._into_dir()
        if into is None:
            ground = self._either_way(name, name)
            self.put(self.dest, Fact(PRESENT, None, grounds=(ground,), origin=self.origin),
                     OneNameTree(name, ground, self.origin))
            return
        target = posixpath.join(self.dest, name) if into else self.dest
        if presumed_dir:
            root = root.with_presumption("present", presumed_dir)
        self.put(target, root)

    # -- sources ------------------------------------------------------------------------------------------------

    def heredoc(self, doc: object, env: dict[str, str | None]) -> None:
        from preflight.image.dockerfile.parse import Heredoc

        assert isinstance(doc, Heredoc)
        body = doc.content
        if doc.chomp:
            body = "".join(line.lstrip("\t") for line in body.splitlines(keepends=True))
        if doc.expand:
            body = re.sub(r"\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)",
                          lambda m: self.recipe.expand(m.group(0), env, self.ins), body)
        data = body.encode()
        fact = self.attrs.apply(Fact(PRESENT, FILE, 0o644, 0, 0, len(data), grounds=(
            f"{self.origin} writes it from the heredoc <<{doc.name}",), origin=self.origin,
            content=BytesContent(data), executable=False))
        self.file(doc.name, fact)

    def url(self, src: str) -> None:
        path = src.split("?")[0].split("#")[0]
        is_git = src.startswith(("git://", "git@")) or path.endswith(".git") or "#" in src and ".git" in path
        if is_git:
            ground = f"{self.origin} clones {src} at build time: what it holds is unknown"
            self.fs.add(UnknownRegion(self.ins.start_line, self.origin, self.dest, ground,
                                             Fact(PRESENT, DIRECTORY, grounds=(ground,), origin=self.origin)))
            return
        ground = f"{self.origin} downloads {src} at build time: its contents are unknown"
        name = posixpath.basename(path.rstrip("/"))
        if self.dest_dir:
            self.fs.add(UnknownRegion(self.ins.start_line, self.origin, self.dest, ground,
                                             Fact(PRESENT, DIRECTORY, grounds=(ground,), origin=self.origin)))
            return
        mode = self.attrs.mode if self.attrs.mode is not None else 0o600
        self.file(name or "download", Fact(PRESENT, FILE, mode, 0, 0, grounds=(ground,), origin=self.origin,
                                           unreadable=ground, executable=bool(mode & 0o111)))

    def from_context(self, src: str) -> None:
        ctx = self.recipe.context
        if ctx is None:
            raise ReaderError(f"{self.where}: no build context to copy {src} from")
        pivot = ""
        if self.parents and "/./" in src:
            pivot, src = src.split("/./", 1)
            pivot = clean_rel(pivot)
        if has_glob(src):
            try:
                matches = ctx.glob(posixpath.join(pivot, src) if pivot else src)
            except PatternError as e:
                raise ReaderError(f"{self.where}: {src}: {e}") from None
            self.make_dest()
            for rel in matches:
                if self._excluded_match(posixpath.basename(rel)):
                    continue
                self._context_one(ctx, rel, pivot)
            return
        rel = clean_rel(posixpath.join(pivot, src) if pivot else src)
        resolved, entry = ctx.resolve(rel)
        if entry is None:
            why = (f"{ctx.excluded_by(rel)} keeps it out of the build context" if ctx.excluded_by(rel)
                   else f"the build context {ctx.display} has no {rel} now")
            ground = (f"{self.origin} copies {src} from the build context, but {why}: the build fails unless "
                      "something makes it first")
            target = posixpath.join(self.dest, posixpath.basename(rel) or ".") if self.dest_dir else self.dest
            self.put(target, Fact(UNKNOWN, grounds=(ground,), origin=self.origin, unreadable=ground))
            return
        self._context_one(ctx, rel, pivot, resolved=resolved)

    def _excluded_match(self, name: str) -> bool:
        return self.exclude is not None and self.exclude.matches(name, None)[0]

    def _context_one(self, ctx: BuildContext, rel: str, pivot: str, resolved: str | None = None) -> None:
        if resolved is None:
            resolved, _ = ctx.resolve(rel)
        entry = ctx.lstat(resolved)
        if entry is None:
            return
        if self.ins.cmd == "ADD" and entry.type == FILE and self.recipe.context is not None:
            tree = _archive_tree(ctx, resolved, self.origin, self.attrs)
            if tree is not None:
                target = self.dest
                self.put(target, Fact(PRESENT, DIRECTORY, 0o755, 0, 0, grounds=(
                    f"{self.origin} unpacks the archive {rel} here",), origin=self.origin), tree)
                return
        fact = context_fact(ctx, resolved, entry, self.origin)
        if self.parents:
            kept = rel[len(pivot) + 1:] if pivot and rel.startswith(pivot + "/") else rel
            target = image_path(posixpath.join(self.dest, kept))
            if entry.type == DIRECTORY:
                self.put(target, self.attrs.apply(fact), ContextTree(ctx, resolved, self.origin, self.attrs,
                                                                      self.exclude))
            else:
                self.put(target, self.attrs.apply(fact))
            return
        if entry.type == DIRECTORY:
            self.put(self.dest, self.attrs.apply(fact), ContextTree(ctx, resolved, self.origin, self.attrs,
                                                                     self.exclude))
            return
        self.file(posixpath.basename(rel), self.attrs.apply(fact))

    def from_stage(self, source: Stage, src: str) -> None:
        fs = source.fs
        made = fs.made_dirs()
        src_abs = image_path(posixpath.join(source.workdir or "/", src))
        label = source.label
        if has_glob(src):
            matches, complete, why = _glob_in(fs, made, src_abs)
            if not complete:
                ground = (f"{self.origin} copies {label}'s {src}, a wildcard over what the recipe cannot list "
                          f"({'; '.join(why) or 'unknown contents'})")
                self.unknown_region(ground)
                return
            self.make_dest()
            for path in matches:
                if self._excluded_match(posixpath.basename(path)):
                    continue
                self._stage_one(source, path, src, label)
            return
        self._stage_one(source, src_abs, src, label, trailing=src.endswith("/") or src.endswith("/."))

    def _stage_one(self, source: Stage, path: str, src: str, label: str, trailing: bool = False) -> None:
        fs = source.fs
        res = resolve(fs, path)
        fact = res.fact
        name = posixpath.basename(path.rstrip("/")) or "."
        target_parents = image_path(posixpath.join(self.dest, path.lstrip("/"))) if self.parents else None
        if fact.presence == PRESENT and fact.type == DIRECTORY:
            tree = CopiedTree(fs, fs.made_dirs(), res.resolved or path, label, self.origin, self.attrs, self.exclude)
            root = self.attrs.apply(replace(fact, grounds=(f"{self.origin} copies {label}'s {path}",),
                                            origin=self.origin))
            self.put(target_parents or self.dest, root, tree)
            return
        if fact.presence == PRESENT and fact.type is not None and "file" not in fact.presumed:
            carried_fact = self.attrs.apply(replace(
                fact, grounds=(f"{self.origin} copies {label}'s {path}",) + (fact.grounds if fact.presumed else ()),
                origin=self.origin))
            if target_parents:
                self.put(target_parents, carried_fact)
            else:
                self.file(name, carried_fact)
            return
        if fact.presence == ABSENT and not fact.presumed:
            ground = (f"{self.origin} copies {label}'s {path}, which that stage does not have "
                      f"({'; '.join(fact.grounds) or 'nothing ships it'}): the build fails there")
            target = target_parents or (posixpath.join(self.dest, name) if self.dest_dir else self.dest)
            self.put(target, Fact(UNKNOWN, grounds=(ground,), origin=self.origin, unreadable=ground))
            return
        if trailing:
            # "src/" can only be a directory: its contents, whatever they are, land in the destination.
            tree = CopiedTree(fs, fs.made_dirs(), res.resolved or path, label, self.origin, self.attrs, self.exclude)
            self.put(target_parents or self.dest, Fact(PRESENT, DIRECTORY, grounds=(
                f"{self.origin} copies the directory {label}'s {path}",), origin=self.origin), tree)
            return
        if fact.run is not None and not target_parents and self._into_dir()[0] is not False and \
                not _run_names_itself(fact.run, path):
            # Made, if at all, by a step that does not name it (`npm run build` writing .next/standalone): it may
            # as well be a directory, whose contents would land beside what the destination holds. Presumed a
            # file, it would make them absent; so no presumption here. (Copied to a file path, only the copy's
            # own type is presumed, and what would be under it is unknown.)
            why = fact.grounds[0] if fact.grounds else f"RUN at {fact.run.where} may have made it"
            self.unknown_region(f"{self.origin} copies {label}'s {path}, which a RUN that does not name it may "
                                f"have made (a file, or a directory whose contents land here): {why}")
            return
        self._presumed_file(fact, path, label, name, target_parents)

    def _presumed_file(self, fact: Fact, path: str, label: str, name: str, target: str | None) -> None:
        """A single source whose type the recipe cannot know: presumed a file."""
        if fact.run is not None:
            why = f"{label}'s {path} is built by RUN at line {fact.run.line} ({fact.run.where})"
        elif fact.base_image is not None and label == f"the image {fact.base_image}":
            why = f"{path} of the image {fact.base_image}, which is not read"
        elif fact.base_image is not None:
            why = f"{label}'s {path} comes from the base image {fact.base_image}, which is not read"
        else:
            why = f"{label}'s {path}: {'; '.join(fact.grounds)}"
        ground = f"presumed a file: {why}"
        if fact.run is not None:
            ground = f"presumed a file: built by RUN at line {fact.run.line} ({label}'s {path})"
        presumed: tuple[str, ...] = ("file",)
        what = f"{path} from {label}" if label.startswith("the image") else f"{label}'s {path}"
        grounds = [f"{self.origin} copies {what}", ground]
        executable: bool | None = None
        mode: int | None = None
        if self.attrs.mode is not None:
            mode = self.attrs.mode
        elif self.attrs.symbolic is not None:
            from preflight.image.dockerfile.modes import apply_chmod

            mode, executable = apply_chmod(self.attrs.symbolic, None, False)
        elif fact.run is not None and fact.run.go_build:
            presumed += ("executable",)
            grounds.append(f"presumed executable: a Go program built by RUN at line {fact.run.line} (go build "
                           "writes executable files)")
        root = Fact(PRESENT, FILE, mode, *((self.attrs.uid, self.attrs.gid) if self.attrs.chown_given else (0, 0)),
                    grounds=tuple(grounds), presumed=presumed, origin=self.origin,
                    executable=bool(mode & 0o111) if mode is not None else executable,
                    unreadable=fact.unreadable or why)
        below = (f"{self.origin} copies {label}'s {path} here, presumed a file; were it a directory, what it "
                 "holds would be here, and that is unknown")
        if target is not None:
            self.put(target, replace(root, below_unknown=below))
            return
        into, presumed_dir = self._into_dir()
        if into is None:
            ground2 = self._either_way(path, name)
            self.put(self.dest, Fact(PRESENT, None, grounds=(ground2,), origin=self.origin),
                     OneNameTree(name, ground2, self.origin))
            return
        if into:
            root = root.with_presumption("present", ground)
            if presumed_dir:
                root = root.with_presumption("present", presumed_dir)
            self.put(posixpath.join(self.dest, name), root)
        else:
            if presumed_dir:
                root = root.with_presumption("file", presumed_dir)
            self.put(self.dest, replace(root, below_unknown=below))

    def from_image(self, base: Base, src: str) -> None:
        src_abs = image_path(posixpath.join("/", src))
        if isinstance(base, ImageBase):
            fs = StageFS(base, None)
            if has_glob(src):
                matches, complete, why = _glob_in(fs, frozenset(), src_abs)
                self.make_dest()
                for path in matches:
                    if not self._excluded_match(posixpath.basename(path)):
                        self._image_one(base, fs, path)
                return
            self._image_one(base, fs, src_abs)
            return
        name = posixpath.basename(src_abs.rstrip("/")) or "."
        if has_glob(src) or src.endswith("/"):
            ground = f"{self.origin} copies {src} from the image {base.name}, which is not read"
            self.unknown_region(ground)
            return
        fact = Fact(UNKNOWN, base_image=base.name, grounds=(f"the image {base.name} is not read",))
        self._presumed_file(fact, src_abs, f"the image {base.name}", name, None)

    def _image_one(self, base: ImageBase, fs: StageFS, path: str) -> None:
        res = resolve(fs, path, made=frozenset())
        fact = res.fact
        name = posixpath.basename(path.rstrip("/")) or "."
        if fact.presence != PRESENT:
            ground = (f"{self.origin} copies {path} from {base.name} ({base.ref}), which does not have it: the "
                      "build fails there")
            target = posixpath.join(self.dest, name) if self.dest_dir else self.dest
            self.put(target, Fact(UNKNOWN, grounds=(ground,), origin=self.origin, unreadable=ground))
            return
        if fact.type == DIRECTORY:
            tree = CopiedTree(base, frozenset(), res.resolved or path, base.name, self.origin, self.attrs,
                              self.exclude)
            self.put(self.dest, self.attrs.apply(replace(fact, origin=self.origin)), tree)
            return
        self.file(name, self.attrs.apply(replace(fact, grounds=(f"{self.origin} copies {base.name}'s {path}",),
                                                 origin=self.origin)))


SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"})
PROGRAM_INTERPRETERS = re.compile(
    r"(?:^|[\s;&|(])((?:python|pypy)[0-9.]*|node|nodejs|perl|ruby|php|deno|bun|Rscript)"
    r"(?:(?:\s+-(?![ce]\b)\S*)*\s+-[ce]\b|[^;&|\n<]*\s\d*<<)")
"""An interpreter given its program in the recipe: ``python -c '...'``, ``node -e '...'``, ``python3 <<EOF``."""


def inline_program(ins: Instruction) -> str | None:
    """Why a RUN runs a program written in the recipe in a language other than the shell (a heredoc with a
    ``#!/usr/bin/env python3`` line, ``python3 <<EOF``, ``node -e '...'``), None when it does not. Such a program
    is not read as shell words: it may change anything."""
    command = " ".join(ins.value)
    if ins.heredocs and all(HEREDOC_WORD.match(w) for w in command.split()):
        body = ins.heredocs[0].content.lstrip("\t") if ins.heredocs[0].chomp else ins.heredocs[0].content
        if body.startswith("#!"):
            words = body[2:].split("\n", 1)[0].split()
            program = posixpath.basename(words[0]) if words else ""
            if program == "env":
                program = next((w for w in words[1:] if not w.startswith("-") and "=" not in w), "")
            if program and program not in SHELLS:
                return f"runs a {program} program (the heredoc's {body.split(chr(10), 1)[0]} line)"
        return None
    m = PROGRAM_INTERPRETERS.search(command)
    if m:
        return f"runs a {m.group(1)} program written in the recipe"
    return None


def _run_names_itself(step: RunStep, path: str) -> bool:
    """Whether a RUN names ``path`` itself (``go build -o bin/server``, ``cp tool /out/tool``), not only a
    directory above it or the directory it runs in."""
    return step.names(path) in (f"names {path}", f"names {posixpath.basename(path)}")


def _glob_in(fs: StageFS, made: frozenset[str], pattern: str) -> tuple[list[str], bool, list[str]]:
    """The paths of a stage a wildcard matches: (matches, whether the listing was complete, why not)."""
    parts = [p for p in pattern.split("/") if p]
    found = ["/"]
    why: list[str] = []
    complete = True
    for i, part in enumerate(parts):
        nxt: list[str] = []
        for base in found:
            if has_glob(part):
                listing = fs.list(base, made)
                if not listing.complete:
                    complete = False
                    why += listing.grounds
                try:
                    rx = glob_to_regex(part)
                except PatternError as e:
                    raise ReaderError(f"{pattern}: {e}") from None
                nxt += [posixpath.join(base, n) for n in sorted(listing.names) if rx.match(n)]
            else:
                cand = posixpath.join(base, part)
                fact = fs.lstat(cand, made)
                if fact.presence == UNKNOWN:
                    complete = False
                    why += list(fact.grounds)
                if fact.presence == PRESENT:
                    nxt.append(cand)
        if i < len(parts) - 1:
            nxt = [p for p in nxt if resolve(fs, p, made=made).fact.type == DIRECTORY]
        found = nxt
    return found, complete, why


def _archive_tree(ctx: BuildContext, rel: str, origin: str, attrs: Attrs) -> ArchiveTree | None:
    """The members of a local tar archive (any compression ADD unpacks), None when the file is not one."""
    from preflight.image.tarscan import ByteStream, TarScanner, decompressed, layer_path, sniff

    path = ctx.host_path(rel)
    first_read_done = False
    try:
        with open(path, "rb") as raw:
            head = raw.read(6)
            raw.seek(0)
            compression = sniff(head)
            stream = decompressed(raw, compression)
            first = stream.read(512)
            if len(first) < 512 or not _tar_header(first):
                return None
            first_read_done = True
            raw.seek(0)
            reader = decompressed(raw, compression)
            what = f"{origin}: the archive {rel}"
            entries: dict[str, Fact] = {}
            listing: dict[str, set[str]] = {}
            for n, member in enumerate(TarScanner(ByteStream(reader, what), what)):
                if n >= MAX_ARCHIVE_MEMBERS:
                    raise ReaderError(f"{what}: more than {MAX_ARCHIVE_MEMBERS} members")
                name = layer_path(member.name)
                if name is None or name == "/":
                    continue
                member_rel = name.lstrip("/")
                kind = FILE if member.type == "hardlink" else member.type
                fact = Fact(PRESENT, kind, member.mode, member.uid, member.gid,
                            member.size if kind == FILE else None,
                            member.linkname if kind == SYMLINK else "",
                            grounds=(f"{origin} unpacks it from the archive {rel}",), origin=origin,
                            unreadable=f"a member of the archive {rel}, which is not extracted",
                            executable=bool(member.mode & 0o111))
                entries[member_rel] = attrs.apply(fact) if attrs.mode is not None or attrs.symbolic or \
                    attrs.chown_given else fact
                parts = member_rel.split("/")
                for i in range(len(parts)):
                    parent = "/".join(parts[:i])
                    listing.setdefault(parent, set()).add(parts[i])
                    if i and parent not in entries:
                        entries[parent] = Fact(PRESENT, DIRECTORY, 0o755, 0, 0, grounds=(
                            f"{origin} unpacks it from the archive {rel}",), origin=origin)
            return ArchiveTree(entries, listing)
    except ReaderError:
        raise
    except OSError as e:
        if first_read_done:
            raise ReaderError(f"{origin}: cannot read the archive {rel}: {e.strerror or e}") from None
        return None
    except Exception:  # noqa: BLE001 - a file whose head only looks compressed is copied as it is
        if first_read_done:
            raise ReaderError(f"{origin}: the archive {rel} is corrupt") from None
        return None


def _tar_header(block: bytes) -> bool:
    """Whether a 512-byte block is a tar header (its checksum holds), as Docker's archive detection checks."""
    try:
        stored = int(block[148:156].split(b"\0", 1)[0].strip() or b"0", 8)
    except ValueError:
        return False
    computed = sum(block[:148]) + 8 * 32 + sum(block[156:])
    return stored == computed and block[:1] != b"\0"


__all__ = ["Recipe", "Stage", "platform_args"]
