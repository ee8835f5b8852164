"""The filesystem a recipe's stage builds, as evidence: each path present, absent or unknown, with grounds.

A stage is its base (``scratch``, a base image read through ``base_images``, a base image not read, or another
stage) with the recipe's operations on top, newest first, like layers: a ``COPY``/``ADD`` puts a file or a tree
at its destination (directories merge, nothing is deleted), a ``WORKDIR`` makes a directory, and a ``RUN`` makes
unknown whatever it names (:mod:`preflight.image.dockerfile_run`). A question about one path is answered by the
newest operation that decides it; directory attributes merge with what is below.
"""

from __future__ import annotations

import posixpath
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from preflight.errors import ReaderError
from preflight.image.model import (
    ABSENT,
    DIRECTORY,
    FILE,
    MAX_SYMLINK_HOPS,
    PRESENT,
    SYMLINK,
    UNKNOWN,
    ImageView,
)

if TYPE_CHECKING:
    from preflight.image.dockerfile_run import RunStep

SYSTEM_TREES = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root", "/run",
                "/sbin", "/sys", "/usr", "/var")
"""Directories a base image populates: a directory of the recipe at or under these is not presumed empty in the
base image."""
SYSTEM_DIRS = frozenset({"/", "/home", "/media", "/mnt", "/opt", "/srv", "/tmp"}) | frozenset(SYSTEM_TREES)
STANDARD_DIRS = frozenset({"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin",
                           "/usr/lib", "/usr/local/lib", "/usr/share", "/usr/local/share", "/etc", "/opt", "/tmp",
                           "/var", "/var/lib", "/home", "/root", "/srv"})
"""Directories every Linux base image but ``scratch`` has: ``COPY x /usr/local/bin`` (no trailing slash) is
presumed to land in them, as ``/usr/local/bin/x``."""


def image_path(path: str) -> str:
    """``path`` normalised as an absolute image path: ``..`` and ``.`` resolved lexically, never above ``/``,
    repeated slashes (a leading ``//`` too, which POSIX would keep) collapsed."""
    out = posixpath.normpath("/" + path)
    return "/" + out.lstrip("/") if out.startswith("//") else out


def presumable_made_dir(path: str) -> bool:
    """Whether a directory the recipe makes may be presumed not to be in an unread base image."""
    if path in SYSTEM_DIRS:
        return False
    return not any(path.startswith(t + "/") for t in SYSTEM_TREES)


# -- evidence ------------------------------------------------------------------------------------------------


class Content(ABC):
    @abstractmethod
    def read(self, limit: int) -> bytes: ...


@dataclass(frozen=True)
class BytesContent(Content):
    data: bytes

    def read(self, limit: int) -> bytes:
        return self.data[:limit]


@dataclass(frozen=True)
class CallContent(Content):
    reader: Callable[[int], bytes]

    def read(self, limit: int) -> bytes:
        return self.reader(limit)


@dataclass(frozen=True)
class Fact:
    """What a stage holds at one path, no symlink followed."""

    presence: str
    type: str | None = None
    mode: int | None = None
    uid: int | None = None
    gid: int | None = None
    size: int | None = None
    linkname: str = ""
    grounds: tuple[str, ...] = ()
    presumed: tuple[str, ...] = ()
    origin: str | None = None
    """The instruction that put it there ("Dockerfile:14 (COPY --from=build)"), or the base image's layer."""
    content: Content | None = field(default=None, compare=False)
    executable: bool | None = None
    """Whether an execute bit is set, when known although the mode is not."""
    unreadable: str | None = None
    """Why its content cannot be read, when it cannot."""
    below_unknown: str | None = None
    """For a file presumed so: what would be under it, were it a directory, is unknown (these grounds)."""
    run: RunStep | None = field(default=None, compare=False)
    """For an unknown made so by a RUN: the step."""
    base_image: str | None = None
    """For an unknown made so by a base image that is not read: its name."""

    def with_presumption(self, kind: str, ground: str) -> Fact:
        return replace(self, presumed=_add(self.presumed, kind), grounds=_add(self.grounds, ground))


def _add(items: tuple[str, ...], item: str) -> tuple[str, ...]:
    return items if item in items else (*items, item)


ROOT = Fact(PRESENT, DIRECTORY, 0o755, 0, 0, grounds=("the image root",), origin="the image root")


@dataclass
class Listing:
    names: set[str] = field(default_factory=set)
    complete: bool = True
    grounds: list[str] = field(default_factory=list)

    def merge(self, other: Listing) -> None:
        self.names |= other.names
        if not other.complete:
            self.complete = False
            self.grounds += [g for g in other.grounds if g not in self.grounds]


def under(path: str, parent: str) -> bool:
    return parent == "/" or path.startswith(parent + "/")


def child_of(path: str, directory: str) -> str | None:
    """The first component of ``path`` below ``directory`` (``/a/b/c`` under ``/a``: ``b``)."""
    if path == directory or not under(path, directory):
        return None
    rest = path[len(directory.rstrip("/")) + 1:]
    return rest.split("/", 1)[0]


# -- bases -----------------------------------------------------------------------------------------------------


class Base(ABC):
    name: str

    @abstractmethod
    def lstat(self, path: str, made: frozenset[str]) -> Fact: ...

    @abstractmethod
    def list(self, path: str, made: frozenset[str]) -> Listing: ...

    known = True
    """Whether the base's contents are read (scratch, or an image from base_images)."""


class ScratchBase(Base):
    name = "scratch"

    def lstat(self, path: str, made: frozenset[str]) -> Fact:
        if path == "/":
            return ROOT
        return Fact(ABSENT, grounds=("FROM scratch: the image starts empty",))

    def list(self, path: str, made: frozenset[str]) -> Listing:
        return Listing()


class ImageBase(Base):
    """A base image read from the archive, layout or registry ``base_images`` maps it to."""

    def __init__(self, name: str, ref: str, view: ImageView):
        self.name = name
        self.ref = ref
        self.view = view

    def lstat(self, path: str, made: frozenset[str]) -> Fact:
        (info,) = self.view.stat([path], follow=False)
        if not info.exists:
            return Fact(ABSENT, grounds=(f"the base image {self.name} ({self.ref}) does not have it",))
        where = f"the base image {self.name} ({self.ref})"
        if info.origin:
            where += f", {info.origin}"
        view = self.view
        content = CallContent(lambda limit: view.read_file(path, limit=limit)) if info.type == FILE else None
        return Fact(PRESENT, info.type, info.mode, info.uid, info.gid, info.size, info.linkname or "",
                    grounds=(f"in {where}",), origin=where, content=content)

    def list(self, path: str, made: frozenset[str]) -> Listing:
        (info,) = self.view.stat([path], follow=False)
        if not info.exists or info.type != DIRECTORY:
            return Listing()
        return Listing(set(self.view.list_directory(path)))


class UnreadBase(Base):
    """A base image the recipe names but ``base_images`` does not map: what it holds is not known."""

    known = False

    def __init__(self, name: str):
        self.name = name

    def _made(self, path: str, made: frozenset[str]) -> str | None:
        """The highest directory above ``path`` that the recipe makes, if any."""
        found = None
        path = image_path(path)
        while path != "/":
            path = posixpath.dirname(path)
            if path in made:
                found = path
        return found

    def lstat(self, path: str, made: frozenset[str]) -> Fact:
        if path == "/":
            return ROOT
        d = self._made(path, made)
        if d is not None:
            return Fact(ABSENT, presumed=("absent",), base_image=self.name,
                        grounds=(f"presumed absent: the recipe makes {d}, and the base image {self.name} is not "
                                 f"read (map it in base_images) and seldom ships anything there",))
        return Fact(UNKNOWN, base_image=self.name,
                    grounds=(f"the base image {self.name} is not read: map it in [targets.image] base_images to "
                             "know what it holds",))

    def list(self, path: str, made: frozenset[str]) -> Listing:
        if path == "/" or self._made(path + "/x", made) is None:
            return Listing(complete=False, grounds=[f"the base image {self.name} is not read"])
        return Listing()


# -- what a COPY or ADD source holds -----------------------------------------------------------------------


class Tree(ABC):
    """The contents of a directory a COPY/ADD copies: ``lstat("a/b")`` relative to it; None for nothing there
    (the destination keeps what it had); a :class:`Merge` when the answer depends on what was there."""

    @abstractmethod
    def lstat(self, rel: str) -> Fact | Merge | None: ...

    @abstractmethod
    def list(self, rel: str) -> Listing: ...


@dataclass
class Merge:
    """An answer that combines with what the stage held below it."""

    combine: Callable[[Fact], Fact]


# -- operations ------------------------------------------------------------------------------------------------


class Op(ABC):
    line: int
    origin: str

    @abstractmethod
    def lstat(self, path: str) -> Fact | Merge | None:
        """The answer for ``path`` after this operation, None when it leaves the path as it was."""

    @abstractmethod
    def list(self, directory: str) -> Listing | None:
        """Names this operation puts directly in ``directory`` (None: none)."""

    made: tuple[str, ...] = ()
    """Directories this operation makes (for the presumption about unread base images)."""


@dataclass
class Attrs:
    """What a COPY's --chmod and --chown do to each entry."""

    mode: int | None = None
    symbolic: str | None = None
    uid: int | None = None
    gid: int | None = None
    chown_given: bool = False
    chown_text: str = ""

    def apply(self, fact: Fact) -> Fact:
        from preflight.image.dockerfile_modes import apply_chmod

        if fact.presence == ABSENT:
            return fact
        mode, executable = fact.mode, fact.executable
        if fact.type != SYMLINK:
            if self.mode is not None:
                mode, executable = self.mode, bool(self.mode & 0o111)
            elif self.symbolic is not None:
                mode, executable = apply_chmod(self.symbolic, fact.mode, fact.type == DIRECTORY)
                if mode is None and fact.mode is None and fact.executable is not None and executable is None:
                    executable = fact.executable
        if self.chown_given:
            uid, gid = self.uid, self.gid
        else:
            uid, gid = 0, 0
        return replace(fact, mode=mode, executable=executable, uid=uid, gid=gid)


class Put(Op):
    """A COPY/ADD of one source: ``root`` at ``target``, and for a directory the ``tree`` under it."""

    def __init__(self, line: int, origin: str, target: str, root: Fact, tree: Tree | None, attrs: Attrs,
                 *, presumption: tuple[str, str] | None = None, make_dir: bool = True):
        self.line = line
        self.origin = origin
        self.target = target
        self.root = root
        self.tree = tree
        self.attrs = attrs
        self.presumption = presumption
        parent = target if root.type == DIRECTORY else posixpath.dirname(target)
        self.made = (parent,) if make_dir else ()

    def _presume(self, fact: Fact) -> Fact:
        if self.presumption is None or fact.presence == ABSENT:
            return fact
        return fact.with_presumption(*self.presumption)

    def lstat(self, path: str) -> Fact | Merge | None:
        target = self.target
        if path == target:
            root = self.root
            if root.type == DIRECTORY:
                return Merge(lambda below: self._presume(_dir_over(root, below)))
            if root.presence == UNKNOWN:
                return Merge(lambda below: self._presume(_unknown_over(root, below)))
            return self._presume(root)
        if under(path, target):
            if self.tree is None:
                if self.root.below_unknown:
                    # Presumed a file, but a later WORKDIR or COPY below it shows it was a directory (the build
                    # would fail on a file): then what it held is here, and that is unknown.
                    unknown = Fact(UNKNOWN, grounds=(self.root.below_unknown,), origin=self.origin,
                                   unreadable=self.root.below_unknown)
                    return Merge(lambda below: self._presume(_unknown_over(unknown, below)))
                return None
            got = self.tree.lstat(path[len(target.rstrip("/")) + 1:])
            if isinstance(got, Merge):
                inner = got
                return Merge(lambda below: self._presume(inner.combine(below)))
            return self._presume(got) if got is not None else None
        if under(target, path):
            return Merge(lambda below: _parent_over(below, self))
        return None

    def list(self, directory: str) -> Listing | None:
        if directory == self.target:
            return self.tree.list("") if self.tree is not None else None
        if under(directory, self.target):
            return self.tree.list(directory[len(self.target.rstrip("/")) + 1:]) if self.tree is not None else None
        name = child_of(self.target, directory)
        return Listing({name}) if name is not None else None


def _dir_over(root: Fact, below: Fact) -> Fact:
    """A copied directory over what was there: an existing directory keeps its attributes (BuildKit does not
    overwrite the metadata of the destination directory itself)."""
    if below.presence == PRESENT and below.type == DIRECTORY:
        return replace(root, mode=below.mode, uid=below.uid, gid=below.gid, executable=below.executable)
    if below.presence == ABSENT:
        return root
    return replace(root, mode=None, uid=None, gid=None, executable=None)


def _unknown_over(fact: Fact, below: Fact) -> Fact:
    """An unknown answer over what was there: a COPY never deletes, so what was present stays present."""
    if below.presence == PRESENT:
        return Fact(PRESENT, grounds=below.grounds + fact.grounds, origin=fact.origin, run=fact.run,
                    base_image=fact.base_image, unreadable=fact.unreadable)
    return fact


def _parent_over(below: Fact, op: Put) -> Fact:
    """A directory above a copy's destination: made when it was not there."""
    if below.presence == PRESENT and below.type == DIRECTORY:
        return below
    if below.presence == PRESENT and below.type == SYMLINK:
        return below
    grounds = (f"{op.origin} makes it, as a directory above {op.target}",)
    if below.presence == ABSENT:
        mode = op.attrs.mode if op.attrs.mode is not None else 0o755
        uid, gid = (op.attrs.uid, op.attrs.gid) if op.attrs.chown_given else (0, 0)
        return Fact(PRESENT, DIRECTORY, mode, uid, gid, grounds=grounds, origin=op.origin)
    return Fact(PRESENT, DIRECTORY, grounds=grounds, origin=op.origin)


class Workdir(Op):
    def __init__(self, line: int, origin: str, target: str, uid: int | None, gid: int | None):
        self.line = line
        self.origin = origin
        self.target = target
        self.uid, self.gid = uid, gid
        self.made = (target,)

    def lstat(self, path: str) -> Fact | Merge | None:
        if path == self.target or under(self.target, path):
            return Merge(self._over)
        return None

    def _over(self, below: Fact) -> Fact:
        if below.presence == PRESENT and below.type in (DIRECTORY, SYMLINK):
            return below
        grounds = (f"{self.origin} makes it",)
        if below.presence == ABSENT:
            return Fact(PRESENT, DIRECTORY, 0o755, self.uid, self.gid, grounds=grounds, origin=self.origin)
        return Fact(PRESENT, DIRECTORY, grounds=grounds, origin=self.origin)

    def list(self, directory: str) -> Listing | None:
        name = child_of(self.target, directory)
        return Listing({name}) if name is not None else None


class Run(Op):
    def __init__(self, step: RunStep):
        self.step = step
        self.line = step.line
        self.origin = f"{step.where} (RUN)"

    def lstat(self, path: str) -> Fact | Merge | None:
        why = self.step.names(path)
        if why is None:
            below_named = self.step.names_below(path)
            if below_named is None:
                return None
            ground = (f"RUN at {self.step.where} names {below_named}, under it: it may have made it")
            step = self.step

            def made_maybe(below: Fact) -> Fact:
                if below.presence == PRESENT and below.type == DIRECTORY:
                    return below
                return Fact(UNKNOWN, grounds=(*below.grounds, ground) if below.presence == UNKNOWN else (ground,),
                            origin=self.origin, run=step, base_image=below.base_image,
                            unreadable=f"RUN at {step.where} may have made it")

            return Merge(made_maybe)
        fact = Fact(UNKNOWN, grounds=(f"RUN at {self.step.where} {why}: it may have made, removed or changed it",),
                    origin=self.origin, run=self.step,
                    unreadable=f"RUN at {self.step.where} {why}, and a recipe's RUN steps are not executed")
        if self.step.names_only_basename(path) or path == self.step.cwd and why.startswith(f"runs in {path} "):
            # A bare word does not remove a directory of that name, and a step runs inside its own directory.
            return Merge(lambda below: below if below.presence == PRESENT and below.type == DIRECTORY else fact)
        return fact

    def list(self, directory: str) -> Listing | None:
        if self.step.may_add_under(directory):
            return Listing(complete=False, grounds=[f"RUN at {self.step.where} may have put more there"])
        return None


class UnknownRegion(Op):
    """What an operation puts under ``target`` that the recipe cannot show (a URL, a Git repository, an
    image that is not read, a wildcard over a directory whose contents are unknown)."""

    def __init__(self, line: int, origin: str, target: str, ground: str, root: Fact | None = None):
        self.line = line
        self.origin = origin
        self.target = target
        self.ground = ground
        self.root = root
        self.made = (target,) if root is not None and root.type == DIRECTORY else ()

    def lstat(self, path: str) -> Fact | Merge | None:
        if path == self.target and self.root is not None:
            root = self.root
            if root.type == DIRECTORY:
                return Merge(lambda below: _dir_over(root, below))
            return root
        if under(path, self.target) and path != self.target:
            fact = Fact(UNKNOWN, grounds=(self.ground,), origin=self.origin, unreadable=self.ground)
            return Merge(lambda below: _unknown_over(fact, below))
        if path == self.target:
            fact = Fact(UNKNOWN, grounds=(self.ground,), origin=self.origin, unreadable=self.ground)
            return Merge(lambda below: _unknown_over(fact, below))
        if under(self.target, path):
            dummy = Put(self.line, self.origin, self.target, Fact(PRESENT, DIRECTORY), None, Attrs())
            return Merge(lambda below: _parent_over(below, dummy))
        return None

    def list(self, directory: str) -> Listing | None:
        if directory == self.target or under(directory, self.target):
            return Listing(complete=False, grounds=[self.ground])
        name = child_of(self.target, directory)
        return Listing({name}) if name is not None else None


# -- a stage's filesystem ----------------------------------------------------------------------------------


class StageFS:
    """A base, or the filesystem of a parent stage, with operations on top.

    Operations are indexed by the paths they can decide (their destination, the directories above it, and what
    is under it), so that answering a path looks at those and at the RUN steps only, not at every operation."""

    def __init__(self, base: Base | None, parent: StageFS | None):
        self.base = base
        self.parent = parent
        self.ops: list[Op] = []
        self._at_or_above: dict[str, list[int]] = {}
        """path -> operations whose destination is that path or under it."""
        self._at: dict[str, list[int]] = {}
        """path -> operations whose destination is that path (and so may decide what is under it)."""
        self._runs: list[int] = []
        self._own_made: set[str] = set()
        self._made: tuple[int, frozenset[str]] | None = None
        self._memo: dict[tuple[str, int, frozenset[str]], Fact] = {}

    def add(self, op: Op) -> None:
        index = len(self.ops)
        self.ops.append(op)
        self._own_made.update(d for d in op.made if presumable_made_dir(d))
        target = getattr(op, "target", None)
        if target is None:
            self._runs.append(index)
            return
        target = image_path(target)
        op.target = target  # type: ignore[attr-defined]
        self._at.setdefault(target, []).append(index)
        path = target
        while True:
            self._at_or_above.setdefault(path, []).append(index)
            if path == "/":
                break
            path = posixpath.dirname(path)

    def _candidates(self, path: str, k: int) -> list[tuple[int, bool]]:
        """The operations among the first ``k`` that may decide ``path``, newest first, each with whether it
        only makes ``path`` as a directory above its destination."""
        at = set(self._at.get(path, ()))
        found = {i: i not in at for i in self._at_or_above.get(path, ())}
        above = image_path(path)
        while above != "/":
            above = posixpath.dirname(above)
            for i in self._at.get(above, ()):
                found[i] = False
        for i in self._runs:
            found[i] = False
        return sorted(((i, only_above) for i, only_above in found.items() if i < k), reverse=True)

    def lineage_size(self) -> int:
        n, fs = 0, self
        while fs is not None:
            n += len(fs.ops)
            fs = fs.parent  # type: ignore[assignment]
        return n

    def made_dirs(self) -> frozenset[str]:
        """Directories the recipe makes in this stage and those it is built FROM, which an unread base image is
        presumed not to have (system directories excluded)."""
        size = self.lineage_size()
        if self._made is not None and self._made[0] == size:
            return self._made[1]
        made = frozenset(self._own_made) | (self.parent.made_dirs() if self.parent is not None else frozenset())
        self._made = (size, made)
        return made

    def root_base(self) -> Base:
        fs: StageFS = self
        while fs.parent is not None:
            fs = fs.parent
        assert fs.base is not None
        return fs.base

    def lstat(self, path: str, made: frozenset[str] | None = None, upto: int | None = None) -> Fact:
        """What the stage holds at ``path`` (canonical: no symlink in its parents) after its first ``upto``
        operations (all by default)."""
        made = self.made_dirs() if made is None else made
        k = len(self.ops) if upto is None else upto
        key = (path, k, made)
        if key in self._memo:
            return self._memo[key]
        merges: list[Merge] = []
        fs: StageFS = self
        fact: Fact | None = None
        while fact is None:
            # Of consecutive operations that only make the path as a directory above their destination, the
            # oldest decides (the newer ones keep a directory as it is).
            pending: int | None = None
            for i, only_above in fs._candidates(path, k):
                if only_above:
                    pending = i
                    continue
                if pending is not None:
                    above = fs.ops[pending].lstat(path)
                    if isinstance(above, Merge):
                        merges.append(above)
                    pending = None
                got = fs.ops[i].lstat(path)
                if got is None:
                    continue
                if isinstance(got, Merge):
                    merges.append(got)
                    continue
                fact = got
                break
            else:
                if pending is not None:
                    above = fs.ops[pending].lstat(path)
                    if isinstance(above, Merge):
                        merges.append(above)
                if fs.parent is not None:
                    fs = fs.parent
                    k = len(fs.ops)
                    continue
                assert fs.base is not None
                fact = fs.base.lstat(path, made)
        for m in reversed(merges):
            fact = m.combine(fact)
        if len(self._memo) < 100_000:
            self._memo[key] = fact
        return fact

    def list(self, directory: str, made: frozenset[str] | None = None, upto: int | None = None) -> Listing:
        """What the directory holds (names present), and whether that is all of it."""
        made = self.made_dirs() if made is None else made
        out = Listing()
        fs: StageFS | None = self
        k = len(self.ops) if upto is None else upto
        while fs is not None:
            for i, _ in fs._candidates(directory, k):
                got = fs.ops[i].list(directory)
                if got is not None:
                    out.merge(got)
            if fs.parent is None:
                assert fs.base is not None
                out.merge(fs.base.list(directory, made))
            fs = fs.parent
            k = len(fs.ops) if fs is not None else 0
        names = set()
        for name in sorted(out.names):
            fact = self.lstat(posixpath.join(directory, name), made, upto)
            if fact.presence == PRESENT:
                names.add(name)
            elif fact.presence == UNKNOWN:
                out.complete = False
                out.grounds += [g for g in fact.grounds if g not in out.grounds]
        return Listing(names, out.complete, out.grounds)


# -- resolution: symlinks followed inside the stage -------------------------------------------------------------


@dataclass
class Resolution:
    path: str
    fact: Fact
    """The final answer (present, absent or unknown), its grounds included."""
    resolved: str | None = None
    chain: list[str] = field(default_factory=list)
    problem: str | None = None
    nearest: str | None = None


def resolve(fs: StageFS, path: str, *, follow: bool = True, made: frozenset[str] | None = None,
            upto: int | None = None) -> Resolution:
    """``path`` in the stage, symlinks followed the way the kernel follows them inside an image root."""
    made = fs.made_dirs() if made is None else made
    comps = [c for c in path.split("/") if c not in ("", ".")]
    cur = "/"
    chain: list[str] = []
    hops = 0
    fact = fs.lstat("/", made, upto)
    while comps:
        name = comps.pop(0)
        if name == "..":
            cur = posixpath.dirname(cur)
            continue
        cand = posixpath.join(cur, name)
        fact = fs.lstat(cand, made, upto)
        last = not comps
        if fact.presence == UNKNOWN:
            problem = None if last else f"whether {cand} exists is unknown"
            if not last and fact.run is None:
                # A RUN that names the path itself says more than an unread base image above it.
                whole = fs.lstat(posixpath.join(cand, *comps), made, upto)
                if whole.presence == UNKNOWN and whole.run is not None:
                    fact = whole
            return Resolution(path, fact, None, chain, problem, cur)
        if fact.presence == ABSENT:
            problem = "no such file or directory" if last and not chain else f"{cand} does not exist"
            return Resolution(path, fact, None, chain, problem, cur)
        if fact.type == SYMLINK and (comps or follow):
            hops += 1
            if hops > MAX_SYMLINK_HOPS:
                return Resolution(path, replace(fact, presence=ABSENT), None, chain,
                                  "too many levels of symbolic links (a symlink loop)")
            chain.append(f"{cand} -> {fact.linkname}")
            if not fact.linkname:
                return Resolution(path, replace(fact, presence=ABSENT), None, chain, f"{cand} is an empty symlink",
                                  cur)
            if fact.linkname.startswith("/"):
                cur = "/"
            comps = [c for c in fact.linkname.split("/") if c not in ("", ".")] + comps
            continue
        if comps and fact.type is None:
            unknown = Fact(UNKNOWN, grounds=fact.grounds + (f"whether {cand} is a directory is unknown",),
                           origin=fact.origin, run=fact.run, base_image=fact.base_image)
            return Resolution(path, unknown, None, chain, f"whether {cand} is a directory is unknown", cur)
        if comps and fact.type != DIRECTORY:
            if fact.below_unknown:
                unknown = Fact(UNKNOWN, grounds=(fact.below_unknown,), origin=fact.origin, run=fact.run)
                return Resolution(path, unknown, None, chain, fact.below_unknown, cur)
            absent = Fact(ABSENT, grounds=fact.grounds, presumed=fact.presumed and ("absent",))
            return Resolution(path, absent, None, chain, f"{cand} is a {fact.type}, not a directory", cur)
        cur = cand
    return Resolution(path, fact, cur, chain)


def canonical_parent(fs: StageFS, path: str, upto: int) -> str:
    """``path`` with the symlinks in its parents followed where the stage says what they are (BuildKit
    resolves a destination inside the image root); the rest kept as written."""
    parent, name = posixpath.split(path)
    if parent == "/" or not name:
        return path
    res = resolve(fs, parent, upto=upto)
    if res.resolved is not None and res.fact.type == DIRECTORY:
        return posixpath.join(res.resolved, name)
    return path


def read_fact(fact: Fact, path: str, limit: int, display: str) -> bytes:
    if fact.presence != PRESENT or fact.type != FILE:
        raise ReaderError(f"{display}: {path} is not a file the recipe ships")
    if fact.content is None:
        why = fact.unreadable or "the recipe does not show its contents"
        raise ReaderError(f"{display}: {path} cannot be read from the recipe: {why}")
    return fact.content.read(limit)


def fact_summary(fact: Fact) -> dict[str, Any]:
    """For tests and debugging."""
    return {"presence": fact.presence, "type": fact.type, "mode": fact.mode, "presumed": fact.presumed,
            "grounds": fact.grounds}
